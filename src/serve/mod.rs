//! `oberih serve`: a preview server for editors. It builds the portal into a temporary folder
//! (never over `public/`), serves it on 127.0.0.1 only, watches the input folders, rebuilds on
//! every change and reloads the open pages.
//!
//! Live reload must not weaken the site's Content-Security-Policy (`script-src 'self' 'sha256-…'`
//! in a meta tag), so nothing inline is added: served HTML gets an external
//! `<script src="/__oberih/live.js">`, which long-polls by loading `/__oberih/poll.js` as a
//! script (JSONP style), because `connect-src` falls back to `default-src 'none'` and would block
//! `fetch` or `EventSource`. When a rebuild fails, every served page carries the diagnostics,
//! inserted server-side after `<body…>` so they show before any script runs, above the last good
//! site. The built files on disk are never touched.
//!
//! Plain std: one thread per connection, `Connection: close`, no async runtime.

mod http;
mod inject;
pub mod live;
mod rebuild;
mod watch;

use http::handle;
use rebuild::Builder;
use watch::Watcher;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use anyhow::Context;

/// What `oberih serve` needs.
#[derive(Debug)]
pub struct ServeOptions {
    /// The portal folder (with portal.toml).
    pub root: PathBuf,
    /// Preview a region overlay (`regions/<slug>/`).
    pub region: Option<String>,
    /// 0 picks any free port.
    pub port: u16,
    /// Open the site in the default browser once it is ready.
    pub open: bool,
    /// Receives the bound port once the first build is done and pages can be fetched.
    pub ready: Option<Sender<u16>>,
}

/// Folders (and the one file) whose changes trigger a rebuild. `keys/` is where forms' public
/// keys for encrypted export usually live.
pub const WATCHED: [&str; 9] =
    ["content", "forms", "data", "themes", "regions", "i18n", "static", "keys", "portal.toml"];

/// A rebuild starts once no change has arrived for this long (an editor's save is often several
/// events: write a temporary file, rename it, change its attributes).
const DEBOUNCE: Duration = Duration::from_millis(150);
/// …but no later than this after the first change, however busy the folder is.
const DEBOUNCE_MAX: Duration = Duration::from_secs(2);
/// How long a live-reload poll waits for a new build before it answers "no change".
const POLL_WAIT: Duration = Duration::from_secs(25);
const MAX_REQUEST: usize = 16 * 1024;

const LIVE_JS: &str = include_str!("../../themes/scaffold/serve/live.js");
const OVERLAY_CSS: &str = include_str!("../../themes/scaffold/serve/overlay.css");

/// Builds, serves and watches until the process ends. Returns early only on setup errors (no
/// portal in `root`, the port is taken, the watcher cannot start); content errors never stop it.
pub fn run(opts: ServeOptions) -> anyhow::Result<()> {
    let root =
        opts.root.canonicalize().with_context(|| format!("cannot open the portal folder `{}`", opts.root.display()))?;
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        anyhow::bail!(
            "no portal.toml in `{}`; pass --root DIR, or start a portal with `oberih new DIR`",
            root.display()
        );
    }
    let listener = TcpListener::bind(("127.0.0.1", opts.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", opts.port))?;
    let port = listener.local_addr()?.port();
    let work = WorkDir::create()?;
    let shared = Arc::new(Shared::new());
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = Watcher::start(&root, tx)?;
    crate::stdio::say(&format!("Building {} …", root.display()));
    let region = opts.region;
    let mut builder = Builder {
        root,
        region,
        work,
        shared: shared.clone(),
        count: 0,
        retired: None,
        live: None,
        pending: BTreeSet::new(),
    };
    builder.rebuild(&[], &[]);
    std::thread::Builder::new().name("oberih-rebuild".into()).spawn(move || builder.watch(watcher, rx))?;
    let url = format!("http://127.0.0.1:{port}/");
    crate::stdio::say(&format!("Serving {url} (Ctrl+C to stop)"));
    if let Some(ready) = opts.ready {
        let _ = ready.send(port);
    }
    if opts.open {
        open_browser(&url);
    }
    for stream in listener.incoming().flatten() {
        let shared = shared.clone();
        let _ = std::thread::Builder::new().name("oberih-http".into()).spawn(move || handle(stream, &shared, port));
    }
    Ok(())
}

// ------------------------------------------------------------------------------------ shared state

/// What the server shows, swapped by the builder after every build.
struct State {
    /// Makes build ids unique across restarts, so a page left open reloads after a restart.
    session: u64,
    build: u64,
    /// The last site that built without errors.
    site: Option<PathBuf>,
    /// The terminal report of the last build, when it failed.
    error: Option<String>,
}

impl State {
    fn build_id(&self) -> String {
        format!("{:x}-{}", self.session, self.build)
    }
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// In-place updates write into the folder being served. A request reads its file and the
    /// state it is shown with (overlay, build id) under the read side, and an update writes its
    /// files and publishes its result under the write side, so a page never comes with the
    /// overlay of a build it already fixes.
    files: RwLock<()>,
}

impl Shared {
    fn new() -> Self {
        let session = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        Shared {
            state: Mutex::new(State { session: session as u64, build: 0, site: None, error: None }),
            changed: Condvar::new(),
            files: RwLock::new(()),
        }
    }

    fn reading(&self) -> RwLockReadGuard<'_, ()> {
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }

    fn writing(&self) -> RwLockWriteGuard<'_, ()> {
        self.files.write().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take the preview down: the state is always consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A snapshot of the state for one request.
struct View {
    id: String,
    site: Option<PathBuf>,
    error: Option<String>,
}

impl View {
    fn of(shared: &Shared) -> View {
        let s = shared.lock();
        View { id: s.build_id(), site: s.site.clone(), error: s.error.clone() }
    }
}

// ------------------------------------------------------------------------------------ building

/// The temporary folder the previews are built in; removed when the server stops normally.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create() -> anyhow::Result<WorkDir> {
        let base = std::env::temp_dir();
        remove_stale(&base);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let dir = base.join(format!("{WORK_PREFIX}{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const WORK_PREFIX: &str = "oberih-serve-";

/// Ctrl+C ends the process without running destructors, so earlier previews are cleaned up here,
/// where it is known which owners are gone (Linux: no `/proc/<pid>`).
fn remove_stale(base: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(WORK_PREFIX).and_then(|r| r.split('-').next()) else { continue };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn open_browser(url: &str) {
    let spawned = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if spawned.is_err() {
        crate::stdio::err(&format!("could not open a browser; open {url} yourself\n"));
    }
}

#[cfg(test)]
mod tests;

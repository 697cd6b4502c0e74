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

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::build::{self, BuildOptions, BuildReport};
use crate::html::escape;
use crate::i18n::english_count as count;
use crate::live::{LiveSite, Update};

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

const LIVE_JS: &str = include_str!("../themes/scaffold/serve/live.js");
const OVERLAY_CSS: &str = include_str!("../themes/scaffold/serve/overlay.css");

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

struct Builder {
    root: PathBuf,
    /// A region previewed on top of the national portal.
    region: Option<String>,
    work: WorkDir,
    shared: Arc<Shared>,
    count: u64,
    /// The site before the current one, deleted one build later so that requests still
    /// reading it finish.
    retired: Option<PathBuf>,
    /// The last site that built without errors, kept to update it in place after small edits.
    live: Option<LiveSite>,
    /// Changes not yet in the kept site (they were part of a build that failed).
    pending: BTreeSet<String>,
}

impl Builder {
    /// Updates the served site after `changed` (all changed paths; `shown` those still there, for
    /// the terminal): in place when only page text changed, otherwise by a full build.
    fn rebuild(&mut self, changed: &[String], shown: &[String]) {
        self.pending.extend(changed.iter().cloned());
        let changes: Vec<String> = self.pending.iter().cloned().collect();
        if let Some(live) = &mut self.live {
            let shared = Arc::clone(&self.shared);
            let _writing = shared.writing();
            match live.update(&changes) {
                Update::Done(report) => return self.finish_update(&report, shown),
                Update::NeedsFullBuild(_) => {}
            }
        }
        self.full_build(shown);
    }

    /// Publishes a site updated in place (or its errors; the folder is then unchanged).
    fn finish_update(&mut self, report: &BuildReport, shown: &[String]) {
        print_result(report, shown, true, true);
        if report.ok() {
            self.pending.clear();
        }
        let mut s = self.shared.lock();
        s.build += 1;
        s.error = (!report.ok()).then(|| report.diagnostics.report());
        drop(s);
        self.shared.changed.notify_all();
    }

    /// Builds into a new folder; on success the server switches to it, on failure it keeps the
    /// last good site and shows the diagnostics on top.
    fn full_build(&mut self, changed: &[String]) {
        self.count += 1;
        let out = self.work.0.join(format!("site-{}", self.count));
        let opts = BuildOptions { root: self.root.clone(), out: out.clone(), write: true };
        let (report, kept) = build::run_live(&opts, self.region.as_deref());
        print_result(&report, changed, self.shared.lock().site.is_some(), false);
        if let Some(kept) = kept {
            self.live = Some(LiveSite::new(kept, &self.root, &out));
            self.pending.clear();
        }
        let old = {
            let mut s = self.shared.lock();
            s.build += 1;
            if report.ok() {
                s.error = None;
                s.site.replace(out)
            } else {
                s.error = Some(report.diagnostics.report());
                None
            }
        };
        self.shared.changed.notify_all();
        if let Some(old) = old {
            if let Some(gone) = self.retired.replace(old) {
                let _ = std::fs::remove_dir_all(gone);
            }
        }
    }

    /// Rebuilds on every batch of relevant changes until the watcher stops.
    fn watch(mut self, mut watcher: Watcher, rx: Receiver<notify::Result<notify::Event>>) {
        let mut changed = BTreeSet::new();
        while let Ok(first) = rx.recv() {
            watcher.collect(first, &mut changed);
            if changed.is_empty() {
                continue;
            }
            // Debounce: wait until the changes stop; changes made during the build below are
            // picked up by the next round.
            let started = Instant::now();
            while started.elapsed() < DEBOUNCE_MAX {
                match rx.recv_timeout(DEBOUNCE) {
                    Ok(more) => watcher.collect(more, &mut changed),
                    Err(_) => break,
                }
            }
            if !self.root.is_dir() {
                crate::stdio::err(&format!("the portal folder `{}` is gone; no more rebuilds\n", self.root.display()));
                return;
            }
            // Editors' temporary files come and go within one save; name what is still there.
            let all: Vec<String> = std::mem::take(&mut changed).into_iter().collect();
            let present: Vec<String> = all.iter().filter(|r| self.root.join(r).exists()).cloned().collect();
            self.rebuild(&all, if present.is_empty() { &all } else { &present });
        }
    }
}

/// One line per rebuild; the full report (same text as `oberih build`) when there is one.
fn print_result(report: &BuildReport, changed: &[String], had_site: bool, in_place: bool) {
    let text = report.diagnostics.report();
    if !text.is_empty() {
        crate::stdio::err(&text);
    }
    let kind = if in_place { "update" } else { "rebuild" };
    let what = match changed {
        [] => "build".to_string(),
        [one] => format!("{kind} after {one} changed"),
        [first, rest @ ..] => format!("{kind} after {first} and {} more changed", rest.len()),
    };
    let secs = report.seconds;
    if report.ok() && in_place {
        let stages: Vec<String> =
            report.stages.iter().map(|(name, secs)| format!("{name} {:.0}", secs * 1000.0)).collect();
        let files = count(report.files_written, "file", "files");
        crate::stdio::say(&format!("{what}: {files} in {:.0} ms ({} ms)", secs * 1000.0, stages.join(" · ")));
        return;
    }
    if report.ok() {
        crate::stdio::say(&format!("{what}: {} in {secs:.2} s", count(report.files_written, "file", "files")));
        return;
    }
    let (errors, warnings) = (report.diagnostics.error_count(), report.diagnostics.warning_count());
    let counts = format!("{}, {}", count(errors, "error", "errors"), count(warnings, "warning", "warnings"));
    let shown = if had_site { "still serving the last good version" } else { "pages show the errors" };
    crate::stdio::err(&format!("{what} failed: {counts} in {secs:.2} s; {shown}\n"));
}

// ------------------------------------------------------------------------------------ watching

struct Watcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    watched: BTreeSet<String>,
}

impl Watcher {
    /// Watches the root itself (portal.toml, and input folders that appear later) and every input
    /// folder that exists, recursively. Watching the whole root would also watch `public/` and,
    /// in a repository, `target/`.
    fn start(root: &Path, tx: Sender<notify::Result<notify::Event>>) -> anyhow::Result<Watcher> {
        let inner = notify::recommended_watcher(tx).context("cannot watch files for changes")?;
        let mut w = Watcher { root: root.to_path_buf(), inner, watched: BTreeSet::new() };
        w.inner
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        w.add_new_folders();
        Ok(w)
    }

    fn add_new_folders(&mut self) {
        for name in WATCHED.iter().filter(|n| !n.contains('.')) {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(*name) {
                match self.inner.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(name.to_string());
                    }
                    Err(e) => crate::stdio::err(&format!("warning: cannot watch `{name}/`: {e}\n")),
                }
            }
        }
    }

    /// Adds the portal-relative paths of relevant changes to `changed`. Reads are not changes:
    /// the build itself opens every input file, and counting that would rebuild forever.
    fn collect(&mut self, event: notify::Result<notify::Event>, changed: &mut BTreeSet<String>) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                crate::stdio::err(&format!("warning: watching files: {e}\n"));
                return;
            }
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let mut new_top_level = false;
        for path in &event.paths {
            if let Some(rel) = relevant(&self.root, path) {
                new_top_level |= !rel.contains('/') && !self.watched.contains(&rel);
                changed.insert(rel);
            }
        }
        // A folder such as static/ created after the start is watched from now on.
        if new_top_level {
            self.add_new_folders();
        }
    }
}

/// The portal-relative path of a change that can affect the build, or `None` for everything
/// else: the output, editor swap and backup files, hidden files (the build skips them too).
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let rel = crate::source::slash_path(rel);
    let first = rel.split('/').next()?;
    if !WATCHED.contains(&first) {
        return None;
    }
    let hidden = rel.split('/').any(|c| c.starts_with('.') || c.starts_with('#'));
    let backup = rel.ends_with('~') || rel.ends_with(".swp") || rel.ends_with(".tmp");
    (!hidden && !backup).then_some(rel)
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

// ------------------------------------------------------------------------------------ HTTP

struct Request {
    method: String,
    target: String,
    host: Option<String>,
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response { status, content_type, body: body.into(), location: None }
    }

    fn text(status: u16, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{body}\n"))
    }
}

fn handle(mut stream: TcpStream, shared: &Shared, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    // A client that stops reading must not hold a thread forever.
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let (response, head_only) = match read_request(&mut stream) {
        None => (Response::text(400, "bad request"), false),
        Some(req) => (respond(&req, shared, port), req.method == "HEAD"),
    };
    let _ = write_response(&mut stream, &response, head_only);
}

/// Reads the request line and headers (no body: only GET and HEAD are served).
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() + n > MAX_REQUEST {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string());
    Some(Request { method, target, host })
}

fn write_response(stream: &mut TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    if let Some(loc) = &r.location {
        head.push_str(&format!("Location: {loc}\r\n"));
    }
    if r.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    }
}

fn respond(req: &Request, shared: &Shared, port: u16) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::text(405, "only GET and HEAD");
    }
    // Only our own origin: a page on another site that rebinds a name to 127.0.0.1 cannot read.
    if let Some(host) = &req.host {
        if host != &format!("127.0.0.1:{port}") && host != &format!("localhost:{port}") {
            return Response::text(403, "unknown host");
        }
    }
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    match path {
        "/__oberih/live.js" => Response::new(200, "text/javascript; charset=utf-8", LIVE_JS),
        "/__oberih/overlay.css" => Response::new(200, "text/css; charset=utf-8", OVERLAY_CSS),
        "/__oberih/poll.js" => poll(shared, query),
        _ => {
            let _reading = shared.reading();
            serve_file(path, query, &View::of(shared))
        }
    }
}

/// Answers `/__oberih/poll.js?since=ID` once the build id differs from `ID`, or after
/// [`POLL_WAIT`] with the same id (the script then polls again).
fn poll(shared: &Shared, query: &str) -> Response {
    let since = query.split('&').find_map(|p| p.strip_prefix("since=")).unwrap_or("");
    let deadline = Instant::now() + POLL_WAIT;
    let mut state = shared.lock();
    while state.build_id() == since {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = match shared.changed.wait_timeout(state, left) {
            Ok((guard, _)) => guard,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
    let id = serde_json::Value::String(state.build_id());
    drop(state);
    Response::new(200, "text/javascript; charset=utf-8", format!("window.__oberihLive&&window.__oberihLive({id});\n"))
}

// ------------------------------------------------------------------------------------ files

fn serve_file(raw: &str, query: &str, view: &View) -> Response {
    let Some(decoded) = percent_decode(raw) else { return Response::text(400, "bad path") };
    let Some(rel) = safe_relative(&decoded) else { return Response::text(403, "path refused") };
    let Some(site) = &view.site else { return no_site(&decoded, view) };
    let mut file = site.join(rel);
    if file.is_dir() {
        // Relative links inside the page only work from the folder's own address.
        if !decoded.ends_with('/') {
            let mut r = Response::text(301, "moved");
            let to = folder_address(raw);
            r.location = Some(if query.is_empty() { to } else { format!("{to}?{query}") });
            return r;
        }
        file = file.join("index.html");
    }
    match read_inside(site, &file) {
        Some(bytes) => page(200, content_type(&file), bytes, view),
        // Browsers ask for it on their own; a site without one should not fill the console.
        None if decoded == "/favicon.ico" => Response::new(204, "image/x-icon", Vec::new()),
        None => match read_inside(site, &site.join("404.html")) {
            Some(bytes) => page(404, "text/html; charset=utf-8", bytes, view),
            None => Response::text(404, "not found"),
        },
    }
}

/// The address of a folder, ending in `/`, with runs of slashes made one: `//uk` must not become
/// `//uk/`, which a browser reads as the host `uk` (an open redirect).
fn folder_address(raw: &str) -> String {
    let segments: Vec<&str> = raw.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}/", segments.join("/"))
}

/// Before any build has succeeded there is no site: pages show the diagnostics alone.
fn no_site(decoded: &str, view: &View) -> Response {
    let last = decoded.rsplit('/').next().unwrap_or("");
    let is_page = last.is_empty() || last.ends_with(".html") || !last.contains('.');
    if view.error.is_none() || !is_page {
        return Response::text(503, "the site has not been built yet");
    }
    let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Build failed · oberih serve</title></head><body></body></html>";
    Response::new(500, "text/html; charset=utf-8", inject(html, view))
}

/// Reads a file only if it really lies inside the site (no symlink leads out).
fn read_inside(site: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = file.canonicalize().ok()?;
    let site = site.canonicalize().ok()?;
    if !real.starts_with(&site) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

fn page(status: u16, content_type: &'static str, bytes: Vec<u8>, view: &View) -> Response {
    if !content_type.starts_with("text/html") {
        return Response::new(status, content_type, bytes);
    }
    match String::from_utf8(bytes) {
        Ok(html) => Response::new(status, content_type, inject(&html, view)),
        Err(e) => Response::new(status, content_type, e.into_bytes()),
    }
}

/// `%XX` escapes decoded; `None` for a bad escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The site-relative path of a decoded request path; `None` if it tries to leave the site.
fn safe_relative(decoded: &str) -> Option<PathBuf> {
    let rest = decoded.strip_prefix('/')?;
    let mut rel = PathBuf::new();
    for seg in rest.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg == ".." || seg.contains(['\\', '\0', ':']) {
            return None;
        }
        rel.push(seg);
    }
    Some(rel)
}

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pem" => "application/x-pem-file",
        _ => "application/octet-stream",
    }
}

// ------------------------------------------------------------------------------------ injection

/// Adds the live-reload script before `</body>` and, after a failed build, the diagnostics right
/// after `<body…>` with their stylesheet in the head. Served responses only.
fn inject(html: &str, view: &View) -> String {
    let mut inserts: Vec<(usize, String)> = Vec::new();
    if let Some(report) = &view.error {
        let link = "<link rel=\"stylesheet\" href=\"/__oberih/overlay.css\">".to_string();
        let overlay = overlay_html(report);
        match (html.find("</head>"), body_open_end(html)) {
            (Some(h), Some(b)) if h < b => inserts.extend([(h, link), (b, overlay)]),
            (_, Some(b)) => inserts.push((b, link + &overlay)),
            _ => inserts.push((0, link + &overlay)),
        }
    }
    let end = html.rfind("</body>").unwrap_or(html.len());
    inserts.push((end, format!("<script src=\"/__oberih/live.js\" data-build=\"{}\"></script>", view.id)));
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(html.len() + inserts.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut from = 0;
    for (at, text) in inserts {
        out.push_str(&html[from..at]);
        out.push_str(&text);
        from = at;
    }
    out.push_str(&html[from..]);
    out
}

/// The index just after the `<body …>` start tag.
fn body_open_end(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<body") {
        let start = from + i;
        let after = &html[start + 5..];
        if after.starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            return after.find('>').map(|j| start + 5 + j + 1);
        }
        from = start + 5;
    }
    None
}

fn overlay_html(report: &str) -> String {
    let errors = report.lines().filter(|l| l.starts_with("error:")).count();
    format!(
        "<div id=\"oberih-overlay\" class=\"oberih-overlay\" role=\"alert\"><details open>\
         <summary>Збирання не вдалося, помилок: {errors} · Build failed: {}</summary>\
         <p>Нижче — остання вдала версія. Виправте файл і збережіть: сторінка оновиться сама.<br>\
         Below is the last good version. Fix the file and save: this page reloads by itself.</p>\
         <pre>{}</pre></details></div>",
        count(errors, "error", "errors"),
        escape(report)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(error: Option<&str>) -> View {
        View { id: "1-2".into(), site: None, error: error.map(str::to_string) }
    }

    #[test]
    fn folder_addresses_stay_on_the_origin() {
        assert_eq!(folder_address("//uk"), "/uk/");
        assert_eq!(folder_address("///evil.example//a"), "/evil.example/a/");
        assert_eq!(folder_address("/uk/guide"), "/uk/guide/");
    }

    #[test]
    fn traversal_is_refused_after_decoding() {
        for bad in ["/../etc/passwd", "/a/%2e%2e/%2E%2E/x", "/%2e%2e%2fetc", "/a\\..\\b", "/c:/x"] {
            let decoded = percent_decode(bad).unwrap();
            assert!(safe_relative(&decoded).is_none(), "{bad}");
        }
        assert_eq!(safe_relative("/uk/./guide//x.html"), Some(PathBuf::from("uk/guide/x.html")));
        assert_eq!(percent_decode("/%D0%B0"), Some("/а".into()));
        assert!(percent_decode("/%zz").is_none());
        assert!(percent_decode("/%c3").is_none());
    }

    #[test]
    fn injects_script_and_overlay_in_order() {
        let html = "<html><head><title>x</title></head><body class=\"p\"><p>old</p></body></html>";
        let out = inject(html, &view(Some("error: bad <key>\n  --> content/a.md:2:1\n")));
        let link = out.find("overlay.css").unwrap();
        let body = out.find("<body class=\"p\">").unwrap();
        let overlay = out.find("oberih-overlay").unwrap();
        let old = out.find("<p>old</p>").unwrap();
        let script = out.find("/__oberih/live.js").unwrap();
        assert!(link < body && body < overlay && overlay < old && old < script, "{out}");
        assert!(out.contains("bad &lt;key&gt;") && out.contains("content/a.md:2:1"));
        assert!(out.contains("data-build=\"1-2\""));
        assert!(out.ends_with("</script></body></html>"));
    }

    #[test]
    fn injects_without_body_tags() {
        let out = inject("<p>bare</p>", &view(None));
        assert_eq!(out, "<p>bare</p><script src=\"/__oberih/live.js\" data-build=\"1-2\"></script>");
        assert_eq!(body_open_end("<bodyguard><body>"), Some(17));
    }

    #[test]
    fn only_input_changes_count() {
        let root = Path::new("/p");
        assert_eq!(relevant(root, Path::new("/p/content/a.md")).as_deref(), Some("content/a.md"));
        assert_eq!(relevant(root, Path::new("/p/portal.toml")).as_deref(), Some("portal.toml"));
        for other in ["/p/public/index.html", "/p/content/.a.md.swp", "/p/content/a.md~", "/p/target/x", "/q/x"] {
            assert!(relevant(root, Path::new(other)).is_none(), "{other}");
        }
    }
}

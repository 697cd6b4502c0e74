//! What every gate needs: the portals to look at (each built once per run), the page types of a
//! built portal, broken fixtures, and running a child process with a time limit.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The gates' own data: tests/gates/.
pub fn data(rel: &str) -> PathBuf {
    repo().join("tests/gates").join(rel)
}

/// What makes a portal folder (the repository is the default portal; the rest of it is code).
pub const PORTAL_PARTS: [&str; 8] = ["portal.toml", "content", "forms", "data", "themes", "static", "regions", "i18n"];

/// A portal in a temporary folder, with its built output.
pub struct Built {
    _dir: tempfile::TempDir,
    pub public: PathBuf,
}

/// The repository's default portal, built once (in-process) for every gate of this run.
pub fn default_public() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, public) = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        common::build_ok(repo(), &public);
        (dir, public)
    });
    public
}

/// The basic test fixture, built once.
pub fn fixture_public() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, public) = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        common::build_ok(&common::fixture("basic"), &public);
        (dir, public)
    });
    public
}

/// Copies the portal folders (not code, not output) from `from` to `to`.
pub fn copy_portal(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for part in PORTAL_PARTS {
        let src = from.join(part);
        if src.is_dir() {
            common::copy_dir(&src, &to.join(part));
        } else if src.is_file() {
            std::fs::copy(&src, to.join(part)).unwrap();
        }
    }
}

/// A deliberately broken portal: the basic fixture with the files of tests/gates/broken/NAME/
/// laid over it, then `change` applied; built (the build itself must succeed: the gates judge
/// the output).
pub fn broken(name: &str, change: impl FnOnce(&Path)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    copy_portal(&common::fixture("basic"), &root);
    let overlay = data(&format!("broken/{name}"));
    if overlay.is_dir() {
        common::copy_dir(&overlay, &root);
    }
    change(&root);
    let public = dir.path().join("public");
    common::build_ok(&root, &public);
    Built { _dir: dir, public }
}

/// One page of each type in a built portal, by type name (`uk/section`, `en/form:…`), relative
/// to the output folder; and the types that are missing.
pub fn page_types(public: &Path) -> (BTreeMap<String, String>, Vec<String>) {
    let mut found = BTreeMap::new();
    let mut missing = Vec::new();
    let mut want = |name: String, rel: Option<String>, found: &mut BTreeMap<String, String>| match rel {
        Some(r) if public.join(&r).is_file() => {
            found.insert(name, r);
        }
        Some(r) => missing.push(format!("{name} ({r})")),
        None => missing.push(name),
    };
    want("language chooser".into(), Some("index.html".into()), &mut found);
    want("404".into(), Some("404.html".into()), &mut found);
    let kinds = body_kinds(public);
    for lang in languages(public) {
        let first_of = |kind: &str| {
            kinds.iter().find(|(p, k)| p.starts_with(&format!("{lang}/")) && k == kind).map(|(p, _)| p.clone())
        };
        want(format!("{lang}/home"), Some(format!("{lang}/index.html")), &mut found);
        want(format!("{lang}/section"), first_of("kind-section"), &mut found);
        want(format!("{lang}/page"), first_of("kind-page"), &mut found);
        want(format!("{lang}/standards index"), Some(format!("{lang}/standards/index.html")), &mut found);
        want(format!("{lang}/standard"), first_of("kind-standard"), &mut found);
        want(format!("{lang}/forms index"), Some(format!("{lang}/forms/index.html")), &mut found);
        want(format!("{lang}/search"), Some(format!("{lang}/search/index.html")), &mut found);
        want(format!("{lang}/print"), Some(format!("{lang}/print.html")), &mut found);
        want(format!("{lang}/standards print"), Some(format!("{lang}/standards/print.html")), &mut found);
        let forms = form_ids(public, &lang);
        if forms.is_empty() {
            want(format!("{lang}/form"), None, &mut found);
        }
        for id in forms {
            want(format!("{lang}/form:{id}"), Some(format!("{lang}/forms/{id}/index.html")), &mut found);
            want(format!("{lang}/paper form:{id}"), Some(format!("{lang}/forms/{id}/print.html")), &mut found);
        }
    }
    (found, missing)
}

/// Language folders of a built portal (those with a home page), in name order.
pub fn languages(public: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(public)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "assets")
        .collect();
    out.sort();
    out
}

/// Forms of a language: folders under `<lang>/forms/` with a paper form or an interactive page.
pub fn form_ids(public: &Path, lang: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(public.join(lang).join("forms")) else { return Vec::new() };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("print.html").is_file() || e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// The `kind-…` class on each page's `<body>`, by relative path, in path order.
fn body_kinds(public: &Path) -> Vec<(String, String)> {
    let body = common::sel("body");
    common::html_files(public)
        .into_iter()
        .filter_map(|(p, doc)| {
            let classes = doc.select(&body).next()?.value().attr("class")?.to_string();
            let kind = classes.split_whitespace().find(|c| c.starts_with("kind-"))?.to_string();
            Some((p, kind))
        })
        .collect()
}

/// A finished child process.
#[derive(Debug)]
pub struct Run {
    /// `None` when it was killed for taking too long.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn timed_out(&self) -> bool {
        self.status.is_none()
    }

    /// The last 2,000 characters of stderr, for messages.
    pub fn stderr_tail(&self) -> String {
        let s = &self.stderr;
        let start = s.char_indices().rev().nth(2000).map_or(0, |(i, _)| i);
        s[start..].to_string()
    }
}

/// Runs `cmd` with its output captured; kills it after `limit`.
pub fn run_with_timeout(mut cmd: Command, limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    Run { status, stdout, stderr, elapsed }
}

/// The `oberih` binary of this build.
pub fn oberih() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oberih"))
}

/// Matches `text` against a pattern where `*` stands for any run of characters (and nothing else
/// is special).
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn glob_matches_stars_only() {
    assert!(glob("*/print.html", "uk/print.html"));
    assert!(glob("a*b*c", "a-b-b-c"));
    assert!(!glob("a*b*c", "a-c"));
    assert!(glob("exact", "exact"));
    assert!(!glob("ab*ba", "aba"));
    assert!(glob("(x)?", "(x)?"));
}

//! `oberih serve` end to end: a real server on a free port over a copy of a fixture portal,
//! fetched with plain HTTP/1.1 requests while its files are changed, broken and fixed.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use oberih::serve::{self, ServeOptions};

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn request(port: u16, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Reply { status, head: head.to_string(), body: body.to_string() }
}

fn get(port: u16, path: &str) -> Reply {
    request(port, "GET", path)
}

/// Fetches `path` until `ok` holds, for up to ten seconds.
fn wait_for(port: u16, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let start = Instant::now();
    loop {
        let r = get(port, path);
        if ok(&r) {
            return r;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for {what}; last reply:\n{}", r.body);
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start(root: &Path) -> u16 {
    let (tx, rx) = std::sync::mpsc::channel();
    let opts = ServeOptions { root: root.to_path_buf(), region: None, port: 0, open: false, ready: Some(tx) };
    std::thread::spawn(move || {
        if let Err(e) = serve::run(opts) {
            panic!("serve failed: {e:#}");
        }
    });
    rx.recv_timeout(Duration::from_secs(120)).expect("the server never became ready")
}

/// The preview folders of servers in this process (their names carry the process id).
fn preview_dirs() -> Vec<PathBuf> {
    let prefix = format!("oberih-serve-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

const PAGE: &str = "/uk/guide/first/index.html";
const FIRST: &str = "content/guide/first.md";

#[test]
fn serves_rebuilds_shows_errors_and_recovers() {
    let site = copy_fixture("basic");
    let root = site.path();
    let port = start(root);

    let r = get(port, PAGE);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("Перша сторінка"));
    assert!(r.body.contains("<script src=\"/__oberih/live.js\" data-build="), "no live script");
    assert!(!r.body.contains("oberih-overlay"));

    // Edit: the change is served.
    let text = std::fs::read_to_string(root.join(FIRST)).unwrap();
    std::fs::write(root.join(FIRST), text.replace("Перша сторінка", "Оновлена сторінка")).unwrap();
    wait_for(port, PAGE, "the edited title", |r| r.body.contains("Оновлена сторінка"));

    // Break the front matter: the overlay names file:line:col, the last good page stays below.
    std::fs::write(root.join(FIRST), "+++\ntitle = \"Зламано\"\nweight = \"один\"\n+++\nТекст.\n").unwrap();
    let r = wait_for(port, PAGE, "the error overlay", |r| r.body.contains("oberih-overlay"));
    assert!(r.body.contains(&format!("{FIRST}:3:")), "no file:line:col in\n{}", r.body);
    assert!(r.body.contains("Оновлена сторінка"), "the last good content is gone");
    assert!(r.body.contains("/__oberih/overlay.css"));
    let overlay = r.body.find("oberih-overlay").unwrap();
    assert!(overlay > r.body.find("<body").unwrap() && overlay < r.body.find("<main").unwrap_or(usize::MAX));
    // Every page carries it, the 404 page too.
    assert!(get(port, "/en/index.html").body.contains("oberih-overlay"));
    let missing = get(port, "/uk/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("oberih-overlay"));

    // Fix it: the overlay goes, the new content comes.
    std::fs::write(root.join(FIRST), text.replace("Перша сторінка", "Виправлена сторінка")).unwrap();
    let r = wait_for(port, PAGE, "recovery", |r| r.body.contains("Виправлена сторінка"));
    assert!(!r.body.contains("oberih-overlay"));

    // The portal's own public/ is never written, and built files never carry the live script.
    assert!(!root.join("public").exists());
    let dirs = preview_dirs();
    assert!(!dirs.is_empty());
    for dir in dirs {
        // Other tests' servers may be swapping their folders meanwhile: skip what vanishes.
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let Ok(bytes) = std::fs::read(entry.path()) else { continue };
            assert!(!String::from_utf8_lossy(&bytes).contains("__oberih"), "{:?} has the live script", entry.path());
        }
    }
}

#[test]
fn serves_files_like_a_static_host() {
    let site = copy_fixture("basic");
    let port = start(site.path());

    let index = get(port, "/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("uk/index.html"));
    assert_eq!(get(port, "/uk/guide/").status, 200);
    let moved = get(port, "/uk/guide?x=1");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/uk/guide/?x=1"));
    // A redirect never leaves the origin: `//uk/` would send the browser to the host `uk`.
    for (path, to) in [("//uk", "/uk/"), ("///uk/guide?x=1", "/uk/guide/?x=1"), ("/uk//guide", "/uk/guide/")] {
        let moved = get(port, path);
        assert_eq!(moved.status, 301, "{path}");
        assert_eq!(moved.header("location"), Some(to), "{path}");
    }

    let page = get(port, PAGE);
    let head = request(port, "HEAD", PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), page.header("content-length"));
    assert_eq!(request(port, "POST", PAGE).status, 405);

    let doc = scraper::Html::parse_document(&page.body);
    let css = doc.select(&sel("link[rel=stylesheet]")).find_map(|l| l.value().attr("href")).unwrap();
    let css_path = join("uk/guide/first/index.html", css);
    let css = get(port, &format!("/{css_path}"));
    assert_eq!(css.status, 200, "{css_path}");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(!css.body.contains("__oberih"));

    let missing = get(port, "/nowhere.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "404.html is not served");
    assert_eq!(get(port, "/favicon.ico").status, 204);

    for bad in
        ["/../portal.toml", "/%2e%2e/portal.toml", "/uk/%2E%2E/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fportal.toml"]
    {
        let r = get(port, bad);
        assert!(r.status == 403 || r.status == 400, "{bad}: {}", r.status);
        assert!(!r.body.contains("Тестовий портал"));
    }
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");

    let live = get(port, "/__oberih/live.js");
    assert!(live.header("content-type").unwrap().starts_with("text/javascript"));
    // A poll for an old build id answers at once with the current one.
    let poll = get(port, "/__oberih/poll.js?since=old");
    assert!(poll.body.starts_with("window.__oberihLive&&window.__oberihLive(\""), "{}", poll.body);
}

#[test]
fn a_portal_that_never_built_shows_its_errors_then_recovers() {
    let site = copy_fixture("basic");
    let root = site.path();
    let text = std::fs::read_to_string(root.join(FIRST)).unwrap();
    std::fs::write(root.join(FIRST), "+++\ntitel = \"x\"\n+++\n").unwrap();
    let port = start(root);

    let r = get(port, "/uk/index.html");
    assert_eq!(r.status, 500);
    assert!(r.body.contains("oberih-overlay") && r.body.contains(&format!("{FIRST}:2:1")), "{}", r.body);
    assert!(r.body.contains("/__oberih/live.js"));

    std::fs::write(root.join(FIRST), text).unwrap();
    let r = wait_for(port, "/uk/index.html", "the first good build", |r| r.status == 200);
    assert!(!r.body.contains("oberih-overlay"));
}

#[test]
fn previews_a_region_on_top_of_the_portal() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    oberih::scaffold::new_portal(root).unwrap();
    oberih::scaffold::new_region(root, "test-oblast").unwrap();
    let page = "content/basics/first-steps.md";
    let regional = root.join("regions/test-oblast").join(page);
    let text = std::fs::read_to_string(root.join(page)).unwrap();
    std::fs::create_dir_all(regional.parent().unwrap()).unwrap();
    std::fs::write(&regional, text.replace("Перші кроки", "Перші кроки в області")).unwrap();

    let (tx, rx) = std::sync::mpsc::channel();
    let opts = ServeOptions {
        root: root.to_path_buf(),
        region: Some("test-oblast".into()),
        port: 0,
        open: false,
        ready: Some(tx),
    };
    std::thread::spawn(move || serve::run(opts));
    let port = rx.recv_timeout(Duration::from_secs(120)).unwrap();
    let r = get(port, "/uk/basics/first-steps/index.html");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Перші кроки в області"));
    assert!(!r.body.contains("oberih-overlay"), "{}", r.body);

    // A change in the overlay is a change like any other.
    std::fs::write(&regional, text.replace("Перші кроки", "Оновлено в області")).unwrap();
    wait_for(port, "/uk/basics/first-steps/index.html", "the regional edit", |r| r.body.contains("Оновлено в області"));
}

/// Drives headless Chromium (through tests/browser/lib.js) against the preview: the page reloads
/// itself on an edit, shows the overlay on an error, and the site's CSP reports no violation.
const BROWSER_SCRIPT: &str = r##"
"use strict";
const [lib, url, file] = process.argv.slice(1);
const { launch, check } = require(lib);
const fs = require("fs");
(async () => {
  const failures = [];
  const { context } = await launch();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(r.status() + " " + r.url()); });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
      });
    });
    await page.goto(url);
    await page.waitForTimeout(500);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace("Перша сторінка", "Жива сторінка"));
    await page.waitForFunction(() => document.body.textContent.includes("Жива сторінка"), null, { timeout: 10000 });
    fs.writeFileSync(file, "+++\ntitle = 1\n+++\n");
    await page.waitForSelector("#oberih-overlay", { timeout: 10000 });
    const box = await page.locator("#oberih-overlay").boundingBox();
    check(box && box.y < 5 && box.height > 40, "the overlay is not on top: " + JSON.stringify(box), failures);
    const shown = await page.textContent("#oberih-overlay pre");
    check(shown.includes("content/guide/first.md:2:"), "the overlay lacks file:line:col: " + shown, failures);
    check((await page.textContent("body")).includes("Жива сторінка"), "the last good page is gone", failures);
    fs.writeFileSync(file, text);
    await page.waitForFunction(() => !document.getElementById("oberih-overlay"), null, { timeout: 10000 });
    for (const p of problems) failures.push("console: " + p);
  } catch (e) {
    failures.push(String(e));
  } finally {
    await context.close();
  }
  console.log(JSON.stringify({ failures }));
})();
"##;

#[test]
fn a_browser_reloads_by_itself_within_the_site_csp() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(repo.join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let site = copy_fixture("basic");
    let port = start(site.path());
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg(BROWSER_SCRIPT)
        .arg(repo.join("tests/browser/lib.js"))
        .arg(format!("http://127.0.0.1:{port}{PAGE}"))
        .arg(site.path().join(FIRST))
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|_| panic!("no report:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let failures = report["failures"].as_array().cloned().unwrap_or_default();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn refuses_a_folder_without_a_portal() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = ServeOptions { root: tmp.path().to_path_buf(), region: None, port: 0, open: false, ready: None };
    let e = serve::run(opts).unwrap_err();
    assert!(e.to_string().contains("portal.toml"), "{e}");
}

/// Time from saving one page to the change being served, on a large portal:
/// `python3 …/gen_corpus.py 1000 DIR --layout oberih`, then
/// `OBERIH_SERVE_CORPUS=DIR cargo test --test serve -- --ignored --nocapture`. The corpus is changed.
#[test]
#[ignore]
fn rebuild_time_on_a_large_corpus() {
    let Some(root) = std::env::var_os("OBERIH_SERVE_CORPUS").map(PathBuf::from) else { return };
    let started = Instant::now();
    let port = start(&root);
    println!("first build and ready: {:.2} s", started.elapsed().as_secs_f64());
    let page = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .find(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.ends_with(".md") && !name.starts_with('_') && name.matches('.').count() == 1
        })
        .unwrap();
    let rel = page.strip_prefix(root.join("content")).unwrap().with_extension("");
    let url = format!("/uk/{}/index.html", rel.to_string_lossy());
    let text = std::fs::read_to_string(&page).unwrap();
    let mut edited = text.clone();
    for round in 1..=6 {
        // Odd rounds change the text (updated in place), even ones the title (a full build).
        let marker = format!("Позначка{round}{}", std::process::id());
        edited = if round % 2 == 1 {
            format!("{edited}\n{marker}\n")
        } else {
            edited.replacen("title = \"", &format!("title = \"{marker} "), 1)
        };
        std::fs::write(&page, &edited).unwrap();
        let saved = Instant::now();
        let start = Instant::now();
        loop {
            if get(port, &url).body.contains(&marker) {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(300), "never served");
            std::thread::sleep(Duration::from_millis(50));
        }
        let what = if round % 2 == 1 { "text" } else { "title" };
        println!("round {round} ({what}): saved → served in {:.3} s", saved.elapsed().as_secs_f64());
    }
    std::fs::write(&page, text).unwrap();
}

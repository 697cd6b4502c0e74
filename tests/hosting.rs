//! The portal served by a real nginx with the configuration shipped in docs/hosting/nginx.conf,
//! at the root of a host and under a sub-path: missing addresses at any depth get the 404 page
//! with everything it references answering, the right caching headers, and compression. Needs
//! Debian's `nginx` (scripts/test installs it); fails, never skips, when it is missing.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::sel;
use scraper::Html;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A running nginx with its own prefix, configuration and logs in a temporary folder; stopped
/// when dropped, also when a test fails.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("nginx")).find(|f| f.is_file()))
        .unwrap_or_default();
    on_path
        .or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()))
        .expect("the hosting tests need nginx (Debian package `nginx`; scripts/test installs it)")
}

/// The shipped server block with this test's port, document root and 404 address put in, so a
/// change to the shipped file is what gets tested.
fn server_block(root: &Path, port: u16, not_found: &str) -> String {
    let shipped = std::fs::read_to_string(repo().join("docs/hosting/nginx.conf")).unwrap();
    let (mut listen, mut rooted, mut error_page) = (false, false, false);
    let mut out = String::new();
    for line in shipped.lines() {
        let code = line.trim_start();
        let line = if code.starts_with("listen ") {
            if listen {
                continue;
            }
            listen = true;
            format!("    listen 127.0.0.1:{port};")
        } else if code.starts_with("root ") {
            rooted = true;
            format!("    root {};", root.display())
        } else if code.starts_with("error_page 404 ") {
            error_page = true;
            format!("    error_page 404 {not_found};")
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    assert!(listen && rooted && error_page, "docs/hosting/nginx.conf lost its listen, root or error_page line");
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts nginx in the foreground, one process, serving `root`.
fn start_nginx(root: &Path, not_found: &str) -> Nginx {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let d = dir.path().display();
    std::fs::write(dir.path().join("server.conf"), server_block(root, port, not_found)).unwrap();
    // Run as whoever runs the tests: nginx started by root would otherwise serve as `nobody`,
    // who cannot read the temporary folders.
    let user = if unsafe { libc::geteuid() } == 0 { "user root;\n" } else { "" };
    let temp_paths: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
        .iter()
        .map(|t| format!("  {t}_temp_path {d}/{t};\n"))
        .collect();
    let main = format!(
        "{user}daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n\
         {temp_paths}  include {d}/server.conf;\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
    let child = Command::new(nginx_binary())
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start nginx");
    let mut nginx = Nginx { child, port, dir };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = nginx.child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = nginx.child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let log = std::fs::read_to_string(nginx.dir.path().join("error.log")).unwrap_or_default();
            panic!("nginx exited ({status}):\n{err}\n{log}");
        }
        assert!(Instant::now() < deadline, "nginx did not start listening on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    nginx
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 GET, connection closed after it.
fn get(port: u16, path: &str, extra: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in extra {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("no end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

/// Resolves `reference` against the URL path `base` the way a browser does (for the references
/// a page of ours can hold: paths, absolute paths, same-origin absolute URLs).
fn resolve(base: &str, reference: &str, port: u16) -> String {
    let reference = reference.split('#').next().unwrap_or("");
    let origin = format!("http://127.0.0.1:{port}");
    if let Some(path) = reference.strip_prefix(&origin) {
        return path.to_string();
    }
    assert!(!reference.contains("://") && !reference.starts_with("//"), "reference to another origin: {reference}");
    if reference.starts_with('/') {
        return reference.to_string();
    }
    let folder = &base[..=base.rfind('/').unwrap()];
    let joined = format!("/{}", common::join(&folder[1..], reference));
    joined.replace("//", "/")
}

/// Requests a missing address and checks the reply is the 404 page for `lang` whose every
/// stylesheet, script, link and form target answers 200 when resolved against that address.
fn check_missing(nginx: &Nginx, path: &str, lang: &str) -> Html {
    let reply = get(nginx.port, path, &[]);
    assert_eq!(reply.status, 404, "{path}");
    let doc = Html::parse_document(&reply.text());
    let title = doc.select(&sel("title")).next().map(|t| t.text().collect::<String>()).unwrap_or_default();
    assert!(title.contains("Сторінку не знайдено"), "{path}: not the 404 page: {title}");
    let variant = format!("[data-variant={lang}] h1");
    assert!(doc.select(&sel(&variant)).next().is_some(), "{path}: no {lang} text on the 404 page");
    let mut checked = 0;
    for (selector, attr) in
        [("link[href]", "href"), ("script[src]", "src"), ("a[href]", "href"), ("form[action]", "action")]
    {
        for el in doc.select(&sel(selector)) {
            let reference = el.value().attr(attr).unwrap();
            if let Some(id) = reference.strip_prefix('#') {
                assert!(
                    doc.select(&sel(&format!("[id='{id}']"))).next().is_some(),
                    "{path}: {reference} has no target"
                );
                continue;
            }
            let url = resolve(path, reference, nginx.port);
            let target = get(nginx.port, &url, &[]);
            assert_eq!(target.status, 200, "{path}: {attr}={reference} → {url} answers {}", target.status);
            checked += 1;
        }
    }
    assert!(checked >= 5, "{path}: the 404 page references almost nothing ({checked})");
    doc
}

/// Builds the basic fixture portal into `out`, with `base_url` when given.
fn build_fixture(out: &Path, base_url: Option<&str>) {
    let site = common::copy_fixture("basic");
    if let Some(url) = base_url {
        let toml = site.path().join("portal.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, format!("base_url = \"{url}\"\n{text}")).unwrap();
    }
    common::build_ok(site.path(), out);
}

#[test]
fn missing_addresses_at_any_depth_get_the_404_page_at_the_root_of_a_host() {
    let www = tempfile::tempdir().unwrap();
    build_fixture(&www.path().join("site"), None);
    let nginx = start_nginx(&www.path().join("site"), "/404.html");
    check_missing(&nginx, "/uk/a/b/missing.html", "uk");
    check_missing(&nginx, "/en/x/y/", "en");
    check_missing(&nginx, "/missing.html", "uk");
    assert_eq!(get(nginx.port, "/uk/index.html", &[]).status, 200);
}

#[test]
fn missing_addresses_get_the_404_page_under_a_sub_path_named_by_base_url() {
    let www = tempfile::tempdir().unwrap();
    build_fixture(&www.path().join("oblast"), Some("https://example.org/oblast/"));
    let nginx = start_nginx(www.path(), "/oblast/404.html");
    let doc = check_missing(&nginx, "/oblast/uk/a/b/missing.html", "uk");
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap();
        assert!(href.starts_with('#') || href.starts_with("/oblast/"), "link outside the sub-path: {href}");
    }
    check_missing(&nginx, "/oblast/en/x/y/", "en");
    check_missing(&nginx, "/elsewhere/missing.html", "uk");
}

#[test]
fn fingerprinted_assets_are_immutable_pages_revalidate_and_text_is_compressed() {
    let www = tempfile::tempdir().unwrap();
    let site = www.path().join("site");
    build_fixture(&site, None);
    let nginx = start_nginx(&site, "/404.html");
    let home = get(nginx.port, "/uk/index.html", &[]);
    let doc = Html::parse_document(&home.text());
    let css = doc.select(&sel("link[rel=stylesheet]")).next().unwrap().value().attr("href").unwrap();
    let js = doc.select(&sel("script[src]")).next().unwrap().value().attr("src").unwrap();
    for asset in [css, js] {
        let url = resolve("/uk/index.html", asset, nginx.port);
        let reply = get(nginx.port, &url, &[("Accept-Encoding", "gzip")]);
        assert_eq!(reply.status, 200, "{url}");
        let cache = reply.header("cache-control").unwrap_or_default();
        assert!(cache.contains("immutable") && cache.contains("max-age=31536000"), "{url}: Cache-Control {cache}");
        assert_eq!(reply.header("content-encoding"), Some("gzip"), "{url} is not compressed");
    }
    let search_file = std::fs::read_dir(site.join("uk/search"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".js") || n.ends_with(".json"));
    let mut revalidated = vec!["/uk/index.html".to_string(), "/uk/".to_string(), "/".to_string()];
    revalidated.extend(search_file.map(|n| format!("/uk/search/{n}")));
    for url in &revalidated {
        let reply = get(nginx.port, url, &[("Accept-Encoding", "gzip")]);
        assert_eq!(reply.status, 200, "{url}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{url}");
        assert!(
            reply.header("last-modified").is_some() || reply.header("etag").is_some(),
            "{url}: nothing to revalidate with"
        );
    }
    let page = get(nginx.port, "/uk/index.html", &[("Accept-Encoding", "gzip")]);
    assert_eq!(page.header("content-encoding"), Some("gzip"), "pages are not compressed");
    let missing = get(nginx.port, "/uk/a/missing.html", &[("Accept-Encoding", "gzip")]);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), Some("no-cache"), "the 404 page is cached");
    assert_eq!(get(nginx.port, "/uk/index.html", &[]).header("content-encoding"), None);
}

/// Runs tests/browser/hosting.js on `cases` and returns its failures. Screenshots go to
/// `OBERIH_SHOTS` when it names a folder.
fn browser_failures(cases: &serde_json::Value) -> Vec<String> {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let mut command = Command::new("node");
    command.arg(repo().join("tests/browser/hosting.js")).arg(cases.to_string());
    if let Some(shots) = std::env::var_os("OBERIH_SHOTS") {
        command.arg(shots);
    }
    let out = command.output().expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|_| panic!("no report from hosting.js:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["checked"], cases.as_array().unwrap().len(), "{report}");
    report["failures"].as_array().unwrap().iter().map(|f| f.to_string()).collect()
}

/// In a browser the 404 page is styled, shows the address's language, and its links and menu
/// work: at the root of a host, under a sub-path found from the address alone, under the
/// sub-path `base_url` names (and outside it), and opened from disk.
#[test]
fn the_404_page_in_a_browser_at_any_depth_and_under_a_sub_path() {
    let root_site = tempfile::tempdir().unwrap();
    build_fixture(root_site.path(), None);
    let at_root = start_nginx(root_site.path(), "/404.html");
    let unnamed = tempfile::tempdir().unwrap();
    build_fixture(&unnamed.path().join("oblast"), None);
    let under_unnamed = start_nginx(unnamed.path(), "/oblast/404.html");
    let named = tempfile::tempdir().unwrap();
    build_fixture(&named.path().join("oblast"), Some("https://example.org/oblast/"));
    let under_named = start_nginx(named.path(), "/oblast/404.html");
    // A portal built with base_url but served at the root of another host, as `oberih serve` does.
    let elsewhere = start_nginx(&named.path().join("oblast"), "/404.html");
    let (uk, en) = ("Сторінку не знайдено", "Page not found");
    let url = |n: &Nginx, path: &str| format!("http://127.0.0.1:{}{path}", n.port);
    let cases = serde_json::json!([
        { "url": url(&at_root, "/uk/a/b/missing.html"), "lang": "uk", "title": uk, "shot": "404-uk-nested" },
        { "url": url(&at_root, "/en/x/y/"), "lang": "en", "title": en, "shot": "404-en-nested" },
        { "url": url(&at_root, "/old/address.php"), "lang": "uk", "title": uk },
        { "url": url(&under_unnamed, "/oblast/en/a/b/missing.html"), "lang": "en", "title": en },
        { "url": url(&under_unnamed, "/oblast/uk/a/"), "lang": "uk", "title": uk },
        { "url": url(&under_named, "/oblast/en/a/b/missing.html"), "lang": "en", "title": en },
        { "url": url(&under_named, "/oblast/uk/x/y/z/"), "lang": "uk", "title": uk },
        { "url": url(&under_named, "/elsewhere/en/missing.html"), "lang": "uk", "title": uk },
        { "url": url(&elsewhere, "/en/a/missing.html"), "lang": "en", "title": en },
        { "url": format!("file://{}", root_site.path().join("404.html").display()), "lang": "uk", "title": uk },
    ]);
    let failures = browser_failures(&cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The default portal's search page over a throttled connection (400 kbit/s each way, 400 ms
/// round trip), served by nginx with compression, cold cache: a two-word Ukrainian query shows
/// results after at most six requests besides the browser's own for the site icon (stylesheet,
/// page script, the words' shards, the records of the first screen of results: the page carries
/// the manifest, and the offline copy's offer waits for the page to load), and the index files
/// come in at most two sequential round trips (the shards, then the records).
#[test]
fn search_on_a_weak_network_needs_few_requests_in_two_round_trips() {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let site = tempfile::tempdir().unwrap();
    common::build_ok(repo(), site.path());
    let nginx = start_nginx(site.path(), "/404.html");
    let base = format!("http://127.0.0.1:{}/", nginx.port);
    for query in ["боргова кабала", "примусова праця"] {
        let out = Command::new("node")
            .arg(repo().join("tests/browser/search_network.js"))
            .args([base.as_str(), query])
            .output()
            .expect("browser tests need node");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
            .unwrap_or_else(|_| panic!("no report:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(report["failures"], serde_json::json!([]), "{query}: {report}");
        let paths: Vec<&str> = report["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["path"].as_str().unwrap())
            // The browser's own requests for the site's icon, not the page's.
            .filter(|p| *p != "/favicon.ico" && !(p.starts_with("/assets/icon.") && p.ends_with(".svg")))
            .collect();
        let depth = report["depth"].as_u64().unwrap();
        eprintln!(
            "{query}: {} requests, index files in {depth} round trips, results after {} ms",
            paths.len(),
            report["ms"]
        );
        assert!(paths.len() <= 6, "{query}: {} requests after the page: {paths:?}", paths.len());
        assert!(depth <= 2, "{query}: index files in {depth} round trips: {paths:?}");
    }
}

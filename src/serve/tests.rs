use std::path::{Path, PathBuf};

use super::http::*;
use super::inject::*;
use super::watch::*;
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

#[test]
fn content_types_come_from_the_extension_and_text_is_utf8() {
    let ct = |p: &str| content_type(Path::new(p));
    assert_eq!(ct("uk/index.html"), "text/html; charset=utf-8");
    assert_eq!(ct("assets/site.abc.css"), "text/css; charset=utf-8");
    assert!(ct("uk/search/x.js").ends_with("javascript; charset=utf-8"), "{}", ct("uk/search/x.js"));
    assert_eq!(ct("uk/forms/a/schema.json"), "application/json; charset=utf-8");
    assert_eq!(ct("assets/logo.png"), "image/png");
    assert_eq!(ct("data.unknown-kind"), "application/octet-stream");
}

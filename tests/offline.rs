//! The offline copy: the per-language lists, the worker, the manifests and icons a build writes
//! (parsed, with their budgets), and the copy saved, used with no network, updated and deleted
//! in headless Chromium over HTTP (tests/browser/offline.js, which needs `npm ci`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::sel;
use scraper::Html;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The summary script's object: `OberihOffline.copy({...});`.
fn summary(public: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(public.join("offline-copy.js")).unwrap();
    let inner = text.trim().strip_prefix("OberihOffline.copy(").and_then(|t| t.strip_suffix(");")).unwrap();
    serde_json::from_str(inner).unwrap()
}

#[test]
fn each_language_lists_the_files_of_its_copy_within_budget() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let worker = std::fs::metadata(public.join("sw.js")).unwrap().len();
    assert!(worker <= 8 * 1024, "the worker is {worker} bytes");
    let all = summary(&public);
    for lang in ["uk", "en"] {
        let list = json(&public.join(lang).join("offline.json"));
        assert_eq!(list["lang"], lang);
        assert_eq!(all[lang]["build"], list["build"], "{lang}: the summary and the list name one build");
        let files = list["files"].as_array().unwrap();
        let mut kept = 0;
        for f in files {
            let path = f[0].as_str().unwrap();
            let other = if lang == "uk" { "en/" } else { "uk/" };
            assert!(!path.starts_with(other) && !path.ends_with(".gz") && !path.ends_with(".br"), "{path}");
            assert!(![".oberih-output", "sitemap.xml", "sw.js", "offline-copy.js"].contains(&path), "{path}");
            assert_ne!(path, format!("{lang}/print.html"), "the whole-guidance print document stays online");
            let size = std::fs::metadata(public.join(path)).unwrap().len();
            assert_eq!(f[1].as_u64().unwrap(), size, "{path}");
            kept += f[2].as_u64().unwrap();
        }
        assert_eq!(list["bytes"].as_u64().unwrap(), kept);
        for needed in [
            format!("{lang}/index.html"),
            format!("{lang}/search/index.html"),
            format!("{lang}/forms/initial-screening/index.html"),
            format!("{lang}/manifest.webmanifest"),
            "404.html".to_string(),
        ] {
            assert!(files.iter().any(|f| f[0] == needed.as_str()), "{lang} copy lacks {needed}");
        }
        assert!(files.iter().any(|f| f[0].as_str().unwrap().starts_with(&format!("{lang}/search/"))
            && f[0].as_str().unwrap().ends_with(".js")));
    }
    let uk = all["uk"]["bytes"].as_u64().unwrap();
    assert!(uk <= 5 * 1024 * 1024, "the uk copy of the default portal is {uk} bytes");
}

#[test]
fn every_language_has_a_manifest_with_icons_and_pages_name_it() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    for lang in ["uk", "en"] {
        let manifest = json(&public.join(lang).join("manifest.webmanifest"));
        assert_eq!(manifest["lang"], lang);
        assert_eq!(manifest["start_url"], "./index.html");
        assert_eq!(manifest["scope"], "../");
        assert!(!manifest["name"].as_str().unwrap().is_empty());
        for icon in manifest["icons"].as_array().unwrap() {
            let file = public.join(lang).join(icon["src"].as_str().unwrap());
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            if icon["type"] == "image/png" {
                let info = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap().info().clone();
                assert_eq!(format!("{}x{}", info.width, info.height), icon["sizes"].as_str().unwrap());
            }
        }
        let page = Html::parse_document(
            &std::fs::read_to_string(public.join(lang).join("status/procedure/index.html")).unwrap(),
        );
        // Named by the page script over http(s) only: from a folder the browser refuses to read it.
        assert!(page.select(&sel("link[rel=manifest]")).next().is_none());
        let offer = page.select(&sel("footer #offline[hidden]")).next().unwrap();
        assert_eq!(offer.value().attr("data-manifest"), Some("../../manifest.webmanifest"));
        assert_eq!(offer.value().attr("data-site-root"), Some("../../../"));
        let strings = page.select(&sel("script#offline-i18n")).next().unwrap().text().collect::<String>();
        let strings: serde_json::Value = serde_json::from_str(&strings).unwrap();
        let save = if lang == "uk" {
            "Зберегти для роботи без інтернету"
        } else {
            "Save for use without internet"
        };
        assert_eq!(strings["save"], save);
        assert!(strings["pages_few"].as_str().unwrap().contains("{n}"));
        let csp = page.select(&sel("meta[http-equiv=Content-Security-Policy]")).next().unwrap();
        let csp = csp.value().attr("content").unwrap();
        assert!(csp.contains("worker-src 'self'") && csp.contains("manifest-src 'self'"), "{csp}");
        assert!(!csp.contains("connect-src"), "{csp}");
    }
}

/// The portal's sources, to change one page and build again.
fn copy_portal(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(repo().join("portal.toml"), to.join("portal.toml")).unwrap();
    for folder in oberih::output::INPUT_FOLDERS {
        if repo().join(folder).is_dir() {
            common::copy_dir(&repo().join(folder), &to.join(folder));
        }
    }
}

fn shots_dir(fallback: &Path) -> PathBuf {
    std::env::var_os("OBERIH_SHOTS").map(PathBuf::from).unwrap_or_else(|| fallback.to_path_buf())
}

#[test]
fn saved_copy_works_offline_updates_whole_and_deletes_in_chromium() {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    common::build_ok(repo(), &old);
    let src = dir.path().join("src");
    copy_portal(&src);
    let text = "Перевірочний абзац нової збірки 4821.";
    let page = src.join("content/status/procedure.md");
    let body = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{body}\n{text}\n")).unwrap();
    let new = dir.path().join("new");
    common::build_ok(&src, &new);
    let shots = shots_dir(dir.path());
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(repo().join("tests/browser/offline.js"))
        .args([&old, &new])
        .args(["uk/status/procedure/index.html", text])
        .arg(&shots)
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|_| panic!("no report:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let failures = report["failures"].as_array().unwrap();
    assert!(failures.is_empty(), "{}", serde_json::to_string_pretty(&report).unwrap());
    assert!(report["visited"].as_array().unwrap().len() >= 10, "{report}");
}

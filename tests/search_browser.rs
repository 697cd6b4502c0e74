//! Search in a real browser: the default portal opened from disk in headless Chromium, driven by
//! `tests/browser/search.js` (search page from `?q=`, suggestions in the header box with ↓ and
//! Enter, highlighted terms on the opened page, index files loaded per query, markup typed as a
//! query shown as text). Needs `chromium` and `npm ci` (scripts/test does both); fails, never
//! skips, when they are missing.

mod common;

use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn search_works_from_disk_in_chromium() {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let run = Command::new("node")
        .arg(repo().join("tests/browser/search.js"))
        .arg(&public)
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|_| panic!("no report from search.js:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr)));
    println!("{report}");
    let failures: Vec<String> =
        report["failures"].as_array().map(|a| a.iter().map(|v| v.to_string()).collect()).unwrap_or_default();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let loads = report["loads"].as_object().expect("loads per query");
    assert_eq!(loads.len(), 3, "two search-page queries and one typed query: {report}");
}

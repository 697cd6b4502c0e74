//! Real-browser tests: the default portal opened from disk in headless Chromium (driven by the
//! scripts in tests/browser/). These need `chromium` and `npm ci` (scripts/test does both); they
//! fail, never skip, when the tools are missing.

mod common;

use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `node tests/browser/<script> <args>` and returns its JSON report.
pub fn run_browser_script(script: &str, args: &[&Path]) -> serde_json::Value {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line)
        .unwrap_or_else(|_| panic!("no report from {script}:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

fn failures(report: &serde_json::Value) -> Vec<String> {
    report["failures"].as_array().map(|a| a.iter().map(|v| v.to_string()).collect()).unwrap_or_default()
}

#[test]
fn default_portal_from_disk_navigation_and_language_switch() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let report = run_browser_script("site.js", &[&public]);
    let f = failures(&report);
    assert!(f.is_empty(), "{}", f.join("\n"));
    assert!(report["visited"].as_array().unwrap().len() >= 6, "{report}");
}

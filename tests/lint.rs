//! The ESLint gate (eslint.config.js, run by scripts/test over the shipped runtimes) must be able
//! to fail: the broken runtimes in tests/lint/ are linted as theme runtimes, and every mistake
//! planted there must be reported, with a non-zero exit. Needs `npm ci` (ESLint is pinned in
//! package-lock.json).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn lint_fails_on_broken_runtimes() {
    let eslint = root().join("node_modules/eslint/bin/eslint.js");
    assert!(eslint.exists(), "{} is missing: run `npm ci` in the repository root", eslint.display());
    let out = Command::new("node")
        .current_dir(root())
        .arg(&eslint)
        .args(["--no-ignore", "--format", "json", "tests/lint"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node.js is required for the lint"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "eslint must report the findings:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("eslint printed no JSON report ({e}):\n{stdout}"));
    let mut found = BTreeSet::new();
    for file in report.as_array().expect("a list of files") {
        let path = file["filePath"].as_str().expect("filePath");
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        for m in file["messages"].as_array().expect("messages") {
            let rule = m["ruleId"].as_str().unwrap_or("parse").to_string();
            found.insert((name.clone(), m["line"].as_u64().unwrap_or(0), rule));
        }
    }
    let want: BTreeSet<(String, u64, String)> = [
        ("broken_runtime.js", 5, "no-unused-vars"),
        ("broken_runtime.js", 7, "no-undef"),
        ("broken_runtime.js", 9, "no-cond-assign"),
        ("broken_runtime.js", 9, "no-func-assign"),
        ("broken_runtime.js", 9, "no-constant-condition"),
        ("newer_syntax.js", 2, "parse"),
    ]
    .into_iter()
    .map(|(f, l, r)| (f.to_string(), l, r.to_string()))
    .collect();
    assert_eq!(found, want);
}

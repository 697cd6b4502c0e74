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

fn eslint() -> PathBuf {
    let eslint = root().join("node_modules/eslint/bin/eslint.js");
    assert!(eslint.exists(), "{} is missing: run `npm ci` in the repository root", eslint.display());
    eslint
}

#[test]
fn lint_fails_on_broken_runtimes() {
    let eslint = eslint();
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
        ("broken_runtime.js", 13, "max-lines-per-function"),
        ("newer_syntax.js", 2, "parse"),
    ]
    .into_iter()
    .map(|(f, l, r)| (f.to_string(), l, r.to_string()))
    .collect();
    assert_eq!(found, want);
}

/// The findings ESLint reports for `text` given as the questionnaire runtime's part `name`:
/// (line, rule, the message's first word).
fn part_findings(name: &str, text: &str) -> BTreeSet<(u64, String, String)> {
    let mut child = Command::new("node")
        .current_dir(root())
        .arg(eslint())
        .args(["--format", "json", "--stdin", "--stdin-filename"])
        .arg(format!("src/forms/runtime/{name}"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node.js is required for the lint"));
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), text.as_bytes()).expect("eslint's stdin");
    let out = child.wait_with_output().expect("eslint ran");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("eslint printed no JSON report ({e}):\n{stdout}"));
    let mut found = BTreeSet::new();
    for m in report[0]["messages"].as_array().expect("messages") {
        let word = m["message"].as_str().unwrap_or_default().split_whitespace().next().unwrap_or_default();
        found.insert((
            m["line"].as_u64().unwrap_or(0),
            m["ruleId"].as_str().unwrap_or("parse").to_string(),
            word.into(),
        ));
    }
    found
}

/// `text` with `line` put in before its line number `at`.
fn planted(text: &str, at: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(at - 1, line);
    lines.join("\n") + "\n"
}

#[test]
fn a_part_of_the_questionnaire_is_linted_in_the_whole_it_runs_in() {
    let part = |name: &str| std::fs::read_to_string(root().join("src/forms/runtime").join(name)).expect(name);
    let found = |list: &[(u64, &str, &str)]| -> BTreeSet<(u64, String, String)> {
        list.iter().map(|(l, r, w)| (*l, r.to_string(), w.to_string())).collect()
    };
    // A part calls functions the other parts define: as it is, nothing is reported.
    assert_eq!(part_findings("form_flow.js", &part("form_flow.js")), BTreeSet::new());
    // A mistake is reported at the part's own line; so is calling what only a form that
    // encrypts has (form_seal.js) from a part every form has.
    let flow = planted(&part("form_flow.js"), 20, "  missingThing(); exportSealed();");
    assert_eq!(
        part_findings("form_flow.js", &flow),
        found(&[(20, "no-undef", "'missingThing'"), (20, "no-undef", "'exportSealed'")])
    );
    let seal = planted(&part("form_seal.js"), 12, "  var unusedThing = renderSummary;");
    assert_eq!(part_findings("form_seal.js", &seal), found(&[(12, "no-unused-vars", "'unusedThing'")]));
    assert_eq!(part_findings("form_start.js", "start(\n})();\n"), found(&[(2, "parse", "Parsing")]));
}

//! The XLSForm export checked with the real tools: every default form is exported, converted
//! by pyxform (the pinned virtualenv scripts/xlsform-check installs; that script also runs ODK
//! Validate) and run in the ODK web engine, Enketo, in headless Chromium, side by side with
//! Oberih's own questionnaire page on the same generated answers (tests/browser/xlsform_diff.js).
//! These fail, never skip, when the tools are missing: scripts/test installs them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Answer sets per form.
const SETS: usize = 200;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn xls2xform() -> PathBuf {
    let path = std::env::var_os("OBERIH_XLS2XFORM")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/pyxform-4.5.0/bin/xls2xform"));
    assert!(path.is_file(), "{} is missing: run scripts/xlsform-check (scripts/test does)", path.display());
    path
}

fn default_forms() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("forms"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .filter(|id| !id.contains('.'))
        .collect();
    ids.sort();
    ids
}

/// Exports and converts one form; returns the XForm's path.
fn xform(id: &str, dir: &Path) -> PathBuf {
    let xlsx = dir.join(format!("{id}.xlsx"));
    let out = Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["form", "export", "--xlsform"])
        .arg(repo().join("forms").join(format!("{id}.toml")))
        .arg("-o")
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(out.status.success(), "export of {id} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let xml = dir.join(format!("{id}.xml"));
    let out = Command::new(xls2xform()).args(["--json", "--skip_validate"]).arg(&xlsx).arg(&xml).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = stderr
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no report from xls2xform for {id}:\n{stderr}"));
    assert_eq!(report["code"], 100, "pyxform refused {id}: {report}");
    assert_eq!(report["warnings"], serde_json::json!([]), "pyxform warned about {id}: {report}");
    xml
}

#[test]
fn default_forms_behave_the_same_in_enketo_and_in_the_questionnaire() {
    assert!(repo().join("node_modules/enketo-core").is_dir(), "this test needs `npm ci` (see scripts/test)");
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    common::build_ok(repo(), &public);
    let xforms = dir.path().join("xforms");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&xforms).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let ids = default_forms();
    assert!(ids.len() >= 2, "{ids:?}");
    for id in &ids {
        xform(id, &xforms);
    }
    let out = Command::new("node")
        .arg(repo().join("tests/browser/xlsform_diff.js"))
        .args([&public, &xforms, &work])
        .arg(SETS.to_string())
        .args(&ids)
        .output()
        .expect("this test needs node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|_| {
        panic!("no report from xlsform_diff.js:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr))
    });
    eprintln!("{}", report["forms"]);
    let failures: Vec<String> =
        report["failures"].as_array().unwrap().iter().map(|f| f.as_str().unwrap_or("").to_string()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for id in &ids {
        let stats = &report["forms"][id];
        assert_eq!(stats["sets"], SETS, "{id}: {stats}");
        // The answer sets must reach every outcome, the built-in «incomplete» included.
        let form: toml::Table =
            toml::from_str(&std::fs::read_to_string(repo().join("forms").join(format!("{id}.toml"))).unwrap()).unwrap();
        let outcomes = form["outcome"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string());
        for outcome in outcomes.chain(["incomplete".to_string()]) {
            assert!(stats["outcomes"].get(&outcome).is_some(), "{id}: no answer set reached `{outcome}`: {stats}");
        }
        assert!(stats["ended"].as_u64().unwrap() > 0, "{id}: no set ended the interview: {stats}");
        assert!(stats["invalid"].as_u64().unwrap() > 0, "{id}: no set broke a constraint: {stats}");
    }
}

fn export(form: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["form", "export", "--xlsform"])
        .arg(form)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

/// The sheets of a workbook, from its `xl/workbook.xml`.
fn sheet_names(xlsx: &Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut xml).unwrap();
    xml.split("<sheet ")
        .skip(1)
        .filter_map(|s| s.split("name=\"").nth(1)?.split('"').next())
        .map(String::from)
        .collect()
}

#[test]
fn a_new_portals_form_exports_and_what_cannot_be_exported_is_reported_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let portal = dir.path().join("portal");
    assert!(Command::new(env!("CARGO_BIN_EXE_oberih")).arg("new").arg(&portal).status().unwrap().success());
    let form = portal.join("forms/sample.toml");
    let out = dir.path().join("sample.xlsx");
    let done = export(&form, &out);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(sheet_names(&out), ["survey", "choices", "settings"]);

    // The page counts unknown answers only once the interview is over: a question cannot use them.
    let text = std::fs::read_to_string(&form).unwrap();
    let bad = text.replacen("  id = \"can_leave\"\n", "  id = \"can_leave\"\n  relevant = \"unknown_count > 0\"\n", 1);
    assert_ne!(bad, text);
    std::fs::write(&form, &bad).unwrap();
    let line = bad.lines().position(|l| l.contains("unknown_count > 0")).unwrap() + 1;
    std::fs::write(&out, "the previous workbook").unwrap();
    let done = export(&form, &out);
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("forms/sample.toml:{line}:15")), "{stderr}");
    assert!(stderr.contains("unknown_count"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the previous workbook");
}

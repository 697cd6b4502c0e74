//! `oberih records` with regional portals: a record is checked against the form as the portal its
//! `region` names builds it, so a form a region replaces or adds is accepted, and export and
//! summary read a region's form with `--region`.
//!
//! The fixture portal `tests/fixtures/sites/records` has the form `visit` (version 2026.1); its
//! region `east` replaces it with version `2026.1-east` (one more question, `crossed_border`) and
//! adds the form `shelter-intake`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::fixture;
use serde_json::{json, Value};

fn oberih(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oberih")).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn record(id: &str, form: &str, version: &str, region: Option<&str>, answers: Value) -> Value {
    json!({
        "id": id, "form": form, "version": version, "region": region, "language": "uk",
        "started": "2026-05-01T10:00:00.000Z", "finished": "2026-05-01T10:20:00.000Z",
        "answers": answers, "outcome": "refer", "indicators": [], "unanswered": [], "not_asked": []
    })
}

/// A national record of `visit`.
fn national(id: &str) -> Value {
    record(id, "visit", "2026.1", None, json!({ "owes_debt": "yes" }))
}

/// A record of `visit` as the region `east` builds it.
fn eastern(id: &str) -> Value {
    record(id, "visit", "2026.1-east", Some("east"), json!({ "owes_debt": "yes", "crossed_border": "no" }))
}

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Office {
        Office { dir: tempfile::tempdir().unwrap() }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn file(&self, name: &str, record: &Value) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, record.to_string()).unwrap();
        p
    }
    fn dataset(&self) -> String {
        self.path("office.sqlite").display().to_string()
    }
    fn add(&self, files: &[PathBuf]) -> Output {
        let root = fixture("records");
        let mut args = vec!["records", "add", "--root", root.to_str().unwrap()];
        let dataset = self.dataset();
        args.push(&dataset);
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        args.extend(names.iter().map(String::as_str));
        oberih(&args)
    }
    fn export(&self, form: &str, region: Option<&str>, out: &str) -> Output {
        let root = fixture("records");
        let dataset = self.dataset();
        let out = self.path(out).display().to_string();
        let mut args =
            vec!["records", "export", &dataset, "--root", root.to_str().unwrap(), "--form", form, "--format", "jsonl"];
        args.extend(["--out", &out]);
        if let Some(r) = region {
            args.extend(["--region", r]);
        }
        oberih(&args)
    }
    fn lines(&self, out: &str) -> Vec<Value> {
        let text = std::fs::read_to_string(self.path(out)).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

#[test]
fn a_record_of_a_form_a_region_replaces_or_adds_is_accepted() {
    let office = Office::new();
    let intake = record("c", "shelter-intake", "2026.1", Some("east"), json!({ "owes_debt": "no" }));
    let files =
        [office.file("a.json", &national("a")), office.file("b.json", &eastern("b")), office.file("c.json", &intake)];
    let o = office.add(&files);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 file(s): 3 added"), "{}", stderr(&o));
}

#[test]
fn a_record_is_checked_against_its_own_regions_form() {
    let office = Office::new();
    // The national form has no `crossed_border`.
    let mut mixed = national("n");
    mixed["answers"]["crossed_border"] = json!("no");
    // The region builds version 2026.1-east, not 2026.1.
    let mut old = eastern("e");
    old["version"] = json!("2026.1");
    // Only the region has `shelter-intake`.
    let intake = record("s", "shelter-intake", "2026.1", None, json!({ "owes_debt": "no" }));
    let files = [office.file("n.json", &mixed), office.file("e.json", &old), office.file("s.json", &intake)];
    let o = office.add(&files);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    let line =
        |file: &str| err.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file}: {err}")).to_string();
    assert!(line("n.json").contains("`crossed_border` not in the current form"), "{err}");
    assert!(line("e.json").contains("unknown version"), "{err}");
    assert!(line("s.json").contains("unknown form `shelter-intake`"), "{err}");
    assert!(line("s.json").contains("region `east` has it"), "{err}");
}

#[test]
fn a_record_of_a_region_the_portal_lacks_is_rejected() {
    let office = Office::new();
    let mut west = national("w");
    west["region"] = json!("west");
    let o = office.add(&[office.file("w.json", &west)]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("w.json (record w): unknown region `west`"), "{err}");
    assert!(!Path::new(&office.dataset()).exists() || err.contains("nothing was stored"), "{err}");
}

#[test]
fn export_reads_a_regions_form_with_region() {
    let office = Office::new();
    let files = [office.file("a.json", &national("a")), office.file("b.json", &eastern("b"))];
    assert!(office.add(&files).status.success());

    let o = office.export("visit", Some("east"), "east.jsonl");
    assert!(o.status.success(), "{}", stderr(&o));
    let east = office.lines("east.jsonl");
    assert_eq!(east.len(), 1, "{east:?}");
    assert_eq!(east[0]["answers"]["crossed_border"], "no");
    assert!(stderr(&o).contains("1 record(s) of `visit` left out"), "{}", stderr(&o));

    let o = office.export("visit", None, "national.jsonl");
    assert!(o.status.success(), "{}", stderr(&o));
    let national = office.lines("national.jsonl");
    assert_eq!(national.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), ["a"]);
    assert!(stderr(&o).contains("--region east"), "{}", stderr(&o));
}

#[test]
fn a_form_only_a_region_has_needs_its_region() {
    let office = Office::new();
    let intake = record("c", "shelter-intake", "2026.1", Some("east"), json!({ "owes_debt": "no" }));
    assert!(office.add(&[office.file("c.json", &intake)]).status.success());
    let o = office.export("shelter-intake", None, "x.jsonl");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--region east"), "{}", stderr(&o));
    let o = office.export("shelter-intake", Some("east"), "intake.jsonl");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(office.lines("intake.jsonl").len(), 1);
    let o = office.export("visit", Some("west"), "w.jsonl");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("there is no region `west`"), "{}", stderr(&o));
}

#[test]
fn a_region_that_only_translates_a_form_shares_it_with_the_national_portal() {
    // Zakarpattia adds Hungarian texts to both screening forms; their records read as the national
    // forms, so a national export or summary takes them too.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let portal = oberih::records::PortalForms::load(root).unwrap();
    let form = portal.chosen(None, "initial-screening").unwrap();
    let sharing = portal.sharing(form);
    assert!(sharing.contains(&None) && sharing.contains(&Some("zakarpatska".to_string())), "{sharing:?}");
    let hu = portal.form(Some("zakarpatska"), "initial-screening").unwrap();
    assert!(hu.title.contains_key("hu"), "the region's form carries its Hungarian texts");
}

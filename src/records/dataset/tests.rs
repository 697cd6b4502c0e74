//! The dataset as other modules read it.

use serde_json::json;

use super::*;
use crate::records::add::add_files;
use crate::records::fixture::{current, form, older};

#[test]
fn records_are_read_as_the_current_version_in_the_order_added() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = [current("a"), older("b"), current("a")]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = dir.path().join(format!("{i}.json"));
            std::fs::write(&p, r.to_string()).unwrap();
            p
        })
        .collect();
    let path = dir.path().join("d.sqlite");
    add_files(&path, &files, None, &[form()]).unwrap();
    let records = Dataset::open(&path).unwrap().records(&form()).unwrap();
    assert_eq!(records.len(), 2, "a duplicate is read once");
    assert_eq!(records[0], current("a"));
    assert_eq!((&records[1]["id"], &records[1]["version"]), (&json!("b"), &json!("2026.2")));
    let stored: Value =
        serde_json::from_str(&Dataset::open(&path).unwrap().stored("test-form").unwrap()[1].content).unwrap();
    assert_eq!(stored, older("b"), "stored as exported");
}

#[test]
fn a_missing_dataset_is_named() {
    let e = Dataset::open(Path::new("/nonexistent/d.sqlite")).err().unwrap();
    assert!(matches!(e, RecordsError::NoDataset(_)));
}

#[test]
fn a_records_digest_is_its_content_with_keys_sorted_and_never_changes() {
    // Digests are stored: one that changed would make an export added before a conflict.
    let record = json!({
        "z": [1, 2.5, -0.0, 1e300, null, true, "Кам’янець", {"b": "ʼ'\"\\\n\u{1}", "a": []}],
        "answers": {"age": 34, "help": ["legal", "shelter"], "note": "tab\there"},
        "id": "rec-1"
    });
    let reordered = json!({
        "id": "rec-1",
        "answers": {"note": "tab\there", "help": ["legal", "shelter"], "age": 34},
        "z": [1, 2.5, -0.0, 1e300, null, true, "Кам’янець", {"a": [], "b": "ʼ'\"\\\n\u{1}"}]
    });
    assert_eq!(store::digest(&record), store::digest(&reordered));
    assert_eq!(store::digest(&record), "6689bc1111aaa0424587d901ed2463ada6e3c7f0dd4639d9cae305cd9c4a5dce");
}

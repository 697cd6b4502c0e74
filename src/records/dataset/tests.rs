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

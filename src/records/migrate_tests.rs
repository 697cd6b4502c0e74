//! Reading older records through a form's migration.

use serde_json::json;

use super::*;
use crate::records::fixture::{current, form, older};

#[test]
fn a_current_record_reads_as_it_is() {
    assert_eq!(read_as_current(&form(), &current("a")).unwrap().into_owned(), current("a"));
}

#[test]
fn a_renamed_question_keeps_its_answer_under_the_new_name() {
    let r = read_as_current(&form(), &older("b")).unwrap().into_owned();
    assert_eq!(r["answers"]["work_kind"], "поле");
    assert!(r["answers"].get("job_kind").is_none());
    assert_eq!(r["version"], "2026.2");
}

#[test]
fn a_removed_multi_choice_option_shifts_nothing() {
    let r = read_as_current(&form(), &older("c")).unwrap().into_owned();
    // "housing" is gone, "lawyer" is now "legal"; no other option gains or loses a choice.
    assert_eq!(r["answers"]["help"], json!(["legal"]));
    assert!(r["answers"].get("phone_owner").is_none(), "a removed question is left out");
    let keys: Vec<&String> = r["answers"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["consent", "owes_debt", "help", "work_kind", "age", "jobs"], "the current form's order");
}

#[test]
fn a_removed_single_choice_value_reads_as_not_asked() {
    let text = crate::records::fixture::FORM.replace(
        "removed = [\"housing\"]",
        "removed = [\"housing\"]\n[migration.choices.consent]\nremoved = [\"maybe\"]",
    );
    let form = crate::forms::testing::load_ok(&text);
    let mut old = older("d");
    old["answers"]["consent"] = json!("maybe");
    let r = read_as_current(&form, &old).unwrap().into_owned();
    assert_eq!(r["answers"]["consent"], Value::Null);
    assert!(r["not_asked"].as_array().unwrap().contains(&json!("/consent")));
}

#[test]
fn a_question_the_old_version_lacked_reads_as_not_asked() {
    let mut old = older("e");
    old["answers"].as_object_mut().unwrap().remove("age");
    let r = read_as_current(&form(), &old).unwrap().into_owned();
    assert_eq!(r["answers"]["age"], Value::Null);
    assert_eq!(r["not_asked"], json!(["/owes_debt", "/jobs", "/age"]));
}

#[test]
fn pointers_follow_renames() {
    let mut old = older("f");
    old["unanswered"] = json!(["/job_kind", "/phone_owner"]);
    let r = read_as_current(&form(), &old).unwrap().into_owned();
    assert_eq!(r["unanswered"], json!(["/work_kind"]));
}

#[test]
fn a_version_with_no_migration_is_named() {
    let mut old = older("g");
    old["version"] = json!("2025.9");
    let e = read_as_current(&form(), &old).unwrap_err().to_string();
    assert!(e.contains("version `2025.9` of form `test-form` cannot be read as the current version 2026.2"), "{e}");
    assert!(e.contains("it maps `2026.1`"), "{e}");
}

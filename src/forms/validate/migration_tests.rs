//! Tests of `[[migration]]` checks: every name against the current form, at its place.

use crate::forms::testing::{load_ok, try_load, BASE};

fn with(migration: &str) -> String {
    format!("{BASE}\n{migration}")
}

/// (line, column, message) of each problem.
fn problems(text: &str) -> Vec<(usize, usize, String)> {
    match try_load(text) {
        Ok(_) => panic!("the form should be invalid"),
        Err(ds) => ds
            .iter()
            .map(|d| {
                let l = d.location.as_ref().expect("a place");
                (l.line, l.col, d.message.clone())
            })
            .collect(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn a_valid_migration_is_kept() {
    let text = with(
        "[[migration]]\nfrom = \"0\"\nrenamed = { old_age = \"age\" }\nremoved = [\"phone\"]\n\
         [migration.choices.owes_debt]\nrenamed = { si = \"yes\" }\nremoved = [\"maybe\"]\n",
    );
    let form = load_ok(&text);
    let m = form.migration_from("0").expect("the migration");
    assert_eq!(m.renamed["old_age"], "age");
    assert_eq!(m.removed, ["phone"]);
    assert_eq!(m.choices["owes_debt"].removed, ["maybe"]);
}

#[test]
fn names_must_be_the_current_forms() {
    let text = with(
        "[[migration]]\nfrom = \"0\"\nrenamed = { old_age = \"agee\" }\nremoved = [\"owes_debt\"]\n\
         [migration.choices.age]\nremoved = [\"x\"]\n[migration.choices.owes_debt]\nrenamed = { si = \"yess\" }\nremoved = [\"dk\"]\n",
    );
    let found = problems(&text);
    let expect = [
        ("renamed = { old_age", "`agee` is not a question of the current form"),
        ("removed = [\"owes_debt\"]", "`owes_debt` is a question of the current form, so it was not removed"),
        ("[migration.choices.age]", "`age` is not a choice question of the current form"),
        ("renamed = { si", "`yess` is not a choice of `owes_debt` of the current form"),
        ("removed = [\"dk\"]", "`dk` is still a choice of `owes_debt`, so it was not removed"),
    ];
    for (line, message) in expect {
        let at = line_of(&text, line);
        assert!(found.iter().any(|(l, _, m)| *l == at && m == message), "{message} on line {at}: {found:?}");
    }
    let (_, col, _) = found.iter().find(|(_, _, m)| m.contains("agee")).unwrap();
    assert_eq!(*col, "renamed = { old_age = ".len() + 1, "the column of the unknown name (its opening quote)");
}

#[test]
fn versions_must_be_older_and_mapped_once() {
    let text = with("[[migration]]\nfrom = \"1\"\n\n[[migration]]\nfrom = \"0\"\n\n[[migration]]\nfrom = \"0\"\n");
    let found: Vec<String> = problems(&text).into_iter().map(|p| p.2).collect();
    assert!(found.contains(&"a migration from `1`, the form's current version".to_string()), "{found:?}");
    assert!(found.contains(&"a second migration from version `0`".to_string()), "{found:?}");
}

#[test]
fn a_question_still_asked_cannot_be_renamed_away() {
    let text =
        with("[[migration]]\nfrom = \"0\"\nrenamed = { age = \"owes_debt\", a = \"consent\", b = \"consent\" }\n");
    let found: Vec<String> = problems(&text).into_iter().map(|p| p.2).collect();
    assert!(found.iter().any(|m| m.starts_with("`age` is still a question")), "{found:?}");
    assert!(found.contains(&"two old questions are renamed to `consent`".to_string()), "{found:?}");
}

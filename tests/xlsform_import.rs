//! `oberih form import`: XLSForm workbooks as ODK and Kobo users write them, made into form files
//! that pass the form checks and build into questionnaires; every row that cannot be imported
//! is reported by sheet and row, all at once, and nothing is written.

mod common;
mod xlsform;

use std::path::Path;
use std::process::{Command, Output};

use oberih::forms::{load, Form, FormContext};
use xlsform::{row, SheetData, SURVEY_HEADER};

fn oberih(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oberih")).current_dir(dir).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn load_uk_en(path: &Path) -> Form {
    let text = std::fs::read_to_string(path).unwrap();
    let known = |_: &str, _: Option<&str>| true;
    let ctx = FormContext {
        languages: vec!["uk".into(), "en".into()],
        default_language: "uk".into(),
        known_standard: &known,
    };
    load("imported.toml", &text, &ctx)
        .unwrap_or_else(|ds| panic!("{text}\n{}", ds.iter().map(|d| d.to_string()).collect::<String>()))
}

fn import_kobo(dir: &Path) -> Output {
    xlsform::write(dir, "kobo.xlsx", &xlsform::kobo_form());
    std::fs::create_dir_all(dir.join("forms")).unwrap();
    oberih(dir, &["form", "import", "kobo.xlsx", "-o", "forms/community-screening.toml"])
}

#[test]
fn a_kobo_form_becomes_a_form_file_that_passes_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = import_kobo(dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let form = load_uk_en(&dir.path().join("forms/community-screening.toml"));
    assert_eq!(form.id, "community-screening");
    assert_eq!(form.version, "2024061201");
    assert_eq!(form.title["uk"], "Скринінг громади");
    let ids: Vec<(&str, Vec<&str>)> =
        form.sections.iter().map(|s| (s.id.as_str(), s.questions.iter().map(|q| q.id.as_str()).collect())).collect();
    assert_eq!(
        ids,
        vec![
            ("consent_grp", vec!["consent"]),
            (
                "person",
                vec![
                    "age",
                    "minor_note",
                    "worked_abroad",
                    "problems",
                    "problem_other",
                    "debt",
                    "arrival",
                    "notes",
                    "n_problems"
                ]
            ),
        ]
    );
    let q = |id: &str| form.sections.iter().flat_map(|s| &s.questions).find(|q| q.id == id).unwrap();
    let src = |l: &Option<oberih::forms::form::Logic>| l.as_ref().map(|l| l.source.clone()).unwrap_or_default();
    assert_eq!(src(&form.sections[1].relevant), "consent = 'yes'");
    assert_eq!(src(&q("age").constraint), "(. >= 0) and (. <= 120)");
    assert_eq!(q("age").constraint_message.as_ref().unwrap()["en"], "Between 0 and 120");
    assert_eq!(q("age").hint.as_ref().unwrap()["uk"], "Повних років");
    assert!(q("age").required);
    assert_eq!(src(&q("minor_note").relevant), "age < 18");
    // Numeric choice codes become ids, and the expressions that compare with them follow.
    assert_eq!(src(&q("problems").relevant), "(worked_abroad = 'v2') or (worked_abroad = 'v3')");
    assert_eq!(src(&q("problem_other").relevant), "selected(problems, 'other')");
    // ODK's not() is true for an empty answer; so is the import.
    assert_eq!(src(&q("debt").relevant), "(not answered(problems)) or (not selected(problems, 'pay'))");
    assert_eq!(src(&q("notes").relevant), "answered(problem_other)");
    assert_eq!(q("notes").kind.as_str(), "long_text");
    assert_eq!(src(&q("n_problems").calculation), "if(count_selected(problems) > 2, 1, 0)");
    let work = q("worked_abroad").choices.clone();
    let values: Vec<(&str, bool)> = work.iter().map(|c| (c.value.as_str(), c.missing)).collect();
    assert_eq!(values, vec![("v1", false), ("v2", false), ("v3", false), ("dk", true)]);
    assert_eq!(work[3].label["en"], "Doesn’t know");
    let err = stderr(&out);
    assert!(err.contains("`start` is metadata"), "{err}");
    assert!(err.contains("Age → age"), "{err}");
}

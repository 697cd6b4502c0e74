//! A form written once should come back the same from XLSForm: a hand-written workbook gives
//! ids, types, texts in every language, choices, and logic that decides the same on the same
//! answers; a workbook Oberih exported gives back the whole form.

mod common;
mod workbooks;

use std::path::Path;
use std::process::{Command, Output};

use oberih::contacts::Directory;
use oberih::forms::file::RawText;
use oberih::forms::translations::fill_phones;
use oberih::forms::{load, Form, FormContext};
use oberih::xlsform::plain_text;
use workbooks::compare::{differences, whole_form_differences};
use workbooks::SheetData;

fn oberih(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oberih")).current_dir(dir).args(args).output().unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load_uk_en(name: &str, text: &str) -> Form {
    let known = |_: &str, _: Option<&str>| true;
    let ctx = FormContext {
        languages: vec!["uk".into(), "en".into()],
        default_language: "uk".into(),
        known_standard: &known,
    };
    load(name, text, &ctx)
        .unwrap_or_else(|ds| panic!("{name}:\n{}", ds.iter().map(|d| d.to_string()).collect::<String>()))
}

fn contacts() -> Directory {
    let mut d = Directory::default();
    let path = repo().join("data/contacts.toml");
    d.add_file("data/contacts.toml", &std::fs::read_to_string(path).unwrap()).unwrap();
    d
}

fn load_file(path: &Path) -> Form {
    load_uk_en(&path.display().to_string(), &std::fs::read_to_string(path).unwrap())
}

const HEADER: [&str; 13] = [
    "type",
    "name",
    "label::Українська (uk)",
    "label::English (en)",
    "hint::Українська (uk)",
    "hint::English (en)",
    "guidance_hint::Українська (uk)",
    "guidance_hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Українська (uk)",
    "constraint_message::English (en)",
];

/// The first two sections of the adult screening form, written by hand as an ODK user would:
/// types, names and logic typed in; the texts copied from the form so no letter differs.
fn adult_form_as_xlsform(form: &Form) -> Vec<Vec<String>> {
    let q = |id: &str| form.questions().find(|(_, q)| q.id == id).unwrap().1;
    let lang = |t: Option<&oberih::forms::LangText>, l: &str| t.and_then(|t| t.get(l)).cloned().unwrap_or_default();
    let question = |ty: &str, id: &str, logic: [&str; 3]| -> Vec<String> {
        let x = q(id);
        let required = if x.required { "yes" } else { "" };
        vec![
            ty.to_string(),
            id.to_string(),
            lang(Some(&x.label), "uk"),
            lang(Some(&x.label), "en"),
            lang(x.hint.as_ref(), "uk"),
            lang(x.hint.as_ref(), "en"),
            lang(x.guidance.as_ref(), "uk"),
            lang(x.guidance.as_ref(), "en"),
            required.to_string(),
            logic[0].to_string(),
            logic[1].to_string(),
            lang(x.constraint_message.as_ref(), "uk"),
            lang(x.constraint_message.as_ref(), "en"),
        ]
    };
    let group = |id: &str| -> Vec<String> {
        let s = form.sections.iter().find(|s| s.id == id).unwrap();
        vec!["begin_group".into(), id.into(), s.title["uk"].clone(), s.title["en"].clone()]
    };
    let end = || vec!["end_group".to_string()];
    let none = ["", "", ""];
    vec![
        HEADER.iter().map(|h| h.to_string()).collect(),
        group("start"),
        question("select_one yes_no", "consent", none),
        question("select_one yes_no_unknown", "safe_to_talk", none),
        question("select_one yes_no_unknown", "monitored", none),
        question("select_one yes_no_unknown", "danger_now", none),
        question("select_multiple urgent_needs", "urgent_needs", none),
        question("integer", "age", ["", ". >= 0 and . <= 120", ""]),
        question("select_one where_now", "where_now", none),
        end(),
        group("recruitment"),
        question("select_one found_via", "found_via", none),
        question("select_one yes_no_unknown", "paid_fee", none),
        question("select_one yes_no_unknown", "promise_differs", none),
        question("select_multiple differences", "differences", ["${promise_differs} = 'yes'", "", ""]),
        question("select_one yes_no_unknown", "forced_start", none),
        question("select_one yes_no_unknown", "no_choice", none),
        end(),
    ]
}

/// Every choice list of the form file, in the choices sheet's shape.
fn choices_sheet(text: &str) -> Vec<Vec<String>> {
    let raw = oberih::forms::file::parse(text).unwrap();
    let label = |t: &RawText, l: &str| t.0.iter().find(|(k, _)| k.get_ref() == l).unwrap().1.get_ref().clone();
    let mut rows =
        vec![["list_name", "name", "label::Українська (uk)", "label::English (en)"].map(String::from).to_vec()];
    for (list, items) in &raw.choices {
        for c in items {
            rows.push(vec![
                list.get_ref().clone(),
                c.value.get_ref().clone(),
                label(&c.label, "uk"),
                label(&c.label, "en"),
            ]);
        }
    }
    rows
}

fn borrowed(rows: &[Vec<String>]) -> Vec<Vec<&str>> {
    rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
}

#[test]
fn a_hand_written_xlsform_of_the_adult_form_imports_as_the_same_form() {
    let text = std::fs::read_to_string(repo().join("forms/initial-screening.toml")).unwrap();
    let source = load_uk_en("forms/initial-screening.toml", &text);
    let survey = adult_form_as_xlsform(&source);
    let choices = choices_sheet(&text);
    let settings = vec![
        vec!["form_title".to_string(), "version".to_string()],
        vec![source.title["uk"].clone(), source.version.clone()],
    ];
    let dir = tempfile::tempdir().unwrap();
    workbooks::write(
        dir.path(),
        "adult.xlsx",
        &[
            SheetData { name: "survey", rows: borrowed(&survey) },
            SheetData { name: "choices", rows: borrowed(&choices) },
            SheetData { name: "settings", rows: borrowed(&settings) },
        ],
    );
    let out = oberih(dir.path(), &["form", "import", "adult.xlsx", "-o", "initial-screening.toml"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let imported = load_file(&dir.path().join("initial-screening.toml"));
    let diffs = differences(&source, &imported, &["start", "recruitment"]);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    let titles = |f: &Form| f.sections.iter().map(|s| (s.id.clone(), s.title.clone())).collect::<Vec<_>>();
    assert_eq!(titles(&imported), titles(&source)[..2].to_vec());
}

/// The comparison can fail: a changed rule, text or choice is a difference.
#[test]
fn the_comparison_sees_a_changed_rule_text_or_choice() {
    let text = std::fs::read_to_string(repo().join("forms/initial-screening.toml")).unwrap();
    let source = load_uk_en("a", &text);
    assert!(differences(&source, &source, &[]).is_empty());
    let changed = [
        ("relevant = \"promise_differs = 'yes'\"", "relevant = \"promise_differs = 'no'\""),
        ("constraint = \". >= 0 and . <= 120\"", "constraint = \". >= 0 and . <= 121\""),
        ("en = \"Doesn’t know\" }, missing = true", "en = \"Doesn’t know\" }"),
        ("How old are you?", "How old are you now?"),
    ];
    for (from, to) in changed {
        assert!(text.contains(from), "{from}");
        let other = load_uk_en("b", &text.replacen(from, to, 1));
        assert!(!differences(&source, &other, &[]).is_empty(), "{to} was not seen");
    }
    // The same rule written another way is no difference.
    let same = text.replacen("constraint = \". >= 0 and . <= 120\"", "constraint = \"not (. < 0 or . > 120)\"", 1);
    let diffs = differences(&source, &load_uk_en("c", &same), &[]);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// The whole-form comparison sees a change anywhere XLSForm has no column for.
#[test]
fn the_whole_form_comparison_sees_every_part() {
    let text = std::fs::read_to_string(repo().join("forms/initial-screening.toml")).unwrap();
    let source = load_uk_en("a", &text);
    assert!(whole_form_differences(&source, &source).is_empty());
    let changed = [
        ("presentation = \"steps\"", "presentation = \"single_page\""),
        ("  htcds = \"vic_MethodOfRecruitment\"\n", ""),
        ("min = 0", "min = 1"),
        ("strength = \"weak\"", "strength = \"medium\""),
        ("dimension = \"exploitation\"", "dimension = \"coercion\""),
        ("when = \"strong_count >= 1 or medium_count >= 2\"", "when = \"strong_count >= 1 or medium_count >= 3\""),
        ("  core = true\n", ""),
        ("version = \"2026.2\"", "version = \"2026.3\""),
    ];
    for (from, to) in changed {
        assert!(text.contains(from), "{from}");
        let other = load_uk_en("b", &text.replacen(from, to, 1));
        assert!(!whole_form_differences(&source, &other).is_empty(), "{to} was not seen");
    }
}

/// Export, then import, both default forms: the whole form comes back, field by field. The only
/// differences allowed are the export's own: a contact's number stands where a text says
/// `{phone:id}`, and a link to another form keeps its text only (ODK cannot open a portal page).
#[test]
fn export_then_import_gives_back_both_default_forms() {
    let mut imported = Vec::new();
    for id in ["initial-screening", "child-screening"] {
        let dir = tempfile::tempdir().unwrap();
        let xlsx = dir.path().join(format!("{id}.xlsx"));
        let source = repo().join(format!("forms/{id}.toml"));
        let export =
            oberih(repo(), &["form", "export", "--xlsform", source.to_str().unwrap(), "-o", xlsx.to_str().unwrap()]);
        assert!(export.status.success(), "{id}: {}", String::from_utf8_lossy(&export.stderr));
        let back = dir.path().join(format!("{id}.toml"));
        let import = oberih(dir.path(), &["form", "import", xlsx.to_str().unwrap(), "-o", back.to_str().unwrap()]);
        assert!(import.status.success(), "{id}: {}", String::from_utf8_lossy(&import.stderr));
        // The export writes a contact's number where a text says `{phone:id}`; the number comes
        // back, not the placeholder.
        let mut want = load_file(&source);
        fill_phones(&mut want, &contacts());
        // A link to another form keeps its text only: ODK cannot open a portal page.
        for s in &mut want.sections {
            for q in &mut s.questions {
                for t in [&mut q.alert, &mut q.end_message].into_iter().flatten() {
                    t.values_mut().for_each(|v| *v = plain_text(v));
                }
            }
        }
        for o in &mut want.outcomes {
            for t in [Some(&mut o.label), o.action.as_mut()].into_iter().flatten() {
                t.values_mut().for_each(|v| *v = plain_text(v));
            }
        }
        let got = load_file(&back);
        let diffs = whole_form_differences(&want, &got);
        assert!(diffs.is_empty(), "{id}:\n{}", diffs.join("\n"));
        // Nothing is left out, so the import has nothing to warn about.
        let warnings = String::from_utf8_lossy(&import.stderr);
        assert!(!warnings.contains("warning"), "{id}: {warnings}");
        imported.push((id, std::fs::read_to_string(&back).unwrap()));
    }
    // The imported forms, in place of the portal's own, pass `oberih check`.
    let (first, rest) = imported.split_first().unwrap();
    let portal = portal_with(first.0, &first.1);
    for (id, text) in rest {
        std::fs::write(portal.path().join(format!("forms/{id}.toml")), text).unwrap();
    }
    let check = oberih(portal.path(), &["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// A copy of the portal, with `text` as `forms/{id}.toml` in it.
fn portal_with(id: &str, text: &str) -> tempfile::TempDir {
    let portal = tempfile::tempdir().unwrap();
    for part in ["portal.toml", "content", "regions", "themes", "data", "forms"] {
        let from = repo().join(part);
        if from.is_dir() {
            common::copy_dir(&from, &portal.path().join(part));
        } else {
            std::fs::copy(&from, portal.path().join(part)).unwrap();
        }
    }
    std::fs::write(portal.path().join(format!("forms/{id}.toml")), text).unwrap();
    portal
}

/// The form that uses every key of the form file (less an `end_if` inside its repeated section,
/// which XLSForm cannot say, and made to pass the form checks) comes back whole too: encrypted export with its key, a rule of its
/// own, plural messages, a migration, a repeat with both limits, HTCDS values on a choice.
#[test]
fn a_form_with_every_key_comes_back_whole() {
    let every = std::fs::read_to_string(repo().join("tests/fixtures/form_file/every_key.toml")).unwrap();
    let text = every
        .replace("  end_if = \"paid = 'dk'\"\n", "")
        .replace("  end_message = { uk = \"Кінець\", en = \"The end\" }\n", "")
        // The schema fixture need not pass the form checks; these two would not.
        .replace("any(paid = 'dk')", "any(jobs, paid = 'dk')")
        .replace("nope = \"no\"", "nope = \"yes\"")
        // An indicator whose XPath reads a count only the workbook has comes back as written.
        .replace(
            "[[outcome]]",
            "[[indicator]]\nid = \"unsure\"\ndimension = \"exploitation\"\nstrength = \"weak\"\n\
             when = \"unknown_count >= 2\"\nlabel = { uk = \"Багато невідомого\", en = \"Much unknown\" }\n\n[[outcome]]",
        );
    let portal = portal_with("every-key", &text);
    std::fs::create_dir_all(portal.path().join("keys")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/crypto/test-public.pem"), portal.path().join("keys/office.pem")).unwrap();
    let export = oberih(portal.path(), &["form", "export", "--xlsform", "forms/every-key.toml", "-o", "every.xlsx"]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let import = oberih(portal.path(), &["form", "import", "every.xlsx", "-o", "every-key.toml"]);
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let back = std::fs::read_to_string(portal.path().join("every-key.toml")).unwrap();
    let (want, got) = (load_uk_en("want", &text), load_uk_en("got", &back));
    let diffs = whole_form_differences(&want, &got);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    std::fs::rename(portal.path().join("every-key.toml"), portal.path().join("forms/every-key.toml")).unwrap();
    let check = oberih(portal.path(), &["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

//! `oberih form import`: XLSForm workbooks as ODK and Kobo users write them, made into form files
//! that pass the form checks and build into questionnaires; every row that cannot be imported
//! is reported by sheet and row, all at once, and nothing is written.

mod common;
mod workbooks;

use std::path::Path;
use std::process::{Command, Output};

use oberih::forms::{load, Form, FormContext};
use workbooks::{SheetData, SURVEY_HEADER};

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
    workbooks::write(dir, "kobo.xlsx", &workbooks::kobo_form());
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
    assert_eq!(
        src(&q("problems").relevant),
        "((worked_abroad = 'v2') or (worked_abroad = 'v3')) or (worked_abroad = 'minus_99')"
    );
    assert_eq!(src(&q("problem_other").relevant), "selected(problems, 'other')");
    // ODK's not() is true for an empty answer; so is the import.
    assert_eq!(src(&q("debt").relevant), "(not answered(problems)) or (not selected(problems, 'pay'))");
    assert_eq!(src(&q("notes").relevant), "answered(problem_other)");
    assert_eq!(q("notes").kind.as_str(), "long_text");
    assert_eq!(src(&q("n_problems").calculation), "if(count_selected(problems) > 2, 1, 0)");
    let work = q("worked_abroad").choices.clone();
    let values: Vec<(&str, bool)> = work.iter().map(|c| (c.value.as_str(), c.missing)).collect();
    assert_eq!(values, vec![("v1", false), ("v2", false), ("v3", false), ("dk", true), ("minus_99", false)]);
    assert_eq!(work[3].label["en"], "Doesn’t know");
    let err = stderr(&out);
    assert!(err.contains("`start` is metadata"), "{err}");
    assert!(err.contains("Age → age"), "{err}");
}

#[test]
fn the_form_file_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    assert!(import_kobo(dir.path()).status.success());
    let path = dir.path().join("forms/community-screening.toml");
    std::fs::write(&path, "# edited by hand\n").unwrap();
    let again = oberih(dir.path(), &["form", "import", "kobo.xlsx", "-o", "forms/community-screening.toml"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# edited by hand\n");
    // Nothing else is left beside it (no temporary file).
    assert_eq!(std::fs::read_dir(dir.path().join("forms")).unwrap().count(), 1);
}

/// A form with one row of each kind that cannot be imported (the row numbers are the sheet's).
fn unsupported_rows() -> Vec<SheetData<'static>> {
    let header: Vec<&str> = SURVEY_HEADER.iter().copied().chain(["choice_filter", "default", "media::image"]).collect();
    let cell = |cells: &[(&'static str, &'static str)]| -> Vec<&'static str> {
        header.iter().map(|h| cells.iter().find(|(k, _)| k == h).map_or("", |(_, v)| *v)).collect()
    };
    let label = |name: &'static str| {
        [("name", name), ("label::Українська (uk)", "Питання"), ("label::English (en)", "Question")]
    };
    let with = |ty: &'static str, name: &'static str, more: &[(&'static str, &'static str)]| {
        let mut cells = vec![("type", ty)];
        cells.extend(label(name));
        cells.extend_from_slice(more);
        cell(&cells)
    };
    let survey = vec![
        header.clone(),
        with("select_one yes_no", "ok", &[]),                                  // 2
        with("begin_repeat", "jobs", &[]),                                     // 3
        with("text", "job", &[]),                                              // 4: inside the repeat
        cell(&[("type", "end_repeat")]),                                       // 5
        with("geopoint", "where", &[]),                                        // 6
        with("image", "photo", &[]),                                           // 7
        with("select_one yes_no or_other", "other", &[]),                      // 8
        with("select_one yes_no", "filtered", &[("choice_filter", "x = 1")]),  // 9
        with("calculate", "joined", &[("calculation", "concat(${ok}, 'x')")]), // 10
        with("text", "phone", &[("constraint", "regex(., '^[0-9]+$')")]),      // 11
        with("text", "maybe", &[("required", "${ok} = 'yes'")]),               // 12
        with("time", "when", &[]),                                             // 13
        cell(&[
            ("type", "note"),
            ("name", "piped"),
            ("label::Українська (uk)", "Вам ${ok}"),
            ("label::English (en)", "You ${ok}"),
        ]), // 14
        with("integer", "count", &[("default", "3")]),                         // 15
        with("note", "picture", &[("media::image", "a.png")]),                 // 16
        with("text", "path", &[("relevant", "/data/ok = 'yes'")]),             // 17
    ];
    let choices = vec![
        vec!["list_name", "name", "label::Українська (uk)", "label::English (en)"],
        vec!["yes_no", "yes", "Так", "Yes"],
        vec!["yes_no", "no", "Ні", "No"],
    ];
    vec![SheetData { name: "survey", rows: survey }, SheetData { name: "choices", rows: choices }]
}

/// Each row of [`unsupported_rows`] is reported with the words its report needs, all at once.
#[test]
fn every_unsupported_row_is_reported_by_sheet_and_row_at_once() {
    let dir = tempfile::tempdir().unwrap();
    workbooks::write(dir.path(), "bad.xlsx", &unsupported_rows());
    let out = oberih(dir.path(), &["form", "import", "bad.xlsx", "-o", "bad.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("bad.toml").exists());
    let err = stderr(&out);
    let expect = [
        (3, "repeats are not imported"),
        (6, "locations are not recorded"),
        (7, "never files or media"),
        (8, "`or_other` is not supported"),
        (9, "cascading choices"),
        (10, "`concat()`"),
        (11, "`regex()`"),
        (12, "a condition in `required`"),
        (13, "there is no time question"),
        (14, "shows an answer"),
        (15, "questions start empty"),
        (16, "media are not supported"),
        (17, "XPath paths"),
    ];
    for (row, words) in expect {
        let report =
            err.split("error: ").find(|e| e.contains(&format!("sheet survey, row {row},")) && e.contains(words));
        assert!(report.is_some(), "row {row} ({words}) not reported:\n{err}");
    }
    assert!(!err.contains("row 2,") && !err.contains("row 4,"), "{err}");
    assert!(err.contains("help:"), "{err}");
    // In the sheet's order, as a person works through it.
    assert!(err.find("row 3,").unwrap() < err.find("row 17,").unwrap(), "{err}");
    insta::assert_snapshot!(err);
}

/// The imported form in a portal: the build accepts it and writes its questionnaire, whose page
/// parses and carries every imported question, and its paper form.
#[test]
fn an_imported_form_builds_into_a_questionnaire() {
    let site = common::copy_fixture("basic");
    let out = import_kobo(site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let check = oberih(site.path(), &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let public = tempfile::tempdir().unwrap();
    common::build_ok(site.path(), public.path());
    let page = public.path().join("uk/forms/community-screening/index.html");
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(doc.select(&common::sel("form#form")).count(), 1);
    let title: String = doc.select(&common::sel("title")).next().unwrap().text().collect();
    assert_eq!(title, "Скринінг громади");
    let block: String = doc.select(&common::sel("script#form-data")).next().expect("data block").text().collect();
    let data = oberih::forms::packed::unpack(&block).unwrap();
    let ids: Vec<&str> = data["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10, "{ids:?}");
    assert!(ids.contains(&"age") && ids.contains(&"n_problems"), "{ids:?}");
    assert!(public.path().join("en/forms/community-screening/print.html").is_file());
    assert!(common::check_output(public.path()).is_empty(), "{:?}", common::check_output(public.path()));
}

/// Plain `label` columns are in `default_language`; a portal needs its own languages in every
/// text, and a row without one of the form's languages is reported at that row.
#[test]
fn languages_come_from_the_columns_and_a_portal_needs_all_of_its_own() {
    let survey = |label_en: &'static str| SheetData {
        name: "survey",
        rows: vec![
            vec!["type", "name", "label", "hint"],
            vec!["integer", "age", "How old are you?", "Years"],
            vec!["text", "town", label_en, ""],
        ],
    };
    let settings = |lang: &'static str| SheetData {
        name: "settings",
        rows: vec![vec!["form_title", "default_language"], vec!["Check", lang]],
    };
    let dir = tempfile::tempdir().unwrap();
    // English only, outside a portal: imported in English.
    workbooks::write(dir.path(), "en.xlsx", &[survey("Which town?"), settings("English (en)")]);
    let out = oberih(dir.path(), &["form", "import", "en.xlsx", "-o", "english-only.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("english-only.toml")).unwrap();
    assert!(text.contains("label.en = \"How old are you?\"") && !text.contains(".uk"), "{text}");
    // Into a Ukrainian and English portal: refused, with the columns to add.
    let site = common::copy_fixture("basic");
    std::fs::create_dir_all(site.path().join("forms")).unwrap();
    workbooks::write(site.path(), "en.xlsx", &[survey("Which town?"), settings("English (en)")]);
    let out = oberih(site.path(), &["form", "import", "en.xlsx", "-o", "forms/english-only.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no texts in `uk`") && err.contains("label::Українська (uk)"), "{err}");
    assert!(!site.path().join("forms/english-only.toml").exists());
    // No default language for plain columns: said on the settings sheet.
    workbooks::write(dir.path(), "plain.xlsx", &[survey("Which town?")]);
    let err = stderr(&oberih(dir.path(), &["form", "import", "plain.xlsx", "-o", "plain.toml"]));
    assert!(
        err.contains("sheet settings") && err.contains("`label` (survey)") && err.contains("default_language"),
        "{err}"
    );
    // One language left out of a row.
    let two = SheetData {
        name: "survey",
        rows: vec![
            vec!["type", "name", "label::Українська (uk)", "label::English (en)"],
            vec!["text", "town", "Яке місто?", "Which town?"],
            vec!["text", "street", "Яка вулиця?", ""],
        ],
    };
    workbooks::write(dir.path(), "two.xlsx", &[two]);
    let err = stderr(&oberih(dir.path(), &["form", "import", "two.xlsx", "-o", "two.toml"]));
    assert!(
        err.contains("sheet survey, row 3, column D (label::English (en))") && err.contains("no `en` text"),
        "{err}"
    );
}

/// What only the form checks can see (here a number compared with a text) is reported, and
/// nothing is written.
#[test]
fn what_only_the_form_checks_see_stops_the_import() {
    let survey = SheetData {
        name: "survey",
        rows: vec![
            vec!["type", "name", "label::English (en)", "relevant"],
            vec!["integer", "age", "Age", ""],
            vec!["text", "school", "School", "${age} = 'young'"],
        ],
    };
    let dir = tempfile::tempdir().unwrap();
    workbooks::write(dir.path(), "typed.xlsx", &[survey]);
    let out = oberih(dir.path(), &["form", "import", "typed.xlsx", "-o", "typed.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("typed.toml:") && err.contains("nothing was written"), "{err}");
    assert!(!dir.path().join("typed.toml").exists());
}

/// A nested group is a section of its own, shown only when every enclosing group is; the rows
/// of the outer group after it go on in a section of their own.
#[test]
fn nested_groups_become_sections_whose_relevant_joins_the_enclosing_groups() {
    let survey = SheetData {
        name: "survey",
        rows: vec![
            vec!["type", "name", "label::English (en)", "relevant"],
            vec!["select_one yn", "consent", "Consent?", ""],
            vec!["begin_group", "outer", "Outer", "${consent} = 'yes'"],
            vec!["select_one yn", "ask", "Ask more?", ""],
            vec!["begin_group", "inner", "Inner", "${ask} = 'yes'"],
            vec!["text", "more", "More", ""],
            vec!["end_group", "", "", ""],
            vec!["text", "after", "After", ""],
            vec!["end_group", "", "", ""],
            vec!["text", "last", "Last", ""],
        ],
    };
    let choices = SheetData {
        name: "choices",
        rows: vec![vec!["list_name", "name", "label::English (en)"], vec!["yn", "yes", "Yes"], vec!["yn", "no", "No"]],
    };
    let dir = tempfile::tempdir().unwrap();
    workbooks::write(dir.path(), "nested.xlsx", &[survey, choices]);
    let out = oberih(dir.path(), &["form", "import", "nested.xlsx", "-o", "nested.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("nested.toml")).unwrap();
    let known = |_: &str, _: Option<&str>| true;
    let ctx = FormContext { languages: vec!["en".into()], default_language: "en".into(), known_standard: &known };
    let form = load("nested.toml", &text, &ctx).unwrap_or_else(|ds| panic!("{ds:?}"));
    let sections: Vec<(&str, Option<&str>, Vec<&str>)> = form
        .sections
        .iter()
        .map(|s| {
            let relevant = s.relevant.as_ref().map(|l| l.source.as_str());
            (s.id.as_str(), relevant, s.questions.iter().map(|q| q.id.as_str()).collect())
        })
        .collect();
    assert_eq!(
        sections,
        vec![
            ("main", None, vec!["consent"]),
            ("outer", Some("consent = 'yes'"), vec!["ask"]),
            ("inner", Some("(consent = 'yes') and (ask = 'yes')"), vec!["more"]),
            ("outer_2", Some("consent = 'yes'"), vec!["after"]),
            ("more_2", None, vec!["last"]),
        ]
    );
}

/// The columns the export adds are read from any workbook: `style = pages` asks for one section
/// per screen, a `missing` column says which choices are «missing» (a `dk` it leaves unmarked is
/// an ordinary choice), and the `oberih` setting holds the form file's own tables, checked as
/// TOML.
#[test]
fn the_columns_oberih_adds_are_read_from_any_workbook() {
    let with = |style: &'static str, tables: &'static str| {
        let mut sheets = workbooks::kobo_form();
        for row in &mut sheets[1].rows {
            row.push(if row[0] == "list_name" {
                "missing"
            } else if row[1] == "-99" {
                "yes"
            } else {
                ""
            });
        }
        sheets[2].rows[0].extend(["style", "oberih"]);
        sheets[2].rows[1].extend([style, tables]);
        sheets
    };
    let dir = tempfile::tempdir().unwrap();
    let description = "[form]\ndescription = { uk = \"Опис\", en = \"About\" }\n";
    workbooks::write(dir.path(), "pages.xlsx", &with("pages", ""));
    workbooks::write(dir.path(), "tables.xlsx", &with("", description));
    workbooks::write(dir.path(), "broken.xlsx", &with("", "[form\n"));
    let out = oberih(dir.path(), &["form", "import", "pages.xlsx", "-o", "pages.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let form = load_uk_en(&dir.path().join("pages.toml"));
    assert_eq!(form.privacy.presentation, Some(oberih::forms::form::Presentation::Steps));
    let work = form.question("worked_abroad").unwrap();
    let missing: Vec<&str> = work.choices.iter().filter(|c| c.missing).map(|c| c.value.as_str()).collect();
    assert_eq!(missing, ["minus_99"]);
    let out = oberih(dir.path(), &["form", "import", "tables.xlsx", "-o", "tables.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let form = load_uk_en(&dir.path().join("tables.toml"));
    assert_eq!(form.description.as_ref().map(|d| d["en"].as_str()), Some("About"));
    assert_eq!(form.privacy.presentation, None);
    let out = oberih(dir.path(), &["form", "import", "broken.xlsx", "-o", "broken.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("sheet settings, row 2, column F (oberih)") && err.contains("is not TOML"), "{err}");
    assert!(!dir.path().join("broken.toml").exists());
}

/// A choice whose list or name has letters an id cannot hold is reported at its row, naming
/// which of the two it is.
#[test]
fn a_choice_that_cannot_be_made_an_id_is_reported_at_its_row() {
    let survey = vec![
        SURVEY_HEADER.to_vec(),
        workbooks::row(&[
            ("type", "select_one yes_no"),
            ("name", "ok"),
            ("label::Українська (uk)", "Питання"),
            ("label::English (en)", "Question"),
        ]),
    ];
    let choices = vec![
        vec!["list_name", "name", "label::Українська (uk)", "label::English (en)"],
        vec!["yes_no", "yes", "Так", "Yes"],
        vec!["так_ні", "no", "Ні", "No"],
        vec!["yes_no", "ні", "Ні", "No"],
    ];
    let dir = tempfile::tempdir().unwrap();
    workbooks::write(
        dir.path(),
        "names.xlsx",
        &[SheetData { name: "survey", rows: survey }, SheetData { name: "choices", rows: choices }],
    );
    let out = oberih(dir.path(), &["form", "import", "names.xlsx", "-o", "names.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for (row, words) in [(3, "`так_ні` cannot be made an id"), (4, "`ні` cannot be made a choice value")] {
        let report =
            err.split("error: ").find(|e| e.contains(&format!("sheet choices, row {row},")) && e.contains(words));
        assert!(report.is_some(), "row {row} ({words}) not reported:\n{err}");
    }
}

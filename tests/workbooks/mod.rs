//! XLSForm workbooks written for the tests with `rust_xlsxwriter`, as ODK and Kobo users write
//! them: a `survey`, a `choices` and a `settings` sheet, a header row, then one row per line.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

pub mod compare;

/// A sheet: its header, then its rows (cells by position; "" leaves a cell empty).
pub struct SheetData<'a> {
    pub name: &'a str,
    pub rows: Vec<Vec<&'a str>>,
}

/// Writes the sheets into `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, sheets: &[SheetData]) -> PathBuf {
    let mut book = Workbook::new();
    for s in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(s.name).unwrap();
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    let path = dir.join(name);
    book.save(&path).unwrap();
    path
}

pub const SURVEY_HEADER: [&str; 13] = [
    "type",
    "name",
    "label::Українська (uk)",
    "label::English (en)",
    "hint::Українська (uk)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Українська (uk)",
    "constraint_message::English (en)",
    "calculation",
    "appearance",
];

/// A survey row by column name, the rest left empty.
pub fn row<'a>(cells: &[(&str, &'a str)]) -> Vec<&'a str> {
    SURVEY_HEADER.iter().map(|h| cells.iter().find(|(k, _)| k == h).map_or("", |(_, v)| *v)).collect()
}

/// A community worker's screening form as a Kobo user would write it: metadata rows, groups,
/// skips, labels in Ukrainian and English, a constraint with its message, a calculate, numeric
/// choice codes and a "doesn't know" choice.
pub fn kobo_form() -> Vec<SheetData<'static>> {
    vec![
        SheetData { name: "survey", rows: kobo_survey() },
        SheetData { name: "choices", rows: kobo_choices() },
        SheetData { name: "settings", rows: kobo_settings() },
    ]
}

/// The survey sheet: metadata, the consent group, then the group about the person.
fn kobo_survey() -> Vec<Vec<&'static str>> {
    let mut survey = vec![SURVEY_HEADER.to_vec()];
    survey.extend([
        row(&[("type", "start"), ("name", "start")]),
        row(&[("type", "end"), ("name", "end")]),
        row(&[
            ("type", "begin_group"),
            ("name", "consent_grp"),
            ("label::Українська (uk)", "Згода"),
            ("label::English (en)", "Consent"),
        ]),
        row(&[
            ("type", "select_one yes_no"),
            ("name", "consent"),
            ("label::Українська (uk)", "Чи згодні ви поговорити?"),
            ("label::English (en)", "Do you agree to talk?"),
            ("required", "yes"),
        ]),
        row(&[("type", "end_group")]),
    ]);
    survey.extend(person_rows());
    survey.extend(work_rows());
    survey.push(row(&[("type", "end_group")]));
    survey
}

/// The group about the person: its age (required, constrained, with a hint) and a note for minors.
fn person_rows() -> Vec<Vec<&'static str>> {
    vec![
        row(&[
            ("type", "begin_group"),
            ("name", "person"),
            ("label::Українська (uk)", "Про особу"),
            ("label::English (en)", "About the person"),
            ("relevant", "${consent} = 'yes'"),
        ]),
        row(&[
            ("type", "integer"),
            ("name", "Age"),
            ("label::Українська (uk)", "Скільки вам років?"),
            ("label::English (en)", "How old are you?"),
            ("hint::Українська (uk)", "Повних років"),
            ("hint::English (en)", "In full years"),
            ("required", "true"),
            ("constraint", ". >= 0 and . <= 120"),
            ("constraint_message::Українська (uk)", "Від 0 до 120"),
            ("constraint_message::English (en)", "Between 0 and 120"),
        ]),
        row(&[
            ("type", "note"),
            ("name", "minor_note"),
            ("label::Українська (uk)", "Особа неповнолітня: перейдіть до форми для дитини."),
            ("label::English (en)", "The person is a minor: use the child form."),
            ("relevant", "${Age} < 18"),
        ]),
    ]
}

/// Work abroad and what went wrong: numeric choice codes, skips on them, a calculate.
fn work_rows() -> Vec<Vec<&'static str>> {
    vec![
        row(&[
            ("type", "select_one work"),
            ("name", "worked_abroad"),
            ("label::Українська (uk)", "Де ви працювали?"),
            ("label::English (en)", "Where did you work?"),
        ]),
        row(&[
            ("type", "select_multiple problems"),
            ("name", "problems"),
            ("label::Українська (uk)", "Що було не так?"),
            ("label::English (en)", "What went wrong?"),
            ("relevant", "${worked_abroad} = 2 or ${worked_abroad} = '3' or ${worked_abroad} = -99"),
        ]),
        row(&[
            ("type", "text"),
            ("name", "problem_other"),
            ("label::Українська (uk)", "Що саме?"),
            ("label::English (en)", "What exactly?"),
            ("relevant", "selected(${problems}, 'other')"),
        ]),
        row(&[
            ("type", "decimal"),
            ("name", "debt"),
            ("label::Українська (uk)", "Сума боргу"),
            ("label::English (en)", "Amount of the debt"),
            ("relevant", "not(selected(${problems}, 'pay'))"),
            ("constraint", ". > 0"),
        ]),
        row(&[
            ("type", "date"),
            ("name", "arrival"),
            ("label::Українська (uk)", "Коли ви повернулися?"),
            ("label::English (en)", "When did you come back?"),
        ]),
        row(&[
            ("type", "text"),
            ("name", "notes"),
            ("label::Українська (uk)", "Нотатки"),
            ("label::English (en)", "Notes"),
            ("appearance", "multiline"),
            ("relevant", "${problem_other} != ''"),
        ]),
        row(&[
            ("type", "calculate"),
            ("name", "n_problems"),
            ("calculation", "if(count-selected(${problems}) > 2, 1, 0)"),
        ]),
    ]
}

fn kobo_choices() -> Vec<Vec<&'static str>> {
    vec![
        vec!["list_name", "name", "label::Українська (uk)", "label::English (en)"],
        vec!["yes_no", "yes", "Так", "Yes"],
        vec!["yes_no", "no", "Ні", "No"],
        vec!["work", "1", "В Україні", "In Ukraine"],
        vec!["work", "2", "За кордоном", "Abroad"],
        vec!["work", "3", "І там, і там", "Both"],
        vec!["work", "dk", "Не знає", "Doesn’t know"],
        vec!["work", "-99", "Не хоче відповідати", "Prefers not to say"],
        vec!["problems", "pay", "Не платили", "Not paid"],
        vec!["problems", "papers", "Забрали документи", "Papers taken"],
        vec!["problems", "other", "Інше", "Other"],
    ]
}

fn kobo_settings() -> Vec<Vec<&'static str>> {
    vec![
        vec!["form_title", "form_id", "version", "default_language"],
        vec!["Скринінг громади", "community_screening", "2024061201", "Українська (uk)"],
    ]
}

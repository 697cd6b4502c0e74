//! The export as a table: one row per record, stable columns from the form's current version.
//!
//! Cells keep four states apart: an answer (its stable code or value), asked and left blank (an
//! empty cell), not asked ([`NOT_ASKED`]), and the form's "doesn't know" / "prefers not to say",
//! which are choice codes like any other. A multiple choice is one column of codes joined by `;`
//! and one 0/1 column per option. A repeated section is its entry count and its entries as JSON.

use std::borrow::Cow;

use crate::forms::form::{text, Question, QuestionType, Section};
use crate::forms::Form;
use crate::records::dataset::BorrowedRecord;
use crate::records::json::Json;

/// What a cell of a question that was not asked holds. Upper case, so it can never be a choice
/// code (codes are lower case).
pub const NOT_ASKED: &str = "NOT_ASKED";

/// One cell; text borrows from the record where it can, as an export reads many records.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Asked and left blank, or a field with no value.
    Empty,
    NotAsked,
    Text(Cow<'a, str>),
    Number(f64),
}

/// One column: its stable key, its header label, and what it holds (for the description sheet).
#[derive(Debug, Clone)]
pub struct Column {
    pub key: String,
    pub label: String,
    pub holds: String,
    what: What,
}

#[derive(Debug, Clone)]
enum What {
    Field(&'static str),
    List(&'static str),
    SourceVersion,
    Conflict,
    Answer(String),
    Option(String, String),
    Count(String),
    Entries(String),
}

/// The fixed columns: key, Ukrainian label, English label, what it holds (English and Ukrainian).
const FIXED: &[(&str, &str, &str, &str, &str)] = &[
    (
        "id",
        "Ідентифікатор запису",
        "Record id",
        "the id the questionnaire gave the record",
        "ідентифікатор, який дав запису опитувальник",
    ),
    ("form", "Форма", "Form", "the form's id", "ідентифікатор форми"),
    (
        "version",
        "Версія форми",
        "Form version",
        "the version the record is read as (the current one)",
        "версія, у якій прочитано запис (поточна)",
    ),
    (
        "source_version",
        "Версія при експорті",
        "Exported version",
        "the version the record was exported with",
        "версія, з якою запис експортовано",
    ),
    (
        "region",
        "Регіон",
        "Region",
        "the region's slug; empty for the national portal",
        "код регіону; порожньо для національного порталу",
    ),
    ("language", "Мова", "Language", "the interview's language", "мова опитування"),
    ("started", "Початок", "Started", "when the interview started (UTC)", "коли почалося опитування (UTC)"),
    (
        "finished",
        "Завершення",
        "Finished",
        "when it finished (UTC); empty if it was not finished",
        "коли завершилося (UTC); порожньо, якщо не завершено",
    ),
    ("outcome", "Результат", "Outcome", "the outcome's code", "код результату"),
    (
        "indicators",
        "Індикатори",
        "Indicators",
        "the codes of the indicators found, joined by ;",
        "коди виявлених індикаторів через ;",
    ),
    (
        "unanswered",
        "Без відповіді",
        "Unanswered",
        "indicator questions asked and left blank (JSON Pointers, joined by ;)",
        "питання-індикатори без відповіді (JSON Pointer через ;)",
    ),
    (
        "conflict",
        "Конфлікт",
        "Conflict",
        "1 if another record has the same id and other content",
        "1, якщо інший запис має той самий ідентифікатор і інший зміст",
    ),
];

fn uk_en<'a>(lang: &str, uk: &'a str, en: &'a str) -> &'a str {
    if lang == "uk" {
        uk
    } else {
        en
    }
}

/// Every column of `form`'s export, labels and descriptions in `lang`.
pub fn columns(form: &Form, lang: &str) -> Vec<Column> {
    let mut out: Vec<Column> = FIXED
        .iter()
        .map(|(key, uk, en, holds_en, holds_uk)| {
            let what = match *key {
                "source_version" => What::SourceVersion,
                "conflict" => What::Conflict,
                "indicators" => What::List("indicators"),
                "unanswered" => What::List("unanswered"),
                k => What::Field(k),
            };
            let label = uk_en(lang, uk, en).to_string();
            Column { key: key.to_string(), label, holds: uk_en(lang, holds_uk, holds_en).to_string(), what }
        })
        .collect();
    for s in &form.sections {
        match s.repeat {
            Some(_) => out.extend(repeat_columns(s, lang)),
            None => {
                for q in s.questions.iter().filter(|q| q.kind != QuestionType::Note) {
                    out.extend(question_columns(q, lang));
                }
            }
        }
    }
    out
}

fn question_label(q: &Question, lang: &str) -> String {
    match q.number {
        Some(n) => format!("{n}. {}", text(&q.label, lang)),
        None => text(&q.label, lang).to_string(),
    }
}

fn question_columns(q: &Question, lang: &str) -> Vec<Column> {
    let label = question_label(q, lang);
    let codes =
        || q.choices.iter().map(|c| format!("{} = {}", c.value, text(&c.label, lang))).collect::<Vec<_>>().join("; ");
    let holds = match q.kind {
        QuestionType::Choice => format!("{}: {}", uk_en(lang, "код відповіді", "the answer's code"), codes()),
        QuestionType::MultiChoice => {
            format!("{}: {}", uk_en(lang, "коди відповідей через ;", "the answers' codes joined by ;"), codes())
        }
        QuestionType::Integer | QuestionType::Decimal => uk_en(lang, "число", "a number").to_string(),
        QuestionType::Date => uk_en(lang, "дата (РРРР-ММ-ДД)", "a date (YYYY-MM-DD)").to_string(),
        QuestionType::Calculate => uk_en(lang, "обчислене значення", "a calculated value").to_string(),
        _ => uk_en(lang, "текст", "text").to_string(),
    };
    let mut out = vec![Column { key: q.id.clone(), label: label.clone(), holds, what: What::Answer(q.id.clone()) }];
    if q.kind == QuestionType::MultiChoice {
        for c in &q.choices {
            out.push(Column {
                key: format!("{}.{}", q.id, c.value),
                label: format!("{label}: {}", text(&c.label, lang)),
                holds: format!(
                    "1 = {}, 0 = {}",
                    uk_en(lang, "обрано", "chosen"),
                    uk_en(lang, "не обрано", "not chosen")
                ),
                what: What::Option(q.id.clone(), c.value.clone()),
            });
        }
    }
    out
}

fn repeat_columns(s: &Section, lang: &str) -> Vec<Column> {
    let title = text(&s.title, lang);
    vec![
        Column {
            key: format!("{}.count", s.id),
            label: format!("{title}: {}", uk_en(lang, "кількість записів", "number of entries")),
            holds: uk_en(lang, "число записів розділу", "how many entries the section has").to_string(),
            what: What::Count(s.id.clone()),
        },
        Column {
            key: s.id.clone(),
            label: title.to_string(),
            holds: uk_en(lang, "записи розділу як JSON", "the section's entries as JSON").to_string(),
            what: What::Entries(s.id.clone()),
        },
    ]
}

/// One record's row.
pub fn row<'a>(columns: &'a [Column], r: &'a BorrowedRecord) -> Vec<Cell<'a>> {
    // The ids of the questions not asked (the record names them by their paths, `/id`): a
    // record has a few, so a list is quicker to search than a set is to build.
    let not_asked: Vec<&str> = r
        .record
        .get("not_asked")
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()?.strip_prefix('/')).collect())
        .unwrap_or_default();
    let mut answers = r.record.get("answers").members();
    // An answer's state when it is null: not asked, or asked and left blank.
    let absent = |id: &str| if not_asked.contains(&id) { Cell::NotAsked } else { Cell::Empty };
    let mut cells = Vec::with_capacity(columns.len());
    for c in columns {
        cells.push(match &c.what {
            What::Field(k) => scalar(r.record.get(k)),
            What::List(k) => joined(r.record.get(k)),
            What::SourceVersion => Cell::Text(Cow::Borrowed(r.source_version)),
            What::Conflict => Cell::Number(if r.conflict { 1.0 } else { 0.0 }),
            What::Answer(id) => match answers.get(id) {
                Json::Null => absent(id),
                v @ Json::Array(_) => joined(v),
                v => scalar(v),
            },
            What::Option(id, value) => match answers.get(id) {
                Json::Array(items) => Cell::Number(if items.iter().any(|i| i == value.as_str()) { 1.0 } else { 0.0 }),
                _ => absent(id),
            },
            What::Count(id) => match answers.get(id) {
                Json::Array(items) => Cell::Number(items.len() as f64),
                _ => absent(id),
            },
            What::Entries(id) => match answers.get(id) {
                v @ Json::Array(items) if !items.is_empty() => Cell::Text(Cow::Owned(v.text())),
                Json::Array(_) => Cell::Empty,
                _ => absent(id),
            },
        });
    }
    cells
}

fn scalar<'a>(v: &'a Json) -> Cell<'a> {
    match v {
        Json::Null => Cell::Empty,
        Json::String(s) => Cell::Text(Cow::Borrowed(s)),
        Json::Number(n) => n.as_f64().map_or_else(|| Cell::Text(Cow::Owned(n.to_string())), Cell::Number),
        Json::Bool(b) => Cell::Number(if *b { 1.0 } else { 0.0 }),
        other => Cell::Text(Cow::Owned(other.text())),
    }
}

fn joined<'a>(v: &'a Json) -> Cell<'a> {
    match v {
        Json::Array(items) => Cell::Text(Cow::Owned(
            items.iter().map(|i| i.as_str().map_or_else(|| i.text(), str::to_string)).collect::<Vec<_>>().join(";"),
        )),
        other => scalar(other),
    }
}

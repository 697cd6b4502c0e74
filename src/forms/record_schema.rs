//! JSON Schema (2020-12) of the record a form exports, for systems that import screening records.
//!
//! The record: `id` (a random UUID the questionnaire makes when it first exports an interview and
//! keeps until the form is cleared, so the same interview exported twice is the same record),
//! `form` and `version` (constants), `region` (the slug of the regional portal the questionnaire
//! came from, `null` for the national one), `language`, `started`/`finished` timestamps,
//! `answers` by question id (a repeated section is an array of entry objects), the `outcome` id
//! (one of the form's, or `incomplete`, which the questionnaire shows instead of the catch-all
//! while the screening is incomplete), the ids of the fired `indicators`, and `unanswered`: the
//! indicator questions that were asked and left blank, each a JSON Pointer (RFC 6901) into
//! `answers` (`/owes_debt`, `/jobs/0/job_pay`). An answer is `null` when the question was not
//! asked or not answered, and `outcome` is `null` while none has been worked out.
//!
//! Not asked and left blank: both are `null` in `answers`; `not_asked` lists, as JSON Pointers
//! into `answers`, every question that was not asked (its condition was false, its section was
//! off, or the interview had ended before it). A whole repeated section that was not asked is
//! one pointer (`/jobs`). A `null` answer that `not_asked` does not name was asked and left
//! blank. "Doesn't know" and "prefers not to say" are choice values, never `null`. Exports made
//! before `not_asked` existed lack it (and `region`); they cannot tell the two apart. Titles and
//! descriptions are in the requested language; values are the stable codes, never labels.

use serde_json::{json, Map, Value};

use super::expr::Type;
use super::form::{text, Choice, Form, Question, QuestionType, Section, INCOMPLETE};

pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema of `form`'s exported record, with titles in `lang`; `t` gives the portal's UI
/// strings (`forms.*`) in `lang`.
pub fn record_schema(form: &Form, lang: &str, t: &dyn Fn(&str) -> String) -> Value {
    let languages: Vec<&String> = form.title.keys().collect();
    let mut outcomes: Vec<Value> = form.outcomes.iter().map(|o| coded(&o.id, text(&o.label, lang))).collect();
    outcomes.push(coded(INCOMPLETE, &t("forms.incomplete.label")));
    // `null` while no outcome has been worked out (an interview stopped before its end).
    outcomes.push(json!({ "type": "null" }));
    let indicators: Vec<Value> = form.indicators.iter().map(|i| coded(&i.id, text(&i.label, lang))).collect();
    json!({
        "$schema": DIALECT,
        "$id": format!("urn:oberih:form:{}:{}", form.id, form.version),
        "title": text(&form.title, lang),
        "type": "object",
        "required": ["id", "form", "version", "language", "started", "answers", "outcome", "indicators", "unanswered"],
        "additionalProperties": false,
        "properties": {
            "id": { "type": "string", "minLength": 1, "maxLength": 100 },
            "form": { "const": form.id },
            "version": { "const": form.version },
            "region": { "type": ["string", "null"] },
            "language": { "enum": languages },
            "started": { "type": "string", "format": "date-time" },
            "finished": { "type": ["string", "null"], "format": "date-time" },
            "answers": answers(form, lang),
            "outcome": { "oneOf": outcomes },
            "indicators": {
                "type": "array",
                "uniqueItems": true,
                "items": one_of(indicators)
            },
            "unanswered": unanswered(form, lang),
            "not_asked": {
                "type": "array",
                "uniqueItems": true,
                "items": { "type": "string" }
            }
        }
    })
}

/// `unanswered`: JSON Pointers into `answers` to the indicator questions left blank; one in a
/// repeated section names its entry, counted from 0.
fn unanswered(form: &Form, lang: &str) -> Value {
    let ids = form.indicator_questions();
    let pointers: Vec<Value> = form
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().filter(|q| ids.contains(&q.id)).map(move |q| (s, q)))
        .map(|(s, q)| {
            let title = text(&q.label, lang);
            match s.repeat {
                None => json!({ "const": format!("/{}", q.id), "title": title }),
                Some(_) => json!({
                    "type": "string",
                    "pattern": format!("^/{}/(0|[1-9][0-9]*)/{}$", s.id, q.id),
                    "title": title
                }),
            }
        })
        .collect();
    json!({
        "type": "array",
        "uniqueItems": true,
        "items": one_of(pointers)
    })
}

/// Any one of `options`; none at all when there are none (`oneOf` must not be empty), as for the
/// indicators of a form that has none.
fn one_of(options: Vec<Value>) -> Value {
    if options.is_empty() {
        Value::Bool(false)
    } else {
        json!({ "oneOf": options })
    }
}

/// `answers`: one property per question; a repeated section is an array of entries.
fn answers(form: &Form, lang: &str) -> Value {
    let mut props = Map::new();
    for section in &form.sections {
        match section.repeat {
            Some(_) => {
                props.insert(section.id.clone(), repeat(section, lang));
            }
            None => props.extend(questions(section, lang)),
        }
    }
    json!({ "type": "object", "additionalProperties": false, "properties": props })
}

fn questions(section: &Section, lang: &str) -> Map<String, Value> {
    section.questions.iter().filter(|q| q.kind != QuestionType::Note).map(|q| (q.id.clone(), answer(q, lang))).collect()
}

fn repeat(section: &Section, lang: &str) -> Value {
    let mut schema = json!({
        "title": text(&section.title, lang),
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "additionalProperties": false,
            "properties": questions(section, lang)
        }
    });
    if let (Some(r), Some(obj)) = (section.repeat, schema.as_object_mut()) {
        obj.insert("minItems".into(), json!(r.min));
        if let Some(max) = r.max {
            obj.insert("maxItems".into(), json!(max));
        }
    }
    schema
}

/// One answer's schema; every answer may be `null` (not asked, or not answered).
fn answer(q: &Question, lang: &str) -> Value {
    let mut schema = match q.kind {
        QuestionType::Text | QuestionType::LongText => json!({ "type": ["string", "null"] }),
        QuestionType::Integer => json!({ "type": ["integer", "null"] }),
        QuestionType::Decimal => json!({ "type": ["number", "null"] }),
        QuestionType::Date => json!({ "type": ["string", "null"], "format": "date" }),
        QuestionType::Choice => {
            let mut options = choices(&q.choices, lang);
            options.push(json!({ "type": "null" }));
            json!({ "oneOf": options })
        }
        QuestionType::MultiChoice => json!({
            "type": ["array", "null"],
            "uniqueItems": true,
            "items": { "oneOf": choices(&q.choices, lang) }
        }),
        QuestionType::Calculate => calculated(q.value_type),
        QuestionType::Note => json!({}),
    };
    let title = match q.number {
        Some(n) => format!("{n}. {}", text(&q.label, lang)),
        None => text(&q.label, lang).to_string(),
    };
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), json!(title));
        if let Some(hint) = &q.hint {
            obj.insert("description".into(), json!(text(hint, lang)));
        }
        if q.kind == QuestionType::Calculate {
            obj.insert("readOnly".into(), json!(true));
        }
    }
    schema
}

fn calculated(t: Option<Type>) -> Value {
    match t {
        Some(Type::Bool) => json!({ "type": ["boolean", "null"] }),
        Some(Type::Number) => json!({ "type": ["number", "null"] }),
        Some(Type::Text) => json!({ "type": ["string", "null"] }),
        Some(Type::Date) => json!({ "type": ["string", "null"], "format": "date" }),
        Some(Type::Set) => json!({ "type": ["array", "null"], "items": { "type": "string" } }),
        Some(Type::Null) | None => json!({}),
    }
}

fn choices(list: &[Choice], lang: &str) -> Vec<Value> {
    list.iter().map(|c| coded(&c.value, text(&c.label, lang))).collect()
}

/// A stable code with its label as the title.
fn coded(code: &str, title: &str) -> Value {
    json!({ "const": code, "title": title })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{keys, load_ok, BASE};
    use super::*;

    #[test]
    fn a_form_without_indicators_has_a_valid_schema() {
        let mut text = BASE.to_string();
        let at = text.find("[[indicator]]").unwrap();
        let end = text[at..].find("\n\n").map_or(text.len(), |e| at + e + 2);
        text.replace_range(at..end, "");
        let form = load_ok(&text);
        assert!(form.indicators.is_empty());
        let s = record_schema(&form, "en", &keys);
        assert_eq!(s["properties"]["indicators"]["items"], false);
        assert!(jsonschema::draft202012::new(&s).is_ok(), "{s}");
    }

    #[test]
    fn answers_follow_the_question_types() {
        let s = record_schema(&load_ok(BASE), "en", &keys);
        let answers = &s["properties"]["answers"]["properties"];
        let consts: Vec<&Value> = answers["consent"]["oneOf"].as_array().unwrap().iter().map(|o| &o["const"]).collect();
        assert_eq!(consts, [&json!("yes"), &json!("no"), &json!("dk"), &Value::Null]);
        assert_eq!(answers["consent"]["title"], "1. Consent?");
        assert_eq!(answers["age"]["type"], json!(["integer", "null"]));
        let jobs = &answers["jobs"];
        assert_eq!(jobs["maxItems"], 2);
        assert_eq!(jobs["items"]["properties"]["long_days"]["type"], json!(["boolean", "null"]));
        assert_eq!(jobs["items"]["additionalProperties"], false);
        assert!(answers.get("hours").is_none(), "repeat questions live in their entries");
    }

    #[test]
    fn the_record_is_closed_and_versioned() {
        let s = record_schema(&load_ok(BASE), "uk", &keys);
        assert_eq!(s["$schema"], DIALECT);
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["properties"]["form"]["const"], "test-form");
        assert_eq!(s["properties"]["outcome"]["oneOf"][0]["title"], "Нічого");
        assert_eq!(s["properties"]["outcome"]["oneOf"][1]["const"], INCOMPLETE);
    }

    #[test]
    fn unanswered_points_into_the_answers() {
        let text =
            BASE.replace("when = \"owes_debt = 'yes'\"", "when = \"owes_debt = 'yes' or any(jobs, hours > 60)\"");
        let s = record_schema(&load_ok(&text), "en", &keys);
        let items = &s["properties"]["unanswered"]["items"]["oneOf"];
        assert_eq!(items[0]["const"], "/owes_debt");
        assert_eq!(items[1]["pattern"], "^/jobs/(0|[1-9][0-9]*)/hours$");
        assert_eq!(items.as_array().map(Vec::len), Some(2), "only the indicator questions: {items}");
    }
}

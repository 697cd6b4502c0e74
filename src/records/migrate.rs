//! Reading a record of an older form version as the current version, through the form's
//! `[[migration]]`. The stored record is never changed; only what is read from it.
//!
//! What a migration does to a record of version `from`: renamed questions (and repeated sections)
//! take their current ids; removed questions are left out; renamed choice values take their
//! current values; a removed value is left out of a multiple choice, and a single choice that held
//! one reads as not asked (the current question, with its current options, was not put to the
//! person). A question the older version did not have reads as not asked. Pointers in
//! `unanswered` and `not_asked` follow the same renames. Outcome and indicators stay as the older
//! version worked them out.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::forms::form::{Migration, QuestionType, Section};
use crate::forms::Form;

/// Why a record cannot be read as the current version.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MigrateError {
    #[error("version `{version}` of form `{form}` cannot be read as the current version {current}: the form has no `[[migration]] from = \"{version}\"`{known}")]
    UnknownVersion { form: String, version: String, current: String, known: String },
}

/// Whether a record exported with `version` is of `form`'s current version (and so read as it is).
pub fn is_current(form: &Form, version: &str) -> bool {
    version == form.version
}

/// `record` as the current version of `form`: itself when it is of that version, else a new
/// record read through the form's `[[migration]]` from its version.
pub fn read_as_current<'a>(form: &Form, record: &'a Value) -> Result<Cow<'a, Value>, MigrateError> {
    let version = record["version"].as_str().unwrap_or_default();
    if is_current(form, version) {
        return Ok(Cow::Borrowed(record));
    }
    let Some(m) = form.migration_from(version) else {
        let known: Vec<String> = form.migrations.iter().map(|m| format!("`{}`", m.from)).collect();
        return Err(MigrateError::UnknownVersion {
            form: form.id.clone(),
            version: version.to_string(),
            current: form.version.clone(),
            known: if known.is_empty() { String::new() } else { format!(" (it maps {})", known.join(", ")) },
        });
    };
    let mut out = record.clone();
    let mut not_asked: Vec<String> =
        pointers(record, "not_asked").iter().filter_map(|p| rename_pointer(m, p)).collect();
    if let Some(answers) = record["answers"].as_object() {
        out["answers"] = Value::Object(current_answers(form, m, answers, &mut not_asked));
    }
    let unanswered: Vec<String> = pointers(record, "unanswered").iter().filter_map(|p| rename_pointer(m, p)).collect();
    if record.get("unanswered").is_some() {
        out["unanswered"] = Value::from(unanswered);
    }
    if record.get("not_asked").is_some() || !not_asked.is_empty() {
        out["not_asked"] = Value::from(not_asked);
    }
    out["version"] = Value::from(form.version.clone());
    Ok(Cow::Owned(out))
}

fn pointers(record: &Value, key: &str) -> Vec<String> {
    record[key]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The current id of an old one; `None` for a removed question.
fn current_id<'a>(m: &'a Migration, old: &'a str) -> Option<&'a str> {
    if m.removed.iter().any(|r| r == old) {
        return None;
    }
    Some(m.renamed.get(old).map_or(old, String::as_str))
}

/// `/old` → `/new`, `/section/0/old` → `/section/0/new`; a pointer to a removed question is gone.
fn rename_pointer(m: &Migration, pointer: &str) -> Option<String> {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let renamed: Option<Vec<&str>> =
        parts.iter().enumerate().map(|(i, p)| if i % 2 == 0 { current_id(m, p) } else { Some(*p) }).collect();
    renamed.map(|p| format!("/{}", p.join("/")))
}

/// The answers under their current ids, in the current form's order; what the older version did
/// not ask reads as not asked.
fn current_answers(
    form: &Form,
    m: &Migration,
    old: &Map<String, Value>,
    not_asked: &mut Vec<String>,
) -> Map<String, Value> {
    let renamed = rename_keys(m, old);
    let mut out = Map::new();
    for s in &form.sections {
        if s.repeat.is_some() {
            let value = match renamed.get(&s.id) {
                Some(Value::Array(entries)) => {
                    Value::Array(entries.iter().enumerate().map(|(i, e)| entry(m, s, i, e, not_asked)).collect())
                }
                Some(other) => other.clone(),
                None => {
                    not_asked.push(format!("/{}", s.id));
                    Value::Null
                }
            };
            out.insert(s.id.clone(), value);
            continue;
        }
        for q in s.questions.iter().filter(|q| q.kind != QuestionType::Note) {
            let pointer = format!("/{}", q.id);
            let value = answer(m, q, renamed.get(&q.id), &pointer, not_asked);
            out.insert(q.id.clone(), value);
        }
    }
    // Anything else the older record held stays, so the schema names it instead of it vanishing.
    for (k, v) in renamed {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    out
}

fn rename_keys(m: &Migration, old: &Map<String, Value>) -> Map<String, Value> {
    old.iter().filter_map(|(k, v)| current_id(m, k).map(|id| (id.to_string(), v.clone()))).collect()
}

fn entry(m: &Migration, s: &Section, i: usize, e: &Value, not_asked: &mut Vec<String>) -> Value {
    let Some(old) = e.as_object() else { return e.clone() };
    let renamed = rename_keys(m, old);
    let mut out = Map::new();
    for q in s.questions.iter().filter(|q| q.kind != QuestionType::Note) {
        let pointer = format!("/{}/{i}/{}", s.id, q.id);
        out.insert(q.id.clone(), answer(m, q, renamed.get(&q.id), &pointer, not_asked));
    }
    for (k, v) in renamed {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

/// One answer with its choice values made current.
fn answer(
    m: &Migration,
    q: &crate::forms::form::Question,
    old: Option<&Value>,
    pointer: &str,
    not_asked: &mut Vec<String>,
) -> Value {
    let Some(old) = old else {
        push_once(not_asked, pointer);
        return Value::Null;
    };
    let Some(change) = m.choices.get(&q.id) else { return old.clone() };
    let value = |v: &str| -> Option<String> {
        if change.removed.iter().any(|r| r == v) {
            return None;
        }
        Some(change.renamed.get(v).cloned().unwrap_or_else(|| v.to_string()))
    };
    match old {
        Value::String(v) => match value(v) {
            Some(v) => Value::from(v),
            None => {
                push_once(not_asked, pointer);
                Value::Null
            }
        },
        Value::Array(items) => {
            let mut kept: Vec<Value> = Vec::new();
            for v in items.iter().filter_map(Value::as_str).filter_map(value) {
                if !kept.iter().any(|k| k == v.as_str()) {
                    kept.push(Value::from(v));
                }
            }
            // A value that is not text is kept for the schema to name.
            kept.extend(items.iter().filter(|v| !v.is_string()).cloned());
            Value::Array(kept)
        }
        other => other.clone(),
    }
}

fn push_once(list: &mut Vec<String>, pointer: &str) {
    if !list.iter().any(|p| p == pointer) {
        list.push(pointer.to_string());
    }
}

#[cfg(test)]
#[path = "migrate_tests.rs"]
mod tests;

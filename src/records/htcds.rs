//! The Human Trafficking Case Data Standard (HTCDS v2, IOM) as an exchange format: a form names
//! the HTCDS field a question corresponds to (`htcds = "vic_MethodsOfControl"`), the value each
//! choice stands for (`htcds = "DebtBondage"`), and the field and value an indicator stands for
//! (`htcds = "vic_MethodsOfControl:DebtBondage"`). The build checks every name against the
//! standard's field list ([`crate::htcds`]); [`record`] turns one record into an HTCDS-shaped object
//! for case systems such as the Unified Information System of the Social Sphere.
//!
//! Only mapped fields are written: a question without `htcds` never leaves through this format,
//! and neither does an answer whose choice names no HTCDS value ("doesn't know", "prefers not to
//! say", options the standard has no value for).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::forms::form::QuestionType;
use crate::forms::{Form, Question};
use crate::htcds::{field, Field, FieldType};

/// The HTCDS object of one record (in the shape of a questionnaire export): field name → value.
/// A multiselect field is an array in the standard's order, filled from every question and
/// indicator mapped to it; a picklist field is one value; other fields carry the answer as is.
pub fn record(form: &Form, record: &Value) -> Value {
    let answers = record.get("answers").unwrap_or(&Value::Null);
    let mut multi: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut out = Map::new();
    for (section, q) in form.questions() {
        let Some(f) = q.htcds.as_deref().and_then(field) else { continue };
        let values: Vec<&Value> = match section.repeat {
            None => vec![answers.get(&q.id).unwrap_or(&Value::Null)],
            Some(_) => entries(answers.get(&section.id)).filter_map(|e| e.get(&q.id)).collect(),
        };
        for v in values {
            match f.kind {
                FieldType::Multiselect => multi.entry(f.name).or_default().extend(choice_values(q, v)),
                _ => {
                    if let Some(v) = single(q, f, v) {
                        out.insert(f.name.to_string(), v);
                    }
                }
            }
        }
    }
    let fired: Vec<&str> =
        record.get("indicators").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for h in form.indicators.iter().filter(|i| fired.contains(&i.id.as_str())).filter_map(|i| i.htcds.as_ref()) {
        match field(&h.field).map(|f| f.kind) {
            Some(FieldType::Multiselect) => multi.entry(field_name(&h.field)).or_default().push(h.value.clone()),
            Some(_) => {
                out.insert(h.field.clone(), Value::String(h.value.clone()));
            }
            None => {}
        }
    }
    for (name, mut values) in multi {
        let Some(f) = field(name) else { continue };
        values.sort_by_key(|v| f.values.iter().position(|x| x == v));
        values.dedup();
        if !values.is_empty() {
            out.insert(name.to_string(), values.into_iter().map(Value::String).collect());
        }
    }
    Value::Object(out)
}

/// The shipped field's own name (so a map keyed by it borrows nothing from the form).
fn field_name(name: &str) -> &'static str {
    field(name).map_or("", |f| f.name)
}

fn entries(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

/// The HTCDS values of the chosen options that name one.
fn choice_values(q: &Question, answer: &Value) -> Vec<String> {
    let codes: Vec<&str> = match answer {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    codes.into_iter().filter_map(|c| q.choice(c)).filter_map(|c| c.htcds.clone()).collect()
}

/// The value of a single-valued field, or `None` when the answer has nothing to give it.
fn single(q: &Question, f: &Field, answer: &Value) -> Option<Value> {
    if answer.is_null() {
        return None;
    }
    let value = match q.kind {
        QuestionType::Choice | QuestionType::MultiChoice => {
            let v = choice_values(q, answer).into_iter().next()?;
            match f.kind {
                FieldType::Checkbox => Value::Bool(v == "true"),
                _ => Value::String(v),
            }
        }
        _ => answer.clone(),
    };
    Some(value)
}

#[cfg(test)]
#[path = "htcds/tests.rs"]
mod tests;

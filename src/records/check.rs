//! Checks a record, read as its form's current version, against the JSON Schema the build writes
//! for that form ([`crate::forms::record_schema`]). Messages name the place (a JSON Pointer) and
//! the rule broken, never the value, so a report holds no answers.

use std::collections::HashMap;

use serde_json::Value;

use crate::forms::{record_schema, Form};

/// One compiled schema per form.
pub struct Checker {
    validators: HashMap<String, jsonschema::Validator>,
}

impl Checker {
    pub fn new(forms: &[Form]) -> Checker {
        let key = |k: &str| k.to_string();
        let validators = forms
            .iter()
            .filter_map(|f| {
                let schema = record_schema(f, "en", &key);
                jsonschema::draft202012::new(&schema).ok().map(|v| (f.id.clone(), v))
            })
            .collect();
        Checker { validators }
    }

    /// The first few places where `record` breaks its form's schema, or an empty list.
    pub fn violations(&self, form: &str, record: &Value) -> Vec<String> {
        let Some(v) = self.validators.get(form) else { return vec![format!("form `{form}` has no schema")] };
        v.iter_errors(record).take(3).map(|e| describe(&e)).collect()
    }
}

fn describe(e: &jsonschema::ValidationError) -> String {
    let at = match e.instance_path.to_string() {
        p if p.is_empty() => "/".to_string(),
        p => p,
    };
    let schema_path = e.schema_path.to_string();
    let keyword = schema_path.rsplit('/').next().unwrap_or("");
    let what = match &e.kind {
        jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
            format!(
                "{} not in the current form",
                unexpected.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
            )
        }
        jsonschema::error::ValidationErrorKind::Required { property } => {
            format!("`{}` is missing", property.as_str().unwrap_or("?"))
        }
        _ => match keyword {
            "oneOf" | "enum" | "const" => "not one of the values the form allows".to_string(),
            "type" => "a value of the wrong type".to_string(),
            "uniqueItems" => "a value listed twice".to_string(),
            "minItems" | "maxItems" => "a number of entries the form does not allow".to_string(),
            other => format!("breaks `{other}`"),
        },
    };
    format!("at {at}: {what}")
}

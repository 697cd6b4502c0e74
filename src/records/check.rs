//! Checks a record, read as its form's current version, against the JSON Schema the build writes
//! for that form ([`crate::forms::record_schema`]). Messages name the place (a JSON Pointer) and
//! the rule broken, never the value, so a report holds no answers.

use std::collections::HashMap;

use serde_json::Value;

use super::portal::PortalForms;
use crate::forms::{record_schema, Form};

/// One compiled schema per form of each portal (national as `None`, or a region's slug).
pub struct Checker {
    validators: HashMap<(Option<String>, String), jsonschema::Validator>,
}

impl Checker {
    /// The national portal's `forms`.
    pub fn new(forms: &[Form]) -> Checker {
        Checker::for_portal(&PortalForms::national(forms.to_vec()))
    }

    /// Every form of the national portal and of each region, as that portal builds it.
    pub fn for_portal(portal: &PortalForms) -> Checker {
        let key = |k: &str| k.to_string();
        let validators = portal
            .all()
            .flat_map(|(region, forms)| forms.iter().map(move |f| (region, f)))
            .filter_map(|(region, f)| {
                let schema = record_schema(f, "en", &key);
                let v = jsonschema::draft202012::new(&schema).ok()?;
                Some(((region.map(str::to_string), f.id.clone()), v))
            })
            .collect();
        Checker { validators }
    }

    /// The first few places where `record` breaks its form's schema as the portal `region`
    /// builds it, or an empty list.
    pub fn violations(&self, region: Option<&str>, form: &str, record: &Value) -> Vec<String> {
        let Some(v) = self.validators.get(&(region.map(str::to_string), form.to_string())) else {
            return vec![format!("form `{form}` has no schema")];
        };
        // Nearly every record is valid, and asking only that is several times quicker than
        // listing the errors.
        if v.is_valid(record) {
            return Vec::new();
        }
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

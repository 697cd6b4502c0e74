//! Helpers for the unit tests of the forms modules: a small valid form and a loader.

use super::form::Form;
use super::validate::{load, FormContext};
use crate::diag::Diagnostic;

/// A small valid form: consent that ends the interview, a skip, a repeat, a calculation, one
/// indicator and a catch-all outcome. Tests append or replace lines to make it invalid.
pub const BASE: &str = r#"[form]
id = "test-form"
version = "1"
title = { uk = "Тест", en = "Test" }
standards = ["ID-2.1"]

[choices]
yn = [
  { value = "yes", label = { uk = "Так", en = "Yes" } },
  { value = "no", label = { uk = "Ні", en = "No" } },
  { value = "dk", label = { uk = "Не знає", en = "Doesn't know" }, missing = true },
]

[[section]]
id = "main"
title = { uk = "Головне", en = "Main" }

  [[section.question]]
  id = "consent"
  type = "choice"
  choices = "yn"
  required = true
  label = { uk = "Згода?", en = "Consent?" }
  end_if = ". = 'no'"

  [[section.question]]
  id = "owes_debt"
  type = "choice"
  choices = "yn"
  label = { uk = "Борг?", en = "Debt?" }
  standards = ["ID-2.1#a"]

  [[section.question]]
  id = "debt_grows"
  type = "choice"
  choices = "yn"
  relevant = "owes_debt = 'yes'"
  label = { uk = "Зростає?", en = "Growing?" }

  [[section.question]]
  id = "age"
  type = "integer"
  label = { uk = "Вік", en = "Age" }

[[section]]
id = "jobs"
title = { uk = "Роботи", en = "Jobs" }
repeat = true
max = 2

  [[section.question]]
  id = "hours"
  type = "integer"
  label = { uk = "Годин", en = "Hours" }

  [[section.question]]
  id = "long_days"
  type = "calculate"
  calculation = "hours > 12"

[dimensions.labels]
exploitation = { uk = "Експлуатація", en = "Exploitation" }

[[indicator]]
id = "debt"
dimension = "exploitation"
strength = "medium"
when = "owes_debt = 'yes'"
label = { uk = "Борг", en = "Debt" }

[[outcome]]
id = "none"
when = "true"
label = { uk = "Нічого", en = "Nothing" }
"#;

fn known(id: &str, req: Option<&str>) -> bool {
    id == "ID-2.1" && req.is_none_or(|r| ["a", "b", "c"].contains(&r))
}

/// Loads `text` as `forms/test.toml` for a `uk` + `en` portal.
pub fn try_load(text: &str) -> Result<Form, Vec<Diagnostic>> {
    let ctx = FormContext {
        languages: vec!["uk".into(), "en".into()],
        default_language: "uk".into(),
        known_standard: &known,
    };
    load("forms/test.toml", text, &ctx)
}

/// Loads a form that must be valid.
pub fn load_ok(text: &str) -> Form {
    match try_load(text) {
        Ok(f) => f,
        Err(problems) => {
            let shown: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
            panic!("the form should be valid:\n{}", shown.join("\n"))
        }
    }
}

/// The messages of a form that must be invalid.
pub fn errors(text: &str) -> Vec<String> {
    match try_load(text) {
        Ok(_) => panic!("the form should be invalid"),
        Err(problems) => problems.iter().map(|d| d.message.clone()).collect(),
    }
}

/// UI strings for tests: the key itself, so assertions do not depend on the catalogs.
pub fn keys(key: &str) -> String {
    key.to_string()
}

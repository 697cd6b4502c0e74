//! A small form in two versions and records of each, for the records tests and benchmarks.
//!
//! Version 2026.2 renamed `job_kind` to `work_kind`, dropped the question `phone_owner`, renamed
//! the help option `lawyer` to `legal` and dropped the option `housing`.

use serde_json::{json, Value};

use crate::forms::testing::load_ok;
use crate::forms::Form;

pub const FORM: &str = r#"[form]
id = "test-form"
version = "2026.2"
title = { uk = "Тест", en = "Test" }

[choices]
yn = [
  { value = "yes", label = { uk = "Так", en = "Yes" } },
  { value = "no", label = { uk = "Ні", en = "No" } },
  { value = "dk", label = { uk = "Не знає", en = "Doesn't know" }, missing = true },
  { value = "refused", label = { uk = "Не хоче відповідати", en = "Prefers not to say" }, missing = true },
]

[[section]]
id = "main"
title = { uk = "Головне", en = "Main" }

  [[section.question]]
  id = "consent"
  type = "choice"
  choices = "yn"
  label = { uk = "Згода?", en = "Consent?" }

  [[section.question]]
  id = "owes_debt"
  type = "choice"
  choices = "yn"
  relevant = "consent = 'yes'"
  label = { uk = "Борг?", en = "Debt?" }

  [[section.question]]
  id = "help"
  type = "multi_choice"
  choices = [
    { value = "legal", label = { uk = "Юридична", en = "Legal" } },
    { value = "medical", label = { uk = "Медична", en = "Medical" } },
    { value = "money", label = { uk = "Гроші", en = "Money" } },
  ]
  label = { uk = "Допомога", en = "Help" }

  [[section.question]]
  id = "work_kind"
  type = "text"
  label = { uk = "Робота", en = "Work" }

  [[section.question]]
  id = "age"
  type = "integer"
  label = { uk = "Вік", en = "Age" }

[[section]]
id = "jobs"
title = { uk = "Роботи", en = "Jobs" }
repeat = true

  [[section.question]]
  id = "hours"
  type = "integer"
  label = { uk = "Годин", en = "Hours" }

[dimensions.labels]
exploitation = { uk = "Експлуатація", en = "Exploitation" }

[[indicator]]
id = "debt"
dimension = "exploitation"
strength = "medium"
when = "owes_debt = 'yes'"
label = { uk = "Борг", en = "Debt" }

[[outcome]]
id = "refer"
when = "owes_debt = 'yes'"
label = { uk = "Перенаправити", en = "Refer" }

[[outcome]]
id = "none"
when = "true"
label = { uk = "Нічого", en = "Nothing" }

[[migration]]
from = "2026.1"
renamed = { job_kind = "work_kind" }
removed = ["phone_owner"]

[migration.choices.help]
renamed = { lawyer = "legal" }
removed = ["housing"]
"#;

pub const PRIVATE: &str = include_str!("../../tests/fixtures/crypto/test-private.pem");
pub const PUBLIC: &str = include_str!("../../tests/fixtures/crypto/test-public.pem");
pub const OTHER: &str = include_str!("../../tests/fixtures/crypto/other-private.pem");

pub fn form() -> Form {
    load_ok(FORM)
}

/// A current-version record: consent given, debt owed, one job.
pub fn current(id: &str) -> Value {
    json!({
        "id": id, "form": "test-form", "version": "2026.2", "region": null, "language": "uk",
        "started": "2026-05-01T10:00:00.000Z", "finished": "2026-05-01T10:20:00.000Z",
        "answers": { "consent": "yes", "owes_debt": "yes", "help": ["legal", "medical"], "work_kind": "=кухня",
                     "age": null, "jobs": [{ "hours": 14 }] },
        "outcome": "refer", "indicators": ["debt"], "unanswered": [], "not_asked": []
    })
}

/// A record of version 2026.1: the old names, a removed option and a removed question.
pub fn older(id: &str) -> Value {
    json!({
        "id": id, "form": "test-form", "version": "2026.1", "language": "uk",
        "started": "2026-04-01T10:00:00.000Z", "finished": null,
        "answers": { "consent": "no", "owes_debt": null, "help": ["housing", "lawyer"], "job_kind": "поле",
                     "phone_owner": "yes", "age": 40, "jobs": null },
        "outcome": "none", "indicators": [], "unanswered": [], "not_asked": ["/owes_debt", "/jobs"]
    })
}

//! `oberih schema form`: a JSON Schema (draft 2020-12) of the form file format (`forms/<id>.toml`),
//! for editors whose TOML language server (Taplo, Even Better TOML) completes keys and flags
//! mistakes while typing.
//!
//! It is written by hand after `src/forms/file.rs` and the rules of `src/forms/validate/` that
//! depend only on the shape of the file (which keys a question type takes). What needs the whole
//! form — expressions, references, translations — stays with `oberih check`. The schema is
//! deliberately no stricter than the build: a form the build accepts must validate, which the
//! tests check on every default form.

use serde_json::{json, Value};

/// The `$id` the schema announces; a stable name, never fetched.
pub const SCHEMA_ID: &str = "urn:oberih:schema:form-toml";

/// The whole schema.
pub fn form_toml_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Oberih screening form",
        "description": "One screening form (forms/<id>.toml): its header, choice lists, sections of questions, indicators, outcomes and plural messages. Expressions are checked by `oberih check`, not by this schema.",
        "type": "object",
        "additionalProperties": false,
        "required": ["form"],
        "properties": {
            "form": header(),
            "choices": {
                "description": "Named choice lists that questions refer to with `choices = \"name\"`.",
                "type": "object",
                "propertyNames": { "$ref": "#/$defs/id" },
                "additionalProperties": { "$ref": "#/$defs/choice_list" }
            },
            "section": {
                "description": "The sections of the form, in the order they are asked.",
                "type": "array",
                "items": { "$ref": "#/$defs/section" }
            },
            "indicator": {
                "description": "Indicators (ILO/EC style): each belongs to a dimension, has a strength and fires when its condition holds on relevant answers.",
                "type": "array",
                "items": { "$ref": "#/$defs/indicator" }
            },
            "outcome": {
                "description": "Outcomes, evaluated top to bottom: the first whose `when` holds is the result. The last one should be a catch-all `when = \"true\"`.",
                "type": "array",
                "items": { "$ref": "#/$defs/outcome" }
            },
            "dimensions": dimensions(),
            "migration": {
                "description": "How records of older versions of the form read as the current version: one entry per older version.",
                "type": "array",
                "items": { "$ref": "#/$defs/migration" }
            },
            "messages": {
                "description": "Messages with plural forms: message name → language → CLDR plural category → text. `{n}` stands for the number.",
                "type": "object",
                "propertyNames": { "$ref": "#/$defs/id" },
                "additionalProperties": {
                    "type": "object",
                    "propertyNames": { "$ref": "#/$defs/language" },
                    "additionalProperties": { "$ref": "#/$defs/plural" }
                }
            }
        },
        "$defs": defs()
    })
}

/// `[form]` and `[form.privacy]`.
fn header() -> Value {
    json!({
        "description": "The form's identity and settings.",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "version", "title"],
        "properties": {
            "id": {
                "description": "Stable id, used in URLs and exports; must equal the file name without `.toml`.",
                "type": "string",
                "pattern": "^[a-z][a-z0-9-]*$"
            },
            "version": {
                "description": "Version of the form, written into every export (e.g. \"2026.1\").",
                "type": "string",
                "minLength": 1
            },
            "title": { "$ref": "#/$defs/text", "description": "The form's title in every portal language." },
            "description": { "$ref": "#/$defs/text", "description": "What the form is for, shown above it." },
            "standards": { "$ref": "#/$defs/standards" },
            "privacy": privacy()
        }
    })
}

fn privacy() -> Value {
    json!({
        "description": "How answers are kept and exported. What is left out comes from portal.toml.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "storage": {
                "description": "Where answers live during an interview: only in memory, or in a file encrypted with a passphrase. Plaintext browser storage is never offered.",
                "enum": ["memory", "encrypted-file"]
            },
            "export": {
                "description": "How records are exported: plain JSON/CSV, or encrypted with `public_key`. Never silently downgraded.",
                "enum": ["plain", "encrypted"]
            },
            "public_key": {
                "description": "Path of the PEM public key (P-256, or RSA of at least 2048 bits) for encrypted export, relative to the portal folder.",
                "type": "string",
                "minLength": 1
            },
            "quick_exit": {
                "description": "Show the quick-exit button (also pressing Shift three times): wipes the answers and leaves the page.",
                "type": "boolean"
            },
            "presentation": {
                "description": "One section per screen (`steps`) or the whole form on one page (`single_page`).",
                "enum": ["steps", "single_page"]
            }
        }
    })
}

/// `[dimensions]`: labels and the rule that makes a dimension positive.
fn dimensions() -> Value {
    json!({
        "description": "Labels of the dimensions indicators use, and an optional rule that replaces the ILO/EC rule for when a dimension is positive.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "labels": {
                "description": "Dimension id → its name in every language.",
                "type": "object",
                "propertyNames": { "$ref": "#/$defs/id" },
                "additionalProperties": { "$ref": "#/$defs/text" }
            },
            "rule": {
                "description": "A dimension is positive when any one combination holds.",
                "type": "object",
                "additionalProperties": false,
                "required": ["any_of"],
                "properties": {
                    "any_of": { "type": "array", "items": { "$ref": "#/$defs/combination" } }
                }
            }
        }
    })
}

/// Reusable parts.
fn defs() -> Value {
    json!({
        "id": {
            "description": "An id: lower-case ASCII letters, digits and `_`, starting with a letter.",
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]*$"
        },
        "language": {
            "description": "A language code such as `uk`, `en` or `hu`.",
            "type": "string",
            "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
        },
        "text": {
            "description": "Text per language: `{ uk = \"…\", en = \"…\" }` or `label.uk = \"…\"`. Every portal language is needed.",
            "type": "object",
            "propertyNames": { "$ref": "#/$defs/language" },
            "additionalProperties": { "type": "string" }
        },
        "expression": {
            "description": "An expression of the form language, e.g. `age >= 14 and owes_debt = 'yes'`; `.` is the current question.",
            "type": "string",
            "minLength": 1
        },
        "standards": {
            "description": "Standards this item helps carry out: \"ID-2.1\", or one requirement as \"ID-2.1#a\".",
            "type": "array",
            "items": { "type": "string", "minLength": 1 }
        },
        "choice": choice(),
        "choice_list": {
            "description": "A list of choices.",
            "type": "array",
            "items": { "$ref": "#/$defs/choice" }
        },
        "section": section(),
        "question": question(),
        "indicator": indicator(),
        "outcome": outcome(),
        "combination": combination(),
        "migration": migration(),
        "renames": {
            "description": "Old id → current id.",
            "type": "object",
            "propertyNames": { "$ref": "#/$defs/id" },
            "additionalProperties": { "$ref": "#/$defs/id" }
        },
        "plural": {
            "description": "Text per CLDR plural category used by the language.",
            "type": "object",
            "propertyNames": { "enum": ["zero", "one", "two", "few", "many", "other"] },
            "additionalProperties": { "type": "string" }
        }
    })
}

/// `[[migration]]`.
fn migration() -> Value {
    let ids = |d: &str| json!({ "description": d, "type": "array", "items": { "$ref": "#/$defs/id" } });
    json!({
        "description": "How a record of the older version `from` reads as the current version ([[migration]]). Names on the right are the current form's.",
        "type": "object",
        "additionalProperties": false,
        "required": ["from"],
        "properties": {
            "from": { "description": "The older version.", "type": "string", "minLength": 1 },
            "renamed": { "$ref": "#/$defs/renames", "description": "Old question (or repeated section) id → current id." },
            "removed": ids("Questions the older version asked that the current one no longer has."),
            "choices": {
                "description": "Changed choice values, by current question id ([migration.choices.<id>]).",
                "type": "object",
                "propertyNames": { "$ref": "#/$defs/id" },
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "renamed": { "$ref": "#/$defs/renames", "description": "Old value → current value." },
                        "removed": ids("Values the question no longer offers; left out of a multiple choice, a single choice reads as not asked.")
                    }
                }
            }
        }
    })
}

fn choice() -> Value {
    json!({
        "description": "One answer option.",
        "type": "object",
        "additionalProperties": false,
        "required": ["value", "label"],
        "properties": {
            "value": { "$ref": "#/$defs/id", "description": "The value stored in the record and used in expressions." },
            "label": { "$ref": "#/$defs/text" },
            "missing": {
                "description": "\"Doesn't know\" or \"Prefers not to say\": counted as unknown, never as \"No\".",
                "type": "boolean"
            },
            "htcds": {
                "description": "The value of the question's HTCDS field this choice stands for, e.g. `DebtBondage`.",
                "type": "string"
            }
        }
    })
}

fn section() -> Value {
    json!({
        "description": "A section of questions ([[section]]).",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "title"],
        "properties": {
            "id": { "$ref": "#/$defs/id" },
            "title": { "$ref": "#/$defs/text" },
            "relevant": { "$ref": "#/$defs/expression", "description": "Ask the section only when this holds." },
            "repeat": {
                "description": "Ask the section's questions once per entry (one per job, per person…); read them with any() and count().",
                "type": "boolean"
            },
            "min": { "description": "Fewest entries of a repeated section.", "type": "integer", "minimum": 0 },
            "max": { "description": "Most entries of a repeated section.", "type": "integer", "minimum": 0 },
            "question": {
                "description": "The section's questions ([[section.question]]).",
                "type": "array",
                "items": { "$ref": "#/$defs/question" }
            }
        }
    })
}

fn question() -> Value {
    let mut q = json!({
        "description": "A question ([[section.question]]).",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "type"],
        "properties": {
            "id": { "$ref": "#/$defs/id" },
            "type": {
                "description": "What kind of answer: free text, a number, a date, one or several choices, a note for the interviewer, or a value calculated from other answers.",
                "enum": ["text", "long_text", "integer", "decimal", "date", "choice", "multi_choice", "note", "calculate"]
            },
            "choices": {
                "description": "For `choice` and `multi_choice`: the name of a list in [choices], or an inline list.",
                "oneOf": [ { "$ref": "#/$defs/id" }, { "$ref": "#/$defs/choice_list" } ]
            },
            "label": { "$ref": "#/$defs/text", "description": "The question as read out." },
            "hint": { "$ref": "#/$defs/text", "description": "Shown to everyone under the question." },
            "guidance": { "$ref": "#/$defs/text", "description": "For the interviewer only; always printed on paper." },
            "required": { "description": "An answer is needed (only while the question is relevant).", "type": "boolean" },
            "relevant": { "$ref": "#/$defs/expression", "description": "Ask only when this holds; otherwise the answer is null everywhere." },
            "constraint": { "$ref": "#/$defs/expression", "description": "A valid answer makes this true (not checked on empty answers)." },
            "constraint_message": { "$ref": "#/$defs/text", "description": "Shown when the constraint fails." },
            "alert_if": { "$ref": "#/$defs/expression", "description": "Show `alert` at once when this holds, whatever the score." },
            "alert": { "$ref": "#/$defs/text", "description": "Immediate safety guidance for `alert_if`." },
            "end_if": { "$ref": "#/$defs/expression", "description": "End the interview when this holds (e.g. no consent)." },
            "end_message": { "$ref": "#/$defs/text", "description": "Shown when `end_if` ends the interview." },
            "calculation": { "$ref": "#/$defs/expression", "description": "For `calculate`: the value, computed from other answers." },
            "core": { "description": "Part of the short form: asked first, or alone when time is short.", "type": "boolean" },
            "standards": { "$ref": "#/$defs/standards" },
            "htcds": {
                "description": "The field of the Human Trafficking Case Data Standard (HTCDS) the answer corresponds to, e.g. `vic_MethodsOfControl`.",
                "type": "string"
            },
            "measure": {
                "description": "What monitoring statistics read the answer as: `age` (an integer question, in years) or `sex` (a choice question).",
                "enum": ["age", "sex"]
            }
        }
    });
    q["allOf"] = question_rules();
    q
}

/// Keys that depend on the question type, as the build enforces them.
fn question_rules() -> Value {
    let of_type = |types: &[&str]| json!({ "properties": { "type": { "enum": types } }, "required": ["type"] });
    let forbid = |keys: &[&str]| {
        let not_any: Vec<Value> = keys.iter().map(|k| json!({ "required": [k] })).collect();
        json!({ "not": { "anyOf": not_any } })
    };
    let answer_kinds = ["text", "long_text", "integer", "decimal", "date", "choice", "multi_choice", "note"];
    let non_choice = ["text", "long_text", "integer", "decimal", "date", "note", "calculate"];
    json!([
        { "if": of_type(&["choice", "multi_choice"]), "then": { "required": ["choices"] } },
        { "if": of_type(&non_choice), "then": forbid(&["choices"]) },
        { "if": of_type(&["calculate"]), "then": { "required": ["calculation"] } },
        { "if": of_type(&answer_kinds), "then": { "required": ["label"], "allOf": [forbid(&["calculation"])] } },
        { "if": of_type(&["note", "calculate"]), "then": forbid(&["required", "constraint", "alert_if", "end_if"]) },
        { "dependentRequired": {
            "alert_if": ["alert"], "alert": ["alert_if"],
            "end_message": ["end_if"],
            "constraint_message": ["constraint"]
        } }
    ])
}

fn indicator() -> Value {
    json!({
        "description": "An indicator ([[indicator]]): fired only by relevant answers.",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "dimension", "strength", "when", "label"],
        "properties": {
            "id": { "$ref": "#/$defs/id" },
            "dimension": { "$ref": "#/$defs/id", "description": "The dimension it belongs to, e.g. `exploitation`; labelled in [dimensions.labels]." },
            "strength": { "description": "How strong a sign it is.", "enum": ["strong", "medium", "weak"] },
            "when": { "$ref": "#/$defs/expression", "description": "Fires when this holds." },
            "label": { "$ref": "#/$defs/text" },
            "standards": { "$ref": "#/$defs/standards" },
            "htcds": {
                "description": "The HTCDS field and value the indicator stands for, as `field:value`, e.g. `vic_MethodsOfControl:DebtBondage`.",
                "type": "string",
                "pattern": "^[a-z]{3}_[A-Za-z]+:.+$"
            }
        }
    })
}

fn outcome() -> Value {
    json!({
        "description": "An outcome ([[outcome]]): the first whose `when` holds is the result.",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "when", "label"],
        "properties": {
            "id": {
                "$ref": "#/$defs/id",
                "not": { "const": "incomplete" },
                "description": "Not `incomplete`: the questionnaire shows that outcome itself, instead of the catch-all, while an indicator question that was asked is blank or unknown."
            },
            "when": { "$ref": "#/$defs/expression", "description": "E.g. `strong_count >= 1 or dim_positive('exploitation')`; `true` for the catch-all." },
            "label": { "$ref": "#/$defs/text" },
            "action": { "$ref": "#/$defs/text", "description": "What to do next." }
        }
    })
}

fn combination() -> Value {
    let count = |what: &str| json!({ "description": format!("At least this many {what} indicators."), "type": "integer", "minimum": 0 });
    json!({
        "description": "Minimum numbers of fired indicators in one dimension; a stronger indicator never stands in for a weaker one.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "strong": count("strong"),
            "medium": count("medium"),
            "weak": count("weak"),
            "medium_or_weak": {
                "description": "At least this many medium or weak indicators beyond those counted above.",
                "type": "integer",
                "minimum": 0
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_types_match_the_model() {
        let s = form_toml_schema();
        let types = &s["$defs"]["question"]["properties"]["type"]["enum"];
        for t in types.as_array().into_iter().flatten() {
            let name = t.as_str().unwrap_or_default();
            let parsed: Result<crate::forms::file::QuestionType, _> =
                serde_json::from_value(Value::String(name.to_string()));
            assert!(parsed.is_ok(), "`{name}` is not a question type of the model");
        }
    }

    #[test]
    fn every_ref_resolves() {
        let s = form_toml_schema();
        let text = s.to_string();
        for part in text.split("\"#/$defs/").skip(1) {
            let name = part.split('"').next().unwrap_or_default();
            assert!(s["$defs"].get(name).is_some(), "missing $defs/{name}");
        }
    }
}

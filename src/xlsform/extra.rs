//! What a form file says that XLSForm has no column for, and where the workbook keeps it, so a
//! form comes back whole from its own export.
//!
//! * Per row, custom bind attributes in the `oberih` namespace (`bind::oberih:core`…): pyxform
//!   writes them on the XForm's `<bind>`, where ODK Collect and Enketo pass them by. Questions
//!   carry `core`, `standards`, `measure` and `htcds`; the indicator calculates `dimension`,
//!   `strength`, `standards`, `htcds` and their rule as the form file writes it (`when`); the
//!   outcome notes the outcome's rule (`when`); repeats their `min` and `max`.
//! * Per choice, the columns `missing` and `htcds` (pyxform keeps them in the choice list's
//!   secondary instance).
//! * Per form, the setting `oberih`: the form file's own TOML for its version, title in every
//!   language, description, standards, `[form.privacy]`, `[dimensions]`, `[messages]` and
//!   `[[migration]]`. pyxform leaves an unknown setting out of the XForm.

use toml::{Table, Value};

use crate::forms::expr::{Combination, DimensionRule};
use crate::forms::form::{Export, Measure, Migration, Presentation, Storage, Strength};
use crate::forms::{Form, LangText};

/// The `namespaces` setting that declares the prefix of the bind columns.
pub const NAMESPACES: &str = "oberih=\"urn:oberih:xlsform\"";

/// The setting that holds the form file's own tables.
pub const SETTING: &str = "oberih";

/// The bind column of an attribute: `bind::oberih:core`.
pub fn column(attribute: &str) -> String {
    format!("bind::oberih:{attribute}")
}

/// The attributes the bind columns carry.
pub const ATTRIBUTES: [&str; 9] =
    ["core", "standards", "measure", "htcds", "dimension", "strength", "when", "min", "max"];

/// Whether `header` is one of the bind columns.
pub fn is_column(header: &str) -> bool {
    ATTRIBUTES.iter().any(|a| column(a) == header.trim())
}

pub fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::Age => "age",
        Measure::Sex => "sex",
    }
}

pub fn strength_name(s: Strength) -> &'static str {
    match s {
        Strength::Strong => "strong",
        Strength::Medium => "medium",
        Strength::Weak => "weak",
    }
}

/// The form-level tables of `form` as a TOML document in the form file's layout.
pub fn form_tables(form: &Form) -> String {
    let mut out = String::from("[form]\n");
    let line = |out: &mut String, key: &str, value: Value| out.push_str(&format!("{key} = {value}\n"));
    line(&mut out, "version", form.version.clone().into());
    line(&mut out, "title", texts(&form.title));
    if let Some(d) = &form.description {
        line(&mut out, "description", texts(d));
    }
    if !form.standards.is_empty() {
        line(&mut out, "standards", strings(&form.standards));
    }
    let privacy = privacy(form);
    if !privacy.is_empty() {
        out.push_str("\n[form.privacy]\n");
        for (k, v) in privacy {
            line(&mut out, &k, v);
        }
    }
    if !form.dimensions.is_empty() {
        out.push_str("\n[dimensions.labels]\n");
        for d in &form.dimensions {
            line(&mut out, &d.id, texts(&d.label));
        }
    }
    if form.rule != DimensionRule::default() {
        out.push_str("\n[dimensions.rule]\n");
        line(&mut out, "any_of", Value::Array(form.rule.any_of.iter().map(combination).collect()));
    }
    for (name, by_lang) in &form.messages {
        out.push_str(&format!("\n[messages.{name}]\n"));
        for (lang, forms) in ordered(by_lang) {
            line(&mut out, lang, map(forms));
        }
    }
    if !form.migrations.is_empty() {
        let mut doc = Table::new();
        doc.insert("migration".into(), Value::Array(form.migrations.iter().map(migration).collect()));
        out.push('\n');
        out.push_str(&toml::to_string(&doc).unwrap_or_default());
    }
    out
}

/// A combination of the rule with only the counts it asks for: `{ strong = 1 }`.
fn combination(c: &Combination) -> Value {
    let counts = [("strong", c.strong), ("medium", c.medium), ("weak", c.weak), ("medium_or_weak", c.medium_or_weak)];
    Value::Table(counts.iter().filter(|(_, n)| *n > 0).map(|(k, n)| (k.to_string(), Value::from(*n as i64))).collect())
}

/// The entries of a per-language map, Ukrainian first, English second, then the rest.
fn ordered<V>(m: &std::collections::BTreeMap<String, V>) -> Vec<(&str, &V)> {
    let rank = |k: &str| match k {
        "uk" => 0,
        "en" => 1,
        _ => 2,
    };
    let mut v: Vec<(&str, &V)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
    v.sort_by_key(|(k, _)| rank(k));
    v
}

fn privacy(form: &Form) -> Table {
    let p = &form.privacy;
    let mut t = Table::new();
    if let Some(s) = p.storage {
        let name = match s {
            Storage::Memory => "memory",
            Storage::EncryptedFile => "encrypted-file",
        };
        t.insert("storage".into(), name.into());
    }
    if let Some(e) = p.export {
        let name = match e {
            Export::Plain => "plain",
            Export::Encrypted => "encrypted",
        };
        t.insert("export".into(), name.into());
    }
    if let Some(k) = &p.public_key {
        t.insert("public_key".into(), k.get_ref().clone().into());
    }
    if let Some(q) = p.quick_exit {
        t.insert("quick_exit".into(), q.into());
    }
    if let Some(pr) = p.presentation {
        let name = match pr {
            Presentation::Steps => "steps",
            Presentation::SinglePage => "single_page",
        };
        t.insert("presentation".into(), name.into());
    }
    t
}

fn migration(m: &Migration) -> Value {
    let mut t = Table::new();
    t.insert("from".into(), m.from.clone().into());
    if !m.renamed.is_empty() {
        t.insert("renamed".into(), map(&m.renamed));
    }
    if !m.removed.is_empty() {
        t.insert("removed".into(), strings(&m.removed));
    }
    if !m.choices.is_empty() {
        let choices: Table = m
            .choices
            .iter()
            .map(|(q, c)| {
                let mut ct = Table::new();
                if !c.renamed.is_empty() {
                    ct.insert("renamed".into(), map(&c.renamed));
                }
                if !c.removed.is_empty() {
                    ct.insert("removed".into(), strings(&c.removed));
                }
                (q.clone(), Value::Table(ct))
            })
            .collect();
        t.insert("choices".into(), Value::Table(choices));
    }
    Value::Table(t)
}

fn texts(t: &LangText) -> Value {
    map(t)
}

fn map(m: &std::collections::BTreeMap<String, String>) -> Value {
    Value::Table(ordered(m).into_iter().map(|(k, v)| (k.to_string(), Value::from(v.clone()))).collect())
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| Value::from(s.clone())).collect())
}

/// Space-separated values of a cell (`ID-2.1#b PT-3.1`), as XLSForm writes lists.
pub fn words(cell: &str) -> Vec<String> {
    cell.split_whitespace().map(String::from).collect()
}

/// An outcome note's label as the export writes it, `**label**\n\naction`, split back.
pub fn split_outcome_text(text: &str) -> (String, Option<String>) {
    if let Some(rest) = text.strip_prefix("**") {
        if let Some((label, action)) = rest.split_once("**\n\n") {
            return (label.to_string(), Some(action.to_string()));
        }
        if let Some(label) = rest.strip_suffix("**") {
            return (label.to_string(), None);
        }
    }
    (text.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_texts_split_back_into_label_and_action() {
        assert_eq!(split_outcome_text("**Refer**\n\nCall 1578"), ("Refer".into(), Some("Call 1578".into())));
        assert_eq!(split_outcome_text("**Refer**"), ("Refer".into(), None));
        assert_eq!(split_outcome_text("Refer"), ("Refer".into(), None));
    }

    #[test]
    fn only_the_oberih_bind_columns_are_ours() {
        assert!(is_column("bind::oberih:core"));
        assert!(!is_column("bind::oberih:other"));
        assert!(!is_column("bind::esri:fieldType"));
    }
}

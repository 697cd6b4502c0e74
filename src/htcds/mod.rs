//! The field list of the Human Trafficking Case Data Standard (HTCDS v2, IOM), shipped in the
//! binary (`fields.txt`, with the standard's licence and attribution), so a form's `htcds = "…"`
//! names can be checked with no network, and records can be written in the standard's shape.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The list as shipped.
const FIELDS: &str = include_str!("fields.txt");

/// What kind of value an HTCDS field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Number,
    Date,
    Checkbox,
    /// An ISO 3166 two-letter country code.
    Country,
    /// A reference to another record of the case system: never filled from a questionnaire.
    Lookup,
    Picklist,
    Multiselect,
}

/// One field of the standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldType,
    /// The value names of a picklist or multiselect, in the standard's order.
    pub values: Vec<&'static str>,
}

impl Field {
    /// Whether a choice may name `value` for this field.
    pub fn accepts(&self, value: &str) -> bool {
        match self.kind {
            FieldType::Picklist | FieldType::Multiselect => self.values.contains(&value),
            FieldType::Checkbox => matches!(value, "true" | "false"),
            FieldType::Country => value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()),
            _ => false,
        }
    }
}

/// Every field by name.
pub fn fields() -> &'static BTreeMap<&'static str, Field> {
    static LIST: OnceLock<BTreeMap<&'static str, Field>> = OnceLock::new();
    LIST.get_or_init(|| parse(FIELDS))
}

pub fn field(name: &str) -> Option<&'static Field> {
    fields().get(name)
}

fn parse(text: &'static str) -> BTreeMap<&'static str, Field> {
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut words = line.split_whitespace();
        let (Some(name), Some(kind)) = (words.next(), words.next()) else { continue };
        let kind = match kind {
            "text" => FieldType::Text,
            "number" => FieldType::Number,
            "date" => FieldType::Date,
            "checkbox" => FieldType::Checkbox,
            "country" => FieldType::Country,
            "lookup" => FieldType::Lookup,
            "picklist" => FieldType::Picklist,
            "multiselect" => FieldType::Multiselect,
            _ => continue,
        };
        out.insert(name, Field { name, kind, values: words.collect() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_reads_completely() {
        let lines = FIELDS.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        assert_eq!(fields().len(), lines, "a line of fields.txt has an unknown type");
        let control = field("vic_MethodsOfControl").unwrap();
        assert_eq!(control.kind, FieldType::Multiselect);
        assert!(control.accepts("DebtBondage"));
        assert!(!control.accepts("debt_bondage"));
        assert!(field("prs_Nationality").unwrap().accepts("UA"));
    }
}

//! XLSForm names made into ids of the form file (`[a-z][a-z0-9_]*`), and the languages of the
//! text columns.

use std::collections::BTreeMap;

use super::sheet::{language_code, split_header, Sheet};
use crate::forms::expr::{is_reserved, is_valid_id};

/// The id for an XLSForm name: lower case, other characters as `_`; a name that starts with a
/// digit (choice codes such as `1`, `99`) gets `prefix` before it, a leading `-` becomes `minus_`.
/// `None` for a name that has letters outside ASCII or nothing left to keep.
pub fn id_for(name: &str, prefix: &str) -> Option<String> {
    if !name.is_ascii() || name.is_empty() {
        return None;
    }
    let (sign, rest) = match name.strip_prefix('-') {
        Some(r) => ("minus_", r),
        None => ("", name),
    };
    let body: String =
        rest.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let body = body.trim_matches('_');
    let id = match body.chars().next() {
        None => return None,
        Some(_) if !sign.is_empty() => format!("{sign}{body}"),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{body}"),
        Some(_) => body.to_string(),
    };
    let id = if is_reserved(&id) { format!("{id}_") } else { id };
    is_valid_id(&id).then_some(id)
}

/// The languages of a workbook's text columns.
#[derive(Debug, Default)]
pub struct Languages {
    /// Codes, Ukrainian first, English second, then as they appear.
    pub codes: Vec<String>,
    /// The code of columns that name no language (`label`), from `default_language`.
    pub default: Option<String>,
    /// Column headers whose language cannot be told: header → the sheet it is on.
    pub unknown: Vec<(String, String)>,
    /// Whether some text column names no language.
    pub plain_columns: Vec<(String, String)>,
}

/// The columns that hold texts in every language.
pub const TEXT_COLUMNS: [&str; 5] = ["label", "hint", "guidance_hint", "constraint_message", "required_message"];

impl Languages {
    pub fn of(sheets: &[&Sheet], default_language: &str) -> Languages {
        let mut out = Languages { default: language_code(default_language), ..Languages::default() };
        let mut found = Vec::new();
        for sheet in sheets {
            for header in &sheet.headers {
                let (base, lang) = split_header(header);
                if !TEXT_COLUMNS.contains(&base.as_str()) {
                    continue;
                }
                match lang.as_deref().map(language_code) {
                    Some(Some(code)) => found.push(code),
                    Some(None) => out.unknown.push((header.clone(), sheet.name.clone())),
                    None => out.plain_columns.push((header.clone(), sheet.name.clone())),
                }
            }
        }
        if !out.plain_columns.is_empty() {
            found.extend(out.default.clone());
        }
        for first in ["uk", "en"] {
            if found.iter().any(|c| c == first) {
                out.codes.push(first.to_string());
            }
        }
        for code in found {
            if !out.codes.contains(&code) {
                out.codes.push(code);
            }
        }
        out
    }

    /// The language of a text column, `None` when it cannot be told.
    pub fn of_header(&self, header: &str) -> Option<String> {
        match split_header(header).1 {
            Some(name) => language_code(&name),
            None => self.default.clone(),
        }
    }
}

/// A map of names to ids that reports the names it had to change.
#[derive(Debug, Default, Clone)]
pub struct Renames {
    pub ids: BTreeMap<String, String>,
}

impl Renames {
    /// Those whose id differs from their name, as `Name → id`.
    pub fn changed(&self) -> Vec<String> {
        self.ids.iter().filter(|(n, i)| n != i).map(|(n, i)| format!("{n} → {i}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids() {
        assert_eq!(id_for("owes_debt", "v").as_deref(), Some("owes_debt"));
        assert_eq!(id_for("Q1_Age", "q").as_deref(), Some("q1_age"));
        assert_eq!(id_for("dont-know", "v").as_deref(), Some("dont_know"));
        assert_eq!(id_for("1", "v").as_deref(), Some("v1"));
        assert_eq!(id_for("-99", "v").as_deref(), Some("minus_99"));
        assert_eq!(id_for("not", "v").as_deref(), Some("not_"));
        assert_eq!(id_for("вік", "q"), None);
        assert_eq!(id_for("__", "q"), None);
    }
}

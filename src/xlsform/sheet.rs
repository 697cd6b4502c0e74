//! The sheets of an XLSForm workbook as plain text tables: each row keeps its Excel row number,
//! each column its header, so every problem can name the sheet, row and column a person sees.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

/// Why a workbook could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("cannot read {path} as a spreadsheet: {source}")]
    Open { path: String, source: calamine::Error },
    #[error("{path} has no `{sheet}` sheet (its sheets: {found})")]
    Missing { path: String, sheet: &'static str, found: String },
}

/// One sheet: its header row and the rows under it that hold anything.
#[derive(Debug, Default, Clone)]
pub struct Sheet {
    pub name: String,
    /// Column headers as written (trimmed), in column order.
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row under the header.
#[derive(Debug, Default, Clone)]
pub struct Row {
    /// The row number Excel shows (1-based, the header included).
    pub number: usize,
    /// Column header → trimmed cell text; empty cells are left out.
    pub cells: BTreeMap<String, String>,
}

impl Row {
    /// The cell under `header`, or "" when it is empty or the column does not exist.
    pub fn get(&self, header: &str) -> &str {
        self.cells.get(header).map_or("", String::as_str)
    }
}

/// The three sheets an XLSForm uses. `choices` and `settings` may be absent.
#[derive(Debug, Default)]
pub struct Workbook {
    pub survey: Sheet,
    pub choices: Sheet,
    pub settings: Sheet,
}

/// Reads the `survey`, `choices` and `settings` sheets (names compared without case, as pyxform does).
pub fn read(path: &Path) -> Result<Workbook, SheetError> {
    let shown = path.display().to_string();
    let mut book = open_workbook_auto(path).map_err(|source| SheetError::Open { path: shown.clone(), source })?;
    let names = book.sheet_names();
    let find = |want: &str| names.iter().find(|n| n.trim().eq_ignore_ascii_case(want)).cloned();
    let mut sheet = |want: &'static str| -> Result<Option<Sheet>, SheetError> {
        let Some(name) = find(want) else { return Ok(None) };
        let range = book.worksheet_range(&name).map_err(|e| SheetError::Open { path: shown.clone(), source: e })?;
        Ok(Some(table(want, &range)))
    };
    let survey = sheet("survey")?;
    let choices = sheet("choices")?.unwrap_or_else(|| Sheet { name: "choices".into(), ..Sheet::default() });
    let settings = sheet("settings")?.unwrap_or_else(|| Sheet { name: "settings".into(), ..Sheet::default() });
    let survey =
        survey.ok_or_else(|| SheetError::Missing { path: shown.clone(), sheet: "survey", found: names.join(", ") })?;
    Ok(Workbook { survey, choices, settings })
}

/// The first non-empty row is the header; the rows below it become [`Row`]s.
fn table(name: &str, range: &calamine::Range<Data>) -> Sheet {
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = range.rows().enumerate().map(|(i, cells)| (first_row + i + 1, cells));
    let mut headers = Vec::new();
    for (_, cells) in rows.by_ref() {
        if cells.iter().any(|c| !text(c).is_empty()) {
            headers = cells.iter().map(text).collect();
            break;
        }
    }
    let rows = rows
        .filter_map(|(number, cells)| {
            let cells: BTreeMap<String, String> = headers
                .iter()
                .zip(cells)
                .filter(|(h, _)| !h.is_empty())
                .map(|(h, c)| (h.clone(), text(c)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            (!cells.is_empty()).then_some(Row { number, cells })
        })
        .collect();
    Sheet { name: name.to_string(), headers, rows }
}

/// A cell as the text a person typed: whole numbers without `.0`, booleans as `true`/`false`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
    }
}

/// A column header split into its base and language: `label::Українська (uk)` →
/// (`label`, Some(`Українська (uk)`)). `jr:constraintMsg` is the old name of `constraint_message`.
pub fn split_header(header: &str) -> (String, Option<String>) {
    let (base, lang) = match header.split_once("::") {
        Some((b, l)) => (b.trim(), Some(l.trim().to_string())),
        None => (header.trim(), None),
    };
    let base = base.to_ascii_lowercase();
    let base = match base.as_str() {
        "jr:constraintmsg" | "constraint message" => "constraint_message".to_string(),
        "jr:requiredmsg" | "required message" => "required_message".to_string(),
        "list name" => "list_name".to_string(),
        "guidance hint" => "guidance_hint".to_string(),
        "choice filter" => "choice_filter".to_string(),
        _ => base,
    };
    (base, lang)
}

/// The language code of an XLSForm language name: the code in brackets (`English (en)`), or a
/// few well-known names written alone. `None` when it names no language Oberih can tell.
pub fn language_code(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(open) = name.rfind('(') {
        let code = name[open + 1..].trim_end().strip_suffix(')')?.trim();
        let ok = (2..=8).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        return ok.then(|| code.to_ascii_lowercase());
    }
    let code = match name.to_lowercase().as_str() {
        "ukrainian" | "українська" => "uk",
        "english" => "en",
        "russian" | "русский" | "російська" => "ru",
        "polish" | "polski" => "pl",
        "romanian" | "română" => "ro",
        "hungarian" | "magyar" => "hu",
        "german" | "deutsch" => "de",
        "french" | "français" => "fr",
        "spanish" | "español" => "es",
        _ => return None,
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_into_base_and_language() {
        assert_eq!(split_header("label::Українська (uk)"), ("label".into(), Some("Українська (uk)".into())));
        assert_eq!(split_header("Label"), ("label".into(), None));
        assert_eq!(split_header("jr:constraintMsg::English (en)").0, "constraint_message");
    }

    #[test]
    fn language_names_give_codes() {
        assert_eq!(language_code("Українська (uk)").as_deref(), Some("uk"));
        assert_eq!(language_code("English (en)").as_deref(), Some("en"));
        assert_eq!(language_code("English").as_deref(), Some("en"));
        assert_eq!(language_code("Klingon"), None);
        assert_eq!(language_code("Bad (not a code!)"), None);
    }
}

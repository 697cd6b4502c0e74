//! A record as one CSV row with stable columns, the same cells the questionnaire page writes.

use std::io::Write;

use serde_json::Value;

/// One record as CSV: a header line and one row, the same columns and cells the page writes.
///
/// Columns: `form, version, language, started, finished, outcome, indicators, unanswered`, then
/// every answer in record order. A multiple choice is its codes joined by `;`, a repeated section is its
/// entries as compact JSON, a missing value is empty. Text that a spreadsheet would run as a
/// formula (`= + - @`, tab, CR at the start) gets a leading `'`. UTF-8 with a byte-order mark,
/// so spreadsheet programs read Cyrillic correctly; lines end in CRLF.
pub fn record_csv(record: &Value) -> String {
    let mut header: Vec<String> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    for k in ["form", "version", "language", "started", "finished", "outcome", "indicators", "unanswered"] {
        header.push(k.to_string());
        row.push(csv_value(&record[k]));
    }
    if let Some(answers) = record["answers"].as_object() {
        for (k, v) in answers {
            header.push(k.clone());
            row.push(csv_value(v));
        }
    }
    let line = |cells: &[String]| cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    format!("\u{feff}{}\r\n{}\r\n", line(&header), line(&row))
}

pub(super) fn csv_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => defuse_formula(s),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            defuse_formula(&items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(";"))
        }
        other => other.to_string(),
    }
}

/// What a spreadsheet reads as the start of a formula.
pub(super) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub(super) fn defuse_formula(s: &str) -> String {
    if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub(super) fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `s` as [`csv_cell`] of [`defuse_formula`] would make it, written without making either string
/// (an export writes millions of cells).
pub(super) fn write_defused_cell(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    let formula = s.starts_with(FORMULA_STARTS);
    // A defused text starts with `'`, never with a space.
    let quoted = s.contains([',', '"', '\n', '\r']) || (!formula && s.starts_with(' ')) || s.ends_with(' ');
    if quoted {
        w.write_all(b"\"")?;
    }
    if formula {
        w.write_all(b"'")?;
    }
    if quoted {
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                w.write_all(b"\"\"")?;
            }
            w.write_all(part.as_bytes())?;
        }
        w.write_all(b"\"")
    } else {
        w.write_all(s.as_bytes())
    }
}

//! The export as CSV: UTF-8 with a byte-order mark (spreadsheets then read Cyrillic correctly),
//! CRLF line ends, a header of stable column keys, and text a spreadsheet would run as a formula
//! defused with a leading `'`.

use std::io::Write;

use super::table::{columns, row, Cell, NOT_ASKED};
use crate::forms::Form;
use crate::records::csv::{csv_cell, defuse_formula};
use crate::records::dataset::ReadRecord;

pub fn write(w: &mut impl Write, form: &Form, lang: &str, records: &[ReadRecord]) -> std::io::Result<()> {
    let columns = columns(form, lang);
    w.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = columns.iter().map(|c| csv_cell(&defuse_formula(&c.key))).collect();
    w.write_all(header.join(",").as_bytes())?;
    w.write_all(b"\r\n")?;
    let mut line = String::new();
    for r in records {
        line.clear();
        for (i, cell) in row(&columns, r).iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(&cell_text(cell));
        }
        line.push_str("\r\n");
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

pub(super) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::NotAsked => NOT_ASKED.to_string(),
        Cell::Text(s) => csv_cell(&defuse_formula(s)),
        Cell::Number(n) => number(*n),
    }
}

/// A number as a spreadsheet reads it: whole numbers without a decimal point.
pub(super) fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

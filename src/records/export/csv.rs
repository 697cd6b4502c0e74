//! The export as CSV: UTF-8 with a byte-order mark (spreadsheets then read Cyrillic correctly),
//! CRLF line ends, a header of stable column keys, and text a spreadsheet would run as a formula
//! defused with a leading `'`.

use std::io::Write;

use super::table::{self, Cell, Column, NOT_ASKED};
use crate::records::csv::{csv_cell, defuse_formula};
use crate::records::dataset::ReadRecord;

/// The byte-order mark and the header of column keys.
pub fn header(w: &mut impl Write, columns: &[Column]) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = columns.iter().map(|c| csv_cell(&defuse_formula(&c.key))).collect();
    w.write_all(header.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

/// One record's line.
pub fn row(w: &mut impl Write, columns: &[Column], r: &ReadRecord) -> std::io::Result<()> {
    let cells: Vec<String> = table::row(columns, r).iter().map(cell_text).collect();
    w.write_all(cells.join(",").as_bytes())?;
    w.write_all(b"\r\n")
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

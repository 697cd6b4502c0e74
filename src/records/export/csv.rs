//! The export as CSV: UTF-8 with a byte-order mark (spreadsheets then read Cyrillic correctly),
//! CRLF line ends, a header of stable column keys, and text a spreadsheet would run as a formula
//! defused with a leading `'`.

use std::io::Write;

use super::table::{self, Cell, Column, NOT_ASKED};
use crate::records::csv::write_defused_cell;
use crate::records::dataset::BorrowedRecord;

/// The byte-order mark and the header of column keys.
pub fn header(w: &mut impl Write, columns: &[Column]) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write_defused_cell(w, &c.key)?;
    }
    w.write_all(b"\r\n")
}

/// One record's line, written cell by cell.
pub fn row(w: &mut impl Write, columns: &[Column], r: &BorrowedRecord) -> std::io::Result<()> {
    for (i, cell) in table::row(columns, r).iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write_cell(w, cell)?;
    }
    w.write_all(b"\r\n")
}

fn write_cell(w: &mut impl Write, cell: &Cell) -> std::io::Result<()> {
    match cell {
        Cell::Empty => Ok(()),
        Cell::NotAsked => w.write_all(NOT_ASKED.as_bytes()),
        Cell::Text(s) => write_defused_cell(w, s),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(w, "{}", *n as i64),
        Cell::Number(n) => write!(w, "{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_have_no_decimal_point() {
        let text = |n: f64| {
            let mut out = Vec::new();
            write_cell(&mut out, &Cell::Number(n)).expect("write");
            String::from_utf8(out).expect("utf-8")
        };
        assert_eq!(text(3.0), "3");
        assert_eq!(text(-2.0), "-2");
        assert_eq!(text(2.5), "2.5");
        assert_eq!(text(1e16), "10000000000000000");
    }
}

//! The export as CSV: UTF-8 with a byte-order mark (spreadsheets then read Cyrillic correctly),
//! CRLF line ends, a header of stable column keys, and text a spreadsheet would run as a formula
//! defused with a leading `'`.

use std::io::Write;

use super::table::{self, Cell, Column, NOT_ASKED};
use crate::records::csv::{csv_cell, defuse_formula, FORMULA_STARTS};
use crate::records::dataset::ReadRecord;

/// The byte-order mark and the header of column keys.
pub fn header(w: &mut impl Write, columns: &[Column]) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = columns.iter().map(|c| csv_cell(&defuse_formula(&c.key))).collect();
    w.write_all(header.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

/// One record's line, written cell by cell.
pub fn row(w: &mut impl Write, columns: &[Column], r: &ReadRecord) -> std::io::Result<()> {
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
        Cell::Text(s) => write_text(w, s),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(w, "{}", *n as i64),
        Cell::Number(n) => write!(w, "{n}"),
    }
}

/// `s` as [`csv_cell`] of [`defuse_formula`] writes it, without making either string.
fn write_text(w: &mut impl Write, s: &str) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_written_as_the_decrypted_csv_writes_it() {
        let texts = [
            "",
            "plain",
            "Не знає",
            "a,b",
            "say \"hi\"",
            " lead",
            "trail ",
            "=1+2",
            "+380",
            "-5",
            "@x",
            "\tx",
            "\rx",
            "= spaced ",
            "line\nbreak",
            "'quoted'",
            " =x",
            "=\"a\",b",
        ];
        for t in texts {
            let mut out = Vec::new();
            write_text(&mut out, t).expect("write");
            assert_eq!(String::from_utf8(out).expect("utf-8"), csv_cell(&defuse_formula(t)), "{t:?}");
        }
    }

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

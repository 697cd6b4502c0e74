//! The XLSForm workbook: sheets of named columns, written as `.xlsx` with `rust_xlsxwriter`.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One sheet: its columns in order and its rows, each a value per column name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<(String, String)>>,
}

impl Sheet {
    /// A sheet whose columns start in this order (more are added as rows use them).
    pub fn with_columns(columns: &[&str]) -> Self {
        Sheet { columns: columns.iter().map(|c| c.to_string()).collect(), rows: Vec::new() }
    }

    /// Adds a row; empty values are left out.
    pub fn push(&mut self, row: Vec<(String, String)>) {
        let row: Vec<(String, String)> = row.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        for (column, _) in &row {
            if !self.columns.contains(column) {
                self.columns.push(column.clone());
            }
        }
        self.rows.push(row);
    }

    /// The value of `column` in row `i`.
    pub fn get(&self, i: usize, column: &str) -> Option<&str> {
        self.rows.get(i)?.iter().find(|(c, _)| c == column).map(|(_, v)| v.as_str())
    }

    /// The columns some row has a value in, in order.
    fn used_columns(&self) -> Vec<&String> {
        self.columns.iter().filter(|c| self.rows.iter().any(|r| r.iter().any(|(k, _)| k == *c))).collect()
    }
}

/// The three sheets of an XLSForm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheets {
    pub survey: Sheet,
    pub choices: Sheet,
    pub settings: Sheet,
}

/// Writes the workbook to `path`.
pub fn write(sheets: &Sheets, path: &Path) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, sheet) in [("survey", &sheets.survey), ("choices", &sheets.choices), ("settings", &sheets.settings)] {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        let columns = sheet.used_columns();
        for (c, column) in columns.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, column.as_str(), &bold)?;
            ws.set_column_width(c, if column.starts_with("label") || column.starts_with("hint") { 40 } else { 16 })?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, column) in columns.iter().enumerate() {
                if let Some((_, v)) = row.iter().find(|(k, _)| k == *column) {
                    ws.write_string(r as u32 + 1, c as u16, v)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    book.save(path)
}

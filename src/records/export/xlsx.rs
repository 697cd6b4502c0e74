//! The export as an XLSX workbook: the records with a header row of labels in the chosen
//! language, and a second sheet describing every column (its key, label and what its cells hold).
//! Text is always written as text, so nothing in a cell runs as a formula.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::table::{columns, row, Cell, Column, NOT_ASKED};
use crate::forms::Form;
use crate::records::dataset::Dataset;
use crate::records::RecordsError;

pub fn write<W: Write + std::io::Seek + Send>(
    w: W,
    form: &Form,
    lang: &str,
    dataset: &Dataset,
) -> Result<usize, RecordsError> {
    let fail = |e: XlsxError| RecordsError::Spreadsheet(e.to_string());
    let uk = lang == "uk";
    let columns = columns(form, lang);
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();
    // A month of records is hundreds of megabytes of sheet XML: a fast compression level makes
    // the export of 100,000 records 5.5 s instead of 8.9 s, for a file a third larger (37 MB
    // instead of 28 MB), and level 1 is both slower and larger here.
    book.set_zip_compression_level(2);
    // Row by row into an unnamed temporary file (gone even if the process dies), so a large
    // dataset does not have to fit in memory as cells.
    let sheet = book.add_worksheet_with_constant_memory().map_err(fail)?;
    sheet.set_name(if uk { "Записи" } else { "Records" }).map_err(fail)?;
    let n = records_sheet(sheet, &columns, dataset, form, &bold)?;
    let about = book.add_worksheet();
    about.set_name(if uk { "Стовпці" } else { "Columns" }).map_err(fail)?;
    columns_sheet(about, &columns, uk, &bold).map_err(fail)?;
    book.save_to_writer(w).map_err(fail)?;
    Ok(n)
}

fn records_sheet(
    sheet: &mut Worksheet,
    columns: &[Column],
    dataset: &Dataset,
    form: &Form,
    bold: &Format,
) -> Result<usize, RecordsError> {
    let fail = |e: XlsxError| RecordsError::Spreadsheet(e.to_string());
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, &column.label, bold).map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    let mut at = 0u32;
    dataset.each(form, |r| {
        at += 1;
        for (c, cell) in row(columns, &r).iter().enumerate() {
            let c = c as u16;
            let written = match cell {
                Cell::Empty => continue,
                Cell::NotAsked => sheet.write_string(at, c, NOT_ASKED),
                Cell::Text(s) => sheet.write_string(at, c, s.as_ref()),
                Cell::Number(n) => sheet.write_number(at, c, *n),
            };
            written.map_err(fail)?;
        }
        Ok(())
    })
}

fn columns_sheet(sheet: &mut Worksheet, columns: &[Column], uk: bool, bold: &Format) -> Result<(), XlsxError> {
    let head: [&str; 3] = if uk {
        ["Стовпець", "Назва", "Що містить"]
    } else {
        ["Column", "Label", "What it holds"]
    };
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, bold)?;
    }
    for (i, column) in columns.iter().enumerate() {
        let at = i as u32 + 1;
        sheet.write_string(at, 0, &column.key)?;
        sheet.write_string(at, 1, &column.label)?;
        sheet.write_string(at, 2, &column.holds)?;
    }
    let notes: [&str; 3] = if uk {
        [
            "Порожня клітинка: питання поставили, відповіді не дали (або значення немає).",
            "NOT_ASKED: питання не ставили (умова не виконалася, розділ пропущено, опитування завершилося раніше, або питання не було у версії форми).",
            "«Не знає» і «Не хоче відповідати» мають власні коди відповіді; записи, експортовані до появи поля not_asked, не розрізняють «не ставили» і «без відповіді».",
        ]
    } else {
        [
            "An empty cell: the question was asked and left blank (or the field has no value).",
            "NOT_ASKED: the question was not asked (its condition was false, its section skipped, the interview ended before it, or the form's version did not have it).",
            "\"Doesn't know\" and \"Prefers not to say\" have their own answer codes; records exported before the not_asked field existed cannot tell not asked from blank.",
        ]
    };
    let start = columns.len() as u32 + 2;
    for (i, n) in notes.iter().enumerate() {
        sheet.write_string(start + i as u32, 0, *n)?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 48)?;
    sheet.set_column_width(2, 80)?;
    Ok(())
}

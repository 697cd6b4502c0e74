//! The export as an XLSX workbook: the records with a header row of labels in the chosen
//! language, and a second sheet describing every column (its key, label and what its cells hold).
//! Text is always written as text, so nothing in a cell runs as a formula.

use std::io::Write;
use std::ops::Range;
use std::sync::mpsc;

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
    // A month of records is hundreds of megabytes of sheet XML, compressed on one thread once
    // every row is written. For 100,000 records the fastest level takes a quarter of a second
    // less than level 2 and about three seconds less than the library's default (6), for a file
    // 1.8 times the default's size (50 MB instead of 28 MB); a spreadsheet reads the same XML.
    book.set_zip_compression_level(1);
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

/// Rows cross from the reading thread to the writing one in batches of this many, so that
/// handing them over costs little beside their cells.
pub(super) const BATCH: usize = 256;

/// A batch of rows as the reading thread lays them out: all their text in one buffer and every
/// cell pointing into it. Batches go back to the reading thread to be filled again, so text is
/// never allocated on one thread and freed on the other (which makes the allocator lock).
#[derive(Default)]
struct Batch {
    text: String,
    /// One slot per column for every row, row after row.
    cells: Vec<Slot>,
}

enum Slot {
    Empty,
    NotAsked,
    Text(Range<usize>),
    Number(f64),
}

impl Batch {
    fn push(&mut self, cells: Vec<Cell>) {
        for cell in cells {
            let slot = match cell {
                Cell::Empty => Slot::Empty,
                Cell::NotAsked => Slot::NotAsked,
                Cell::Number(n) => Slot::Number(n),
                Cell::Text(s) => {
                    let start = self.text.len();
                    self.text.push_str(&s);
                    Slot::Text(start..self.text.len())
                }
            };
            self.cells.push(slot);
        }
    }
}

/// Writes the header and one row per record. The records are read and laid out on this thread
/// while another puts the cells in the sheet: on two cores the two halves overlap, and the
/// spreadsheet library's work on the cells is the longer one, so reading costs almost nothing.
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
    let (full, to_write) = mpsc::sync_channel::<Batch>(4);
    let (written_back, empty) = mpsc::channel::<Batch>();
    let width = columns.len();
    std::thread::scope(|s| {
        let writer = s.spawn(move || put_rows(sheet, width, to_write, written_back));
        let read = read_rows(dataset, form, columns, full, empty);
        // When both fail, the writer's failure is the cause: reading stops because it is gone.
        let written = match writer.join() {
            Ok(written) => written.map_err(fail)?,
            Err(_) => return Err(writer_gone()),
        };
        let read = read?;
        debug_assert_eq!(read, written);
        Ok(read)
    })
}

fn writer_gone() -> RecordsError {
    RecordsError::Spreadsheet("the spreadsheet writer stopped".into())
}

/// Reads the records and sends their rows in batches; stops when the writer has gone.
fn read_rows(
    dataset: &Dataset,
    form: &Form,
    columns: &[Column],
    full: mpsc::SyncSender<Batch>,
    empty: mpsc::Receiver<Batch>,
) -> Result<usize, RecordsError> {
    let mut batch = Batch::default();
    let mut rows = 0;
    let n = dataset.each(form, |r| {
        batch.push(row(columns, r));
        rows += 1;
        if rows == BATCH {
            let next = empty.try_recv().unwrap_or_default();
            full.send(std::mem::replace(&mut batch, next)).map_err(|_| writer_gone())?;
            rows = 0;
        }
        Ok(())
    })?;
    if rows > 0 {
        full.send(batch).map_err(|_| writer_gone())?;
    }
    Ok(n)
}

/// Puts every row it receives in the sheet, below the header, and hands each emptied batch
/// back; returns how many rows.
fn put_rows(
    sheet: &mut Worksheet,
    width: usize,
    to_write: mpsc::Receiver<Batch>,
    written_back: mpsc::Sender<Batch>,
) -> Result<usize, XlsxError> {
    let mut at = 0u32;
    for mut batch in to_write {
        for cells in batch.cells.chunks(width.max(1)) {
            at += 1;
            for (c, slot) in cells.iter().enumerate() {
                let c = c as u16;
                match slot {
                    Slot::Empty => continue,
                    Slot::NotAsked => sheet.write_string(at, c, NOT_ASKED)?,
                    Slot::Text(range) => sheet.write_string(at, c, &batch.text[range.clone()])?,
                    Slot::Number(n) => sheet.write_number(at, c, *n)?,
                };
            }
        }
        batch.text.clear();
        batch.cells.clear();
        // The reader may have finished and gone; then the batch is simply dropped.
        let _ = written_back.send(batch);
    }
    Ok(at as usize)
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

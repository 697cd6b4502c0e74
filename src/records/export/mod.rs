//! `oberih records export DATASET --form ID --format csv|xlsx|jsonl [--lang uk|en] -o FILE`:
//! a form's records, read as its current version, for analysts.
//!
//! The output file is made new (never over another file), readable by its owner alone, and
//! never inside a portal or a build output. See [`table`] for the columns and their cells.

use std::io::{BufWriter, Write};
use std::path::Path;

use super::dataset::Dataset;
use super::place::{check_place, create_new};
use super::portal::{passed_over_note, PortalForms};
use super::RecordsError;
use crate::forms::Form;

mod csv;
pub mod table;
mod xlsx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// UTF-8 with a byte-order mark, CRLF, formulas defused.
    Csv,
    /// A workbook: records with labelled headers, and a sheet describing every column.
    Xlsx,
    /// One JSON record per line, in the shape of the current version's export.
    Jsonl,
    /// One JSON object per line with only the fields mapped to the Human Trafficking Case Data
    /// Standard (HTCDS v2), for case systems.
    Htcds,
}

/// Writes `form`'s records from `dataset` to the new file `out`; returns how many were written.
pub fn export(
    dataset: &Dataset,
    form: &Form,
    format: ExportFormat,
    lang: &str,
    out: &Path,
) -> Result<usize, RecordsError> {
    check_place(out)?;
    let file = create_new(out)?;
    let written = write(dataset, form, format, lang, file, out);
    if written.is_err() {
        // Only the file this run made, and never half of it.
        let _ = std::fs::remove_file(out);
    }
    written
}

/// Writes the records one at a time, so an export never holds the whole dataset in memory.
fn write(
    dataset: &Dataset,
    form: &Form,
    format: ExportFormat,
    lang: &str,
    file: std::fs::File,
    out: &Path,
) -> Result<usize, RecordsError> {
    let io = |source| RecordsError::Write { path: out.display().to_string(), source };
    let mut w = BufWriter::new(file);
    let n = match format {
        ExportFormat::Csv => {
            let columns = table::columns(form, lang);
            csv::header(&mut w, &columns).map_err(io)?;
            dataset.each(form, |r| csv::row(&mut w, &columns, r).map_err(io))?
        }
        ExportFormat::Jsonl => dataset.each(form, |r| {
            serde_json::to_writer(&mut w, &r.record).map_err(|e| io(e.into()))?;
            w.write_all(b"\n").map_err(io)
        })?,
        ExportFormat::Htcds => dataset.each(form, |r| {
            serde_json::to_writer(&mut w, &crate::records::htcds::record(form, &r.record.to_value()))
                .map_err(|e| io(e.into()))?;
            w.write_all(b"\n").map_err(io)
        })?,
        ExportFormat::Xlsx => xlsx::write(&mut w, form, lang, dataset)?,
    };
    let file = w.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok(n)
}

/// `oberih records export`: opens the dataset, finds the form as the portal at `root` (or its
/// region `region`) builds it, and exports the records of every portal that builds the same form.
/// Records made with another form of that id are left out, and a note says how to read them.
pub fn run(
    root: &Path,
    dataset: &Path,
    form_id: &str,
    region: Option<&str>,
    format: ExportFormat,
    lang: &str,
    out: &Path,
) -> Result<usize, RecordsError> {
    check_place(out)?;
    let portal = PortalForms::load(root)?;
    let form = portal.chosen(region, form_id)?;
    let dataset = Dataset::open(dataset)?.only_portals(portal.sharing(form));
    let n = export(&dataset, form, format, lang, out)?;
    crate::stdio::err(&passed_over_note(form_id, &dataset.passed_over()));
    Ok(n)
}

#[cfg(test)]
mod tests;

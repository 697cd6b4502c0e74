//! `oberih records summary`: a dataset's records of one form, counted into suppressed tables.

use std::path::Path;

use super::{SummaryOptions, SummaryReport, TableSpec};
use crate::records::dataset::Dataset;
use crate::records::RecordsError;

/// Why a summary could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error(transparent)]
    Summary(#[from] super::SummaryError),
}

/// Opens the dataset, finds the form in the portal at `root`, and writes the tables named by
/// `by` (each `key` or `key*key`) into the new folder `out`.
pub fn run(
    root: &Path,
    dataset: &Path,
    form_id: &str,
    by: &[String],
    min_count: u64,
    lang: &str,
    out: &Path,
) -> Result<SummaryReport, CommandError> {
    let tables = by.iter().map(|b| TableSpec::parse(b)).collect::<Result<Vec<_>, _>>()?;
    let dataset = Dataset::open(dataset)?;
    let forms = crate::records::portal_forms(root)?;
    let form = forms.iter().find(|f| f.id == form_id).ok_or_else(|| RecordsError::UnknownForm(form_id.to_string()))?;
    let records = dataset.records(form)?;
    let options = SummaryOptions { tables, min_count, lang: lang.to_string(), ..SummaryOptions::default() };
    Ok(super::run(form, &records, &options, out)?)
}

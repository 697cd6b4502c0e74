//! `oberih records summary`: a dataset's records of one form, counted into suppressed tables.

use std::path::Path;

use super::{SummaryOptions, SummaryReport, TableSpec};
use crate::records::dataset::Dataset;
use crate::records::portal::{passed_over_note, PortalForms};
use crate::records::RecordsError;

/// Why a summary could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error(transparent)]
    Summary(#[from] super::SummaryError),
}

/// Opens the dataset, finds the form as the portal at `root` (or its region `region`) builds it,
/// and writes the tables named by `by` (each `key` or `key*key`) of the records of every portal
/// that builds the same form into the new folder `out`.
#[allow(clippy::too_many_arguments)]
pub fn run(
    root: &Path,
    dataset: &Path,
    form_id: &str,
    region: Option<&str>,
    by: &[String],
    min_count: u64,
    lang: &str,
    out: &Path,
) -> Result<SummaryReport, CommandError> {
    let tables = by.iter().map(|b| TableSpec::parse(b)).collect::<Result<Vec<_>, _>>()?;
    let portal = PortalForms::load(root)?;
    let form = portal.chosen(region, form_id)?;
    let dataset = Dataset::open(dataset)?.only_portals(portal.sharing(form));
    // One record at a time: only what the tables count is kept.
    let mut records = Vec::new();
    dataset.each(form, |r| {
        records.push(super::Facts::of(form, &r.record));
        Ok(())
    })?;
    crate::stdio::err(&passed_over_note(form_id, &dataset.passed_over()));
    let options =
        SummaryOptions { tables, min_count, lang: lang.to_string(), region_labels: portal.region_names.clone() };
    Ok(super::run(form, &records, &options, out)?)
}

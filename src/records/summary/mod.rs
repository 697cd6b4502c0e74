//! Monitoring figures from screening records, safe to publish: counts by outcome, dimension,
//! indicator, region, month, age band and sex, with small cells suppressed.
//!
//! # What is counted
//! Each table counts screenings (records) by one key, or by two (rows × columns), with its row
//! and column totals and the number of screenings. Outcome, region, month, age band and sex are
//! *partitions*: every record falls in exactly one category, so records that do not say (no
//! answer, "doesn't know", "prefers not to say", no date) have a category of their own,
//! «Не зазначено», and the categories add up to the total. Indicators and dimensions are not: a
//! record counts once under every indicator that fired and every dimension that is positive under
//! the form's rule, so their categories do not add up to anything.
//!
//! Age and sex come from the questions a form marks `measure = "age"` (an integer question, in
//! full years, banded 0–17, 18–24, 25–34, 35–49, 50+) and `measure = "sex"` (a choice question,
//! whose options are the categories); the build checks both. A form without them cannot be
//! summarised by age band or sex ([`SummaryError::NoMeasure`]): the summary never guesses these
//! from free text. Months come from `started`, regions from the record's `region`.
//!
//! # Suppression
//! A count below `min_count` (default 10, zero included) is shown as «<10» (primary
//! suppression). Complementary suppression then hides further counts, shown as «×», until no
//! suppressed count can be worked out from what is published:
//!
//! 1. Every figure of the run is one value, whichever table shows it: the number of screenings
//!    in a region is the same in the region table and in the row total of region × month, and is
//!    suppressed in both or in neither. So tables that share margins cannot be differenced
//!    against each other: the relations between them are the relations between figures.
//! 2. The relations are the sums a reader knows: within each category of the other key (or
//!    overall), a partition key's categories add up to the figure without that key.
//! 3. A relation with exactly one suppressed member would give it away: the smallest published
//!    member is hidden too (a child before its total).
//! 4. Then an exact check over the whole run: the relations are a system of linear equations in
//!    the suppressed figures; a figure is determined when its unit vector lies in the equations'
//!    row space (reduced row echelon form). Interval reasoning is added on top, because a reader
//!    also knows a «<10» figure is 0–9 and a «×» one at least 10: two «<10» figures that must
//!    add up to 18 are both 9. Any determined figure gets a partner hidden in one of its
//!    relations, and the steps repeat until none is.
//!
//! The property tests check the published tables, with an elimination of their own, on random
//! datasets. Suppression hides values; it does not make a table of ten people anonymous, so the
//! report says what was suppressed and why, and record-level data never leaves the dataset.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::forms::form::Measure;
use crate::forms::Form;
use crate::records::json::Json;

pub mod command;
mod linear;
pub mod suppress;
pub mod tables;
pub mod write;

pub use suppress::Shown;
pub use tables::{Category, Facts};

pub use crate::statistics::DEFAULT_MIN_COUNT;

/// What a table can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Outcome,
    Dimension,
    Indicator,
    Region,
    Month,
    AgeBand,
    Sex,
}

impl Key {
    pub const ALL: [Key; 7] =
        [Key::Outcome, Key::Dimension, Key::Indicator, Key::Region, Key::Month, Key::AgeBand, Key::Sex];

    pub fn name(self) -> &'static str {
        match self {
            Key::Outcome => "outcome",
            Key::Dimension => "dimension",
            Key::Indicator => "indicator",
            Key::Region => "region",
            Key::Month => "month",
            Key::AgeBand => "age_band",
            Key::Sex => "sex",
        }
    }

    pub fn parse(s: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether every record falls in exactly one category.
    pub fn is_partition(self) -> bool {
        !matches!(self, Key::Dimension | Key::Indicator)
    }
}

/// One table: counts by `rows`, or by `rows` × `columns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    pub rows: Key,
    pub columns: Option<Key>,
}

impl TableSpec {
    /// `region` or `region*month`.
    pub fn parse(s: &str) -> Result<TableSpec, SummaryError> {
        let unknown = |k: &str| SummaryError::UnknownKey(k.trim().to_string());
        let mut parts = s.split('*');
        let rows = parts.next().map(str::trim).unwrap_or_default();
        let rows = Key::parse(rows).ok_or_else(|| unknown(rows))?;
        let columns = parts.next().map(|c| Key::parse(c.trim()).ok_or_else(|| unknown(c))).transpose()?;
        if parts.next().is_some() || columns == Some(rows) {
            return Err(SummaryError::BadTable(s.to_string()));
        }
        Ok(TableSpec { rows, columns })
    }

    pub fn keys(&self) -> Vec<Key> {
        std::iter::once(self.rows).chain(self.columns).collect()
    }

    /// The table's id, also its file name: `region`, `region_by_month`.
    pub fn id(&self) -> String {
        match self.columns {
            None => self.rows.name().to_string(),
            Some(c) => format!("{}_by_{}", self.rows.name(), c.name()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SummaryOptions {
    pub tables: Vec<TableSpec>,
    pub min_count: u64,
    /// The language of the HTML report and the CSV headers: `uk` or `en`.
    pub lang: String,
    /// Region names by slug, from the portal's regions; a region without one shows its slug.
    pub region_labels: BTreeMap<String, crate::forms::LangText>,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            tables: Vec::new(),
            min_count: DEFAULT_MIN_COUNT,
            lang: "uk".into(),
            region_labels: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("`{0}` is not something to count by; use outcome, dimension, indicator, region, month, age_band or sex")]
    UnknownKey(String),
    #[error("`{0}` is not a table: name one key, or two joined by `*` (e.g. `region*month`)")]
    BadTable(String),
    #[error("no tables asked for: name at least one key to count by")]
    NoTables,
    #[error("`--min-count` must be at least 2 (a count of one person is never published)")]
    MinCount,
    #[error("form `{form}` has no question with `measure = \"{measure}\"`, so it cannot be counted by {key}")]
    NoMeasure { form: String, measure: &'static str, key: &'static str },
    #[error("`{0}` already exists; choose a new folder (a summary never overwrites files)")]
    Exists(String),
    #[error("cannot write `{path}`: {source}")]
    Write { path: String, source: std::io::Error },
}

/// One published table.
#[derive(Debug, Clone)]
pub struct Table {
    pub spec: TableSpec,
    pub rows: Vec<Category>,
    pub columns: Vec<Category>,
    /// `cells[row][column]`; empty for a one-key table.
    pub cells: Vec<Vec<Shown>>,
    pub row_totals: Vec<Shown>,
    pub column_totals: Vec<Shown>,
    /// The number of screenings.
    pub total: Shown,
}

/// Every table of a run, suppressed.
#[derive(Debug, Clone)]
pub struct Summary {
    pub form_id: String,
    pub form_version: String,
    pub form_title: crate::forms::LangText,
    pub min_count: u64,
    pub tables: Vec<Table>,
}

/// What [`run`] wrote.
#[derive(Debug, Clone)]
pub struct SummaryReport {
    pub files: Vec<PathBuf>,
    pub tables: usize,
    pub small: usize,
    pub hidden: usize,
}

/// Builds the suppressed tables of `records` (exports of `form`, read at its current version).
pub fn summarise(form: &Form, records: &[Value], options: &SummaryOptions) -> Result<Summary, SummaryError> {
    let facts: Vec<Facts> = records.iter().map(|r| Facts::of(form, &Json::of(r))).collect();
    summarise_facts(form, &facts, options)
}

/// [`summarise`] from what each record says ([`Facts::of`]).
pub fn summarise_facts(form: &Form, records: &[Facts], options: &SummaryOptions) -> Result<Summary, SummaryError> {
    if options.tables.is_empty() {
        return Err(SummaryError::NoTables);
    }
    if options.min_count < 2 {
        return Err(SummaryError::MinCount);
    }
    for key in options.tables.iter().flat_map(TableSpec::keys) {
        let measure = match key {
            Key::AgeBand => Some((Measure::Age, "age")),
            Key::Sex => Some((Measure::Sex, "sex")),
            _ => None,
        };
        if let Some((m, name)) = measure {
            if !form.questions().any(|(_, q)| q.measure == Some(m)) {
                return Err(SummaryError::NoMeasure { form: form.id.clone(), measure: name, key: key.name() });
            }
        }
    }
    let mut specs = options.tables.clone();
    specs.dedup_by_key(|s| s.id());
    let classified = tables::classify(form, records, &specs, &options.region_labels);
    let counts = tables::count(&classified, &specs);
    let relations = suppress::relations(&classified, &specs);
    let shown = suppress::suppress(&counts, &relations, options.min_count);
    let tables = specs.iter().map(|s| table(&classified, s, &shown)).collect();
    Ok(Summary {
        form_id: form.id.clone(),
        form_version: form.version.clone(),
        form_title: form.title.clone(),
        min_count: options.min_count,
        tables,
    })
}

fn table(c: &tables::Classified, spec: &TableSpec, shown: &BTreeMap<tables::Figure, Shown>) -> Table {
    let get = |parts: &[(Key, usize)]| shown.get(&tables::figure(parts)).copied().unwrap_or(Shown::Small);
    let cats = |k: Key| c.categories.get(&k).cloned().unwrap_or_default();
    let rows = cats(spec.rows);
    let columns = spec.columns.map(cats).unwrap_or_default();
    let cells = match spec.columns {
        None => Vec::new(),
        Some(col) => {
            (0..rows.len()).map(|i| (0..columns.len()).map(|j| get(&[(spec.rows, i), (col, j)])).collect()).collect()
        }
    };
    Table {
        spec: *spec,
        row_totals: (0..rows.len()).map(|i| get(&[(spec.rows, i)])).collect(),
        column_totals: spec
            .columns
            .map(|col| (0..columns.len()).map(|j| get(&[(col, j)])).collect())
            .unwrap_or_default(),
        total: get(&[]),
        rows,
        columns,
        cells,
    }
}

/// Summarises what `records` say ([`Facts::of`]) and writes every table as CSV and JSON, and one HTML report, into `out_dir`, which
/// must not exist yet (or be empty): a summary never replaces files.
pub fn run(
    form: &Form,
    records: &[Facts],
    options: &SummaryOptions,
    out_dir: &Path,
) -> Result<SummaryReport, SummaryError> {
    let summary = summarise_facts(form, records, options)?;
    let files = write::all(&summary, &options.lang, out_dir)?;
    let all = summary.tables.iter().flat_map(|t| {
        t.cells.iter().flatten().chain(&t.row_totals).chain(&t.column_totals).chain(std::iter::once(&t.total))
    });
    let (mut small, mut hidden) = (0, 0);
    for s in all {
        match s {
            Shown::Small => small += 1,
            Shown::Hidden => hidden += 1,
            Shown::Count(_) => {}
        }
    }
    Ok(SummaryReport { files, tables: summary.tables.len(), small, hidden })
}

#[cfg(test)]
mod tests;

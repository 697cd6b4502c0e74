//! What can stop a records command as a whole (a single record that cannot be taken is a
//! [`super::add::Rejection`] in the report instead).

#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error("`{path}` is inside the portal at `{portal}`; keep records outside every portal folder, so they can never be built into a site and published")]
    InsidePortal { path: String, portal: String },
    #[error("`{path}` is inside the build output `{output}` (it has a `.oberih-output` marker); the next build would publish or delete it; keep records elsewhere")]
    InsideOutput { path: String, output: String },
    #[error("`{0}` is a folder, not a dataset file")]
    IsFolder(String),
    #[error("`{0}` does not exist; `oberih records add` creates a dataset")]
    NoDataset(String),
    #[error("`{0}` is not an Oberih dataset (an SQLite file made by `oberih records add`)")]
    NotDataset(String),
    #[error("`{path}` was made by a newer oberih (dataset layout {found}; this one reads {known}); update oberih")]
    NewerDataset { path: String, found: i64, known: i64 },
    #[error("the dataset `{path}`: {source}")]
    Database { path: String, source: rusqlite::Error },
    #[error("`{0}` already exists; oberih never overwrites an export: choose another name or move it away")]
    Exists(String),
    #[error("cannot write `{path}`: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("cannot write the spreadsheet: {0}")]
    Spreadsheet(String),
    #[error("the portal has no form `{0}`")]
    UnknownForm(String),
    #[error("the portal at `{0}` has errors; run `oberih check` there first")]
    Portal(String),
    #[error("the region `{region}` of the portal at `{portal}` has errors; run `oberih check --region {region}` there first")]
    RegionalPortal { portal: String, region: String },
    #[error("neither the region `{region}` nor the national portal has a form `{form}`")]
    UnknownRegionalForm { form: String, region: String },
    #[error("there is no region `{region}` in the portal (regions: {known})")]
    UnknownRegion { region: String, known: String },
    #[error(
        "the national portal has no form `{form}`; region(s) {regions} have one: name the region with --region {first}"
    )]
    RegionalForm { form: String, regions: String, first: String },
    #[error(transparent)]
    Key(#[from] super::CryptoError),
    #[error("a stored record of `{form}` cannot be read: {reason}")]
    Stored { form: String, reason: String },
    #[error("{0} file(s) or record(s) were rejected, so nothing was stored; fix or remove them and run again")]
    Rejected(usize),
}

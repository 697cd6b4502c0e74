//! A dataset: the records of one office in one SQLite file, each stored exactly as it was
//! exported (form version and all) and read through its form's migrations.
//!
//! The file is created readable by its owner alone and marked as Oberih's with SQLite's
//! `application_id`, so `open` refuses any other database. A record is kept once per distinct
//! content: the same id with the same content is a duplicate and not stored again; the same id
//! with other content is a conflict and both are kept.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use super::json::Json;
use super::migrate::{is_current, read_as_current};
use super::RecordsError;
use crate::forms::Form;

pub mod store;

pub use store::{digest, NewRecord, Placed, RunCounts, Stored};

/// `PRAGMA application_id` of a dataset: "OBRH".
const APPLICATION_ID: i64 = 0x4f42_5248;
/// The layout this code writes (`PRAGMA user_version`).
const LAYOUT: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE run (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    files INTEGER NOT NULL,
    added INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    conflicts INTEGER NOT NULL
);
CREATE TABLE record (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    form TEXT NOT NULL,
    version TEXT NOT NULL,
    digest TEXT NOT NULL,
    content TEXT NOT NULL,
    source TEXT NOT NULL,
    run INTEGER NOT NULL REFERENCES run(seq),
    UNIQUE (id, digest)
);
CREATE INDEX record_by_form ON record(form, seq);
";

/// A stored record read as its form's current version: the record borrows its stored text (see
/// [`Json`]) and lives for one call of [`Dataset::each`]'s `f`.
#[derive(Debug)]
pub struct BorrowedRecord<'a> {
    pub record: Json<'a>,
    pub source_version: &'a str,
    pub conflict: bool,
}

/// An open dataset file.
pub struct Dataset {
    pub(super) conn: Connection,
    path: PathBuf,
    /// The portals (national as `None`, or a region's slug) whose records are read; all if unset.
    portals: Option<Vec<Option<String>>>,
    /// How many records of other portals reads passed over, by portal.
    passed_over: RefCell<BTreeMap<Option<String>, usize>>,
}

/// A stored record read as its form's current version, with what the dataset knows of it.
#[derive(Debug, Clone)]
pub struct ReadRecord {
    /// The record in the shape of the current version's export.
    pub record: Value,
    /// The form version it was exported with.
    pub source_version: String,
    /// Another stored record has the same id and other content.
    pub conflict: bool,
}

impl Dataset {
    /// Opens an existing dataset.
    pub fn open(path: &Path) -> Result<Dataset, RecordsError> {
        if !path.is_file() {
            return Err(RecordsError::NoDataset(path.display().to_string()));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|source| RecordsError::Database { path: path.display().to_string(), source })?;
        let dataset = Dataset { conn, path: path.to_path_buf(), portals: None, passed_over: RefCell::default() };
        dataset.check_layout()?;
        Ok(dataset)
    }

    /// Opens a dataset, creating it (owner-only) if nothing is at `path`.
    pub fn open_or_create(path: &Path) -> Result<Dataset, RecordsError> {
        if path.symlink_metadata().is_ok() {
            return Dataset::open(path);
        }
        drop(super::place::create_new(path)?);
        let conn = Connection::open(path)
            .map_err(|source| RecordsError::Database { path: path.display().to_string(), source })?;
        let dataset = Dataset { conn, path: path.to_path_buf(), portals: None, passed_over: RefCell::default() };
        let setup = format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {LAYOUT}; {SCHEMA}");
        dataset.conn.execute_batch(&setup).map_err(|e| dataset.db(e))?;
        Ok(dataset)
    }

    fn check_layout(&self) -> Result<(), RecordsError> {
        let shown = self.path.display().to_string();
        let pragma = |name: &str| self.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
        let id = pragma("application_id").map_err(|_| RecordsError::NotDataset(shown.clone()))?;
        if id != APPLICATION_ID {
            return Err(RecordsError::NotDataset(shown));
        }
        let found = pragma("user_version").map_err(|e| self.db(e))?;
        if found > LAYOUT {
            return Err(RecordsError::NewerDataset { path: shown, found, known: LAYOUT });
        }
        Ok(())
    }

    /// Reads only records exported by the `portals` named (national as `None`, or a region's
    /// slug): those whose form is the one a read is given.
    pub fn only_portals(mut self, portals: Vec<Option<String>>) -> Dataset {
        self.portals = Some(portals);
        self
    }

    /// How many records of other portals than [`Dataset::only_portals`] named were passed over.
    pub fn passed_over(&self) -> BTreeMap<Option<String>, usize> {
        self.passed_over.borrow().clone()
    }

    pub(super) fn db(&self, source: rusqlite::Error) -> RecordsError {
        RecordsError::Database { path: self.path.display().to_string(), source }
    }

    /// Every stored record of `form`, read as its current version, in the order they were added:
    /// a duplicate once, both sides of a conflict.
    pub fn records(&self, form: &Form) -> Result<Vec<Value>, RecordsError> {
        Ok(self.read(form)?.into_iter().map(|r| r.record).collect())
    }

    /// [`Dataset::records`] with each record's version as exported and whether it is in conflict.
    pub fn read(&self, form: &Form) -> Result<Vec<ReadRecord>, RecordsError> {
        let mut out = Vec::new();
        self.each(form, |r| {
            let (source_version, conflict) = (r.source_version.to_string(), r.conflict);
            out.push(ReadRecord { record: r.record.to_value(), source_version, conflict });
            Ok(())
        })?;
        Ok(out)
    }

    /// Hands every record of [`Dataset::read`] to `f` in turn, holding one at a time in memory;
    /// returns how many there were. A record of the current version borrows its stored text (see
    /// [`Json`]); an older one is read through its form's migration first.
    pub fn each(
        &self,
        form: &Form,
        mut f: impl FnMut(&BorrowedRecord) -> Result<(), RecordsError>,
    ) -> Result<usize, RecordsError> {
        let mut n = 0;
        self.each_stored(&form.id, |stored| {
            let failed = |reason: String| RecordsError::Stored { form: form.id.clone(), reason };
            let (source_version, conflict) = (stored.version.as_str(), stored.conflict);
            // The stored version is the record's own, so only an older record is parsed as a
            // `Value` to be migrated.
            if is_current(form, source_version) {
                let record: Json = serde_json::from_str(&stored.content).map_err(|e| failed(e.to_string()))?;
                if !self.keeps(record.get("region").as_str()) {
                    return Ok(());
                }
                n += 1;
                return f(&BorrowedRecord { record, source_version, conflict });
            }
            let original: Value = serde_json::from_str(&stored.content).map_err(|e| failed(e.to_string()))?;
            if !self.keeps(original.get("region").and_then(Value::as_str)) {
                return Ok(());
            }
            let current = read_as_current(form, &original).map_err(|e| failed(e.to_string()))?;
            n += 1;
            f(&BorrowedRecord { record: Json::of(&current), source_version, conflict })
        })?;
        Ok(n)
    }

    /// Whether reads keep a record of the portal `region` (`None`: the national one); counts
    /// the records passed over.
    fn keeps(&self, region: Option<&str>) -> bool {
        let Some(keep) = &self.portals else { return true };
        if keep.iter().any(|k| k.as_deref() == region) {
            return true;
        }
        *self.passed_over.borrow_mut().entry(region.map(str::to_string)).or_default() += 1;
        false
    }

    /// How many records the dataset holds.
    pub fn count(&self) -> Result<u64, RecordsError> {
        self.conn
            .query_row("SELECT count(*) FROM record", [], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.db(e))
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

//! Putting records into a dataset and reading them back as stored.

use std::fmt::Write as _;

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Dataset;
use crate::records::RecordsError;

/// A stored record as it was exported.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub version: String,
    pub content: String,
    pub conflict: bool,
}

/// A record ready to be stored.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: String,
    pub form: String,
    pub version: String,
    pub digest: String,
    pub content: String,
    /// The file it came from, by name only.
    pub source: String,
}

/// What became of a record offered to the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Added,
    /// The same id with the same content is stored already.
    Duplicate,
    /// The same id with other content is stored already; this one is stored too.
    Conflict,
}

/// Counts of one run, kept in the dataset's `run` table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub files: usize,
    pub added: usize,
    pub duplicates: usize,
    pub conflicts: usize,
}

/// SHA-256 of the record with object keys sorted, so the same content in another key order is
/// the same record.
pub fn digest(v: &Value) -> String {
    let mut text = Vec::with_capacity(4096);
    canonical(v, &mut text);
    let hash = Sha256::digest(&text);
    let mut hex = String::with_capacity(64);
    for b in hash {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The record's JSON with every object's keys in order; strings and numbers are written by
/// `serde_json`, as `Value` writes them.
fn canonical(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                scalar(k, out);
                out.push(b':');
                canonical(v, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(item, out);
            }
            out.push(b']');
        }
        other => scalar(other, out),
    }
}

fn scalar<T: serde::Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    // Serialising a string, number, bool or null into memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
}

impl Dataset {
    /// Starts the one transaction of a run.
    pub fn transaction(&mut self) -> Result<Transaction<'_>, RecordsError> {
        let path = self.path.display().to_string();
        self.conn.transaction().map_err(|source| RecordsError::Database { path, source })
    }

    /// Every stored record of `form` in the order they were added.
    pub fn stored(&self, form: &str) -> Result<Vec<Stored>, RecordsError> {
        let mut out = Vec::new();
        self.each_stored(form, |s| {
            out.push(s);
            Ok(())
        })?;
        Ok(out)
    }

    /// Hands every stored record of `form` to `f`, one at a time, in the order they were added.
    pub fn each_stored(
        &self,
        form: &str,
        mut f: impl FnMut(Stored) -> Result<(), RecordsError>,
    ) -> Result<(), RecordsError> {
        let sql = "SELECT r.id, r.version, r.content, \
                   EXISTS (SELECT 1 FROM record o WHERE o.id = r.id AND o.digest <> r.digest) \
                   FROM record r WHERE r.form = ?1 ORDER BY r.seq";
        let mut statement = self.conn.prepare(sql).map_err(|e| self.db(e))?;
        let mut rows = statement.query([form]).map_err(|e| self.db(e))?;
        while let Some(r) = rows.next().map_err(|e| self.db(e))? {
            f(stored_of(r).map_err(|e| self.db(e))?)?;
        }
        Ok(())
    }
}

fn stored_of(r: &rusqlite::Row) -> rusqlite::Result<Stored> {
    Ok(Stored { id: r.get(0)?, version: r.get(1)?, content: r.get(2)?, conflict: r.get(3)? })
}

/// Records the run and returns its number.
pub fn begin_run(tx: &Transaction, at: &str) -> rusqlite::Result<i64> {
    tx.execute("INSERT INTO run (at, files, added, duplicates, conflicts) VALUES (?1, 0, 0, 0, 0)", [at])?;
    Ok(tx.last_insert_rowid())
}

pub fn finish_run(tx: &Transaction, run: i64, c: RunCounts) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE run SET files = ?1, added = ?2, duplicates = ?3, conflicts = ?4 WHERE seq = ?5",
        params![c.files as i64, c.added as i64, c.duplicates as i64, c.conflicts as i64, run],
    )?;
    Ok(())
}

/// Offers one record: stored unless the same id with the same content is there already.
pub fn place(tx: &Transaction, r: &NewRecord, run: i64) -> rusqlite::Result<Placed> {
    let same: Option<i64> = tx
        .prepare_cached("SELECT 1 FROM record WHERE id = ?1 AND digest = ?2")?
        .query_row([&r.id, &r.digest], |row| row.get(0))
        .optional()?;
    if same.is_some() {
        return Ok(Placed::Duplicate);
    }
    let other: Option<i64> = tx
        .prepare_cached("SELECT 1 FROM record WHERE id = ?1 LIMIT 1")?
        .query_row([&r.id], |row| row.get(0))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO record (id, form, version, digest, content, source, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![r.id, r.form, r.version, r.digest, r.content, r.source, run])?;
    Ok(if other.is_some() { Placed::Conflict } else { Placed::Added })
}

//! `oberih records add DATASET FILE…`: plain and encrypted questionnaire exports into a dataset.
//!
//! Each file is read (at most one record's worth), decrypted with the office's key if sealed,
//! matched to its form, read as the form's current version and checked against the schema the
//! build writes. Then, in one transaction, every record is offered to the dataset: added, a
//! duplicate, or a conflict. If any file or record is rejected, nothing of the run is stored,
//! and the report says why for each; nothing is ever skipped without a word.

use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use super::check::Checker;
use super::dataset::store::{begin_run, finish_run, place};
use super::dataset::{digest, Dataset, NewRecord, Placed, RunCounts};
use super::decrypt::read_limited;
use super::migrate::read_as_current;
use super::portal::{Missing, PortalForms};
use super::{CryptoError, RecordsError};
use crate::envelope::{OfficeKey, MAX_RECORD_BYTES};
use crate::forms::Form;

/// Why a file or a record was not taken.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The file could not be read, or is too large to be one record.
    Unreadable(String),
    /// Neither a questionnaire export nor an encrypted record.
    NotExport(String),
    /// A passphrase-protected draft: an interview still in progress, not an export.
    Draft,
    /// An encrypted record, and no `--key` was given.
    NoKey,
    WrongKey(String),
    /// The envelope or its content failed the integrity check.
    Tampered,
    /// The envelope is damaged or of an unknown layout.
    Damaged(String),
    UnknownForm(String),
    /// The portal the record names lacks the form, which the regions listed have.
    FormElsewhere {
        form: String,
        portal: Option<String>,
        regions: Vec<String>,
    },
    /// The record names a region the portal has no folder for.
    UnknownRegion(String),
    UnknownVersion(String),
    /// Places where the record breaks its form's schema.
    Schema(Vec<String>),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Unreadable(m) => write!(f, "unreadable: {m}"),
            Reason::NotExport(m) => write!(f, "not a questionnaire export: {m}"),
            Reason::Draft => f.write_str(
                "a draft (an interview in progress), not an export: open it in the questionnaire and export the record",
            ),
            Reason::NoKey => f.write_str("encrypted, and no key was given: add --key with the office's private key"),
            Reason::WrongKey(m) => write!(f, "wrong key: {m}"),
            Reason::Tampered => f.write_str("tampered or damaged: the file failed its integrity check"),
            Reason::Damaged(m) => write!(f, "damaged: {m}"),
            Reason::UnknownForm(id) => write!(f, "unknown form `{id}`: the portal has no such form"),
            Reason::FormElsewhere { form, portal, regions } => {
                let portal = portal.as_ref().map_or("the national portal".to_string(), |r| format!("region `{r}`"));
                let list: Vec<String> = regions.iter().map(|r| format!("region `{r}`")).collect();
                write!(
                    f,
                    "unknown form `{form}`: the record names {portal}, which has no such form ({} has it)",
                    list.join(", ")
                )
            }
            Reason::UnknownRegion(slug) => {
                write!(f, "unknown region `{slug}`: the portal has no `regions/{slug}/region.toml`")
            }
            Reason::UnknownVersion(m) => write!(f, "unknown version: {m}"),
            Reason::Schema(places) => write!(f, "does not match its form's schema {}", places.join("; ")),
        }
    }
}

/// A file or record not taken, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub file: String,
    /// The record's id, when it could be read.
    pub record: Option<String>,
    pub reason: Reason,
}

/// A record stored beside another with the same id and other content.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    pub file: String,
}

#[derive(Debug, Clone, Default)]
pub struct AddReport {
    pub counts: RunCounts,
    pub conflicts: Vec<Conflict>,
    pub rejected: Vec<Rejection>,
}

impl AddReport {
    /// Whether the run's records were stored (nothing was rejected).
    pub fn stored(&self) -> bool {
        self.rejected.is_empty()
    }

    /// The report as the command prints it.
    pub fn text(&self) -> String {
        let c = &self.counts;
        let mut out = String::new();
        for r in &self.rejected {
            let record = r.record.as_deref().map(|id| format!(" (record {id})")).unwrap_or_default();
            out.push_str(&format!("rejected: {}{record}: {}\n", r.file, r.reason));
        }
        for k in &self.conflicts {
            out.push_str(&format!(
                "conflict: record {} from {} differs from the one stored with the same id; both are kept\n",
                k.id, k.file
            ));
        }
        out.push_str(&format!(
            "{} file(s): {} added, {} duplicate(s), {} conflict(s), {} rejected\n",
            c.files,
            c.added,
            c.duplicates,
            c.conflicts,
            self.rejected.len()
        ));
        if !self.stored() {
            out.push_str("nothing was stored: fix or remove the rejected files, then run again\n");
        }
        out
    }
}

/// Files read and checked at once; bounds the memory a large run takes.
const CHUNK: usize = 2048;

/// The files to read: each file named, and every entry directly in each folder named (in name
/// order). A folder within a folder is not entered; it is rejected, so nothing goes unmentioned.
fn expand(named: &[PathBuf]) -> (Vec<PathBuf>, Vec<Rejection>) {
    let mut files = Vec::new();
    let mut rejected = Vec::new();
    for path in named {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(list) => list.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                let reason = Reason::Unreadable(format!("the folder cannot be listed: {e}"));
                rejected.push(Rejection { file: path.display().to_string(), record: None, reason });
                continue;
            }
        };
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                let reason = Reason::Unreadable("a folder inside the folder named; name it to add its files".into());
                rejected.push(Rejection { file: entry.display().to_string(), record: None, reason });
            } else {
                files.push(entry);
            }
        }
    }
    (files, rejected)
}

/// [`add_portal_files`] with only national `forms`.
pub fn add_files(
    path: &Path,
    named: &[PathBuf],
    key: Option<&OfficeKey>,
    forms: &[Form],
) -> Result<AddReport, RecordsError> {
    add_portal_files(path, named, key, &PortalForms::national(forms.to_vec()))
}

/// Adds `named` files (and the files directly in named folders) to the dataset at `path`
/// (created if missing), checking each record against its form as the portal it names (national
/// or a region) builds it.
pub fn add_portal_files(
    path: &Path,
    named: &[PathBuf],
    key: Option<&OfficeKey>,
    forms: &PortalForms,
) -> Result<AddReport, RecordsError> {
    super::place::check_place(path)?;
    let (files, rejected) = expand(named);
    let checker = Checker::for_portal(forms);
    let mut dataset = Dataset::open_or_create(path)?;
    let counts = RunCounts { files: files.len(), ..RunCounts::default() };
    let mut report = AddReport { counts, rejected, ..AddReport::default() };
    let tx = dataset.transaction()?;
    let files = &files;
    let db = |source| RecordsError::Database { path: path.display().to_string(), source };
    let run = begin_run(&tx, &now()).map_err(db)?;
    let prepare_chunk = |chunk: &[PathBuf]| -> Vec<Result<NewRecord, Rejection>> {
        chunk.par_iter().map(|f| prepare(f, key, forms, &checker)).collect()
    };
    let mut chunks = files.chunks(CHUNK);
    let mut prepared = chunks.next().map(prepare_chunk).unwrap_or_default();
    while !prepared.is_empty() {
        // The next chunk is read, opened and checked on the other threads while this one is
        // stored: the database (one connection, one transaction) stays on this thread.
        let next_chunk = chunks.next();
        let (next, placed) = std::thread::scope(|scope| {
            let next = scope.spawn(|| next_chunk.map(prepare_chunk).unwrap_or_default());
            let placed = store(&tx, run, std::mem::take(&mut prepared), &mut report);
            (next.join(), placed)
        });
        placed.map_err(db)?;
        prepared = next.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    if report.stored() {
        finish_run(&tx, run, report.counts).map_err(db)?;
        tx.commit().map_err(db)?;
    } else {
        report.counts = counts;
        report.conflicts.clear();
        tx.rollback().map_err(db)?;
    }
    Ok(report)
}

/// Offers a chunk of prepared records to the dataset and counts what became of each.
fn store(
    tx: &rusqlite::Transaction,
    run: i64,
    prepared: Vec<Result<NewRecord, Rejection>>,
    report: &mut AddReport,
) -> Result<(), rusqlite::Error> {
    for p in prepared {
        match p {
            Err(r) => report.rejected.push(r),
            // After a rejection nothing will be stored; the rest is still checked and reported.
            Ok(_) if !report.rejected.is_empty() => {}
            Ok(r) => match place(tx, &r, run)? {
                Placed::Added => report.counts.added += 1,
                Placed::Duplicate => report.counts.duplicates += 1,
                Placed::Conflict => {
                    report.counts.conflicts += 1;
                    report.conflicts.push(Conflict { id: r.id, file: r.source });
                }
            },
        }
    }
    Ok(())
}

/// One file as a record ready to store, or why not.
fn prepare(
    file: &Path,
    key: Option<&OfficeKey>,
    forms: &PortalForms,
    checker: &Checker,
) -> Result<NewRecord, Rejection> {
    let shown = file.display().to_string();
    let reject =
        |record: Option<&str>, reason| Rejection { file: shown.clone(), record: record.map(str::to_string), reason };
    let bytes = read_limited(file, MAX_RECORD_BYTES).map_err(|e| reject(None, Reason::Unreadable(e.to_string())))?;
    let mut record = read_record(&bytes, key).map_err(|reason| reject(None, reason))?;
    let id = match record.get("id") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        // An export made before records had ids: its content names it, so adding it twice is a
        // duplicate, not a second record.
        None => {
            let id = format!("sha256:{}", &digest(&record)[..32]);
            record["id"] = Value::from(id.clone());
            id
        }
        Some(_) => return Err(reject(None, Reason::Schema(vec!["at /id: not a text id".into()]))),
    };
    let form_id = record["form"].as_str().unwrap_or_default();
    let region = record.get("region").and_then(Value::as_str);
    let form = forms.form(region, form_id).map_err(|m| {
        reject(
            Some(&id),
            match m {
                Missing::Region(slug) => Reason::UnknownRegion(slug),
                Missing::Form { form, elsewhere } if elsewhere.is_empty() => Reason::UnknownForm(form),
                Missing::Form { form, elsewhere } => {
                    Reason::FormElsewhere { form, portal: region.map(str::to_string), regions: elsewhere }
                }
            },
        )
    })?;
    let current =
        read_as_current(form, &record).map_err(|e| reject(Some(&id), Reason::UnknownVersion(e.to_string())))?;
    let violations = checker.violations(region, &form.id, &current);
    if !violations.is_empty() {
        return Err(reject(Some(&id), Reason::Schema(violations)));
    }
    let source = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| shown.clone());
    Ok(NewRecord {
        form: form.id.clone(),
        version: record["version"].as_str().unwrap_or_default().to_string(),
        digest: digest(&record),
        content: record.to_string(),
        source,
        id,
    })
}

/// The record in a file: an encrypted record opened with the key, or a plain export.
fn read_record(bytes: &[u8], key: Option<&OfficeKey>) -> Result<Value, Reason> {
    // Most files of a month are well-formed sealed records: read once, without a tree.
    if let Some(envelope) = crate::envelope::read_sealed(bytes) {
        let key = key.ok_or(Reason::NoKey)?;
        return envelope.and_then(|envelope| key.open(envelope)).map_err(reason);
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        // An envelope's opening survives when the file was cut short or changed.
        if memchr::memmem::find(bytes, b"\"encrypted-record\"").is_some() {
            Reason::Damaged(format!("an encrypted record that is not complete JSON ({e}): cut short or changed"))
        } else {
            Reason::NotExport(format!("not JSON ({e})"))
        }
    })?;
    match v.get("oberih").and_then(Value::as_str) {
        Some(crate::envelope::RECORD_KIND) => open_sealed(bytes, key),
        Some("encrypted-draft") => Err(Reason::Draft),
        Some(other) => Err(Reason::NotExport(format!("an Oberih file of kind `{other}`"))),
        None if v.is_object() && v.get("answers").is_some_and(Value::is_object) && v.get("form").is_some() => Ok(v),
        None => Err(Reason::NotExport("it has no `form` and `answers`".into())),
    }
}

/// A sealed record opened with the office's key.
fn open_sealed(bytes: &[u8], key: Option<&OfficeKey>) -> Result<Value, Reason> {
    key.ok_or(Reason::NoKey)?.decrypt(bytes).map_err(reason)
}

/// Why a sealed record could not be opened, as the report says it.
fn reason(e: CryptoError) -> Reason {
    match e {
        CryptoError::WrongKey { .. } => Reason::WrongKey(e.to_string()),
        CryptoError::Tampered | CryptoError::Unwrap => Reason::Tampered,
        other => Reason::Damaged(other.to_string()),
    }
}

/// The current time in UTC, RFC 3339, to the second.
fn now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let rest = secs.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", crate::dates::ymd(secs), rest / 3600, rest % 3600 / 60, rest % 60)
}

/// `oberih records add`: loads the portal's forms and the key, adds, and returns the report.
pub fn run(root: &Path, dataset: &Path, files: &[PathBuf], key: Option<&Path>) -> Result<AddReport, RecordsError> {
    super::place::check_place(dataset)?;
    let forms = PortalForms::load(root)?;
    let key = match key {
        Some(k) => Some(super::read_office_key(k)?),
        None => None,
    };
    add_portal_files(dataset, files, key.as_ref(), &forms)
}

#[cfg(test)]
#[path = "add_tests.rs"]
mod tests;

//! `oberih decrypt`: encrypted records back into JSON (and CSV) beside them, never over a file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::csv::record_csv;
use super::CryptoError;
use crate::envelope::{OfficeKey, MAX_KEY_BYTES, MAX_RECORD_BYTES, MIB};

/// Reads a whole file that must not be larger than `limit` bytes; the size is checked before
/// anything is read, and reading stops past the limit (a device or a growing file has no size).
pub(super) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, CryptoError> {
    let shown = || path.display().to_string();
    let read_error = |source| CryptoError::Read { path: shown(), source };
    let too_large =
        |size: u64| CryptoError::TooLarge { path: shown(), size_mb: size.div_ceil(MIB), limit_mb: limit / MIB };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Where the decrypted copy of `file` goes: its name with `.json` (or `.csv`) in place of its
/// extension, or `.decrypted.json` if the file already ends in `.json`.
pub fn output_path(file: &Path, extension: &str) -> PathBuf {
    let plain = file.with_extension(extension);
    if plain == file {
        file.with_extension(format!("decrypted.{extension}"))
    } else {
        plain
    }
}

/// `oberih decrypt --key private.pem FILE...`: writes each record beside its file as JSON (and
/// CSV with `csv`), never overwriting anything. Every file is tried; the error counts failures.
pub fn run_decrypt(key: &Path, files: &[PathBuf], csv: bool) -> Result<(), CryptoError> {
    let key_bytes = read_limited(key, MAX_KEY_BYTES).map_err(|e| match e {
        CryptoError::TooLarge { size_mb, .. } => {
            CryptoError::PrivateKey(format!("`{}` is {size_mb} MB, far too large to be a key", key.display()))
        }
        other => other,
    })?;
    let key_pem = String::from_utf8(key_bytes).map_err(|_| CryptoError::PrivateKey("the file is not text".into()))?;
    let office = OfficeKey::from_pem(&key_pem)?;
    let mut failed = 0;
    for file in files {
        match decrypt_one(&office, file, csv) {
            Ok(written) => crate::stdio::say(&format!("{} → {}", file.display(), written.join(", "))),
            Err(e) => {
                crate::stdio::err(&format!("{}: {e}\n", file.display()));
                failed += 1;
            }
        }
    }
    match failed {
        0 => Ok(()),
        _ => Err(CryptoError::SomeFailed { failed, total: files.len() }),
    }
}

pub(super) fn decrypt_one(key: &OfficeKey, file: &Path, csv: bool) -> Result<Vec<String>, CryptoError> {
    let bytes = read_limited(file, MAX_RECORD_BYTES)?;
    let record = key.decrypt(&bytes)?;
    let mut outputs = vec![(output_path(file, "json"), pretty(&record))];
    if csv {
        outputs.push((output_path(file, "csv"), record_csv(&record)));
    }
    // `symlink_metadata`: a link in the way counts as a file, even one that leads nowhere.
    if let Some((p, _)) = outputs.iter().find(|(p, _)| p.symlink_metadata().is_ok()) {
        return Err(CryptoError::Exists(p.display().to_string()));
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (path, text) in &outputs {
        if let Err(e) = write_new(path, text) {
            // Only files this run made are removed: never half a pair.
            for made in &written {
                let _ = std::fs::remove_file(made);
            }
            return Err(e);
        }
        written.push(path.clone());
    }
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// Creates `path` for the decrypted record: only if nothing is there (a file that appeared since
/// the check is not replaced, and a link is not followed), readable by its owner alone on Unix.
pub(super) fn write_new(path: &Path, text: &str) -> Result<(), CryptoError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::AlreadyExists => CryptoError::Exists(path.display().to_string()),
        _ => CryptoError::Write { path: path.display().to_string(), source },
    })?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|source| {
        let _ = std::fs::remove_file(path);
        CryptoError::Write { path: path.display().to_string(), source }
    })
}

pub(super) fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    s.push('\n');
    s
}

//! Where a dataset or an export of records may live: never inside a portal (a folder with
//! `portal.toml`) nor inside a build output (a folder with the `.oberih-output` marker), where a
//! build, a pack or a copy of the site would carry it to readers.

use std::path::{Path, PathBuf};

use super::RecordsError;
use crate::output::MARKER;

/// Refuses `path` (a file that may not exist yet) when a folder above it is a portal or an output.
pub fn check_place(path: &Path) -> Result<(), RecordsError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(RecordsError::IsFolder(shown));
    }
    let folder = absolute_folder(path);
    for dir in folder.ancestors() {
        if dir.join(MARKER).is_file() {
            return Err(RecordsError::InsideOutput { path: shown, output: dir.display().to_string() });
        }
        if dir.join("portal.toml").is_file() {
            return Err(RecordsError::InsidePortal { path: shown, portal: dir.display().to_string() });
        }
    }
    Ok(())
}

/// The folder `path` is in, absolute and with links resolved where it exists.
fn absolute_folder(path: &Path) -> PathBuf {
    let base = if path.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let full = base.join(path);
    let parent = full.parent().map(Path::to_path_buf).unwrap_or(full);
    let mut existing = parent.clone();
    while !existing.exists() && existing.pop() {}
    let resolved = existing.canonicalize().unwrap_or(existing.clone());
    match parent.strip_prefix(&existing) {
        Ok(rest) => resolved.join(rest),
        Err(_) => resolved,
    }
}

/// Creates `path` for writing: only if nothing is there (a link is not followed), readable by its
/// owner alone on Unix.
pub fn create_new(path: &Path) -> Result<std::fs::File, RecordsError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::AlreadyExists => RecordsError::Exists(path.display().to_string()),
        _ => RecordsError::Write { path: path.display().to_string(), source },
    })
}

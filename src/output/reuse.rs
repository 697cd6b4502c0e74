//! Reusing the previous output's unchanged files. A rebuild makes mostly the same files as the
//! build before it; writing each again costs the disk a new inode and its data, and removing the
//! old copy frees as many. A file whose bytes are unchanged is instead hard-linked from the
//! previous output into the staging folder: the new output still comes whole into place in one
//! swap, and the previous output is never written to, so a failed build leaves it as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The previous output a build may link unchanged files from.
pub(super) struct Previous {
    /// `None` when there is no previous output of this tool's own to reuse.
    dir: Option<PathBuf>,
    /// Cleared at the first failure to link (FAT32 and exFAT sticks have no hard links).
    links_work: AtomicBool,
}

impl Previous {
    pub(super) fn new(dir: Option<PathBuf>) -> Self {
        Previous { dir, links_work: AtomicBool::new(true) }
    }

    pub(super) fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Links `rel` of the previous output to `to` if it is a regular file holding exactly
    /// `bytes`; tells whether it did.
    pub(super) fn link_if_same(&self, rel: &str, bytes: &[u8], to: &Path) -> bool {
        let Some(dir) = &self.dir else { return false };
        if !self.links_work.load(Ordering::Relaxed) {
            return false;
        }
        let old = dir.join(rel);
        if !same_bytes(&old, bytes) {
            return false;
        }
        match std::fs::hard_link(&old, to) {
            Ok(()) => true,
            Err(_) => {
                self.links_work.store(false, Ordering::Relaxed);
                false
            }
        }
    }
}

impl Previous {
    /// Links the previous output's copies of `rel` (`rel.gz`, …, one per suffix) beside
    /// `staged` when `staged` is the previous output's own file, linked unchanged; tells whether
    /// all were linked. A copy missing or failing to link leaves the caller to make them all.
    pub(super) fn linked_copies(&self, rel: &Path, staged: &Path, suffixes: &[&str]) -> bool {
        let Some(dir) = &self.dir else { return false };
        let old = dir.join(rel);
        if !same_inode(&old, staged) {
            return false;
        }
        suffixes.iter().all(|s| {
            let from = super::precompress::with_suffix(&old, s);
            let to = super::precompress::with_suffix(staged, s);
            std::fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) && std::fs::hard_link(&from, &to).is_ok()
        })
    }
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

/// Whether `path` is a regular file (not a link to one) holding exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return false };
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Creates `path` anew and writes `bytes` to it. A file already there (one linked from the
/// previous output, then made again) is unlinked first, never written through: its data is
/// still the previous output's.
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create_new(path)?.write_all(bytes)
}

/// Creates `path` anew, as [`write_new`] does.
pub(super) fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
    let open = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            open()
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_are_not() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("same.html"), b"same").unwrap();
        std::fs::write(old.path().join("changed.html"), b"before").unwrap();
        let previous = Previous::new(Some(old.path().to_path_buf()));
        assert!(previous.link_if_same("same.html", b"same", &new.path().join("same.html")));
        assert!(!previous.link_if_same("changed.html", b"after", &new.path().join("changed.html")));
        assert!(!previous.link_if_same("missing.html", b"x", &new.path().join("missing.html")));
        assert!(!Previous::new(None).link_if_same("same.html", b"same", &new.path().join("other.html")));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_in_the_previous_output_is_never_reused() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("real"), b"same").unwrap();
        std::os::unix::fs::symlink(old.path().join("real"), old.path().join("link.html")).unwrap();
        let previous = Previous::new(Some(old.path().to_path_buf()));
        assert!(!previous.link_if_same("link.html", b"same", &new.path().join("link.html")));
    }

    #[test]
    fn writing_a_linked_file_again_leaves_the_previous_output_alone() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("page.html"), b"old").unwrap();
        let previous = Previous::new(Some(old.path().to_path_buf()));
        let staged = new.path().join("page.html");
        assert!(previous.link_if_same("page.html", b"old", &staged));
        write_new(&staged, b"new").unwrap();
        assert_eq!(std::fs::read(&staged).unwrap(), b"new");
        assert_eq!(std::fs::read(old.path().join("page.html")).unwrap(), b"old");
    }
}

//! The staging folder: a build writes everything into a hidden folder beside the output, which
//! takes the output's place only when the whole build succeeded and every file was written, so a
//! failed or killed build never damages the previous output.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::folder::{self, Existing};
use super::reuse::{self, Previous};
use super::{io, swap, Leftover, OutputError, WriteFailure};

/// A staging folder that becomes the target on `commit` and disappears otherwise.
pub struct Staging {
    target: PathBuf,
    /// The target as the user wrote it, for messages.
    shown: String,
    existing: Existing,
    dir: PathBuf,
    committed: bool,
    /// Folders already made: asking the file system again for each of thousands of files costs
    /// a failing `mkdir` every time, which is slow on a real disk.
    made: Mutex<HashSet<PathBuf>>,
    failures: Mutex<Vec<WriteFailure>>,
    /// What earlier builds left beside the output and could not be removed now either.
    leftovers: Vec<Leftover>,
    /// The previous output, whose unchanged files are linked rather than written again.
    previous: Previous,
}

impl Staging {
    /// Checks that the output may be written to `target` (refusing a folder Oberih did not make),
    /// cleans up after earlier builds, and makes the staging folder with the marker file in it.
    pub fn new(target: &Path, root: &Path) -> Result<Staging, OutputError> {
        folder::check_target(target, root)?;
        let shown = target.display().to_string();
        let target = folder::absolute(target);
        let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        swap::recover(&parent, &name);
        let existing = folder::inspect(&target, &shown)?;
        let leftovers = swap::remove_leftovers(&parent, &name)
            .into_iter()
            .map(|(path, error)| Leftover { path, error, replaced_now: false })
            .collect();
        let dir = parent.join(swap::staging_name(&name));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let marker = dir.join(folder::MARKER);
        // Only an output this tool made is reused: its files are all of a build's making.
        let previous = Previous::new((existing == Existing::Replaceable).then(|| target.clone()));
        let staging = Staging {
            target,
            shown,
            existing,
            dir,
            committed: false,
            made: Mutex::default(),
            failures: Mutex::default(),
            leftovers,
            previous,
        };
        std::fs::write(&marker, folder::MARKER_TEXT).map_err(io(&marker))?;
        Ok(staging)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The previous output this build replaces, when it is one of this tool's own (what a
    /// rebuild may take unchanged files and their figures from).
    pub fn previous(&self) -> Option<&Path> {
        self.previous.dir()
    }

    /// Writes one file (safe to call from several threads), or links the previous output's
    /// copy when its bytes are the same. A failure is also kept, to be reported once with all
    /// others of its kind (see [`Staging::failures`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        let result = self.make_parent(&path).and_then(|()| match self.previous.link_if_same(rel, bytes, &path) {
            true => Ok(()),
            false => reuse::write_new(&path, bytes),
        });
        result.map_err(|e| self.failed(rel, e))
    }

    /// Creates one file to be written piece by piece, buffered (safe to call from several
    /// threads); the caller flushes it. Failures are kept as by [`Staging::write`].
    pub fn create(&self, rel: &str) -> Result<StagedFile<'_>, OutputError> {
        let path = self.dir.join(rel);
        let file = self.make_parent(&path).and_then(|()| reuse::create_new(&path));
        match file {
            Ok(file) => Ok(StagedFile {
                staging: self,
                rel: rel.to_string(),
                file: std::io::BufWriter::new(file),
                failed: false,
            }),
            Err(e) => Err(self.failed(rel, e)),
        }
    }

    fn make_parent(&self, path: &Path) -> std::io::Result<()> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.made.lock().is_ok_and(|made| made.contains(parent)) {
            return Ok(());
        }
        std::fs::create_dir_all(parent)?;
        if let Ok(mut made) = self.made.lock() {
            made.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Keeps a failure to write `rel`, counted with earlier ones of the same kind.
    fn failed(&self, rel: &str, error: std::io::Error) -> OutputError {
        if let Ok(mut failures) = self.failures.lock() {
            let same = |f: &&mut WriteFailure| f.kind == error.kind() && f.os_error == error.raw_os_error();
            match failures.iter_mut().find(same) {
                Some(f) => f.count += 1,
                None => failures.push(WriteFailure {
                    kind: error.kind(),
                    os_error: error.raw_os_error(),
                    message: error.to_string(),
                    first: rel.to_string(),
                    count: 1,
                }),
            }
        }
        OutputError::Io { path: self.dir.join(rel).display().to_string(), source: error }
    }

    /// Writes `.gz` and `.br` copies beside the text files (see [`super::precompress`]);
    /// returns how many files got them. A failure is kept as by [`Staging::write`].
    pub fn precompress(&self) -> usize {
        match super::precompress::write_copies(&self.dir, &self.previous) {
            Ok(n) => n,
            Err((path, e)) => {
                let rel = path.strip_prefix(&self.dir).map(|p| p.display().to_string()).unwrap_or_default();
                self.failed(&rel, e);
                0
            }
        }
    }

    /// The files that could not be written, one entry per kind of failure.
    pub fn failures(&self) -> Vec<WriteFailure> {
        self.failures.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// What earlier builds left beside the output and this one could not remove either.
    pub fn leftovers(&self) -> &[Leftover] {
        &self.leftovers
    }

    /// The output folder as the user named it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Puts the staging folder in the output's place, unless a file could not be written; the
    /// previous output is removed only afterwards. Returns the previous output if it could not
    /// be removed: the new site is in place all the same.
    pub fn commit(mut self) -> Result<Option<Leftover>, OutputError> {
        let failed: usize = self.failures().iter().map(|f| f.count).sum();
        if failed > 0 {
            return Err(OutputError::Incomplete(failed));
        }
        if self.existing == Existing::Unmarked {
            folder::check_unmarked(&self.target, &self.dir, &self.shown)?;
        }
        pause_for_tests();
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let aside = self.dir.with_file_name(swap::aside_name(&name));
        let previous = swap::replace(&self.dir, &self.target, &aside).map_err(io(&self.target))?;
        self.committed = true;
        Ok(previous
            .and_then(|old| swap::discard(&old).err().map(|error| Leftover { path: old, error, replaced_now: true })))
    }
}

/// Lets tests kill a build at its most delicate moment: `OBERIH_TEST_PAUSE_BEFORE_SWAP_MS`.
fn pause_for_tests() {
    if let Some(ms) = std::env::var("OBERIH_TEST_PAUSE_BEFORE_SWAP_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A file of the staging folder being written piece by piece; a failure to write it is kept by
/// the staging, as by [`Staging::write`].
pub struct StagedFile<'a> {
    staging: &'a Staging,
    rel: String,
    file: std::io::BufWriter<std::fs::File>,
    failed: bool,
}

impl StagedFile<'_> {
    /// Whether writing the file failed (the staging keeps why).
    pub fn failed(&self) -> bool {
        self.failed
    }

    fn kept<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        result.map_err(|e| {
            if self.failed || e.kind() == std::io::ErrorKind::Interrupted {
                return e;
            }
            self.failed = true;
            // The staging keeps the error; the caller gets one of the same kind and text.
            let copy = std::io::Error::new(e.kind(), e.to_string());
            self.staging.failed(&self.rel, e);
            copy
        })
    }
}

impl Write for StagedFile<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.file.write(buf);
        self.kept(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.file.flush();
        self.kept(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_swaps_and_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let s = Staging::new(&target, root.path()).unwrap();
        s.write("old.txt", b"old").unwrap();
        assert!(s.commit().unwrap().is_none());
        let s = Staging::new(&target, root.path()).unwrap();
        s.write("a/b.txt", b"new").unwrap();
        assert!(s.commit().unwrap().is_none());
        assert!(target.join("a/b.txt").exists() && target.join(folder::MARKER).exists());
        assert!(!target.join("old.txt").exists());
        let leftovers = std::fs::read_dir(root.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn folders_of_killed_builds_are_cleaned_up() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        // No process has this id (above the kernel's pid limit).
        let dead = root.path().join(".public.staging-4999999");
        std::fs::create_dir_all(dead.join("uk")).unwrap();
        let s = Staging::new(&target, root.path()).unwrap();
        s.commit().unwrap();
        assert!(!dead.exists());
    }

    #[test]
    fn dropped_staging_leaves_target_alone() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join(folder::MARKER), folder::MARKER_TEXT).unwrap();
        std::fs::write(target.join("old.txt"), "old").unwrap();
        let s = Staging::new(&target, root.path()).unwrap();
        s.write("x.txt", b"half").unwrap();
        drop(s);
        assert!(target.join("old.txt").exists());
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn failures_are_counted_by_kind_and_nothing_is_put_in_place() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let s = Staging::new(&target, root.path()).unwrap();
        // A file where a folder is needed fails every file below it alike.
        s.write("uk", b"not a folder").unwrap();
        for n in 0..3 {
            assert!(s.write(&format!("uk/{n}.html"), b"page").is_err());
        }
        assert!(s.create("uk/print.html").is_err());
        let failures = s.failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!((failures[0].count, failures[0].first.as_str()), (4, "uk/0.html"));
        assert!(matches!(s.commit(), Err(OutputError::Incomplete(4))));
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }
}

//! Putting a finished output in the place of the previous one, and cleaning up after builds that
//! were killed or could not remove what they replaced. Where the system exchanges two folders in
//! one step (Linux, macOS) the output is never missing; elsewhere, or on a file system that
//! cannot, the previous output is moved aside first, and should the build be killed before the
//! new one is moved in, the next build moves the previous one back.
//!
//! Folders beside the output named `.NAME.staging-PID` (a build in progress) and `.NAME.old-PID`
//! (a replaced output) are a build's own; once process PID is gone, the next build removes them.

use std::io;
use std::path::{Path, PathBuf};

/// Puts the folder `new` at `target`. Returns where the previous output went, to be discarded:
/// `aside`, or `new` itself if it could not be renamed after the exchange.
pub fn replace(new: &Path, target: &Path, aside: &Path) -> io::Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(target).is_err() {
        std::fs::rename(new, target)?;
        return Ok(None);
    }
    if exchange(new, target).is_ok() {
        // `new` now names the previous output: give it the name that says what it is.
        return Ok(Some(match std::fs::rename(new, aside) {
            Ok(()) => aside.to_path_buf(),
            Err(_) => new.to_path_buf(),
        }));
    }
    move_aside_and_in(new, target, aside).map(Some)
}

/// The two-step replacement, for where no exchange is possible: between the two renames the
/// output is missing, which [`recover`] mends if the build is killed there.
fn move_aside_and_in(new: &Path, target: &Path, aside: &Path) -> io::Result<PathBuf> {
    std::fs::rename(target, aside)?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(aside, target);
        return Err(e);
    }
    Ok(aside.to_path_buf())
}

/// Exchanges two folders in one step; fails on systems and file systems that cannot (the caller
/// then falls back to two renames).
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The name a replaced output has beside `target` while it is removed.
pub fn aside_name(name: &str) -> String {
    format!(".{name}.old-{}", std::process::id())
}

/// The name of the staging folder beside `target`.
pub fn staging_name(name: &str) -> String {
    format!(".{name}.staging-{}", std::process::id())
}

/// When the output `parent/name` is missing and a killed build left the previous one moved aside,
/// moves it back (the most recent, if several).
pub fn recover(parent: &Path, name: &str) {
    let target = parent.join(name);
    if std::fs::symlink_metadata(&target).is_ok() {
        return;
    }
    let newest = abandoned(parent, name)
        .into_iter()
        .filter(|(_, kind)| *kind == Kind::Aside)
        .filter_map(|(path, _)| Some((std::fs::metadata(&path).ok()?.modified().ok()?, path)))
        .max();
    if let Some((_, path)) = newest {
        let _ = std::fs::rename(path, target);
    }
}

/// Removes what builds that are gone left beside the output `parent/name`; returns what could
/// not be removed, and why.
pub fn remove_leftovers(parent: &Path, name: &str) -> Vec<(PathBuf, io::Error)> {
    abandoned(parent, name).into_iter().filter_map(|(path, _)| discard(&path).err().map(|e| (path, e))).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Staging,
    Aside,
}

/// Staging folders and replaced outputs of `name` whose build is gone. Only where `/proc` tells
/// which processes run; elsewhere they stay until removed by hand.
fn abandoned(parent: &Path, name: &str) -> Vec<(PathBuf, Kind)> {
    if !Path::new("/proc/self").exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let prefixes = [(format!(".{name}.staging-"), Kind::Staging), (format!(".{name}.old-"), Kind::Aside)];
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let found = prefixes.iter().find_map(|(prefix, kind)| {
            let pid = file_name.strip_prefix(prefix.as_str())?.parse::<u32>().ok()?;
            Some((pid, *kind))
        });
        if let Some((pid, kind)) = found {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                out.push((entry.path(), kind));
            }
        }
    }
    out
}

/// Removes a folder of a build's own (a replaced output, a staging folder). One whose folders
/// were made read-only (an output folder of mode 0555) gets its owner's write permission back
/// first: the copy is discarded, and the permission protected nothing the build did not replace.
pub fn discard(dir: &Path) -> io::Result<()> {
    match remove_tree(dir) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            allow_removal(dir);
            remove_tree(dir)
        }
        other => other,
    }
}

/// Gives the owner of `dir` and of every folder below it the right to change them.
fn allow_removal(dir: &Path) {
    let Ok(meta) = std::fs::symlink_metadata(dir) else { return };
    if !meta.is_dir() {
        return;
    }
    let mut permissions = meta.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        permissions.set_mode(permissions.mode() | 0o700);
    }
    #[cfg(not(unix))]
    permissions.set_readonly(false);
    let _ = std::fs::set_permissions(dir, permissions);
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            allow_removal(&entry.path());
        }
    }
}

/// Removes a folder tree, two levels of it in parallel: deleting thousands of small files is
/// mostly waiting on the file system, which several threads do better than one.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let second: Vec<PathBuf> = entries
        .iter()
        .filter(|p| p.is_dir())
        .flat_map(|p| std::fs::read_dir(p).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())))
        .collect();
    let remove = |p: &PathBuf| match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
        Ok(_) => std::fs::remove_file(p),
        Err(_) => Ok(()),
    };
    second.par_iter().try_for_each(remove)?;
    entries.par_iter().try_for_each(remove)?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &Path, file: &str) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join(file), file).unwrap();
    }

    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        folder(&a, "new");
        folder(&b, "old");
        exchange(&a, &b).unwrap();
        assert!(b.join("new").is_file() && a.join("old").is_file());
    }

    #[test]
    fn replaces_by_exchange_and_by_two_renames() {
        let dir = tempfile::tempdir().unwrap();
        let (new, target, aside) = (dir.path().join("new"), dir.path().join("public"), dir.path().join("aside"));
        folder(&new, "1");
        assert_eq!(replace(&new, &target, &aside).unwrap(), None);
        folder(&new, "2");
        assert_eq!(replace(&new, &target, &aside).unwrap(), Some(aside.clone()));
        assert!(target.join("2").is_file() && aside.join("1").is_file() && !new.exists());
        discard(&aside).unwrap();
        folder(&new, "3");
        assert_eq!(move_aside_and_in(&new, &target, &aside).unwrap(), aside);
        assert!(target.join("3").is_file() && aside.join("2").is_file() && !new.exists());
    }

    #[test]
    fn a_previous_output_left_aside_is_moved_back_and_leftovers_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has these ids (above the kernel's pid limit).
        folder(&dir.path().join(".public.old-4999999"), "previous");
        folder(&dir.path().join(".public.staging-4999998"), "half");
        folder(&dir.path().join(".other.old-4999997"), "not ours to touch");
        recover(dir.path(), "public");
        assert!(dir.path().join("public/previous").is_file());
        assert!(remove_leftovers(dir.path(), "public").is_empty());
        let mut names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        names.sort();
        assert_eq!(names, [".other.old-4999997", "public"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_copy_is_discarded() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".public.old-4999999");
        folder(&old.join("uk"), "page.html");
        for d in [old.join("uk"), old.clone()] {
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        discard(&old).unwrap();
        assert!(!old.exists());
    }
}

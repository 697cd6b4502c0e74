//! Which folder a build may write its output to. Never the portal or one of its input folders;
//! and, if it exists, only a folder Oberih made (it holds the marker file), an empty one, or an
//! output built before the marker existed that holds nothing a build would not make. Anything
//! else is refused before a file is touched: a mistyped `--out` must never cost anyone a file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{io, OutputError};

/// The file at the top of every output, so that a later build knows the folder is its own.
pub const MARKER: &str = ".oberih-output";

/// What the marker tells whoever opens it.
pub const MARKER_TEXT: &str = "\
Цю теку створив Оберіг (oberih build). Наступна збірка замінить її цілком: не зберігайте тут інших файлів.
This folder was made by Oberih (oberih build). The next build replaces it whole: keep no other files here.
";

/// Input folders of a portal that an output folder must never be, or be inside of.
pub const INPUT_FOLDERS: [&str; 6] = ["content", "forms", "data", "themes", "regions", "static"];

/// An absolute, `..`-free form of a path that may not exist yet.
pub(super) fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks in the part that exists, so two spellings of one folder compare equal.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for r in rest.into_iter().rev() {
        resolved.push(r);
    }
    resolved
}

/// Refuses an output path that is the portal root, one of its input folders, or an ancestor.
pub fn check_target(target: &Path, root: &Path) -> Result<(), OutputError> {
    let t = absolute(target);
    let r = absolute(root);
    if r.starts_with(&t) {
        return Err(OutputError::ContainsRoot(target.display().to_string()));
    }
    for folder in INPUT_FOLDERS {
        let input = r.join(folder);
        if t.starts_with(&input) {
            return Err(OutputError::InsideInput(target.display().to_string(), folder.to_string()));
        }
    }
    Ok(())
}

/// What is at the output's place before a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Nothing,
    /// A folder Oberih made, or an empty one: nothing in it can be lost.
    Replaceable,
    /// A folder that looks like an output built before the marker existed (`index.html` and
    /// `assets/` at its top). It is replaced only if the new build makes every name at its top:
    /// see [`check_unmarked`], once the build is complete.
    Unmarked,
}

/// Tells what is at `target` (an [`absolute`] path), or refuses it; `shown` is how the user
/// wrote it.
pub fn inspect(target: &Path, shown: &str) -> Result<Existing, OutputError> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(io(target)(e)),
    };
    if !meta.is_dir() {
        return Err(OutputError::NotAFolder(shown.to_string()));
    }
    let names = top_names(target)?;
    if names.is_empty() || target.join(MARKER).is_file() {
        return Ok(Existing::Replaceable);
    }
    if target.join("index.html").is_file() && target.join("assets").is_dir() {
        return Ok(Existing::Unmarked);
    }
    Err(OutputError::NotOurs { path: shown.to_string(), names: listing(&names) })
}

/// Refuses an unmarked output whose top holds a name that the finished build in `staging` does
/// not make: that file or folder is someone else's.
pub fn check_unmarked(target: &Path, staging: &Path, shown: &str) -> Result<(), OutputError> {
    let made = top_names(staging)?;
    let foreign: BTreeSet<String> = top_names(target)?.difference(&made).cloned().collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(OutputError::UnmarkedExtra { path: shown.to_string(), names: listing(&foreign) })
    }
}

fn top_names(dir: &Path) -> Result<BTreeSet<String>, OutputError> {
    let entries = std::fs::read_dir(dir).map_err(io(dir))?;
    entries.map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()).map_err(io(dir))).collect()
}

/// `a, b, c`, or the first five names and how many more there are.
fn listing(names: &BTreeSet<String>) -> String {
    const SHOWN: usize = 5;
    let first: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => first.join(", "),
        more => format!("{} and {more} more", first.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        let root = tempfile::tempdir().unwrap();
        assert!(check_target(root.path(), root.path()).is_err());
        assert!(check_target(root.path().parent().unwrap(), root.path()).is_err());
        assert!(check_target(&root.path().join("content/x"), root.path()).is_err());
        assert!(check_target(&root.path().join("public"), root.path()).is_ok());
    }

    #[test]
    fn tells_what_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        assert_eq!(inspect(&at("new"), "new").unwrap(), Existing::Nothing);
        std::fs::create_dir(at("empty")).unwrap();
        assert_eq!(inspect(&at("empty"), "empty").unwrap(), Existing::Replaceable);
        std::fs::create_dir_all(at("ours/uk")).unwrap();
        std::fs::write(at("ours").join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(inspect(&at("ours"), "ours").unwrap(), Existing::Replaceable);
        std::fs::create_dir_all(at("old/assets")).unwrap();
        std::fs::write(at("old/index.html"), "<!DOCTYPE html>").unwrap();
        assert_eq!(inspect(&at("old"), "old").unwrap(), Existing::Unmarked);
        std::fs::write(at("file"), "mine").unwrap();
        assert!(matches!(inspect(&at("file"), "file"), Err(OutputError::NotAFolder(_))));
    }

    #[test]
    fn names_what_it_refuses() {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..7 {
            std::fs::write(dir.path().join(format!("note-{n}.txt")), "").unwrap();
        }
        let err = inspect(dir.path(), "docs").unwrap_err().to_string();
        assert!(
            err.contains("`docs`") && err.contains("note-0.txt, note-1.txt") && err.ends_with("and 2 more)"),
            "{err}"
        );
    }

    #[test]
    fn an_unmarked_output_may_hold_only_what_a_build_makes() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        for d in [&old, &new] {
            std::fs::create_dir_all(d.join("assets")).unwrap();
            std::fs::write(d.join("index.html"), "").unwrap();
        }
        std::fs::write(new.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_unmarked(&old, &new, "old").is_ok());
        std::fs::write(old.join("budget.xlsx"), "").unwrap();
        let err = check_unmarked(&old, &new, "old").unwrap_err().to_string();
        assert!(err.contains("(budget.xlsx)"), "{err}");
    }
}

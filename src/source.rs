//! Input files. A portal is a folder; a region overlay is a second folder whose files replace the
//! base file at the same relative path or add new ones. Every file is named by its portal-relative
//! path (forward slashes) in diagnostics and in the model, so output never depends on where the
//! portal sits on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{locate, Diagnostic};

/// One input file, found in the base portal or in an overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the layer root, with `/` separators: `content/about/_index.md`.
    pub rel: String,
    pub abs: PathBuf,
    /// The name shown in diagnostics: `rel` for the base, `regions/<slug>/rel` for an overlay.
    pub shown: String,
}

/// The stack of input folders: the portal first, then an optional overlay on top.
#[derive(Debug, Clone)]
pub struct Layers {
    layers: Vec<(PathBuf, String)>,
}

impl Layers {
    pub fn new(root: &Path) -> Self {
        Layers { layers: vec![(root.to_path_buf(), String::new())] }
    }

    /// Adds an overlay whose files win over earlier layers; `shown_prefix` is how its files are
    /// named in messages, e.g. `regions/zakarpattia/`.
    pub fn with_overlay(mut self, dir: &Path, shown_prefix: &str) -> Self {
        self.layers.push((dir.to_path_buf(), shown_prefix.to_string()));
        self
    }

    pub fn root(&self) -> &Path {
        &self.layers[0].0
    }

    /// Every input folder: the portal, then the overlay.
    pub fn roots(&self) -> impl Iterator<Item = &Path> {
        self.layers.iter().map(|(root, _)| root.as_path())
    }

    /// Every file below `dir` (relative to each layer), later layers replacing earlier ones.
    /// Sorted by relative path, so enumeration order never reaches the output.
    pub fn files_under(&self, dir: &str) -> BTreeMap<String, SourceFile> {
        let mut found = BTreeMap::new();
        for (root, prefix) in &self.layers {
            let base = root.join(dir);
            if !base.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&base).sort_by_file_name().into_iter().flatten() {
                if !entry.file_type().is_file() || is_hidden(entry.path(), &base) {
                    continue;
                }
                let Ok(inner) = entry.path().strip_prefix(root) else { continue };
                let rel = slash_path(inner);
                found.insert(
                    rel.clone(),
                    SourceFile { shown: format!("{prefix}{rel}"), rel, abs: entry.path().to_path_buf() },
                );
            }
        }
        found
    }

    /// The file at `rel` in every layer that has it, the base first (for files that merge).
    pub fn every(&self, rel: &str) -> Vec<SourceFile> {
        self.layers
            .iter()
            .filter_map(|(root, prefix)| {
                let abs = root.join(rel);
                abs.is_file().then(|| SourceFile { rel: rel.to_string(), abs, shown: format!("{prefix}{rel}") })
            })
            .collect()
    }

    /// A single file by relative path, from the topmost layer that has it.
    pub fn file(&self, rel: &str) -> Option<SourceFile> {
        self.layers.iter().rev().find_map(|(root, prefix)| {
            let abs = root.join(rel);
            abs.is_file().then(|| SourceFile { rel: rel.to_string(), abs, shown: format!("{prefix}{rel}") })
        })
    }
}

fn is_hidden(path: &Path, base: &Path) -> bool {
    path.strip_prefix(base)
        .map(|p| p.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
        .unwrap_or(false)
}

pub fn slash_path(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Reads a text file: UTF-8 only (a byte-order mark is dropped, CRLF is kept and handled by the
/// parsers). Invalid bytes are reported at their line and column.
pub fn read_text(file: &SourceFile) -> Result<String, Diagnostic> {
    let bytes =
        std::fs::read(&file.abs).map_err(|e| Diagnostic::file_error(&file.shown, format!("cannot read file: {e}")))?;
    decode_text(&file.shown, bytes)
}

pub fn decode_text(shown: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let rest: String = String::from_utf8_lossy(&bytes[valid..]).lines().next().unwrap_or("").to_string();
            let text = format!("{prefix}{rest}");
            let mut d = Diagnostic::at(shown, &text, valid..valid + 1, "file is not valid UTF-8");
            if let Some(loc) = d.location.as_mut() {
                **loc = locate(shown, &text, valid..valid + 1);
            }
            Err(d.with_help("save the file as UTF-8 (e.g. a file saved as Windows-1251 must be converted)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode_text("content/a.md", b"ok\nab\xcf\xf0cd\n".to_vec()).unwrap_err();
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.col), (2, 3));
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(decode_text("a", "\u{feff}x".as_bytes().to_vec()).unwrap(), "x");
    }
}

//! The list of files each language's offline copy holds, made at the end of a build from the
//! files actually written to the staging folder, and a summary of every language's copy for
//! the pages to offer.
//!
//! A copy holds its language's folder, the shared assets and the pages at the site's root
//! (language chooser, 404). Left out: other languages, region sites under the national one,
//! precompressed twins (`.gz`, `.br`, made by a host or a later build step), the sitemap, the
//! output marker, the offline files themselves and the language's whole-guidance print
//! document (a second copy of every page; offline, its address shows the 404 page's note that
//! the page is not in the saved copy).
//!
//! The worker keeps every file gzipped, so the size offered is the sum of the files' gzip sizes,
//! computed here at a fast level (2), for every file of a small copy and a sample of a large one
//! (see [`sizes`]): the default level would add a third of a large build's time, and level 1 (a
//! quicker method) would state half as much again as is kept. That is about what a compressing
//! server sends (nginx compresses at level 1 by default) and a little more than the browser keeps
//! (it compresses harder). A file's own `.gz` twin, where the build wrote one, gives its size
//! without compressing again, and so does the previous output's list for a file whose content
//! hash it gives: a rebuild compresses only what changed.

use std::io::Write;
use std::path::Path;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{sizes, LIST_NAME, PRINT_DOCUMENT, SUMMARY_PATH, WORKER_PATH};
use crate::diag::Diagnostic;
use crate::output::{fingerprint, fingerprint_of, OutFile, Staging};

/// One site of a build: its folder in the output (`""`, or `<slug>/` in an all-regions build)
/// and its languages.
#[derive(Debug, Clone)]
pub struct CopySite {
    pub prefix: String,
    pub languages: Vec<String>,
}

/// A file of a copy: path from the site's root, size, size as kept (gzip), content hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry(String, u64, u64, String);

/// The entries of a list written before, by path.
type Earlier = HashMap<String, Entry>;

/// The files of the list at `path` (a previous output's), or none when there is no such list
/// or it cannot be read as one.
fn earlier_list(path: &Path) -> Earlier {
    #[derive(Deserialize)]
    struct Files {
        files: Vec<Entry>,
    }
    let Ok(bytes) = std::fs::read(path) else { return Earlier::new() };
    let Ok(list) = serde_json::from_slice::<Files>(&bytes) else { return Earlier::new() };
    list.files.into_iter().map(|e| (e.0.clone(), e)).collect()
}

/// What the worker reads to save one language.
#[derive(Serialize)]
struct List<'a> {
    lang: &'a str,
    build: String,
    bytes: u64,
    pages: usize,
    files: Vec<Entry>,
}

/// Writes each site's lists (`<lang>/offline.json`) and summary (`offline-copy.js`) into the
/// staging folder. A file that cannot be read back is reported; one that cannot be written is
/// the staging's to report, as for every other file.
pub fn write_copy_lists(staging: &Staging, sites: &[CopySite]) -> Vec<Diagnostic> {
    let (files, problems) = copy_lists(staging.dir(), staging.previous(), sites);
    for f in files {
        let _ = staging.write(&f.path, &f.bytes);
    }
    problems
}

/// Each site's lists and summary as files to write, made from the files under `root` (a
/// staging folder, or an output updated in place), with the figures of files unchanged since
/// the lists under `earlier` (the output before) taken from those.
pub fn copy_lists(root: &Path, earlier: Option<&Path>, sites: &[CopySite]) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for site in sites {
        let site_root = root.join(&site.prefix);
        let mut summary = serde_json::Map::new();
        for lang in &site.languages {
            let before =
                earlier.map(|dir| earlier_list(&dir.join(&site.prefix).join(lang).join(LIST_NAME))).unwrap_or_default();
            let list = match language_list(&site_root, lang, &before) {
                Ok(list) => list,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            summary.insert(
                lang.clone(),
                serde_json::json!({ "build": list.build, "bytes": list.bytes, "pages": list.pages }),
            );
            let bytes = serde_json::to_vec(&list).unwrap_or_default();
            files.push(OutFile { path: format!("{}{lang}/{LIST_NAME}", site.prefix), bytes });
        }
        let script = format!("OberihOffline.copy({});\n", serde_json::Value::Object(summary));
        files.push(OutFile { path: format!("{}{SUMMARY_PATH}", site.prefix), bytes: script.into_bytes() });
    }
    (files, problems)
}

/// The list of `lang`'s copy of the site at `root`.
fn language_list<'a>(root: &Path, lang: &'a str, earlier: &Earlier) -> Result<List<'a>, Diagnostic> {
    let paths = copy_paths(root, lang);
    let measured = sizes::sample(&paths);
    let figures: Vec<Figures> = paths
        .par_iter()
        .zip(&measured)
        .map(|(rel, &measure)| figures(root, rel, earlier, measure))
        .collect::<Result<_, _>>()?;
    let known = paths.iter().zip(&figures).filter_map(|(p, f)| Some((p.as_str(), f.size, f.kept?)));
    let ratios = sizes::Ratios::of(known);
    let kept: Vec<u64> =
        paths.iter().zip(&figures).map(|(p, f)| f.kept.unwrap_or_else(|| ratios.estimate(p, f.size))).collect();
    let entries: Vec<Entry> =
        paths.into_iter().zip(figures).zip(kept).map(|((rel, f), kept)| Entry(rel, f.size, kept, f.hash)).collect();
    let mut lines = String::new();
    for e in &entries {
        lines.push_str(&format!("{} {}\n", e.0, e.3));
    }
    let pages = entries.iter().filter(|e| e.0.starts_with(&format!("{lang}/")) && e.0.ends_with(".html")).count();
    Ok(List {
        lang,
        build: fingerprint(lines.as_bytes()),
        bytes: entries.iter().map(|e| e.2).sum(),
        pages,
        files: entries,
    })
}

/// The files of `lang`'s copy, as paths from the site's root, sorted.
fn copy_paths(root: &Path, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(top) = std::fs::read_dir(root) else { return out };
    for item in top.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let is_dir = item.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && (name == lang || name == "assets") {
            for f in walkdir::WalkDir::new(item.path()).into_iter().flatten().filter(|f| f.file_type().is_file()) {
                if let Ok(rel) = f.path().strip_prefix(root) {
                    out.push(crate::source::slash_path(rel));
                }
            }
        } else if !is_dir && name.ends_with(".html") {
            out.push(name);
        }
    }
    // The whole guidance as one print document repeats every page of the copy: kept, it would
    // double what a phone stores (and at thousands of pages it is tens of megabytes a phone
    // could not open anyway). Printing is for when the portal can be reached.
    let own = [
        format!("{lang}/{LIST_NAME}"),
        format!("{lang}/{PRINT_DOCUMENT}"),
        WORKER_PATH.to_string(),
        SUMMARY_PATH.to_string(),
    ];
    out.retain(|p| !p.ends_with(".gz") && !p.ends_with(".br") && !own.contains(p));
    out.sort();
    out
}

/// A file's size and hash, and its kept size where it is known: from its `.gz` twin, from the
/// list before, or compressed here when [`sizes::measured`].
struct Figures {
    size: u64,
    kept: Option<u64>,
    hash: String,
}

fn figures(root: &Path, rel: &str, earlier: &Earlier, sampled: bool) -> Result<Figures, Diagnostic> {
    let path = root.join(rel);
    let fail = |e: std::io::Error| {
        Diagnostic::file_error(&path.display().to_string(), format!("cannot read back for the offline copy: {e}"))
    };
    let twin = path.with_file_name(format!("{}.gz", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    let twin_len = std::fs::metadata(&twin).ok().map(|m| m.len());
    let before = earlier.get(rel);
    // With nothing to compare against, one reading gives both figures; otherwise the file is
    // compressed only when its hash shows it changed.
    let fresh = twin_len.is_none() && before.is_none();
    let (size, hash, packed) = read_figures(&path, |len| fresh && sizes::measured(sampled, len)).map_err(fail)?;
    let kept = match (twin_len, before, packed) {
        (Some(n), _, _) => Some(n),
        (None, _, Some(n)) => Some(n),
        (None, Some(e), None) if e.1 == size && e.3 == hash => Some(e.2),
        (None, _, None) if sizes::measured(sampled, size) => {
            Some(read_figures(&path, |_| true).map_err(fail)?.2.unwrap_or(size))
        }
        (None, _, None) => None,
    };
    Ok(Figures { size, kept, hash })
}

/// A file's size and content hash, and its gzip size when `compress` says so of its length,
/// read a piece at a time (a large file is megabytes).
fn read_figures(path: &Path, compress: impl Fn(u64) -> bool) -> std::io::Result<(u64, String, Option<u64>)> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut gz =
        compress(file.metadata()?.len()).then(|| flate2::write::GzEncoder::new(Count(0), flate2::Compression::new(2)));
    let (mut size, mut buf) = (0u64, vec![0u8; 64 * 1024]);
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
        if let Some(gz) = gz.as_mut() {
            gz.write_all(&buf[..n])?;
        }
    }
    let packed = gz.map(|gz| gz.finish().map_or(size, |c| c.0));
    Ok((size, fingerprint_of(hasher.finalize().as_slice()), packed))
}

/// Counts the bytes written to it.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How many bytes `bytes` take gzipped at level 2.
#[cfg(test)]
fn gzip_len(bytes: &[u8]) -> u64 {
    let mut gz = flate2::write::GzEncoder::new(Count(0), flate2::Compression::new(2));
    let _ = gz.write_all(bytes);
    gz.finish().map_or(bytes.len() as u64, |c| c.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_holds_its_language_assets_and_root_pages_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "index.html",
            "404.html",
            "sitemap.xml",
            ".oberih-output",
            "sw.js",
            "offline-copy.js",
            "assets/site.1.css",
            "uk/index.html",
            "uk/index.html.gz",
            "uk/index.html.br",
            "uk/offline.json",
            "uk/search/a.js",
            "uk/manifest.webmanifest",
            "en/index.html",
            "en/manifest.webmanifest",
            "zak/uk/index.html",
        ] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "x".repeat(200)).unwrap();
        }
        let paths = copy_paths(root, "uk");
        assert_eq!(
            paths,
            [
                "404.html",
                "assets/site.1.css",
                "index.html",
                "uk/index.html",
                "uk/manifest.webmanifest",
                "uk/search/a.js"
            ]
        );
        let list = language_list(root, "uk", &Earlier::new()).unwrap();
        assert_eq!(list.pages, 1);
        // The `.gz` twin gives the kept size of uk/index.html; the others are compressed here.
        assert_eq!(list.files[3].2, 200);
        assert!(list.files[0].2 < 100, "{:?}", list.files[0]);
        assert_eq!(list.bytes, list.files.iter().map(|e| e.2).sum::<u64>());
    }

    #[test]
    fn the_build_id_changes_with_any_file_of_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("uk")).unwrap();
        std::fs::write(dir.path().join("uk/index.html"), "a").unwrap();
        let before = language_list(dir.path(), "uk", &Earlier::new()).unwrap().build;
        assert_eq!(before, language_list(dir.path(), "uk", &Earlier::new()).unwrap().build);
        std::fs::write(dir.path().join("uk/index.html"), "b").unwrap();
        assert_ne!(before, language_list(dir.path(), "uk", &Earlier::new()).unwrap().build);
    }

    #[test]
    fn a_rebuild_takes_the_kept_size_of_an_unchanged_file_from_the_list_before() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("uk")).unwrap();
        let text = "сторінка ".repeat(200);
        std::fs::write(dir.path().join("uk/index.html"), &text).unwrap();
        let hash = fingerprint(text.as_bytes());
        let size = text.len() as u64;
        let earlier = |hash: &str| -> Earlier {
            let e = Entry("uk/index.html".into(), size, 7, hash.into());
            [(e.0.clone(), e)].into_iter().collect()
        };
        let kept = |earlier: &Earlier| language_list(dir.path(), "uk", earlier).unwrap().files[0].2;
        // The figure is taken as it was written (7 stands for it: no compressor gives 7 here).
        assert_eq!(kept(&earlier(&hash)), 7);
        // A file whose content changed is compressed again.
        let fresh = kept(&earlier("sha256:other"));
        assert_eq!(fresh, gzip_len(text.as_bytes()));
        assert_ne!(fresh, 7);
    }

    #[test]
    fn a_large_copy_states_within_two_percent_of_its_gzip_size() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("uk")).unwrap();
        let words = ["торгівля", "людьми", "допомога", "guidance", "з’єднання", "<p>", "</p>", "2026"];
        let mut exact = 0;
        let mut seed = 7u64;
        for i in 0..1500 {
            let mut text = String::from("<!DOCTYPE html><html><body>");
            for _ in 0..(200 + i % 300) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
                text.push_str(if seed.is_multiple_of(3) { "\n" } else { " " });
            }
            exact += gzip_len(text.as_bytes());
            std::fs::write(dir.path().join(format!("uk/{i:04}.html")), text).unwrap();
        }
        let list = language_list(dir.path(), "uk", &Earlier::new()).unwrap();
        let error = (list.bytes as f64 - exact as f64).abs() / exact as f64;
        assert!(error < 0.02, "stated {} against {exact}", list.bytes);
        assert_eq!(list.bytes, list.files.iter().map(|e| e.2).sum::<u64>());
    }

    #[test]
    fn a_list_that_cannot_be_read_gives_no_figures() {
        let dir = tempfile::tempdir().unwrap();
        assert!(earlier_list(&dir.path().join("missing.json")).is_empty());
        std::fs::write(dir.path().join("bad.json"), "{not json").unwrap();
        assert!(earlier_list(&dir.path().join("bad.json")).is_empty());
        let list = r#"{"lang":"uk","build":"x","bytes":1,"pages":1,"files":[["uk/a.html",3,2,"sha256:h"]]}"#;
        std::fs::write(dir.path().join("offline.json"), list).unwrap();
        assert_eq!(earlier_list(&dir.path().join("offline.json"))["uk/a.html"].2, 2);
    }
}

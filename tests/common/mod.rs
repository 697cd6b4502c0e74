//! Shared helpers for integration tests: building fixture sites and checking built output by
//! parsing it (links, fragments, CSP, absolute URLs, ids).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use base64::Engine;
use oberih::build::{self, BuildOptions, BuildReport};
use scraper::{Html, Selector};
use sha2::{Digest, Sha256};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites").join(name)
}

/// Copies a fixture into a temporary folder so tests can change it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn build(root: &Path, out: &Path) -> BuildReport {
    build::run(&BuildOptions { root: root.to_path_buf(), out: out.to_path_buf(), write: true })
}

pub fn build_ok(root: &Path, out: &Path) -> BuildReport {
    let r = build(root, out);
    assert!(r.ok(), "build failed:\n{}", r.diagnostics.report());
    r
}

/// All files below `dir` with their bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

pub fn html_files(dir: &Path) -> Vec<(String, Html)> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, Html::parse_document(&String::from_utf8(b).unwrap())))
        .collect()
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn ids(doc: &Html) -> Vec<String> {
    doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id").map(str::to_string)).collect()
}

/// Problems with the built site as a list of readable lines (empty when all is well):
/// every href/src resolves to a file and every fragment to an id, one CSP meta first in head
/// whose hashes are exactly the inline scripts', no absolute URL in asset attributes,
/// no-referrer on every page, rel on outbound links, unique ids.
pub fn check_output(dir: &Path) -> Vec<String> {
    let files = tree(dir);
    let pages = html_files(dir);
    let id_sets: BTreeMap<String, BTreeSet<String>> =
        pages.iter().map(|(p, d)| (p.clone(), ids(d).into_iter().collect())).collect();
    let mut problems = Vec::new();
    for (path, doc) in &pages {
        if path == "404.html" || path.ends_with("/404.html") {
            continue; // served from any depth by a web server; its links are root-based on purpose
        }
        check_links(path, doc, &files, &id_sets, &mut problems);
        check_csp(path, doc, &mut problems);
        let all = ids(doc);
        let unique: BTreeSet<&String> = all.iter().collect();
        if unique.len() != all.len() {
            let mut seen = BTreeSet::new();
            let dups: Vec<&String> = all.iter().filter(|i| !seen.insert(*i)).collect();
            problems.push(format!("{path}: duplicate ids {dups:?}"));
        }
        if doc.select(&sel("meta[name=referrer][content=no-referrer]")).next().is_none() {
            problems.push(format!("{path}: no <meta name=referrer content=no-referrer>"));
        }
    }
    problems
}

fn check_links(
    path: &str,
    doc: &Html,
    files: &BTreeMap<String, Vec<u8>>,
    ids: &BTreeMap<String, BTreeSet<String>>,
    problems: &mut Vec<String>,
) {
    for el in doc.select(&sel("[href], [src]")) {
        let is_asset = el.value().name() != "a";
        for attr in ["href", "src"] {
            let Some(url) = el.value().attr(attr) else { continue };
            if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
                if is_asset {
                    problems.push(format!("{path}: asset from another origin: {url}"));
                } else if el.value().attr("rel").is_none_or(|r| !(r.contains("noopener") && r.contains("noreferrer"))) {
                    problems.push(format!("{path}: outbound link without rel=noopener noreferrer: {url}"));
                }
                continue;
            }
            if url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            if url.starts_with('/') {
                problems.push(format!("{path}: root-relative link {url}"));
                continue;
            }
            let (file_part, frag) = match url.split_once('#') {
                Some((f, fr)) => (f, Some(fr)),
                None => (url, None),
            };
            let file_part = file_part.split('?').next().unwrap_or("");
            let target = if file_part.is_empty() { path.to_string() } else { join(path, file_part) };
            let target =
                if target.ends_with('/') || target.is_empty() { format!("{target}index.html") } else { target };
            if !files.contains_key(&target) {
                problems.push(format!("{path}: {attr}={url} → missing file {target}"));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                let f = percent_decode(f);
                if !ids.get(&target).is_some_and(|s| s.contains(&f)) {
                    problems.push(format!("{path}: {url} → no id #{f} in {target}"));
                }
            }
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves a relative URL against the folder of `from` (both relative to the output root).
pub fn join(from: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for p in rel.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut s = parts.join("/");
    if rel.ends_with('/') {
        s.push('/');
    }
    s
}

fn check_csp(path: &str, doc: &Html, problems: &mut Vec<String>) {
    let metas: Vec<_> = doc.select(&sel("meta[http-equiv=Content-Security-Policy]")).collect();
    if metas.len() != 1 {
        problems.push(format!("{path}: {} CSP meta tags", metas.len()));
        return;
    }
    let first = doc.select(&sel("head > *")).next();
    if first.map(|e| e.id()) != Some(metas[0].id()) {
        problems.push(format!("{path}: CSP meta is not first in <head>"));
    }
    let policy = metas[0].value().attr("content").unwrap_or("");
    if policy.contains("unsafe-inline") || policy.contains("unsafe-eval") || !policy.contains("default-src 'none'") {
        problems.push(format!("{path}: weak CSP {policy}"));
    }
    let directive = |name: &str| -> BTreeSet<String> {
        policy
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with(name))
            .map(|d| d.split_whitespace().filter(|t| t.starts_with("'sha256-")).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let hashes = |css: &str| -> BTreeSet<String> {
        doc.select(&sel(css))
            // Data blocks never run, so they need no hash.
            .filter(|s| !s.value().attr("type").is_some_and(|t| oberih::output::DATA_BLOCK_TYPES.contains(&t)))
            .map(|s| {
                let text: String = s.text().collect();
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
                )
            })
            .collect()
    };
    for (name, css) in [("script-src", "script:not([src])"), ("style-src", "style")] {
        let (expected, actual) = (hashes(css), directive(name));
        if expected != actual {
            problems.push(format!("{path}: {name} hashes {actual:?} ≠ inline elements {expected:?}"));
        }
    }
}

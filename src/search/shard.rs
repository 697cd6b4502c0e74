//! Writes a language's index as term-range shards and document fragments.
//!
//! Postings follow elasticlunr's model: per field, a term's frequency is
//! √count and is divided by √(field length in terms), so the client needs no
//! table of field lengths. That weight (at most 1) is stored as an integer in
//! 1..=[`WEIGHT_SCALE`]. Document frequencies are the lengths of the posting
//! lists; the client computes elasticlunr's idf, `1 + ln(N / (df + 1))`.
//!
//! A term's postings are grouped by weight: a field has a few dozen distinct
//! weights but thousands of documents for a frequent term, so writing each
//! weight once and the documents under it as differences takes about two
//! bytes a posting, less than half of what a weight with every posting
//! takes, at the same precision.
//!
//! Terms are sorted by UTF-16 code units, the order in which JavaScript
//! compares strings, so the client can binary-search the shard table with `<`.
//! The file formats are described in the parent module.

use super::language::Analysis;
use super::prepare::{js_json, DocRecord, DocTerms, Prepared, Vocabulary};
use super::{SearchDoc, SearchFile};
use docs::{write_docs, DocsWritten};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Borrow;
use std::convert::Infallible;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

pub use super::prepare::{SNIPPET_CHARS, WEIGHT_SCALE};
pub use docs::docs_name;

mod docs;

/// Raw size, in bytes, at which a shard is closed: a two-word query loads at most two.
pub const SHARD_TARGET: usize = 16 * 1024;
/// A small index is still cut into at least this many shards (of at least [`SHARD_FLOOR`]
/// bytes): on a portal of a few dozen pages a word's shard is then a few kilobytes, which a
/// weak connection brings in a fraction of the time, and the few files more cost nothing.
pub const MIN_SHARDS: usize = 16;
pub const SHARD_FLOOR: usize = 4 * 1024;
/// Largest raw size, in bytes, of a docs file, unless one page is larger. A file holds whole
/// pages in site order, so the sections of a result page come in one request and neighbouring
/// pages, which are often found together, share files. A screen of results loads up to six
/// files: this size keeps that and the query's shards within 150 KB on a 10,000-page portal,
/// while the whole index stays about a third of a file per page.
pub const DOCS_TARGET: usize = 14 * 1024;
/// Docs files per folder under `docs/`, so that no folder outgrows what FAT32 sticks allow.
pub const DOCS_PER_FOLDER: usize = 1000;
/// Indexed fields and their boosts, in posting order.
pub const FIELDS: [(&str, f64); 3] = [("title", 3.0), ("breadcrumbs", 1.5), ("body", 1.0)];
/// Version of the file format, checked by the client.
pub const FORMAT: u32 = 4;
/// Digits of the posting code, as in `runtime/query.js`: 0–31 end a number, 32–63
/// carry five more bits of it, most significant first.
const CODE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Postings of one term: per field, (doc number, weight) by doc number.
type Postings = [Vec<(u32, u32)>; 3];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a> {
    format: u32,
    lang: &'a str,
    analyzer: &'a str,
    version: String,
    doc_count: usize,
    weight_scale: u32,
    fields: Vec<(&'static str, f64)>,
    /// Where each shard starts: `""`, then the shortest prefix of each next shard's first term
    /// that sorts after the previous shard's last term.
    shards: Vec<String>,
    /// Each page in document order as one number in the posting code: its number of documents
    /// times two, plus one where a docs file starts with it.
    pages: String,
}

/// Inverts documents' terms into (term, postings) pairs in index order. Owned terms are freed
/// as they are read.
fn invert<T: Borrow<DocTerms>>(vocab: &Vocabulary, docs: impl Iterator<Item = T>) -> Vec<(&str, Postings)> {
    let mut postings: Vec<Postings> = (0..vocab.len()).map(|_| Postings::default()).collect();
    for (doc, terms) in docs.enumerate() {
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        for (f, terms) in terms.borrow().iter().enumerate() {
            for &(n, w) in terms {
                if let Some(lists) = postings.get_mut(n as usize) {
                    lists[f].push((doc, w));
                }
            }
        }
    }
    vocab
        .sorted()
        .iter()
        .filter_map(|&n| {
            let lists = std::mem::take(postings.get_mut(n as usize)?);
            (!lists.iter().all(Vec::is_empty)).then(|| (vocab.term(n), lists))
        })
        .collect()
}

/// Appends `n` in the posting code (see [`CODE`]).
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    loop {
        digits[len] = (n % 32) as u8;
        len += 1;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for (i, &d) in digits[..len].iter().enumerate().rev() {
        let carry = if i > 0 { 32 } else { 0 };
        out.push(char::from(CODE[usize::from(d + carry)]));
    }
}

/// One field's postings: groups of `weight doc doc…` joined by commas, heaviest weight first,
/// each group's documents ascending, the first as its number and the next as differences.
fn encode_postings(list: &[(u32, u32)]) -> String {
    let mut by_weight: Vec<(u32, u32)> = list.iter().map(|&(doc, w)| (w, doc)).collect();
    by_weight.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = String::with_capacity(list.len() * 2 + 4);
    let mut group = None;
    let mut prev = 0;
    for (w, doc) in by_weight {
        if group != Some(w) {
            if group.is_some() {
                out.push(',');
            }
            push_number(&mut out, w);
            group = Some(w);
            prev = 0;
        }
        push_number(&mut out, doc - prev);
        prev = doc;
    }
    out
}

/// Groups consecutive entries into files of at most `target` bytes (a file
/// holds at least one entry, so a single huge entry makes its own file).
fn cut<S: AsRef<str>>(entries: &[S], target: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, e) in entries.iter().enumerate() {
        let add = e.as_ref().len() + 1;
        if i > start && size + add > target {
            ranges.push(start..i);
            start = i;
            size = 0;
        }
        size += add;
    }
    if start < entries.len() {
        ranges.push(start..entries.len());
    }
    ranges
}

/// The size at which this index's shards are closed: [`SHARD_TARGET`], or less for a small
/// index (see [`MIN_SHARDS`]).
fn shard_target(entries: &[String]) -> usize {
    let total: usize = entries.iter().map(|e| e.len() + 1).sum();
    (total / MIN_SHARDS).clamp(SHARD_FLOOR, SHARD_TARGET)
}

fn register(kind: &str, n: usize, payload: &str) -> Vec<u8> {
    format!("OberihSearch.register(\"{kind}\",{n},{payload});\n").into_bytes()
}

/// File name of shard `n`.
pub fn shard_name(n: usize) -> String {
    format!("shard-{n:02}.js")
}

/// Where a shard starts: the shortest prefix of its first term that sorts after `prev_last`,
/// the last term of the shard before. Whole characters, so it also holds in UTF-16 order.
fn separator(prev_last: &str, first: &str) -> String {
    let mut out = String::new();
    let mut prev = prev_last.chars();
    for c in first.chars() {
        out.push(c);
        if prev.next() != Some(c) {
            break;
        }
    }
    out
}

/// A file of the index made, with the SHA-256 of its bytes (for the manifest's version).
type Made = (String, [u8; 32]);

/// A file's place in the index's file order: the manifest, the shards, then the docs files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    Manifest,
    Shard(usize),
    Docs(usize),
}

/// Where the index's files go, with their places, from several threads.
pub(crate) type Emit<'a, E> = dyn Fn(Place, SearchFile) -> Result<(), E> + Sync + 'a;

/// Hands a finished file to `emit` at its place in the index's file order, keeping its hash.
fn hand_over<E>(place: Place, file: SearchFile, emit: &Emit<'_, E>) -> Result<Made, E> {
    let made = (file.path.clone(), Sha256::digest(&file.bytes).into());
    emit(place, file)?;
    Ok(made)
}

/// Writes the shards; returns where each starts (see [`Manifest::shards`]). Each term's
/// postings are freed once encoded.
fn write_shards<E: Send>(terms: Vec<(&str, Postings)>, emit: &Emit<'_, E>) -> Result<(Vec<String>, Vec<Made>), E> {
    let names: Vec<&str> = terms.iter().map(|(t, _)| *t).collect();
    // The codes hold no character that JSON escapes, so only the term goes through serde.
    let entries: Vec<String> = terms
        .into_par_iter()
        .map(|(t, p)| {
            let [title, crumbs, body] = p.each_ref().map(|list| encode_postings(list));
            format!("[{},\"{title}\",\"{crumbs}\",\"{body}\"]", js_json(t))
        })
        .collect();
    let ranges = cut(&entries, shard_target(&entries));
    let made = ranges
        .par_iter()
        .enumerate()
        .map(|(n, r)| {
            let payload = format!("{{\"terms\":[{}]}}", entries[r.clone()].join(","));
            hand_over(Place::Shard(n), SearchFile { path: shard_name(n), bytes: register("shard", n, &payload) }, emit)
        })
        .collect::<Result<Vec<Made>, E>>()?;
    let starts = ranges
        .iter()
        .map(|r| match r.start {
            0 => String::new(),
            start => separator(names[start - 1], names[start]),
        })
        .collect();
    Ok((starts, made))
}

/// Short content hash of all data files, used by the client to bust caches: their paths and
/// hashes, in order.
fn version(files: &[Made]) -> String {
    let mut h = Sha256::new();
    for (path, file_hash) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(file_hash);
    }
    h.finalize()[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds all files of one language's index; see [`super::build_index`].
pub fn build(lang: &str, docs: &[SearchDoc]) -> Vec<SearchFile> {
    let mut indexer = super::Indexer::new(lang);
    indexer.add(docs);
    indexer.finish()
}

/// Writes the index of prepared documents, in document order: the manifest, the shards, then
/// the docs files.
pub(crate) fn write(lang: &str, analysis: Analysis, vocab: &Vocabulary, docs: &[&Prepared]) -> Vec<SearchFile> {
    let files = Mutex::new(Vec::new());
    let collect = |place: Place, f: SearchFile| -> Result<(), Infallible> {
        files.lock().unwrap_or_else(PoisonError::into_inner).push((place, f));
        Ok(())
    };
    let records: Vec<&DocRecord> = docs.iter().map(|d| &d.record).collect();
    let pages: Vec<u64> = docs.iter().map(|d| d.page).collect();
    let Ok(docs_written) = write_docs(&records, &pages, &collect);
    let terms = invert(vocab, docs.iter().map(|d| &d.terms));
    let Ok(_) = finish(lang, analysis, docs.len(), terms, docs_written, &collect);
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_unstable_by_key(|(place, _)| *place);
    files.into_iter().map(|(_, f)| f).collect()
}

/// [`write`], handing each file to `emit` as soon as it is made (from several threads), with
/// its place in `write`'s order, so that the files of a whole index are never held at once. The
/// docs files come first, so that the records are freed before the postings are made; the
/// manifest comes last: it holds a hash of all the others. Returns the manifest's JSON.
pub(crate) fn write_each<E: Send>(
    lang: &str,
    analysis: Analysis,
    vocab: &Vocabulary,
    mut docs: Vec<Prepared>,
    emit: &Emit<'_, E>,
) -> Result<String, E> {
    let records: Vec<&DocRecord> = docs.iter().map(|d| &d.record).collect();
    let pages: Vec<u64> = docs.iter().map(|d| d.page).collect();
    let docs_written = write_docs(&records, &pages, emit)?;
    for doc in &mut docs {
        doc.record = DocRecord::default();
    }
    let count = docs.len();
    let terms = invert(vocab, docs.into_iter().map(|d| d.terms));
    finish(lang, analysis, count, terms, docs_written, emit)
}

/// Writes the shards, then the manifest; returns the manifest's JSON (what `manifest.js`
/// registers), which the search page carries.
fn finish<E: Send>(
    lang: &str,
    analysis: Analysis,
    doc_count: usize,
    terms: Vec<(&str, Postings)>,
    (pages, docs_made): DocsWritten,
    emit: &Emit<'_, E>,
) -> Result<String, E> {
    let (shards, mut made) = write_shards(terms, emit)?;
    made.extend(docs_made);
    let manifest = Manifest {
        format: FORMAT,
        lang,
        analyzer: analysis.name(),
        version: version(&made),
        doc_count,
        weight_scale: WEIGHT_SCALE,
        fields: FIELDS.to_vec(),
        shards,
        pages,
    };
    let json = js_json(&manifest);
    let bytes = register("manifest", 0, &json);
    emit(Place::Manifest, SearchFile { path: "manifest.js".into(), bytes })?;
    Ok(json)
}

#[cfg(test)]
mod tests;

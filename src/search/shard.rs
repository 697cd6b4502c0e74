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
use super::prepare::{js_json, DocTerms, Prepared, Vocabulary};
use super::{SearchDoc, SearchFile};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Borrow;
use std::convert::Infallible;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

pub use super::prepare::{SNIPPET_CHARS, WEIGHT_SCALE};

/// Raw size, in bytes, at which a shard is closed.
pub const SHARD_TARGET: usize = 32 * 1024;
/// Average raw size of a docs file. Results are scattered over the site, so a page of results
/// loads one docs file per result: a file holds one document, or a few when documents are short.
pub const DOCS_TARGET: usize = 3 * 1024;
/// Docs files per folder under `docs/`, so that no folder outgrows what FAT32 sticks allow.
pub const DOCS_PER_FOLDER: usize = 1000;
/// Indexed fields and their boosts, in posting order.
pub const FIELDS: [(&str, f64); 3] = [("title", 3.0), ("breadcrumbs", 1.5), ("body", 1.0)];
/// Version of the file format, checked by the client.
pub const FORMAT: u32 = 2;
/// Digits of the posting code, as in `search.js`: 0–31 end a number, 32–63
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
    /// Documents in each docs file: file `n` holds documents `n × docsPerFile…`.
    docs_per_file: usize,
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

fn register(kind: &str, n: usize, payload: &str) -> Vec<u8> {
    format!("OberihSearch.register(\"{kind}\",{n},{payload});\n").into_bytes()
}

/// File name of shard `n`.
pub fn shard_name(n: usize) -> String {
    format!("shard-{n:02}.js")
}

/// Path of docs file `n`: `docs/<n / DOCS_PER_FOLDER>/<n>.js`.
pub fn docs_name(n: usize) -> String {
    format!("docs/{}/{n}.js", n / DOCS_PER_FOLDER)
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
    let ranges = cut(&entries, SHARD_TARGET);
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

/// How many documents go in one docs file for files of about [`DOCS_TARGET`] bytes.
fn docs_per_file(records: &[&str]) -> usize {
    let total: usize = records.iter().map(|r| r.len() + 1).sum();
    match total {
        0 => 1,
        _ => (DOCS_TARGET * records.len() / total).max(1),
    }
}

/// The docs files written: documents per file, and the files made.
type DocsWritten = (usize, Vec<Made>);

/// Writes the docs files of the documents' `records`.
fn write_docs<E: Send>(records: &[&str], emit: &Emit<'_, E>) -> Result<DocsWritten, E> {
    let per_file = docs_per_file(records);
    let made = records
        .par_chunks(per_file)
        .enumerate()
        .map(|(n, chunk)| {
            let payload = format!("{{\"first\":{},\"docs\":[{}]}}", n * per_file, chunk.join(","));
            hand_over(Place::Docs(n), SearchFile { path: docs_name(n), bytes: register("docs", n, &payload) }, emit)
        })
        .collect::<Result<Vec<Made>, E>>()?;
    Ok((per_file, made))
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
    let records: Vec<&str> = docs.iter().map(|d| d.record.as_str()).collect();
    let Ok(docs_written) = write_docs(&records, &collect);
    let terms = invert(vocab, docs.iter().map(|d| &d.terms));
    let Ok(()) = finish(lang, analysis, docs.len(), terms, docs_written, &collect);
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_unstable_by_key(|(place, _)| *place);
    files.into_iter().map(|(_, f)| f).collect()
}

/// [`write`], handing each file to `emit` as soon as it is made (from several threads), with
/// its place in `write`'s order, so that the files of a whole index are never held at once. The
/// docs files come first, so that the records are freed before the postings are made; the
/// manifest comes last: it holds a hash of all the others.
pub(crate) fn write_each<E: Send>(
    lang: &str,
    analysis: Analysis,
    vocab: &Vocabulary,
    mut docs: Vec<Prepared>,
    emit: &Emit<'_, E>,
) -> Result<(), E> {
    let records: Vec<&str> = docs.iter().map(|d| d.record.as_str()).collect();
    let docs_written = write_docs(&records, emit)?;
    for doc in &mut docs {
        doc.record = String::new();
    }
    let count = docs.len();
    let terms = invert(vocab, docs.into_iter().map(|d| d.terms));
    finish(lang, analysis, count, terms, docs_written, emit)
}

/// Writes the shards, then the manifest.
fn finish<E: Send>(
    lang: &str,
    analysis: Analysis,
    doc_count: usize,
    terms: Vec<(&str, Postings)>,
    (docs_per_file, docs_made): DocsWritten,
    emit: &Emit<'_, E>,
) -> Result<(), E> {
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
        docs_per_file,
    };
    let bytes = register("manifest", 0, &js_json(&manifest));
    emit(Place::Manifest, SearchFile { path: "manifest.js".into(), bytes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Splits `OberihSearch.register("kind",n,{…});` into its arguments.
    fn parse(file: &SearchFile) -> (String, usize, Value) {
        let text = std::str::from_utf8(&file.bytes).expect("utf-8");
        let args = text
            .strip_prefix("OberihSearch.register(")
            .and_then(|t| t.strip_suffix(");\n"))
            .expect("one register call");
        let v: Value = serde_json::from_str(&format!("[{args}]")).expect("json arguments");
        let kind = v[0].as_str().expect("kind").to_string();
        let n = v[1].as_u64().expect("number") as usize;
        (kind, n, v[2].clone())
    }

    fn doc(i: usize, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id: format!("p{i}/index.html"),
            title: title.into(),
            breadcrumbs: "Розділ".into(),
            body: body.into(),
        }
    }

    /// Many documents with many distinct words, enough for several shards.
    fn corpus(n: usize) -> Vec<SearchDoc> {
        (0..n)
            .map(|i| {
                let words: Vec<String> =
                    (0..40).map(|k| format!("слово{}x{}", (i * 7 + k * 13) % 900, k % 5)).collect();
                doc(i, &format!("Документ {i}"), &words.join(" "))
            })
            .collect()
    }

    fn utf16_lt(a: &str, b: &str) -> bool {
        a.encode_utf16().lt(b.encode_utf16())
    }

    /// Reads one field's postings back as (doc, weight) pairs, in file order.
    fn decode(s: &str) -> Vec<(u32, u32)> {
        let digit = |c: char| CODE.iter().position(|&d| char::from(d) == c).expect("code digit") as u32;
        let mut out = Vec::new();
        for group in s.split(',').filter(|g| !g.is_empty()) {
            let mut numbers = Vec::new();
            let mut n = 0;
            for c in group.chars() {
                let d = digit(c);
                n = n * 32 + d % 32;
                if d < 32 {
                    numbers.push(n);
                    n = 0;
                }
            }
            let mut doc = 0;
            for delta in &numbers[1..] {
                doc += delta;
                out.push((doc, numbers[0]));
            }
        }
        out
    }

    #[test]
    fn output_is_deterministic() {
        let docs = corpus(300);
        assert_eq!(build("uk", &docs), build("uk", &docs));
    }

    #[test]
    fn shards_respect_size_bound_and_cover_every_term_once() {
        let docs = corpus(600);
        let files = build("uk", &docs);
        let (_, _, manifest) = parse(&files[0]);
        let starts: Vec<&str> =
            manifest["shards"].as_array().expect("shards").iter().map(|s| s.as_str().expect("start")).collect();
        assert!(starts.len() > 3, "corpus should need several shards");
        assert_eq!(starts[0], "");
        let mut all_terms: Vec<String> = Vec::new();
        for (n, start) in starts.iter().enumerate() {
            let file = files.iter().find(|f| f.path == shard_name(n)).expect("shard file exists");
            let (kind, num, data) = parse(file);
            assert_eq!((kind.as_str(), num), ("shard", n));
            let terms: Vec<String> = data["terms"]
                .as_array()
                .expect("terms")
                .iter()
                .map(|t| t[0].as_str().expect("term").to_string())
                .collect();
            assert!(
                file.bytes.len() <= SHARD_TARGET + 64 || terms.len() == 1,
                "shard {n} has {} bytes",
                file.bytes.len()
            );
            // Every term of shard n sorts from its start up to, not including, the next start.
            for t in &terms {
                assert!(!utf16_lt(t, start), "{t} before the start {start} of shard {n}");
                if let Some(next) = starts.get(n + 1) {
                    assert!(utf16_lt(t, next), "{t} not before the start {next} of shard {}", n + 1);
                }
            }
            all_terms.extend(terms);
        }
        // Sorted strictly across shard boundaries: every term in exactly one
        // shard, and the ranges ordered and disjoint.
        assert!(all_terms.windows(2).all(|w| utf16_lt(&w[0], &w[1])));
        let expected: std::collections::BTreeSet<String> = docs
            .iter()
            .flat_map(|d| [&d.title, &d.breadcrumbs, &d.body].into_iter().flat_map(|t| super::super::analyze(t)))
            .collect();
        let got: std::collections::BTreeSet<String> = all_terms.into_iter().collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn docs_files_hold_every_doc_in_order() {
        let docs = corpus(400);
        let files = build("uk", &docs);
        let (_, _, manifest) = parse(&files[0]);
        let per_file = manifest["docsPerFile"].as_u64().expect("docsPerFile") as usize;
        assert!(per_file > 1, "short documents share files");
        let docs_files: Vec<&SearchFile> = files.iter().filter(|f| f.path.starts_with("docs/")).collect();
        assert_eq!(docs_files.len(), docs.len().div_ceil(per_file));
        let mut ids = Vec::new();
        let mut bytes = 0;
        for (n, file) in docs_files.iter().enumerate() {
            assert_eq!(file.path, docs_name(n));
            let (kind, num, data) = parse(file);
            assert_eq!((kind.as_str(), num), ("docs", n));
            assert_eq!(data["first"].as_u64(), Some((n * per_file) as u64));
            assert_eq!(data["first"].as_u64(), Some(ids.len() as u64));
            for d in data["docs"].as_array().expect("docs") {
                ids.push(d[0].as_str().expect("id").to_string());
            }
            bytes += file.bytes.len();
        }
        assert!(bytes / docs_files.len() <= DOCS_TARGET + 64, "files average {} bytes", bytes / docs_files.len());
        let expected: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        assert_eq!(ids, expected);
        assert_eq!(manifest["docCount"].as_u64(), Some(400));
    }

    #[test]
    fn long_documents_get_a_file_each_in_folders_of_a_thousand() {
        let docs: Vec<SearchDoc> = (0..1001).map(|i| doc(i, "Заголовок", &"слово ".repeat(600))).collect();
        let files = build("uk", &docs);
        let (_, _, manifest) = parse(&files[0]);
        assert_eq!(manifest["docsPerFile"], 1);
        assert!(files.iter().any(|f| f.path == "docs/0/999.js"));
        assert!(files.iter().any(|f| f.path == "docs/1/1000.js"));
    }

    #[test]
    fn postings_are_delta_coded_with_weights() {
        let docs = vec![
            doc(0, "Примусова праця", "праця праця вербування"),
            doc(1, "Інше", "нічого"),
            doc(2, "Торгівля", "працею"),
        ];
        let files = build("uk", &docs);
        let (_, _, data) = parse(&files[1]);
        let entry =
            data["terms"].as_array().expect("terms").iter().find(|t| t[0] == "прац").expect("прац indexed").clone();
        // Title of doc 0: 1 of 2 terms → √(1/2) = 707 = 22·32 + 3, written "2D" (54, 3), then doc
        // "A" (0). Body: doc 2 (its only term, 1000 = "_I") before doc 0 (2 of 3 terms, 816 = "5Q").
        assert_eq!(entry[1], "2DA");
        assert_eq!(entry[2], "");
        assert_eq!(entry[3], "_IC,5QA");
        assert_eq!(decode("_IC,5QA"), [(2, 1000), (0, 816)]);
    }

    #[test]
    fn groups_share_a_weight_and_list_documents_as_differences() {
        let list = [(3, 500), (40, 9), (41, 500), (1200, 500), (5000, 9)];
        let code = encode_postings(&list);
        assert_eq!(code.matches(',').count(), 1, "two weights, two groups: {code}");
        let mut back = decode(&code);
        back.sort_unstable();
        assert_eq!(back, list);
        assert_eq!(encode_postings(&[]), "");
    }

    #[test]
    fn numbers_use_five_bits_a_digit() {
        let code = |n| {
            let mut s = String::new();
            push_number(&mut s, n);
            s
        };
        assert_eq!(code(0), "A");
        assert_eq!(code(31), "f");
        assert_eq!(code(32), "hA");
        assert_eq!(code(1023), "_f");
        assert_eq!(code(1024), "hgA");
        assert_eq!(code(u32::MAX).len(), 7);
    }

    #[test]
    fn separators_are_shortest_prefixes_after_the_previous_shard() {
        assert_eq!(separator("працівник", "праця"), "праця");
        assert_eq!(separator("прац", "працівник"), "праці");
        assert_eq!(separator("abc", "b"), "b");
        assert_eq!(separator("a😀", "a😁x"), "a😁");
    }

    /// The weights equal elasticlunr's own tf and field lengths.
    #[test]
    fn weights_match_elasticlunr_index() {
        let docs = corpus(30);
        let mut index = elasticlunr::IndexBuilder::with_language(Box::new(super::super::Ukrainian))
            .save_docs(false)
            .add_fields(FIELDS.iter().map(|f| f.0))
            .build();
        for d in &docs {
            index.add_doc(&d.id, [&d.title, &d.breadcrumbs, &d.body]);
        }
        let json: Value = serde_json::from_str(&index.to_json()).expect("index json");
        let files = build("uk", &docs);
        let mut checked = 0;
        for file in files.iter().filter(|f| f.path.starts_with("shard-")) {
            let (_, _, data) = parse(file);
            for entry in data["terms"].as_array().expect("terms") {
                let term = entry[0].as_str().expect("term");
                for (f, (field, _)) in FIELDS.iter().enumerate() {
                    let mut node = &json["index"][field]["root"];
                    for c in term.chars() {
                        node = &node[c.to_string()];
                    }
                    let postings = decode(entry[f + 1].as_str().expect("postings"));
                    for &(doc_num, w) in &postings {
                        let id = &docs[doc_num as usize].id;
                        let tf = node["docs"][id]["tf"].as_f64().expect("tf");
                        let len = json["documentStore"]["docInfo"][id][field].as_f64().expect("length");
                        let expected = (tf / len.sqrt() * f64::from(WEIGHT_SCALE)).round();
                        assert_eq!(w, expected as u32);
                        checked += 1;
                    }
                    let df = node["df"].as_u64().unwrap_or(0);
                    assert_eq!(df as usize, postings.len(), "df of {term} in {field}");
                }
            }
        }
        assert!(checked > 1000);
    }

    #[test]
    fn empty_site_gives_manifest_only() {
        let files = build("uk", &[]);
        assert_eq!(files.len(), 1);
        let (kind, _, manifest) = parse(&files[0]);
        assert_eq!(kind, "manifest");
        assert_eq!(manifest["shards"], Value::Array(vec![]));
        assert_eq!(manifest["docCount"], 0);
    }

    #[test]
    fn other_languages_get_plain_words() {
        let files = build("hu", &[doc(0, "Munkások", "munka")]);
        let (_, _, manifest) = parse(&files[0]);
        assert_eq!(manifest["analyzer"], "plain-2");
        let (_, _, shard) = parse(&files[1]);
        assert_eq!(shard["terms"][0][0], "munka");
        assert_eq!(shard["terms"][1][0], "munkasok");
    }

    #[test]
    fn line_separators_are_escaped_for_old_engines() {
        let files = build("uk", &[doc(0, "a\u{2028}b", "c\u{2029}d")]);
        for f in files {
            let text = String::from_utf8(f.bytes).expect("utf-8");
            assert!(!text.contains('\u{2028}') && !text.contains('\u{2029}'));
        }
    }

    #[test]
    fn cut_closes_files_at_target() {
        let entries: Vec<String> = ["aaaa", "bbbb", "cccc", "dddddddddddd"].iter().map(|s| s.to_string()).collect();
        assert_eq!(cut(&entries, 10), vec![0..2, 2..3, 3..4]);
        assert!(cut::<String>(&[], 10).is_empty());
    }
}

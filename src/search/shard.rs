//! Writes a language's index as term-range shards and document fragments.
//!
//! Postings follow elasticlunr's model: per field, a term's frequency is
//! √count and is divided by √(field length in terms), so the client needs no
//! table of field lengths. That weight (at most 1) is stored as an integer in
//! 1..=[`WEIGHT_SCALE`]. Document frequencies are the lengths of the posting
//! lists; the client computes elasticlunr's idf, `1 + ln(N / (df + 1))`.
//!
//! Terms are sorted by UTF-16 code units, the order in which JavaScript
//! compares strings, so the client can binary-search the shard table with `<`.
//! The file formats are described in the parent module.

use super::language::Analysis;
use super::prepare::{self, js_json, Prepared, Vocabulary};
use super::{SearchDoc, SearchFile};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::ops::Range;

pub use super::prepare::{SNIPPET_CHARS, WEIGHT_SCALE};

/// Raw size, in bytes, at which a shard is closed.
pub const SHARD_TARGET: usize = 32 * 1024;
/// Raw size at which a docs file is closed: smaller than shards, because a
/// page of results needs one file per result.
pub const DOCS_TARGET: usize = 16 * 1024;
/// Indexed fields and their boosts, in posting order.
pub const FIELDS: [(&str, f64); 3] = [("title", 3.0), ("breadcrumbs", 1.5), ("body", 1.0)];
/// Version of the file format, checked by the client.
pub const FORMAT: u32 = 1;

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
    /// First and last term of each shard, in shard order.
    shards: Vec<(&'a str, &'a str)>,
    /// First doc number of each docs file, in file order.
    doc_files: Vec<usize>,
}

/// Inverts prepared documents into (term, postings) pairs in index order.
fn invert<'a>(vocab: &'a Vocabulary, docs: &[&Prepared]) -> Vec<(&'a str, Postings)> {
    let mut postings: Vec<Postings> = (0..vocab.len()).map(|_| Postings::default()).collect();
    for (doc, p) in docs.iter().enumerate() {
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        for (f, terms) in p.terms.iter().enumerate() {
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

fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 7];
    let mut len = 0;
    loop {
        digits[len] = DIGITS[(n % 36) as usize];
        len += 1;
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits[..len].iter().rev().for_each(|&d| out.push(char::from(d)));
}

/// `delta:weight` items in base 36, comma-separated; the first delta is the
/// doc number itself.
fn encode_postings(list: &[(u32, u32)]) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for (i, &(doc, w)) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_base36(&mut out, doc - prev);
        out.push(':');
        push_base36(&mut out, w);
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

/// File name of docs file `n`.
pub fn docs_name(n: usize) -> String {
    format!("docs-{n:02}.js")
}

fn write_shards(terms: &[(&str, Postings)], files: &mut Vec<SearchFile>) -> Vec<Range<usize>> {
    let entries: Vec<String> = terms
        .par_iter()
        .map(|(t, p)| js_json(&(t, encode_postings(&p[0]), encode_postings(&p[1]), encode_postings(&p[2]))))
        .collect();
    let ranges = cut(&entries, SHARD_TARGET);
    for (n, r) in ranges.iter().enumerate() {
        let payload = format!("{{\"terms\":[{}]}}", entries[r.clone()].join(","));
        files.push(SearchFile { path: shard_name(n), bytes: register("shard", n, &payload) });
    }
    ranges
}

fn write_docs(docs: &[&Prepared], files: &mut Vec<SearchFile>) -> Vec<usize> {
    let entries: Vec<&str> = docs.iter().map(|d| d.record.as_str()).collect();
    let ranges = cut(&entries, DOCS_TARGET);
    for (n, r) in ranges.iter().enumerate() {
        let payload = format!("{{\"first\":{},\"docs\":[{}]}}", r.start, entries[r.clone()].join(","));
        files.push(SearchFile { path: docs_name(n), bytes: register("docs", n, &payload) });
    }
    ranges.iter().map(|r| r.start).collect()
}

/// Short content hash of all data files, used by the client to bust caches. Files are hashed
/// in parallel, then their paths and hashes in order.
fn version(files: &[SearchFile]) -> String {
    let hashes: Vec<_> = files.par_iter().map(|f| Sha256::digest(&f.bytes)).collect();
    let mut h = Sha256::new();
    for (f, file_hash) in files.iter().zip(hashes) {
        h.update(f.path.as_bytes());
        h.update([0]);
        h.update(file_hash);
    }
    h.finalize()[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds all files of one language's index; see [`super::build_index`].
pub fn build(lang: &str, docs: &[SearchDoc]) -> Vec<SearchFile> {
    let analysis = Analysis::for_lang(lang);
    let mut vocab = Vocabulary::default();
    let prepared = vocab.number_all(prepare::analyse(analysis, lang, docs.par_iter()));
    let refs: Vec<&Prepared> = prepared.iter().collect();
    write(lang, analysis, &vocab, &refs)
}

/// Writes the index of prepared documents, in document order.
pub(crate) fn write(lang: &str, analysis: Analysis, vocab: &Vocabulary, docs: &[&Prepared]) -> Vec<SearchFile> {
    let terms = invert(vocab, docs);
    let mut files = Vec::new();
    let shard_ranges = write_shards(&terms, &mut files);
    let doc_files = write_docs(docs, &mut files);
    let manifest = Manifest {
        format: FORMAT,
        lang,
        analyzer: analysis.name(),
        version: version(&files),
        doc_count: docs.len(),
        weight_scale: WEIGHT_SCALE,
        fields: FIELDS.to_vec(),
        shards: shard_ranges.iter().map(|r| (terms[r.start].0, terms[r.end - 1].0)).collect(),
        doc_files,
    };
    files.insert(0, SearchFile { path: "manifest.js".into(), bytes: register("manifest", 0, &js_json(&manifest)) });
    files
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
        let ranges = manifest["shards"].as_array().expect("shards");
        assert!(ranges.len() > 3, "corpus should need several shards");
        let mut all_terms: Vec<String> = Vec::new();
        for (n, range) in ranges.iter().enumerate() {
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
            assert_eq!(range[0].as_str(), terms.first().map(String::as_str));
            assert_eq!(range[1].as_str(), terms.last().map(String::as_str));
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
    fn docs_files_list_every_doc_in_order() {
        let docs = corpus(400);
        let files = build("uk", &docs);
        let (_, _, manifest) = parse(&files[0]);
        let firsts = manifest["docFiles"].as_array().expect("docFiles");
        let mut ids = Vec::new();
        for (n, first) in firsts.iter().enumerate() {
            let file = files.iter().find(|f| f.path == docs_name(n)).expect("docs");
            let (_, _, data) = parse(file);
            assert_eq!(&data["first"], first);
            assert_eq!(data["first"].as_u64(), Some(ids.len() as u64));
            let count = data["docs"].as_array().map_or(0, Vec::len);
            assert!(file.bytes.len() <= DOCS_TARGET + 64 || count == 1, "docs file {n} too big");
            for d in data["docs"].as_array().expect("docs") {
                ids.push(d[0].as_str().expect("id").to_string());
            }
        }
        let expected: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        assert_eq!(ids, expected);
        assert_eq!(manifest["docCount"].as_u64(), Some(400));
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
        // Title of doc 0: 1 of 2 terms → √(1/2); body of doc 0: 2 of 3 terms;
        // body of doc 2 (delta 2): its only term.
        assert_eq!(entry[1], "0:jn");
        assert_eq!(entry[2], "");
        assert_eq!(entry[3], "0:mo,2:rs");
        let base36 = |n| {
            let mut s = String::new();
            push_base36(&mut s, n);
            s
        };
        assert_eq!(base36(707), "jn");
        assert_eq!(base36(816), "mo");
        assert_eq!(base36(1000), "rs");
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
                    let postings = entry[f + 1].as_str().expect("postings");
                    let mut doc_num = 0;
                    for (i, item) in postings.split(',').filter(|s| !s.is_empty()).enumerate() {
                        let (delta, w) = item.split_once(':').expect("delta:weight");
                        let delta = u32::from_str_radix(delta, 36).expect("base36");
                        doc_num = if i == 0 { delta } else { doc_num + delta };
                        let id = &docs[doc_num as usize].id;
                        let tf = node["docs"][id]["tf"].as_f64().expect("tf");
                        let len = json["documentStore"]["docInfo"][id][field].as_f64().expect("length");
                        let expected = (tf / len.sqrt() * f64::from(WEIGHT_SCALE)).round();
                        assert_eq!(u32::from_str_radix(w, 36).ok(), Some(expected as u32));
                        checked += 1;
                    }
                    let df = node["df"].as_u64().unwrap_or(0);
                    let n = postings.split(',').filter(|s| !s.is_empty()).count();
                    assert_eq!(df as usize, n, "df of {term} in {field}");
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
        assert_eq!(manifest["analyzer"], "plain-1");
        assert_eq!(manifest["shards"][0][0], "munka");
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

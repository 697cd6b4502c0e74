//! Turns documents into what an index is written from: each document's terms with their stored
//! weights, as numbers in a [`Vocabulary`], and its docs-file record.
//!
//! Terms are numbered so that inverting a whole site is array indexing rather than hashing every
//! posting, and so that [`super::cache`] can keep prepared documents and the vocabulary between
//! builds.

use std::cmp::Ordering;

use elasticlunr::pipeline::Pipeline;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::language::Analysis;
use super::tokenize::for_each_word;
use super::SearchDoc;

/// Stored weights are `round(weight × WEIGHT_SCALE)`, at least 1.
pub const WEIGHT_SCALE: u32 = 1000;
/// Longest body text, in characters, kept for snippets: enough for a snippet around the query
/// words in a heading section, small enough that a results page stays light.
pub const SNIPPET_CHARS: usize = 1200;

/// Terms of one field: (term, stored weight), sorted by term.
type FieldTerms<T> = Vec<(T, u32)>;
/// Analysed fields of one document (title, breadcrumbs, body), terms as text.
type Analysed = [FieldTerms<String>; 3];
/// Analysed fields of one document, terms as [`Vocabulary`] numbers.
pub(crate) type DocTerms = [FieldTerms<u32>; 3];

/// A document ready to be indexed.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    pub terms: DocTerms,
    /// `[id, title, breadcrumbs, snippet text]` as a JSON array, for the docs files.
    pub record: String,
}

/// The stored weight of a term seen `count` times in a field of `len` terms.
fn weight(count: usize, len: usize) -> u32 {
    let w = (count as f64 / len as f64).sqrt() * f64::from(WEIGHT_SCALE);
    (w.round() as u32).clamp(1, WEIGHT_SCALE)
}

/// The pipeline of one language, made once per thread: pipelines are not shared between
/// threads. Every language splits words the same way ([`for_each_word`]).
pub(crate) struct Analyser {
    pipeline: Pipeline,
    /// What the pipeline made of each word seen so far, as an index into `stems` (`None`: a
    /// stop word). Every step of the pipeline looks at one word alone, and a site repeats the
    /// same few thousand words, so each is stemmed once per thread instead of at every
    /// occurrence.
    words: FxHashMap<String, Option<u32>>,
    /// Each distinct stem once: many words share one (праця, праці, працю).
    stems: Numbering,
}

impl Analyser {
    pub(crate) fn new(analysis: Analysis, lang: &str) -> Self {
        let pipeline = analysis.language(lang).make_pipeline();
        Analyser { pipeline, words: FxHashMap::default(), stems: Numbering::default() }
    }

    fn fields(&mut self, doc: &SearchDoc) -> Analysed {
        [self.field(&doc.title), self.field(&doc.breadcrumbs), self.field(&doc.body)]
    }

    fn field(&mut self, text: &str) -> FieldTerms<String> {
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        let mut len = 0;
        for_each_word(text, |word| {
            if let Some(stem) = self.stem(word) {
                *counts.entry(stem).or_default() += 1;
                len += 1;
            }
        });
        let mut terms: FieldTerms<String> =
            counts.into_iter().map(|(stem, c)| (self.stems.name(stem).to_string(), weight(c, len))).collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        terms
    }

    fn stem(&mut self, word: &str) -> Option<u32> {
        if let Some(&known) = self.words.get(word) {
            return known;
        }
        let stem = self.pipeline.run(vec![word.to_string()]).pop().map(|term| self.stems.number(term));
        self.words.insert(word.to_string(), stem);
        stem
    }
}

/// Strings numbered in order of first sight.
#[derive(Debug, Default)]
struct Numbering {
    numbers: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Numbering {
    fn len(&self) -> usize {
        self.names.len()
    }

    fn name(&self, n: u32) -> &str {
        self.names.get(n as usize).map_or("", String::as_str)
    }

    fn number(&mut self, name: String) -> u32 {
        if let Some(&n) = self.numbers.get(&name) {
            return n;
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.clone());
        self.numbers.insert(name, n);
        n
    }
}

/// JSON that is also a valid ES2018 script: U+2028/U+2029 are line
/// terminators inside pre-ES2019 string literals.
pub(crate) fn js_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    if !json.contains(['\u{2028}', '\u{2029}']) {
        // Records are kept until the index is written: no spare capacity.
        json.shrink_to_fit();
        return json;
    }
    json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// Body text for snippets: whitespace collapsed, cut at [`SNIPPET_CHARS`].
pub(crate) fn snippet_text(body: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in body.split_whitespace() {
        let len = word.chars().count();
        if chars + len + 1 > SNIPPET_CHARS {
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += len;
    }
    out
}

fn record(doc: &SearchDoc) -> String {
    let mut record = js_json(&(&doc.id, &doc.title, &doc.breadcrumbs, snippet_text(&doc.body)));
    // Kept until the whole index is written: no spare capacity.
    record.shrink_to_fit();
    record
}

/// Analyses documents in parallel; their terms still have to be numbered.
pub(crate) fn analyse<'a, I>(analysis: Analysis, lang: &str, docs: I) -> Vec<(Analysed, String)>
where
    I: IndexedParallelIterator<Item = &'a SearchDoc>,
{
    docs.map_init(|| Analyser::new(analysis, lang), |a, doc| (a.fields(doc), record(doc))).collect()
}

fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Every term seen, numbered in order of first sight, with the numbers also listed in the
/// order the index is written in (UTF-16 code units, how JavaScript compares strings).
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    terms: Numbering,
    sorted: Vec<u32>,
}

impl Vocabulary {
    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }

    pub(crate) fn term(&self, n: u32) -> &str {
        self.terms.name(n)
    }

    /// Term numbers in index order.
    pub(crate) fn sorted(&self) -> &[u32] {
        &self.sorted
    }

    fn number(&mut self, term: String) -> u32 {
        self.terms.number(term)
    }

    /// Numbers the terms of analysed documents, adding new terms to the index order.
    pub(crate) fn number_all(&mut self, analysed: Vec<(Analysed, String)>) -> Vec<Prepared> {
        let known = self.terms.len();
        let prepared = analysed
            .into_iter()
            .map(|(fields, record)| {
                let terms = fields.map(|field| field.into_iter().map(|(t, w)| (self.number(t), w)).collect());
                Prepared { terms, record }
            })
            .collect();
        self.place_new_terms(known);
        prepared
    }

    /// Merges the terms numbered from `known` on into the index order.
    fn place_new_terms(&mut self, known: usize) {
        if known == self.terms.len() {
            return;
        }
        let terms = &self.terms;
        let mut new: Vec<u32> = (known..terms.len()).filter_map(|n| u32::try_from(n).ok()).collect();
        new.par_sort_unstable_by(|&a, &b| utf16_order(terms.name(a), terms.name(b)));
        let old = std::mem::take(&mut self.sorted);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < new.len() {
            if utf16_order(terms.name(old[i]), terms.name(new[j])) == Ordering::Less {
                merged.push(old[i]);
                i += 1;
            } else {
                merged.push(new[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&new[j..]);
        self.sorted = merged;
    }

    /// A vocabulary of only the terms `docs` use, and the documents renumbered into it.
    pub(crate) fn compact<'a>(&self, docs: impl Iterator<Item = &'a Prepared>) -> (Vocabulary, Vec<Prepared>) {
        let mut fresh = Vocabulary::default();
        let renumbered = docs
            .map(|p| Prepared {
                terms: p
                    .terms
                    .each_ref()
                    .map(|field| field.iter().map(|&(n, w)| (fresh.number(self.term(n).to_string()), w)).collect()),
                record: p.record.clone(),
            })
            .collect();
        fresh.place_new_terms(0);
        (fresh, renumbered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(terms: &[&str]) -> (Analysed, String) {
        let body = terms.iter().map(|t| (t.to_string(), 1)).collect();
        ([Vec::new(), Vec::new(), body], String::new())
    }

    #[test]
    fn terms_are_numbered_once_and_listed_in_utf16_order() {
        let mut v = Vocabulary::default();
        let docs = v.number_all(vec![analysed(&["б", "a"]), analysed(&["a", "\u{ff61}"])]);
        assert_eq!(docs[1].terms[2], [(1, 1), (2, 1)]);
        v.number_all(vec![analysed(&["\u{1F600}", "в", "0"])]);
        let order: Vec<&str> = v.sorted().iter().map(|&n| v.term(n)).collect();
        // U+1F600 is a surrogate pair, below U+FF61 in UTF-16 though above it as a code point.
        assert_eq!(order, ["0", "a", "б", "в", "\u{1F600}", "\u{ff61}"]);
    }

    #[test]
    fn compacting_keeps_only_used_terms() {
        let mut v = Vocabulary::default();
        let docs = v.number_all(vec![analysed(&["a", "b"]), analysed(&["c"])]);
        let (small, renumbered) = v.compact(docs[1..].iter());
        assert_eq!(small.len(), 1);
        assert_eq!(small.term(renumbered[0].terms[2][0].0), "c");
    }

    #[test]
    fn words_with_one_stem_count_as_one_term() {
        let mut a = Analyser::new(Analysis::for_lang("uk"), "uk");
        let terms = a.field("праця праці працю людьми");
        let names: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["люд", "прац"]);
        assert!(terms[1].1 > terms[0].1, "{terms:?}");
    }

    #[test]
    fn snippet_text_is_collapsed_and_capped() {
        assert_eq!(snippet_text("  a\n\n b\tc "), "a b c");
        let long = "слово ".repeat(2000);
        let s = snippet_text(&long);
        assert!(s.chars().count() <= SNIPPET_CHARS);
        assert!(s.ends_with("слово"));
    }
}

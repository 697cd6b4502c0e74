//! Turns documents into what an index is written from: each document's terms with their stored
//! weights, as numbers in a [`Vocabulary`], and its docs-file record.
//!
//! Terms are numbered so that inverting a whole site is array indexing rather than hashing every
//! posting, and so that [`super::cache`] can keep prepared documents and the vocabulary between
//! builds.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use elasticlunr::pipeline::Pipeline;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::language::Analysis;
use super::tokenize::for_each_word;
use super::SearchDoc;

/// Stored weights are `round(weight × WEIGHT_SCALE)`, at least 1.
pub const WEIGHT_SCALE: u32 = 1000;
/// Longest body text, in characters, kept for snippets: twenty-eight words or so, so the client's
/// 24-word snippet can move onto the query words near a section's start, and small enough that
/// the records of a screen of results stay light (the docs files hold them by page).
pub const SNIPPET_CHARS: usize = 240;

/// Terms of one field: (term, stored weight), each term once.
type FieldTerms<T> = Vec<(T, u32)>;
/// Analysed fields of one document, terms as [`Vocabulary`] numbers.
pub(crate) type DocTerms = [FieldTerms<u32>; 3];

/// A document analysed by one [`Analyser`]: its terms are that analyser's stem numbers until
/// [`Analysers::number`] turns them into [`Vocabulary`] numbers.
pub(crate) struct Analysed {
    analyser: usize,
    fields: [FieldTerms<u32>; 3],
    record: DocRecord,
    page: u64,
}

/// What a docs file keeps of a document to show it as a result. Kept until the whole index is
/// written, so boxed: no spare capacity.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct DocRecord {
    pub id: Box<str>,
    pub title: Box<str>,
    pub crumbs: Box<str>,
    /// The body for snippets (see [`snippet_text`]).
    pub text: Box<str>,
}

/// A document ready to be indexed.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    pub terms: DocTerms,
    /// What the docs files keep of it.
    pub record: DocRecord,
    /// Which page the document is part of (a hash of its id without the `#anchor`): the docs
    /// files never split a page, and the client groups results by page.
    pub page: u64,
}

/// The stored weight of a term seen `count` times in a field of `len` terms.
fn weight(count: usize, len: usize) -> u32 {
    let w = (count as f64 / len as f64).sqrt() * f64::from(WEIGHT_SCALE);
    (w.round() as u32).clamp(1, WEIGHT_SCALE)
}

/// The analysers of one index, kept for the whole build: each rayon task borrows one, so every
/// distinct word is stemmed once per analyser however many batches the index is built in, and
/// each stem is looked up in the [`Vocabulary`] once per analyser rather than once per document.
pub(crate) struct Analysers {
    analysis: Analysis,
    lang: String,
    idle: Mutex<Vec<Analyser>>,
    made: AtomicUsize,
}

impl Analysers {
    pub(crate) fn new(analysis: Analysis, lang: &str) -> Self {
        Analysers { analysis, lang: lang.to_string(), idle: Mutex::default(), made: AtomicUsize::new(0) }
    }

    pub(crate) fn analysis(&self) -> Analysis {
        self.analysis
    }

    pub(crate) fn lang(&self) -> &str {
        &self.lang
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Analyser>> {
        // An analyser only caches what it has computed: one left by a panicking task is sound.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lease(&self) -> Lease<'_> {
        let idle = self.idle().pop();
        let analyser = idle.unwrap_or_else(|| {
            let id = self.made.fetch_add(1, AtomicOrdering::Relaxed);
            Analyser::new(id)
        });
        // Pipelines hold boxed functions that cannot move between threads: each task makes its
        // own, which is cheap; what the analyser has learnt is what is kept.
        let pipeline = self.analysis.language(&self.lang).make_pipeline();
        Lease { pipeline, analyser: Some(analyser), owner: self }
    }

    /// Analyses documents in parallel; their terms still have to be [numbered](Self::number).
    pub(crate) fn analyse<'a, I>(&self, docs: I) -> Vec<Analysed>
    where
        I: IndexedParallelIterator<Item = &'a SearchDoc>,
    {
        docs.map_init(|| self.lease(), |lease, doc| lease.analyse(doc)).collect()
    }

    /// Turns analysed documents' stem numbers into `vocab`'s term numbers, adding new terms.
    pub(crate) fn number(&self, vocab: &mut Vocabulary, analysed: Vec<Analysed>) -> Vec<Prepared> {
        let known = vocab.len();
        let mut idle = self.idle();
        // Every lease has ended (`analyse` has returned), so every analyser is idle.
        idle.sort_unstable_by_key(|a| a.id);
        let prepared = analysed
            .into_iter()
            .map(|doc| {
                let analyser = idle.get_mut(doc.analyser).filter(|a| a.id == doc.analyser);
                let terms = match analyser {
                    Some(a) => doc.fields.map(|field| field.into_iter().map(|(t, w)| (a.term(vocab, t), w)).collect()),
                    None => Default::default(),
                };
                Prepared { terms, record: doc.record, page: doc.page }
            })
            .collect();
        vocab.place_new_terms(known);
        prepared
    }
}

/// An analyser borrowed from [`Analysers`] for one task, and given back when the task ends.
struct Lease<'a> {
    pipeline: Pipeline,
    analyser: Option<Analyser>,
    owner: &'a Analysers,
}

impl Lease<'_> {
    fn analyse(&mut self, doc: &SearchDoc) -> Analysed {
        let record = record(doc);
        let page = page_of(&doc.id);
        match self.analyser.as_mut() {
            Some(a) => Analysed { analyser: a.id, fields: a.fields(&self.pipeline, doc), record, page },
            None => Analysed { analyser: usize::MAX, fields: Default::default(), record, page },
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(a) = self.analyser.take() {
            self.owner.idle().push(a);
        }
    }
}

/// An empty entry of [`Analyser::slot`].
const NO_SLOT: u32 = u32::MAX;

/// What analysing a language's documents has learnt, for the next documents. Every language
/// splits words the same way ([`for_each_word`]); the language's pipeline does the rest.
struct Analyser {
    id: usize,
    /// What the pipeline made of each word seen so far, as an index into `stems` (`None`: a
    /// stop word). Every step of the pipeline looks at one word alone, and a site repeats the
    /// same few thousand words, so each is stemmed once instead of at every occurrence.
    words: FxHashMap<String, Option<u32>>,
    /// Each distinct stem once: many words share one (праця, праці, працю).
    stems: Numbering,
    /// Each stem's number in the vocabulary the analyser's documents are numbered into
    /// (`u32::MAX`: not looked up yet).
    in_vocab: Vec<u32>,
    /// Where each stem is in the term list of the field being analysed, by stem number
    /// ([`NO_SLOT`]: not in it).
    slot: Vec<u32>,
}

impl Analyser {
    fn new(id: usize) -> Self {
        Analyser {
            id,
            words: FxHashMap::default(),
            stems: Numbering::default(),
            in_vocab: Vec::new(),
            slot: Vec::new(),
        }
    }

    fn fields(&mut self, pipeline: &Pipeline, doc: &SearchDoc) -> [FieldTerms<u32>; 3] {
        [self.field(pipeline, &doc.title), self.field(pipeline, &doc.breadcrumbs), self.field(pipeline, &doc.body)]
    }

    /// A field's stems with their weights, in order of first appearance.
    fn field(&mut self, pipeline: &Pipeline, text: &str) -> FieldTerms<u32> {
        let mut terms: FieldTerms<u32> = Vec::new();
        // Kept between fields, and left empty by each.
        let mut slot = std::mem::take(&mut self.slot);
        let mut len = 0;
        for_each_word(text, |word| {
            if let Some(stem) = self.stem(pipeline, word) {
                let at = stem as usize;
                if slot.len() <= at {
                    slot.resize(self.stems.len().max(at + 1), NO_SLOT);
                }
                if slot[at] == NO_SLOT {
                    slot[at] = u32::try_from(terms.len()).unwrap_or(NO_SLOT);
                    terms.push((stem, 0));
                }
                if let Some(term) = terms.get_mut(slot[at] as usize) {
                    term.1 += 1;
                }
                len += 1;
            }
        });
        for term in &mut terms {
            slot[term.0 as usize] = NO_SLOT;
            term.1 = weight(term.1 as usize, len);
        }
        self.slot = slot;
        terms
    }

    fn stem(&mut self, pipeline: &Pipeline, word: &str) -> Option<u32> {
        if let Some(&known) = self.words.get(word) {
            return known;
        }
        let stem = pipeline.run(vec![word.to_string()]).pop().map(|term| self.stems.number(&term));
        self.words.insert(word.to_string(), stem);
        stem
    }

    /// The vocabulary number of stem `stem`.
    fn term(&mut self, vocab: &mut Vocabulary, stem: u32) -> u32 {
        let i = stem as usize;
        if self.in_vocab.len() <= i {
            self.in_vocab.resize(self.stems.len().max(i + 1), u32::MAX);
        }
        if self.in_vocab[i] == u32::MAX {
            self.in_vocab[i] = vocab.number(self.stems.name(stem));
        }
        self.in_vocab[i]
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

    fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.to_string());
        self.numbers.insert(name.to_string(), n);
        n
    }
}

/// JSON that is also a valid ES2018 script: U+2028/U+2029 are line
/// terminators inside pre-ES2019 string literals.
pub(crate) fn js_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    // Two searches for one byte of each are much faster than decoding every character.
    if !json.contains('\u{2028}') && !json.contains('\u{2029}') {
        // Records are kept until the index is written: no spare capacity.
        json.shrink_to_fit();
        return json;
    }
    json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// Body text for snippets: whitespace collapsed, cut at [`SNIPPET_CHARS`].
pub(crate) fn snippet_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len().min(SNIPPET_CHARS * 2));
    let mut chars = 0;
    // One pass over the characters: each word's start and length in characters.
    let mut word: Option<(usize, usize)> = None;
    let mut at = 0;
    loop {
        let (len, space) = match body.as_bytes().get(at) {
            None => (0, true),
            Some(&b) if b.is_ascii() => (1, char::from(b).is_whitespace()),
            Some(_) => match body.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.len_utf8(), c.is_whitespace()),
                None => (0, true),
            },
        };
        if !space {
            let (_, chars_in_word) = word.get_or_insert((at, 0));
            *chars_in_word += 1;
            at += len;
            continue;
        }
        if let Some((start, chars_in_word)) = word.take() {
            if chars + chars_in_word + 1 > SNIPPET_CHARS {
                break;
            }
            if chars > 0 {
                out.push(' ');
                chars += 1;
            }
            out.push_str(&body[start..at]);
            chars += chars_in_word;
        }
        if len == 0 {
            break;
        }
        at += len;
    }
    out
}

fn record(doc: &SearchDoc) -> DocRecord {
    DocRecord {
        id: doc.id.as_str().into(),
        title: doc.title.as_str().into(),
        crumbs: doc.breadcrumbs.as_str().into(),
        text: snippet_text(&doc.body).into_boxed_str(),
    }
}

/// The page a document id belongs to: a hash of the id without its `#anchor`. Only compared
/// between neighbouring documents, never written out.
pub(crate) fn page_of(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let path = id.split_once('#').map_or(id, |(path, _)| path);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
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

    fn number(&mut self, term: &str) -> u32 {
        self.terms.number(term)
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
                    .map(|field| field.iter().map(|&(n, w)| (fresh.number(self.term(n)), w)).collect()),
                record: p.record.clone(),
                page: p.page,
            })
            .collect();
        fresh.place_new_terms(0);
        (fresh, renumbered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> SearchDoc {
        SearchDoc { id: "p/index.html".into(), body: body.into(), ..SearchDoc::default() }
    }

    fn prepare(analysers: &Analysers, vocab: &mut Vocabulary, bodies: &[&str]) -> Vec<Prepared> {
        let docs: Vec<SearchDoc> = bodies.iter().map(|b| doc(b)).collect();
        let analysed = analysers.analyse(docs.par_iter());
        analysers.number(vocab, analysed)
    }

    fn body_terms<'v>(vocab: &'v Vocabulary, p: &Prepared) -> Vec<&'v str> {
        let mut terms: Vec<&str> = p.terms[2].iter().map(|&(n, _)| vocab.term(n)).collect();
        terms.sort_unstable();
        terms
    }

    #[test]
    fn terms_are_numbered_once_and_listed_in_utf16_order() {
        let analysers = Analysers::new(Analysis::for_lang("hu"), "hu");
        let mut v = Vocabulary::default();
        let docs = prepare(&analysers, &mut v, &["б a", "a \u{ff71}"]);
        assert_eq!(docs[0].terms[2].iter().map(|t| t.0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(docs[1].terms[2].iter().map(|t| t.0).collect::<Vec<_>>(), [1, 2]);
        prepare(&analysers, &mut v, &["\u{10428} в 0"]);
        let order: Vec<&str> = v.sorted().iter().map(|&n| v.term(n)).collect();
        // U+10428 is a surrogate pair, below U+FF71 in UTF-16 though above it as a code point.
        assert_eq!(order, ["0", "a", "б", "в", "\u{10428}", "\u{ff71}"]);
    }

    #[test]
    fn analysers_are_kept_between_batches() {
        let analysers = Analysers::new(Analysis::for_lang("uk"), "uk");
        let mut v = Vocabulary::default();
        let first = prepare(&analysers, &mut v, &["праця людьми"; 64]);
        for _ in 0..20 {
            prepare(&analysers, &mut v, &["праця"; 64]);
        }
        let second = prepare(&analysers, &mut v, &["праці людей"; 64]);
        // At most one analyser for each task running at once, however many batches.
        let made = analysers.made.load(AtomicOrdering::Relaxed);
        assert!(made <= rayon::current_num_threads(), "{made}");
        assert_eq!(body_terms(&v, &first[0]), ["люд", "прац"]);
        assert_eq!(first[0].terms, second[63].terms);
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn compacting_keeps_only_used_terms() {
        let analysers = Analysers::new(Analysis::for_lang("en"), "en");
        let mut v = Vocabulary::default();
        let docs = prepare(&analysers, &mut v, &["apple banana", "cherry"]);
        let (small, renumbered) = v.compact(docs[1..].iter());
        assert_eq!(small.len(), 1);
        assert_eq!(small.term(renumbered[0].terms[2][0].0), "cherri");
    }

    #[test]
    fn words_with_one_stem_count_as_one_term() {
        let mut a = Analyser::new(0);
        let pipeline = Analysis::for_lang("uk").language("uk").make_pipeline();
        let terms = a.field(&pipeline, "праця праці працю людьми");
        let names: Vec<&str> = terms.iter().map(|&(t, _)| a.stems.name(t)).collect();
        assert_eq!(names, ["прац", "люд"]);
        assert!(terms[0].1 > terms[1].1, "{terms:?}");
    }

    /// The rule, written plainly: whole words, single spaces, at most SNIPPET_CHARS characters.
    fn snippet_reference(body: &str) -> String {
        let mut out: Vec<&str> = Vec::new();
        let mut chars = 0;
        for word in body.split_whitespace() {
            let len = word.chars().count();
            if chars + len + 1 > SNIPPET_CHARS {
                break;
            }
            chars += len + usize::from(!out.is_empty());
            out.push(word);
        }
        out.join(" ")
    }

    #[test]
    fn snippet_text_follows_the_rule() {
        let words = [
            "праця",
            "a",
            "пам'ять",
            "\u{00A0}",
            "ґанок",
            "x\u{2003}y",
            "\n\n",
            "довше-слово",
            "🙂",
            "\u{000B}б\u{0085}",
        ];
        for n in [0, 1, 7, 150, 400, 1000] {
            let body: String = (0..n).map(|i| words[i * 7 % words.len()]).collect::<Vec<_>>().join(if n % 2 == 0 {
                " "
            } else {
                "\t "
            });
            assert_eq!(snippet_text(&body), snippet_reference(&body), "{n} words");
        }
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

//! Prepared documents kept between builds, so that rebuilding an index after a few pages
//! changed tokenizes and stems only the documents whose text changed.
//!
//! Entries are keyed by language and a hash of the document (id, title, breadcrumbs, body), and
//! hold its numbered terms and docs-file record; each language also keeps the vocabulary those
//! numbers refer to. After each build of a language the cache holds exactly the documents that
//! build used, and the vocabulary is rebuilt when more than half of it has fallen out of use, so
//! nothing piles up. One cache serves one site: two sites built with the same cache and language
//! would evict each other's entries (the output stays correct, only slower).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::language::Analysis;
use super::prepare::{Analysers, Prepared, Vocabulary};
use super::shard;
use super::{SearchDoc, SearchFile};

/// 128 bits of SHA-256 over the document: collisions are out of reach for any site.
type DocKey = [u8; 16];

/// What one language keeps between builds.
#[derive(Default)]
struct LangCache {
    vocab: Vocabulary,
    docs: HashMap<DocKey, Arc<Prepared>>,
}

/// Prepared documents by language; shared between threads.
#[derive(Default)]
pub struct AnalysisCache {
    langs: Mutex<HashMap<String, LangCache>>,
    analysed: AtomicU64,
}

impl AnalysisCache {
    /// A new, empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many documents this cache has analysed since it was made: the cost of the builds
    /// so far, in documents.
    pub fn analysed(&self) -> u64 {
        self.analysed.load(Ordering::Relaxed)
    }

    /// Number of documents held, over all languages.
    pub fn len(&self) -> usize {
        self.lock().values().map(|l| l.docs.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, LangCache>> {
        // A language's entries are taken out while it builds and put back whole, so a panic
        // elsewhere cannot leave them half-written.
        self.langs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a language's entries out, so the build reads them without holding the lock.
    fn take(&self, lang: &str) -> LangCache {
        self.lock().remove(lang).unwrap_or_default()
    }

    fn put(&self, lang: &str, entries: LangCache) {
        self.lock().insert(lang.to_string(), entries);
    }
}

fn doc_key(doc: &SearchDoc) -> DocKey {
    let mut h = Sha256::new();
    for field in [&doc.id, &doc.title, &doc.breadcrumbs, &doc.body] {
        // Length-prefixed, so text moving between fields changes the key.
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    let mut key = [0; 16];
    key.copy_from_slice(&h.finalize()[..16]);
    key
}

/// [`super::build_index`] that reuses the documents prepared in the cache's previous build of
/// `lang`. The files are byte for byte those of `build_index(lang, docs)`.
pub fn build_index_cached(lang: &str, docs: &[SearchDoc], cache: &AnalysisCache) -> Vec<SearchFile> {
    let analysis = Analysis::for_lang(lang);
    let LangCache { mut vocab, docs: old } = cache.take(lang);
    let keys: Vec<DocKey> = docs.par_iter().map(doc_key).collect();
    let mut kept: HashMap<DocKey, Arc<Prepared>> = HashMap::with_capacity(keys.len());
    let mut missing: HashMap<DocKey, &SearchDoc> = HashMap::new();
    for (key, doc) in keys.iter().zip(docs) {
        match old.get(key) {
            Some(p) => {
                kept.insert(*key, Arc::clone(p));
            }
            None => {
                missing.insert(*key, doc);
            }
        }
    }
    // In document order, so that new terms are numbered the same way on every run.
    let missing: Vec<(DocKey, &SearchDoc)> =
        keys.iter().zip(docs).filter(|(k, _)| missing.remove(*k).is_some()).map(|(k, d)| (*k, d)).collect();
    drop(old);
    let analysers = Analysers::new(analysis, lang);
    let analysed = analysers.analyse(missing.par_iter().map(|(_, d)| *d));
    cache.analysed.fetch_add(analysed.len() as u64, Ordering::Relaxed);
    let prepared = analysers.number(&mut vocab, analysed);
    kept.extend(missing.iter().map(|(k, _)| *k).zip(prepared.into_iter().map(Arc::new)));
    if vocab.len() > 2 * terms_in_use(&vocab, kept.values()) + 1024 {
        (vocab, kept) = compact(&vocab, kept);
    }
    let per_doc: Vec<&Prepared> = keys.iter().filter_map(|k| kept.get(k).map(Arc::as_ref)).collect();
    let files = shard::write(lang, analysis, &vocab, &per_doc);
    cache.put(lang, LangCache { vocab, docs: kept });
    files
}

fn terms_in_use<'a>(vocab: &Vocabulary, docs: impl Iterator<Item = &'a Arc<Prepared>>) -> usize {
    let mut used = vec![false; vocab.len()];
    for p in docs {
        for &(n, _) in p.terms.iter().flatten() {
            if let Some(u) = used.get_mut(n as usize) {
                *u = true;
            }
        }
    }
    used.into_iter().filter(|&u| u).count()
}

/// Renumbers the kept documents into a vocabulary of the terms they use.
fn compact(vocab: &Vocabulary, kept: HashMap<DocKey, Arc<Prepared>>) -> (Vocabulary, HashMap<DocKey, Arc<Prepared>>) {
    let (keys, docs): (Vec<DocKey>, Vec<Arc<Prepared>>) = kept.into_iter().unzip();
    let (fresh, renumbered) = vocab.compact(docs.iter().map(Arc::as_ref));
    (fresh, keys.into_iter().zip(renumbered.into_iter().map(Arc::new)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{build_index, test_corpus as corpus};

    #[test]
    fn output_equals_the_uncached_build() {
        let cache = AnalysisCache::new();
        for lang in ["uk", "en", "hu"] {
            let docs = corpus(200);
            assert_eq!(build_index_cached(lang, &docs, &cache), build_index(lang, &docs), "{lang}, cold");
            assert_eq!(build_index_cached(lang, &docs, &cache), build_index(lang, &docs), "{lang}, warm");
        }
        assert_eq!(cache.analysed(), 600);
    }

    #[test]
    fn a_rebuild_analyses_only_changed_documents() {
        let cache = AnalysisCache::new();
        let mut docs = corpus(120);
        build_index_cached("uk", &docs, &cache);
        assert_eq!(cache.analysed(), 120);

        docs[37].body.push_str(" нове речення про вербування");
        let files = build_index_cached("uk", &docs, &cache);
        assert_eq!(cache.analysed(), 121);
        assert_eq!(files, build_index("uk", &docs));

        // Documents in another order are the same documents; a new id is a new record.
        docs.swap(3, 90);
        docs[5].id = "moved/index.html".into();
        let files = build_index_cached("uk", &docs, &cache);
        assert_eq!(cache.analysed(), 122);
        assert_eq!(files, build_index("uk", &docs));
    }

    #[test]
    fn only_entries_of_the_last_build_are_kept() {
        let cache = AnalysisCache::new();
        let docs = corpus(50);
        build_index_cached("uk", &docs, &cache);
        build_index_cached("en", &docs[..10], &cache);
        assert_eq!(cache.len(), 60);
        build_index_cached("uk", &docs[..20], &cache);
        assert_eq!(cache.len(), 30, "uk keeps its 20 documents, en its 10");
        // Repeated text is held once.
        let same = vec![docs[0].clone(), docs[0].clone()];
        build_index_cached("uk", &same, &cache);
        assert_eq!(cache.len(), 11);
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn the_vocabulary_sheds_terms_no_longer_used() {
        let cache = AnalysisCache::new();
        let mut docs = corpus(20);
        for round in 0..40 {
            for (i, d) in docs.iter_mut().enumerate() {
                d.body = (0..50).map(|k| format!("слово{round}x{i}x{k}")).collect::<Vec<_>>().join(" ");
            }
            assert_eq!(build_index_cached("uk", &docs, &cache), build_index("uk", &docs), "round {round}");
        }
        let langs = cache.lock();
        let uk = &langs["uk"];
        let used = terms_in_use(&uk.vocab, uk.docs.values());
        assert!(uk.vocab.len() <= 2 * used + 1024, "{} terms held, {used} used", uk.vocab.len());
    }

    #[test]
    fn text_moving_between_fields_is_a_change() {
        let a = SearchDoc { title: "ab".into(), body: "c".into(), ..SearchDoc::default() };
        let b = SearchDoc { title: "a".into(), body: "bc".into(), ..SearchDoc::default() };
        assert_ne!(doc_key(&a), doc_key(&b));
    }

    #[test]
    fn cache_is_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<AnalysisCache>();
    }
}

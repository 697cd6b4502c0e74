//! Builds one language's index a batch of documents at a time, so that a whole site's text
//! never has to be held as documents at once: each batch is analysed and its terms numbered,
//! and only the numbers and the docs-file records are kept until the files are written.

use rayon::prelude::*;

use super::language::Analysis;
use super::prepare::{Analysers, Prepared, Vocabulary};
use super::{shard, SearchDoc, SearchFile};

/// An index being built: documents are added in index order, then the files are written.
pub struct Indexer {
    /// Also what language the index is of, and its analysis.
    analysers: Analysers,
    vocab: Vocabulary,
    prepared: Vec<Prepared>,
}

impl Indexer {
    /// An empty index of `lang` (see [`super::build_index`] for the languages).
    pub fn new(lang: &str) -> Self {
        Indexer {
            analysers: Analysers::new(Analysis::for_lang(lang), lang),
            vocab: Vocabulary::default(),
            prepared: Vec::new(),
        }
    }

    /// Analyses `docs` (in parallel) and adds them after the documents already added.
    pub fn add(&mut self, docs: &[SearchDoc]) {
        let analysed = self.analysers.analyse(docs.par_iter());
        self.prepared.extend(self.analysers.number(&mut self.vocab, analysed));
    }

    /// Number of documents added.
    pub fn len(&self) -> usize {
        self.prepared.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prepared.is_empty()
    }

    /// The index files, in order: the manifest, the shards, then the docs files. Equal to
    /// [`super::build_index`] of all the documents added.
    pub fn finish(self) -> Vec<SearchFile> {
        shard::write(self.analysers.lang(), self.analysers.analysis(), &self.vocab, &self.refs())
    }

    /// Hands each index file to `emit` as soon as it is made, from several threads, so that the
    /// files of the whole index are never held at once, and frees each document's record and
    /// terms once written; the manifest comes last. The files are those of [`Indexer::finish`].
    /// Returns the manifest's JSON (what `manifest.js` registers).
    pub fn finish_each<E: Send>(self, emit: &(dyn Fn(SearchFile) -> Result<(), E> + Sync)) -> Result<String, E> {
        let (lang, analysis) = (self.analysers.lang(), self.analysers.analysis());
        shard::write_each(lang, analysis, &self.vocab, self.prepared, &|_, f| emit(f))
    }

    fn refs(&self) -> Vec<&Prepared> {
        self.prepared.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::test_corpus as docs;
    use std::sync::Mutex;

    #[test]
    fn batches_give_the_files_of_one_build() {
        let all = docs(500);
        for lang in ["uk", "en", "hu"] {
            let mut indexer = Indexer::new(lang);
            for batch in all.chunks(37) {
                indexer.add(batch);
            }
            assert_eq!(indexer.len(), 500);
            assert_eq!(indexer.finish(), super::super::build_index(lang, &all), "{lang}");
        }
    }

    #[test]
    fn each_file_is_handed_over_once() {
        let all = docs(300);
        let mut indexer = Indexer::new("uk");
        indexer.add(&all);
        let got = Mutex::new(Vec::new());
        let collect = |f: SearchFile| -> Result<(), ()> {
            got.lock().map_err(|_| ())?.push(f);
            Ok(())
        };
        let manifest = indexer.finish_each(&collect).expect("no error");
        let mut got = got.into_inner().expect("not poisoned");
        let mut expected = super::super::build_index("uk", &all);
        assert_eq!(got.last().map(|f| f.path.as_str()), Some("manifest.js"));
        assert_eq!(got.last().and_then(|f| super::super::manifest_json(&f.bytes)), Some(manifest.as_str()));
        got.sort_by(|a, b| a.path.cmp(&b.path));
        expected.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(got, expected);
    }

    #[test]
    fn an_error_stops_the_writing() {
        let mut indexer = Indexer::new("uk");
        indexer.add(&docs(50));
        assert_eq!(indexer.finish_each(&|_| Err("full")).err(), Some("full"));
    }
}

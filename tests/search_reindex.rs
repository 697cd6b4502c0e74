//! Re-indexing after one page changed: the search index of one language rebuilt with an
//! [`AnalysisCache`] must equal a full build and take a fraction of its time.
//!
//! The default portal is checked on every run. The timing on a generated corpus is a measurement,
//! run by hand (see benches/README.md, "Search figures"):
//!
//! ```text
//! python3 benches/gen_corpus.py 1000 /tmp/c1k --layout oberih
//! OBERIH_CORPUS=/tmp/c1k cargo test --release --test search_reindex -- --ignored --nocapture
//! ```

use std::path::Path;
use std::time::Instant;

use oberih::build::open_site;
use oberih::diag::Diagnostics;
use oberih::render::{search_documents, trees};
use oberih::search::{build_index, build_index_cached, AnalysisCache, SearchDoc};

/// The search documents of `lang` in the site at `root`.
fn documents(root: &Path, lang: &str) -> Vec<SearchDoc> {
    let mut diags = Diagnostics::default();
    let (site, _) = open_site(root, None, &mut diags, &mut Vec::new()).expect("site opens");
    search_documents(&site, &trees(&site), lang)
}

/// Changes every document of the page holding document `n`, as an edit of that page would.
fn edit_page(docs: &mut [SearchDoc], n: usize) -> usize {
    let page = docs[n].id.split('#').next().unwrap_or_default().to_string();
    let mut changed = 0;
    for d in docs.iter_mut().filter(|d| d.id.split('#').next() == Some(page.as_str())) {
        d.body.push_str(" Додано речення про вербування через оголошення.");
        changed += 1;
    }
    changed
}

fn millis(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

#[test]
fn portal_reindex_after_an_edit_matches_a_full_build() {
    let mut docs = documents(Path::new(env!("CARGO_MANIFEST_DIR")), "uk");
    assert!(docs.len() > 100);
    let cache = AnalysisCache::new();
    assert_eq!(build_index_cached("uk", &docs, &cache), build_index("uk", &docs));
    let before = cache.analysed();
    let middle = docs.len() / 2;
    let changed = edit_page(&mut docs, middle);
    assert_eq!(build_index_cached("uk", &docs, &cache), build_index("uk", &docs));
    assert_eq!(cache.analysed() - before, changed as u64);
}

#[test]
#[ignore = "measurement on a generated corpus: set OBERIH_CORPUS"]
fn corpus_reindex_timing() {
    let root = std::env::var("OBERIH_CORPUS").expect("OBERIH_CORPUS names a generated corpus");
    let lang = std::env::var("OBERIH_LANG").unwrap_or_else(|_| "uk".into());
    let mut docs = documents(Path::new(&root), &lang);
    let runs = 7;
    let mut full = Vec::new();
    let mut cached = Vec::new();
    let cache = AnalysisCache::new();
    let mut files = Vec::new();
    let cold = millis(|| files = build_index_cached(&lang, &docs, &cache));
    for run in 0..runs {
        full.push(millis(|| files = build_index(&lang, &docs)));
        let before = cache.analysed();
        let n = (run * 997) % docs.len();
        let changed = edit_page(&mut docs, n);
        let mut again = Vec::new();
        cached.push(millis(|| again = build_index_cached(&lang, &docs, &cache)));
        assert_eq!(cache.analysed() - before, changed as u64);
        assert_eq!(again.len(), build_index(&lang, &docs).len());
    }
    full.sort_by(f64::total_cmp);
    cached.sort_by(f64::total_cmp);
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "{root} [{lang}]: {} documents, {} files, {:.1} MB; full build {:.1} ms (median of {runs}), \
         first cached build {cold:.1} ms, cached rebuild after one page changed {:.1} ms (median; min {:.1}, max {:.1})",
        docs.len(),
        files.len(),
        bytes as f64 / 1e6,
        full[runs / 2],
        cached[runs / 2],
        cached[0],
        cached[runs - 1],
    );
}

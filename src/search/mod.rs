//! Full-text search that works offline and from `file://`.
//!
//! One index per site language, built here and queried by
//! `src/search/runtime/*.js`. Because `fetch`, modules and workers
//! all fail on `file://`, every index file is a classic script that hands its
//! data to the client by calling `OberihSearch.register(kind, n, data)`; the
//! client inserts `<script src>` elements for the files a query needs.
//!
//! # Analysis
//!
//! [`normalize()`], [`tokenize()`] and the analysers in [`language`] (uk-light in
//! [`stem_uk`] for Cyrillic words, elasticlunr's English stemmer for Latin
//! ones) are mirrored exactly in `runtime/analysis.js`; the vectors in
//! `tests/search/uk_stems.toml` are run through both and must agree. Any change
//! here needs the same change there and a new [`shard::FORMAT`] or analyser
//! name.
//!
//! # Use
//!
//! The site builder passes one [`SearchDoc`] per heading section (guidance
//! pages) or per page (standards, forms), in site-tree order, and writes the
//! returned files under `<lang>/search/`:
//!
//! ```
//! use oberih::search::{build_index, SearchDoc};
//! let docs = vec![SearchDoc {
//!     id: "indicators/debt-bondage/index.html#signs".into(),
//!     title: "Ознаки боргової кабали".into(),
//!     breadcrumbs: "Індикатори › Боргова кабала".into(),
//!     body: "Роботодавець забрав документи…".into(),
//! }];
//! let files = build_index("uk", &docs);
//! assert_eq!(files[0].path, "manifest.js");
//! ```
//!
//! A site builder that does not want every document in memory at once adds them to an
//! [`Indexer`] a batch at a time, and has each file handed over as soon as it is made.
//!
//! A long-running process (the preview server) keeps an [`AnalysisCache`] and calls
//! [`build_index_cached`] instead: same files, but only documents whose text changed since the
//! previous build are analysed again.
//!
//! # Files (format 4)
//!
//! All are UTF-8 JavaScript, one statement each, with JSON arguments. Paths
//! are relative to `<lang>/search/`.
//!
//! * `manifest.js`: `OberihSearch.register("manifest", 0, {format, lang,
//!   analyzer, version, docCount, weightScale, fields: [[name, boost]…],
//!   shards: [start…], pages})`. Shard `i` holds the terms from `shards[i]`
//!   up to, not including, `shards[i + 1]`; `shards[0]` is `""` and each
//!   later start is the shortest prefix of the shard's first term that sorts
//!   after the previous shard's last term. `pages` lists the pages in document
//!   order, each as one number in the posting code below: its number of
//!   documents times two, plus one where a docs file starts with it (the
//!   first page always does). `version` is a hash of all other files; the
//!   client appends `?v=version` to their URLs.
//! * `shard-NN.js` (NN = shard number, at least two digits):
//!   `register("shard", n, {terms: [[term, title, breadcrumbs, body]…]})`,
//!   terms sorted by UTF-16 code units, each shard at most 16 KB (a frequent
//!   term may make a bigger one alone; a small index has smaller shards, at
//!   least sixteen of them). A field's postings are groups joined
//!   by commas, heaviest first: a weight, then the documents with that weight
//!   in ascending order, the first as its number and the next as differences.
//!   Numbers are written in a base-64 code (`A–Z a–z 0–9 - _`): digits 0–31
//!   end a number, 32–63 carry five more bits of it, most significant first.
//!   Weight/`weightScale` is elasticlunr's `√count / √fieldLength`.
//! * `docs/G/F.js` (G = F / 1000): docs file F, `register("docs", F, {first,
//!   docs: [[id, title, breadcrumbs, text]…]})`: whole pages in site order,
//!   at most [`shard::DOCS_TARGET`] bytes a file unless one page is larger, so
//!   a page's sections come in one request and the whole index is a small
//!   fraction of a file per page. `first` is the file's first document. `text`
//!   is the body with whitespace collapsed, cut near [`shard::SNIPPET_CHARS`]
//!   characters, for snippets. A record after the first of its page gives its
//!   `id` as `#anchor` (after the page's path) and its breadcrumbs as `1` (the
//!   record before's breadcrumbs, ` › `, its title) or `0` (the record before's).
//!
//! # Page contract (used by runtime/page.js)
//!
//! `<body data-lang-root="../../" data-lang="uk">`; the header form
//! `form.site-search` with `input#search-q` and `div#search-suggest`; on the
//! search page `div#search-results`; UI strings in
//! `<script type="application/json" id="search-i18n">` with the keys
//! `suggestions`, `all_results`, `no_results`, `results_<plural category>`
//! (zero, one, two, few, many, other), `loading`, `error`, `empty`, `more`
//! (`{query}` and `{count}` are replaced). Result links carry
//! `?highlight=<terms>`, which every page marks inside `<main>`.

/// The search client every page carries, its three parts in order (see `runtime/analysis.js`).
/// Built in, not a theme file, so that its analysers and the index format it reads always match
/// the ones here.
pub const CLIENT_JS: &str =
    concat!(include_str!("runtime/analysis.js"), include_str!("runtime/query.js"), include_str!("runtime/page.js"));
/// The files of the search client under `src/search/runtime/`, in the order [`CLIENT_JS`] joins
/// them (for tools that run the client outside a page).
pub const CLIENT_PARTS: [&str; 3] = ["analysis.js", "query.js", "page.js"];

pub mod cache;
mod indexer;
pub mod language;
pub mod normalize;
mod prepare;
pub mod shard;
pub mod stem_uk;
pub mod tokenize;

pub use cache::{build_index_cached, AnalysisCache};
pub use indexer::Indexer;
pub use language::{analyze, Analysis, English, Plain, Ukrainian};
pub use normalize::normalize;
pub use tokenize::tokenize;

/// One searchable unit: a heading section of a guidance page, or a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Path relative to the language root, with an optional `#anchor`,
    /// e.g. `indicators/debt-bondage/index.html#signs`.
    pub id: String,
    /// Page title, or section heading (boosted ×3).
    pub title: String,
    /// Trail of the page, e.g. `Індикатори › Боргова кабала` (boosted ×1.5).
    pub breadcrumbs: String,
    /// Plain text of the section.
    pub body: String,
}

/// One file of a language's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchFile {
    /// Path relative to `<lang>/search/`, e.g. `shard-03.js` or `docs/0/17.js`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The JSON data of a `manifest.js` file: what it registers.
pub fn manifest_json(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.strip_prefix("OberihSearch.register(\"manifest\",0,")?.trim_end().strip_suffix(");")
}

/// Builds the search index of one language (`"uk"`, `"en"`, or any other
/// code, which gets plain word matching). The first file is `manifest.js`.
/// Work is linear in the total text; output depends only on the input.
pub fn build_index(lang: &str, docs: &[SearchDoc]) -> Vec<SearchFile> {
    shard::build(lang, docs)
}

/// Documents for the search module's tests: four heading sections a page, Ukrainian and Latin
/// words, a small vocabulary shared between documents.
#[cfg(test)]
pub(crate) fn test_corpus(n: usize) -> Vec<SearchDoc> {
    (0..n)
        .map(|i| SearchDoc {
            id: format!("p{}/index.html#s{i}", i / 4),
            title: format!("Розділ {i} про примусову працю"),
            breadcrumbs: format!("Індикатори › Сторінка {}", i / 4),
            body: (0..30).map(|k| format!("слово{} working{}", (i * 7 + k) % 97, k % 3)).collect::<Vec<_>>().join(" "),
        })
        .collect()
}

//! What search indexes: every guidance page split at its headings (so a result lands on the
//! right section), every standard with its requirements, and every form with its questions.

use rayon::prelude::*;

use super::nav::Tree;
use super::{OutFile, Sink};
use crate::content::out_path;
use crate::diag::Diagnostic;
use crate::fallback::strip;
use crate::forms::form::text;
use crate::search::{build_index, build_index_cached, AnalysisCache, Indexer, SearchDoc};
use crate::site::Site;

/// The index files of every language, under `<lang>/search/`; with a cache, only documents
/// whose text changed since the cache's last build are analysed.
pub fn search_files(site: &Site, trees: &super::Trees, cache: Option<&AnalysisCache>) -> Vec<OutFile> {
    trees.par_iter().flat_map_iter(|(lang, tree)| language_files(site, tree, lang, cache)).collect()
}

/// The index files of one language.
pub fn language_files(site: &Site, tree: &Tree, lang: &str, cache: Option<&AnalysisCache>) -> Vec<OutFile> {
    let docs = documents(site, tree, lang);
    let files = match cache {
        Some(cache) => build_index_cached(lang, &docs, cache),
        None => build_index(lang, &docs),
    };
    files.into_iter().map(|f| OutFile { path: format!("{lang}/search/{}", f.path), bytes: f.bytes }).collect()
}

pub fn documents(site: &Site, tree: &Tree, lang: &str) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> =
        tree.order.iter().flat_map(|&i| page_documents(site, tree, lang, &tree.nodes[i].key)).collect();
    docs.extend(form_documents(site, lang));
    docs
}

/// Pages whose documents are analysed together: enough for every thread to have work, few
/// enough that their text is small beside the site's.
const BATCH_PAGES: usize = 256;

/// Writes the index of one language through `sink`, a batch of pages at a time, handing each
/// file over as soon as it is made; returns the manifest's JSON. The files are those of
/// [`language_files`] without a cache.
pub fn emit_language(site: &Site, tree: &Tree, lang: &str, sink: &Sink) -> Result<String, Diagnostic> {
    let mut indexer = Indexer::new(lang);
    for batch in tree.order.chunks(BATCH_PAGES) {
        let docs: Vec<SearchDoc> =
            batch.par_iter().flat_map_iter(|&i| page_documents(site, tree, lang, &tree.nodes[i].key)).collect();
        indexer.add(&docs);
    }
    indexer.add(&form_documents(site, lang));
    indexer.finish_each(&|f| sink.emit(&OutFile { path: format!("{lang}/search/{}", f.path), bytes: f.bytes }))
}

/// The documents of the page `key` shows in `lang`: one per heading section, the part before
/// the first heading (with the description and a standard's requirements) first.
fn page_documents(site: &Site, tree: &Tree, lang: &str, key: &str) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let Some((data, _)) = site.page_for(key, lang) else { return docs };
    let page = &data.page;
    let trail: Vec<String> = tree.ancestors(key).iter().skip(1).map(|n| n.title.clone()).collect();
    let path = out_path(key);
    let mut intro_extra = String::new();
    if let Some(d) = &page.fm.description {
        intro_extra.push_str(d);
        intro_extra.push(' ');
    }
    for r in &page.fm.requirements {
        intro_extra.push_str(&r.text);
        intro_extra.push(' ');
    }
    let page_trail = trail.join(" › ");
    // A standard is found by its code too («ID-2.1»).
    let page_title = match &page.fm.id {
        Some(code) => format!("{} {}", code.get_ref(), page.fm.title),
        None => page.fm.title.clone(),
    };
    let mut first = true;
    for s in &data.rendered.sections {
        let (id, title, crumbs) = match &s.id {
            Some(anchor) => (format!("{path}#{anchor}"), s.heading.clone(), join_trail(&trail, &page.fm.title)),
            None => (path.clone(), page_title.clone(), page_trail.clone()),
        };
        let body = if first && s.id.is_none() { format!("{intro_extra}{}", s.text) } else { s.text.clone() };
        first = false;
        docs.push(SearchDoc { id, title, breadcrumbs: crumbs, body });
    }
    let has_intro = data.rendered.sections.first().is_some_and(|s| s.id.is_none());
    if !has_intro {
        docs.push(SearchDoc { id: path, title: page_title, breadcrumbs: page_trail, body: intro_extra });
    }
    docs
}

fn join_trail(trail: &[String], title: &str) -> String {
    let mut t = trail.to_vec();
    t.push(title.to_string());
    t.join(" › ")
}

fn form_documents(site: &Site, lang: &str) -> Vec<SearchDoc> {
    let forms_title = site.i18n.t(lang, "forms.index_title");
    site.forms
        .iter()
        .map(|form| {
            // Texts shown in the default language come marked for pages; the index takes the text.
            let plain = |t| strip(text(t, lang)).into_owned();
            let mut body = form.description.as_ref().map(plain).unwrap_or_default();
            for (_, q) in form.questions() {
                for part in [Some(&q.label), q.hint.as_ref(), q.guidance.as_ref()].into_iter().flatten() {
                    body.push(' ');
                    body.push_str(&plain(part));
                }
            }
            SearchDoc {
                id: format!("forms/{}/index.html", form.id),
                title: plain(&form.title),
                breadcrumbs: forms_title.clone(),
                body,
            }
        })
        .collect()
}

//! `<lang>/print.html`: the whole guidance of one language as one printable document, in
//! navigation order, each page starting on a new sheet, with links rewritten to in-document
//! anchors (so the printout and its PDF are self-contained).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::links::{print_anchor, print_prefix, Links, Mode};
use super::nav::Tree;
use super::{render_view, render_view_unminified, Assets, OutFile, Site};
use crate::diag::Diagnostic;
use crate::markdown::{self, Options};

#[derive(Serialize)]
struct PrintPage {
    anchor: String,
    title: String,
    depth: usize,
    html: Arc<str>,
    is_fallback: bool,
}

#[derive(Serialize)]
struct PrintView<'a> {
    template: &'static str,
    lang: &'a str,
    site_title: &'a str,
    title: String,
    root: &'static str,
    site_root: &'static str,
    assets: &'a Assets,
    pages: Vec<PrintPage>,
}

/// Renders a page's Markdown again for another place in the output (`from_key` sets the depth
/// of relative links; `mode` whether links point at files or at anchors in one document).
fn render_body(site: &Site, page: &crate::content::Page, from_key: &str, mode: Mode, id_prefix: &str) -> String {
    let from_dir = page.file.rel.trim_start_matches("content/").rsplit_once('/').map_or("", |(d, _)| d);
    let resolver = Links {
        keys: &site.keys,
        standards: &site.standards,
        forms: &site.form_ids,
        contacts: &site.contacts,
        from_key,
        from_dir,
        lang: &page.lang,
        default_language: &site.config.default_language,
        mode,
        cited: Default::default(),
    };
    let title = |k: &str| site.i18n.t(&page.lang, k);
    let opts = Options { allow_html: site.config.content.allow_html, id_prefix, admonition_title: &title };
    markdown::render(page.body(), &resolver, &opts).html
}

/// Print-mode bodies by (key, language). The preview server keeps them between rebuilds and
/// forgets the ones whose page changed; a body depends only on its own page's text, because links
/// into other pages are written as anchors derived from keys.
#[derive(Default)]
pub struct PrintBodies(Mutex<HashMap<(String, String), Arc<str>>>);

impl PrintBodies {
    pub fn forget(&self, key: &str, lang: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(&(key.to_string(), lang.to_string()));
        }
    }

    fn get_or_render(&self, key: &str, lang: &str, render: impl FnOnce() -> String) -> Arc<str> {
        let id = (key.to_string(), lang.to_string());
        if let Some(hit) = self.0.lock().ok().and_then(|m| m.get(&id).cloned()) {
            return hit;
        }
        let body: Arc<str> = render().into();
        if let Ok(mut m) = self.0.lock() {
            m.insert(id, body.clone());
        }
        body
    }
}

pub fn print_document(
    site: &Site,
    tera: &tera::Tera,
    tree: &Tree,
    lang: &str,
    assets: &Assets,
) -> Result<OutFile, Diagnostic> {
    let mut pages = Vec::new();
    for &i in &tree.order {
        let key = &tree.nodes[i].key;
        if key.starts_with("standards") {
            continue; // the standards have their own compendium
        }
        let Some((data, is_fallback)) = site.page_for(key, lang) else { continue };
        let page = &data.page;
        let render = || render_body(site, page, key, Mode::Print, &print_prefix(key));
        let html = match &site.print_bodies {
            Some(cache) => cache.get_or_render(key, &page.lang, render),
            None => render().into(),
        };
        pages.push(PrintPage {
            anchor: print_anchor(key),
            title: page.fm.title.clone(),
            depth: tree.depth(key),
            html,
            is_fallback,
        });
    }
    let view = PrintView {
        template: "print.html",
        lang,
        site_title: site.config.text(&site.config.title, lang),
        title: site.i18n.t(lang, "print.title"),
        root: "",
        site_root: "../",
        assets,
        pages,
    };
    render_view_unminified(tera, &view, &format!("{lang}/print.html"))
}

#[derive(Serialize)]
struct CompendiumView<'a> {
    template: &'static str,
    lang: &'a str,
    site_title: &'a str,
    title: String,
    site_root: &'static str,
    assets: &'a Assets,
    areas: Vec<super::standards::AreaView>,
}

/// `<lang>/standards/print.html`: every standard with its requirements, one per sheet.
pub fn standards_compendium(
    site: &Site,
    tera: &tera::Tera,
    tree: &Tree,
    lang: &str,
    assets: &Assets,
) -> Result<OutFile, Diagnostic> {
    let order = super::views::key_order(tree);
    // The compendium sits in standards/, one level below the language folder, like the
    // standards index: links are written as seen from there.
    let mut all = super::standards::standard_views(site, lang, "standards", &order);
    for view in &mut all {
        let key = site.standards.standards.get(&view.id).map(|s| s.key.clone()).unwrap_or_default();
        if let Some((data, _)) = site.page_for(&key, lang) {
            let pretty = site.config.pretty_urls;
            let prefix = format!("std-{}-", crate::markdown::slugify(&view.id));
            view.html = render_body(site, &data.page, "standards", Mode::Pages { pretty_urls: pretty }, &prefix);
        }
    }
    let view = CompendiumView {
        template: "standards_print.html",
        lang,
        site_title: site.config.text(&site.config.title, lang),
        title: site.i18n.t(lang, "standards.title"),
        site_root: "../../",
        assets,
        areas: super::standards::by_area(site, lang, all),
    };
    render_view(tera, &view, &format!("{lang}/standards/print.html"))
}

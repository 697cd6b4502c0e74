//! `<lang>/print.html`: the whole guidance of one language as one printable document, in
//! navigation order, each page starting on a new sheet, with links rewritten to in-document
//! anchors (so the printout and its PDF are self-contained).

use serde::Serialize;

use super::links::{print_anchor, print_prefix, Links, Mode};
use super::nav::Tree;
use super::{render_view, Assets, OutFile, Site};
use crate::diag::Diagnostic;
use crate::markdown::{self, Options};

#[derive(Serialize)]
struct PrintPage {
    anchor: String,
    title: String,
    depth: usize,
    html: String,
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
        let from_dir = page.file.rel.trim_start_matches("content/").rsplit_once('/').map_or("", |(d, _)| d);
        let resolver = Links {
            keys: &site.keys,
            standards: &site.standards,
            forms: &site.form_ids,
            contacts: &site.contacts,
            from_key: key,
            from_dir,
            lang: &page.lang,
            default_language: &site.config.default_language,
            mode: Mode::Print,
        };
        let prefix = print_prefix(key);
        let title = |k: &str| site.i18n.t(&page.lang, k);
        let opts = Options { allow_html: site.config.content.allow_html, id_prefix: &prefix, admonition_title: &title };
        let r = markdown::render(page.body(), &resolver, &opts);
        pages.push(PrintPage {
            anchor: print_anchor(key),
            title: page.fm.title.clone(),
            depth: tree.depth(key),
            html: r.html,
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
    render_view(tera, &view, &format!("{lang}/print.html"))
}

//! `<lang>/print.html`: the whole guidance of one language as one printable document, in
//! navigation order, each page starting on a new sheet, with links rewritten to in-document
//! anchors (so the printout and its PDF are self-contained).

use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::links::{compendium_prefix, print_anchor, print_prefix, Links, Mode};

use super::{render_view, Assets, OutFile, RenderContext};
use crate::diag::Diagnostic;
use crate::markdown::{self, Options};
use crate::site::Site;

#[derive(Serialize)]
struct PrintPage {
    anchor: String,
    title: String,
    depth: usize,
    /// Where the body goes (see [`fill_bodies`]).
    html: String,
    is_fallback: bool,
    /// The language the page is in.
    lang: String,
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
    /// «Стан на 1 березня 2026 р.» (see [`as_of`]).
    as_of: Option<String>,
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
        statistics: &site.statistics,
        from_key,
        from_dir,
        lang: &page.lang,
        default_language: &site.config.default_language,
        mode,
        cited: Default::default(),
        unchecked: Default::default(),
        verified: site.i18n.t_marked(&page.lang, "contacts.verified"),
    };
    let title = |k: &str| site.i18n.t_marked(&page.lang, k);
    let opts = Options { allow_html: site.config.content.allow_html, id_prefix, admonition_title: &title };
    let html = markdown::render(page.body(), &resolver, &opts).html;
    crate::fallback::resolve(&html).unwrap_or(html)
}

pub fn print_document(cx: &RenderContext) -> Result<OutFile, Diagnostic> {
    let RenderContext { lang, .. } = *cx;
    let mut bytes = Vec::new();
    write_print_document(cx, &mut bytes)?;
    Ok(OutFile { path: print_path(lang), bytes })
}

/// Where the print document of `lang` goes.
pub fn print_path(lang: &str) -> String {
    format!("{lang}/{}", crate::offline::PRINT_DOCUMENT)
}

/// [`print_document`], written to `out` as its bodies are rendered, so that the document (the
/// largest file of a build) is never held whole.
pub fn write_print_document(cx: &RenderContext, out: &mut dyn Write) -> Result<(), Diagnostic> {
    let RenderContext { site, tera, tree, lang, assets } = *cx;
    let mut pages = Vec::new();
    let mut sources: Vec<(&str, &crate::content::Page)> = Vec::new();
    for &i in &tree.order {
        let key = &tree.nodes[i].key;
        if key.starts_with("standards") {
            continue; // the standards have their own compendium
        }
        let Some((data, is_fallback)) = site.page_for(key, lang) else { continue };
        let page = &data.page;
        sources.push((key, page));
        pages.push(PrintPage {
            anchor: print_anchor(key),
            title: page.fm.title.clone(),
            depth: tree.depth(key),
            html: body_marker(sources.len() - 1),
            is_fallback,
            lang: page.lang.clone(),
        });
    }
    let view = PrintView {
        template: "print.html",
        lang,
        site_title: site.config.text(&site.config.title, lang),
        title: site.i18n.t_marked(lang, "print.title"),
        root: "",
        site_root: "../",
        assets,
        as_of: as_of(site, lang)?,
        pages,
    };
    let skeleton = render_view(tera, &view, &print_path(lang))?;
    let body = |i: usize| -> Option<Arc<str>> {
        let &(key, page) = sources.get(i)?;
        let render = || render_body(site, page, key, Mode::Print, &print_prefix(key));
        Some(match &site.print_bodies {
            Some(cache) => cache.get_or_render(key, &page.lang, render),
            None => render().into(),
        })
    };
    fill_bodies(&skeleton.bytes, &body, out).map_err(|e| Diagnostic::file_error(&skeleton.path, e.to_string()))
}

/// The bodies go into the finished document last: the template and the security policy never
/// copy or scan them (Markdown output has no inline scripts or styles to hash), which matters
/// when a document holds thousands of pages.
const BODY_MARKER: &str = "<!--oberih-print-body:";

/// Bodies rendered together (in parallel) as the document is filled: only these are held
/// besides the document itself.
const BODIES_AT_ONCE: usize = 64;

fn body_marker(i: usize) -> String {
    format!("{BODY_MARKER}{i}-->")
}

/// A piece of the skeleton: its text up to a body marker, then the marker as written and the
/// body it names.
type Piece<'a> = (&'a [u8], Option<(&'a [u8], usize)>);

/// Splits the skeleton at its body markers; a marker that names no number stays text.
fn pieces(skeleton: &[u8]) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let marker = BODY_MARKER.as_bytes();
    let mut start = 0;
    let mut from = 0;
    while let Some(at) = skeleton[from..].windows(marker.len()).position(|w| w == marker).map(|p| from + p) {
        let after = &skeleton[at + marker.len()..];
        let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
        let index = std::str::from_utf8(&after[..digits]).ok().and_then(|d| d.parse::<usize>().ok());
        match index {
            Some(i) if after[digits..].starts_with(b"-->") => {
                let end = at + marker.len() + digits + 3;
                out.push((&skeleton[start..at], Some((&skeleton[at..end], i))));
                start = end;
                from = start;
            }
            _ => from = at + marker.len(),
        }
    }
    out.push((&skeleton[start..], None));
    out
}

/// Writes the skeleton with each marker replaced by its body (`body(i)`; a marker whose body
/// is `None` stays as written), rendering a few bodies at a time.
fn fill_bodies(
    skeleton: &[u8],
    body: &(dyn Fn(usize) -> Option<Arc<str>> + Sync),
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let pieces = pieces(skeleton);
    for batch in pieces.chunks(BODIES_AT_ONCE) {
        let bodies: Vec<Option<Arc<str>>> =
            batch.par_iter().map(|(_, marker)| marker.and_then(|(_, i)| body(i))).collect();
        for ((text, marker), filled) in batch.iter().zip(bodies) {
            out.write_all(text)?;
            match (marker, filled) {
                (_, Some(b)) => out.write_all(b.as_bytes())?,
                (Some((written, _)), None) => out.write_all(written)?,
                (None, None) => {}
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CompendiumView<'a> {
    template: &'static str,
    lang: &'a str,
    site_title: &'a str,
    title: String,
    site_root: &'static str,
    assets: &'a Assets,
    as_of: Option<String>,
    areas: Vec<super::standards::AreaView>,
}

/// `<lang>/standards/print.html`: every standard with its requirements, one per sheet.
pub fn standards_compendium(cx: &RenderContext) -> Result<OutFile, Diagnostic> {
    let RenderContext { site, tera, tree, lang, assets } = *cx;
    let order = super::views::key_order(tree);
    // The compendium sits in standards/, one level below the language folder, like the
    // standards index: links are written as seen from there.
    let mut all = super::standards::standard_views(site, lang, "standards", &order);
    for view in &mut all {
        let key = site.standards.standards.get(&view.id).map(|s| s.key.clone()).unwrap_or_default();
        if let Some((data, _)) = site.page_for(&key, lang) {
            let mode = Mode::Compendium { pretty_urls: site.config.pretty_urls };
            view.html = render_body(site, &data.page, "standards", mode, &compendium_prefix(&view.id));
        }
    }
    let view = CompendiumView {
        template: "standards_print.html",
        lang,
        site_title: site.config.text(&site.config.title, lang),
        title: site.i18n.t_marked(lang, "standards.title"),
        site_root: "../../",
        assets,
        as_of: as_of(site, lang)?,
        areas: super::standards::by_area(site, lang, all),
    };
    render_view(tera, &view, &format!("{lang}/standards/print.html"))
}

/// The date a print document is current as of, in words of `lang`. It comes from the input, so
/// that the same input prints the same document: `SOURCE_DATE_EPOCH` when it is set (the
/// reproducible-builds convention), else the newest `verified_on` of the contacts; without
/// either the document carries no date.
fn as_of(site: &Site, lang: &str) -> Result<Option<String>, Diagnostic> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let verified = site.contacts.contacts.iter().filter_map(|c| c.verified_on.as_ref()?.date);
    let newest = verified.map(|d| (i64::from(d.year), i64::from(d.month), i64::from(d.day))).max();
    let Some((y, m, d)) = content_date(epoch.as_deref(), newest)? else { return Ok(None) };
    let month = site.i18n.t_marked(lang, &format!("print.months.m{m}"));
    let line = site.i18n.t_marked(lang, "print.as_of");
    let line = line
        .replace("{d}", &d.to_string())
        .replace("{dd}", &format!("{d:02}"))
        .replace("{mm}", &format!("{m:02}"))
        .replace("{month}", &month)
        .replace("{yyyy}", &y.to_string());
    Ok(Some(line))
}

/// (year, month, day) of `SOURCE_DATE_EPOCH` (UTC) if given, else `newest`.
fn content_date(epoch: Option<&str>, newest: Option<(i64, i64, i64)>) -> Result<Option<(i64, i64, i64)>, Diagnostic> {
    let Some(epoch) = epoch.map(str::trim).filter(|e| !e.is_empty()) else { return Ok(newest) };
    let secs: i64 = epoch.parse().map_err(|_| {
        Diagnostic::file_error(
            "SOURCE_DATE_EPOCH",
            format!("`{epoch}` is not a whole number of seconds since 1970-01-01 (UTC)"),
        )
    })?;
    Ok(Some(crate::dates::civil(secs.div_euclid(86_400))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_the_source_date_epoch_else_the_newest_check() {
        assert_eq!(content_date(None, Some((2026, 3, 1))).ok().flatten(), Some((2026, 3, 1)));
        assert_eq!(content_date(Some("1772323200"), Some((2025, 1, 1))).ok().flatten(), Some((2026, 3, 1)));
        assert_eq!(content_date(Some(" "), None).ok().flatten(), None);
        assert!(content_date(Some("yesterday"), None).is_err());
    }

    #[test]
    fn markers_become_bodies_and_unknown_ones_stay() {
        let skeleton =
            format!("<a>{}<b>{}{BODY_MARKER}x-->{BODY_MARKER}9-->{BODY_MARKER}01-->", body_marker(0), body_marker(1));
        let bodies = ["zero", "one"];
        let body = |i: usize| bodies.get(i).map(|b| Arc::from(*b));
        let mut filled = Vec::new();
        fill_bodies(skeleton.as_bytes(), &body, &mut filled).expect("written");
        let expected = format!("<a>zero<b>one{BODY_MARKER}x-->{BODY_MARKER}9-->one");
        assert_eq!(String::from_utf8(filled).expect("utf-8"), expected);
    }

    #[test]
    fn many_bodies_are_filled_in_order() {
        let skeleton: String = (0..BODIES_AT_ONCE * 3 + 5).map(|i| format!("[{}]", body_marker(i))).collect();
        let body = |i: usize| Some(Arc::from(i.to_string()));
        let expected: String = (0..BODIES_AT_ONCE * 3 + 5).map(|i| format!("[{i}]")).collect();
        let mut filled = Vec::new();
        fill_bodies(skeleton.as_bytes(), &body, &mut filled).expect("written");
        assert_eq!(filled, expected.into_bytes());
    }
}

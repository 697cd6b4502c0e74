//! Rendering the resolved site into files: every page in every language through the theme's
//! templates (in parallel), the single-document print version, the language chooser, 404,
//! sitemap and the fingerprinted assets.

mod forms;
pub mod links;
pub mod nav;
mod notfound;
mod print;
mod search_docs;
mod standards;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::out_path;
use crate::diag::Diagnostic;
use crate::output::{fingerprint, finish_html};
use crate::site::Site;
use crate::theme::Theme;

pub use views::PageView;

/// What every page of one language is rendered with.
#[derive(Clone, Copy)]
pub struct RenderContext<'a> {
    pub site: &'a Site,
    pub tera: &'a tera::Tera,
    /// The language's navigation tree.
    pub tree: &'a nav::Tree,
    pub lang: &'a str,
    pub assets: &'a Assets,
}

pub use crate::output::OutFile;

/// Where finished files go: straight into the staging folder (so pages are written while others
/// are still rendering, and never all held in memory), or nowhere when only checking.
pub struct Sink<'a> {
    pub staging: Option<&'a crate::output::Staging>,
    /// Prepended to every path (`<slug>/` for a region in an all-regions build).
    pub prefix: String,
    pub written: std::sync::atomic::AtomicUsize,
}

impl<'a> Sink<'a> {
    pub fn new(staging: Option<&'a crate::output::Staging>, prefix: String) -> Self {
        Sink { staging, prefix, written: Default::default() }
    }

    /// Writes one file. A file that cannot be written is no error here: the staging keeps the
    /// failure and reports all of its kind at once (a full disk fails thousands of files alike),
    /// and never puts an incomplete site in place.
    pub fn emit(&self, f: &OutFile) -> Result<(), Diagnostic> {
        if let Some(staging) = self.staging {
            let _ = staging.write(&format!("{}{}", self.prefix, f.path), &f.bytes);
        }
        self.written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Writes the file at `path` through `write`, straight into the staging folder (or nowhere
    /// when only checking), so that a large file is never held whole.
    pub fn emit_streamed(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        if let Some(staging) = self.staging {
            // As in `emit`, a failure to write is the staging's to report.
            let Ok(mut file) = staging.create(&format!("{}{}", self.prefix, path)) else { return Ok(()) };
            let written = write(&mut file);
            let _ = std::io::Write::flush(&mut file);
            if !file.failed() {
                written?;
            }
        } else {
            write(&mut std::io::sink())?;
        }
        self.written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    pub fn emit_all(&self, files: Vec<OutFile>) -> Result<(), Vec<Diagnostic>> {
        files.par_iter().try_for_each(|f| self.emit(f)).map_err(|d| vec![d])
    }
}

/// Fingerprinted shared assets, by logical name, with their output paths.
#[derive(Debug, Clone, Serialize)]
pub struct Assets {
    pub css: String,
    pub js: String,
    /// The offline copy's page script, which the bundled one loads over http(s) only.
    pub offline: String,
    /// The portal's icons (tab, home screen), drawn at build.
    pub icons: crate::offline::Icons,
}

/// Bundles the theme's stylesheets into one file and its page scripts into another, each file
/// minified on its own, so a theme file that does not parse is reported at its own line.
pub fn build_assets(theme: &Theme) -> Result<(Assets, Vec<OutFile>), Vec<Diagnostic>> {
    let css_files = stylesheet_files(theme);
    let search_js = crate::theme::ThemeFile {
        shown: "(built-in) src/search/runtime/*.js".to_string(),
        bytes: crate::search::CLIENT_JS.as_bytes().to_vec(),
    };
    let offline_js = crate::theme::ThemeFile {
        shown: "(built-in) src/offline/runtime/loader.js".to_string(),
        bytes: crate::offline::LOADER_JS.as_bytes().to_vec(),
    };
    let js_files: Vec<_> = theme.get("runtime/site.js").into_iter().chain([&search_js, &offline_js]).collect();
    let mut problems = Vec::new();
    let css = bundle(&css_files, crate::minify::minify_css, &mut problems);
    let js = bundle(&js_files, crate::minify::minify_js, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let css_path = format!("assets/site.{}.css", fingerprint(&css));
    let js_path = format!("assets/site.{}.js", fingerprint(&js));
    let (icons, icon_files) = crate::offline::Icons::make();
    let mut files = vec![OutFile { path: css_path.clone(), bytes: css }, OutFile { path: js_path.clone(), bytes: js }];
    files.extend(icon_files);
    files.push(crate::offline::worker_file()?);
    let offline = crate::offline::page_script()?;
    let offline_path = offline.path.clone();
    files.push(offline);
    for (path, f) in theme.under("static") {
        if !path.starts_with("static/css/") {
            files.push(OutFile {
                path: format!("assets/{}", path.trim_start_matches("static/")),
                bytes: f.bytes.clone(),
            });
        }
    }
    Ok((Assets { css: css_path, js: js_path, offline: offline_path, icons }, files))
}

/// The theme files minified one by one and joined, a line after each; what does not decode or
/// parse goes to `problems`, at the file and position.
fn bundle(
    files: &[&crate::theme::ThemeFile],
    minify: fn(&str) -> Result<String, crate::minify::MinifyError>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let text = match f.text() {
            Ok(text) => text,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        match minify(&text) {
            Ok(min) => out.extend_from_slice(min.as_bytes()),
            Err(e) => problems.extend(e.problems().iter().map(|p| {
                Diagnostic::at(&f.shown, &text, p.span.clone(), &p.message).with_help(
                    "the build minifies the theme's scripts and stylesheets and ships none that does not parse",
                )
            })),
        }
        out.push(b'\n');
    }
    out
}

/// The theme's stylesheets as one: `site.css` first, then the others by name.
fn stylesheet(theme: &Theme) -> Vec<u8> {
    let mut css = Vec::new();
    for f in stylesheet_files(theme) {
        css.extend_from_slice(&f.bytes);
        css.push(b'\n');
    }
    css
}

/// The theme's stylesheets in the order they are bundled: `site.css` first, then by path.
fn stylesheet_files(theme: &Theme) -> Vec<&crate::theme::ThemeFile> {
    let site_first = |p: &&str| if p.ends_with("/site.css") { 0 } else { 1 };
    let mut css_files: Vec<(&str, &crate::theme::ThemeFile)> =
        theme.under("static/css").filter(|(p, _)| p.ends_with(".css")).collect();
    css_files.sort_by_key(|(p, _)| (site_first(p), p.to_string()));
    css_files.into_iter().map(|(_, f)| f).collect()
}

/// The navigation tree of each language, built once per build. The trees own their data, so
/// they outlive the pages' text (a one-off build frees it between rendering and indexing).
pub type Trees = BTreeMap<String, nav::Tree>;

pub fn trees(site: &Site) -> Trees {
    site.config.languages.iter().map(|l| (l.clone(), views::tree(site, l))).collect()
}

/// Writes the search index of every language through `sink`, and each language's search page
/// with its manifest. A site kept for in-place updates (with a search cache) gets back the hash
/// of each index file, by output path, to rewrite only what changes later; other builds hand
/// each file over as soon as it is made and get an empty map.
pub fn write_search_index(
    site: &Site,
    trees: &Trees,
    tera: &tera::Tera,
    assets: &Assets,
    sink: &Sink,
) -> Result<BTreeMap<String, u64>, Vec<Diagnostic>> {
    let page = |lang: &String, manifest: Option<&str>| {
        let cx = RenderContext { site, tera, tree: &trees[lang.as_str()], lang, assets };
        search_page(&cx, manifest).and_then(|f| sink.emit(&f))
    };
    if let Some(cache) = site.search_cache.as_ref() {
        let files = search_docs::search_files(site, trees, Some(cache));
        let hashes = files.iter().map(|f| (f.path.clone(), crate::output::content_hash(&f.bytes))).collect();
        for lang in trees.keys() {
            page(lang, manifest_of(&files, lang)).map_err(|d| vec![d])?;
        }
        sink.emit_all(files)?;
        return Ok(hashes);
    }
    trees
        .par_iter()
        .try_for_each(|(lang, tree)| {
            let manifest = search_docs::emit_language(site, tree, lang, sink)?;
            page(lang, Some(&manifest))
        })
        .map_err(|d| vec![d])?;
    Ok(BTreeMap::new())
}

/// The manifest JSON of `lang`'s index among index files (by output path).
pub fn manifest_of<'a>(files: &'a [OutFile], lang: &str) -> Option<&'a str> {
    let path = format!("{lang}/search/manifest.js");
    files.iter().find(|f| f.path == path).and_then(|f| crate::search::manifest_json(&f.bytes))
}

/// What search indexes in one language, in index order.
pub fn search_documents(site: &Site, trees: &Trees, lang: &str) -> Vec<crate::search::SearchDoc> {
    trees.get(lang).map(|tree| search_docs::documents(site, tree, lang)).unwrap_or_default()
}

/// Renders every HTML page of every language. Template errors name the page being rendered.
pub fn render_pages(
    site: &Site,
    trees: &Trees,
    tera: &tera::Tera,
    assets: &Assets,
    sink: &Sink,
) -> Result<(), Vec<Diagnostic>> {
    let mut problems = render_markdown_pages(site, trees, tera, assets, sink);
    for lang in &site.config.languages {
        let cx = RenderContext { site, tera, tree: &trees[lang.as_str()], lang, assets };
        problems.extend(render_language_pages(&cx, sink));
    }
    let mut files = Vec::new();
    match root_pages(site, trees, tera, assets) {
        Ok(more) => files.extend(more),
        Err(d) => problems.push(d),
    }
    if let Err(p) = sink.emit_all(files) {
        problems.extend(p);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Renders the page of every key in every language through `sink`, in parallel; returns the
/// problems found, each once.
fn render_markdown_pages(
    site: &Site,
    trees: &Trees,
    tera: &tera::Tera,
    assets: &Assets,
    sink: &Sink,
) -> Vec<Diagnostic> {
    let jobs: Vec<(&str, &str)> =
        site.config.languages.iter().flat_map(|l| site.keys.iter().map(move |k| (l.as_str(), k.as_str()))).collect();
    let results: Vec<Result<(), Diagnostic>> = jobs
        .par_iter()
        .map(|(lang, key)| {
            let cx = RenderContext { site, tera, tree: &trees[*lang], lang, assets };
            sink.emit(&render_page(&cx, key)?)
        })
        .collect();
    once_each(results)
}

/// The problems among `results`, in order, each message once. A broken template fails every page
/// that uses it: it is reported once, with a count.
fn once_each(results: Vec<Result<(), Diagnostic>>) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut repeats: BTreeMap<String, usize> = BTreeMap::new();
    for d in results.into_iter().filter_map(Result::err) {
        let seen = problems.iter().any(|p| p.message == d.message);
        let count = repeats.entry(d.message.clone()).or_default();
        if seen {
            *count += 1;
        } else {
            problems.push(d);
        }
    }
    for p in &mut problems {
        if let Some(&n) = repeats.get(&p.message).filter(|n| **n > 0) {
            p.message.push_str(&format!(" (and {n} more pages)"));
        }
    }
    problems
}

/// Renders the pages of one language that do not come from Markdown through `sink`; returns the
/// problems found.
fn render_language_pages(cx: &RenderContext, sink: &Sink) -> Vec<Diagnostic> {
    // The print document goes straight to its file; the other pages of a language are few.
    let print = sink.emit_streamed(&print::print_path(cx.lang), |w| print::write_print_document(cx, w));
    match print.and_then(|()| other_generated_pages(cx)).map_err(|d| vec![d]) {
        Ok(more) => sink.emit_all(more).err().into_iter().flatten().collect(),
        Err(d) => d,
    }
}

/// A fingerprint of what `key`'s page in `lang` shows apart from its own body: navigation,
/// breadcrumbs, neighbours, children, backlinks. Two equal fingerprints and an unchanged body give
/// the same file.
pub fn surroundings(site: &Site, tree: &nav::Tree, assets: &Assets, lang: &str, key: &str) -> u64 {
    let mut view = views::page_view(site, tree, lang, key, assets);
    view.page.html.clear();
    crate::output::content_hash(&serde_json::to_vec(&view).unwrap_or_default())
}

/// One page of one language through its template: its translation, or the default language's
/// page with the fallback notice.
pub fn render_page(cx: &RenderContext, key: &str) -> Result<OutFile, Diagnostic> {
    let RenderContext { site, tera, tree, lang, assets } = *cx;
    let mut view = views::page_view(site, tree, lang, key, assets);
    let (data, _) =
        site.page_for(key, lang).ok_or_else(|| Diagnostic::file_error("content", format!("no page for `{key}`")))?;
    let html = render_marked(tera, &mut view, &data.page.file.shown)?;
    let html = put_body(finish_html(html), &data.rendered.html);
    Ok(OutFile { path: format!("{lang}/{}", out_path(key)), bytes: html.into_bytes() })
}

/// A page through its template, with the interface strings shown in the default language marked
/// with `lang` ([`crate::fallback`]). Only once the page is rendered is it known whether it has
/// any; a page that does is rendered again to say so (`page.has_fallback_parts`).
fn render_marked(tera: &tera::Tera, view: &mut PageView, shown: &str) -> Result<String, Diagnostic> {
    let render = |view: &PageView| {
        let ctx = tera::Context::from_serialize(view).map_err(|e| template_error(shown, &e))?;
        tera.render(&view.template, &ctx).map_err(|e| template_error(shown, &e))
    };
    let html = render(view)?;
    let Some(resolved) = crate::fallback::resolve(&html) else { return Ok(html) };
    if view.page.has_fallback_parts || view.page.is_fallback {
        return Ok(resolved);
    }
    view.page.has_fallback_parts = true;
    let html = render(view)?;
    Ok(crate::fallback::resolve(&html).unwrap_or(html))
}

/// Puts a page's body wherever its template placed [`views::PAGE_BODY`]. The body is Markdown
/// output, which carries no inline script or style (raw HTML is refused or sanitised), so the
/// security policy computed without it is the page's.
fn put_body(html: String, body: &str) -> String {
    let mut pieces = html.split(views::PAGE_BODY);
    let Some(first) = pieces.next() else { return html };
    let mut out = String::with_capacity(html.len() + body.len());
    out.push_str(first);
    for piece in pieces {
        out.push_str(body);
        out.push_str(piece);
    }
    out
}

/// The single document that collects the bodies of one kind of page in `lang`: the guidance
/// print version, or (`standards`) the standards compendium.
pub fn print_file(cx: &RenderContext, standards: bool) -> Result<OutFile, Diagnostic> {
    if standards {
        print::standards_compendium(cx)
    } else {
        print::print_document(cx)
    }
}

/// The search index files of one language, under `<lang>/search/`.
pub fn search_index_of(site: &Site, tree: &nav::Tree, lang: &str) -> Vec<OutFile> {
    search_docs::language_files(site, tree, lang, site.search_cache.as_ref())
}

pub fn template_error(page: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::file_error(page, format!("template error while rendering this page: {}", templates::error_chain(e)))
        .with_help("the problem is in the theme's template named above")
}

/// The per-language pages that do not come from Markdown: print document and search page.
pub fn generated_pages(cx: &RenderContext) -> Result<Vec<OutFile>, Diagnostic> {
    let mut out = vec![print::print_document(cx)?];
    out.extend(other_generated_pages(cx)?);
    Ok(out)
}

/// [`generated_pages`] but the print document.
fn other_generated_pages(cx: &RenderContext) -> Result<Vec<OutFile>, Diagnostic> {
    let RenderContext { site, tera, lang, assets, .. } = *cx;
    let mut out = aliases(site, tera, lang)?;
    out.push(print::standards_compendium(cx)?);
    out.push(crate::offline::manifest(site, lang, &assets.icons));
    out.extend(forms::form_pages(cx)?);
    Ok(out)
}

/// The search page of one language. It carries its index's manifest (`manifest`, the JSON
/// `manifest.js` registers), so a query from it loads no file for that: it is rendered wherever
/// the language's index is made.
pub fn search_page(cx: &RenderContext, manifest: Option<&str>) -> Result<OutFile, Diagnostic> {
    let RenderContext { site, tera, tree, lang, assets } = *cx;
    let title = site.i18n.t_marked(lang, "search.title");
    let mut search = views::generated_view(site, tree, lang, "search", "search.html", title, assets);
    // Inside a <script> element only `</` could end it early.
    let json = manifest.map(|m| m.replace("</", "<\\/")).unwrap_or_default();
    search.extra = serde_json::json!({ "search_manifest": json });
    render_page_view(tera, &mut search, &format!("{lang}/search/index.html"))
}

/// Pages that moved keep their old addresses (`aliases` in front matter): a small page there
/// sends the reader on to the new one.
fn aliases(site: &Site, tera: &tera::Tera, lang: &str) -> Result<Vec<OutFile>, Diagnostic> {
    let mut out = Vec::new();
    for key in &site.keys {
        let Some((data, _)) = site.page_for(key, lang) else { continue };
        for alias in &data.page.fm.aliases {
            let from = alias.trim_matches('/');
            let target = links::relative_href(from, key, site.config.pretty_urls);
            let view = serde_json::json!({
                "template": "alias.html",
                "lang": lang,
                "title": data.page.fm.title,
                "target": target,
            });
            out.push(render_view(tera, &view, &format!("{lang}/{}", out_path(from)))?);
        }
    }
    Ok(out)
}

/// A page that does not come from Markdown through its template; interface strings shown in the
/// default language are marked with `lang`.
pub fn render_view<T: Serialize>(tera: &tera::Tera, view: &T, path: &str) -> Result<OutFile, Diagnostic> {
    let html = render_template(tera, view, path)?;
    let html = crate::fallback::resolve(&html).unwrap_or(html);
    Ok(OutFile { path: path.to_string(), bytes: finish_html(html).into_bytes() })
}

/// [`render_view`] for a generated page with the portal's chrome, which says when some of it is
/// shown in the default language.
pub fn render_page_view(tera: &tera::Tera, view: &mut PageView, path: &str) -> Result<OutFile, Diagnostic> {
    let html = render_marked(tera, view, path)?;
    Ok(OutFile { path: path.to_string(), bytes: finish_html(html).into_bytes() })
}

fn render_template<T: Serialize>(tera: &tera::Tera, view: &T, path: &str) -> Result<String, Diagnostic> {
    let ctx = tera::Context::from_serialize(view).map_err(|e| template_error(path, &e))?;
    let template = ctx.get("template").and_then(|v| v.as_str()).unwrap_or("page.html").to_string();
    tera.render(&template, &ctx).map_err(|e| template_error(path, &e))
}

/// `index.html` (language chooser), `404.html` and `sitemap.xml` at the top of the output.
pub fn root_pages(site: &Site, trees: &Trees, tera: &tera::Tera, assets: &Assets) -> Result<Vec<OutFile>, Diagnostic> {
    let chooser = views::chooser_view(site, assets);
    let mut out = vec![render_view(tera, &chooser, "index.html")?];
    out.push(notfound::page(site, trees, tera, &stylesheet(&site.theme))?);
    out.push(OutFile { path: "sitemap.xml".into(), bytes: sitemap(site).into_bytes() });
    if !site.forms.is_empty() {
        let neutral = finish_html(crate::forms::interactive::neutral_page());
        out.push(OutFile { path: "neutral.html".into(), bytes: neutral.into_bytes() });
    }
    Ok(out)
}

/// The sitemap lists every page of every language; addresses are absolute only with `base_url`.
fn sitemap(site: &Site) -> String {
    let base = site.config.base_url.as_ref().map(|u| format!("{u}/")).unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for lang in &site.config.languages {
        for key in &site.keys {
            let path = out_path(key);
            let path = if site.config.pretty_urls { path.trim_end_matches("index.html").to_string() } else { path };
            xml.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                crate::html::escape(&format!("{base}{lang}/{path}"))
            ));
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_goes_wherever_the_template_placed_it() {
        let body = "<p>Текст</p>";
        let page = format!("<main>{}</main><aside>{}</aside>", views::PAGE_BODY, views::PAGE_BODY);
        assert_eq!(put_body(page, body), "<main><p>Текст</p></main><aside><p>Текст</p></aside>");
        assert_eq!(put_body("<main></main>".into(), body), "<main></main>");
        // A body that happens to hold the marker is not filled in again.
        let tricky = format!("<p>{}</p>", views::PAGE_BODY);
        assert_eq!(put_body(views::PAGE_BODY.into(), &tricky), tricky);
    }
}

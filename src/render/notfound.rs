//! The 404 page (`404.html` at the top of the output). A web server sends it for any missing
//! address, at any depth, so nothing on it may depend on where it is read from: its stylesheet
//! is inline, its links are absolute paths from the site's root (the path of `base_url`, else
//! `/`), and it carries its text in every language of the portal. A small inline script shows
//! the language the address names and, when `base_url` is not set (or the address is outside its
//! path, as in a local preview), finds the site's root in the address (the folders before the
//! first language folder), so a portal hosted under a sub-path works too; opened from disk, it
//! makes the links relative to the page's own folder again.

use serde::Serialize;

use super::{nav, views, OutFile, Trees};
use crate::diag::Diagnostic;
use crate::minify::{minify_css, minify_js};
use crate::site::Site;

#[derive(Serialize)]
struct NotFoundView<'a> {
    template: &'static str,
    lang: &'a str,
    /// The portal's languages, space-separated, for the script.
    languages: String,
    /// The site's root as an absolute path: `/`, or `/oblast/` for `https://example.org/oblast/`.
    base_path: String,
    /// Whether `base_path` comes from `base_url` (the script then keeps it).
    has_base_url: bool,
    /// The theme's stylesheet and the page's script, inline and minified.
    style: String,
    script: String,
    variants: Vec<Variant<'a>>,
}

/// The page in one language.
#[derive(Serialize)]
struct Variant<'a> {
    lang: &'a str,
    site_title: &'a str,
    /// Absolute path of the language's folder, e.g. `/uk/`.
    root: String,
    index: &'static str,
    nav_html: String,
}

pub fn page(site: &Site, trees: &Trees, tera: &tera::Tera, style: &[u8]) -> Result<OutFile, Diagnostic> {
    let base_path = base_path(site.config.base_url.as_deref());
    let variants = site
        .config
        .languages
        .iter()
        .filter_map(|lang| Some((lang.as_str(), trees.get(lang)?)))
        .map(|(lang, tree)| variant(site, tree, lang, &base_path))
        .collect();
    let view = NotFoundView {
        template: "404.html",
        lang: &site.config.default_language,
        languages: site.config.languages.join(" "),
        base_path,
        has_base_url: site.config.base_url.is_some(),
        // Minified: besides being smaller, inline code without line breaks is what the HTML
        // checker matches against the policy's hashes. `</` never ends an element early.
        style: minify_css(&String::from_utf8_lossy(style))
            .map_err(|e| Diagnostic::file_error("themes/default/static/css", e.to_string()))?
            .replace("</", "<\\/"),
        script: match site.theme.get("runtime/notfound.js") {
            Some(f) => minify_js(&String::from_utf8_lossy(&f.bytes))
                .map_err(|e| Diagnostic::file_error(&f.shown, e.to_string()))?
                .replace("</", "<\\/"),
            None => String::new(),
        },
        variants,
    };
    super::render_view(tera, &view, "404.html")
}

fn variant<'a>(site: &'a Site, tree: &nav::Tree, lang: &'a str, base_path: &str) -> Variant<'a> {
    let root = format!("{base_path}{lang}/");
    let more_pages = |n: usize| site.i18n.plural(lang, "nav.more_pages", n as u64);
    // The home page's navigation: its links are relative to the language folder.
    let nav_html = tree
        .nav_html("", site.config.pretty_urls, &views::nav_extra(site, lang), &more_pages)
        .replace(" aria-current=\"page\"", "")
        .replace("href=\"", &format!("href=\"{root}"))
        .replace(&format!("href=\"{root}./\""), &format!("href=\"{root}\""));
    Variant { lang, site_title: site.config.text(&site.config.title, lang), root, index: site.index_file(), nav_html }
}

/// The path part of `base_url` as a folder: `https://example.org/oblast` gives `/oblast/`.
fn base_path(base_url: Option<&str>) -> String {
    let path = base_url
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/").trim_end_matches('/');
    format!("{path}/")
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn base_path_is_the_folder_base_url_names() {
        assert_eq!(base_path(None), "/");
        assert_eq!(base_path(Some("https://example.org")), "/");
        assert_eq!(base_path(Some("https://example.org/oblast")), "/oblast/");
        assert_eq!(base_path(Some("http://example.org:8080/a/b")), "/a/b/");
    }
}

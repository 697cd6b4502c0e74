//! The offline copy of a portal served over http(s): a reader may save one language (or several)
//! to keep reading with no connection, as Kiwix and installed documentation apps do. Nothing is
//! saved without the reader's choice.
//!
//! The pieces the build makes: the service worker at the site's root (its scope covers every
//! language), the page script that offers the copy, a list per language of the files its copy
//! holds (made from what the build actually wrote, so the size is known before anything is
//! downloaded) and a web app manifest per language with icons drawn at build.

mod icons;
mod lists;
mod sizes;

pub use icons::Icons;
pub use lists::{copy_lists, write_copy_lists, CopySite};

use crate::diag::Diagnostic;
use crate::output::OutFile;
use crate::site::Site;

/// The service worker: saves, updates and answers from the copy (plain JavaScript, ES2018).
pub const WORKER_JS: &str = include_str!("runtime/sw.js");
/// The page script that offers, shows and removes the copy, loaded only over http(s).
pub const PAGE_JS: &str = include_str!("runtime/offline.js");
/// What every page's bundled script holds of the copy: the few lines that load [`PAGE_JS`].
pub const LOADER_JS: &str = include_str!("runtime/loader.js");
/// The worker's address in a site, beside the language folders.
pub const WORKER_PATH: &str = "sw.js";
/// What each language's copy would take, as a script the pages load: a plain script, so the
/// pages' policy needs no `connect-src`.
pub const SUMMARY_PATH: &str = "offline-copy.js";
/// The list of one language's files, in its folder.
pub const LIST_NAME: &str = "offline.json";
/// The whole guidance of a language as one printable document, in its folder; the copy leaves
/// it out (see [`lists`]).
pub const PRINT_DOCUMENT: &str = "print.html";
pub const MANIFEST_NAME: &str = "manifest.webmanifest";
/// The header's colour in the default theme, for the phone's title bar.
pub const THEME_COLOR: &str = "#1d4f91";

/// The worker script, minified, at the site's root.
pub fn worker_file() -> Result<OutFile, Vec<Diagnostic>> {
    let shown = "(built-in) src/offline/runtime/sw.js";
    let min = crate::minify::minify_js(WORKER_JS).map_err(|e| {
        e.problems().iter().map(|p| Diagnostic::at(shown, WORKER_JS, p.span.clone(), &p.message)).collect::<Vec<_>>()
    })?;
    Ok(OutFile { path: WORKER_PATH.to_string(), bytes: min.into_bytes() })
}

/// The page script, minified, under `assets/` with its content's hash in the name.
pub fn page_script() -> Result<OutFile, Vec<Diagnostic>> {
    let shown = "(built-in) src/offline/runtime/offline.js";
    let min = crate::minify::minify_js(PAGE_JS).map_err(|e| {
        e.problems().iter().map(|p| Diagnostic::at(shown, PAGE_JS, p.span.clone(), &p.message)).collect::<Vec<_>>()
    })?;
    let path = format!("assets/offline.{}.js", crate::output::fingerprint(min.as_bytes()));
    Ok(OutFile { path, bytes: min.into_bytes() })
}

/// The web app manifest of one language: "Add to home screen" opens the portal in that language.
pub fn manifest(site: &Site, lang: &str, icons: &Icons) -> OutFile {
    let title = site.config.text(&site.config.title, lang);
    let start = format!("./{}", site.index_file());
    let icon = |src: &str, sizes: &str, kind: &str| serde_json::json!({ "src": format!("../{src}"), "sizes": sizes, "type": kind });
    let json = serde_json::json!({
        "id": start,
        "name": title,
        "short_name": title,
        "lang": lang,
        "dir": "ltr",
        "start_url": start,
        "scope": "../",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            icon(&icons.png192, "192x192", "image/png"),
            icon(&icons.png512, "512x512", "image/png"),
            icon(&icons.svg, "any", "image/svg+xml"),
        ],
    });
    OutFile { path: format!("{lang}/{MANIFEST_NAME}"), bytes: json.to_string().into_bytes() }
}

/// The offer's strings in one language as the JSON island the page script reads, with the
/// plural forms of the page count.
pub fn i18n_json(i18n: &crate::i18n::I18n, lang: &str) -> String {
    let mut map = serde_json::Map::new();
    for k in [
        "title",
        "save",
        "size",
        "other",
        "saving",
        "saved",
        "persist_denied",
        "delete",
        "deleted",
        "update",
        "update_button",
        "failed",
        "offline",
        "changed",
        "no_space",
        "mb",
        "kb",
    ] {
        map.insert(k.into(), i18n.t(lang, &format!("offline.{k}")).into());
    }
    for c in ["zero", "one", "two", "few", "many", "other"] {
        map.insert(format!("pages_{c}"), i18n.plural_form(lang, "count.pages", c).into());
    }
    serde_json::Value::Object(map).to_string().replace('<', "\\u003c")
}

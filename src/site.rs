//! The resolved site: every page with its rendered Markdown, the standards, forms, contacts and
//! interface strings a build has parsed and checked. Checking reads it and rendering turns it
//! into files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::contacts::Directory;
use crate::content::Page;
use crate::i18n::I18n;
use crate::markdown::Rendered;
use crate::standards::Registry;
use crate::theme::Theme;

/// A page file with its rendered Markdown.
#[derive(Debug)]
pub struct PageData {
    pub page: Page,
    pub rendered: Rendered,
    /// Ids of the standards the page cites, in front matter or with `std:` links.
    pub cites: BTreeSet<String>,
    /// The body shows something in the default language (a contact's name, an interface string)
    /// because the page's language has no translation of it.
    pub has_fallback_parts: bool,
}

/// Everything a build has parsed and checked, ready to render.
pub struct Site {
    pub config: Config,
    /// The slug of the region this site is built for; `None` for the national portal.
    pub region: Option<String>,
    pub i18n: Arc<I18n>,
    pub theme: Theme,
    /// By (key, language).
    pub pages: BTreeMap<(String, String), PageData>,
    pub keys: BTreeSet<String>,
    pub standards: Registry,
    pub contacts: Directory,
    pub form_ids: BTreeSet<String>,
    /// Monitoring tables published with the portal (`data/statistics/*.json`).
    pub statistics: crate::statistics::Statistics,
    pub forms: Vec<crate::forms::Form>,
    /// PEM public keys for encrypted export, by form id.
    pub public_keys: BTreeMap<String, String>,
    /// The search UI strings of each language (the same on every page of that language).
    pub search_strings: BTreeMap<String, String>,
    /// Pages' bodies as rendered for the print document, kept between rebuilds of the preview
    /// server (`None` in one-off builds, where keeping them would only cost memory).
    pub print_bodies: Option<PrintBodies>,
    /// The analysed text of every search document, kept likewise so that a rebuild analyses
    /// only what changed.
    pub search_cache: Option<crate::search::AnalysisCache>,
}

impl Site {
    /// The page to show for `key` in `lang`: its translation, or the default language's file.
    pub fn page_for(&self, key: &str, lang: &str) -> Option<(&PageData, bool)> {
        if let Some(p) = self.pages.get(&(key.to_string(), lang.to_string())) {
            return Some((p, false));
        }
        self.pages.get(&(key.to_string(), self.config.default_language.clone())).map(|p| (p, true))
    }

    pub fn index_file(&self) -> &'static str {
        if self.config.pretty_urls {
            ""
        } else {
            "index.html"
        }
    }

    /// Frees every page's source text and rendered HTML: once every page and print document is
    /// written, only search is left to make, and it reads the section text and front matter.
    pub fn free_page_text(&mut self) {
        let empty: Arc<str> = Arc::from("");
        for data in self.pages.values_mut() {
            data.rendered.html = String::new();
            data.page.text = empty.clone();
        }
    }

    /// Number of pages that exist in `lang` itself (not by fallback).
    pub fn translated_count(&self, lang: &str) -> usize {
        self.keys.iter().filter(|k| self.pages.contains_key(&((*k).clone(), lang.to_string()))).count()
    }
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

    pub(crate) fn get_or_render(&self, key: &str, lang: &str, render: impl FnOnce() -> String) -> Arc<str> {
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

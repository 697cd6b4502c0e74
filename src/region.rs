//! Regional overlays: `regions/<slug>/` holds a `region.toml` (name per language, languages to
//! add, an optional default-language override, local contacts) and folders that mirror the
//! portal's (`content/`, `forms/`, `data/`, `themes/`, `i18n/`, `static/`). A file there replaces
//! the base file at the same relative path; a new file adds.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::{is_lang_code, toml_error, Config, LangText};
use crate::contacts::Contact;
use crate::diag::Diagnostic;
use crate::source::{read_text, Layers, SourceFile};

pub const REGIONS_DIR: &str = "regions";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: LangText,
    /// Languages this region adds to the portal's (e.g. `hu` in Zakarpattia).
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub default_language: Option<String>,
    /// Local contacts, merged with the national ones (same `id` replaces).
    #[serde(default)]
    pub contact: Vec<Contact>,
    #[serde(skip)]
    pub slug: String,
}

/// The slugs of every region folder with a `region.toml`, sorted.
pub fn slugs(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join(REGIONS_DIR))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("region.toml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

pub fn dir(root: &Path, slug: &str) -> PathBuf {
    root.join(REGIONS_DIR).join(slug)
}

/// The base portal with the region's folder on top.
pub fn layers(root: &Path, slug: &str) -> Layers {
    Layers::new(root).with_overlay(&dir(root, slug), &format!("{REGIONS_DIR}/{slug}/"))
}

/// A slug names a folder of the output next to the language folders, so it must not look like one.
pub fn check_slug(slug: &str, languages: &[String]) -> Result<(), String> {
    let valid = !slug.is_empty() && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(format!("region `{slug}`: use lowercase Latin letters, digits and hyphens"));
    }
    if languages.iter().any(|l| l == slug) || ["assets", "search"].contains(&slug) {
        return Err(format!("region `{slug}` would clash with a folder of the site; choose another name"));
    }
    Ok(())
}

/// Reads `regions/<slug>/region.toml`.
pub fn load(root: &Path, slug: &str) -> Result<Region, Diagnostic> {
    let rel = format!("{REGIONS_DIR}/{slug}/region.toml");
    let abs = root.join(&rel);
    if !abs.is_file() {
        return Err(Diagnostic::file_error(&rel, format!("there is no region `{slug}`"))
            .with_help(format!("regions: {}", slugs(root).join(", "))));
    }
    let file = SourceFile { rel: rel.clone(), abs, shown: rel.clone() };
    let text = read_text(&file)?;
    let mut region: Region = toml::from_str(&text).map_err(|e| toml_error(&rel, &text, &e))?;
    region.slug = slug.to_string();
    region.contact.iter_mut().for_each(|c| c.locate(&rel, &text));
    for lang in &region.languages {
        if !is_lang_code(lang) {
            let span = crate::config::find_key(&text, "languages").unwrap_or(0..0);
            return Err(Diagnostic::at(&rel, &text, span, format!("`{lang}` is not a language code")));
        }
    }
    Ok(region)
}

/// The portal's configuration as the region sees it: its languages added, its default language,
/// and its name after the portal title.
pub fn apply(config: &mut Config, region: &Region) {
    for lang in &region.languages {
        if !config.languages.contains(lang) {
            config.languages.push(lang.clone());
        }
    }
    if let Some(d) = &region.default_language {
        if config.languages.contains(d) {
            config.default_language = d.clone();
            config.languages.retain(|l| l != d);
            config.languages.insert(0, d.clone());
        }
    }
    let langs = config.languages.clone();
    let base_titles = config.title.clone();
    for lang in &langs {
        let name =
            region.name.get(lang).or_else(|| region.name.get(&config.default_language)).cloned().unwrap_or_default();
        let base = config.text(&base_titles, lang).to_string();
        config.title.insert(lang.clone(), if name.is_empty() { base } else { format!("{base} · {name}") });
    }
}

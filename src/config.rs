//! `portal.toml`: the site's configuration. Parsed strictly (unknown keys are errors, so a typo
//! never silently changes nothing) and then checked into a resolved [`Config`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::Diagnostic;

/// Text given once per language, e.g. `title = { uk = "…", en = "…" }`.
pub type LangText = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: LangText,
    #[serde(default)]
    description: LangText,
    #[serde(default)]
    languages: Option<Vec<String>>,
    #[serde(default)]
    default_language: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    pretty_urls: bool,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    content: ContentConfig,
    #[serde(default)]
    contacts: ContactsConfig,
    #[serde(default)]
    output: OutputConfig,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Write `.gz` and `.br` copies beside text files, for hosts that serve them as they are.
    #[serde(default)]
    pub precompress: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// Raw HTML in Markdown is an error unless this is set; then it is sanitised.
    #[serde(default)]
    pub allow_html: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactsConfig {
    /// A contact checked longer ago than this is a warning in `oberih check`.
    #[serde(default = "default_max_age")]
    pub max_age_days: u32,
}

impl Default for ContactsConfig {
    fn default() -> Self {
        ContactsConfig { max_age_days: default_max_age() }
    }
}

fn default_max_age() -> u32 {
    365
}

/// The checked configuration the rest of the build reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: LangText,
    pub description: LangText,
    /// Languages in display order; the default language first.
    pub languages: Vec<String>,
    pub default_language: String,
    pub base_url: Option<String>,
    pub pretty_urls: bool,
    pub theme: String,
    pub content: ContentConfig,
    pub contacts: ContactsConfig,
    pub output: OutputConfig,
    pub extra: toml::Table,
}

pub const CONFIG_FILE: &str = "portal.toml";

impl Config {
    /// Parses and checks `portal.toml`; every problem is a diagnostic at its position.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(CONFIG_FILE, text, &e)])?;
        let mut problems = Vec::new();
        let languages = raw.languages.unwrap_or_else(|| vec!["uk".into(), "en".into()]);
        let default_language =
            raw.default_language.unwrap_or_else(|| languages.first().cloned().unwrap_or_else(|| "uk".into()));
        for lang in &languages {
            if !is_lang_code(lang) {
                problems.push(key_error(text, "languages", format!("`{lang}` is not a language code")));
            }
        }
        if !languages.contains(&default_language) {
            problems.push(key_error(
                text,
                "default_language",
                format!("default language `{default_language}` is not in `languages`"),
            ));
        }
        for lang in &languages {
            if !raw.title.contains_key(lang) {
                problems.push(
                    key_error(text, "title", format!("the title has no `{lang}` text"))
                        .with_help(format!("add `{lang} = \"…\"` to `title`")),
                );
            }
        }
        if let Some(url) = &raw.base_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                problems.push(key_error(text, "base_url", "base_url must start with https:// or http://"));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut ordered = vec![default_language.clone()];
        ordered.extend(languages.into_iter().filter(|l| *l != default_language));
        Ok(Config {
            title: raw.title,
            description: raw.description,
            languages: ordered,
            default_language,
            base_url: raw.base_url.map(|u| u.trim_end_matches('/').to_string()),
            pretty_urls: raw.pretty_urls,
            theme: raw.theme.unwrap_or_else(|| "default".into()),
            content: raw.content,
            contacts: raw.contacts,
            output: raw.output,
            extra: raw.extra,
        })
    }

    /// Text in `lang`, falling back to the default language.
    pub fn text<'a>(&'a self, t: &'a LangText, lang: &str) -> &'a str {
        t.get(lang).or_else(|| t.get(&self.default_language)).map(String::as_str).unwrap_or("")
    }
}

/// A language code as used in paths: `uk`, `en`, `crh`, `pt-BR`.
pub fn is_lang_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A TOML parse error as a positioned diagnostic.
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    match e.span() {
        Some(span) => Diagnostic::at(file, text, span, message),
        None => Diagnostic::file_error(file, message),
    }
}

/// Points at the line that defines `key`, or at the file when it is absent.
fn key_error(text: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    match find_key(text, key) {
        Some(span) => Diagnostic::at(CONFIG_FILE, text, span, message),
        None => Diagnostic::file_error(CONFIG_FILE, message),
    }
}

/// Byte span of `key` where it starts a line (`key =` or `key=`).
pub fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(offset + indent..offset + indent + key.len());
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_language_goes_first() {
        let c = Config::parse(
            "title = {uk = \"О\", en = \"O\"}\nlanguages = [\"en\", \"uk\"]\ndefault_language = \"uk\"\n",
        )
        .unwrap();
        assert_eq!(c.languages, ["uk", "en"]);
    }

    #[test]
    fn unknown_key_is_positioned() {
        let err = Config::parse("title = {uk = \"О\", en = \"O\"}\nlanguagez = []\n").unwrap_err();
        let loc = err[0].location.clone().unwrap();
        assert_eq!((loc.line, loc.col), (2, 1));
        assert!(err[0].message.contains("languagez"), "{}", err[0].message);
    }

    #[test]
    fn missing_title_language_is_an_error() {
        let err = Config::parse("title = {uk = \"О\"}\n").unwrap_err();
        assert!(err[0].message.contains("`en`"));
    }
}

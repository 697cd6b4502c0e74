//! User-interface strings per language with CLDR plural categories.
//!
//! Catalogs are TOML files in the theme's `i18n/` folder named `<lang>.toml` or `<part>.<lang>.toml`;
//! nested tables flatten to dotted keys (`[nav] next = "…"` → `nav.next`). A plural entry is a table
//! of CLDR categories (`one`, `few`, `many`, `other`, …) whose text may contain `{n}`. The category
//! for a number comes from CLDR data (`intl_pluralrules`), never from hand-written rules.

use std::collections::BTreeMap;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

use crate::diag::Diagnostic;

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// All catalogs of a build.
#[derive(Debug, Default, Clone)]
pub struct I18n {
    default_language: String,
    catalogs: BTreeMap<String, BTreeMap<String, Entry>>,
}

impl I18n {
    pub fn new(default_language: &str) -> Self {
        I18n { default_language: default_language.to_string(), catalogs: BTreeMap::new() }
    }

    /// The language a catalog file belongs to, from its name.
    pub fn file_language(file_name: &str) -> Option<&str> {
        let stem = file_name.strip_suffix(".toml")?;
        Some(stem.rsplit_once('.').map_or(stem, |(_, lang)| lang))
    }

    /// Adds one catalog file; later files override earlier keys.
    pub fn add_file(&mut self, shown: &str, lang: &str, text: &str) -> Result<(), Diagnostic> {
        let table: toml::Table = toml::from_str(text).map_err(|e| crate::config::toml_error(shown, text, &e))?;
        let catalog = self.catalogs.entry(lang.to_string()).or_default();
        flatten("", &table, catalog).map_err(|key| {
            let span = crate::config::find_key(text, key.rsplit('.').next().unwrap_or(&key)).unwrap_or(0..0);
            Diagnostic::at(shown, text, span, format!("`{key}` must be a string or a table of plural forms"))
        })
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.catalogs.keys().map(String::as_str)
    }

    pub fn keys(&self, lang: &str) -> Vec<&str> {
        self.catalogs.get(lang).map(|c| c.keys().map(String::as_str).collect()).unwrap_or_default()
    }

    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.catalogs.get(lang).is_some_and(|c| c.contains_key(key))
    }

    fn entry(&self, lang: &str, key: &str) -> Option<&Entry> {
        self.catalogs
            .get(lang)
            .and_then(|c| c.get(key))
            .or_else(|| self.catalogs.get(&self.default_language).and_then(|c| c.get(key)))
    }

    /// The text for `key` in `lang`, else in the default language, else the key itself
    /// (coverage checks report missing keys; a page never shows an empty label).
    pub fn t(&self, lang: &str, key: &str) -> String {
        match self.entry(lang, key) {
            Some(Entry::Text(s)) => s.clone(),
            Some(Entry::Plural(forms)) => forms.get("other").cloned().unwrap_or_default(),
            None => key.to_string(),
        }
    }

    /// Whether `key` is shown in the default language when asked for in `lang`.
    pub fn falls_back(&self, lang: &str, key: &str) -> bool {
        lang != self.default_language && !self.has(lang, key) && self.has(&self.default_language, key)
    }

    /// [`I18n::t`] for a page: a string shown in the default language is marked as such
    /// ([`crate::fallback`]), so the finished page says which language it is in.
    pub fn t_marked(&self, lang: &str, key: &str) -> String {
        self.marked(lang, key, self.t(lang, key))
    }

    /// [`I18n::plural`] for a page, marked like [`I18n::t_marked`].
    pub fn plural_marked(&self, lang: &str, key: &str, n: u64) -> String {
        self.marked(lang, key, self.plural(lang, key, n))
    }

    fn marked(&self, lang: &str, key: &str, text: String) -> String {
        if self.falls_back(lang, key) {
            crate::fallback::mark(&self.default_language, &text)
        } else {
            text
        }
    }

    /// The plural form of `key` for `n` in `lang`, with `{n}` replaced.
    pub fn plural(&self, lang: &str, key: &str, n: u64) -> String {
        let text = match self.entry(lang, key) {
            Some(Entry::Plural(forms)) => {
                let cat = plural_category(lang, n);
                forms.get(cat).or_else(|| forms.get("other")).cloned().unwrap_or_default()
            }
            Some(Entry::Text(s)) => s.clone(),
            None => key.to_string(),
        };
        text.replace("{n}", &n.to_string())
    }

    /// One plural form as written (with `{n}` left in), for the browser to fill in.
    pub fn plural_form(&self, lang: &str, key: &str, category: &str) -> String {
        match self.entry(lang, key) {
            Some(Entry::Plural(forms)) => {
                forms.get(category).or_else(|| forms.get("other")).cloned().unwrap_or_default()
            }
            Some(Entry::Text(s)) => s.clone(),
            None => key.to_string(),
        }
    }

    /// Plural keys whose forms miss a category the language needs.
    pub fn missing_plural_forms(&self, lang: &str) -> Vec<(String, Vec<&'static str>)> {
        let needed = plural_categories(lang);
        let mut out = Vec::new();
        for (key, entry) in self.catalogs.get(lang).into_iter().flatten() {
            if let Entry::Plural(forms) = entry {
                let missing: Vec<&'static str> = needed.iter().copied().filter(|c| !forms.contains_key(*c)).collect();
                if !missing.is_empty() {
                    out.push((key.clone(), missing));
                }
            }
        }
        out
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, Entry>) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::String(s) => {
                out.insert(key, Entry::Text(s.clone()));
            }
            toml::Value::Table(t) if is_plural_table(t) => {
                let forms = t.iter().filter_map(|(c, v)| v.as_str().map(|s| (c.clone(), s.to_string()))).collect();
                out.insert(key, Entry::Plural(forms));
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(key),
        }
    }
    Ok(())
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn is_plural_table(t: &toml::Table) -> bool {
    t.contains_key("other") && t.iter().all(|(k, v)| CATEGORIES.contains(&k.as_str()) && v.is_str())
}

fn rules(lang: &str) -> Option<PluralRules> {
    let id: LanguageIdentifier = lang.parse().ok()?;
    PluralRules::create(id, PluralRuleType::CARDINAL).ok()
}

/// The CLDR cardinal category of `n` in `lang` (`other` for unknown languages).
pub fn plural_category(lang: &str, n: u64) -> &'static str {
    match rules(lang).and_then(|r| r.select(n).ok()) {
        Some(PluralCategory::ZERO) => "zero",
        Some(PluralCategory::ONE) => "one",
        Some(PluralCategory::TWO) => "two",
        Some(PluralCategory::FEW) => "few",
        Some(PluralCategory::MANY) => "many",
        _ => "other",
    }
}

/// The categories integers can take in `lang`, found by asking CLDR about 0..=200.
pub fn plural_categories(lang: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = (0..=200).map(|n| plural_category(lang, n)).collect();
    found.sort_by_key(|c| CATEGORIES.iter().position(|x| x == c));
    found.dedup();
    found
}

/// A count as `lang` writes it for people, its digits grouped as CLDR says: `98 016` (with a
/// no-break space) in Ukrainian, `98,016` in English; a language CLDR lacks is written as English.
pub fn grouped(n: u64, lang: &str) -> String {
    use num_format::{Locale, ToFormattedString};
    let locale = Locale::from_name(lang).unwrap_or(Locale::en);
    n.to_formatted_string(&locale)
}

/// A count in the command line's English: `1 form`, `2 forms`, `0 errors`.
pub fn english_count(n: usize, one: &str, other: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {other}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> I18n {
        let mut i = I18n::new("uk");
        i.add_file(
            "uk.toml",
            "uk",
            "[count]\npages = { one = \"{n} сторінка\", few = \"{n} сторінки\", many = \"{n} сторінок\", other = \"{n} сторінки\" }\n[nav]\nnext = \"Далі\"\n",
        )
        .unwrap();
        i.add_file("en.toml", "en", "[count]\npages = { one = \"{n} page\", other = \"{n} pages\" }\n").unwrap();
        i
    }

    #[test]
    fn counts_are_grouped_as_each_language_writes_them() {
        assert_eq!(grouped(527, "uk"), "527");
        assert_eq!(grouped(1547, "uk"), "1\u{a0}547");
        assert_eq!(grouped(98_016, "uk"), "98\u{a0}016");
        assert_eq!(grouped(1_234_567, "uk"), "1\u{a0}234\u{a0}567");
        assert_eq!(grouped(98_016, "en"), "98,016");
        assert_eq!(grouped(98_016, "de"), "98.016");
        assert_eq!(grouped(98_016, "xx-unknown"), "98,016");
    }

    #[test]
    fn ukrainian_plurals() {
        let i = catalog();
        let got: Vec<String> =
            [1, 3, 5, 11, 21, 22, 25, 101, 111].iter().map(|n| i.plural("uk", "count.pages", *n)).collect();
        assert_eq!(
            got,
            [
                "1 сторінка",
                "3 сторінки",
                "5 сторінок",
                "11 сторінок",
                "21 сторінка",
                "22 сторінки",
                "25 сторінок",
                "101 сторінка",
                "111 сторінок"
            ]
        );
        assert_eq!(i.plural("en", "count.pages", 1), "1 page");
        assert_eq!(i.plural("en", "count.pages", 2), "2 pages");
    }

    #[test]
    fn missing_key_falls_back_to_default_language() {
        assert_eq!(catalog().t("en", "nav.next"), "Далі");
    }

    #[test]
    fn a_string_in_the_default_language_is_marked_for_pages() {
        let i = catalog();
        assert_eq!(i.t_marked("en", "nav.next"), crate::fallback::mark("uk", "Далі"));
        assert_eq!(i.t_marked("uk", "nav.next"), "Далі");
        assert_eq!(i.plural_marked("en", "count.pages", 2), "2 pages");
        assert_eq!(i.t_marked("en", "no.such.key"), "no.such.key", "a missing key is not a translation");
    }

    #[test]
    fn categories_come_from_cldr() {
        assert_eq!(plural_categories("uk"), ["one", "few", "many"]);
        assert!(plural_categories("uk").contains(&"few"));
        assert_eq!(plural_categories("en"), ["one", "other"]);
        assert_eq!(plural_categories("hu"), ["one", "other"]);
    }

    #[test]
    fn missing_categories_are_found() {
        let mut i = I18n::new("uk");
        i.add_file("uk.toml", "uk", "n = { one = \"a\", other = \"b\" }\n").unwrap();
        assert_eq!(i.missing_plural_forms("uk"), [("n".to_string(), vec!["few", "many"])]);
    }

    #[test]
    fn english_counts() {
        assert_eq!(english_count(1, "form", "forms"), "1 form");
        assert_eq!(english_count(0, "error", "errors"), "0 errors");
        assert_eq!(english_count(21, "page", "pages"), "21 pages");
    }
}

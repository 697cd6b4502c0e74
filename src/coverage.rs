//! Translation coverage per language: guidance pages, standards, form texts, interface strings
//! and contacts, with what is missing — for `oberih check --translations`. Whatever is missing is
//! what a reader of that language sees in the default language.

use serde::Serialize;

use crate::site::Site;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Part {
    pub translated: usize,
    pub total: usize,
    pub missing: Vec<String>,
}

impl Part {
    pub fn percent(&self) -> usize {
        (self.translated * 100).checked_div(self.total).unwrap_or(100)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LangCoverage {
    pub lang: String,
    pub pages: Part,
    pub standards: Part,
    pub form_strings: Part,
    pub ui_strings: Part,
    pub contacts: Part,
}

pub fn report(site: &Site) -> Vec<LangCoverage> {
    site.config.languages.iter().map(|lang| language(site, lang)).collect()
}

fn content_part(site: &Site, lang: &str, standards: bool) -> Part {
    let keys: Vec<&String> = site.keys.iter().filter(|k| k.starts_with("standards/") == standards).collect();
    let missing: Vec<String> = keys
        .iter()
        .filter(|k| !site.pages.contains_key(&((**k).clone(), lang.to_string())))
        .map(|k| site.page_for(k, lang).map(|(d, _)| d.page.file.shown.clone()).unwrap_or_else(|| k.to_string()))
        .collect();
    Part { translated: keys.len() - missing.len(), total: keys.len(), missing }
}

fn language(site: &Site, lang: &str) -> LangCoverage {
    let default = &site.config.default_language;
    let ui_keys = site.i18n.keys(default);
    let ui_missing: Vec<String> = ui_keys.iter().filter(|k| !site.i18n.has(lang, k)).map(|k| k.to_string()).collect();
    let mut forms = Part { translated: 0, total: 0, missing: Vec::new() };
    for form in &site.forms {
        let (have, all, missing) = crate::forms::translations::coverage(form, lang);
        forms.translated += have;
        forms.total += all;
        forms.missing.extend(missing.into_iter().map(|key| format!("forms/{}.{lang}.toml: {key}", form.id)));
    }
    LangCoverage {
        lang: lang.to_string(),
        pages: content_part(site, lang, false),
        standards: content_part(site, lang, true),
        form_strings: forms,
        ui_strings: Part { translated: ui_keys.len() - ui_missing.len(), total: ui_keys.len(), missing: ui_missing },
        contacts: contacts_part(site, lang),
    }
}

/// Contacts' texts (name, address, hours, note) in `lang`; a missing one is named `id: field`.
fn contacts_part(site: &Site, lang: &str) -> Part {
    let contacts = &site.contacts.contacts;
    let total = contacts.iter().map(crate::contacts::text_count).sum();
    let missing: Vec<String> = contacts
        .iter()
        .flat_map(|c| {
            crate::contacts::missing_texts(c, lang).into_iter().map(move |field| format!("{}: {field}", c.id))
        })
        .collect();
    Part { translated: total - missing.len(), total, missing }
}

/// The report as text: one line per language, then what is missing.
pub fn to_text(report: &[LangCoverage]) -> String {
    let mut out = String::new();
    for c in report {
        let parts = [
            ("pages", &c.pages),
            ("standards", &c.standards),
            ("form texts", &c.form_strings),
            ("UI strings", &c.ui_strings),
            ("contacts", &c.contacts),
        ];
        let summary: Vec<String> =
            parts.iter().map(|(n, p)| format!("{n} {}/{} ({} %)", p.translated, p.total, p.percent())).collect();
        out.push_str(&format!("{}: {}\n", c.lang, summary.join(" · ")));
        for (name, p) in parts {
            for m in &p.missing {
                out.push_str(&format!("  missing {name}: {m}\n"));
            }
        }
    }
    out
}

//! Help contacts (`data/contacts.toml`): every phone number the portal shows lives here, with the
//! source it was confirmed from and the date it was checked, and is rendered from here only.

use serde::Deserialize;

use crate::config::LangText;
use crate::diag::Diagnostic;
use crate::html::escape;

pub const CONTACTS_FILE: &str = "data/contacts.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Hotline,
    Police,
    SocialServices,
    Shelter,
    LegalAid,
    Health,
    Ngo,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Hotline => "hotline",
            Kind::Police => "police",
            Kind::SocialServices => "social_services",
            Kind::Shelter => "shelter",
            Kind::LegalAid => "legal_aid",
            Kind::Health => "health",
            Kind::Ngo => "ngo",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: String,
    pub kind: Kind,
    pub name: LangText,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<LangText>,
    #[serde(default)]
    pub hours: Option<LangText>,
    #[serde(default)]
    pub note: Option<LangText>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub verified_on: Option<toml::value::Datetime>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactsFile {
    #[serde(default)]
    contact: Vec<Contact>,
}

/// All contacts of a build, in file order (base first, then a region's).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub contacts: Vec<Contact>,
}

impl Directory {
    /// Parses one contacts file; a later file's entry with the same id replaces the earlier one.
    pub fn add_file(&mut self, shown: &str, text: &str) -> Result<(), Diagnostic> {
        let file: ContactsFile = toml::from_str(text).map_err(|e| crate::config::toml_error(shown, text, &e))?;
        self.merge(file.contact);
        Ok(())
    }

    /// Adds contacts; one with an id already present replaces the earlier entry.
    pub fn merge(&mut self, contacts: Vec<Contact>) {
        for c in contacts {
            match self.contacts.iter_mut().find(|x| x.id == c.id) {
                Some(existing) => *existing = c,
                None => self.contacts.push(c),
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// The contact whose number has these digits (run together).
    pub fn by_digits(&self, digits: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.phone.as_deref().is_some_and(|p| crate::phones::digits(p) == digits))
    }

    pub fn of_kind(&self, kind: Option<Kind>) -> Vec<&Contact> {
        self.contacts.iter().filter(|c| kind.is_none_or(|k| c.kind == k)).collect()
    }

    /// Contacts without a source, or checked more than `max_age_days` before `today` (days since
    /// 1970-01-01).
    pub fn stale(&self, today: i64, max_age_days: u32) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for c in &self.contacts {
            if c.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
                out.push((c.id.clone(), "has no `source`".to_string()));
            }
            match c.verified_on.as_ref().and_then(|d| d.date) {
                None => out.push((c.id.clone(), "has no `verified_on` date".to_string())),
                Some(d) => {
                    let checked = crate::dates::days(d.year as i64, d.month as i64, d.day as i64);
                    if today - checked > max_age_days as i64 {
                        out.push((
                            c.id.clone(),
                            format!("was last verified on {d}, more than {max_age_days} days ago"),
                        ));
                    }
                }
            }
        }
        out
    }
}

/// `0 800 505 501` → `tel:0800505501`.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

fn text<'a>(t: &'a LangText, lang: &str, fallback: &str) -> &'a str {
    t.get(lang).or_else(|| t.get(fallback)).map(String::as_str).unwrap_or("")
}

/// One contact inline: its name and its number as a `tel:` link.
pub fn inline_html(c: &Contact, lang: &str, fallback: &str) -> String {
    let name = escape(text(&c.name, lang, fallback));
    match &c.phone {
        Some(p) => format!(
            "<span class=\"contact\">{name}: <a class=\"phone\" href=\"{}\">{}</a></span>",
            tel_href(p),
            escape(p)
        ),
        None => format!("<span class=\"contact\">{name}</span>"),
    }
}

/// A number as plain text: as written, then its digits run together when they differ, so search
/// finds `0 800 500 335` typed either way.
fn number_text(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits == phone || digits.is_empty() {
        phone.to_string()
    } else {
        format!("{phone} ({digits})")
    }
}

/// [`inline_html`] as plain text.
pub fn inline_text(c: &Contact, lang: &str, fallback: &str) -> String {
    let name = text(&c.name, lang, fallback);
    match &c.phone {
        Some(p) => format!("{name}: {}", number_text(p)),
        None => name.to_string(),
    }
}

/// [`list_html`] as plain text.
pub fn list_text(contacts: &[&Contact], lang: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in contacts {
        out.push_str(text(&c.name, lang, fallback));
        if let Some(p) = &c.phone {
            out.push(' ');
            out.push_str(&number_text(p));
        }
        for part in [&c.hours, &c.address, &c.note].into_iter().flatten() {
            out.push_str(". ");
            out.push_str(text(part, lang, fallback));
        }
        out.push_str(". ");
    }
    out
}

/// A list of contacts with number, hours, address and note.
pub fn list_html(contacts: &[&Contact], lang: &str, fallback: &str) -> String {
    let mut out = String::from("<ul class=\"contacts\">");
    for c in contacts {
        out.push_str(&format!(
            "<li class=\"contact-card kind-{}\"><strong>{}</strong>",
            c.kind.as_str(),
            escape(text(&c.name, lang, fallback))
        ));
        if let Some(p) = &c.phone {
            out.push_str(&format!(" <a class=\"phone\" href=\"{}\">{}</a>", tel_href(p), escape(p)));
        }
        for part in [&c.hours, &c.address, &c.note].into_iter().flatten() {
            out.push_str(&format!("<br><span>{}</span>", escape(text(part, lang, fallback))));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[contact]]
id = "hotline-527"
kind = "hotline"
name = { uk = "Гаряча лінія", en = "Hotline" }
phone = "0 800 505 501"
source = "x"
verified_on = 2026-03-01
"#;

    #[test]
    fn renders_tel_links() {
        let mut d = Directory::default();
        d.add_file("data/contacts.toml", SAMPLE).unwrap();
        let html = inline_html(d.get("hotline-527").unwrap(), "en", "uk");
        assert!(html.contains("href=\"tel:0800505501\""), "{html}");
        assert!(html.contains("Hotline"));
    }

    #[test]
    fn stale_contacts_are_found() {
        let mut d = Directory::default();
        d.add_file("data/contacts.toml", SAMPLE).unwrap();
        assert!(d.stale(crate::dates::days(2026, 6, 1), 365).is_empty());
        assert_eq!(d.stale(crate::dates::days(2027, 6, 1), 365).len(), 1);
    }
}

//! Help contacts (`data/contacts.toml`): every phone number the portal shows lives here, with the
//! source it was confirmed from and the date it was checked, and is rendered from here only.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::config::LangText;
use crate::diag::{locate, Diagnostic, Location};
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
#[serde(from = "RawContact")]
pub struct Contact {
    pub id: String,
    pub kind: Kind,
    pub name: LangText,
    pub phone: Option<String>,
    pub address: Option<LangText>,
    pub hours: Option<LangText>,
    pub note: Option<LangText>,
    pub area: Option<String>,
    pub source: Option<String>,
    pub verified_on: Option<toml::value::Datetime>,
    /// Where the entry is written, once its file is known ([`Contact::locate`]).
    pub written: Option<Box<Written>>,
    spans: Spans,
}

/// The lines of an entry that warnings point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: Location,
    pub phone: Option<Location>,
    pub source: Option<Location>,
    pub verified_on: Option<Location>,
}

/// Byte ranges of an entry's values in its file.
#[derive(Debug, Clone, Default)]
struct Spans {
    id: Range<usize>,
    phone: Option<Range<usize>>,
    source: Option<Range<usize>>,
    verified_on: Option<Range<usize>>,
}

/// An entry as written, with the places of the values warnings point at.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    id: Spanned<String>,
    kind: Kind,
    name: LangText,
    #[serde(default)]
    phone: Option<Spanned<String>>,
    #[serde(default)]
    address: Option<LangText>,
    #[serde(default)]
    hours: Option<LangText>,
    #[serde(default)]
    note: Option<LangText>,
    #[serde(default)]
    area: Option<String>,
    #[serde(default)]
    source: Option<Spanned<String>>,
    #[serde(default)]
    verified_on: Option<Spanned<toml::value::Datetime>>,
}

impl From<RawContact> for Contact {
    fn from(raw: RawContact) -> Self {
        let spans = Spans {
            id: raw.id.span(),
            phone: raw.phone.as_ref().map(Spanned::span),
            source: raw.source.as_ref().map(Spanned::span),
            verified_on: raw.verified_on.as_ref().map(Spanned::span),
        };
        Contact {
            id: raw.id.into_inner(),
            kind: raw.kind,
            name: raw.name,
            phone: raw.phone.map(Spanned::into_inner),
            address: raw.address,
            hours: raw.hours,
            note: raw.note,
            area: raw.area,
            source: raw.source.map(Spanned::into_inner),
            verified_on: raw.verified_on.map(Spanned::into_inner),
            written: None,
            spans,
        }
    }
}

impl Contact {
    /// Records where the entry is written: `text` is the whole of `file`, which it was read from.
    pub fn locate(&mut self, file: &str, text: &str) {
        let at = |span: &Range<usize>| locate(file, text, span.clone());
        self.written = Some(Box::new(Written {
            id: at(&self.spans.id),
            phone: self.spans.phone.as_ref().map(at),
            source: self.spans.source.as_ref().map(at),
            verified_on: self.spans.verified_on.as_ref().map(at),
        }));
    }

    /// An invented entry waiting for a checked one: its `source` starts with "placeholder", or its
    /// number is no real number ([`placeholder_number`]).
    pub fn is_placeholder(&self) -> bool {
        self.placeholder_source() || self.phone.as_deref().is_some_and(placeholder_number)
    }

    fn placeholder_source(&self) -> bool {
        self.source.as_deref().is_some_and(|s| s.trim_start().to_lowercase().starts_with("placeholder"))
    }
}

/// A number nobody can call: no digits, an `x` for a digit, its last six digits all zero
/// (`000 000 000`, `0 800 000 000`), or one digit five times or more (`11111`).
pub fn placeholder_number(phone: &str) -> bool {
    let digits = digits(phone);
    let zeros = digits.len() >= 6 && digits.bytes().rev().take(6).all(|b| b == b'0');
    let one_digit = digits.len() >= 5 && digits.bytes().all(|b| Some(b) == digits.bytes().next());
    digits.is_empty() || phone.contains(['x', 'X']) || zeros || one_digit
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
    /// A contacts file that failed to load (as shown in messages): an unknown id may be in it.
    pub unloaded: Option<String>,
}

impl Directory {
    /// Parses one contacts file; a later file's entry with the same id replaces the earlier one.
    pub fn add_file(&mut self, shown: &str, text: &str) -> Result<(), Diagnostic> {
        let mut file: ContactsFile = toml::from_str(text).map_err(|e| crate::config::toml_error(shown, text, &e))?;
        file.contact.iter_mut().for_each(|c| c.locate(shown, text));
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

    /// What an unknown contact id follows from, if a contacts file failed to load.
    pub fn incomplete(&self, d: Diagnostic) -> Diagnostic {
        match &self.unloaded {
            Some(file) => d.follows(file, "use of contacts", "uses of contacts"),
            None => d,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// The contact whose number has these digits (run together).
    pub fn by_digits(&self, digits: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.phone.as_deref().is_some_and(|p| self::digits(p) == digits))
    }

    pub fn of_kind(&self, kind: Option<Kind>) -> Vec<&Contact> {
        self.contacts.iter().filter(|c| kind.is_none_or(|k| c.kind == k)).collect()
    }

    /// Placeholder contacts, in file order.
    pub fn placeholders(&self) -> impl Iterator<Item = &Contact> {
        self.contacts.iter().filter(|c| c.is_placeholder())
    }

    /// What is doubtful about the contacts, as warnings at the line of each entry: a placeholder,
    /// no source, no date, a date in the future, or one more than `max_age_days` before `today`
    /// (days since 1970-01-01).
    pub fn warnings(&self, today: i64, max_age_days: u32) -> Vec<Diagnostic> {
        self.contacts.iter().flat_map(|c| c.doubts(today, max_age_days)).collect()
    }
}

impl Contact {
    /// [`Directory::warnings`] of one entry.
    fn doubts(&self, today: i64, max_age_days: u32) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let written = self.written.as_deref();
        // At the value in question, else at the entry's id, else (an entry made in code) the file.
        let warn = |at: Option<&Location>, message: String, help: &str| {
            let d = match at.or(written.map(|w| &w.id)) {
                Some(loc) => Diagnostic::at_location(loc.clone(), message),
                None => Diagnostic::file_error(CONTACTS_FILE, message),
            };
            d.with_help(help).warning()
        };
        let id = &self.id;
        if self.is_placeholder() {
            let (at, why) = match &self.phone {
                Some(p) if placeholder_number(p) => {
                    (written.and_then(|w| w.phone.as_ref()), format!("`{p}` is not a number anyone can call"))
                }
                _ => (written.and_then(|w| w.source.as_ref()), "its `source` says so".to_string()),
            };
            let help = "replace it with a checked contact (number, `source`, `verified_on`) or delete it; \
                        `oberih pack` refuses placeholders unless given --allow-placeholders";
            out.push(warn(at, format!("contact `{id}` is a placeholder: {why}"), help));
        }
        let check = "check the number with its source and update `source` and `verified_on`";
        if self.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push(warn(None, format!("contact `{id}` has no `source`"), check));
        }
        let Some(d) = self.verified_on.as_ref().and_then(|d| d.date) else {
            out.push(warn(None, format!("contact `{id}` has no `verified_on` date"), check));
            return out;
        };
        let checked = crate::dates::days(d.year as i64, d.month as i64, d.day as i64);
        let at = written.and_then(|w| w.verified_on.as_ref());
        if checked > today {
            let message = format!("contact `{id}` was verified on {d}, a date in the future");
            out.push(warn(at, message, "write the date the number was last checked against its source"));
        } else if today - checked > max_age_days as i64 {
            let message = format!("contact `{id}` was last verified on {d}, more than {max_age_days} days ago");
            out.push(warn(at, message, check));
        }
        out
    }
}

/// `0 800 505 501` → `tel:0800505501`.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// The text in `lang`, else the one in `fallback` marked as being in that language
/// ([`crate::fallback`]), so the page marks it with `lang`.
fn text<'a>(t: &'a LangText, lang: &str, fallback: &str) -> std::borrow::Cow<'a, str> {
    match (t.get(lang), t.get(fallback)) {
        (Some(s), _) => s.as_str().into(),
        (None, Some(s)) => crate::fallback::mark(fallback, s).into(),
        (None, None) => "".into(),
    }
}

/// A contact's text in `lang`, or in `fallback` unmarked: for plain text (search), where no
/// element can carry the language.
fn plain<'a>(t: &'a LangText, lang: &str, fallback: &str) -> &'a str {
    t.get(lang).or_else(|| t.get(fallback)).map_or("", String::as_str)
}

/// The texts of a contact that `lang` lacks (`name`, `address`, `hours`, `note`).
pub fn missing_texts(c: &Contact, lang: &str) -> Vec<&'static str> {
    let texts = [
        ("name", Some(&c.name)),
        ("address", c.address.as_ref()),
        ("hours", c.hours.as_ref()),
        ("note", c.note.as_ref()),
    ];
    texts.into_iter().filter(|(_, t)| t.is_some_and(|t| !t.contains_key(lang))).map(|(n, _)| n).collect()
}

/// How many texts a contact has (its name, and the address, hours and note it gives).
pub fn text_count(c: &Contact) -> usize {
    1 + [&c.address, &c.hours, &c.note].iter().filter(|t| t.is_some()).count()
}

/// A contact's number as a `tel:` link; a placeholder's as text only, so an invented number is
/// never one tap away from a call.
fn phone_html(c: &Contact, phone: &str) -> String {
    if c.is_placeholder() {
        format!("<span class=\"phone placeholder\">{}</span>", escape(phone))
    } else {
        format!("<a class=\"phone\" href=\"{}\">{}</a>", tel_href(phone), escape(phone))
    }
}

/// One contact inline: its name and its number as a `tel:` link.
pub fn inline_html(c: &Contact, lang: &str, fallback: &str) -> String {
    let name = escape(&text(&c.name, lang, fallback));
    match &c.phone {
        Some(p) => format!("<span class=\"contact\">{name}: {}</span>", phone_html(c, p)),
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
    let name = plain(&c.name, lang, fallback);
    match &c.phone {
        Some(p) => format!("{name}: {}", number_text(p)),
        None => name.to_string(),
    }
}

/// [`list_html`] as plain text.
pub fn list_text(contacts: &[&Contact], lang: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in contacts {
        out.push_str(plain(&c.name, lang, fallback));
        if let Some(p) = &c.phone {
            out.push(' ');
            out.push_str(&number_text(p));
        }
        for part in [&c.hours, &c.address, &c.note].into_iter().flatten() {
            out.push_str(". ");
            out.push_str(plain(part, lang, fallback));
        }
        out.push_str(". ");
    }
    out
}

/// A list of contacts: each card gives the name, the number on a line of its own (a large
/// `tel:` link), hours, address, note, and `verified`, with `{date}` replaced by the day the
/// number was last checked (DD.MM.YYYY), when the contact has one. The markup is lean: it is
/// repeated for every language in each questionnaire page.
pub fn list_html(contacts: &[&Contact], lang: &str, fallback: &str, verified: &str) -> String {
    let mut out = String::from("<ul class=\"contacts\">");
    for c in contacts {
        out.push_str(&format!(
            "<li class=\"contact-card kind-{}\"><strong>{}</strong>",
            c.kind.as_str(),
            escape(&text(&c.name, lang, fallback))
        ));
        if let Some(p) = &c.phone {
            out.push_str(&phone_html(c, p));
        }
        for part in [&c.hours, &c.address, &c.note].into_iter().flatten() {
            out.push_str(&format!("<span>{}</span>", escape(&text(part, lang, fallback))));
        }
        if let Some(date) = c.verified_on.as_ref().and_then(|d| d.date) {
            let day = format!("{:02}.{:02}.{}", date.day, date.month, date.year);
            out.push_str(&format!("<small>{}</small>", escape(&verified.replace("{date}", &day))));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// A contact's number alone, as a `tel:` link: for a sentence that names the service itself.
pub fn number_html(c: &Contact) -> String {
    c.phone.as_deref().map(|p| phone_html(c, p)).unwrap_or_default()
}

/// [`number_html`] as plain text.
pub fn number_only_text(c: &Contact) -> String {
    c.phone.as_deref().map(number_text).unwrap_or_default()
}

/// The digits of a phone number, run together: how numbers are compared.
pub fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
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
    fn a_card_gives_the_number_a_line_of_its_own_and_the_day_it_was_checked() {
        let mut d = Directory::default();
        d.add_file("data/contacts.toml", SAMPLE).unwrap();
        let c = d.get("hotline-527").unwrap();
        let html = list_html(&[c], "uk", "uk", "перевірено {date}");
        let doc = scraper::Html::parse_fragment(&html);
        let one = |css: &str| {
            let sel = scraper::Selector::parse(css).unwrap();
            doc.select(&sel).map(|e| e.text().collect::<String>()).collect::<Vec<_>>()
        };
        assert_eq!(one("li > a.phone"), ["0 800 505 501"], "{html}");
        assert_eq!(one("li > small"), ["перевірено 01.03.2026"], "{html}");
        assert_eq!(number_html(c), "<a class=\"phone\" href=\"tel:0800505501\">0 800 505 501</a>");
    }

    #[test]
    fn doubtful_contacts_are_warned_about_at_their_lines() {
        let mut d = Directory::default();
        d.add_file("data/contacts.toml", SAMPLE).unwrap();
        assert!(d.warnings(crate::dates::days(2026, 6, 1), 365).is_empty());
        let old = d.warnings(crate::dates::days(2027, 6, 1), 365);
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].location.as_ref().map(|l| (l.line, l.col)), Some((8, 15)), "{}", old[0]);
        let future = d.warnings(crate::dates::days(2026, 2, 1), 365);
        assert!(future[0].message.contains("in the future"), "{}", future[0]);
    }

    #[test]
    fn placeholders_are_known_by_their_source_or_number() {
        for p in ["000 000 000", "0 800 000 000", "000 000", "11111", "0 800 XXX XXX", "—"] {
            assert!(placeholder_number(p), "{p}");
        }
        for p in ["102", "112", "1547", "116 111", "0 800 500 335", "+380 44 284 19 15", "000", "0 800 111 111"] {
            assert!(!placeholder_number(p), "{p}");
        }
        let mut d = Directory::default();
        d.add_file("data/contacts.toml", &SAMPLE.replace("source = \"x\"", "source = \" Placeholder: replace\""))
            .unwrap();
        let c = d.get("hotline-527").unwrap();
        assert!(c.is_placeholder());
        let html = inline_html(c, "en", "uk");
        assert!(!html.contains("tel:") && html.contains("0 800 505 501"), "{html}");
        let w = d.warnings(crate::dates::days(2026, 6, 1), 365);
        assert_eq!(w[0].location.as_ref().map(|l| l.line), Some(7), "{}", w[0]);
    }

    #[test]
    fn search_text_has_the_number_as_written_and_as_digits() {
        let mut d = Directory::default();
        d.add_file("data/contacts.toml", SAMPLE).unwrap();
        assert_eq!(inline_text(d.get("hotline-527").unwrap(), "uk", "uk"), "Гаряча лінія: 0 800 505 501 (0800505501)");
    }
}

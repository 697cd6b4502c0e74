//! Resolving the links authors write — `page.md`, `../section/_index.md#anchor`, `std:ID-2.1#a`,
//! `form:initial-screening`, `https://…` — into relative hrefs that work from any host and from
//! `file://`, and refusing the ones that would break or endanger a reader.

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::contacts::{self, Directory, Kind};
use crate::markdown::shortcodes::Shortcode;
use crate::markdown::{Problem, Resolved, Resolver, Snippet};
use crate::phones;
use crate::standards::{self, Registry};

/// How hrefs are written: normal pages link files; the single-document print links anchors;
/// the standards compendium links the standards it holds as anchors and the rest as files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pages { pretty_urls: bool },
    Print,
    Compendium { pretty_urls: bool },
}

pub struct Links<'a> {
    /// Every page key that exists in some language.
    pub keys: &'a BTreeSet<String>,
    pub standards: &'a Registry,
    pub forms: &'a BTreeSet<String>,
    pub contacts: &'a Directory,
    pub statistics: &'a crate::statistics::Statistics,
    /// The linking page's key and its source folder inside `content/`.
    pub from_key: &'a str,
    pub from_dir: &'a str,
    pub lang: &'a str,
    pub default_language: &'a str,
    pub mode: Mode,
    /// Standards this page links to with `std:` (for backlinks).
    pub cited: RefCell<BTreeSet<String>>,
    /// Contacts this page uses that could not be checked, as (span, message), because a contacts
    /// file did not load: reported as following from that file, not as errors of their own.
    pub unchecked: RefCell<Vec<(std::ops::Range<usize>, String)>>,
    /// How a contact card says when its number was checked, in `lang`, `{date}` to fill in.
    pub verified: String,
}

const DANGEROUS: [&str; 4] = ["javascript:", "data:", "vbscript:", "file:"];

impl Resolver for Links<'_> {
    fn resolve(&self, dest: &str) -> Result<Resolved, (String, Option<String>)> {
        let lower = dest.trim().to_ascii_lowercase();
        let compact: String = lower.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
        if let Some(s) = DANGEROUS.iter().find(|s| compact.starts_with(*s)) {
            return Err((
                format!("`{s}` links are not allowed"),
                Some("link to a page of the portal or to an https:// address".into()),
            ));
        }
        if lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
        {
            return Ok(Resolved { href: dest.to_string(), external: true, check: None });
        }
        if let Some(r) = dest.strip_prefix("std:") {
            return self.standard(r);
        }
        if let Some(id) = dest.strip_prefix("form:") {
            return self.form(id);
        }
        if dest.starts_with('/') {
            return Err((
                "a link starting with `/` breaks when the portal is opened from disk or under a sub-path".into(),
                Some("link to the Markdown file by its relative path, e.g. `../section/page.md`".into()),
            ));
        }
        if let Some(frag) = dest.strip_prefix('#') {
            return Ok(Resolved {
                href: self.anchor(self.from_key, Some(frag)),
                external: false,
                check: Some((String::new(), frag.to_string())),
            });
        }
        if dest.contains(':') {
            return Err((
                format!("unknown link scheme in `{dest}`"),
                Some("use https://, mailto:, tel:, std:, form: or a relative .md path".into()),
            ));
        }
        self.page(dest)
    }

    fn shortcode(&self, code: &Shortcode) -> Result<Snippet, String> {
        let (lang, fallback) = (self.lang, self.default_language);
        match code.name.as_str() {
            // `phone`: the number alone, for a sentence that names the service in its own words.
            name @ ("contact" | "phone") => {
                let id = code.arg("id").ok_or_else(|| format!("`{name}` needs an id: {{{{ {name}(id=\"…\") }}}}"))?;
                let message = || format!("unknown contact `{id}` (see data/contacts.toml)");
                match self.contacts.get(id) {
                    Some(c) if name == "phone" => Ok(Snippet {
                        html: contacts::number_html(c),
                        block: false,
                        text: contacts::number_only_text(c),
                    }),
                    Some(c) => Ok(Snippet {
                        html: contacts::inline_html(c, lang, fallback),
                        block: false,
                        text: contacts::inline_text(c, lang, fallback),
                    }),
                    None if self.contacts.unloaded.is_some() => {
                        self.unchecked.borrow_mut().push((code.span.clone(), message()));
                        Ok(Snippet { html: String::new(), block: false, text: String::new() })
                    }
                    None => Err(message()),
                }
            }
            "contacts" => {
                let kind = match code.arg("kind") {
                    None => None,
                    Some(k) => Some(parse_kind(k)?),
                };
                let list = self.contacts.of_kind(kind);
                Ok(Snippet {
                    html: contacts::list_html(&list, lang, fallback, &self.verified),
                    block: true,
                    text: contacts::list_text(&list, lang, fallback),
                })
            }
            "statistics" => {
                let id = code.arg("table").ok_or("`statistics` needs a table: {{ statistics(table=\"…\") }}")?;
                match self.statistics.render(id, lang) {
                    Ok((html, text)) => Ok(Snippet { html, block: true, text }),
                    // The file that failed to load is reported; this use follows from it.
                    Err(_) if self.statistics.unloaded.is_some() => {
                        Ok(Snippet { html: String::new(), block: true, text: String::new() })
                    }
                    Err(message) => Err(message),
                }
            }
            other => Err(format!("unknown shortcode `{other}` (known: contact, phone, contacts, statistics)")),
        }
    }

    /// A phone number typed into the text instead of a contact shortcode.
    fn prose(&self, text: &str) -> Vec<Problem> {
        let known = |d: &str| self.contacts.by_digits(d).is_some();
        phones::typed_numbers(text, &known)
            .into_iter()
            .map(|span| {
                let number = &text[span.clone()];
                let contact = self.contacts.by_digits(&contacts::digits(number));
                Problem {
                    message: phones::typed_message(number),
                    help: Some(phones::typed_help(contact, phones::Where::Page)),
                    span,
                }
            })
            .collect()
    }
}

fn parse_kind(k: &str) -> Result<Kind, String> {
    toml::Value::String(k.to_string()).try_into::<Kind>().map_err(|_| {
        format!("unknown contact kind `{k}` (hotline, police, social_services, shelter, legal_aid, health, ngo)")
    })
}

impl Links<'_> {
    fn page(&self, dest: &str) -> Result<Resolved, (String, Option<String>)> {
        let (path, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let Some(md) = path.strip_suffix(".md") else {
            return Err((
                format!("`{dest}` is not a link to a Markdown page"),
                Some("link to pages by their .md file, e.g. `../section/page.md`".into()),
            ));
        };
        let joined = normalize(self.from_dir, md).ok_or_else(|| (format!("`{dest}` points outside content/"), None))?;
        let joined = strip_lang_suffix(&joined);
        let key = match joined.strip_suffix("_index") {
            Some(dir) => dir.trim_end_matches('/').to_string(),
            None => joined.to_string(),
        };
        if !self.keys.contains(&key) {
            let shown = if key.is_empty() { "content/_index.md".to_string() } else { format!("content/{joined}.md") };
            return Err((
                format!("link to a missing page: `{shown}` does not exist"),
                Some("check the path; it is relative to this file's folder".into()),
            ));
        }
        let check = frag.map(|f| (key.clone(), f.to_string()));
        Ok(Resolved { href: self.anchor(&key, frag), external: false, check })
    }

    fn standard(&self, r: &str) -> Result<Resolved, (String, Option<String>)> {
        let (id, req) = standards::split_ref(r);
        let s = self.standards.check(id, req).map_err(|m| (m, None))?;
        self.cited.borrow_mut().insert(s.id.clone());
        if let Some(r) = req {
            self.cited.borrow_mut().insert(format!("{}#{r}", s.id));
        }
        let anchor = req.map(standards::requirement_anchor);
        let href = match self.mode {
            // Standards are not part of the guidance print document: link their pages.
            Mode::Print => format!("{}/index.html{}", s.key, anchor.map(|a| format!("#{a}")).unwrap_or_default()),
            Mode::Pages { .. } | Mode::Compendium { .. } => self.anchor(&s.key, anchor.as_deref()),
        };
        Ok(Resolved { href, external: false, check: None })
    }

    fn form(&self, id: &str) -> Result<Resolved, (String, Option<String>)> {
        if !self.forms.contains(id) {
            let known: Vec<&str> = self.forms.iter().map(String::as_str).collect();
            return Err((format!("unknown form `{id}` (known: {})", known.join(", ")), None));
        }
        let href = match self.mode {
            Mode::Print => format!("{}forms/{id}/index.html", self.lang_root_from(self.from_key, true)),
            Mode::Pages { pretty_urls } | Mode::Compendium { pretty_urls } => format!(
                "{}forms/{id}/{}",
                self.lang_root_from(self.from_key, false),
                if pretty_urls { "" } else { "index.html" }
            ),
        };
        Ok(Resolved { href, external: false, check: None })
    }

    /// The href of a page (and fragment) as seen from the linking page.
    pub fn anchor(&self, key: &str, frag: Option<&str>) -> String {
        if let (Mode::Compendium { .. }, Some(id)) = (self.mode, self.standard_at(key)) {
            return compendium_anchor(id, frag);
        }
        match self.mode {
            // Standards are not in the guidance print document: link their pages.
            Mode::Print if key == "standards" || key.starts_with("standards/") => {
                format!("{key}/index.html{}", frag.map(|f| format!("#{f}")).unwrap_or_default())
            }
            Mode::Print => match frag {
                Some(f) => format!("#{}{f}", print_prefix(key)),
                None => format!("#{}", print_anchor(key)),
            },
            Mode::Pages { pretty_urls } | Mode::Compendium { pretty_urls } => {
                let mut href = relative_href(self.from_key, key, pretty_urls);
                if let Some(f) = frag {
                    href.push('#');
                    href.push_str(f);
                }
                href
            }
        }
    }

    /// The id of the standard whose page is `key`.
    fn standard_at(&self, key: &str) -> Option<&str> {
        self.standards.standards.values().find(|s| s.key == key).map(|s| s.id.as_str())
    }

    /// In print mode every page lives in `<lang>/print.html`, one level below the site root.
    fn lang_root_from(&self, from_key: &str, print: bool) -> String {
        if print {
            String::new()
        } else {
            "../".repeat(crate::content::depth(from_key))
        }
    }
}

/// The anchor of a whole page inside the print document.
pub fn print_anchor(key: &str) -> String {
    if key.is_empty() {
        "page-home".to_string()
    } else {
        format!("page-{}", key.replace('/', "--"))
    }
}

/// Where a standard (and a heading or requirement of it: `frag`) starts in the compendium.
pub fn compendium_anchor(id: &str, frag: Option<&str>) -> String {
    let start = format!("#{}", compendium_prefix(id));
    match frag {
        Some(f) => format!("{start}{f}"),
        None => start.trim_end_matches('-').to_string(),
    }
}

/// The prefix of the ids inside one standard of the compendium: `std-id-2-1-`.
pub fn compendium_prefix(id: &str) -> String {
    format!("std-{}-", crate::markdown::slugify(id))
}

/// The prefix for heading ids of a page inside the print document.
pub fn print_prefix(key: &str) -> String {
    format!("{}--", print_anchor(key))
}

/// `from` and `to` are page keys; the result names a file unless `pretty_urls`.
pub fn relative_href(from: &str, to: &str, pretty_urls: bool) -> String {
    let up = "../".repeat(crate::content::depth(from));
    let target = if to.is_empty() { String::new() } else { format!("{to}/") };
    if pretty_urls {
        let href = format!("{up}{target}");
        if href.is_empty() {
            "./".into()
        } else {
            href
        }
    } else {
        format!("{up}{target}index.html")
    }
}

fn strip_lang_suffix(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((stem, lang)) if crate::config::is_lang_code(lang) && !lang.contains('/') => stem,
        _ => path,
    }
}

/// Joins a relative path onto a folder inside content/, resolving `.` and `..`.
fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative_href("about/x", "indicators", false), "../../indicators/index.html");
        assert_eq!(relative_href("", "about/x", false), "about/x/index.html");
        assert_eq!(relative_href("about", "", false), "../index.html");
        assert_eq!(relative_href("about", "", true), "../");
        assert_eq!(relative_href("", "", true), "./");
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("about", "../indicators/labour").as_deref(), Some("indicators/labour"));
        assert_eq!(normalize("", "../x"), None);
        assert_eq!(strip_lang_suffix("about/x.en"), "about/x");
    }
}

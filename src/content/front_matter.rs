//! Splitting a Markdown file into its `+++` TOML front matter and body, and parsing the front
//! matter with positions that point into the original file.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::Diagnostic;

/// The keys a page may set. Standards pages (in `content/standards/`) also set `id`, `area`,
/// `responsible`, `requirements`, `legal_basis` and `example`; anywhere else those are errors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub extra: toml::Table,
    // The keys below belong to standards pages only (checked by the loader).
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    #[serde(default)]
    pub area: Option<Spanned<String>>,
    #[serde(default)]
    pub responsible: Vec<String>,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[serde(default)]
    pub legal_basis: Option<String>,
    /// A made-up standard that shows how the portal works, marked as such wherever it appears.
    #[serde(default)]
    pub example: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: Spanned<String>,
    pub text: String,
}

/// A file split into front matter and body; offsets are bytes into the whole file.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_start: usize,
    pub body: &'a str,
    pub body_start: usize,
}

/// Finds the `+++` fences. The opening fence must be the first line.
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_len = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_len].trim_end() != "+++" {
        let end = first_len.saturating_sub(1).max(1).min(text.len());
        return Err(Diagnostic::at(file, text, 0..end, "the file does not start with `+++` front matter")
            .with_help("begin the file with a line `+++`, then `title = \"…\"`, then a closing `+++`"));
    }
    let mut offset = first_len;
    for line in text[first_len..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front: &text[first_len..offset],
                front_start: first_len,
                body: &text[offset + line.len()..],
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(file, text, 0..3, "front matter is not closed")
        .with_help("add a line `+++` after the last front-matter key"))
}

/// Parses the front matter; errors point into the original file. A control character in a
/// string (`\u001b`, say) is an error too (the first one: the page does not load).
pub fn parse(file: &str, text: &str, split: &Split) -> Result<FrontMatter, Diagnostic> {
    let fm = toml::from_str::<FrontMatter>(split.front).map_err(|e| {
        let message = e.message().trim().to_string();
        let d = match e.span() {
            Some(span) => Diagnostic::at(
                file,
                text,
                split.front_start + span.start..split.front_start + span.end,
                message.clone(),
            ),
            None => Diagnostic::at(file, text, 0..3, message.clone()),
        };
        if message.starts_with("unknown field") {
            d.with_help("front matter keys: title, description, weight, draft, standards, aliases, template, [extra]")
        } else {
            d
        }
    })?;
    let range = split.front_start..split.front_start + split.front.len();
    match crate::control_chars::check(file, text, range).into_iter().next() {
        Some(d) => Err(d),
        None => Ok(fm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_crlf_front_matter() {
        let text = "+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n";
        let s = split("a.md", text).unwrap();
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(parse("a.md", text, &s).unwrap().title, "A");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("a.md", "+++\ntitle = \"A\"\nBody\n").unwrap_err();
        assert!(e.message.contains("not closed"));
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let text = "+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n";
        let s = split("a.md", text).unwrap();
        let e = parse("a.md", text, &s).unwrap_err();
        let loc = e.location.unwrap();
        assert_eq!((loc.line, loc.col), (3, 1), "{}", e.message);
    }
}

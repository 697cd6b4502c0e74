//! Links from a form's text to another form of the portal, written the Markdown way:
//! `Продовжте за [формою скринінгу дитини](form:child-screening).`
//!
//! The questionnaire shows the words as a link to that form's page in the language the reader
//! has chosen (`src/forms/runtime/form.js` reads the same syntax); the paper form and the
//! record schema show the words alone. The build refuses a link to a form the portal does not
//! have. Nothing else in a form text is markup: a bracket that does not make such a link stays
//! as written.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use super::expr::Span;
use super::source_map::{toml_strings, SourceMap};
use crate::diag::Diagnostic;

/// One link in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormLink<'a> {
    /// The words shown.
    pub words: &'a str,
    /// The id of the form linked to.
    pub target: &'a str,
    /// Where the whole `[…](form:…)` is in the text.
    pub range: Range<usize>,
}

const OPEN: &str = "](form:";

/// Links in the texts of one form file (a form, or a translation of one) to forms not in
/// `known`: an error at each use, at the `form:ID` of the link.
pub fn check_form_file(shown: &str, text: &str, known: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (token, value) in toml_strings(text) {
        let map = SourceMap::new(text, token, &value);
        for link in links(&value).into_iter().filter(|l| !known.contains(l.target)) {
            // `form:ID` ends just before the link's closing `)`.
            let end = link.range.end - 1;
            let start = end - link.target.len() - "form:".len();
            out.push(
                Diagnostic::at(
                    shown,
                    text,
                    map.range(Span::new(start, end)),
                    format!("unknown form `{}`", link.target),
                )
                .with_help("a link `[words](form:ID)` needs a form forms/ID.toml in this portal"),
            );
        }
    }
    out
}

/// Every link in `text`, in order.
pub fn links(text: &str) -> Vec<FormLink<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(OPEN) {
        let mid = from + found;
        from = mid + OPEN.len();
        let Some(start) = text[..mid].rfind(['[', ']']).filter(|&i| text[i..].starts_with('[')) else {
            continue;
        };
        let Some(len) = text[from..].find(')') else {
            break;
        };
        let (words, target) = (&text[start + 1..mid], &text[from..from + len]);
        if words.trim().is_empty() || !is_form_id(target) {
            continue;
        }
        out.push(FormLink { words, target, range: start..from + len + 1 });
        from += len + 1;
    }
    out
}

/// `text` with each link replaced by its words.
pub fn plain(text: &str) -> Cow<'_, str> {
    let found = links(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for link in found {
        out.push_str(&text[at..link.range.start]);
        out.push_str(link.words);
        at = link.range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Form ids as the build allows them: `[a-z][a-z0-9-]*`.
fn is_form_id(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_its_words_and_its_form() {
        let text = "Продовжте за [формою скринінгу дитини](form:child-screening).";
        let found = links(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].words, "формою скринінгу дитини");
        assert_eq!(found[0].target, "child-screening");
        assert_eq!(&text[found[0].range.clone()], "[формою скринінгу дитини](form:child-screening)");
        assert_eq!(plain(text), "Продовжте за формою скринінгу дитини.");
    }

    #[test]
    fn anything_else_stays_as_written() {
        for text in [
            "Дайте номер [116 111].",
            "Див. [тут](https://example.org).",
            "[](form:child-screening)",
            "[x](form:Child)",
            "[x](form:child",
            "a ](form:child) b",
        ] {
            assert!(links(text).is_empty(), "{text}");
            assert_eq!(plain(text), text);
        }
    }

    #[test]
    fn several_links_and_brackets_around_them() {
        let text = "[a] then [b](form:one) and [c](form:two-2).";
        let found: Vec<(&str, &str)> = links(text).iter().map(|l| (l.words, l.target)).collect();
        assert_eq!(found, [("b", "one"), ("c", "two-2")]);
        assert_eq!(plain(text), "[a] then b and c.");
    }
}

//! Text shown in the default language because a language a region adds has no translation of it
//! yet: an interface string, a contact's name or note, a form's question.
//!
//! Such text is looked up far from where the page is finished (in a template function, a
//! shortcode, the paper form), so it carries its language with it: [`mark`] puts it between
//! Unicode noncharacters, which never occur in text people exchange. When the page is finished,
//! [`resolve`] turns each marked text into `<span lang="…">`, so that screen readers read it in
//! its own voice; where an element cannot stand (inside a tag, in `<title>`, `<option>` and the
//! other raw-text elements) the marks are dropped and the text stays as it is. A page that had
//! marks says so with a notice. Anything that leaves as data (a record schema, the search index)
//! is [`strip`]ped.

use std::borrow::Cow;

const OPEN: char = '\u{FDD0}';
const SEP: char = '\u{FDD1}';
const CLOSE: char = '\u{FDD2}';

/// Elements whose content is text only: a span there would show as text or be invalid.
const TEXT_ONLY: [&str; 5] = ["title", "script", "style", "textarea", "option"];

/// `text`, marked as being in `lang`.
pub fn mark(lang: &str, text: &str) -> String {
    format!("{OPEN}{lang}{SEP}{text}{CLOSE}")
}

/// Whether `text` holds any mark. Every page goes through this, so it looks for the marks' shared
/// first two UTF-8 bytes (`EF B7`, rare in any script) with a vectorised search instead of
/// decoding the page character by character.
fn has_marks(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"\xEF\xB7").any(|i| matches!(bytes.get(i + 2), Some(0x90..=0x92)))
}

/// Whether `text` holds marked text.
pub fn is_marked(text: &str) -> bool {
    text.contains(OPEN)
}

/// `text` without its marks (and without the languages they name).
pub fn strip(text: &str) -> Cow<'_, str> {
    if !has_marks(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find([OPEN, SEP, CLOSE]) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or(CLOSE);
        rest = &rest[at + c.len_utf8()..];
        if c == OPEN {
            if let Some((_, text)) = rest.split_once(SEP).filter(|(l, _)| crate::config::is_lang_code(l)) {
                rest = text;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A finished page with its marked texts as `<span lang>` (or unmarked where no element can
/// stand); `None` when it has none.
pub fn resolve(html: &str) -> Option<String> {
    if !has_marks(html) {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut open = false;
    let mut rest = html;
    while let Some(at) = rest.find(['<', OPEN, SEP, CLOSE]) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let c = rest.chars().next().unwrap_or('<');
        if c == '<' {
            // A span never crosses into markup (a mark cut short by a template stays in its text).
            if std::mem::take(&mut open) {
                out.push_str("</span>");
            }
            let end = markup_end(rest);
            out.push_str(&strip(&rest[..end]));
            rest = &rest[end..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match c {
            OPEN => {
                if let Some((lang, text)) = rest.split_once(SEP).filter(|(l, _)| crate::config::is_lang_code(l)) {
                    if std::mem::replace(&mut open, true) {
                        out.push_str("</span>");
                    }
                    out.push_str(&format!("<span lang=\"{lang}\">"));
                    rest = text;
                }
            }
            CLOSE if std::mem::take(&mut open) => out.push_str("</span>"),
            _ => {}
        }
    }
    out.push_str(rest);
    if open {
        out.push_str("</span>");
    }
    Some(out)
}

/// Where the markup at the start of `html` ends: a comment, a tag, or a text-only element's
/// opening tag with its content (its closing tag is markup of its own).
fn markup_end(html: &str) -> usize {
    if html.starts_with("<!--") {
        return html.find("-->").map_or(html.len(), |e| e + 3);
    }
    let end = crate::output::end_of_tag(html.as_bytes(), 1);
    let name_len = html[1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(0);
    let name = &html[1..1 + name_len];
    match TEXT_ONLY.iter().find(|n| name.eq_ignore_ascii_case(n)) {
        Some(n) => crate::output::find_ascii_ci(&html[end..], &format!("</{n}")).map_or(html.len(), |e| end + e),
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_found_by_their_bytes_and_nothing_else() {
        for c in [OPEN, SEP, CLOSE] {
            assert!(has_marks(&format!("Пошук{c}")), "{c:?}");
        }
        // Neighbours sharing the first two bytes, and ordinary Cyrillic, are not marks.
        assert!(!has_marks("\u{FDCF}\u{FDD3}Перейти до змісту ’ ʼ"));
        assert!(!has_marks(""));
    }

    #[test]
    fn marked_text_becomes_a_span_in_text() {
        let html = format!("<p>Ugrás: {}</p>", mark("uk", "Перейти до змісту"));
        assert_eq!(resolve(&html).unwrap(), "<p>Ugrás: <span lang=\"uk\">Перейти до змісту</span></p>");
        assert_eq!(resolve("<p>nothing marked</p>"), None);
    }

    #[test]
    fn marks_are_dropped_where_no_element_can_stand() {
        let m = mark("uk", "Пошук");
        let html = format!(
            "<title>{m} — x</title><input placeholder=\"{m}\"><select><option>{m}</option></select><!-- {m} --><b>{m}</b>"
        );
        assert_eq!(
            resolve(&html).unwrap(),
            "<title>Пошук — x</title><input placeholder=\"Пошук\"><select><option>Пошук</option></select><!-- Пошук --><b><span lang=\"uk\">Пошук</span></b>"
        );
    }

    #[test]
    fn a_mark_never_spans_markup_and_stray_marks_vanish() {
        let cut = format!("<p>{}</p><p>b</p>", mark("uk", "a").trim_end_matches(CLOSE));
        assert_eq!(resolve(&cut).unwrap(), "<p><span lang=\"uk\">a</span></p><p>b</p>");
        let stray = format!("<p>a{CLOSE}b{OPEN}c</p>");
        assert_eq!(resolve(&stray).unwrap(), "<p>abc</p>");
        let bad_lang = format!("<p>{OPEN}not a language{SEP}x{CLOSE}</p>");
        assert_eq!(resolve(&bad_lang).unwrap(), "<p>not a languagex</p>");
    }

    #[test]
    fn strip_leaves_the_text() {
        let t = format!("1. {} and {}", mark("uk", "Так"), mark("uk", "Ні"));
        assert!(is_marked(&t));
        assert_eq!(strip(&t), "1. Так and Ні");
        assert!(matches!(strip("plain"), Cow::Borrowed("plain")));
    }
}

//! The addresses in author HTML (with `content.allow_html`): every `href` and `src` inside a tag
//! goes through the same resolver as a Markdown link, so `<a href="../help/page.md">` works from
//! disk like `[text](../help/page.md)`, and a broken address is an error at its line and column.

use std::ops::Range;

/// `html` with the value of every `href`/`src` attribute replaced by what `resolve` returns for
/// it (called with the value, entity `&amp;` decoded, and its byte range in `html`); `None` keeps
/// the value as written. Text between tags is never touched.
pub fn rewrite_urls(html: &str, mut resolve: impl FnMut(&str, Range<usize>) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    for value in url_values(html) {
        let raw = &html[value.clone()];
        if let Some(new) = resolve(&raw.replace("&amp;", "&"), value.clone()) {
            out.push_str(&html[done..value.start]);
            out.push_str(&crate::html::escape(&new));
            done = value.end;
        }
    }
    out.push_str(&html[done..]);
    out
}

/// Byte ranges of the quoted values of `href` and `src` attributes inside tags.
fn url_values(html: &str) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(open) = html[i..].find('<').map(|o| i + o) {
        if html[open..].starts_with("<!--") {
            i = html[open..].find("-->").map_or(html.len(), |e| open + e + 3);
            continue;
        }
        i = open + 1;
        while i < bytes.len() && bytes[i] != b'>' {
            if bytes[i] == b'"' || bytes[i] == b'\'' {
                i = closing_quote(bytes, i).map_or(bytes.len(), |q| q + 1);
                continue;
            }
            if let Some((value, next)) = url_attribute(html, i) {
                found.push(value);
                i = next;
                continue;
            }
            i += 1;
        }
    }
    found
}

/// At `i`, an ` href="…"` or ` src='…'` attribute: the range of its value, and where it ends.
fn url_attribute(html: &str, i: usize) -> Option<(Range<usize>, usize)> {
    let bytes = html.as_bytes();
    if !bytes[i].is_ascii_whitespace() {
        return None;
    }
    let name_start = i + 1;
    let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let name = html.get(name_start..name_start + name_len)?.to_ascii_lowercase();
    if name != "href" && name != "src" {
        return None;
    }
    let mut j = name_start + name_len;
    while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
        j += 1;
    }
    if bytes.get(j) != Some(&b'=') {
        return None;
    }
    j += 1;
    while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
        j += 1;
    }
    if !matches!(bytes.get(j), Some(b'"' | b'\'')) {
        return None;
    }
    let close = closing_quote(bytes, j)?;
    Some((j + 1..close, close + 1))
}

fn closing_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = bytes[open];
    bytes[open + 1..].iter().position(|&b| b == quote).map(|p| open + 1 + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(html: &str) -> String {
        rewrite_urls(html, |v, _| Some(v.to_uppercase()))
    }

    #[test]
    fn rewrites_href_and_src_in_tags_only() {
        assert_eq!(upper(r#"<a class="x" href="a.md">href="b.md"</a>"#), r#"<a class="x" href="A.MD">href="b.md"</a>"#);
        assert_eq!(upper("<img alt='a' SRC = 'p.png'>"), "<img alt='a' SRC = 'P.PNG'>");
        assert_eq!(upper(r#"<a title="x href='no'" href="y">"#), r#"<a title="x href='no'" href="Y">"#);
        assert_eq!(upper(r#"<!-- <a href="c"> --><a data-href="d">"#), r#"<!-- <a href="c"> --><a data-href="d">"#);
    }

    #[test]
    fn gives_decoded_values_with_their_ranges_and_escapes_replacements() {
        let html = r#"<a href="p.md?a=1&amp;b=2">"#;
        let mut seen = Vec::new();
        let out = rewrite_urls(html, |v, r| {
            seen.push((v.to_string(), r));
            Some("x&y".into())
        });
        assert_eq!(seen, [("p.md?a=1&b=2".to_string(), 9..25)]);
        assert_eq!(out, r#"<a href="x&amp;y">"#);
    }

    #[test]
    fn unquoted_and_unclosed_values_are_left_alone() {
        assert_eq!(upper("<a href=x.md>"), "<a href=x.md>");
        assert_eq!(upper(r#"<a href="x.md"#), r#"<a href="x.md"#);
    }
}

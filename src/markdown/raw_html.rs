//! The addresses in author HTML (with `content.allow_html`): every `href` and `src` inside a tag
//! goes through the same resolver as a Markdown link, so `<a href="../help/page.md">` works from
//! disk like `[text](../help/page.md)`, and a broken address is an error at its line and column.

use std::ops::Range;

/// Which attribute an address is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    /// `href`: where the reader goes when they choose to.
    Href,
    /// `src`: what the browser loads by itself.
    Src,
}

/// `html` with the value of every `href`/`src` attribute replaced by what `resolve` returns for
/// it (called with the attribute, the value with the entity `&amp;` decoded, and its byte range
/// in `html`); `None` keeps the value as written. Text between tags is never touched.
pub fn rewrite_urls(html: &str, mut resolve: impl FnMut(Attr, &str, Range<usize>) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    for (attr, value) in url_values(html) {
        let raw = &html[value.clone()];
        if let Some(new) = resolve(attr, &raw.replace("&amp;", "&"), value.clone()) {
            out.push_str(&html[done..value.start]);
            out.push_str(&crate::html::escape(&new));
            done = value.end;
        }
    }
    out.push_str(&html[done..]);
    out
}

/// Byte ranges of the values of `href` and `src` attributes inside tags.
fn url_values(html: &str) -> Vec<(Attr, Range<usize>)> {
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

/// At `i`, an ` href="…"`, ` src='…'` or ` src=…` attribute: the range of its value, and where
/// the attribute ends.
fn url_attribute(html: &str, i: usize) -> Option<((Attr, Range<usize>), usize)> {
    let bytes = html.as_bytes();
    if !bytes[i].is_ascii_whitespace() {
        return None;
    }
    let name_start = i + 1;
    let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let attr = match html.get(name_start..name_start + name_len)?.to_ascii_lowercase().as_str() {
        "href" => Attr::Href,
        "src" => Attr::Src,
        _ => return None,
    };
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
        let len = bytes[j..].iter().take_while(|b| !b.is_ascii_whitespace() && **b != b'>').count();
        return (len > 0).then_some(((attr, j..j + len), j + len));
    }
    let close = closing_quote(bytes, j)?;
    Some(((attr, j + 1..close), close + 1))
}

fn closing_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = bytes[open];
    bytes[open + 1..].iter().position(|&b| b == quote).map(|p| open + 1 + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(html: &str) -> String {
        rewrite_urls(html, |_, v, _| Some(v.to_uppercase()))
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
        let out = rewrite_urls(html, |_, v, r| {
            seen.push((v.to_string(), r));
            Some("x&y".into())
        });
        assert_eq!(seen, [("p.md?a=1&b=2".to_string(), 9..25)]);
        assert_eq!(out, r#"<a href="x&amp;y">"#);
    }

    #[test]
    fn unquoted_values_count_and_unclosed_ones_are_left_alone() {
        assert_eq!(upper("<a href=x.md>"), "<a href=X.MD>");
        assert_eq!(upper("<img src=x alt=y>"), "<img src=X alt=y>");
        assert_eq!(upper(r#"<a href="x.md"#), r#"<a href="x.md"#);
    }

    #[test]
    fn tells_href_from_src() {
        let mut seen = Vec::new();
        rewrite_urls(r#"<a href="a"><img src="b">"#, |attr, v, _| {
            seen.push((attr, v.to_string()));
            None
        });
        assert_eq!(seen, [(Attr::Href, "a".to_string()), (Attr::Src, "b".to_string())]);
    }
}

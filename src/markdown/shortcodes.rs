//! Shortcodes: `{{ name(key="value", …) }}` in Markdown, replaced by trusted HTML after rendering.
//!
//! Each shortcode is swapped for a placeholder of exactly the same byte length before Markdown is
//! parsed, so every other position in the file (and so every diagnostic) stays where it was.

use std::borrow::Cow;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub name: String,
    pub args: Vec<(String, String)>,
    /// Byte range in the body.
    pub span: Range<usize>,
    pub placeholder: String,
}

impl Shortcode {
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// A shortcode that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub span: Range<usize>,
    pub message: String,
}

/// Finds shortcodes and returns the body with placeholders in their place (the body itself,
/// uncopied, when it has none: most pages).
pub fn extract(body: &str) -> (Cow<'_, str>, Vec<Shortcode>, Vec<ShortcodeError>) {
    // `contains` takes the vectorised substring search; most bodies have no `{{` at all.
    if !body.contains("{{") {
        return (Cow::Borrowed(body), Vec::new(), Vec::new());
    }
    let mut out = String::with_capacity(body.len());
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    while let Some(rel) = body[pos..].find("{{") {
        let start = pos + rel;
        out.push_str(&body[pos..start]);
        let Some(len) = body[start..].find("}}") else {
            out.push_str(&body[start..]);
            pos = body.len();
            errors.push(ShortcodeError { span: start..start + 2, message: "`{{` is not closed by `}}`".into() });
            break;
        };
        let end = start + len + 2;
        let inner = &body[start + 2..end - 2];
        match parse_call(inner) {
            Ok((name, args)) => {
                let placeholder = placeholder(found.len(), end - start);
                out.push_str(&placeholder);
                found.push(Shortcode { name, args, span: start..end, placeholder });
            }
            Err(message) => {
                out.push_str(&body[start..end]);
                errors.push(ShortcodeError { span: start..end, message });
            }
        }
        pos = end;
    }
    out.push_str(&body[pos..]);
    (Cow::Owned(out), found, errors)
}

/// How every placeholder starts.
pub const PLACEHOLDER_START: &str = "OBSC";

/// Letters only, so Markdown leaves it alone; padded to the shortcode's length.
fn placeholder(index: usize, len: usize) -> String {
    let mut p = format!("{PLACEHOLDER_START}{}", to_letters(index));
    while p.len() < len {
        p.push('Q');
    }
    p
}

fn to_letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

/// `name(key="value", key2="v")` → name and arguments.
fn parse_call(inner: &str) -> Result<(String, Vec<(String, String)>), String> {
    let inner = inner.trim();
    let open = inner.find('(').ok_or("a shortcode looks like `{{ name(key=\"value\") }}`")?;
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!("`{name}` is not a shortcode name"));
    }
    let args_text = inner[open + 1..].strip_suffix(')').ok_or("missing `)` at the end of the shortcode")?;
    let mut args = Vec::new();
    let mut rest = args_text.trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or("arguments look like key=\"value\"")?;
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let value_body = after.strip_prefix('"').ok_or("argument values are written in double quotes")?;
        let close = value_body.find('"').ok_or("an argument value is not closed by `\"`")?;
        args.push((key, value_body[..close].to_string()));
        rest = value_body[close + 1..].trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Ok((name.to_string(), args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_length() {
        let body = "Дзвоніть {{ contact(id=\"hotline-527\") }} зараз.\n{{ contacts() }}\n";
        let (out, found, errors) = extract(body);
        assert!(errors.is_empty());
        assert_eq!(out.len(), body.len());
        assert_eq!(found[0].arg("id"), Some("hotline-527"));
        assert_eq!(found[1].name, "contacts");
        assert!(out.contains(&found[1].placeholder));
    }

    #[test]
    fn a_body_without_shortcodes_is_not_copied() {
        let body = "Текст без коротких кодів, {лише} дужки }}.\n";
        let (out, found, errors) = extract(body);
        assert!(matches!(out, Cow::Borrowed(b) if std::ptr::eq(b, body)));
        assert!(found.is_empty() && errors.is_empty());
    }

    #[test]
    fn bad_shortcode_is_reported() {
        let (_, _, errors) = extract("a {{ contact(id=x) }}");
        assert_eq!(errors[0].span.start, 2);
    }
}

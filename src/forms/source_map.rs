//! Maps a position inside a TOML string value back to the file, so a problem in an expression is
//! reported at its exact line and column rather than at the start of the string.
//!
//! Literal strings (`'…'`, `'''…'''`) map one to one. Basic strings (`"…"`) map one to one when
//! they hold no escape; with escapes, each decoded character maps to the escape that produced it.
//! If decoding does not reproduce the parsed value (a line-ending backslash, say), every position
//! falls back to the start of the string: still the right line.

use std::ops::Range;

use toml_edit::{Item, Value};

use super::expr::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceMap {
    /// Content byte `i` is file byte `start + i`.
    Exact { start: usize },
    /// Content byte `i` is file byte `offsets[i]`; the last entry is the end of the content.
    Table { offsets: Vec<usize> },
    /// Position unknown inside the string; point at the string itself.
    Whole { span: Range<usize> },
}

impl SourceMap {
    /// The map for a string value whose TOML token (quotes included) is `text[token]` and whose
    /// parsed value is `value`.
    pub fn new(text: &str, token: Range<usize>, value: &str) -> SourceMap {
        let whole = SourceMap::Whole { span: token.clone() };
        let Some(raw) = text.get(token.clone()) else {
            return whole;
        };
        let (delim, literal) = if raw.starts_with("'''") {
            ("'''", true)
        } else if raw.starts_with("\"\"\"") {
            ("\"\"\"", false)
        } else if raw.starts_with('\'') {
            ("'", true)
        } else if raw.starts_with('"') {
            ("\"", false)
        } else {
            return whole;
        };
        let mut start = token.start + delim.len();
        let mut content = &raw[delim.len()..raw.len().saturating_sub(delim.len()).max(delim.len())];
        if delim.len() == 3 {
            // A newline right after the opening delimiter is not part of the value.
            for nl in ["\r\n", "\n"] {
                if let Some(rest) = content.strip_prefix(nl) {
                    content = rest;
                    start += nl.len();
                    break;
                }
            }
        }
        if content == value && (literal || !content.contains('\\')) {
            return SourceMap::Exact { start };
        }
        if literal {
            return whole;
        }
        match decode_basic(content, start) {
            Some((decoded, offsets)) if decoded == value => SourceMap::Table { offsets },
            _ => whole,
        }
    }

    /// The file range of a span inside the value.
    pub fn range(&self, span: Span) -> Range<usize> {
        match self {
            SourceMap::Exact { start } => start + span.start..start + span.end,
            SourceMap::Table { offsets } => {
                let at = |i: usize| offsets.get(i).or(offsets.last()).copied().unwrap_or(0);
                at(span.start)..at(span.end).max(at(span.start))
            }
            SourceMap::Whole { span } => span.clone(),
        }
    }
}

/// Decodes the escapes of a basic string, recording for each decoded byte the file offset of the
/// character or escape it came from. `None` for anything this cannot map exactly.
fn decode_basic(raw: &str, base: usize) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(raw.len());
    let mut offsets = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    while i < raw.len() {
        let rest = &raw[i..];
        let (ch, len) = match rest.strip_prefix('\\') {
            Some(esc) => unescape(esc)?,
            None => {
                let ch = rest.chars().next()?;
                (ch, ch.len_utf8())
            }
        };
        offsets.extend(std::iter::repeat_n(base + i, ch.len_utf8()));
        out.push(ch);
        i += len;
    }
    offsets.push(base + raw.len());
    Some((out, offsets))
}

/// The character an escape stands for and the escape's length, backslash included.
fn unescape(after_backslash: &str) -> Option<(char, usize)> {
    let c = after_backslash.chars().next()?;
    let simple = match c {
        'b' => Some('\u{8}'),
        't' => Some('\t'),
        'n' => Some('\n'),
        'f' => Some('\u{c}'),
        'r' => Some('\r'),
        'e' => Some('\u{1b}'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((ch, 2));
    }
    let digits = match c {
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = after_backslash.get(1..1 + digits)?;
    let ch = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((ch, 2 + digits))
}

/// Every string value of a TOML file, with the span of its token (quotes included), in file
/// order. Nothing for a file that does not parse: its loader reports that.
pub fn toml_strings(text: &str) -> Vec<(Range<usize>, String)> {
    let Ok(doc) = toml_edit::ImDocument::parse(text) else { return Vec::new() };
    let mut out = Vec::new();
    strings_of_item(doc.as_item(), &mut out);
    out.sort_by_key(|(span, _)| span.start);
    out
}

fn strings_of_item(item: &Item, out: &mut Vec<(Range<usize>, String)>) {
    match item {
        Item::None => {}
        Item::Value(v) => strings_of_value(v, out),
        Item::Table(t) => t.iter().for_each(|(_, i)| strings_of_item(i, out)),
        Item::ArrayOfTables(a) => a.iter().for_each(|t| t.iter().for_each(|(_, i)| strings_of_item(i, out))),
    }
}

fn strings_of_value(value: &Value, out: &mut Vec<(Range<usize>, String)>) {
    match value {
        Value::String(s) => {
            if let Some(span) = s.span() {
                out.push((span, s.value().clone()));
            }
        }
        Value::Array(a) => a.iter().for_each(|v| strings_of_value(v, out)),
        Value::InlineTable(t) => t.iter().for_each(|(_, v)| strings_of_value(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(line: &str) -> (String, SourceMap) {
        #[derive(serde::Deserialize)]
        struct V {
            v: toml::Spanned<String>,
        }
        let v: V = toml::from_str(line).unwrap();
        let map = SourceMap::new(line, v.v.span(), v.v.get_ref());
        (v.v.into_inner(), map)
    }

    /// The file text at the position of `needle` inside the value.
    fn at(line: &str, needle: &str) -> String {
        let (value, map) = map_of(line);
        let i = value.find(needle).unwrap();
        line[map.range(Span::new(i, i + needle.len()))].to_string()
    }

    #[test]
    fn plain_strings_map_one_to_one() {
        assert_eq!(at("v = \"a = 'yse'\"", "'yse'"), "'yse'");
        assert_eq!(at("v = 'a = \"yse\"'", "\"yse\""), "\"yse\"");
        assert_eq!(at("v = '''\nx = 'б' and y'''", "y"), "y");
    }

    #[test]
    fn escapes_map_to_their_source() {
        let line = r#"v = "a = \"x\" and \u0062 = 1""#;
        assert_eq!(at(line, "and"), "and");
        assert_eq!(at(line, "b"), "\\u0062");
        assert!(matches!(map_of(line).1, SourceMap::Table { .. }));
    }

    #[test]
    fn line_ending_backslash_falls_back_to_the_string() {
        let line = "v = \"\"\"\na \\\n  b\"\"\"";
        let (_, map) = map_of(line);
        assert!(matches!(map, SourceMap::Whole { .. }), "{map:?}");
    }
}

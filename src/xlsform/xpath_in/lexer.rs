//! A cell's XPath split into tokens: numbers, texts, `${name}` references, names, and the
//! operators and brackets between them.

use super::{path_error, XPathError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Number(f64),
    Str(String),
    /// `${name}`.
    Var(String),
    /// A bare name: a function, an operator word (`and`, `div`…) or a path step.
    Name(String),
    Dot,
    /// `./name`: a question of the entry inside a predicate.
    Child(String),
    LParen,
    RParen,
    Comma,
    Op(&'static str),
    Eof,
}

/// Splits the cell into tokens with their byte offsets.
pub(super) fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, XPathError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut brackets = 0usize;
    while i < bytes.len() {
        let start = i;
        let next = bytes.get(i + 1).copied();
        let tok = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'0'..=b'9' => number(src, &mut i)?,
            b'.' if next.is_some_and(|b| b.is_ascii_digit()) => number(src, &mut i)?,
            b'.' if next == Some(b'/') && brackets > 0 => child(src, &mut i),
            // `${repeat}[…]`: the entries where a condition holds, as `count()` takes them.
            b'[' if matches!(out.last(), Some((Tok::Var(_), _))) => {
                i += 1;
                brackets += 1;
                Tok::Op("[")
            }
            b']' if brackets > 0 => {
                i += 1;
                brackets -= 1;
                Tok::Op("]")
            }
            b'\'' | b'"' => text(src, &mut i)?,
            b'$' if next == Some(b'{') => var(src, &mut i)?,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => name(src, &mut i),
            _ => symbol(src, &mut i)?,
        };
        out.push((tok, start));
    }
    out.push((Tok::Eof, src.len()));
    Ok(out)
}

/// A number at `*i`, such as `12`, `0.5` or `.5`.
fn number(src: &str, i: &mut usize) -> Result<Tok, XPathError> {
    let start = *i;
    let bytes = src.as_bytes();
    while *i < bytes.len() && (bytes[*i].is_ascii_digit() || bytes[*i] == b'.') {
        *i += 1;
    }
    src[start..*i].parse::<f64>().ok().filter(|n| n.is_finite()).map(Tok::Number).ok_or_else(|| {
        XPathError::new(start, format!("`{}` is not a number", &src[start..*i]), "write a number as 12 or 0.5")
    })
}

/// `./name` at `*i`, inside a predicate.
fn child(src: &str, i: &mut usize) -> Tok {
    let start = *i;
    let bytes = src.as_bytes();
    *i += 2;
    while *i < bytes.len() && (bytes[*i].is_ascii_alphanumeric() || bytes[*i] == b'_') {
        *i += 1;
    }
    Tok::Child(src[start + 2..*i].to_string())
}

/// A text in single or double quotes at `*i`.
fn text(src: &str, i: &mut usize) -> Result<Tok, XPathError> {
    let start = *i;
    let bytes = src.as_bytes();
    let quote = bytes[start];
    let len = bytes[start + 1..].iter().position(|&b| b == quote).ok_or_else(|| {
        XPathError::new(start, "this text has no closing quote", "close the text with the same quote")
    })?;
    *i += len + 2;
    Ok(Tok::Str(src[start + 1..start + 1 + len].to_string()))
}

/// A question reference `${name}` at `*i`.
fn var(src: &str, i: &mut usize) -> Result<Tok, XPathError> {
    let start = *i;
    let len = src[start..]
        .find('}')
        .ok_or_else(|| XPathError::new(start, "`${` is not closed", "write a question as ${name}"))?;
    *i += len + 1;
    Ok(Tok::Var(src[start + 2..start + len].trim().to_string()))
}

/// A bare name at `*i`: a function such as `count-selected` or `jr:choice-name`, an operator
/// word, or a path step.
fn name(src: &str, i: &mut usize) -> Tok {
    let start = *i;
    let bytes = src.as_bytes();
    while *i < bytes.len() && (bytes[*i].is_ascii_alphanumeric() || b"_-.:".contains(&bytes[*i])) {
        *i += 1;
    }
    Tok::Name(src[start..*i].to_string())
}

/// An operator, bracket or comma at `*i`; a path or any other character is an error.
fn symbol(src: &str, i: &mut usize) -> Result<Tok, XPathError> {
    let start = *i;
    let c = src.as_bytes()[start];
    let two = src.get(start..start + 2).unwrap_or("");
    let (op, len): (&'static str, usize) = match (c, two) {
        (_, "!=") => ("!=", 2),
        (_, "<=") => ("<=", 2),
        (_, ">=") => (">=", 2),
        (b'=', _) => ("=", 1),
        (b'<', _) => ("<", 1),
        (b'>', _) => (">", 1),
        (b'+', _) => ("+", 1),
        (b'-', _) => ("-", 1),
        (b'*', _) => ("*", 1),
        (b'(', _) => ("(", 1),
        (b')', _) => (")", 1),
        (b',', _) => (",", 1),
        (b'.', _) if two == ".." => ("..", 2),
        (b'.', _) => (".", 1),
        (b'/' | b'[' | b']' | b'@' | b'|', _) => return Err(path_error(start)),
        _ => return Err(unexpected_character(src, start)),
    };
    *i += len;
    Ok(match op {
        "(" => Tok::LParen,
        ")" => Tok::RParen,
        "," => Tok::Comma,
        "." => Tok::Dot,
        op => Tok::Op(op),
    })
}

/// The error for a character no token starts with; typographic quotes get their own advice.
fn unexpected_character(src: &str, at: usize) -> XPathError {
    let ch = src[at..].chars().next().unwrap_or('?');
    let help = match ch {
        '‘' | '’' | '“' | '”' | '«' | '»' => "quote text with straight quotes: 'text'",
        _ => "remove it, or quote it if it is part of a text",
    };
    XPathError::new(at, format!("unexpected character `{ch}`"), help)
}

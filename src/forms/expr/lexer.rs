//! Turns an expression string into tokens, each with its byte span. Common slips from other
//! languages (`==`, `&&`, `${id}`, `Age`) are errors with a hint that says what to write instead.

use super::ast::Span;
use super::ExprError;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Number(f64),
    Str(String),
    /// A lower-case identifier that is not a keyword: a question id, function or built-in name.
    Ident(String),
    And,
    Or,
    Not,
    Mod,
    True,
    False,
    Null,
    Dot,
    LParen,
    RParen,
    Comma,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Eof,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Number(n) => format!("number {}", super::format_number(*n)),
            Tok::Str(s) => format!("text '{s}'"),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Eof => "the end of the expression".to_string(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::And => "and",
            Tok::Or => "or",
            Tok::Not => "not",
            Tok::Mod => "mod",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Null => "null",
            Tok::Dot => ".",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Eq => "=",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            _ => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Words that can never be question ids.
pub const KEYWORDS: [&str; 7] = ["and", "or", "not", "mod", "true", "false", "null"];

fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "mod" => Tok::Mod,
        "true" => Tok::True,
        "false" => Tok::False,
        "null" => Tok::Null,
        _ => return None,
    })
}

/// True for a well-formed question id: `[a-z][a-z0-9_]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z')) && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits `src` into tokens, ending with [`Tok::Eof`] (whose span is empty, at the end).
pub fn tokenize(src: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
            continue;
        }
        let token = token_at(src, i)?;
        i = token.span.end;
        out.push(token);
    }
    out.push(Token { tok: Tok::Eof, span: Span::new(src.len(), src.len()) });
    Ok(out)
}

/// Reads the token that starts at byte `start`, which is not white space.
fn token_at(src: &str, start: usize) -> Result<Token, ExprError> {
    let bytes = src.as_bytes();
    let next = bytes.get(start + 1).copied();
    match bytes[start] {
        b'0'..=b'9' => number(src, start),
        b'\'' | b'"' => quoted_text(src, start),
        b'a'..=b'z' | b'A'..=b'Z' | b'_' => word(src, start),
        b'$' if next == Some(b'{') => Err(xlsform_reference(src, start)),
        _ => operator(src, start),
    }
}

/// The end of the run of ASCII digits that starts at `from`.
fn digits_end(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count()
}

/// The end of the run of letters, digits and `_` that starts at `from`.
fn word_end(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count()
}

/// Reads a number: digits, optionally followed by `.` and more digits.
fn number(src: &str, start: usize) -> Result<Token, ExprError> {
    let bytes = src.as_bytes();
    let mut i = digits_end(bytes, start);
    if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
        i = digits_end(bytes, i + 1);
    }
    if i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') {
        let end = word_end(bytes, i);
        return Err(ExprError::new(
            Span::new(start, end),
            format!("`{}` is not a number or a question id", &src[start..end]),
        )
        .with_help("question ids start with a lower-case letter"));
    }
    let text = &src[start..i];
    let n: f64 = text
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| ExprError::new(Span::new(start, i), "this number is too large"))?;
    Ok(Token { tok: Tok::Number(n), span: Span::new(start, i) })
}

/// Reads a text in single or double quotes; it ends at the next quote of the same kind.
fn quoted_text(src: &str, start: usize) -> Result<Token, ExprError> {
    let bytes = src.as_bytes();
    let quote = bytes[start];
    let body = start + 1;
    match bytes[body..].iter().position(|&b| b == quote) {
        Some(len) => {
            let end = body + len + 1;
            Ok(Token { tok: Tok::Str(src[body..body + len].to_string()), span: Span::new(start, end) })
        }
        None => {
            let q = quote as char;
            Err(ExprError::new(Span::new(start, start + 1), format!("this text has no closing {q}")).with_help(
                format!(
                    "close it with {q}; a text cannot contain its own quote, so use the other kind of quote around it"
                ),
            ))
        }
    }
}

/// Reads a keyword or a question id. Other words (`Age`, `AND`, `_x`) are errors that say
/// what to write instead.
fn word(src: &str, start: usize) -> Result<Token, ExprError> {
    let end = word_end(src.as_bytes(), start);
    let text = &src[start..end];
    let span = Span::new(start, end);
    if let Some(tok) = keyword(text) {
        return Ok(Token { tok, span });
    }
    if is_valid_id(text) {
        return Ok(Token { tok: Tok::Ident(text.to_string()), span });
    }
    let lower = text.to_ascii_lowercase();
    let help = if keyword(&lower).is_some() {
        format!("write `{lower}` in lower case")
    } else if is_valid_id(&lower) {
        format!("ids are lower case: did you mean `{lower}`?")
    } else {
        "question ids start with a lower-case letter, then letters, digits or _".to_string()
    };
    Err(ExprError::new(span, format!("`{text}` is not a valid name")).with_help(help))
}

/// The operator or punctuation mark at `start`, or the error for a character that begins no
/// token. Slips from other languages (`.5`, `==`, `<>`, and those of [`not_an_operator`]) get
/// a hint.
fn operator(src: &str, start: usize) -> Result<Token, ExprError> {
    let bytes = src.as_bytes();
    let span = |len: usize| Span::new(start, start + len);
    let (tok, len) = match (bytes[start], bytes.get(start + 1).copied()) {
        (b'.', Some(n)) if n.is_ascii_digit() => {
            return Err(ExprError::new(span(1), "a number cannot start with `.`").with_help("write 0.5, not .5"))
        }
        (b'.', _) => (Tok::Dot, 1),
        (b'(', _) => (Tok::LParen, 1),
        (b')', _) => (Tok::RParen, 1),
        (b',', _) => (Tok::Comma, 1),
        (b'+', _) => (Tok::Plus, 1),
        (b'-', _) => (Tok::Minus, 1),
        (b'*', _) => (Tok::Star, 1),
        (b'/', _) => (Tok::Slash, 1),
        (b'=', Some(b'=')) => {
            return Err(ExprError::new(span(2), "`==` is not an operator").with_help("use a single = to compare"))
        }
        (b'=', _) => (Tok::Eq, 1),
        (b'!', Some(b'=')) => (Tok::Ne, 2),
        (b'<', Some(b'=')) => (Tok::Le, 2),
        (b'<', Some(b'>')) => {
            return Err(ExprError::new(span(2), "`<>` is not an operator").with_help("use != for \"not equal\""))
        }
        (b'<', _) => (Tok::Lt, 1),
        (b'>', Some(b'=')) => (Tok::Ge, 2),
        (b'>', _) => (Tok::Gt, 1),
        _ => return Err(not_an_operator(src, start)),
    };
    Ok(Token { tok, span: span(len) })
}

/// The error for a character at `start` that begins no token. Operators of other languages
/// (`!`, `&&`, `||`, `%`) get a hint.
fn not_an_operator(src: &str, start: usize) -> ExprError {
    let bytes = src.as_bytes();
    let c = bytes[start];
    let next = bytes.get(start + 1).copied();
    let span = |len: usize| Span::new(start, start + len);
    match c {
        b'!' => ExprError::new(span(1), "`!` is not an operator").with_help("use `not`, or != to compare"),
        b'&' | b'|' => {
            let len = if next == Some(c) { 2 } else { 1 };
            let word = if c == b'&' { "and" } else { "or" };
            ExprError::new(span(len), format!("`{}` is not an operator", &src[start..start + len]))
                .with_help(format!("use `{word}`"))
        }
        b'%' => ExprError::new(span(1), "`%` is not an operator").with_help("use `mod` for the remainder"),
        _ => unexpected_character(src, start),
    }
}

/// The error for `${id}`, XLSForm's way of reading an answer.
fn xlsform_reference(src: &str, start: usize) -> ExprError {
    let end = src[start..].find('}').map(|p| start + p + 1);
    let (span, inner) = match end {
        Some(e) => (Span::new(start, e), src[start + 2..e - 1].trim().to_string()),
        None => (Span::new(start, start + 2), String::new()),
    };
    let help = if is_valid_id(&inner) {
        format!("write `{inner}`, without ${{ }}")
    } else {
        "write the question id on its own, without ${ }".to_string()
    };
    ExprError::new(span, "`${…}` is XLSForm syntax, not used here").with_help(help)
}

/// The error for a character the language does not use, with a hint for look-alikes of
/// quotes and comparison signs.
fn unexpected_character(src: &str, start: usize) -> ExprError {
    let ch = src[start..].chars().next().unwrap_or('?');
    let span = Span::new(start, start + ch.len_utf8());
    let help = match ch {
        '‘' | '’' | '“' | '”' | '«' | '»' => {
            Some("quote text with straight quotes: 'text' or \"text\"".to_string())
        }
        '≠' => Some("use !=".to_string()),
        '≤' => Some("use <=".to_string()),
        '≥' => Some("use >=".to_string()),
        _ => None,
    };
    let mut err = ExprError::new(span, format!("unexpected character `{ch}`"));
    err.help = help;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<(Tok, usize, usize)> {
        tokenize(src).unwrap().into_iter().map(|t| (t.tok, t.span.start, t.span.end)).collect()
    }

    fn err(src: &str) -> ExprError {
        tokenize(src).unwrap_err()
    }

    #[test]
    fn spans_are_byte_offsets() {
        assert_eq!(
            toks("age >= 14"),
            vec![(Tok::Ident("age".into()), 0, 3), (Tok::Ge, 4, 6), (Tok::Number(14.0), 7, 9), (Tok::Eof, 9, 9)]
        );
        // Cyrillic is two bytes per letter: the span after it is in bytes.
        let t = toks("name = 'Іван' or x");
        assert_eq!(t[2], (Tok::Str("Іван".into()), 7, 17));
        assert_eq!(t[3], (Tok::Or, 18, 20));
    }

    #[test]
    fn numbers_strings_keywords_and_dot() {
        assert_eq!(toks("3.25")[0].0, Tok::Number(3.25));
        assert_eq!(toks("\"it's\"")[0].0, Tok::Str("it's".into()));
        assert_eq!(toks("''")[0].0, Tok::Str(String::new()));
        assert_eq!(toks("not")[0].0, Tok::Not);
        assert_eq!(toks(". mod 2")[0..2].iter().map(|t| t.0.clone()).collect::<Vec<_>>(), vec![Tok::Dot, Tok::Mod]);
        // `1.` is the number 1 followed by `.`, which the parser rejects.
        assert_eq!(toks("1.")[1].0, Tok::Dot);
        assert_eq!(toks("a!=b<=c>d<e")[1].0, Tok::Ne);
    }

    #[test]
    fn slips_from_other_languages_get_hints() {
        let e = err("a == 1");
        assert_eq!((e.span.start, e.span.end), (2, 4));
        assert!(e.help.unwrap().contains("single ="));
        assert!(err("a && b").help.unwrap().contains("and"));
        assert!(err("a || b").help.unwrap().contains("or"));
        assert!(err("!a").help.unwrap().contains("not"));
        assert!(err("a <> b").help.unwrap().contains("!="));
        assert!(err("a % 2").help.unwrap().contains("mod"));
        let e = err("${owes_debt} = 'yes'");
        assert_eq!((e.span.start, e.span.end), (0, 12));
        assert!(e.help.unwrap().contains("`owes_debt`"));
        let e = err("Age > 3");
        assert!(e.help.unwrap().contains("`age`"));
        assert!(err("a AND b").help.unwrap().contains("`and`"));
        assert!(err(".5").help.unwrap().contains("0.5"));
        assert!(err("x = ’yes’").help.unwrap().contains("straight quotes"));
    }

    #[test]
    fn unterminated_string_points_at_its_quote() {
        let e = err("a = 'yes");
        assert_eq!(e.span.start, 4);
        assert!(e.message.contains("closing '"));
    }

    #[test]
    fn bad_characters_span_whole_character() {
        let e = err("a = 1 № 2");
        assert_eq!(e.span, Span::new(6, 6 + '№'.len_utf8()));
        let e = err("3abc");
        assert_eq!(e.span, Span::new(0, 4));
    }

    #[test]
    fn valid_ids() {
        assert!(is_valid_id("owes_debt"));
        assert!(is_valid_id("q2"));
        assert!(!is_valid_id("2q"));
        assert!(!is_valid_id("_q"));
        assert!(!is_valid_id("Q"));
        assert!(!is_valid_id(""));
    }
}

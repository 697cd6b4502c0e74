//! Control characters in the strings of a TOML file. TOML refuses most of them written raw, but
//! an escape such as `\u0000`, `\u0007` or `\u001b` puts one in a text all the same, and from
//! there it would reach pages, questionnaires and paper forms as an invisible byte (or a terminal
//! command). Tab, line feed and carriage return are text and stay allowed here; where a text must
//! be one line, its own check says so.

use std::ops::Range;

use crate::diag::Diagnostic;

/// Every control character in a string of `text[range]`, written as an escape or raw, as an error
/// at its place in `text` (the whole file `file`). `text[range]` must be valid TOML: this only
/// tells strings from comments and keys, it does not check the syntax.
pub fn check(file: &str, text: &str, range: Range<usize>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut scan = Scan { text, at: range.start, end: range.end.min(text.len()) };
    while let Some(c) = scan.next_char() {
        match c {
            '#' => scan.skip_line(),
            '"' | '\'' => {
                let quote = c.to_string();
                let mut report = |span, ch| found.push(error(file, text, span, ch));
                if scan.eat(&quote.repeat(2)) {
                    scan.string(&quote, true, &mut report);
                } else if !scan.eat(&quote) {
                    // (`""` is an empty string.)
                    scan.string(&quote, false, &mut report);
                }
            }
            _ => {}
        }
    }
    found
}

fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn error(file: &str, text: &str, span: Range<usize>, c: char) -> Diagnostic {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\u{b}' => " (vertical tab)",
        '\u{c}' => " (form feed)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        _ => "",
    };
    Diagnostic::at(file, text, span, format!("control character U+{:04X}{name} in a text", c as u32)).with_help(
        "it would reach pages and paper forms as an invisible character: remove it (tab and line break are the \
         only control characters a text may hold)",
    )
}

struct Scan<'a> {
    text: &'a str,
    at: usize,
    end: usize,
}

impl Scan<'_> {
    fn next_char(&mut self) -> Option<char> {
        let c = self.text.get(self.at..self.end)?.chars().next()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, s: &str) -> bool {
        let hit = self.text.get(self.at..self.end).is_some_and(|rest| rest.starts_with(s));
        if hit {
            self.at += s.len();
        }
        hit
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.next_char() {
            if c == '\n' {
                break;
            }
        }
    }

    /// Reads a string whose opening quote(s) are consumed, up to and with its closing quote(s),
    /// calling `found` for each control character in it.
    fn string(&mut self, quote: &str, long: bool, found: &mut dyn FnMut(Range<usize>, char)) {
        let closing = if long { quote.repeat(3) } else { quote.to_string() };
        while self.at < self.end {
            let here = self.at;
            if self.eat(&closing) {
                // A long string may end in one or two more quotes that belong to it.
                while long && self.eat(quote) {}
                return;
            }
            let Some(c) = self.next_char() else { return };
            if c == '\\' && quote == "\"" {
                if let Some(ch) = self.escape() {
                    if forbidden(ch) {
                        found(here..self.at, ch);
                    }
                }
            } else if forbidden(c) {
                found(here..self.at, c);
            } else if c == '\n' && !long {
                return;
            }
        }
    }

    /// The character an escape (after its backslash) stands for; `None` for a line-ending
    /// backslash or anything else that is no character.
    fn escape(&mut self) -> Option<char> {
        let c = self.next_char()?;
        let digits = match c {
            'u' => 4,
            'U' => 8,
            'b' => return Some('\u{8}'),
            'f' => return Some('\u{c}'),
            'e' => return Some('\u{1b}'),
            't' => return Some('\t'),
            'n' => return Some('\n'),
            'r' => return Some('\r'),
            _ => return None,
        };
        let hex = self.text.get(self.at..self.at + digits)?;
        let ch = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
        self.at += digits;
        Some(ch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        check("a.toml", text, 0..text.len())
            .into_iter()
            .map(|d| {
                let l = d.location.unwrap();
                (l.line, l.col, d.message)
            })
            .collect()
    }

    #[test]
    fn escapes_are_found_at_their_place() {
        let text = "a = \"x\\u0000y\"\nb = { uk = \"Б\\u001b[2J\", en = \"\\e\" }\nc = \"\"\"\nz\\U00000007\"\"\"\n";
        let found = found(text);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (1, 7));
        assert!(found[0].2.contains("U+0000 (NUL)"));
        assert_eq!((found[1].0, found[1].1), (2, 14));
        assert!(found[1].2.contains("U+001B (escape)"));
        assert_eq!((found[3].0, found[3].1), (4, 2));
    }

    #[test]
    fn text_and_other_places_are_left_alone() {
        let text = "# \\u0000 in a comment\na = 'C:\\u0000'\nb = \"tab\\tnew\\nline \\\\u0000 \\\"q\\\"\"\n\
                    c = \"\"\"\nline \\\n  joined \"\" quotes\"\"\"\"\nd = \"\"\ne = ''\nf = '''x'''''\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn raw_c1_controls_are_found() {
        let found = found("a = 'x\u{85}'\nb = \"\"\"\u{9b}\"\"\"\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].2.contains("U+0085"));
    }

    #[test]
    fn a_range_is_checked_in_place() {
        let text = "+++\ntitle = \"a\\u0007\"\n+++\nbody \\u0007\n";
        let d = check("p.md", text, 4..text.find("\n+++").unwrap());
        assert_eq!(d.len(), 1);
        let l = d[0].location.as_ref().unwrap();
        assert_eq!((l.line, l.col), (2, 11));
    }
}

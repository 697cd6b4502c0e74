//! Diagnostics: every problem a user can fix names the file, line and column, shows the offending
//! line with a marker under the span, and may carry a hint. A build collects all of them and reports
//! them together, sorted, so one run shows every mistake.
//!
//! A file that fails to load (a missing quote in `data/contacts.toml`) would make every use of
//! what it defines an error too. Such problems are marked as following from that file: they are
//! left out of the report when the file did fail, and a note on the file's error counts them, so
//! the cause is first and alone.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a problem is: a portal-relative path and, when known, a 1-based line and column
/// (columns count characters, not bytes) with the text of that line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// Width of the marker in characters (at least 1).
    pub width: usize,
    pub source_line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Box<Location>>,
    pub file: String,
    pub message: String,
    pub help: Option<String>,
    /// Shown after the help, each as `= note: …`.
    pub notes: Vec<String>,
    /// The file whose failure to load alone explains this problem.
    pub follows: Option<Box<Follows>>,
}

/// What a problem follows from: a file that may have failed to load, and what the problem is
/// counted as if it did ("use of contacts" / "uses of contacts").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follows {
    pub file: String,
    pub one: &'static str,
    pub many: &'static str,
}

impl Diagnostic {
    /// An error about a whole file (no position known).
    pub fn file_error(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            file: file.to_string(),
            message: message.into(),
            help: None,
            notes: Vec::new(),
            follows: None,
        }
    }

    /// An error at a byte range of `text`, the full contents of `file`.
    pub fn at(file: &str, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Some(Box::new(locate(file, text, span))),
            file: file.to_string(),
            message: message.into(),
            help: None,
            notes: Vec::new(),
            follows: None,
        }
    }

    /// An error at a place located earlier (with [`locate`]).
    pub fn at_location(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: location.file.clone(),
            location: Some(Box::new(location)),
            message: message.into(),
            help: None,
            notes: Vec::new(),
            follows: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Marks a problem that only follows from `file` not loading; it is counted as one of
    /// `one`/`many` on that file's error instead of being shown, when that file has an error.
    pub fn follows(mut self, file: &str, one: &'static str, many: &'static str) -> Self {
        self.follows = Some(Box::new(Follows { file: file.to_string(), one, many }));
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Errors first, then warnings; files whose failure explains other problems before the rest.
    fn sort_key(&self) -> (Severity, bool, &str, usize, usize, &str) {
        let (line, col) = self.location.as_ref().map_or((0, 0), |l| (l.line, l.col));
        (self.severity, self.notes.is_empty(), &self.file, line, col, &self.message)
    }
}

/// Turns a byte range into line, column and the line's text. Out-of-range or mid-character spans
/// are clamped so a wrong span can never panic the report.
pub fn locate(file: &str, text: &str, span: Range<usize>) -> Location {
    let start = clamp_to_char(text, span.start);
    let end = clamp_to_char(text, span.end.max(start));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[..start].matches('\n').count() + 1;
    let col = text[line_start..start].chars().count() + 1;
    let width = text[start..end.min(line_end)].chars().count().max(1);
    Location {
        file: file.to_string(),
        line,
        col,
        width,
        source_line: text[line_start..line_end].trim_end_matches('\r').to_string(),
    }
}

fn clamp_to_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        match &self.location {
            None => writeln!(f, "  --> {}", self.file)?,
            Some(loc) => {
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                writeln!(f, "  --> {}:{}:{}", loc.file, loc.line, loc.col)?;
                let shown = Excerpt::of(&loc.source_line, loc.col, loc.width);
                writeln!(f, "{pad} |")?;
                writeln!(f, "{num} | {}", shown.text)?;
                writeln!(f, "{pad} | {}{}", " ".repeat(shown.indent), "^".repeat(shown.width))?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        for note in &self.notes {
            writeln!(f, "  = note: {note}")?;
        }
        Ok(())
    }
}

/// The most characters of a source line shown; a longer line is cut around the marker, and each
/// cut end shows `…`.
const EXCERPT_CHARS: usize = 100;
/// How much of a cut line is shown before the marker.
const EXCERPT_BEFORE: usize = 40;

/// A source line as shown under a message: clipped around the marker, with the marker's place
/// counted in characters (one column each: tabs and control characters are shown as one).
struct Excerpt {
    text: String,
    /// Characters before the marker.
    indent: usize,
    width: usize,
}

impl Excerpt {
    fn of(line: &str, col: usize, width: usize) -> Excerpt {
        let chars: Vec<char> = line
            .chars()
            .map(|c| {
                if c == '\t' {
                    ' '
                } else if c.is_control() {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect();
        let at = (col - 1).min(chars.len());
        if chars.len() <= EXCERPT_CHARS {
            return Excerpt { text: chars.iter().collect(), indent: at, width };
        }
        let mut start = at.saturating_sub(EXCERPT_BEFORE);
        let end = (start + EXCERPT_CHARS).min(chars.len());
        start = start.min(end.saturating_sub(EXCERPT_CHARS));
        let mut text: String = if start > 0 { "…".into() } else { String::new() };
        text.extend(&chars[start..end]);
        if end < chars.len() {
            text.push('…');
        }
        let indent = at - start + usize::from(start > 0);
        Excerpt { text, indent, width: width.min(end.saturating_sub(at)).max(1) }
    }
}

/// All diagnostics of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Errors in the report (those that only follow from another error are not counted).
    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.sorted().iter().filter(|d| !d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The report's diagnostics: errors first, then warnings; each group by file, line, column,
    /// message, except that a file whose failure explains other problems comes first. Those
    /// problems are left out and counted in a note on the file's first error.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let failed: BTreeSet<&str> =
            self.items.iter().filter(|d| d.is_error() && d.follows.is_none()).map(|d| d.file.as_str()).collect();
        let failed = |file: &str| failed.contains(file);
        let (mut consequences, mut shown): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            self.items.iter().partition(|d| d.follows.as_ref().is_some_and(|f| failed(&f.file)));
        consequences.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        consequences.dedup_by(|a, b| a == b);
        let mut counts: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        for f in consequences.iter().filter_map(|d| d.follows.as_deref()) {
            *counts.entry((f.file.as_str(), f.one, f.many)).or_default() += 1;
        }
        shown.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        shown.dedup_by(|a, b| a == b);
        let mut out: Vec<Diagnostic> = shown.into_iter().cloned().collect();
        for ((file, one, many), n) in counts {
            let Some(cause) = out.iter_mut().find(|d| d.is_error() && d.file == file) else { continue };
            cause.notes.push(match n {
                1 => format!("1 {one} was not checked because {file} did not load"),
                _ => format!("{n} {many} were not checked because {file} did not load"),
            });
        }
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out
    }

    /// The full report as the terminal shows it.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        out
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_multibyte_columns() {
        let text = "перший\nдруге слово\n";
        let start = text.find("слово").unwrap();
        let loc = locate("a.md", text, start..start + "слово".len());
        assert_eq!((loc.line, loc.col, loc.width), (2, 7, 5));
        assert_eq!(loc.source_line, "друге слово");
    }

    #[test]
    fn report_shows_line_and_marker() {
        let text = "title = \"x\"\ntitel = \"y\"\n";
        let d = Diagnostic::at("content/a.md", text, 12..17, "unknown key `titel`").with_help("did you mean `title`?");
        let shown = d.to_string();
        assert!(shown.contains("--> content/a.md:2:1"), "{shown}");
        assert!(shown.contains("2 | titel = \"y\""), "{shown}");
        assert!(shown.contains("  | ^^^^^"), "{shown}");
    }

    #[test]
    fn long_lines_are_cut_around_the_marker() {
        let before = "слово ".repeat(300);
        let text = format!("{before}ПОМИЛКА{}", " кінець".repeat(300));
        let start = before.len();
        let shown = Diagnostic::at("a.md", &text, start..start + "ПОМИЛКА".len(), "here").to_string();
        let line = shown.lines().nth(3).unwrap();
        let marker = shown.lines().nth(4).unwrap();
        assert!(line.starts_with("1 | …") && line.ends_with('…'), "{shown}");
        assert_eq!(line.chars().count(), "1 | ".len() + EXCERPT_CHARS + 2);
        let col = marker.chars().position(|c| c == '^').unwrap();
        assert_eq!(line.chars().skip(col).take(7).collect::<String>(), "ПОМИЛКА", "{shown}");
        assert_eq!(marker.chars().filter(|c| *c == '^').count(), 7);
    }

    #[test]
    fn cut_lines_keep_their_start_or_end() {
        let text = format!("ab{}", "я".repeat(500));
        let start = Excerpt::of(&text, 1, 2);
        assert_eq!((start.indent, start.width), (0, 2));
        assert!(start.text.starts_with("abя") && start.text.ends_with('…'));
        let end = Excerpt::of(&text, 502, 1);
        assert!(end.text.starts_with('…') && end.text.ends_with('я'));
        assert_eq!(end.indent, 1 + EXCERPT_CHARS - 1);
        // A marker longer than the excerpt stops at its end.
        let long = Excerpt::of(&text, 3, 500);
        assert_eq!(long.indent + long.width, EXCERPT_CHARS);
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let shown = Excerpt::of("a\u{1b}[2Jb\tc", 6, 1);
        assert_eq!(shown.text, "a\u{fffd}[2Jb c");
    }

    #[test]
    fn problems_that_follow_from_a_failed_file_are_counted_on_it() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::file_error("content/a.md", "unrelated"));
        for _ in 0..2 {
            d.push(Diagnostic::file_error("content/b.md", "unknown contact `x`").follows("data/c.toml", "use", "uses"));
        }
        d.push(Diagnostic::file_error("content/c.md", "unknown contact `y`").follows("data/c.toml", "use", "uses"));
        d.push(Diagnostic::file_error("data/c.toml", "invalid string"));
        d.push(Diagnostic::file_error("forms/f.toml", "no form").follows("forms/g.toml", "use", "uses"));
        let shown = d.sorted();
        let messages: Vec<&str> = shown.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["invalid string", "unrelated", "no form"]);
        assert_eq!(shown[0].notes, ["2 uses were not checked because data/c.toml did not load"]);
        assert_eq!(d.error_count(), 3);
        assert!(d.report().starts_with("error: invalid string\n  --> data/c.toml\n  = note: 2 uses were"));
    }

    #[test]
    fn out_of_range_span_does_not_panic() {
        let loc = locate("a", "ab", 10..20);
        assert_eq!((loc.line, loc.col), (1, 3));
    }
}

//! Diagnostics: every problem a user can fix names the file, line and column, shows the offending
//! line with a marker under the span, and may carry a hint. A build collects all of them and reports
//! them together, sorted, so one run shows every mistake.

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
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (Severity, &str, usize, usize, &str) {
        let (line, col) = self.location.as_ref().map_or((0, 0), |l| (l.line, l.col));
        (self.severity, &self.file, line, col, &self.message)
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
                writeln!(f, "{pad} |")?;
                writeln!(f, "{num} | {}", loc.source_line.replace('\t', " "))?;
                let indent = " ".repeat(loc.col - 1);
                writeln!(f, "{pad} | {indent}{}", "^".repeat(loc.width))?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
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

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Errors first, then warnings; each group by file, line, column, message.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        v.dedup_by(|a, b| a == b);
        v
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
    fn out_of_range_span_does_not_panic() {
        let loc = locate("a", "ab", 10..20);
        assert_eq!((loc.line, loc.col), (1, 3));
    }
}

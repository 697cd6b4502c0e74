//! Where in the form file an exported item was written, so a problem of the export names the
//! line and column of the expression (or key) it comes from.

use std::ops::Range;

use toml::Spanned;

use crate::diag::Diagnostic;
use crate::forms::expr::{ExprError, Span};
use crate::forms::file::{self, RawFile, RawQuestion};
use crate::forms::source_map::SourceMap;

/// An expression field of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionField {
    Relevant,
    Constraint,
    AlertIf,
    EndIf,
    Calculation,
}

/// An item of the form file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Section index, question index and field.
    Question(usize, usize, QuestionField),
    /// A question's `id` key.
    QuestionId(usize, usize),
    /// A section's `relevant`.
    SectionRelevant(usize),
    /// A section's `max` (or, without one, its `min`, or its id).
    RepeatLimits(usize),
    Indicator(usize),
    Outcome(usize),
    Version,
}

/// The form file, read once, for positions.
pub struct Places<'t> {
    pub file: &'t str,
    text: &'t str,
    raw: Option<RawFile>,
}

impl<'t> Places<'t> {
    pub fn new(file: &'t str, text: &'t str) -> Self {
        Places { file, text, raw: file::parse(text).ok() }
    }

    /// The name of the choice list a question names (`None` for an inline list).
    pub fn list_name(&self, section: usize, question: usize) -> Option<String> {
        match self.question(section, question)?.choices.as_ref()?.get_ref() {
            file::RawChoices::Named(name) => Some(name.clone()),
            file::RawChoices::Inline(_) => None,
        }
    }

    /// A problem in an expression, at the exact place of `e`'s span in the file.
    pub fn expr_problem(&self, at: At, e: &ExprError) -> Diagnostic {
        let range = match self.string(at) {
            Some(s) => SourceMap::new(self.text, s.span(), s.get_ref()).range(e.span),
            None => self.fallback(at),
        };
        let d = Diagnostic::at(self.file, self.text, range, e.message.clone());
        match &e.help {
            Some(h) => d.with_help(h.clone()),
            None => d,
        }
    }

    /// A problem with a whole item.
    pub fn problem(&self, at: At, message: impl Into<String>) -> Diagnostic {
        let range = match self.string(at) {
            Some(s) => SourceMap::new(self.text, s.span(), s.get_ref()).range(Span::new(0, s.get_ref().len())),
            None => self.fallback(at),
        };
        Diagnostic::at(self.file, self.text, range, message)
    }

    fn question(&self, section: usize, question: usize) -> Option<&RawQuestion> {
        self.raw.as_ref()?.section.get(section)?.question.get(question)
    }

    fn string(&self, at: At) -> Option<&Spanned<String>> {
        let raw = self.raw.as_ref()?;
        match at {
            At::Question(s, q, field) => {
                let q = self.question(s, q)?;
                match field {
                    QuestionField::Relevant => q.relevant.as_ref(),
                    QuestionField::Constraint => q.constraint.as_ref(),
                    QuestionField::AlertIf => q.alert_if.as_ref(),
                    QuestionField::EndIf => q.end_if.as_ref(),
                    QuestionField::Calculation => q.calculation.as_ref(),
                }
            }
            At::QuestionId(s, q) => Some(&self.question(s, q)?.id),
            At::SectionRelevant(s) => raw.section.get(s)?.relevant.as_ref(),
            At::Indicator(i) => Some(&raw.indicator.get(i)?.when),
            At::Outcome(i) => Some(&raw.outcome.get(i)?.when),
            At::Version => Some(&raw.form.version),
            At::RepeatLimits(_) => None,
        }
    }

    /// The place of an item that is not a string (a repeat's limits), or of a file that no longer
    /// parses: the start of the file.
    fn fallback(&self, at: At) -> Range<usize> {
        let raw = self.raw.as_ref();
        let span = match at {
            At::RepeatLimits(s) => raw.and_then(|r| r.section.get(s)).map(|s| {
                s.max.as_ref().map(|m| m.span()).or_else(|| s.min.as_ref().map(|m| m.span())).unwrap_or(s.id.span())
            }),
            _ => None,
        };
        span.unwrap_or(0..0)
    }
}

//! Form texts that are shown on one line — titles, choice labels, dimension names and plural
//! messages (headings, buttons, the browser's tab, a count) — hold no line break or tab. Longer
//! texts (descriptions, question labels, hints, guidance, alerts, outcomes) may: a label written
//! over several lines of the file is still one paragraph on the page.

use std::collections::BTreeMap;

use toml::Spanned;

use super::Validator;
use crate::forms::expr::Span;
use crate::forms::source_map::SourceMap;

impl Validator<'_> {
    /// An error at the first line break or tab of each language's text of `field`.
    pub(super) fn one_line(&mut self, texts: &BTreeMap<Spanned<String>, Spanned<String>>, field: &str) {
        for (lang, value) in texts {
            let Some((at, c)) = value.get_ref().char_indices().find(|(_, c)| matches!(c, '\n' | '\r' | '\t')) else {
                continue;
            };
            let what = if c == '\t' { "a tab" } else { "a line break" };
            let span = SourceMap::new(self.text, value.span(), value.get_ref()).range(Span::new(at, at + 1));
            self.error(span, format!("`{field}.{}` is shown on one line, but it holds {what}", lang.get_ref()))
                .help = Some(
                "titles, choice labels, dimension names and plural messages are shown on one line: write it without \
                 line breaks or tabs"
                    .into(),
            );
        }
    }
}

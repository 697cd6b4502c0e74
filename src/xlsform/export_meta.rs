//! The parts of an export around the questions: the counts of unknown answers, the `choices`
//! and `settings` sheets, the version number, and how texts and cells are written.

use std::collections::BTreeSet;

use super::export::Exporter;
use super::export_place::{At, QuestionField};
use super::export_write::Sheet;
use super::xpath_out::{quote, Context, Kind, Xpath};
use crate::forms::form::Presentation;
use crate::forms::Question;

/// The sums behind `missing_count`, `unanswered_count` and the «incomplete» rule.
pub(super) struct Unknowns {
    /// Every answer that is a «missing» code.
    pub missing: String,
    /// The indicator questions asked and left blank.
    pub unanswered: String,
    /// The indicator questions answered with a «missing» code.
    pub indicator_missing: String,
}

impl Exporter<'_> {
    pub(super) fn unknowns(&mut self) -> Unknowns {
        let indicator_questions: BTreeSet<String> = self.form.indicator_questions().into_iter().collect();
        let (mut missing, mut unanswered, mut indicator_missing) = (Vec::new(), Vec::new(), Vec::new());
        for (si, s) in self.form.sections.iter().enumerate() {
            for (qi, q) in s.questions.iter().enumerate() {
                if !q.is_asked() {
                    continue;
                }
                let codes = match self.model.kind(&q.id) {
                    Some(Kind::Choice { missing, .. }) => missing.clone(),
                    _ => Vec::new(),
                };
                let is_indicator = indicator_questions.contains(&q.id);
                let Some(term) = self.count_term(si, qi, q, s.repeat.is_some()) else { continue };
                if !codes.is_empty() {
                    let t = term(&|path: &str| {
                        codes.iter().map(|c| format!("selected({path}, {})", quote(c))).collect::<Vec<_>>().join(" or ")
                    });
                    if is_indicator {
                        indicator_missing.push(t.clone());
                    }
                    missing.push(t);
                }
                if is_indicator {
                    unanswered.push(term(&|path: &str| format!("string-length({path}) = 0")));
                }
            }
        }
        let sum = |v: Vec<String>| if v.is_empty() { "0".to_string() } else { v.join(" + ") };
        Unknowns { missing: sum(missing), unanswered: sum(unanswered), indicator_missing: sum(indicator_missing) }
    }

    /// A function from "what to count" (given the question's path) to the number of places the
    /// question is asked and it holds: 0 or 1 outside repeats, the number of entries inside.
    #[allow(clippy::type_complexity)]
    fn count_term(
        &mut self,
        si: usize,
        qi: usize,
        q: &Question,
        in_repeat: bool,
    ) -> Option<Box<dyn Fn(&dyn Fn(&str) -> String) -> String>> {
        let s = &self.form.sections[si];
        if !in_repeat {
            let full = self.full.get(&q.id).cloned().flatten();
            let path = format!("${{{}}}", q.id);
            return Some(Box::new(move |what| {
                format!("if({}, 1, 0)", and(&[full.clone(), Some(what(&path))]).unwrap_or_default())
            }));
        }
        let own = match &q.relevant {
            None => None,
            Some(l) => {
                let x = Xpath::new(&self.model, Context::Question).in_entry(&s.id);
                match x.truth(&l.expr) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        let at = At::Question(si, qi, QuestionField::Relevant);
                        self.problems.push(self.places.expr_problem(at, &e));
                        return None;
                    }
                }
            }
        };
        let section = self.model.repeat_relevance.get(&s.id).cloned().flatten();
        let (repeat, path) = (s.id.clone(), format!("./{}", q.id));
        Some(Box::new(move |what| {
            let count = format!("count(${{{repeat}}}[{}])", and(&[own.clone(), Some(what(&path))]).unwrap_or_default());
            match &section {
                Some(rel) => format!("if({rel}, {count}, 0)"),
                None => count,
            }
        }))
    }

    /// One list per list name the questions use (a question's inline list is named after it).
    pub(super) fn choices(&self) -> Sheet {
        let mut sheet = Sheet::with_columns(&["list_name", "name"]);
        let mut seen = BTreeSet::new();
        for (si, s) in self.form.sections.iter().enumerate() {
            for (qi, q) in s.questions.iter().enumerate() {
                if q.choices.is_empty() {
                    continue;
                }
                let list = self.places.list_name(si, qi).unwrap_or_else(|| q.id.clone());
                if !seen.insert(list.clone()) {
                    continue;
                }
                for c in &q.choices {
                    let mut row = vec![cell("list_name", &list), cell("name", &c.value)];
                    row.extend(self.texts_of("label", &c.label));
                    row.push(cell("missing", if c.missing { "yes" } else { "" }));
                    row.push(cell("htcds", c.htcds.as_deref().unwrap_or("")));
                    sheet.push(row);
                }
            }
        }
        sheet
    }

    pub(super) fn settings(&mut self) -> Sheet {
        let mut sheet = Sheet::with_columns(&["form_title", "form_id", "version", "default_language", "style"]);
        let version = match version_number(&self.form.version) {
            Some(n) => n.to_string(),
            None => {
                let d = self.places.problem(
                    At::Version,
                    format!("XLSForm needs a version number; `{}` gives none", self.form.version),
                );
                self.problems.push(d.with_help(
                    "write the version as YEAR.N or MAJOR.MINOR.PATCH (numbers only, each part below 1000 \
                     after the first): 2026.2 becomes 2026002000",
                ));
                String::new()
            }
        };
        let default = self.portal.languages.first();
        let mut row = vec![
            cell("form_title", default.map(|l| self.form.title(&l.code)).unwrap_or("")),
            cell("form_id", &self.form.id),
            cell("version", &version),
            cell("default_language", &default.map(|l| l.column()).unwrap_or_default()),
        ];
        if self.form.privacy.presentation == Some(Presentation::Steps) {
            row.push(cell("style", "pages"));
        }
        row.push(cell("namespaces", super::extra::NAMESPACES));
        row.push(cell(super::extra::SETTING, &super::extra::form_tables(self.form)));
        sheet.push(row);
        sheet
    }

    fn texts_of(&self, prefix: &str, t: &crate::forms::LangText) -> Vec<(String, String)> {
        self.portal
            .languages
            .iter()
            .map(|l| (format!("{prefix}::{}", l.column()), plain_text(crate::forms::form::text(t, &l.code))))
            .collect()
    }
}

/// The XLSForm version of a form version: `MAJOR.MINOR.PATCH` (missing parts are 0) as
/// `MAJOR × 1 000 000 + MINOR × 1 000 + PATCH`, so a later version always gets a larger number
/// (`2026.2` → 2026002000, `2026.10` → 2026010000). `None` unless every part is a number, MINOR
/// and PATCH below 1000, and the result fits the 32-bit integer ODK Central compares.
pub fn version_number(version: &str) -> Option<u32> {
    let parts: Vec<&str> = version.trim().split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u64> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if nums.iter().skip(1).any(|&n| n >= 1000) {
        return None;
    }
    let n = nums[0].checked_mul(1_000_000)? + nums.get(1).unwrap_or(&0) * 1000 + nums.get(2).unwrap_or(&0);
    u32::try_from(n).ok().filter(|&n| n <= i32::MAX as u32)
}

/// `a and b and …` over the parts there are; `None` if there are none.
pub(super) fn and(parts: &[Option<String>]) -> Option<String> {
    let present: Vec<&String> = parts.iter().flatten().filter(|p| p.as_str() != "true()").collect();
    match present.len() {
        0 => None,
        1 => Some(present[0].clone()),
        _ => Some(present.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(" and ")),
    }
}

pub(super) fn cell(column: &str, value: &str) -> (String, String) {
    (column.to_string(), value.to_string())
}

/// A form text as an XLSForm label: a link to another form (`[text](form:id)`) keeps its text
/// only, as ODK cannot open a portal page. Other Markdown is left as it is: ODK reads it.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](form:").and_then(|close| {
            let target = &after[close + 7..];
            target.find(')').map(|end| (close, close + 7 + end + 1))
        });
        match link {
            Some((close, end)) if !after[..close].contains('[') => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_grow_with_the_form_version() {
        assert_eq!(version_number("2026.2"), Some(2_026_002_000));
        assert_eq!(version_number("1"), Some(1_000_000));
        assert_eq!(version_number("1.2.3"), Some(1_002_003));
        assert!(version_number("2026.10") > version_number("2026.9"));
        assert!(version_number("2027") > version_number("2026.999.999"));
        for bad in ["", "v2", "1.x", "1.1000", "1.2.3.4", "3000", "1..2"] {
            assert_eq!(version_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn form_links_keep_their_text() {
        assert_eq!(plain_text("Go to [the child form](form:child-screening)."), "Go to the child form.");
        assert_eq!(plain_text("[a] and [b](https://x.org)"), "[a] and [b](https://x.org)");
    }
}

//! A validated [`Form`] as XLSForm sheets: the same questions, skips, checks, alerts, endings,
//! indicators and outcome as the questionnaire page, for ODK Collect, Enketo and KoboToolbox.
//!
//! The page's rules, and how they are written here:
//! * A question is asked when its section and its own `relevant` hold and no earlier `end_if`
//!   fired. Each `end_if` is a top-level calculate `end_<id>` (1 or 0); later groups and questions
//!   are relevant only while those are 0, and the note `<id>_end` shows the end message.
//! * An alert is the note `<id>_alert`, relevant while the alert's condition holds.
//! * Indicators are calculates `ind_<id>` (1 or 0), summed into `strong_count`, `medium_count`,
//!   `weak_count`; `missing_count` counts the «missing» answers, `unanswered_count` the indicator
//!   questions asked and left blank, `unknown_count` both; `ended` names the question that ended
//!   the interview; `outcome` is the id of the first outcome that holds, with the built-in
//!   `incomplete` in place of the catch-all as on the page. Each outcome has a note
//!   `outcome_<id>` shown when it is the result.
//! * What ODK has no use for but the form file needs back (dimensions, HTCDS names, citations,
//!   repeat limits, the outcomes' rules as written) rides along in [`super::extra`]'s columns.

use std::collections::HashMap;

use super::export_meta::{and, cell, plain_text};
use super::export_place::{At, Places, QuestionField};
use super::export_write::{Sheet, Sheets};
use super::extra;
use super::xpath_out::{quote, Context, Model, Xpath};
use crate::diag::Diagnostic;
use crate::forms::expr::Expr;
use crate::forms::form::{Presentation, QuestionType, Strength};
use crate::forms::{Form, LangText, Logic, Question, Section};

/// A portal language: its code and its own name (`uk`, `Українська`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    pub name: String,
}

impl Language {
    /// The suffix of a translated column: `Українська (uk)`.
    pub fn column(&self) -> String {
        format!("{} ({})", self.name, self.code)
    }
}

/// What the portal adds to a form: its languages (default first) and the texts of the built-in
/// `incomplete` outcome.
pub struct Portal {
    pub languages: Vec<Language>,
    pub incomplete_label: LangText,
    pub incomplete_action: LangText,
}

/// The sheets, and the warnings about what ODK cannot do the same way.
#[derive(Debug)]
pub struct Exported {
    pub sheets: Sheets,
    pub warnings: Vec<Diagnostic>,
}

/// The fields the export adds besides the form's own (import recognises its own workbooks by them).
pub(super) const COMPUTED: [&str; 9] = [
    "strong_count",
    "medium_count",
    "weak_count",
    "missing_count",
    "unanswered_count",
    "unknown_count",
    "ended",
    "incomplete",
    "outcome",
];

/// Builds the sheets of `form`; every problem is a diagnostic at its place in the form file.
pub fn export(form: &Form, portal: &Portal, places: &Places) -> Result<Exported, Vec<Diagnostic>> {
    let mut x = Exporter {
        form,
        portal,
        places,
        model: Model::new(form),
        survey: Sheet { columns: survey_columns(portal), rows: Vec::new() },
        problems: Vec::new(),
        end_flags: Vec::new(),
        pending_flags: Vec::new(),
        full: HashMap::new(),
    };
    x.check_names();
    for (si, s) in form.sections.iter().enumerate() {
        x.section(si, s);
    }
    x.results();
    let settings = x.settings();
    let choices = x.choices();
    if x.problems.iter().any(Diagnostic::is_error) {
        return Err(x.problems);
    }
    Ok(Exported { sheets: Sheets { survey: x.survey, choices, settings }, warnings: x.problems })
}

pub(super) struct Exporter<'a> {
    pub(super) form: &'a Form,
    pub(super) portal: &'a Portal,
    pub(super) places: &'a Places<'a>,
    pub(super) model: Model,
    pub(super) survey: Sheet,
    pub(super) problems: Vec<Diagnostic>,
    /// The `end_<id>` flags so far, in form order, with the question they belong to.
    pub(super) end_flags: Vec<(String, String)>,
    /// The calculation of each end flag, in the same order.
    pub(super) pending_flags: Vec<String>,
    /// The full relevance of every question outside repeats (`None`: always asked).
    pub(super) full: HashMap<String, Option<String>>,
}

/// The bind columns of what a question is besides its XLSForm row (see [`extra`]).
fn own_attributes(q: &Question) -> Vec<(String, String)> {
    vec![
        cell(&extra::column("core"), if q.core { "yes" } else { "" }),
        cell(&extra::column("standards"), &q.standards.join(" ")),
        cell(&extra::column("measure"), q.measure.map(extra::measure_name).unwrap_or("")),
        cell(&extra::column("htcds"), q.htcds.as_deref().unwrap_or("")),
    ]
}

fn survey_columns(portal: &Portal) -> Vec<String> {
    let mut cols = vec!["type".to_string(), "name".to_string()];
    for prefix in ["label", "hint", "guidance_hint"] {
        cols.extend(portal.languages.iter().map(|l| format!("{prefix}::{}", l.column())));
    }
    cols.extend(["required", "relevant", "constraint"].map(String::from));
    cols.extend(portal.languages.iter().map(|l| format!("constraint_message::{}", l.column())));
    cols.extend(["calculation", "appearance"].map(String::from));
    cols
}

impl<'a> Exporter<'a> {
    /// The names the export adds must not be a question's or a section's id.
    fn check_names(&mut self) {
        let mut taken: HashMap<&str, At> = HashMap::new();
        for (si, s) in self.form.sections.iter().enumerate() {
            taken.insert(&s.id, At::RepeatLimits(si));
            for (qi, q) in s.questions.iter().enumerate() {
                taken.insert(&q.id, At::QuestionId(si, qi));
            }
        }
        let mut added: Vec<String> = COMPUTED.iter().map(|s| s.to_string()).collect();
        added.extend(self.form.indicators.iter().map(|i| Model::indicator_field(&i.id)));
        added.extend(self.form.outcomes.iter().map(|o| format!("outcome_{}", o.id)));
        added.push(format!("outcome_{}", crate::forms::form::INCOMPLETE));
        for (_, q) in self.form.questions() {
            added.extend(["alert", "end"].map(|w| format!("{}_{w}", q.id)));
            added.push(format!("end_{}", q.id));
        }
        for name in added {
            if let Some(at) = taken.get(name.as_str()) {
                let d = self.places.problem(*at, format!("the id `{name}` is a field the XLSForm export adds"));
                self.problems.push(d.with_help("rename the question or section"));
            }
        }
    }

    fn section(&mut self, si: usize, s: &Section) {
        let sec = s.relevant.as_ref().and_then(|l| self.truth(l, At::SectionRelevant(si), Context::Question, None));
        let not_ended = self.not_ended(&self.end_flags.clone());
        let group_rel = and(&[sec.clone(), not_ended]);
        if s.repeat.is_some() {
            self.model.repeat_relevance.insert(s.id.clone(), group_rel.clone());
            self.repeat_limits(si, s);
        }
        let (begin, end) =
            if s.repeat.is_some() { ("begin_repeat", "end_repeat") } else { ("begin_group", "end_group") };
        let mut row = vec![cell("type", begin), cell("name", &s.id)];
        row.extend(self.texts("label", &s.title));
        row.push(cell("relevant", group_rel.as_deref().unwrap_or("")));
        if self.form.privacy.presentation == Some(Presentation::Steps) {
            row.push(cell("appearance", "field-list"));
        }
        if let Some(r) = s.repeat {
            row.push(cell(&extra::column("min"), &r.min.to_string()));
            row.push(cell(&extra::column("max"), &r.max.map(|m| m.to_string()).unwrap_or_default()));
        }
        self.survey.push(row);
        let flags_before_section = self.end_flags.len();
        for (qi, q) in s.questions.iter().enumerate() {
            let within = self.end_flags[flags_before_section..].to_vec();
            let own = q.relevant.as_ref().and_then(|l| {
                self.truth(l, At::Question(si, qi, QuestionField::Relevant), Context::Question, Some((&q.id, ".")))
            });
            let rel = and(&[own.clone(), self.not_ended(&within)]);
            if s.repeat.is_none() {
                let full = and(&[sec.clone(), own.clone(), self.not_ended(&self.end_flags.clone())]);
                self.full.insert(q.id.clone(), full);
            }
            self.question(si, qi, q, rel.clone());
            self.alert_and_end(si, qi, q, s, rel, and(&[sec.clone(), own]));
        }
        self.survey.push(vec![cell("type", end)]);
    }

    fn question(&mut self, si: usize, qi: usize, q: &Question, rel: Option<String>) {
        let list = || self.places.list_name(si, qi).unwrap_or_else(|| q.id.clone());
        let kind = match q.kind {
            QuestionType::Text | QuestionType::LongText => "text".to_string(),
            QuestionType::Integer => "integer".into(),
            QuestionType::Decimal => "decimal".into(),
            QuestionType::Date => "date".into(),
            QuestionType::Choice => format!("select_one {}", list()),
            QuestionType::MultiChoice => format!("select_multiple {}", list()),
            QuestionType::Note => "note".into(),
            QuestionType::Calculate => "calculate".into(),
        };
        let mut row = vec![cell("type", &kind), cell("name", &q.id)];
        // A calculate's label is not shown by ODK; it is kept for the way back into a form file.
        row.extend(self.texts("label", &q.label));
        for (prefix, text) in [("hint", &q.hint), ("guidance_hint", &q.guidance)] {
            if let Some(t) = text {
                row.extend(self.texts(prefix, t));
            }
        }
        if q.required {
            row.push(cell("required", "yes"));
        }
        row.push(cell("relevant", rel.as_deref().unwrap_or("")));
        if let Some(c) = &q.constraint {
            let at = At::Question(si, qi, QuestionField::Constraint);
            let t = self.truth(c, at, Context::Question, Some((&q.id, ".")));
            row.push(cell("constraint", t.as_deref().unwrap_or("")));
            if let Some(m) = &q.constraint_message {
                row.extend(self.texts("constraint_message", m));
            }
        }
        if let Some(c) = &q.calculation {
            let at = At::Question(si, qi, QuestionField::Calculation);
            let x = Xpath::new(&self.model, Context::Question).with_current(&q.id, ".");
            match x.calculation(&c.expr) {
                Ok(v) => row.push(cell("calculation", &v)),
                Err(e) => self.problems.push(self.places.expr_problem(at, &e)),
            }
        }
        if q.kind == QuestionType::LongText {
            row.push(cell("appearance", "multiline"));
        }
        row.extend(own_attributes(q));
        self.survey.push(row);
    }

    /// The alert and end notes after a question, and its end flag.
    fn alert_and_end(
        &mut self,
        si: usize,
        qi: usize,
        q: &Question,
        s: &Section,
        rel: Option<String>,
        own: Option<String>,
    ) {
        let current = format!("${{{}}}", q.id);
        if let (Some(cond), Some(text)) = (&q.alert_if, &q.alert) {
            let at = At::Question(si, qi, QuestionField::AlertIf);
            if let Some(t) = self.truth(cond, at, Context::Question, Some((&q.id, &current))) {
                self.note(&format!("{}_alert", q.id), text, &and(&[rel.clone(), Some(t)]));
            }
        }
        let Some(cond) = &q.end_if else { return };
        let at = At::Question(si, qi, QuestionField::EndIf);
        if s.repeat.is_some() {
            let d = self.places.problem(at, "an `end_if` inside a repeated section cannot be exported to XLSForm");
            self.problems.push(d.with_help("move the question out of the repeated section, or drop its `end_if`"));
            return;
        }
        let Some(t) = self.truth(cond, at, Context::Question, Some((&q.id, &current))) else { return };
        if let Some(text) = &q.end_message {
            self.note(&format!("{}_end", q.id), text, &and(&[rel, Some(t.clone())]));
        }
        let flag = format!("end_{}", q.id);
        let fires = and(&[own, Some(t)]).unwrap_or_else(|| "true()".into());
        self.end_flags.push((flag, q.id.clone()));
        self.pending_flags.push(format!("if({fires}, 1, 0)"));
    }
}

impl Exporter<'_> {
    /// The truth of a condition, or `None` with the problem recorded.
    fn truth(&mut self, l: &Logic, at: At, context: Context, current: Option<(&str, &str)>) -> Option<String> {
        let mut x = Xpath::new(&self.model, context);
        if let Some((id, path)) = current {
            x = x.with_current(id, path);
        }
        match x.truth(&l.expr) {
            Ok(t) => Some(t),
            Err(e) => {
                self.problems.push(self.places.expr_problem(at, &e));
                None
            }
        }
    }

    fn not_ended(&self, flags: &[(String, String)]) -> Option<String> {
        (!flags.is_empty()).then(|| {
            let any: Vec<String> = flags.iter().map(|(f, _)| format!("${{{f}}} = 1")).collect();
            format!("not({})", any.join(" or "))
        })
    }

    fn texts(&self, prefix: &str, t: &LangText) -> Vec<(String, String)> {
        self.portal
            .languages
            .iter()
            .map(|l| (format!("{prefix}::{}", l.column()), plain_text(crate::forms::form::text(t, &l.code))))
            .collect()
    }

    fn note(&mut self, name: &str, text: &LangText, rel: &Option<String>) {
        let mut row = vec![cell("type", "note"), cell("name", name)];
        row.extend(self.texts("label", text));
        row.push(cell("relevant", rel.as_deref().unwrap_or("")));
        self.survey.push(row);
    }

    fn calculate(&mut self, name: &str, calculation: &str) {
        self.survey.push(vec![cell("type", "calculate"), cell("name", name), cell("calculation", calculation)]);
    }

    fn repeat_limits(&mut self, si: usize, s: &Section) {
        let Some(r) = s.repeat else { return };
        if r.min > 0 || r.max.is_some() {
            let d = self.places.problem(
                At::RepeatLimits(si),
                format!(
                    "ODK Collect and Enketo do not limit how many entries of `{}` are added: its `min` and `max` are kept in the workbook, not enforced",
                    s.id
                ),
            );
            self.problems.push(d.warning().with_help("say the limit in the section's title or a question's hint"));
        }
    }
}

impl Exporter<'_> {
    /// The indicators, counts, flags and outcome after the last section.
    fn results(&mut self) {
        let mut fired = Vec::new();
        for (i, ind) in self.form.indicators.iter().enumerate() {
            if let Some(t) = self.truth(&ind.when, At::Indicator(i), Context::Indicator, None) {
                fired.push((i, (Model::indicator_field(&ind.id), format!("if({t}, 1, 0)"))));
            }
        }
        for (i, (name, calc)) in fired {
            let ind = &self.form.indicators[i];
            let mut row = vec![cell("type", "calculate"), cell("name", &name), cell("calculation", &calc)];
            // The label is not shown by ODK; it is kept for the way back into a form file.
            row.extend(self.texts("label", &ind.label));
            row.push(cell(&extra::column("dimension"), &ind.dimension));
            row.push(cell(&extra::column("strength"), extra::strength_name(ind.strength)));
            row.push(cell(&extra::column("when"), &ind.when.source));
            row.push(cell(&extra::column("standards"), &ind.standards.join(" ")));
            let htcds = ind.htcds.as_ref().map(|h| format!("{}:{}", h.field, h.value));
            row.push(cell(&extra::column("htcds"), htcds.as_deref().unwrap_or("")));
            self.survey.push(row);
        }
        for (name, strength) in
            [("strong_count", Strength::Strong), ("medium_count", Strength::Medium), ("weak_count", Strength::Weak)]
        {
            let fields: Vec<String> = self
                .form
                .indicators
                .iter()
                .filter(|i| i.strength == strength)
                .map(|i| format!("${{{}}}", Model::indicator_field(&i.id)))
                .collect();
            let sum = if fields.is_empty() { "0".to_string() } else { fields.join(" + ") };
            self.calculate(name, &sum);
        }
        let counts = self.unknowns();
        self.calculate("missing_count", &counts.missing);
        self.calculate("unanswered_count", &counts.unanswered);
        self.calculate("unknown_count", "${missing_count} + ${unanswered_count}");
        let flags = std::mem::take(&mut self.end_flags);
        let calcs = std::mem::take(&mut self.pending_flags);
        for ((flag, _), calc) in flags.iter().zip(&calcs) {
            self.calculate(flag, calc);
        }
        let ended = flags
            .iter()
            .rev()
            .fold("''".to_string(), |rest, (flag, q)| format!("if(${{{flag}}} = 1, {}, {rest})", quote(q)));
        self.calculate("ended", &ended);
        self.calculate(
            "incomplete",
            &format!(
                "if(${{unanswered_count}} > 0 or ({}) > 0 or string-length(${{ended}}) > 0, 1, 0)",
                counts.indicator_missing
            ),
        );
        self.outcome();
    }

    fn outcome(&mut self) {
        let last = self.form.outcomes.len().saturating_sub(1);
        let mut branches = Vec::new();
        for (i, o) in self.form.outcomes.iter().enumerate() {
            let Some(t) = self.truth(&o.when, At::Outcome(i), Context::Outcome, None) else { continue };
            let id = if i == last {
                format!("if(${{incomplete}} = 1, {}, {})", quote(crate::forms::form::INCOMPLETE), quote(&o.id))
            } else {
                quote(&o.id)
            };
            branches.push((t, id));
        }
        let calc = branches.iter().rev().fold("''".to_string(), |rest, (t, id)| {
            if t == "true()" {
                id.clone()
            } else {
                format!("if({t}, {id}, {rest})")
            }
        });
        self.calculate("outcome", &calc);
        let incomplete = crate::forms::Outcome {
            id: crate::forms::form::INCOMPLETE.into(),
            when: Logic {
                source: "true".into(),
                expr: Expr::new(crate::forms::expr::ExprKind::Bool(true), Default::default()),
            },
            label: self.portal.incomplete_label.clone(),
            action: Some(self.portal.incomplete_action.clone()),
        };
        for o in self.form.outcomes.iter().chain([&incomplete]) {
            let text: LangText = o
                .label
                .iter()
                .map(|(lang, label)| {
                    let action = o.action.as_ref().map(|a| crate::forms::form::text(a, lang)).unwrap_or("");
                    let joined = if action.is_empty() { label.clone() } else { format!("**{label}**\n\n{action}") };
                    (lang.clone(), joined)
                })
                .collect();
            let mut row = vec![cell("type", "note"), cell("name", &format!("outcome_{}", o.id))];
            row.extend(self.texts("label", &text));
            row.push(cell("relevant", &format!("${{outcome}} = {}", quote(&o.id))));
            if o.id != crate::forms::form::INCOMPLETE {
                // The rule as the form file writes it: its XPath reads counts only ODK has.
                row.push(cell(&extra::column("when"), &o.when.source));
            }
            self.survey.push(row);
        }
    }
}

//! From a form file to a validated [`Form`], with every problem a [`Diagnostic`] at its line and
//! column, all reported together.
//!
//! A structural problem (bad TOML, an unknown key such as `labl`, a wrong type) stops at once:
//! the serde model cannot be trusted past it. Everything else is collected: ids (format and
//! duplicates), missing translations, choice lists, standards, plural messages, dimensions, the
//! outcome list's catch-all, every expression (syntax, unknown ids, types, unknown choice values,
//! `relevant` looking forward, cycles among calculations), and required questions no interview
//! can reach.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::diag::Diagnostic;
use crate::forms::expr::{self, ExprError};
use crate::forms::file::{self, RawChoice, RawChoices, RawFile, RawQuestion, RawSection, RawText};
use crate::forms::form::{Choice, Form, LangText, Logic, Question, QuestionType, Repeat, Section};
use crate::forms::source_map::SourceMap;

mod logic;
mod mapping;
mod migration;
mod one_line;
mod results;
pub mod wording;

pub use results::plural_needed;

/// What a form is checked against: the portal's languages and its standards.
pub struct FormContext<'a> {
    /// Every language a text must have.
    pub languages: Vec<String>,
    pub default_language: String,
    /// Whether a standard (and, if given, one of its requirements) exists. `Sync` so forms can be
    /// loaded in parallel.
    pub known_standard: &'a (dyn Fn(&str, Option<&str>) -> bool + Sync),
}

/// Parses and validates one form file. `file_rel` is the path shown in diagnostics.
pub fn load(file_rel: &str, text: &str, ctx: &FormContext) -> Result<Form, Vec<Diagnostic>> {
    let raw = file::parse(text).map_err(|e| vec![toml_problem(file_rel, text, &e)])?;
    let mut v = Validator {
        file: file_rel,
        text,
        ctx,
        problems: crate::control_chars::check(file_rel, text, 0..text.len()),
        pending: Vec::new(),
        required_at: BTreeMap::new(),
    };
    let mut form = v.form(&raw);
    v.check_mappings(&raw);
    let types = logic::check_all(&mut v, &form);
    for q in form.sections.iter_mut().flat_map(|s| s.questions.iter_mut()) {
        q.value_type = types.get(&q.id).copied();
    }
    v.check_reachable(&form);
    if v.problems.iter().any(Diagnostic::is_error) {
        return Err(v.problems);
    }
    form.warnings = v.problems;
    Ok(form)
}

/// A TOML or serde error. An unknown key or value reads as such, with a "did you mean" and the
/// list of what is allowed there.
fn toml_problem(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let d = crate::config::toml_error(file, text, e);
    let message = e.message();
    let what = if message.starts_with("unknown field") {
        "key"
    } else if message.starts_with("unknown variant") {
        "value"
    } else {
        return d;
    };
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let Some((word, allowed)) = quoted.split_first() else {
        return d;
    };
    let near =
        expr::suggest(word, allowed.iter().copied()).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
    let plural = if what == "key" { "keys" } else { "values" };
    Diagnostic { message: format!("unknown {what} `{word}`"), ..d }
        .with_help(format!("{near}the {plural} here are: {}", allowed.join(", ")))
}

/// Which field of which item an expression comes from; decides its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    SectionRelevant,
    Relevant,
    Constraint,
    AlertIf,
    EndIf,
    Calculation,
    IndicatorWhen,
    OutcomeWhen,
}

/// An expression parsed during the first pass, checked once every name is known.
pub(super) struct Pending {
    pub expr: expr::Expr,
    pub map: SourceMap,
    pub field: Field,
    /// The section it belongs to (for question and section fields).
    pub section: Option<usize>,
    /// The question it belongs to (for question fields).
    pub question: Option<String>,
}

pub(super) struct Validator<'a> {
    pub file: &'a str,
    pub text: &'a str,
    ctx: &'a FormContext<'a>,
    pub problems: Vec<Diagnostic>,
    pub pending: Vec<Pending>,
    /// Where each required question says `required = true`.
    required_at: BTreeMap<String, Range<usize>>,
}

/// A declared id and where it was first seen.
type Seen = BTreeMap<String, (Range<usize>, &'static str)>;

impl Validator<'_> {
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::at(self.file, self.text, span, message);
        self.problems.push(d);
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    fn help(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::at(self.file, self.text, span, message).with_help(help);
        self.problems.push(d);
    }

    fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        let d = Diagnostic::at(self.file, self.text, span, message).warning();
        self.problems.push(d);
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        crate::diag::locate(self.file, self.text, span.clone()).line
    }

    fn form(&mut self, raw: &RawFile) -> Form {
        let h = &raw.form;
        self.form_id(&h.id);
        if h.version.get_ref().trim().is_empty() {
            self.error(h.version.span(), "the form `version` is empty");
        }
        let title = self.text(&h.title, "title", h.id.span());
        self.one_line(&h.title.0, "title");
        let description = h.description.as_ref().map(|d| self.text(d, "description", h.id.span()));
        let standards = self.standards(&h.standards);
        let lists = self.choice_lists(&raw.choices);
        let mut seen = Seen::new();
        let mut number = 0;
        let sections: Vec<Section> =
            raw.section.iter().enumerate().map(|(i, s)| self.section(i, s, &lists, &mut seen, &mut number)).collect();
        let (dimensions, indicators) = self.indicators(raw);
        let outcomes = self.outcomes(raw, h.id.span());
        let messages = self.messages(&raw.messages);
        let migrations = migration::check(self, &raw.migration, h.version.get_ref(), &sections);
        Form {
            id: h.id.get_ref().clone(),
            version: h.version.get_ref().clone(),
            title,
            description,
            standards,
            privacy: h.privacy.clone(),
            sections,
            indicators,
            outcomes,
            dimensions,
            rule: raw.dimensions.rule.clone().unwrap_or_default(),
            messages,
            warnings: Vec::new(),
            migrations,
        }
    }

    /// Form ids appear in URLs, so they may use hyphens: `initial-screening`.
    fn form_id(&mut self, id: &Spanned<String>) {
        let s = id.get_ref();
        let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            self.help(
                id.span(),
                format!("form id `{s}` must match [a-z][a-z0-9-]*"),
                "the id is part of the form's URL: use lower-case letters, digits and hyphens",
            );
        }
    }

    /// Checks an id of a section, question, choice, indicator, outcome, dimension or message.
    fn id(&mut self, id: &Spanned<String>, what: &str) -> bool {
        let s = id.get_ref();
        if !expr::is_valid_id(s) {
            let fixed: String =
                s.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            self.help(
                id.span(),
                format!("{what} id `{s}` must match [a-z][a-z0-9_]*"),
                format!("ids are lower-case ASCII letters, digits and `_`, starting with a letter, e.g. `{fixed}`"),
            );
            return false;
        }
        if expr::is_reserved(s) {
            self.help(
                id.span(),
                format!("`{s}` is a reserved word of the expression language"),
                format!("choose another {what} id"),
            );
            return false;
        }
        true
    }

    /// Records `id` in `seen`; a second definition is an error pointing back at the first.
    fn unique(&mut self, seen: &mut Seen, id: &Spanned<String>, what: &'static str) {
        if let Some((first, first_what)) = seen.get(id.get_ref()).cloned() {
            let line = self.line_of(&first);
            let name = if what == "choice value" { what.to_string() } else { format!("{what} id") };
            let help = if first_what == what {
                format!("it is first defined on line {line}; {name}s must be unique")
            } else {
                format!("the {first_what} on line {line} already uses it; sections and questions share their ids")
            };
            self.help(id.span(), format!("duplicate {name} `{}`", id.get_ref()), help);
        } else {
            seen.insert(id.get_ref().clone(), (id.span(), what));
        }
    }

    /// A per-language text: every portal language present and non-empty.
    fn text(&mut self, t: &RawText, field: &str, owner: Range<usize>) -> LangText {
        let at = t.first_span().unwrap_or(owner);
        let langs = self.ctx.languages.clone();
        for lang in &langs {
            match t.0.iter().find(|(k, _)| k.get_ref() == lang) {
                None => self.help(
                    at.clone(),
                    format!("`{field}` has no `{lang}` text"),
                    format!(
                        "add `{field}.{lang} = \"…\"`: every text needs every portal language ({})",
                        langs.join(", ")
                    ),
                ),
                Some((_, v)) if v.get_ref().trim().is_empty() => {
                    self.error(v.span(), format!("`{field}.{lang}` is empty"));
                }
                Some(_) => {}
            }
        }
        for k in t.0.keys().filter(|k| !langs.contains(k.get_ref())) {
            self.warn(k.span(), format!("`{}` is not a language of this portal ({})", k.get_ref(), langs.join(", ")));
        }
        t.0.iter().map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone())).collect()
    }

    fn opt_text(&mut self, t: &Option<RawText>, field: &str, owner: Range<usize>) -> Option<LangText> {
        t.as_ref().map(|t| self.text(t, field, owner))
    }

    /// `standards = ["ID-2.1", "ID-2.1#b"]`, each checked with the caller.
    fn standards(&mut self, list: &[Spanned<String>]) -> Vec<String> {
        for s in list {
            let (id, req) = crate::standards::split_ref(s.get_ref());
            if (self.ctx.known_standard)(id, req) {
                continue;
            }
            let (message, help) = match req {
                Some(r) if (self.ctx.known_standard)(id, None) => (
                    format!("standard `{id}` has no requirement `{r}`"),
                    "requirements are listed in the standard's front matter".to_string(),
                ),
                _ => (
                    format!("unknown standard `{id}`"),
                    "standards are defined in content/standards/; cite one as \"ID-2.1\" or a requirement as \"ID-2.1#a\"".to_string(),
                ),
            };
            self.help(s.span(), message, help);
        }
        list.iter().map(|s| s.get_ref().clone()).collect()
    }

    fn choice_lists(&mut self, raw: &BTreeMap<Spanned<String>, Vec<RawChoice>>) -> BTreeMap<String, Vec<Choice>> {
        let mut out = BTreeMap::new();
        for (name, items) in raw {
            self.id(name, "choice list");
            let choices = self.choices(items, name.span());
            out.insert(name.get_ref().clone(), choices);
        }
        out
    }

    fn choices(&mut self, items: &[RawChoice], owner: Range<usize>) -> Vec<Choice> {
        if items.is_empty() {
            self.error(owner.clone(), "a choice list needs at least one choice");
        }
        let mut seen = Seen::new();
        let mut out = Vec::new();
        for c in items {
            self.id(&c.value, "choice value");
            self.unique(&mut seen, &c.value, "choice value");
            let label = self.text(&c.label, "label", c.value.span());
            self.one_line(&c.label.0, "label");
            out.push(Choice {
                value: c.value.get_ref().clone(),
                label,
                missing: c.missing,
                htcds: c.htcds.as_ref().map(|h| h.get_ref().clone()),
            });
        }
        out
    }

    fn section(
        &mut self,
        index: usize,
        s: &RawSection,
        lists: &BTreeMap<String, Vec<Choice>>,
        seen: &mut Seen,
        number: &mut u32,
    ) -> Section {
        self.id(&s.id, "section");
        self.unique(seen, &s.id, "section");
        let title = self.text(&s.title, "title", s.id.span());
        self.one_line(&s.title.0, "title");
        let relevant = self.logic(&s.relevant, Field::SectionRelevant, Some(index), None);
        let repeat = self.repeat(s);
        let questions = s.question.iter().map(|q| self.question(index, q, lists, seen, number)).collect();
        Section { id: s.id.get_ref().clone(), title, relevant, repeat, questions }
    }

    fn repeat(&mut self, s: &RawSection) -> Option<Repeat> {
        if !s.repeat {
            for bound in [&s.min, &s.max].into_iter().flatten() {
                self.help(
                    bound.span(),
                    "`min` and `max` apply only to a repeated section",
                    "add `repeat = true` to the section, or remove the bound",
                );
            }
            return None;
        }
        let min = s.min.as_ref().map_or(0, |m| *m.get_ref());
        let max = s.max.as_ref().map(|m| *m.get_ref());
        if let (Some(m), Some(span)) = (max, s.max.as_ref().map(Spanned::span)) {
            if m == 0 || m < min {
                self.error(span, format!("`max` ({m}) must be at least 1 and not less than `min` ({min})"));
            }
        }
        Some(Repeat { min, max })
    }

    /// Parses an expression field; the type and name checks come later ([`logic::check_all`]).
    fn logic(
        &mut self,
        src: &Option<Spanned<String>>,
        field: Field,
        section: Option<usize>,
        question: Option<&str>,
    ) -> Option<Logic> {
        let src = src.as_ref()?;
        let map = SourceMap::new(self.text, src.span(), src.get_ref());
        match expr::parse(src.get_ref()) {
            Ok(e) => {
                self.pending.push(Pending {
                    expr: e.clone(),
                    map,
                    field,
                    section,
                    question: question.map(str::to_string),
                });
                Some(Logic { source: src.get_ref().clone(), expr: e })
            }
            Err(e) => {
                self.expr_error(&map, &e);
                None
            }
        }
    }

    pub(super) fn expr_error(&mut self, map: &SourceMap, e: &ExprError) {
        let d = Diagnostic::at(self.file, self.text, map.range(e.span), e.message.clone());
        self.problems.push(match &e.help {
            Some(h) => d.with_help(h.clone()),
            None => d,
        });
    }

    fn question(
        &mut self,
        section: usize,
        q: &RawQuestion,
        lists: &BTreeMap<String, Vec<Choice>>,
        seen: &mut Seen,
        number: &mut u32,
    ) -> Question {
        self.id(&q.id, "question");
        self.unique(seen, &q.id, "question");
        let kind = *q.kind.get_ref();
        let id = q.id.get_ref().clone();
        let at = q.id.span();
        self.question_fields(q, kind);
        let choices = self.question_choices(q, kind, lists);
        wording::check_yes_no_label(self, q, &choices);
        let label = match &q.label {
            Some(l) => self.text(l, "label", at.clone()),
            None if kind == QuestionType::Calculate => LangText::new(),
            None => {
                self.error(at.clone(), format!("question `{id}` has no `label`"));
                LangText::new()
            }
        };
        let required = q.required.as_ref().is_some_and(|r| *r.get_ref());
        if let Some(r) = q.required.as_ref().filter(|r| *r.get_ref()) {
            self.required_at.insert(id.clone(), r.span());
        }
        let asked = !matches!(kind, QuestionType::Note | QuestionType::Calculate);
        if asked {
            *number += 1;
        }
        let logic = |v: &mut Self, src: &Option<Spanned<String>>, field| v.logic(src, field, Some(section), Some(&id));
        Question {
            number: asked.then_some(*number),
            kind,
            choices,
            hint: self.opt_text(&q.hint, "hint", at.clone()),
            guidance: self.opt_text(&q.guidance, "guidance", at.clone()),
            required,
            relevant: logic(self, &q.relevant, Field::Relevant),
            constraint: logic(self, &q.constraint, Field::Constraint),
            constraint_message: self.opt_text(&q.constraint_message, "constraint_message", at.clone()),
            alert_if: logic(self, &q.alert_if, Field::AlertIf),
            alert: self.opt_text(&q.alert, "alert", at.clone()),
            end_if: logic(self, &q.end_if, Field::EndIf),
            end_message: self.opt_text(&q.end_message, "end_message", at.clone()),
            calculation: logic(self, &q.calculation, Field::Calculation),
            value_type: None,
            core: q.core,
            standards: self.standards(&q.standards),
            htcds: q.htcds.as_ref().map(|h| h.get_ref().clone()),
            measure: q.measure.as_ref().map(|m| *m.get_ref()),
            label,
            id,
        }
    }

    /// Fields that do not fit the question's type, and fields that need a partner.
    fn question_fields(&mut self, q: &RawQuestion, kind: QuestionType) {
        let no_answer = matches!(kind, QuestionType::Note | QuestionType::Calculate);
        let kind_name = kind.as_str();
        if no_answer {
            let answer_only = [
                ("required", q.required.as_ref().map(Spanned::span)),
                ("constraint", q.constraint.as_ref().map(Spanned::span)),
                ("alert_if", q.alert_if.as_ref().map(Spanned::span)),
                ("end_if", q.end_if.as_ref().map(Spanned::span)),
            ];
            for (field, span) in answer_only {
                if let Some(span) = span {
                    self.error(
                        span,
                        format!("a question of type `{kind_name}` has no answer, so it cannot have `{field}`"),
                    );
                }
            }
        }
        match (&q.calculation, kind == QuestionType::Calculate) {
            (None, true) => {
                self.help(
                    q.kind.span(),
                    "a `calculate` needs a `calculation`",
                    "e.g. calculation = \"count(jobs, hours > 60)\"",
                );
            }
            (Some(c), false) => {
                self.error(
                    c.span(),
                    format!("only a question of type `calculate` has a `calculation`, not `{kind_name}`"),
                );
            }
            _ => {}
        }
        let pairs = [
            ("alert_if", q.alert_if.as_ref().map(Spanned::span), "alert", q.alert.as_ref()),
            ("end_if", None, "end_message", q.end_message.as_ref()),
            ("constraint", None, "constraint_message", q.constraint_message.as_ref()),
        ];
        let conditions = [&q.alert_if, &q.end_if, &q.constraint];
        for ((cond, cond_span, msg, text), has_cond) in pairs.into_iter().zip(conditions) {
            if let (Some(span), None) = (cond_span, text) {
                self.help(
                    span,
                    format!("`{cond}` needs an `{msg}` text"),
                    format!("add `{msg} = {{ … }}` with what to do"),
                );
            }
            if let (Some(t), None) = (text, has_cond) {
                let span = t.first_span().unwrap_or(q.id.span());
                self.error(span, format!("`{msg}` without `{cond}` is never shown"));
            }
        }
    }

    fn question_choices(
        &mut self,
        q: &RawQuestion,
        kind: QuestionType,
        lists: &BTreeMap<String, Vec<Choice>>,
    ) -> Vec<Choice> {
        let takes_choices = matches!(kind, QuestionType::Choice | QuestionType::MultiChoice);
        let Some(spec) = &q.choices else {
            if takes_choices {
                self.help(
                    q.kind.span(),
                    format!("a question of type `{}` needs `choices`", kind.as_str()),
                    "name a list from [choices], e.g. choices = \"yes_no\", or list them inline",
                );
            }
            return Vec::new();
        };
        if !takes_choices {
            self.error(spec.span(), format!("a question of type `{}` takes no `choices`", kind.as_str()));
            return Vec::new();
        }
        match spec.get_ref() {
            RawChoices::Inline(items) => self.choices(items, spec.span()),
            RawChoices::Named(name) => match lists.get(name) {
                Some(list) => list.clone(),
                None => {
                    let d = self.error(spec.span(), format!("unknown choice list `{name}`"));
                    let hint = expr::suggest(name, lists.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "define it under [choices]".into());
                    d.help = Some(hint);
                    Vec::new()
                }
            },
        }
    }

    /// A required question no interview can show: its condition is always false, or it needs an
    /// answer that ends the interview.
    fn check_reachable(&mut self, form: &Form) {
        for (section, q) in form.questions() {
            let Some(at) = self.required_at.get(&q.id).cloned() else {
                continue;
            };
            let mut terms = Vec::new();
            for l in [&section.relevant, &q.relevant].into_iter().flatten() {
                crate::forms::routing::split_and(&l.expr, &mut terms);
            }
            for term in terms {
                if let Some(why) = logic::never_shown(form, term) {
                    self.help(
                        at.clone(),
                        format!("question `{}` is required, but no interview can show it", q.id),
                        why,
                    );
                    break;
                }
            }
        }
    }
}

/// Stands in for an expression that failed to parse; the form is rejected anyway.
fn placeholder(source: &str) -> Logic {
    Logic { source: source.to_string(), expr: expr::Expr::new(expr::ExprKind::Bool(false), expr::Span::default()) }
}

#[cfg(test)]
mod tests;

//! The blank paper form: the `<main>` fragment of `forms/<id>/print.html`, styled by
//! `forms.css` (A4). Numbered questions with tick boxes, answer lines and cells; required marks;
//! guidance and safety boxes; routing written from the skip logic; a scoring sheet at the end.
//!
//! Every question block carries `pf-nosplit` so it never breaks across pages. Repeated sections
//! are printed once, with one answer column per entry, so numbers stay unique and stable across
//! languages. All text is escaped.

use super::expr::{Combination, Expr};
use super::form::{text, Form, LangText, Question, QuestionType, Section, Strength, INCOMPLETE};
use super::links;
use super::routing::{routing, values_when, Routing};
use super::words::Words;
use crate::html::escape as esc;

/// Entry columns printed for a repeated section without `max`, and the most that fit on A4.
const REPEAT_COLUMNS: u32 = 3;
const MAX_COLUMNS: u32 = 4;

/// The paper form in `lang`. `t` gives UI strings (`forms.*`) in that language.
pub fn paper_form_html(form: &Form, lang: &str, t: &dyn Fn(&str) -> String) -> String {
    let p = Printer { form, lang, t, words: Words::new(form, lang, t), routing: routing(form) };
    let mut out = format!("<article class=\"pf\" lang=\"{}\">\n", esc(lang));
    p.header(&mut out);
    for section in &form.sections {
        p.section(&mut out, section);
    }
    p.scoring_sheet(&mut out);
    out.push_str("</article>\n");
    out
}

struct Printer<'a> {
    form: &'a Form,
    lang: &'a str,
    t: &'a dyn Fn(&str) -> String,
    words: Words<'a>,
    routing: Routing,
}

impl<'a> Printer<'a> {
    fn tr(&self, key: &str) -> String {
        (self.t)(key)
    }

    /// A UI string, escaped.
    fn ui(&self, key: &str) -> String {
        esc(&self.tr(key))
    }

    /// A form text, escaped; a link to another form is printed as its words.
    fn txt(&self, t: &LangText) -> String {
        esc(&links::plain(text(t, self.lang)))
    }

    fn header(&self, out: &mut String) {
        let f = self.form;
        out.push_str("<header class=\"pf-header\">\n");
        out.push_str(&format!("<h1 class=\"pf-title\">{}</h1>\n", self.txt(&f.title)));
        let version = self.tr("forms.paper.version").replace("{version}", &f.version);
        out.push_str(&format!("<p class=\"pf-meta\">{} · <code>{}</code></p>\n", esc(&version), esc(&f.id)));
        if let Some(d) = &f.description {
            out.push_str(&format!("<p class=\"pf-description\">{}</p>\n", self.txt(d)));
        }
        out.push_str(&format!(
            "<div class=\"pf-notice\" role=\"note\">\n<p>{}</p>\n<p>{}</p>\n</div>\n",
            self.ui("forms.paper.supports_procedure"),
            self.ui("forms.paper.not_validated")
        ));
        out.push_str(&format!(
            "<dl class=\"pf-fill\"><dt>{}</dt><dd></dd><dt>{}</dt><dd></dd></dl>\n",
            self.ui("forms.paper.date"),
            self.ui("forms.paper.interviewer")
        ));
        out.push_str(&format!(
            "<p class=\"pf-required-key\"><span class=\"pf-required\">*</span> {}</p>\n",
            self.ui("forms.paper.required_key")
        ));
        out.push_str("</header>\n");
    }

    fn section(&self, out: &mut String, s: &Section) {
        let printed: Vec<&Question> = s.questions.iter().filter(|q| q.kind != QuestionType::Calculate).collect();
        if printed.is_empty() {
            return;
        }
        out.push_str(&format!(
            "<section class=\"pf-section\" id=\"pf-s-{}\">\n<h2 class=\"pf-section-title\">{}</h2>\n",
            esc(&s.id),
            self.txt(&s.title)
        ));
        if let Some(rel) = &s.relevant {
            if !printed.iter().all(|q| self.routing.covers(&q.id)) {
                let cond = self.words.render(&rel.expr);
                let line = self.tr("forms.paper.section_only_if").replace("{cond}", &cond);
                out.push_str(&format!("<p class=\"pf-condition\">{}</p>\n", esc(&line)));
            }
        }
        let columns = s.repeat.map(|r| repeat_columns(r.min, r.max));
        if let Some(n) = columns {
            self.repeat_instruction(out, &printed, n);
        }
        for q in printed {
            if q.kind == QuestionType::Note {
                self.note(out, q);
            } else {
                self.question(out, q, columns);
            }
        }
        out.push_str("</section>\n");
    }

    /// How the entries of a repeated section are laid out: text and numbers get a row per
    /// entry, choices a column per entry (see [`Printer::answer_area`]).
    fn repeat_instruction(&self, out: &mut String, printed: &[&Question], n: u32) {
        let kinds = || printed.iter().map(|q| q.kind).filter(|k| *k != QuestionType::Note);
        let is_choice = |k: QuestionType| matches!(k, QuestionType::Choice | QuestionType::MultiChoice);
        let key = match (kinds().any(|k| !is_choice(k)), kinds().any(is_choice)) {
            (true, true) => "forms.paper.repeat_both",
            (false, true) => "forms.paper.repeat_columns",
            _ => "forms.paper.repeat_rows",
        };
        let line = self.tr(key).replace("{n}", &n.to_string()).replace("{first}", &self.entry_label(1));
        out.push_str(&format!("<p class=\"pf-instruction pf-repeat\">{}</p>\n", esc(&line)));
    }

    fn note(&self, out: &mut String, q: &Question) {
        out.push_str(&format!(
            "<div class=\"pf-note pf-nosplit\" id=\"pf-q-{}\">\n<p>{}</p>\n",
            esc(&q.id),
            self.txt(&q.label)
        ));
        self.condition(out, q);
        self.guidance(out, q);
        out.push_str("</div>\n");
    }

    fn question(&self, out: &mut String, q: &Question, columns: Option<u32>) {
        let number = q.number.map(|n| n.to_string()).unwrap_or_default();
        out.push_str(&format!("<div class=\"pf-q pf-nosplit\" id=\"pf-q-{}\" data-number=\"{number}\">\n", esc(&q.id)));
        let required = if q.required {
            format!(" <span class=\"pf-required\" title=\"{}\">*</span>", self.ui("forms.paper.required"))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<p class=\"pf-label\"><span class=\"pf-num\">{number}.</span> {}{required}</p>\n",
            self.txt(&q.label)
        ));
        self.condition(out, q);
        for hint in [&q.hint, &q.constraint_message].into_iter().flatten() {
            out.push_str(&format!("<p class=\"pf-hint\">{}</p>\n", self.txt(hint)));
        }
        self.answer_area(out, q, columns);
        self.guidance(out, q);
        self.alert(out, q);
        self.go_to(out, q);
        self.end(out, q);
        out.push_str("</div>\n");
    }

    /// "(Only if «Yes» in 5)" for questions a go-to skips, else "Ask only if: …".
    fn condition(&self, out: &mut String, q: &Question) {
        if let Some(only) = self.routing.only_if.get(&q.id) {
            let Some(controller) = self.form.question(&only.controller) else {
                return;
            };
            let values: Vec<&str> = only.values.iter().map(String::as_str).collect();
            let line = self
                .tr("forms.paper.only_if")
                .replace("{n}", &controller.number.unwrap_or(0).to_string())
                .replace("{answers}", &self.words.choice_list(controller, &values));
            out.push_str(&format!("<p class=\"pf-only-if\">({})</p>\n", esc(&line)));
        } else if let Some(rel) = &q.relevant {
            let cond = self.words.at(q).render(&rel.expr);
            let line = self.tr("forms.paper.ask_only_if").replace("{cond}", &cond);
            out.push_str(&format!("<p class=\"pf-condition\">{}</p>\n", esc(&line)));
        }
    }

    fn guidance(&self, out: &mut String, q: &Question) {
        if let Some(g) = &q.guidance {
            out.push_str(&format!(
                "<aside class=\"pf-guidance\">\n<p class=\"pf-box-title\">{}</p>\n<p>{}</p>\n</aside>\n",
                self.ui("forms.paper.guidance"),
                self.txt(g)
            ));
        }
    }

    fn alert(&self, out: &mut String, q: &Question) {
        let (Some(cond), Some(alert)) = (&q.alert_if, &q.alert) else {
            return;
        };
        out.push_str(&format!(
            "<aside class=\"pf-alert\" role=\"note\">\n<p class=\"pf-box-title\">⚠ {}</p>\n<p>{}:</p>\n<p>{}</p>\n</aside>\n",
            self.ui("forms.paper.alert"),
            esc(&self.when_answer(q, &cond.expr)),
            self.txt(alert)
        ));
    }

    fn go_to(&self, out: &mut String, q: &Question) {
        let Some(go) = self.routing.go_to.get(&q.id) else {
            return;
        };
        let values: Vec<&str> = go.skip_values.iter().map(String::as_str).collect();
        let cond = self.tr("forms.paper.if").replace("{cond}", &self.words.choice_list(q, &values));
        let action = match go.target {
            Some(n) => self.tr("forms.paper.go_to").replace("{n}", &n.to_string()),
            None => self.tr("forms.paper.go_to_end"),
        };
        out.push_str(&format!("<p class=\"pf-routing\">{} → {}</p>\n", esc(&cond), esc(&action)));
    }

    fn end(&self, out: &mut String, q: &Question) {
        let Some(cond) = &q.end_if else {
            return;
        };
        let message = q
            .end_message
            .as_ref()
            .map(|m| format!(". <span class=\"pf-end-message\">{}</span>", self.txt(m)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<p class=\"pf-end\">{} → <span class=\"pf-end-word\">{}</span>{message}</p>\n",
            esc(&self.when_answer(q, &cond.expr)),
            self.ui("forms.paper.end")
        ));
    }

    /// "If «No»" for a simple test on the answer, else "If <condition in words>".
    fn when_answer(&self, q: &Question, e: &Expr) -> String {
        let cond = match values_when(q, e) {
            Some(values) if !values.is_empty() => {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                self.words.choice_list(q, &values)
            }
            _ => self.words.at(q).render(e),
        };
        self.tr("forms.paper.if").replace("{cond}", &cond)
    }

    fn answer_area(&self, out: &mut String, q: &Question, columns: Option<u32>) {
        match (q.kind, columns) {
            (QuestionType::Choice | QuestionType::MultiChoice, None) => self.choices(out, q),
            (QuestionType::Choice | QuestionType::MultiChoice, Some(n)) => self.choice_grid(out, q, n),
            (kind, None) => out.push_str(&blank(kind)),
            (kind, Some(n)) => {
                for entry in 1..=n {
                    out.push_str(&format!(
                        "<div class=\"pf-entry\"><span class=\"pf-entry-label\">{}</span>{}</div>\n",
                        esc(&self.entry_label(entry)),
                        blank(kind)
                    ));
                }
            }
        }
        if let QuestionType::Date = q.kind {
            out.push_str(&format!("<p class=\"pf-cells-caption\">{}</p>\n", self.ui("forms.paper.date_format")));
        }
    }

    fn entry_label(&self, entry: u32) -> String {
        self.tr("forms.paper.entry").replace("{n}", &entry.to_string())
    }

    /// The box to tick (drawn by the stylesheet: a square for "all that apply", a circle for
    /// "one"), the list's class and the instruction.
    fn tick(&self, q: &Question) -> (&'static str, &'static str, String) {
        match q.kind {
            QuestionType::MultiChoice => (BOX_MANY, "pf-many", self.ui("forms.tick_all")),
            _ => (BOX_ONE, "pf-one", self.ui("forms.tick_one")),
        }
    }

    fn choices(&self, out: &mut String, q: &Question) {
        let (mark, class, instruction) = self.tick(q);
        out.push_str(&format!("<p class=\"pf-instruction\">{instruction}</p>\n"));
        out.push_str(&format!("<ul class=\"pf-choices {class}\">\n"));
        for c in &q.choices {
            let missing = if c.missing { " class=\"pf-missing\"" } else { "" };
            out.push_str(&format!("<li{missing}>{mark} {}</li>\n", self.txt(&c.label)));
        }
        out.push_str("</ul>\n");
    }

    /// One column of boxes per entry of a repeated section.
    fn choice_grid(&self, out: &mut String, q: &Question, columns: u32) {
        let (mark, class, instruction) = self.tick(q);
        out.push_str(&format!("<p class=\"pf-instruction\">{instruction}</p>\n"));
        out.push_str(&format!("<table class=\"pf-grid {class}\">\n<thead><tr><td></td>"));
        for entry in 1..=columns {
            out.push_str(&format!("<th scope=\"col\">{}</th>", esc(&self.entry_label(entry))));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for c in &q.choices {
            out.push_str(&format!("<tr><th scope=\"row\">{}</th>", self.txt(&c.label)));
            for _ in 0..columns {
                out.push_str(&format!("<td>{mark}</td>"));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn scoring_sheet(&self, out: &mut String) {
        let f = self.form;
        out.push_str(&format!(
            "<section class=\"pf-scoring\" id=\"pf-scoring\">\n<h2 class=\"pf-section-title\">{}</h2>\n<p>{}</p>\n",
            self.ui("forms.scoring.title"),
            self.ui("forms.scoring.intro")
        ));
        if !f.indicators.is_empty() {
            self.indicator_table(out);
            out.push_str(&format!("<p class=\"pf-rule\">{}</p>\n", esc(&self.rule_in_words())));
            self.indicator_questions(out);
            out.push_str("<p class=\"pf-totals\">");
            // What the outcome rules count, each in one cell: the rules never need a sum of cells.
            for key in ["strong", "medium", "weak", "unknown"] {
                out.push_str(&format!(
                    "<span>{}: <span class=\"pf-total-cell\"></span></span> ",
                    self.ui(&format!("forms.scoring.total_{key}"))
                ));
            }
            out.push_str("</p>\n");
        }
        self.outcome_rules(out);
        out.push_str(&format!(
            "<h3>{}</h3>\n<div class=\"pf-lines\"><span class=\"pf-line\"></span><span class=\"pf-line\"></span><span class=\"pf-line\"></span></div>\n</section>\n",
            self.ui("forms.scoring.reasons")
        ));
    }

    fn indicator_table(&self, out: &mut String) {
        out.push_str(&format!(
            "<table class=\"pf-indicators\">\n<thead><tr><th class=\"pf-tick-col\">✓</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n",
            self.ui("forms.scoring.indicator"),
            self.ui("forms.scoring.strength"),
            self.ui("forms.scoring.condition")
        ));
        for dim in &self.form.dimensions {
            out.push_str(&format!(
                "<tbody>\n<tr class=\"pf-dimension-row\"><th colspan=\"4\">{}</th></tr>\n",
                self.txt(&dim.label)
            ));
            for ind in self.form.indicators.iter().filter(|i| i.dimension == dim.id) {
                out.push_str(&format!(
                    "<tr id=\"pf-i-{}\"><td class=\"pf-tick-col\">{BOX_MANY}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(&ind.id),
                    self.txt(&ind.label),
                    self.ui(strength_key(ind.strength)),
                    esc(&capitalized(&self.words.render(&ind.when.expr)))
                ));
            }
            out.push_str(&format!(
                "<tr class=\"pf-dimension-total\"><td class=\"pf-tick-col\">{BOX_MANY}</td><td colspan=\"3\">{}</td></tr>\n</tbody>\n",
                self.ui("forms.scoring.dimension_positive")
            ));
        }
        out.push_str("</table>\n");
    }

    /// The numbers of the indicator questions: one left blank makes the screening incomplete.
    fn indicator_questions(&self, out: &mut String) {
        let numbers: Vec<String> = self
            .form
            .indicator_questions()
            .iter()
            .filter_map(|id| self.form.question(id)?.number.map(|n| n.to_string()))
            .collect();
        let line = self.tr("forms.incomplete.questions").replace("{list}", &numbers.join(", "));
        out.push_str(&format!("<p class=\"pf-indicator-questions\">{}</p>\n", esc(&line)));
    }

    /// "A dimension is positive with at least: strong — 2; or strong — 1 and medium or weak — 1…"
    fn rule_in_words(&self) -> String {
        let alternatives: Vec<String> = self.form.rule.any_of.iter().map(|c| self.combination_in_words(c)).collect();
        let or = format!("; {} ", self.tr("forms.words.or"));
        self.tr("forms.scoring.rule").replace("{rule}", &alternatives.join(&or))
    }

    fn combination_in_words(&self, c: &Combination) -> String {
        let parts: Vec<String> = [
            (c.strong, "forms.scoring.n_strong"),
            (c.medium, "forms.scoring.n_medium"),
            (c.weak, "forms.scoring.n_weak"),
            (c.medium_or_weak, "forms.scoring.n_medium_or_weak"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, key)| self.tr(key).replace("{n}", &n.to_string()))
        .collect();
        let and = format!(" {} ", self.tr("forms.words.and"));
        parts.join(&and)
    }

    fn outcome_rules(&self, out: &mut String) {
        out.push_str(&format!("<h3>{}</h3>\n<ol class=\"pf-outcomes\">\n", self.ui("forms.scoring.outcomes")));
        let last = self.form.outcomes.len().saturating_sub(1);
        for (i, o) in self.form.outcomes.iter().enumerate() {
            if i == last {
                // The questionnaire's own rule, just before the catch-all, as it decides there.
                let label = esc(&self.tr("forms.incomplete.label"));
                let action = esc(&self.tr("forms.incomplete.action"));
                outcome_item(out, INCOMPLETE, &self.tr("forms.incomplete.rule"), &label, &action);
            }
            let when = if i == last {
                self.tr("forms.scoring.otherwise")
            } else {
                let cond = self.words.render(&o.when.expr);
                self.tr("forms.paper.if").replace("{cond}", &cond)
            };
            let action = o.action.as_ref().map(|a| self.txt(a)).unwrap_or_default();
            outcome_item(out, &o.id, &when, &self.txt(&o.label), &action);
        }
        out.push_str("</ol>\n");
    }
}

/// One rule of the outcome list; `label` and `action` are escaped already.
fn outcome_item(out: &mut String, id: &str, when: &str, label: &str, action: &str) {
    let action =
        if action.is_empty() { String::new() } else { format!("<span class=\"pf-outcome-action\">{action}</span>") };
    out.push_str(&format!(
        "<li id=\"pf-o-{}\"><span class=\"pf-outcome-when\">{}:</span> {BOX_MANY} <strong>{label}</strong>{action}</li>\n",
        esc(id),
        esc(when),
    ));
}

/// Boxes to tick, drawn by the stylesheet at a size a pen can mark (no glyph: a font's ○ and □
/// print at the size of a letter).
const BOX_ONE: &str = "<span class=\"pf-box pf-box-one\" aria-hidden=\"true\"></span>";
const BOX_MANY: &str = "<span class=\"pf-box pf-box-many\" aria-hidden=\"true\"></span>";

/// `s` with its first letter in capitals, for a condition that starts a table cell.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn strength_key(s: Strength) -> &'static str {
    match s {
        Strength::Strong => "forms.strength.strong",
        Strength::Medium => "forms.strength.medium",
        Strength::Weak => "forms.strength.weak",
    }
}

fn repeat_columns(min: u32, max: Option<u32>) -> u32 {
    max.unwrap_or(REPEAT_COLUMNS).max(min).clamp(1, MAX_COLUMNS)
}

/// Lines for text, cells for numbers and dates.
fn blank(kind: QuestionType) -> String {
    let cells = |n: usize| "<span class=\"pf-cell\"></span>".repeat(n);
    let sep = |c: &str| format!("<span class=\"pf-cell-sep\">{c}</span>");
    match kind {
        QuestionType::LongText => {
            format!("<div class=\"pf-lines\">{}</div>\n", "<span class=\"pf-line\"></span>".repeat(4))
        }
        QuestionType::Integer => format!("<div class=\"pf-cells\">{}</div>\n", cells(3)),
        QuestionType::Decimal => {
            format!("<div class=\"pf-cells\">{}{}{}</div>\n", cells(4), sep(","), cells(2))
        }
        QuestionType::Date => {
            format!("<div class=\"pf-cells\">{}{}{}{}{}</div>\n", cells(2), sep("."), cells(2), sep("."), cells(4))
        }
        _ => "<div class=\"pf-lines\"><span class=\"pf-line\"></span></div>\n".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{keys, load_ok, BASE};
    use super::*;

    #[test]
    fn every_text_is_escaped() {
        let text = BASE.replace(
            "label = { uk = \"Вік\", en = \"Age\" }",
            "label = { uk = \"<b>Вік</b> & \\\"x\\\"\", en = \"Age\" }",
        );
        let html = paper_form_html(&load_ok(&text), "uk", &keys);
        assert!(html.contains("&lt;b&gt;Вік&lt;/b&gt; &amp; &quot;x&quot;"), "{html}");
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn questions_carry_numbers_routing_and_the_no_split_class() {
        let html = paper_form_html(&load_ok(BASE), "uk", &keys);
        assert!(html.contains("<div class=\"pf-q pf-nosplit\" id=\"pf-q-consent\" data-number=\"1\">"));
        assert!(html.contains("<p class=\"pf-routing\">forms.paper.if → forms.paper.go_to</p>"));
        assert!(html.contains("<span class=\"pf-end-word\">forms.paper.end</span>"));
        assert!(!html.contains("long_days"), "calculations are not printed");
    }

    #[test]
    fn repeated_sections_get_one_column_per_entry() {
        let html = paper_form_html(&load_ok(BASE), "uk", &keys);
        let hours = html.split("id=\"pf-q-hours\"").nth(1).unwrap_or_default();
        let block = hours.split("</section>").next().unwrap_or_default();
        assert_eq!(block.matches("class=\"pf-entry\"").count(), 2, "max = 2 entries");
        assert_eq!(repeat_columns(0, None), 3);
        assert_eq!(repeat_columns(0, Some(9)), 4);
        assert_eq!(repeat_columns(2, Some(1)), 2);
    }
}

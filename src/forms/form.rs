//! The validated form: what every output (interactive page, paper form, schema, traceability
//! matrix) reads. Built only by [`super::validate::load`], so its invariants hold: ids are unique
//! and well formed, every text has every portal language, every expression parsed and type-checked,
//! and question numbers run 1..N in form order.

use std::collections::BTreeMap;

use super::expr::Expr;
pub use super::file::{Export, Measure, Presentation, Privacy, QuestionType, Storage, Strength};

/// Text per language code. After validation it holds every language of the portal.
pub use crate::config::LangText;

/// The text in `lang`, or the first text there is (never panics on a language the form lacks).
pub fn text<'a>(t: &'a LangText, lang: &str) -> &'a str {
    t.get(lang).or_else(|| t.values().next()).map(String::as_str).unwrap_or("")
}

/// The id of the outcome every questionnaire and scoring sheet has besides the form's own: it
/// takes the place of the catch-all while an indicator question that was asked is blank or
/// answered "doesn't know", or when the interview ended early. No form may use the id.
pub const INCOMPLETE: &str = "incomplete";

/// An expression with the source it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Logic {
    pub source: String,
    pub expr: Expr,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub id: String,
    pub version: String,
    pub title: LangText,
    pub description: Option<LangText>,
    pub standards: Vec<String>,
    pub privacy: Privacy,
    pub sections: Vec<Section>,
    pub indicators: Vec<Indicator>,
    /// In evaluation order; the last one is the catch-all (`when = "true"`).
    pub outcomes: Vec<Outcome>,
    /// Dimensions in the order indicators first use them.
    pub dimensions: Vec<Dimension>,
    pub rule: super::expr::DimensionRule,
    /// `[messages.<name>]`: language → CLDR category → text with `{n}`.
    pub messages: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// Problems that do not stop the build (a text in a language the portal lacks, …).
    pub warnings: Vec<crate::diag::Diagnostic>,
    /// How records of older versions read as this one, one per older version.
    pub migrations: Vec<Migration>,
}

/// How a record of the older version `from` reads as the current version: its names checked
/// against the current form (see `validate::migration`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Migration {
    pub from: String,
    /// Old question or repeated-section id → current id.
    pub renamed: BTreeMap<String, String>,
    /// Questions of the older version the current one no longer has.
    pub removed: Vec<String>,
    /// Current question id → its changed choice values.
    pub choices: BTreeMap<String, ChoiceMigration>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChoiceMigration {
    /// Old value → current value.
    pub renamed: BTreeMap<String, String>,
    /// Values the question no longer offers.
    pub removed: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: LangText,
    pub relevant: Option<Logic>,
    pub repeat: Option<Repeat>,
    pub questions: Vec<Question>,
}

/// A section asked once per entry (per job, per person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    pub min: u32,
    pub max: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub kind: QuestionType,
    /// Printed number, 1..N across the whole form; `None` for notes and calculations.
    pub number: Option<u32>,
    pub choices: Vec<Choice>,
    pub label: LangText,
    pub hint: Option<LangText>,
    pub guidance: Option<LangText>,
    pub required: bool,
    pub relevant: Option<Logic>,
    pub constraint: Option<Logic>,
    pub constraint_message: Option<LangText>,
    pub alert_if: Option<Logic>,
    pub alert: Option<LangText>,
    pub end_if: Option<Logic>,
    pub end_message: Option<LangText>,
    pub calculation: Option<Logic>,
    /// The type of a calculation's value, as the checker found it.
    pub value_type: Option<super::expr::Type>,
    pub core: bool,
    pub standards: Vec<String>,
    /// The HTCDS field the answer corresponds to (checked against the standard's field list).
    pub htcds: Option<String>,
    /// What the monitoring summary reads the answer as.
    pub measure: Option<Measure>,
}

impl Question {
    /// The choice with this stored value.
    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.value == value)
    }

    /// Whether the question is asked (and so printed and exported as an answer).
    pub fn is_asked(&self) -> bool {
        !matches!(self.kind, QuestionType::Note | QuestionType::Calculate)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: LangText,
    /// "Doesn't know" / "Prefers not to say".
    pub missing: bool,
    /// The value of the question's HTCDS field this choice stands for.
    pub htcds: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub dimension: String,
    pub strength: Strength,
    pub when: Logic,
    pub label: LangText,
    pub standards: Vec<String>,
    /// The HTCDS field and value the indicator stands for.
    pub htcds: Option<HtcdsValue>,
}

/// One value of one HTCDS field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtcdsValue {
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub when: Logic,
    pub label: LangText,
    pub action: Option<LangText>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub id: String,
    pub label: LangText,
}

/// What a citation of a standard is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CitationKind {
    Form,
    Question,
    Indicator,
}

/// One `standards = [...]` entry, for the traceability matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub standard: String,
    pub requirement: Option<String>,
    pub kind: CitationKind,
    /// The form id for [`CitationKind::Form`], else the question or indicator id.
    pub item_id: String,
    pub label: LangText,
    /// The printed question number, for questions that have one.
    pub number: Option<u32>,
}

impl Form {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn title(&self, lang: &str) -> &str {
        text(&self.title, lang)
    }

    /// Every question in form order, with the section it belongs to.
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections.iter().flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The migration that reads records of `version` as this one.
    pub fn migration_from(&self, version: &str) -> Option<&Migration> {
        self.migrations.iter().find(|m| m.from == version)
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    /// The indicator questions, in form order: every asked question an indicator's `when` reads,
    /// directly or through calculations. A screening is complete only when each of them that was
    /// asked has an answer that is not "doesn't know" or "prefers not to say".
    pub fn indicator_questions(&self) -> Vec<String> {
        let mut read = std::collections::BTreeSet::new();
        let mut todo: Vec<String> =
            self.indicators.iter().flat_map(|i| i.when.expr.references()).map(|(id, _)| id).collect();
        while let Some(id) = todo.pop() {
            if !read.insert(id.clone()) {
                continue;
            }
            if let Some(calc) = self.question(&id).and_then(|q| q.calculation.as_ref()) {
                todo.extend(calc.expr.references().into_iter().map(|(id, _)| id));
            }
        }
        self.questions()
            .map(|(_, q)| q)
            .filter(|q| q.is_asked() && read.contains(&q.id))
            .map(|q| q.id.clone())
            .collect()
    }

    /// Every standard the form, its questions and its indicators cite, in form order.
    pub fn citations(&self) -> Vec<Citation> {
        let mut out = Vec::new();
        let mut push = |refs: &[String], kind, item_id: &str, label: &LangText, number| {
            for r in refs {
                let (standard, requirement) = crate::standards::split_ref(r);
                out.push(Citation {
                    standard: standard.to_string(),
                    requirement: requirement.map(str::to_string),
                    kind,
                    item_id: item_id.to_string(),
                    label: label.clone(),
                    number,
                });
            }
        };
        push(&self.standards, CitationKind::Form, &self.id, &self.title, None);
        for (_, q) in self.questions() {
            push(&q.standards, CitationKind::Question, &q.id, &q.label, q.number);
        }
        for i in &self.indicators {
            push(&i.standards, CitationKind::Indicator, &i.id, &i.label, None);
        }
        out
    }
}

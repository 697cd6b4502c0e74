//! What the translation to XPath knows of a form: each id's kind and repeat section, the
//! indicators (for `dim_positive`) and the repeat sections' relevance.

use std::collections::HashMap;

use crate::forms::expr::DimensionRule;
use crate::forms::form::{QuestionType, Strength};
use crate::forms::Form;

/// What an id holds, as the translation needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Number,
    Text,
    Date,
    /// A choice or multi_choice question, with its «missing» codes.
    Choice {
        multi: bool,
        missing: Vec<String>,
    },
    /// A calculation whose value is true/false: stored as `'true'`/`'false'`.
    Bool,
    Repeat,
}

/// Every id of a form with its kind and repeat section, and the names of the computed fields.
pub struct Model {
    /// Each indicator's id, dimension and strength, for `dim_positive`.
    pub indicators: Vec<(String, String, Strength)>,
    pub rule: DimensionRule,
    pub(super) ids: HashMap<String, (Kind, Option<String>)>,
    /// The full relevance of each repeat section (`None`: always asked).
    pub repeat_relevance: HashMap<String, Option<String>>,
}

impl Model {
    pub fn new(form: &Form) -> Self {
        let mut ids = HashMap::new();
        for s in &form.sections {
            let repeat = s.repeat.map(|_| s.id.clone());
            if repeat.is_some() {
                ids.insert(s.id.clone(), (Kind::Repeat, None));
            }
            for q in &s.questions {
                let missing = || q.choices.iter().filter(|c| c.missing).map(|c| c.value.clone()).collect();
                let kind = match q.kind {
                    QuestionType::Integer | QuestionType::Decimal => Kind::Number,
                    QuestionType::Date => Kind::Date,
                    QuestionType::Choice => Kind::Choice { multi: false, missing: missing() },
                    QuestionType::MultiChoice => Kind::Choice { multi: true, missing: missing() },
                    QuestionType::Calculate => match q.value_type {
                        Some(crate::forms::expr::Type::Bool) => Kind::Bool,
                        Some(crate::forms::expr::Type::Number) => Kind::Number,
                        Some(crate::forms::expr::Type::Date) => Kind::Date,
                        _ => Kind::Text,
                    },
                    QuestionType::Text | QuestionType::LongText | QuestionType::Note => Kind::Text,
                };
                ids.insert(q.id.clone(), (kind, repeat.clone()));
            }
        }
        let indicators = form.indicators.iter().map(|i| (i.id.clone(), i.dimension.clone(), i.strength)).collect();
        Model::from_ids(ids, indicators, form.rule.clone())
    }

    /// A model of ids that need not come from a form: each id's kind and repeat section.
    pub fn from_ids(
        ids: HashMap<String, (Kind, Option<String>)>,
        indicators: Vec<(String, String, Strength)>,
        rule: DimensionRule,
    ) -> Self {
        Model { ids, indicators, rule, repeat_relevance: HashMap::new() }
    }

    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.ids.get(id).map(|(k, _)| k)
    }

    /// The XLSForm name of an indicator's calculate field.
    pub fn indicator_field(id: &str) -> String {
        format!("ind_{id}")
    }
}

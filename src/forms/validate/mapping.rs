//! What a form's questions, choices and indicators stand for outside the form: a field and value
//! of the Human Trafficking Case Data Standard (`htcds = "…"`), checked against the standard's
//! field list shipped with Oberih; and what monitoring statistics read an answer as
//! (`measure = "age"` on an integer question, `measure = "sex"` on a choice question, each at
//! most once and outside repeated sections, since a record has one age and one sex).

use std::collections::BTreeMap;

use toml::Spanned;

use super::Validator;
use crate::forms::expr;
use crate::forms::file::{Measure, QuestionType, RawChoice, RawChoices, RawFile, RawQuestion};
use crate::htcds::{self, Field, FieldType};

const FIELDS_HELP: &str =
    "HTCDS field names carry their table's prefix (`prs_`, `vic_`, `cas_`…), e.g. `vic_MethodsOfControl`";

impl Validator<'_> {
    pub(super) fn check_mappings(&mut self, raw: &RawFile) {
        let mut measured: BTreeMap<&'static str, usize> = BTreeMap::new();
        for s in &raw.section {
            for q in &s.question {
                let choices = self.raw_choices(q, raw);
                self.question_htcds(q, &choices, s.repeat);
                self.measure(q, s.repeat, &mut measured);
            }
        }
        for i in &raw.indicator {
            let Some(h) = &i.htcds else { continue };
            match h.get_ref().split_once(':') {
                Some((name, value)) => {
                    if let Some(f) = self.htcds_field(h, name) {
                        if !matches!(f.kind, FieldType::Picklist | FieldType::Multiselect) {
                            self.help(
                                h.span(),
                                format!(
                                    "HTCDS field `{name}` is not a picklist, so an indicator cannot give it a value"
                                ),
                                "map indicators to picklist fields such as `vic_MethodsOfControl`",
                            );
                        } else {
                            self.htcds_value(h, f, value);
                        }
                    }
                }
                None => self.help(
                    h.span(),
                    "an indicator's `htcds` names a field and a value",
                    "write it as `field:value`, e.g. `vic_MethodsOfControl:DebtBondage`",
                ),
            }
        }
    }

    fn raw_choices<'r>(&self, q: &'r RawQuestion, raw: &'r RawFile) -> Vec<&'r RawChoice> {
        match q.choices.as_ref().map(Spanned::get_ref) {
            Some(RawChoices::Inline(items)) => items.iter().collect(),
            Some(RawChoices::Named(name)) => raw
                .choices
                .iter()
                .find(|(k, _)| k.get_ref() == name)
                .map(|(_, v)| v.iter().collect())
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn question_htcds(&mut self, q: &RawQuestion, choices: &[&RawChoice], repeated: bool) {
        let kind = *q.kind.get_ref();
        let Some(h) = &q.htcds else {
            if let (Some(RawChoices::Inline(_)), Some(c)) =
                (q.choices.as_ref().map(Spanned::get_ref), choices.iter().find_map(|c| c.htcds.as_ref()))
            {
                self.help(
                    c.span(),
                    format!("a choice names an HTCDS value, but question `{}` names no HTCDS field", q.id.get_ref()),
                    "add `htcds = \"…\"` with the field to the question",
                );
            }
            return;
        };
        let Some(f) = self.htcds_field(h, h.get_ref()) else { return };
        if let Some(problem) = fits(f, kind) {
            self.help(h.span(), format!("HTCDS field `{}` cannot hold {problem}", f.name), type_help(f.kind));
            return;
        }
        if repeated && f.kind != FieldType::Multiselect {
            self.help(
                h.span(),
                format!(
                    "question `{}` is asked once per entry, but HTCDS field `{}` holds one value",
                    q.id.get_ref(),
                    f.name
                ),
                "map questions of a repeated section to multiselect fields only",
            );
        }
        for c in choices {
            if let Some(v) = &c.htcds {
                self.htcds_value(v, f, v.get_ref());
            }
        }
    }

    /// The field named `name`, or an error at `at` with the nearest name.
    fn htcds_field(&mut self, at: &Spanned<String>, name: &str) -> Option<&'static Field> {
        if let Some(f) = htcds::field(name) {
            return Some(f);
        }
        let near = expr::suggest(name, htcds::fields().keys().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        self.help(at.span(), format!("unknown HTCDS field `{name}`"), format!("{near}{FIELDS_HELP}"));
        None
    }

    fn htcds_value(&mut self, at: &Spanned<String>, f: &Field, value: &str) {
        if f.accepts(value) {
            return;
        }
        let help = match f.kind {
            FieldType::Picklist | FieldType::Multiselect => {
                let near = expr::suggest(value, f.values.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                format!("{near}its values are: {}", f.values.join(", "))
            }
            FieldType::Checkbox => "a checkbox field takes `true` or `false`".to_string(),
            FieldType::Country => "a country is an ISO 3166 two-letter code such as `UA`".to_string(),
            _ => "only picklist, checkbox and country fields take values from choices".to_string(),
        };
        self.help(at.span(), format!("HTCDS field `{}` has no value `{value}`", f.name), help);
    }

    fn measure(&mut self, q: &RawQuestion, repeated: bool, seen: &mut BTreeMap<&'static str, usize>) {
        let Some(m) = &q.measure else { return };
        let kind = *q.kind.get_ref();
        let (name, wanted) = match m.get_ref() {
            Measure::Age => ("age", QuestionType::Integer),
            Measure::Sex => ("sex", QuestionType::Choice),
        };
        if kind != wanted {
            self.error(
                m.span(),
                format!(
                    "`measure = \"{name}\"` needs a question of type `{}`, not `{}`",
                    wanted.as_str(),
                    kind.as_str()
                ),
            );
        } else if repeated {
            self.help(
                m.span(),
                format!("`measure = \"{name}\"` cannot be in a repeated section"),
                "a record has one age and one sex: ask it once, outside repeated sections",
            );
        } else if let Some(line) = seen.get(name).copied() {
            self.help(
                m.span(),
                format!("a second question with `measure = \"{name}\"`"),
                format!("the question on line {line} already has it; a record has one {name}"),
            );
        } else {
            let line = self.line_of(&m.span());
            seen.insert(name, line);
        }
    }
}

/// Why a question of `kind` cannot fill field `f`, if it cannot.
fn fits(f: &Field, kind: QuestionType) -> Option<String> {
    use QuestionType as Q;
    let ok = match f.kind {
        FieldType::Picklist | FieldType::Checkbox => matches!(kind, Q::Choice),
        FieldType::Multiselect => matches!(kind, Q::Choice | Q::MultiChoice),
        FieldType::Country => matches!(kind, Q::Choice),
        FieldType::Text => matches!(kind, Q::Text | Q::LongText),
        FieldType::Number => matches!(kind, Q::Integer | Q::Decimal),
        FieldType::Date => matches!(kind, Q::Date),
        FieldType::Lookup => false,
    };
    (!ok).then(|| format!("the answer to a question of type `{}`", kind.as_str()))
}

fn type_help(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Picklist => "a picklist field is filled from a `choice` question whose choices name its values",
        FieldType::Multiselect => {
            "a multiselect field is filled from `choice` or `multi_choice` questions whose choices name its values"
        }
        FieldType::Checkbox => {
            "a checkbox field is filled from a `choice` question whose choices say `htcds = \"true\"` or `\"false\"`"
        }
        FieldType::Country => "a country field is filled from a `choice` question whose choices name ISO 3166 codes",
        FieldType::Text => "a text field is filled from a `text` or `long_text` question",
        FieldType::Number => "a number field is filled from an `integer` or `decimal` question",
        FieldType::Date => "a date field is filled from a `date` question",
        FieldType::Lookup => {
            "a lookup field refers to another record of the case system; it is not filled from a questionnaire"
        }
    }
}

//! An XLSForm as read, in the form file's terms: sections, questions, choice lists and texts by
//! language, with every expression already in the expression language. [`super::toml_out`]
//! writes it as a form file.

use std::collections::BTreeMap;

use crate::forms::file::QuestionType;

/// Language code → text.
pub type Texts = BTreeMap<String, String>;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportedForm {
    pub id: String,
    pub version: String,
    pub title: Texts,
    /// Every language the form's texts use, Ukrainian first, English second.
    pub languages: Vec<String>,
    pub lists: Vec<ChoiceList>,
    pub sections: Vec<ImportedSection>,
    /// The indicators and outcomes (only from a workbook Oberih exported).
    pub indicators: Vec<ImportedIndicator>,
    pub outcomes: Vec<ImportedOutcome>,
    /// The form file's own tables the workbook keeps in its `oberih` setting: `[form]` (without
    /// its id), `[form.privacy]`, `[dimensions]`, `[messages]`, `[[migration]]`.
    pub tables: Option<toml::Table>,
    /// `style = pages`: one section per screen, unless the tables say otherwise.
    pub steps: bool,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportedIndicator {
    pub id: String,
    pub dimension: String,
    pub strength: String,
    pub when: String,
    pub label: Texts,
    pub standards: Vec<String>,
    pub htcds: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportedOutcome {
    pub id: String,
    pub when: String,
    pub label: Texts,
    pub action: Texts,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ChoiceList {
    pub name: String,
    pub choices: Vec<ImportedChoice>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportedChoice {
    pub value: String,
    pub label: Texts,
    /// "Doesn't know", "Refused": counted as unknown, never as "No".
    pub missing: bool,
    pub htcds: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportedSection {
    pub id: String,
    pub title: Texts,
    pub relevant: Option<String>,
    pub questions: Vec<ImportedQuestion>,
    /// Entered as many times as needed (only from a workbook Oberih exported).
    pub repeat: bool,
    /// The fewest and most entries of a repeated section.
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedQuestion {
    pub id: String,
    pub kind: QuestionType,
    pub list: Option<String>,
    pub label: Texts,
    pub hint: Texts,
    pub guidance: Texts,
    pub required: bool,
    pub relevant: Option<String>,
    pub constraint: Option<String>,
    pub constraint_message: Texts,
    pub calculation: Option<String>,
    /// The alert shown while `alert_if` holds (only from a workbook Oberih exported).
    pub alert_if: Option<String>,
    pub alert: Texts,
    /// The interview ends when `end_if` holds, with `end_message`.
    pub end_if: Option<String>,
    pub end_message: Texts,
    /// What the form file says besides XLSForm (from the `bind::oberih:…` columns).
    pub core: bool,
    pub standards: Vec<String>,
    pub measure: Option<String>,
    pub htcds: Option<String>,
}

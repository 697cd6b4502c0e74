//! The form file as written: a strict serde model of one `forms/<id>.toml`.
//!
//! Every struct denies unknown keys, so a typo such as `labl` is an error at its own position
//! rather than a silently missing label. Values that a later check may complain about keep their
//! byte span (`Spanned`), so validation can point at the exact line and column.
//!
//! Two quirks of `toml` 0.8 shape this model: `Spanned<T>` cannot wrap a table written with
//! dotted keys (`label.uk = "…"`), so per-language texts keep spans on their entries instead; and
//! untagged enums lose spans, so `choices` (a list name or an inline list) has its own visitor.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

pub use super::expr::{DimensionRule, Strength};

/// A per-language text as written: `{ uk = "…", en = "…" }` or `label.uk = "…"`.
/// Keys and values keep their spans so a missing or stray language can be pointed at.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct RawText(pub BTreeMap<Spanned<String>, Spanned<String>>);

impl RawText {
    /// Span of the first entry: where a missing language is reported.
    pub fn first_span(&self) -> Option<std::ops::Range<usize>> {
        self.0.keys().map(|k| k.span()).min_by_key(|s| s.start)
    }
}

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub form: RawFormHeader,
    #[serde(default)]
    pub choices: BTreeMap<Spanned<String>, Vec<RawChoice>>,
    #[serde(default)]
    pub section: Vec<RawSection>,
    #[serde(default)]
    pub indicator: Vec<RawIndicator>,
    #[serde(default)]
    pub outcome: Vec<RawOutcome>,
    #[serde(default)]
    pub dimensions: RawDimensions,
    /// `[messages.<name>]` → language → CLDR plural category → text.
    #[serde(default)]
    pub messages: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, RawPlural>>,
    /// `[[migration]]`: how records of an older version read as this one.
    #[serde(default)]
    pub migration: Vec<RawMigration>,
}

/// `[[migration]]`: how a record of the older version `from` reads as the current version.
/// Every name on the right of `renamed` is the current form's; every removed name is one the
/// current form no longer has.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMigration {
    pub from: Spanned<String>,
    /// Old question (or repeated section) id → current id.
    #[serde(default)]
    pub renamed: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Questions the older version asked that the current one no longer has.
    #[serde(default)]
    pub removed: Vec<Spanned<String>>,
    /// `[migration.choices.<current question id>]`: its changed choice values.
    #[serde(default)]
    pub choices: BTreeMap<Spanned<String>, RawChoiceMigration>,
}

/// The choice values of one question that changed since the older version.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoiceMigration {
    /// Old value → current value.
    #[serde(default)]
    pub renamed: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Values the current question no longer offers.
    #[serde(default)]
    pub removed: Vec<Spanned<String>>,
}

/// One language of a plural message: CLDR category → text.
pub type RawPlural = BTreeMap<Spanned<String>, Spanned<String>>;

/// `[form]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFormHeader {
    pub id: Spanned<String>,
    pub version: Spanned<String>,
    pub title: RawText,
    #[serde(default)]
    pub description: Option<RawText>,
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    #[serde(default)]
    pub privacy: Privacy,
}

/// `[form.privacy]`. Every field is optional: what the form leaves out comes from `portal.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    pub storage: Option<Storage>,
    pub export: Option<Export>,
    /// Path of the PEM public key used for encrypted export, relative to the portal.
    pub public_key: Option<Spanned<String>>,
    pub quick_exit: Option<bool>,
    pub presentation: Option<Presentation>,
}

/// Where answers live while an interview is in progress. Plaintext browser storage is not an
/// option at all: on `file://` every local page may share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    Memory,
    EncryptedFile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Export {
    Plain,
    Encrypted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presentation {
    Steps,
    SinglePage,
}

/// One entry of a choice list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub value: Spanned<String>,
    pub label: RawText,
    /// "Doesn't know" / "Prefers not to say": counted as unknown, never as "No".
    #[serde(default)]
    pub missing: bool,
    /// The value of the question's HTCDS field this choice stands for, e.g. `"DebtBondage"`.
    #[serde(default)]
    pub htcds: Option<Spanned<String>>,
}

/// `choices = "list_name"` or `choices = [ { value = …, label = … }, … ]`.
#[derive(Debug, Clone)]
pub enum RawChoices {
    Named(String),
    Inline(Vec<RawChoice>),
}

impl<'de> Deserialize<'de> for RawChoices {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ChoicesVisitor;
        impl<'de> Visitor<'de> for ChoicesVisitor {
            type Value = RawChoices;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the name of a list in [choices] or an inline list of choices")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawChoices, E> {
                Ok(RawChoices::Named(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawChoices, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<RawChoice>()? {
                    items.push(item);
                }
                Ok(RawChoices::Inline(items))
            }
        }
        d.deserialize_any(ChoicesVisitor)
    }
}

/// `[[section]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: Spanned<String>,
    pub title: RawText,
    #[serde(default)]
    pub relevant: Option<Spanned<String>>,
    /// One entry per job, per person…: the section's questions are asked once per entry.
    #[serde(default)]
    pub repeat: bool,
    #[serde(default)]
    pub min: Option<Spanned<u32>>,
    #[serde(default)]
    pub max: Option<Spanned<u32>>,
    #[serde(default)]
    pub question: Vec<RawQuestion>,
}

/// The kinds of question a form can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Text,
    LongText,
    Integer,
    Decimal,
    Date,
    Choice,
    MultiChoice,
    /// Text shown to the interviewer; no answer.
    Note,
    /// A value computed from other answers; never asked.
    Calculate,
}

impl QuestionType {
    /// The name used in form files and in the compiled form.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Text => "text",
            QuestionType::LongText => "long_text",
            QuestionType::Integer => "integer",
            QuestionType::Decimal => "decimal",
            QuestionType::Date => "date",
            QuestionType::Choice => "choice",
            QuestionType::MultiChoice => "multi_choice",
            QuestionType::Note => "note",
            QuestionType::Calculate => "calculate",
        }
    }
}

/// `[[section.question]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<QuestionType>,
    #[serde(default)]
    pub choices: Option<Spanned<RawChoices>>,
    #[serde(default)]
    pub label: Option<RawText>,
    #[serde(default)]
    pub hint: Option<RawText>,
    #[serde(default)]
    pub guidance: Option<RawText>,
    #[serde(default)]
    pub required: Option<Spanned<bool>>,
    #[serde(default)]
    pub relevant: Option<Spanned<String>>,
    #[serde(default)]
    pub constraint: Option<Spanned<String>>,
    #[serde(default)]
    pub constraint_message: Option<RawText>,
    #[serde(default)]
    pub alert_if: Option<Spanned<String>>,
    #[serde(default)]
    pub alert: Option<RawText>,
    #[serde(default)]
    pub end_if: Option<Spanned<String>>,
    #[serde(default)]
    pub end_message: Option<RawText>,
    #[serde(default)]
    pub calculation: Option<Spanned<String>>,
    /// Part of the short form (asked first, or alone when time is short).
    #[serde(default)]
    pub core: bool,
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    /// The HTCDS field the answer corresponds to, e.g. `"vic_MethodsOfControl"`.
    #[serde(default)]
    pub htcds: Option<Spanned<String>>,
    /// What the answer measures for monitoring statistics (age bands, sex).
    #[serde(default)]
    pub measure: Option<Spanned<Measure>>,
}

/// A question whose answer the monitoring summary reads as a person's age or sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// An `integer` question: age in full years.
    Age,
    /// A `choice` question: its options are the categories.
    Sex,
}

/// `[[indicator]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: Spanned<String>,
    pub dimension: Spanned<String>,
    pub strength: Strength,
    pub when: Spanned<String>,
    pub label: RawText,
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    /// The HTCDS field and value the indicator stands for, e.g. `"vic_MethodsOfControl:DebtBondage"`.
    #[serde(default)]
    pub htcds: Option<Spanned<String>>,
}

/// `[[outcome]]`: evaluated top to bottom, the first match wins.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    pub id: Spanned<String>,
    pub when: Spanned<String>,
    pub label: RawText,
    #[serde(default)]
    pub action: Option<RawText>,
}

/// `[dimensions]`: labels for the dimensions indicators use, and an optional override of the rule
/// that decides when a dimension is positive.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDimensions {
    #[serde(default)]
    pub labels: BTreeMap<Spanned<String>, RawText>,
    /// Replaces the ILO/EC rule, e.g. `any_of = [{ strong = 1 }, { medium = 2 }]`.
    #[serde(default)]
    pub rule: Option<DimensionRule>,
}

/// Parses the file strictly. A structural problem (bad TOML, unknown key, wrong type) stops here:
/// the rest of the file cannot be trusted enough to check.
pub fn parse(text: &str) -> Result<RawFile, toml::de::Error> {
    toml::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[form]
id = "f"
version = "1"
title.uk = "Ф"
title.en = "F"

[[section]]
id = "s"
title = { uk = "С", en = "S" }

  [[section.question]]
  id = "q"
  type = "choice"
  choices = [ { value = "yes", label = { uk = "Так", en = "Yes" } } ]
  label = { uk = "П", en = "Q" }
"#;

    #[test]
    fn parses_dotted_and_inline_texts() {
        let f = parse(MINIMAL).unwrap();
        assert_eq!(f.form.title.0.len(), 2);
        let q = &f.section[0].question[0];
        assert_eq!(q.kind.get_ref(), &QuestionType::Choice);
        match q.choices.as_ref().map(|c| c.get_ref()) {
            Some(RawChoices::Inline(items)) => assert_eq!(items[0].value.get_ref(), "yes"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn named_choices_are_a_string() {
        let text = MINIMAL
            .replace(r#"choices = [ { value = "yes", label = { uk = "Так", en = "Yes" } } ]"#, r#"choices = "yes_no""#);
        let f = parse(&text).unwrap();
        let c = f.section[0].question[0].choices.as_ref().unwrap();
        assert!(matches!(c.get_ref(), RawChoices::Named(n) if n == "yes_no"));
        assert_eq!(&text[c.span()], "\"yes_no\"");
    }

    #[test]
    fn unknown_key_carries_its_span() {
        let text = MINIMAL.replace("label = { uk = \"П\"", "labl = { uk = \"П\"");
        let e = parse(&text).unwrap_err();
        let span = e.span().unwrap();
        assert_eq!(&text[span], "labl");
        assert!(e.message().contains("unknown field `labl`"));
    }

    #[test]
    fn default_forms_parse() {
        for text in
            [include_str!("../../forms/initial-screening.toml"), include_str!("../../forms/child-screening.toml")]
        {
            if let Err(e) = parse(text) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn migrations_keep_their_names_and_places() {
        let text = format!(
            "{MINIMAL}\n[[migration]]\nfrom = \"0\"\nrenamed = {{ old_q = \"q\" }}\nremoved = [\"gone\"]\n\
             [migration.choices.q]\nrenamed = {{ si = \"yes\" }}\nremoved = [\"maybe\"]\n"
        );
        let f = parse(&text).unwrap();
        let m = &f.migration[0];
        assert_eq!(m.from.get_ref(), "0");
        let (old, new) = m.renamed.iter().next().unwrap();
        assert_eq!((&text[old.span()], &text[new.span()]), ("old_q", "\"q\""));
        assert_eq!(m.removed[0].get_ref(), "gone");
        let q = m.choices.iter().next().unwrap();
        assert_eq!((q.0.get_ref().as_str(), q.1.removed[0].get_ref().as_str()), ("q", "maybe"));
    }

    #[test]
    fn first_span_points_at_a_language_key() {
        let f = parse(MINIMAL).unwrap();
        let span = f.form.title.first_span().unwrap();
        assert_eq!(&MINIMAL[span], "uk");
    }
}

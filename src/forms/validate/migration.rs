//! `[[migration]]`: each names an older version and how its records read as the current one.
//! Every name is checked against the current form, so a mapping can never point a value at a
//! question or choice that does not exist (the shifted columns of multi-version exports).

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use super::Validator;
use crate::forms::file::{RawChoiceMigration, RawMigration};
use crate::forms::form::{ChoiceMigration, Migration, QuestionType, Section};

/// The ids a record's answers may use in the current version: asked questions and repeated
/// sections, with the choice values of each choice question.
struct Current<'a> {
    answers: BTreeSet<&'a str>,
    choices: BTreeMap<&'a str, BTreeSet<&'a str>>,
}

impl<'a> Current<'a> {
    fn of(sections: &'a [Section]) -> Self {
        let mut answers = BTreeSet::new();
        let mut choices = BTreeMap::new();
        for s in sections {
            if s.repeat.is_some() {
                answers.insert(s.id.as_str());
            }
            for q in s.questions.iter().filter(|q| q.kind != QuestionType::Note) {
                answers.insert(q.id.as_str());
                if matches!(q.kind, QuestionType::Choice | QuestionType::MultiChoice) {
                    choices.insert(q.id.as_str(), q.choices.iter().map(|c| c.value.as_str()).collect());
                }
            }
        }
        Current { answers, choices }
    }
}

/// Checks every migration and returns them as the form keeps them.
pub(super) fn check(v: &mut Validator, raw: &[RawMigration], version: &str, sections: &[Section]) -> Vec<Migration> {
    let current = Current::of(sections);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for m in raw {
        let from = m.from.get_ref();
        if from.trim().is_empty() {
            v.error(m.from.span(), "the migration's `from` version is empty");
        } else if from == version {
            v.help(
                m.from.span(),
                format!("a migration from `{from}`, the form's current version"),
                "a migration maps an older version to the current one; raise the form's `version` or change `from`",
            );
        } else if let Some(line) = seen.get(from) {
            let line = *line;
            v.help(
                m.from.span(),
                format!("a second migration from version `{from}`"),
                format!("the one on line {line} already maps it; one migration per older version"),
            );
        } else {
            let line = v.line_of(&m.from.span());
            seen.insert(from.clone(), line);
        }
        out.push(Migration {
            from: from.clone(),
            renamed: renamed_questions(v, m, &current),
            removed: removed_questions(v, m, &current),
            choices: m
                .choices
                .iter()
                .filter_map(|(q, c)| choices(v, q, c, &current).map(|c| (q.get_ref().clone(), c)))
                .collect(),
        });
    }
    out
}

fn renamed_questions(v: &mut Validator, m: &RawMigration, current: &Current) -> BTreeMap<String, String> {
    let mut targets: BTreeSet<&str> = BTreeSet::new();
    for (old, new) in &m.renamed {
        if current.answers.contains(old.get_ref().as_str()) {
            v.help(
                old.span(),
                format!("`{}` is still a question of the current form, so it cannot be renamed away", old.get_ref()),
                "a renamed question's old id must be one the current form no longer uses",
            );
        }
        if !current.answers.contains(new.get_ref().as_str()) {
            unknown(v, new, "question", current.answers.iter().copied());
        } else if !targets.insert(new.get_ref()) {
            v.help(
                new.span(),
                format!("two old questions are renamed to `{}`", new.get_ref()),
                "a record would hold two answers for one question; remove one of them instead",
            );
        }
    }
    m.renamed.iter().map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone())).collect()
}

fn removed_questions(v: &mut Validator, m: &RawMigration, current: &Current) -> Vec<String> {
    for gone in &m.removed {
        let id = gone.get_ref().as_str();
        if current.answers.contains(id) {
            v.help(
                gone.span(),
                format!("`{id}` is a question of the current form, so it was not removed"),
                "list under `removed` only questions the older version asked and this one does not",
            );
        } else if m.renamed.keys().any(|k| k.get_ref() == id) {
            v.error(gone.span(), format!("`{id}` is both renamed and removed"));
        }
    }
    m.removed.iter().map(|r| r.get_ref().clone()).collect()
}

/// `[migration.choices.<question>]`; `None` when the question is not a choice question now.
fn choices(
    v: &mut Validator,
    question: &Spanned<String>,
    c: &RawChoiceMigration,
    current: &Current,
) -> Option<ChoiceMigration> {
    let Some(values) = current.choices.get(question.get_ref().as_str()) else {
        unknown(v, question, "choice question", current.choices.keys().copied());
        return None;
    };
    for (old, new) in &c.renamed {
        if values.contains(old.get_ref().as_str()) {
            v.help(
                old.span(),
                format!(
                    "`{}` is still a choice of `{}`, so it cannot be renamed away",
                    old.get_ref(),
                    question.get_ref()
                ),
                "a renamed value's old name must be one the question no longer offers",
            );
        }
        if !values.contains(new.get_ref().as_str()) {
            unknown(v, new, &format!("choice of `{}`", question.get_ref()), values.iter().copied());
        }
    }
    for gone in &c.removed {
        if values.contains(gone.get_ref().as_str()) {
            v.help(
                gone.span(),
                format!("`{}` is still a choice of `{}`, so it was not removed", gone.get_ref(), question.get_ref()),
                "list under `removed` only values the question no longer offers",
            );
        }
    }
    Some(ChoiceMigration {
        renamed: c.renamed.iter().map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone())).collect(),
        removed: c.removed.iter().map(|r| r.get_ref().clone()).collect(),
    })
}

/// A name the current form does not have, with the nearest one it does.
fn unknown<'a>(v: &mut Validator, name: &Spanned<String>, what: &str, known: impl Iterator<Item = &'a str>) {
    let near =
        crate::forms::expr::suggest(name.get_ref(), known).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
    v.help(
        name.span(),
        format!("`{}` is not a {what} of the current form", name.get_ref()),
        format!("{near}a migration maps older records onto the current form's names"),
    );
}

#[cfg(test)]
#[path = "migration_tests.rs"]
mod tests;

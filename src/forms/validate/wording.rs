//! How a question is worded, where the wording can make an answer mean two things.
//!
//! A yes/no question must ask one thing. "Is it safe to talk now? Is anyone checking your
//! phone?" takes one «Так»: the person it is safe for and the person whose phone is checked give
//! the same answer, and the form can only stop on one of them. So a yes/no question whose label
//! holds a second question is an error, in every language of the form and of its translations.

use std::ops::Range;

use super::Validator;
use crate::forms::file::RawQuestion;
use crate::forms::form::Choice;
use crate::forms::source_map::SourceMap;

/// What a double yes/no question is told to do instead.
pub const SPLIT_HELP: &str = "a yes/no question must ask one thing: ask each in its own question, \
     phrased so that the answer that ends the interview or raises an alert means the same in every language";

/// Question marks that close a question: Latin and Cyrillic, full-width, Arabic, Greek.
const QUESTION_MARKS: [char; 4] = ['?', '\u{ff1f}', '\u{61f}', '\u{37e}'];

/// A choice list that is "yes" and "no", with or without options that count as missing.
pub fn is_yes_no(choices: &[Choice]) -> bool {
    let mut answers: Vec<&str> = choices.iter().filter(|c| !c.missing).map(|c| c.value.as_str()).collect();
    answers.sort_unstable();
    answers == ["no", "yes"]
}

/// The byte range of the second question in `label`: from the first word after its first
/// question mark to its last question mark. `None` when the label asks at most one question.
pub fn second_question(label: &str) -> Option<Range<usize>> {
    let mut marks = label.char_indices().filter(|(_, c)| QUESTION_MARKS.contains(c));
    let (first, mark) = marks.next()?;
    let (last, last_mark) = marks.next_back()?;
    let after = first + mark.len_utf8();
    let start = after + (label[after..].len() - label[after..].trim_start().len());
    Some(start..last + last_mark.len_utf8())
}

/// Reports every language in which the label of yes/no question `q` asks two questions.
pub(super) fn check_yes_no_label(v: &mut Validator, q: &RawQuestion, choices: &[Choice]) {
    let Some(label) = q.label.as_ref().filter(|_| is_yes_no(choices)) else {
        return;
    };
    for (lang, text) in &label.0 {
        let Some(second) = second_question(text.get_ref()) else {
            continue;
        };
        let map = SourceMap::new(v.text, text.span(), text.get_ref());
        let at = map.range(crate::forms::expr::Span::new(second.start, second.end));
        let message = format!("the yes/no question `{}` asks two things in `{}`", q.id.get_ref(), lang.get_ref());
        v.error(at, message).help = Some(SPLIT_HELP.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::testing::{errors, load_ok, BASE};

    #[test]
    fn a_second_question_is_found_in_any_script() {
        let label = "Is it safe for you to talk now? Is anyone checking your phone?";
        assert_eq!(second_question(label).map(|r| &label[r]), Some("Is anyone checking your phone?"));
        assert_eq!(second_question("Чи безпечно вам говорити зараз?"), None);
        assert_eq!(second_question("Чи згодні ви? Ви можете зупинитися будь-коли."), None);
        let arabic = "هل أنت بأمان؟ هل يراقب أحد هاتفك؟";
        assert_eq!(second_question(arabic).map(|r| &arabic[r]), Some("هل يراقب أحد هاتفك؟"));
        assert_eq!(second_question("Ти в безпеці？ Хтось чекає？").map(|r| r.start), Some("Ти в безпеці？ ".len()));
    }

    #[test]
    fn only_yes_no_questions_must_ask_one_thing() {
        let choice =
            |value: &str, missing| Choice { value: value.into(), label: Default::default(), missing, htcds: None };
        assert!(is_yes_no(&[choice("yes", false), choice("no", false)]));
        assert!(is_yes_no(&[choice("no", false), choice("yes", false), choice("dk", true)]));
        assert!(!is_yes_no(&[choice("yes", false), choice("no", false), choice("sometimes", false)]));
        assert!(!is_yes_no(&[choice("yes", false)]));
        // A text question and a choice of places may explain themselves with a second question.
        load_ok(
            &BASE.replace("label = { uk = \"Вік\", en = \"Age\" }", "label = { uk = \"Вік? Точно?\", en = \"Age\" }"),
        );
        let double = BASE.replace("en = \"Debt?\"", "en = \"Any debt? Growing?\"");
        assert_eq!(errors(&double), ["the yes/no question `owes_debt` asks two things in `en`"]);
    }
}

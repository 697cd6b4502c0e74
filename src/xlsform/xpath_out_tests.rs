use super::*;
use crate::forms::expr::parse;
use crate::forms::testing::{load_ok, try_load, BASE};
use crate::forms::Form;
use crate::xlsform::export::{export, Exported, Language, Portal};
use crate::xlsform::export_place::Places;

fn truth(form: &Form, src: &str) -> String {
    let model = Model::new(form);
    Xpath::new(&model, Context::Outcome).truth(&parse(src).unwrap()).unwrap()
}

fn falsity(form: &Form, src: &str) -> String {
    let model = Model::new(form);
    Xpath::new(&model, Context::Outcome).falsity(&parse(src).unwrap()).unwrap()
}

#[test]
fn a_negated_condition_over_a_blank_answer_is_not_true() {
    let form = load_ok(BASE);
    // The page: `not (age >= 18)` is not true while age is blank; XPath's not() would be.
    assert_eq!(truth(&form, "not (age >= 18)"), "${age} < 18");
    assert_eq!(truth(&form, "owes_debt != 'yes'"), "(string-length(${owes_debt}) > 0) and (${owes_debt} != 'yes')");
    assert_eq!(falsity(&form, "owes_debt = 'yes'"), "(string-length(${owes_debt}) > 0) and (${owes_debt} != 'yes')");
    assert_eq!(truth(&form, "not (owes_debt = 'yes' or age < 18)"), falsity(&form, "owes_debt = 'yes' or age < 18"));
    assert_eq!(
        falsity(&form, "owes_debt = 'yes' or age < 18"),
        "((string-length(${owes_debt}) > 0) and (${owes_debt} != 'yes')) and (${age} >= 18)"
    );
}

#[test]
fn functions_have_their_odk_counterparts() {
    let form = load_ok(BASE);
    assert_eq!(truth(&form, "selected(owes_debt, 'yes')"), "selected(${owes_debt}, 'yes')");
    assert_eq!(truth(&form, "is_missing(owes_debt)"), "selected(${owes_debt}, 'dk')");
    assert_eq!(truth(&form, "answered(age)"), "string-length(${age}) > 0");
    assert_eq!(truth(&form, "count(jobs, hours > 12) >= 1"), "count(${jobs}[./hours > 12]) >= 1");
    assert_eq!(truth(&form, "any(jobs, hours > 12)"), "count(${jobs}[./hours > 12]) > 0");
    assert_eq!(truth(&form, "coalesce(age, 0) > 3"), "if(string-length(${age}) > 0, ${age}, 0) > 3");
    assert_eq!(truth(&form, "if(age > 3, 1, 2) = 1"), "if(${age} > 3, 1, 2) = 1");
    // The ILO/EC rule over the one (medium) indicator of the dimension.
    assert_eq!(
        truth(&form, "strong_count >= 1 or dim_positive('exploitation')"),
        "(${strong_count} >= 1) or ((0 >= 2) or ((0 >= 1) and (((${ind_debt}) - 0) + (0 - 0) >= 1)) \
         or ((${ind_debt}) >= 3) or (((${ind_debt}) >= 2) and (0 >= 1)))"
    );
    // Division by zero is null, never infinity: the divisor is checked.
    assert_eq!(
        truth(&form, "10 / age > 1"),
        "((string-length(${age}) > 0) and (${age} != 0)) and ((10 div ${age}) > 1)"
    );
}

#[test]
fn a_true_false_calculation_is_stored_as_text() {
    let form = load_ok(BASE);
    let model = Model::new(&form);
    let x = Xpath::new(&model, Context::Question).in_entry("jobs");
    let calc = x.calculation(&parse("hours > 12").unwrap()).unwrap();
    assert_eq!(calc, "if(./hours > 12, 'true', if(./hours <= 12, 'false', ''))");
    assert_eq!(x.truth(&parse("long_days").unwrap()).unwrap(), "./long_days = 'true'");
}

#[test]
fn indicators_and_outcomes_are_unknown_to_a_question() {
    let form = load_ok(BASE);
    let model = Model::new(&form);
    let e = Xpath::new(&model, Context::Question).truth(&parse("unknown_count > 2").unwrap()).unwrap_err();
    assert!(e.message.contains("cannot be exported"), "{e}");
    assert_eq!(e.span.start, 0);
}

fn portal() -> Portal {
    let both = |uk: &str, en: &str| [("uk".to_string(), uk.to_string()), ("en".to_string(), en.to_string())].into();
    Portal {
        languages: vec![
            Language { code: "uk".into(), name: "Українська".into() },
            Language { code: "en".into(), name: "English".into() },
        ],
        incomplete_label: both("Неповний", "Incomplete"),
        incomplete_action: both("Дія", "Action"),
    }
}

fn exported(text: &str) -> Result<Exported, Vec<crate::diag::Diagnostic>> {
    let form = try_load(text).unwrap_or_else(|d| panic!("{d:?}"));
    export(&form, &portal(), &Places::new("forms/test-form.toml", text))
}

fn row(e: &Exported, name: &str) -> usize {
    (0..e.sheets.survey.rows.len()).find(|&i| e.sheets.survey.get(i, "name") == Some(name)).unwrap()
}

#[test]
fn the_survey_carries_endings_indicators_and_the_outcome() {
    let e = exported(BASE).unwrap();
    let s = &e.sheets.survey;
    assert_eq!(s.get(row(&e, "consent"), "label::Українська (uk)"), Some("Згода?"));
    assert_eq!(s.get(row(&e, "consent"), "label::English (en)"), Some("Consent?"));
    assert_eq!(s.get(row(&e, "end_consent"), "calculation"), Some("if(${consent} = 'no', 1, 0)"));
    assert_eq!(s.get(row(&e, "owes_debt"), "relevant"), Some("not(${end_consent} = 1)"));
    assert_eq!(s.get(row(&e, "jobs"), "type"), Some("begin_repeat"));
    assert_eq!(s.get(row(&e, "ind_debt"), "calculation"), Some("if(${owes_debt} = 'yes', 1, 0)"));
    assert_eq!(s.get(row(&e, "outcome"), "calculation"), Some("if(${incomplete} = 1, 'incomplete', 'none')"));
    assert_eq!(s.get(row(&e, "outcome_incomplete"), "relevant"), Some("${outcome} = 'incomplete'"));
    assert_eq!(e.sheets.choices.get(2, "name"), Some("dk"));
    assert_eq!(e.sheets.settings.get(0, "version"), Some("1000000"));
    assert_eq!(e.sheets.settings.get(0, "default_language"), Some("Українська (uk)"));
    // A repeat's `max` cannot go to ODK: a warning at its line says so.
    let w: Vec<String> = e.warnings.iter().map(|d| d.to_string()).collect();
    assert!(w.len() == 1 && w[0].contains("max") && w[0].contains("test-form.toml:49:7"), "{w:?}");
}

#[test]
fn what_xlsform_cannot_say_is_an_error_at_its_place() {
    let text =
        BASE.replace(r#"relevant = "owes_debt = 'yes'""#, r#"relevant = "owes_debt = 'yes' and unknown_count > 1""#);
    let problems = exported(&text).unwrap_err();
    let report: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn an_end_inside_a_repeat_is_refused() {
    let text = BASE.replace(
        "  id = \"hours\"\n  type = \"integer\"\n",
        "  id = \"hours\"\n  type = \"integer\"\n  end_if = \". > 20\"\n",
    );
    let problems = exported(&text).unwrap_err();
    let refused = problems.iter().find(|d| d.is_error()).map(|d| d.to_string()).unwrap_or_default();
    assert!(refused.contains("inside a repeated section") && refused.contains("test-form.toml:54:13"), "{refused}");
}

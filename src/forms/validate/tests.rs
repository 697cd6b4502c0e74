use super::*;
use crate::forms::testing::{errors, load_ok, try_load, BASE};

/// BASE with `question` added at the end of the first section.
fn with_question(question: &str) -> String {
    BASE.replace("[[section]]\nid = \"jobs\"", &format!("{question}\n[[section]]\nid = \"jobs\""))
}

fn first_problem(text: &str) -> Diagnostic {
    try_load(text).err().and_then(|p| p.into_iter().next()).expect("a problem")
}

#[test]
fn base_form_loads_with_numbers_and_types() {
    let f = load_ok(BASE);
    let numbers: Vec<(&str, Option<u32>)> = f.questions().map(|(_, q)| (q.id.as_str(), q.number)).collect();
    assert_eq!(
        numbers,
        [
            ("consent", Some(1)),
            ("owes_debt", Some(2)),
            ("debt_grows", Some(3)),
            ("age", Some(4)),
            ("hours", Some(5)),
            ("long_days", None)
        ]
    );
    assert_eq!(f.question("long_days").and_then(|q| q.value_type), Some(expr::Type::Bool));
    assert!(f.warnings.is_empty());
}

#[test]
fn unknown_key_is_positioned_with_a_suggestion() {
    let text = BASE.replace("label = { uk = \"Вік\"", "labl = { uk = \"Вік\"");
    let d = first_problem(&text);
    let loc = d.location.clone().unwrap();
    assert_eq!(loc.source_line.trim(), "labl = { uk = \"Вік\", en = \"Age\" }");
    assert_eq!(loc.col, 3);
    assert!(d.help.as_deref().unwrap_or("").starts_with("did you mean `label`? the keys here are: id, type,"));
    assert_eq!(d.message, "unknown key `labl`");
}

#[test]
fn expression_errors_point_inside_the_string() {
    let text = BASE.replace("relevant = \"owes_debt = 'yes'\"", "relevant = \"owes_dbt = 'yes'\"");
    let d = first_problem(&text);
    let loc = d.location.unwrap();
    assert_eq!(loc.col, "  relevant = \"".len() + 1);
    assert_eq!(loc.width, "owes_dbt".len());
    assert_eq!(d.help.as_deref(), Some("did you mean `owes_debt`?"));
}

#[test]
fn escapes_in_basic_strings_are_mapped() {
    let text = BASE.replace("relevant = \"owes_debt = 'yes'\"", r#"relevant = "owes_debt = \"yes\" and agee > 1""#);
    let loc = first_problem(&text).location.unwrap();
    assert_eq!(&loc.source_line[loc.col - 1..loc.col - 1 + 4], "agee");
}

#[test]
fn all_problems_are_reported_together() {
    let text = BASE
        .replace("label = { uk = \"Вік\", en = \"Age\" }", "label = { uk = \"Вік\" }")
        .replace("when = \"owes_debt = 'yes'\"", "when = \"owes_debt = 'yse'\"");
    let found = errors(&text);
    assert!(found.iter().any(|m| m == "`label` has no `en` text"), "{found:?}");
    assert!(found.iter().any(|m| m.contains("'yse' is not a value of owes_debt")), "{found:?}");
}

#[test]
fn relevant_may_only_look_back() {
    let text = BASE.replace("relevant = \"owes_debt = 'yes'\"", "relevant = \"age > 18\"");
    let found = errors(&text);
    assert_eq!(found, ["`age` is asked after this question, so this `relevant` cannot depend on it"]);
}

#[test]
fn relevant_may_not_look_forward_through_a_calculation() {
    let text = with_question(
        "  [[section.question]]\n  id = \"adult\"\n  type = \"calculate\"\n  calculation = \"age >= 18\"\n",
    )
    .replace("relevant = \"owes_debt = 'yes'\"", "relevant = \"adult\"");
    let found = errors(&text);
    assert_eq!(found, ["`adult` is calculated from `age`, which is asked after this question"]);
}

#[test]
fn calculation_cycles_are_found() {
    let text = with_question(
        "  [[section.question]]\n  id = \"a\"\n  type = \"calculate\"\n  calculation = \"b + 1\"\n\n  [[section.question]]\n  id = \"b\"\n  type = \"calculate\"\n  calculation = \"a + 1\"\n",
    );
    let found = errors(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0], "these calculations form a cycle: a → b → a");
}

#[test]
fn the_incomplete_outcome_is_the_runtime_s() {
    let text = BASE.replace("[[outcome]]\nid = \"none\"", "[[outcome]]\nid = \"incomplete\"");
    assert_eq!(errors(&text), ["the outcome id `incomplete` is reserved"]);
}

#[test]
fn the_last_outcome_must_be_a_catch_all() {
    let text = BASE.replace("when = \"true\"", "when = \"strong_count >= 1\"");
    assert_eq!(errors(&text), ["the last outcome must be a catch-all (`when = \"true\"`)"]);
}

#[test]
fn required_questions_must_be_reachable() {
    let ending = with_question(
        "  [[section.question]]\n  id = \"why_not\"\n  type = \"text\"\n  required = true\n  relevant = \"consent = 'no'\"\n  label = { uk = \"Чому?\", en = \"Why?\" }\n",
    );
    let found = errors(&ending);
    assert_eq!(found, ["question `why_not` is required, but no interview can show it"]);
    let never = ending.replace("relevant = \"consent = 'no'\"", "relevant = \"1 > 2\"");
    let d = first_problem(&never);
    assert_eq!(d.help.as_deref(), Some("its condition `1 > 2` is always false"));
}

#[test]
fn plural_categories_come_from_cldr() {
    let text = format!(
        "{BASE}\n[messages.found]\nuk = {{ one = \"{{n}} ознака\", other = \"{{n}} ознаки\" }}\nen = {{ one = \"{{n}} sign\", other = \"{{n}} signs\" }}\n"
    );
    assert_eq!(errors(&text), ["message `found` in `uk` lacks the plural forms few, many"]);
}

#[test]
fn unknown_standards_and_requirements() {
    let text = BASE.replace("standards = [\"ID-2.1#a\"]", "standards = [\"ID-2.1#z\", \"XX-1\"]");
    assert_eq!(errors(&text), ["standard `ID-2.1` has no requirement `z`", "unknown standard `XX-1`"]);
}

#[test]
fn a_stray_language_is_only_a_warning() {
    let text = BASE
        .replace("title = { uk = \"Тест\", en = \"Test\" }", "title = { uk = \"Тест\", en = \"Test\", ua = \"Тест\" }");
    let f = load_ok(&text);
    assert_eq!(f.warnings.len(), 1);
    assert!(f.warnings[0].message.starts_with("`ua` is not a language of this portal"));
}

#[test]
fn citations_cover_form_questions_and_indicators() {
    let text = BASE.replace(
        "label = { uk = \"Борг\", en = \"Debt\" }",
        "label = { uk = \"Борг\", en = \"Debt\" }\nstandards = [\"ID-2.1#c\"]",
    );
    let shown: Vec<String> = load_ok(&text)
        .citations()
        .iter()
        .map(|c| format!("{:?} {} {:?} {} {:?}", c.kind, c.standard, c.requirement, c.item_id, c.number))
        .collect();
    assert_eq!(
        shown,
        [
            "Form ID-2.1 None test-form None",
            "Question ID-2.1 Some(\"a\") owes_debt Some(2)",
            "Indicator ID-2.1 Some(\"c\") debt None",
        ]
    );
}

use serde_json::json;

use super::*;
use crate::forms::testing::{errors, load_ok, BASE};

fn mapped() -> String {
    BASE.replace(
        "  id = \"owes_debt\"\n  type = \"choice\"\n  choices = \"yn\"\n",
        "  id = \"owes_debt\"\n  type = \"choice\"\n  htcds = \"vic_MethodsOfControl\"\n  choices = [\n    { value = \"yes\", label = { uk = \"Так\", en = \"Yes\" }, htcds = \"DebtBondage\" },\n    { value = \"no\", label = { uk = \"Ні\", en = \"No\" } },\n  ]\n",
    )
    .replace(
        "when = \"owes_debt = 'yes'\"\nlabel = { uk = \"Борг\", en = \"Debt\" }",
        "when = \"owes_debt = 'yes'\"\nlabel = { uk = \"Борг\", en = \"Debt\" }\nhtcds = \"vic_MethodsOfControl:DebtBondage\"",
    )
}

#[test]
fn a_record_keeps_only_mapped_fields_in_the_standards_shape() {
    let form = load_ok(&mapped());
    let r = json!({
        "answers": { "consent": "yes", "owes_debt": "yes", "age": 30, "jobs": [] },
        "indicators": ["debt"],
        "outcome": "none"
    });
    assert_eq!(record(&form, &r), json!({ "vic_MethodsOfControl": ["DebtBondage"] }));
    let none = json!({ "answers": { "owes_debt": "no" }, "indicators": [] });
    assert_eq!(record(&form, &none), json!({}), "an option with no HTCDS value is not written");
}

#[test]
fn unknown_names_are_errors_with_a_suggestion() {
    let text = mapped().replace("htcds = \"vic_MethodsOfControl\"\n", "htcds = \"vic_MethodOfControl\"\n");
    assert_eq!(errors(&text), ["unknown HTCDS field `vic_MethodOfControl`"]);
    let text = mapped().replace("htcds = \"DebtBondage\" }", "htcds = \"Debt\" }");
    assert_eq!(errors(&text), ["HTCDS field `vic_MethodsOfControl` has no value `Debt`"]);
    let text = mapped().replace("vic_MethodsOfControl:DebtBondage", "vic_MethodsOfControl");
    assert_eq!(errors(&text), ["an indicator's `htcds` names a field and a value"]);
}

#[test]
fn an_error_points_at_the_name() {
    let text = mapped().replace("htcds = \"DebtBondage\" }", "htcds = \"Debt\" }");
    let problems = crate::forms::testing::try_load(&text).unwrap_err();
    let at = problems[0].location.as_ref().unwrap();
    assert!(at.source_line.contains("htcds = \"Debt\""), "{}", at.source_line);
    let from: String = at.source_line.chars().skip(at.col - 1).collect();
    assert!(from.starts_with("\"Debt\""), "column {} of {}", at.col, at.source_line);
}

#[test]
fn a_field_must_fit_the_question() {
    let text = BASE.replace(
        "  id = \"age\"\n  type = \"integer\"\n",
        "  id = \"age\"\n  type = \"integer\"\n  htcds = \"prs_Gender\"\n",
    );
    assert_eq!(errors(&text), ["HTCDS field `prs_Gender` cannot hold the answer to a question of type `integer`"]);
    let text = BASE.replace(
        "  id = \"hours\"\n  type = \"integer\"\n",
        "  id = \"hours\"\n  type = \"integer\"\n  htcds = \"org_ShippingLatitude\"\n",
    );
    assert_eq!(
        errors(&text),
        ["question `hours` is asked once per entry, but HTCDS field `org_ShippingLatitude` holds one value"]
    );
}

#[test]
fn measures_fit_their_questions() {
    let text = BASE.replace(
        "  id = \"owes_debt\"\n  type = \"choice\"\n",
        "  id = \"owes_debt\"\n  type = \"choice\"\n  measure = \"age\"\n",
    );
    assert_eq!(errors(&text), ["`measure = \"age\"` needs a question of type `integer`, not `choice`"]);
    let text = BASE.replace(
        "  id = \"hours\"\n  type = \"integer\"\n",
        "  id = \"hours\"\n  type = \"integer\"\n  measure = \"age\"\n",
    );
    assert_eq!(errors(&text), ["`measure = \"age\"` cannot be in a repeated section"]);
}

#[test]
fn the_default_forms_map_to_known_fields() {
    for text in
        [include_str!("../../../forms/initial-screening.toml"), include_str!("../../../forms/child-screening.toml")]
    {
        let ctx = crate::forms::FormContext {
            languages: vec!["uk".into(), "en".into()],
            default_language: "uk".into(),
            known_standard: &|_, _| true,
        };
        let form = match crate::forms::load("forms/default.toml", text, &ctx) {
            Ok(f) => f,
            Err(e) => panic!("{}", e.iter().map(ToString::to_string).collect::<String>()),
        };
        let mapped = form.questions().filter(|(_, q)| q.htcds.is_some()).count()
            + form.indicators.iter().filter(|i| i.htcds.is_some()).count();
        assert!(mapped > 0, "{} maps nothing to HTCDS", form.id);
    }
}

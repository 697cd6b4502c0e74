//! Screening forms end to end: the default forms load cleanly, every kind of bad form gives
//! positioned diagnostics (snapshots), the paper form is numbered, routed and printable, and the
//! record schema is valid JSON with the allowed values.

use std::collections::BTreeMap;

use oberih::diag::Diagnostics;
use oberih::forms::{load, paper_form_html, record_schema, Form, FormContext};
use oberih::i18n::I18n;
use scraper::{ElementRef, Html, Selector};

const LANGS: [&str; 2] = ["uk", "en"];

/// The standards the default forms may cite, with their requirements.
fn known_standard(id: &str, requirement: Option<&str>) -> bool {
    let requirements: &[&str] = match id {
        "ID-2.1" | "ID-2.2" | "ID-2.4" | "PT-3.1" | "PT-3.3" | "DA-6.1" => &["a", "b", "c", "d"],
        _ => return false,
    };
    requirement.is_none_or(|r| requirements.contains(&r))
}

fn try_load(path: &str) -> Result<Form, Vec<oberih::diag::Diagnostic>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let ctx = FormContext {
        languages: LANGS.iter().map(|l| l.to_string()).collect(),
        default_language: "uk".into(),
        known_standard: &known_standard,
    };
    load(path, &text, &ctx)
}

fn default_form(id: &str) -> Form {
    match try_load(&format!("forms/{id}.toml")) {
        Ok(form) => form,
        Err(problems) => {
            let mut d = Diagnostics::default();
            d.extend(problems);
            panic!("{id} should load:\n{}", d.report())
        }
    }
}

fn catalogs() -> I18n {
    let mut i18n = I18n::new("uk");
    for lang in LANGS {
        let path = format!("themes/default/i18n/forms.{lang}.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        i18n.add_file(&path, lang, &text).unwrap();
    }
    i18n
}

fn paper(form: &Form, lang: &str) -> Html {
    let i18n = catalogs();
    let t = |key: &str| i18n.t(lang, key);
    Html::parse_fragment(&paper_form_html(form, lang, &t))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The text of the first `inner` inside the block of question `id`.
fn in_block(doc: &Html, id: &str, inner: &str) -> Option<String> {
    let block = doc.select(&sel(&format!("#pf-q-{id}"))).next()?;
    block.select(&sel(inner)).next().map(text_of)
}

// ------------------------------------------------------------------------------ default forms

#[test]
fn default_forms_load_without_diagnostics() {
    for id in ["initial-screening", "child-screening"] {
        let form = default_form(id);
        assert!(form.warnings.is_empty(), "{id}: {:?}", form.warnings);
        assert_eq!(form.id, id);
    }
}

#[test]
fn the_adult_form_starts_with_consent_and_ends_with_a_catch_all() {
    let form = default_form("initial-screening");
    let asked: Vec<_> = form.questions().filter(|(_, q)| q.number.is_some()).map(|(_, q)| q).collect();
    assert!((25..=36).contains(&asked.len()), "{} questions", asked.len());
    assert_eq!(asked[0].id, "consent");
    assert!(asked[0].end_if.is_some() && asked[0].required);
    assert!(asked.iter().any(|q| q.alert_if.is_some() && q.id == "danger_now"));
    assert!(form.sections.iter().any(|s| s.repeat.is_some()));
    let outcomes: Vec<&str> = form.outcomes.iter().map(|o| o.id.as_str()).collect();
    let order: Vec<usize> = ["refer", "discuss", "insufficient", "none"]
        .iter()
        .map(|id| outcomes.iter().position(|o| o == id).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{outcomes:?}");
    assert_eq!(form.outcomes.last().unwrap().when.source, "true");
}

#[test]
fn the_child_form_needs_no_means_and_reports() {
    let form = default_form("child-screening");
    let dims: Vec<&str> = form.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert!(!dims.iter().any(|d| d.contains("recruitment")), "{dims:?}");
    let first = &form.sections[0].questions[0];
    assert_eq!(first.id, "duty_to_report");
    assert!(first.label["en"].contains("Art. 22"));
    assert!(form.outcomes.iter().any(|o| o.when.source.contains("dim_positive('exploitation')")));
}

/// What a form is not is said once on paper, in the notice every form carries: a form's own
/// description says what it is for and does not repeat it.
#[test]
fn both_forms_state_what_they_are_not_once() {
    for id in ["initial-screening", "child-screening"] {
        let form = default_form(id);
        for (lang, replaces, validated) in
            [("uk", "не замінює", "не є валідованим"), ("en", "not replace", "not a validated instrument")]
        {
            let text: String = paper(&form, lang).root_element().text().collect();
            assert_eq!(text.matches(replaces).count(), 1, "{id} {lang}: {text}");
            assert_eq!(text.matches(validated).count(), 1, "{id} {lang}");
            let notice = paper(&form, lang).select(&sel(".pf-notice")).next().map(text_of).unwrap();
            assert!(notice.contains(replaces) && notice.contains(validated), "{id} {lang}: {notice}");
        }
    }
}

#[test]
fn citations_feed_the_traceability_matrix() {
    let form = default_form("initial-screening");
    let c = form.citations();
    assert!(c.iter().any(|c| c.standard == "ID-2.1" && c.requirement.as_deref() == Some("b") && c.number == Some(1)));
    assert!(c.iter().any(|c| c.standard == "DA-6.1" && c.item_id == "initial-screening"));
}

// ---------------------------------------------------------------------------------- bad input

/// The full diagnostics report for a fixture, as the terminal shows it.
fn report(name: &str) -> String {
    let path = format!("tests/fixtures/forms/{name}.toml");
    match try_load(&path) {
        Ok(_) => panic!("{path} should not load"),
        Err(problems) => {
            let mut d = Diagnostics::default();
            d.extend(problems);
            d.report()
        }
    }
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(report(stringify!($name)));
            }
        )*
    };
}

fixtures!(
    unknown_key,
    unknown_type,
    duplicate_ids,
    bad_ids,
    unknown_reference,
    later_question_in_relevant,
    calculation_cycle,
    type_errors,
    unknown_choice_value,
    escaped_expression,
    expression_syntax,
    missing_translation,
    missing_plural_forms,
    no_catch_all,
    catch_all_not_last,
    unreachable_required,
    unknown_standard,
    unknown_choice_list,
    field_does_not_fit_type,
    dimension_without_label,
    indicator_reads_counts,
    repeat_read_outside,
    control_characters,
    double_question,
);

#[test]
fn every_fixture_has_a_snapshot_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir("tests/fixtures/forms")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".toml").map(str::to_string))
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(on_disk, tested);
}

// --------------------------------------------------------------------------------- paper form

/// (question id, printed number) in document order.
fn numbering(doc: &Html) -> Vec<(String, u32)> {
    doc.select(&sel("[data-number]"))
        .map(|e| {
            let id = e.value().id().unwrap_or("").trim_start_matches("pf-q-").to_string();
            let n = e.value().attr("data-number").and_then(|n| n.parse().ok()).unwrap_or(0);
            (id, n)
        })
        .collect()
}

#[test]
fn numbering_is_continuous_and_the_same_in_every_language() {
    for id in ["initial-screening", "child-screening"] {
        let form = default_form(id);
        let uk = numbering(&paper(&form, "uk"));
        let en = numbering(&paper(&form, "en"));
        let numbers: Vec<u32> = uk.iter().map(|(_, n)| *n).collect();
        assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>(), "{id}");
        assert_eq!(uk, en, "{id}");
        let shown: Vec<String> = paper(&form, "uk").select(&sel("[data-number] .pf-num")).map(text_of).collect();
        assert_eq!(shown, numbers.iter().map(|n| format!("{n}.")).collect::<Vec<_>>(), "{id}");
    }
}

#[test]
fn consent_ends_the_interview_on_paper() {
    let form = default_form("initial-screening");
    let uk = paper(&form, "uk");
    let end = in_block(&uk, "consent", ".pf-end").unwrap();
    assert!(end.starts_with("Якщо «Ні» → КІНЕЦЬ."), "{end}");
    let en = paper(&form, "en");
    assert!(in_block(&en, "consent", ".pf-end").unwrap().starts_with("If «No» → END."));
}

#[test]
fn simple_skips_are_written_as_go_to() {
    let form = default_form("initial-screening");
    let uk = paper(&form, "uk");
    let number = |id: &str| form.question(id).and_then(|q| q.number).unwrap();
    let after = number("differences") + 1;
    assert_eq!(
        in_block(&uk, "promise_differs", ".pf-routing").unwrap(),
        format!("Якщо «Ні», «Не знає» або «Не хоче відповідати» → перейдіть до питання {after}")
    );
    assert_eq!(
        in_block(&uk, "differences", ".pf-only-if").unwrap(),
        format!("(Лише якщо в п. {} «Так»)", number("promise_differs"))
    );
    let en = paper(&form, "en");
    assert_eq!(
        in_block(&en, "promise_differs", ".pf-routing").unwrap(),
        format!("If «No», «Doesn’t know» or «Prefers not to say» → go to {after}")
    );
    assert!(in_block(&en, "referral_consent", ".pf-routing").unwrap().starts_with("If «No» → go to "));
    let child = paper(&default_form("child-screening"), "en");
    assert!(in_block(&child, "works", ".pf-routing").is_some());
}

#[test]
fn other_conditions_are_written_in_words() {
    let form = default_form("initial-screening");
    let en = paper(&form, "en");
    let line = in_block(&en, "debt_work_off", ".pf-condition").unwrap();
    let owes = form.question("owes_debt").and_then(|q| q.number).unwrap();
    let fee = form.question("paid_fee").and_then(|q| q.number).unwrap();
    assert_eq!(line, format!("Ask only if: question {owes} = «Yes» or question {fee} = «Yes»"));
    for doc in [paper(&form, "uk"), en] {
        for e in doc.select(&sel(".pf-condition, .pf-only-if, .pf-routing, .pf-end, .pf-indicators td")) {
            let t = text_of(e);
            assert!(!t.contains('\'') && !t.contains('_') && !t.contains("=="), "raw syntax in {t:?}");
        }
    }
}

#[test]
fn guidance_alerts_and_tick_boxes_are_printed() {
    let form = default_form("initial-screening");
    let doc = paper(&form, "uk");
    for (_, q) in form.questions() {
        if q.guidance.is_some() {
            assert!(in_block(&doc, &q.id, ".pf-guidance").is_some(), "{} lacks its guidance box", q.id);
        }
        if q.alert.is_some() {
            assert!(in_block(&doc, &q.id, ".pf-alert").is_some(), "{} lacks its alert", q.id);
        }
    }
    let boxes = |id: &str, class: &str| {
        let block = doc.select(&sel(&format!("#pf-q-{id}"))).next().unwrap();
        let all: Vec<ElementRef> = block.select(&sel(".pf-choices .pf-box")).collect();
        assert!(all.iter().all(|b| text_of(*b).is_empty()), "{id}: tick boxes are drawn, not glyphs");
        all.iter().filter(|b| b.value().classes().any(|c| c == class)).count()
    };
    assert_eq!(boxes("consent", "pf-box-one"), 2);
    assert_eq!(in_block(&doc, "consent", ".pf-instruction").unwrap(), "Позначте одне");
    assert_eq!(boxes("urgent_needs", "pf-box-many"), form.question("urgent_needs").unwrap().choices.len());
    assert_eq!(in_block(&doc, "urgent_needs", ".pf-instruction").unwrap(), "Позначте все, що підходить");
    assert!(in_block(&doc, "consent", ".pf-required").is_some());
    assert!(in_block(&doc, "danger_now", ".pf-alert").unwrap().contains("102"));
}

#[test]
fn no_question_splits_across_pages() {
    for id in ["initial-screening", "child-screening"] {
        let doc = paper(&default_form(id), "en");
        let blocks: Vec<ElementRef> = doc.select(&sel(".pf-q, .pf-note")).collect();
        assert!(!blocks.is_empty());
        for b in blocks {
            assert!(b.value().classes().any(|c| c == "pf-nosplit"), "{:?}", b.value().id());
        }
    }
    let css = std::fs::read_to_string("themes/default/static/css/forms.css").unwrap();
    let rule = css.split(".pf-nosplit {").nth(1).and_then(|r| r.split('}').next()).unwrap();
    assert!(rule.contains("break-inside: avoid"), "{rule}");
    assert!(css.contains("size: A4"));
}

#[test]
fn the_paper_form_says_what_it_is_not_and_ends_with_a_scoring_sheet() {
    let form = default_form("initial-screening");
    let doc = paper(&form, "en");
    let notice = doc.select(&sel(".pf-notice")).next().map(text_of).unwrap();
    assert!(notice.contains("does not replace") && notice.contains("not a validated instrument"), "{notice}");
    assert_eq!(doc.select(&sel(".pf-scoring [id^=pf-i-]")).count(), form.indicators.len());
    assert_eq!(doc.select(&sel(".pf-outcomes li")).count(), form.outcomes.len() + 1, "and the incomplete screening");
    let last = doc.select(&sel(".pf-outcomes li")).next_back().map(text_of).unwrap();
    assert!(last.starts_with("In all other cases:") && last.contains("does not rule out risk"), "{last}");
    let rule = doc.select(&sel(".pf-rule")).next().map(text_of).unwrap();
    assert!(rule.contains("strong: 2"), "{rule}");
}

#[test]
fn the_scoring_sheet_never_concludes_none_from_blank_answers() {
    let form = default_form("initial-screening");
    let doc = paper(&form, "uk");
    let rules: Vec<String> = doc.select(&sel(".pf-outcomes li")).map(text_of).collect();
    let incomplete = &rules[rules.len() - 2];
    assert!(incomplete.starts_with("Якщо хоч одне поставлене питання, від якого залежать ознаки,"), "{incomplete}");
    assert!(incomplete.contains("Скринінг неповний"), "{incomplete}");
    let numbers: Vec<String> = form
        .indicator_questions()
        .iter()
        .map(|id| form.question(id).and_then(|q| q.number).unwrap().to_string())
        .collect();
    assert_eq!(numbers.len(), 22, "{numbers:?}");
    let line = doc.select(&sel(".pf-indicator-questions")).next().map(text_of).unwrap();
    assert!(line.contains(&numbers.join(", ")), "{line}");
    let total = doc.select(&sel(".pf-totals")).next().map(text_of).unwrap();
    assert!(total.contains("і питань про ознаки без відповіді, разом"), "{total}");
}

/// Numbered questions are named like words of the sentence, in the case it needs, never as a
/// quoted title: «у питанні 5 позначено …», «питання 4 = «Так»».
#[test]
fn questions_are_named_in_the_case_the_sentence_needs() {
    let form = default_form("initial-screening");
    let uk = paper(&form, "uk");
    let n = |id: &str| form.question(id).and_then(|q| q.number).unwrap();
    let alert = in_block(&uk, "urgent_needs", ".pf-alert").unwrap();
    assert!(alert.contains(&format!("Якщо у питанні {} позначено «Медична допомога»", n("urgent_needs"))), "{alert}");
    let first = uk.select(&sel(".pf-outcomes li .pf-outcome-when")).next().map(text_of).unwrap();
    assert!(
        first.starts_with(&format!(
            "Якщо питання {} = «Так» або у питанні {} позначено",
            n("danger_now"),
            n("urgent_needs")
        )),
        "{first}"
    );
    let cells: Vec<String> = uk.select(&sel(".pf-indicators td:last-child")).map(text_of).collect();
    assert!(cells.iter().any(|c| c.starts_with("У питанні ")), "{cells:?}");
    for doc in [uk, paper(&form, "en")] {
        let html = doc.html();
        assert!(!html.contains("«Питання") && !html.contains("«Question"), "a question named as a quoted title");
    }
}

/// The scoring sheet asks for nothing the paper does not: a calculation is read out down to the
/// questions it counts, and every total an outcome rule compares has its own cell.
#[test]
fn the_scoring_sheet_uses_only_what_the_paper_asks() {
    let form = default_form("initial-screening");
    let hours = form.question("job_hours").and_then(|q| q.number).unwrap();
    for (lang, expected) in [
        ("uk", format!("Хоча б в одному записі «Місця роботи»: питання {hours} ≥ 12")),
        ("en", format!("In at least one entry of «Places of work»: question {hours} ≥ 12")),
    ] {
        let doc = paper(&form, lang);
        let row = doc.select(&sel("#pf-i-excessive_hours td:last-child")).next().map(text_of).unwrap();
        assert_eq!(row, expected);
        for (_, q) in form.questions().filter(|(_, q)| q.calculation.is_some()) {
            let label = &q.label[lang];
            assert!(!doc.html().contains(label.as_str()), "{lang}: the sheet names the calculation «{label}»");
        }
        let totals: Vec<String> = doc.select(&sel(".pf-totals > span")).map(text_of).collect();
        let rules = doc.select(&sel(".pf-outcomes")).next().map(text_of).unwrap();
        assert_eq!(totals.len(), 4, "{totals:?}");
        let unknown = totals[3].trim_end_matches(':').to_lowercase();
        let unknown = unknown.trim_end_matches(", разом").trim_end_matches(", together");
        assert!(rules.to_lowercase().contains(unknown), "{lang}: the rules compare «{unknown}», which has no cell");
    }
}

/// A repeated section says how its entries are laid out: text and numbers in a row per entry,
/// choices in a column per entry.
#[test]
fn repeated_sections_say_how_entries_are_laid_out() {
    let form = default_form("initial-screening");
    let doc = paper(&form, "uk");
    let line = doc.select(&sel("#pf-s-jobs .pf-repeat")).next().map(text_of).unwrap();
    assert_eq!(
        line,
        "Ставте ці питання про кожен запис окремо (щонайбільше 4). Відповіді записуйте в рядку, а позначайте в стовпчику з номером запису, починаючи з «Запис 1»."
    );
    assert!(
        doc.select(&sel("#pf-s-jobs .pf-entry")).count() > 0 && doc.select(&sel("#pf-s-jobs .pf-grid")).count() > 0
    );
}

#[test]
fn a_link_to_another_form_is_printed_as_its_words() {
    let doc = paper(&default_form("initial-screening"), "uk");
    let end = in_block(&doc, "age", ".pf-end").unwrap();
    assert!(end.ends_with("Продовжте за формою скринінгу дитини."), "{end}");
    assert!(!doc.html().contains("form:child-screening"));
}

// ------------------------------------------------------------------------------------- schema

#[test]
fn the_record_schema_is_valid_json_with_allowed_values() {
    let form = default_form("initial-screening");
    let i18n = catalogs();
    let t = |k: &str| i18n.t("en", k);
    let text = serde_json::to_string_pretty(&record_schema(&form, "en", &t)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    for key in ["form", "version", "language", "started", "answers", "outcome", "indicators"] {
        assert!(required.contains(&key), "{key}");
    }
    assert_eq!(schema["properties"]["form"]["const"], "initial-screening");
    let answers = &schema["properties"]["answers"]["properties"];
    let values = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().unwrap().iter().filter_map(|o| o["const"].as_str().map(str::to_string)).collect()
    };
    assert_eq!(values(&answers["owes_debt"]["oneOf"]), ["yes", "no", "dk", "refused"]);
    assert_eq!(answers["urgent_needs"]["type"], serde_json::json!(["array", "null"]));
    assert!(values(&answers["urgent_needs"]["items"]["oneOf"]).contains(&"medical".to_string()));
    assert_eq!(answers["jobs"]["items"]["properties"]["job_hours"]["type"], serde_json::json!(["integer", "null"]));
    let outcomes = values(&schema["properties"]["outcome"]["oneOf"]);
    assert_eq!(outcomes[outcomes.len() - 2..], ["none", "incomplete"], "the form's, then the built-in one");
    assert_eq!(
        schema["properties"]["outcome"]["oneOf"][outcomes.len() - 1]["title"],
        "Screening incomplete: it cannot be concluded that there are no indicators"
    );
    let unanswered: Vec<&str> = schema["properties"]["unanswered"]["items"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["const"].as_str())
        .collect();
    assert!(unanswered.contains(&"/owes_debt") && !unanswered.contains(&"/consent"), "{unanswered:?}");
    assert!(required.contains(&"unanswered"));
    assert_eq!(schema["properties"]["outcome"]["oneOf"].as_array().unwrap().last().unwrap()["type"], "null");
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, q) in form.questions() {
        *ids.entry(q.id.as_str()).or_default() += 1;
    }
    assert!(ids.values().all(|n| *n == 1));
}

//! A language a region adds (Hungarian in the fixture's `demo` region): whatever is not
//! translated yet — a page, interface strings, contact names and notes, form texts — is shown in
//! the default language, marked with `lang` so that screen readers switch voice, announced with a
//! notice in the reader's language, and counted by `check --translations`.

mod common;

use std::path::Path;

use common::*;
use oberih::build::{run_scoped, BuildOptions, Scope};

/// A small form in the portal's languages; the region translates only part of it.
const FORM: &str = r#"[form]
id = "screening"
version = "1"
title = { uk = "Скринінг", en = "Screening" }
description = { uk = "Коротка розмова.", en = "A short conversation." }

[choices]
yn = [
  { value = "yes", label = { uk = "Так", en = "Yes" } },
  { value = "no", label = { uk = "Ні", en = "No" } },
]

[[section]]
id = "main"
title = { uk = "Головне", en = "Main" }

  [[section.question]]
  id = "consent"
  type = "choice"
  choices = "yn"
  label = { uk = "Чи згодні ви поговорити?", en = "Do you agree to talk?" }

  [[section.question]]
  id = "owes_debt"
  type = "choice"
  choices = "yn"
  label = { uk = "Чи ви комусь винні гроші?", en = "Do you owe anyone money?" }
  hint = { uk = "Наприклад, за дорогу.", en = "For example, for the journey." }

[dimensions.labels]
exploitation = { uk = "Експлуатація", en = "Exploitation" }

[[indicator]]
id = "debt"
dimension = "exploitation"
strength = "medium"
when = "owes_debt = 'yes'"
label = { uk = "Борг", en = "Debt" }

[[outcome]]
id = "none"
when = "true"
label = { uk = "Нічого не виявлено", en = "Nothing found" }
"#;

/// The Hungarian translation leaves out the second question, the description, the `no` choice,
/// the indicator, the outcome and the dimension.
const PACK: &str = r#"[form]
title = "Szűrés"

[sections.main]
title = "Fő rész"

[questions.consent]
label = "Beleegyezik, hogy beszélgessünk?"

[choices]
yes = "Igen"
"#;

/// The `basic` fixture with the form and its partial Hungarian translation, and a Hungarian
/// page in the region that lists the contacts (whose names have no Hungarian).
fn site() -> tempfile::TempDir {
    let dir = copy_fixture("basic");
    let root = dir.path();
    std::fs::create_dir_all(root.join("forms")).unwrap();
    std::fs::write(root.join("forms/screening.toml"), FORM).unwrap();
    std::fs::create_dir_all(root.join("regions/demo/forms")).unwrap();
    std::fs::write(root.join("regions/demo/forms/screening.hu.toml"), PACK).unwrap();
    std::fs::write(
        root.join("regions/demo/content/local/_index.hu.md"),
        "+++\ntitle = \"Helyi szolgáltatások\"\nweight = 5\n+++\n{{ contacts() }}\n",
    )
    .unwrap();
    dir
}

fn build_demo(root: &Path, out: &Path) {
    let options = BuildOptions { root: root.to_path_buf(), out: out.to_path_buf(), write: true };
    let report = run_scoped(&options, &Scope::Region("demo".into()));
    assert!(report.ok(), "{}", report.diagnostics.report());
}

/// The site built once for the tests of this file.
fn built() -> &'static Path {
    static DIR: std::sync::OnceLock<(tempfile::TempDir, tempfile::TempDir)> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let src = site();
        let out = tempfile::tempdir().unwrap();
        build_demo(src.path(), out.path());
        (src, out)
    })
    .1
    .path()
}

fn page(path: &str) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(built().join(path)).unwrap())
}

fn text(el: scraper::ElementRef) -> String {
    el.text().collect::<String>().trim().to_string()
}

/// The language an element is read in: its own `lang`, else its nearest ancestor's.
fn lang_of(el: scraper::ElementRef) -> Option<String> {
    std::iter::once(*el)
        .chain(el.ancestors())
        .filter_map(|n| n.value().as_element().and_then(|e| e.attr("lang")))
        .map(str::to_string)
        .next()
}

/// The language each text node inside `css` that reads `wanted` (trimmed) is read in.
fn read_as(doc: &scraper::Html, css: &str, wanted: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for el in doc.select(&sel(css)) {
        for node in el.descendants() {
            let Some(t) = node.value().as_text() else { continue };
            if t.trim() == wanted {
                let parent = node.parent().and_then(scraper::ElementRef::wrap).expect("a text node has a parent");
                out.push(lang_of(parent));
            }
        }
    }
    out
}

#[test]
fn the_output_is_sound_and_carries_no_internal_marks() {
    let problems = check_output(built());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Text shown in place of a missing translation is marked with Unicode noncharacters until the
    // page is finished; none may reach a file.
    for (path, bytes) in tree(built()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(['\u{FDD0}', '\u{FDD1}', '\u{FDD2}']), "{path} carries an internal mark");
    }
}

#[test]
fn a_fallback_page_says_which_language_its_content_is_in() {
    let doc = page("hu/guide/second/index.html");
    assert_eq!(doc.root_element().attr("lang"), Some("hu"), "the chrome stays in the reader's language");
    let article = doc.select(&sel("article.content")).next().expect("the page content");
    assert_eq!(article.attr("lang"), Some("uk"), "the content is in Ukrainian");
    let notice = doc.select(&sel(".notice.fallback")).next().expect("the notice");
    assert_eq!(lang_of(notice).as_deref(), Some("hu"), "the notice is in the reader's language");
    // A translated page needs no language of its own.
    let first = page("hu/guide/first/index.html");
    assert_eq!(first.select(&sel("article.content")).next().unwrap().attr("lang"), None);
    // In the print document, each untranslated chapter says the same.
    let print = page("hu/print.html");
    let chapters: Vec<(String, Option<String>)> = print
        .select(&sel("section.print-page"))
        .map(|s| (text(s.select(&sel("h1")).next().unwrap()), s.attr("lang").map(str::to_string)))
        .collect();
    assert!(chapters.contains(&("Друга сторінка".to_string(), Some("uk".to_string()))), "{chapters:?}");
    assert!(chapters.contains(&("Első oldal".to_string(), None)), "{chapters:?}");
}

#[test]
fn interface_strings_missing_in_the_added_language_are_marked_and_announced() {
    // The region's Hungarian strings leave out the skip link and the search button, among others.
    let doc = page("hu/guide/first/index.html");
    let skip = doc.select(&sel("a.skip-link")).next().expect("skip link");
    let marked: Vec<_> = skip.select(&sel("[lang]")).map(|e| (e.attr("lang"), text(e))).collect();
    assert_eq!(marked, [(Some("uk"), "Перейти до змісту".to_string())]);
    // In an attribute the text cannot be marked; it is shown as it is.
    let input = doc.select(&sel("#search-q")).next().unwrap();
    assert!(input.attr("placeholder").is_some_and(|p| p.starts_with("Пошук")), "{:?}", input.attr("placeholder"));
    // Strings the region translated stay unmarked.
    assert_eq!(read_as(&doc, ".lang-switch a", "Magyar"), [Some("hu".to_string())]);
    let notices: Vec<String> = doc.select(&sel(".notice.fallback")).map(text).collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    // A page whose strings all exist in the language shows no notice: the English one.
    assert!(page("en/guide/first/index.html").select(&sel(".notice.fallback")).next().is_none());
}

#[test]
fn contact_texts_missing_in_the_added_language_are_marked() {
    let doc = page("hu/local/index.html");
    for name in ["Регіональна тестова лінія", "Демо-центр соціальних служб (вигаданий приклад)"]
    {
        assert_eq!(read_as(&doc, "ul.contacts li strong", name), [Some("uk".to_string())], "{name}");
    }
    assert_eq!(doc.select(&sel(".notice.fallback")).count(), 1);
    // Inline, in a translated page.
    let first = page("hu/guide/first/index.html");
    assert_eq!(read_as(&first, ".contact", "Регіональна тестова лінія"), [Some("uk".to_string())]);
}

#[test]
fn the_paper_form_marks_texts_shown_in_the_default_language() {
    let doc = page("hu/forms/screening/print.html");
    assert_eq!(read_as(&doc, ".pf-label", "Beleegyezik, hogy beszélgessünk?"), [Some("hu".to_string())]);
    assert_eq!(read_as(&doc, ".pf-label", "Чи ви комусь винні гроші?"), [Some("uk".to_string())]);
    assert_eq!(read_as(&doc, ".pf-hint", "Наприклад, за дорогу."), [Some("uk".to_string())]);
    assert_eq!(read_as(&doc, ".pf-title", "Szűrés"), [Some("hu".to_string())]);
    assert_eq!(doc.select(&sel(".notice.fallback")).count(), 1, "the paper form announces the untranslated texts");
    // Fully translated in English: no notice there.
    assert_eq!(page("en/forms/screening/print.html").select(&sel(".notice.fallback")).count(), 0);
}

#[test]
fn the_questionnaire_knows_which_texts_fall_back_and_says_so() {
    let html = std::fs::read_to_string(built().join("hu/forms/screening/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    // The notice for the languages that fall back, shown in the page's language.
    let notices: Vec<(Option<&str>, bool)> =
        doc.select(&sel(".notice[data-lang]")).map(|e| (e.attr("data-lang"), e.attr("hidden").is_some())).collect();
    assert_eq!(notices, [(Some("hu"), false)]);
    // In the data the runtime reads, a text missing in a language is null (the runtime shows the
    // default language's and marks it), never a copy that hides where it came from.
    let block: String = doc.select(&sel("script#form-data")).next().unwrap().text().collect();
    let data = oberih::forms::packed::unpack(&block).unwrap();
    assert_eq!(data["languages"], serde_json::json!(["uk", "en", "hu"]));
    let questions = &data["sections"][0]["questions"];
    assert_eq!(questions[0]["label"][2], "Beleegyezik, hogy beszélgessünk?");
    assert_eq!(
        questions[1]["label"],
        serde_json::json!(["Чи ви комусь винні гроші?", "Do you owe anyone money?", null])
    );
    assert_eq!(questions[1]["hint"][2], serde_json::Value::Null);
    assert_eq!(data["title"][2], "Szűrés");
    // The English page has nothing to announce.
    let en =
        scraper::Html::parse_document(&std::fs::read_to_string(built().join("en/forms/screening/index.html")).unwrap());
    let shown: Vec<_> = en.select(&sel(".notice[data-lang]")).filter(|e| e.attr("hidden").is_none()).collect();
    assert!(shown.is_empty());
}

#[test]
fn the_record_schema_and_search_carry_plain_text() {
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(built().join("hu/forms/screening/schema.json")).unwrap()).unwrap();
    assert_eq!(schema["title"], "Szűrés");
    let debt = &schema["properties"]["answers"]["properties"]["owes_debt"];
    assert!(debt["title"].as_str().is_some_and(|t| t.ends_with("Чи ви комусь винні гроші?")), "{debt}");
}

#[test]
fn coverage_counts_every_form_text_and_the_contacts() {
    let src = site();
    let mut diags = oberih::diag::Diagnostics::default();
    let (site, _) = oberih::build::open_site(src.path(), Some("demo"), &mut diags, &mut Vec::new()).unwrap();
    let report = oberih::coverage::report(&site);
    let hu = report.iter().find(|c| c.lang == "hu").unwrap();
    // Title, description, section, 2 labels, 1 hint, 2 choices per question, indicator,
    // outcome, dimension: 13 texts, 5 of them translated (`yes` twice).
    assert_eq!((hu.form_strings.translated, hu.form_strings.total), (5, 13), "{:?}", hu.form_strings);
    for missing in [
        "forms/screening.hu.toml: form.description",
        "forms/screening.hu.toml: questions.owes_debt.label",
        "forms/screening.hu.toml: questions.owes_debt.hint",
        "forms/screening.hu.toml: choices.no",
        "forms/screening.hu.toml: indicators.debt.label",
        "forms/screening.hu.toml: outcomes.none.label",
        "forms/screening.hu.toml: dimensions.exploitation",
    ] {
        assert!(hu.form_strings.missing.contains(&missing.to_string()), "{missing}: {:?}", hu.form_strings.missing);
    }
    // Two contacts with a name each, none in Hungarian.
    assert_eq!((hu.contacts.translated, hu.contacts.total), (0, 2), "{:?}", hu.contacts);
    assert!(hu.contacts.missing.contains(&"line: name".to_string()), "{:?}", hu.contacts.missing);
    let uk = report.iter().find(|c| c.lang == "uk").unwrap();
    assert_eq!(uk.contacts.percent(), 100);
    assert_eq!(uk.form_strings.percent(), 100);
    // Text and JSON name the same things.
    let text = oberih::coverage::to_text(&report);
    assert!(text.contains("contacts 0/2 (0 %)"), "{text}");
    assert!(text.contains("  missing contacts: local-office: name"), "{text}");
    assert!(text.contains("  missing form texts: forms/screening.hu.toml: choices.no"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json[2]["contacts"]["total"], 2);
}

/// In a real browser (headless Chromium, see tests/browser/): the questionnaire marks the texts it
/// shows in the default language and says so, in the added language only.
#[test]
fn the_questionnaire_marks_fallback_texts_in_the_browser() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(repo.join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let out = std::process::Command::new("node")
        .arg(repo.join("tests/browser/fallback_form.js"))
        .arg(built().join("hu/forms/screening/index.html"))
        .args(["hu", "uk", "Beleegyezik, hogy beszélgessünk?", "Чи ви комусь винні гроші?"])
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|_| panic!("no report:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let failures = report["failures"].as_array().cloned().unwrap_or_default();
    assert!(failures.is_empty(), "{failures:?}");
}

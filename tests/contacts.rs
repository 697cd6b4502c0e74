//! Contacts on the default portal (national and every region, built once): a number as
//! written, its digits run together and a service's name find the pages that show the contact,
//! through the site's own client (the search client in a Node `vm` context loading the built index
//! files, as in `tests/search_quality.rs`); no shortcode placeholder reaches any file of the
//! output; no phone number is typed into page or form text. Needs Node.js; fails, never skips,
//! without it.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use oberih::build::{self, BuildOptions, BuildReport, Scope};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default portal with every region, built once for all tests here.
fn built() -> &'static (tempfile::TempDir, BuildReport) {
    static SITE: OnceLock<(tempfile::TempDir, BuildReport)> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let opts = BuildOptions { root: repo(), out: out.path().join("public"), write: true };
        let report = build::run_scoped(&opts, &Scope::AllRegions);
        assert!(report.ok(), "{}", report.diagnostics.report());
        (out, report)
    })
}

fn site() -> PathBuf {
    built().0.path().join("public")
}

/// Runs `(lang, query)` pairs through `tests/search/run_queries.js`; one report per query.
fn search(site: &Path, queries: &[(&str, &str)]) -> Vec<Value> {
    let input: Vec<Value> = queries.iter().map(|(lang, q)| json!({"lang": lang, "q": q})).collect();
    let mut child = Command::new("node")
        .arg(repo().join("tests/search/run_queries.js"))
        .arg(repo().join("src/search/runtime"))
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): this test needs Node.js"));
    child.stdin.take().unwrap().write_all(serde_json::to_string(&input).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "run_queries.js failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("run_queries.js prints a JSON array")
}

/// A placeholder is `OBSC`, a lower-case index in letters, then `Q` padding.
fn placeholders_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("OBSC") {
        let rest = &text[at + 4..];
        let letters = rest.chars().take_while(char::is_ascii_lowercase).count();
        if letters > 0 && rest[letters..].starts_with('Q') {
            found.push(text[at..].chars().take(24).collect());
        }
    }
    found
}

#[test]
fn numbers_and_service_names_find_the_pages_that_show_the_contact() {
    let site = site();
    let mut leaks = Vec::new();
    for (path, bytes) in common::tree(&site) {
        for p in placeholders_in(&String::from_utf8_lossy(&bytes)) {
            leaks.push(format!("{path}: {p}"));
        }
    }

    // (language, query, a page that shows the contact and must be among the first ten results)
    let cases = [
        ("uk", "102", "help/emergency/index.html"),
        ("uk", "527", "help/hotlines/index.html"),
        ("uk", "Ла Страда", "help/hotlines/index.html"),
        ("uk", "0 800 500 335", "help/hotlines/index.html"),
        ("uk", "0800500335", "help/hotlines/index.html"),
        ("uk", "116123", "help/hotlines/index.html"),
        ("en", "102", "help/emergency/index.html"),
        ("en", "La Strada", "help/hotlines/index.html"),
        ("en", "1547", "help/hotlines/index.html"),
    ];
    let queries: Vec<(&str, &str)> = cases.iter().map(|(l, q, _)| (*l, *q)).collect();
    let reports = search(&site, &queries);
    let mut misses = Vec::new();
    for ((lang, q, want), r) in cases.iter().zip(&reports) {
        let ids: Vec<&str> = r["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let hit = ids.iter().any(|id| id.split('#').next() == Some(*want));
        if !hit {
            misses.push(format!("[{lang}] {q:?}: want {want} in the top 10, got {ids:?}"));
        }
    }
    assert!(
        misses.is_empty() && leaks.is_empty(),
        "{}\nshortcode placeholders in the output:\n{}",
        misses.join("\n"),
        leaks.join("\n")
    );
}

#[test]
fn the_placeholder_pattern_is_recognised() {
    assert_eq!(placeholders_in("a OBSCbaQQQQ b").len(), 1);
    assert!(placeholders_in("OBSC OBSCQ OBSCa").is_empty());
}

/// The rule for typed numbers finds nothing in the default content: every number there is either
/// a contact reference or not a phone number.
#[test]
fn no_phone_number_is_typed_into_the_default_content() {
    let typed: Vec<String> = built()
        .1
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.message.starts_with("the phone number"))
        .map(|d| d.to_string())
        .collect();
    assert!(typed.is_empty(), "{}", typed.join("\n"));
}

/// The children's line reaches the child form from the contacts file, in every language.
#[test]
fn the_child_form_gives_the_childrens_line_from_the_contacts_file() {
    for page in ["uk/forms/child-screening/print.html", "en/forms/child-screening/print.html"] {
        let html = std::fs::read_to_string(site().join(page)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let text: String = doc.select(&common::sel("main")).flat_map(|m| m.text()).collect();
        assert_eq!(text.matches("116 111").count(), 3, "{page}");
        assert!(!text.contains("{phone:"), "{page}");
    }
    let html = std::fs::read_to_string(site().join("zakarpatska/hu/forms/child-screening/print.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let text: String = doc.select(&common::sel("main")).flat_map(|m| m.text()).collect();
    assert_eq!(text.matches("116 111-es").count(), 3);
}

/// The national contacts are all checked; the example regions' contacts are placeholders, each
/// warned about at its own line of the region's region.toml, so packing them needs
/// `--allow-placeholders`.
#[test]
fn only_the_example_regions_have_placeholder_contacts() {
    let report = &built().1;
    let placeholders: Vec<(String, usize)> = report
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.message.contains("is a placeholder"))
        .map(|d| (d.file.clone(), d.location.as_ref().map_or(0, |l| l.line)))
        .collect();
    assert_eq!(placeholders.len(), 7, "{placeholders:?}");
    for (file, line) in &placeholders {
        assert!(file.starts_with("regions/") && file.ends_with("/region.toml") && *line > 0, "{file}:{line}");
    }
    let lines: std::collections::BTreeSet<&(String, usize)> = placeholders.iter().collect();
    assert_eq!(lines.len(), placeholders.len(), "one warning per entry, each at its own line");
    assert_eq!(report.placeholder_contacts.len(), 7, "{:?}", report.placeholder_contacts);
}

/// A contact card gives its number a line of its own, large enough to tap, and says when the
/// number was checked («перевірено DD.MM.YYYY», from `verified_on`).
#[test]
fn contact_cards_give_the_number_its_own_line_and_the_day_it_was_checked() {
    for (page, word) in [("uk/help/hotlines/index.html", "перевірено"), ("en/help/hotlines/index.html", "checked")]
    {
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(site().join(page)).unwrap());
        let cards: Vec<_> = doc.select(&common::sel(".contact-card")).collect();
        assert!(cards.len() >= 4, "{page}");
        let date = regex_lite_date(word);
        for card in cards {
            let number = card.select(&common::sel(":scope > a.phone")).count();
            assert_eq!(number, 1, "{page}: {}", card.html());
            let checked: Vec<String> =
                card.select(&common::sel(":scope > small")).map(|e| e.text().collect()).collect();
            assert!(checked.len() == 1 && date(&checked[0]), "{page}: {checked:?}");
        }
    }
}

/// `word DD.MM.YYYY`.
fn regex_lite_date(word: &str) -> impl Fn(&str) -> bool + '_ {
    move |s: &str| {
        let Some(rest) = s.strip_prefix(word).and_then(|r| r.strip_prefix(' ')) else { return false };
        let b = rest.as_bytes();
        b.len() == 10 && b[2] == b'.' && b[5] == b'.' && rest.chars().filter(char::is_ascii_digit).count() == 8
    }
}

/// A contact's name is in the nominative: it never follows a preposition that would need another
/// case («зателефонувати на Національна…»). A sentence that goes on after a preposition uses
/// `{{ phone(id="…") }}`, the number alone, and names the service in its own words.
#[test]
fn a_contact_name_never_follows_a_preposition() {
    const PREPOSITIONS: &[&str] = &["на", "в", "у", "до", "за", "від", "з", "із", "по", "on", "to", "call", "dial"];
    let mut bad = Vec::new();
    let mut numbers_alone = 0;
    for (path, bytes) in common::tree(&site()) {
        if !path.ends_with(".html") || path.contains("/forms/") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for contact in doc.select(&common::sel("main span.contact")) {
            let before: String =
                contact.prev_sibling().and_then(|n| n.value().as_text().map(|t| t.to_string())).unwrap_or_default();
            let last = before.split_whitespace().last().unwrap_or("").to_lowercase();
            if PREPOSITIONS.contains(&last.as_str()) {
                bad.push(format!("{path}: «…{before}{}»", contact.text().collect::<String>()));
            }
        }
        numbers_alone += doc
            .select(&common::sel("main .content a.phone"))
            .filter(|a| {
                a.parent()
                    .and_then(scraper::ElementRef::wrap)
                    .is_none_or(|p| !p.value().classes().any(|c| c == "contact" || c == "contact-card"))
            })
            .count();
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(numbers_alone > 0, "no page uses a number alone ({{{{ phone(id=…) }}}})");
}

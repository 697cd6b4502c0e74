//! Monitoring figures in a portal: a summary's JSON placed in `data/statistics/` is shown by
//! `{{ statistics(table="…") }}` as an accessible table, and an unknown table stops the build at
//! the shortcode's line and column.

mod common;

use std::path::Path;

use common::*;
use oberih::records::summary::{self, write, SummaryOptions, TableSpec};
use serde_json::json;

fn initial_form() -> oberih::forms::Form {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/initial-screening.toml")).unwrap();
    let ctx = oberih::forms::FormContext {
        languages: vec!["uk".into(), "en".into()],
        default_language: "uk".into(),
        known_standard: &|_, _| true,
    };
    oberih::forms::load("forms/initial-screening.toml", &text, &ctx).unwrap()
}

/// The region table of 1,047 synthetic records, as a summary writes it.
fn region_json() -> String {
    let records: Vec<serde_json::Value> = [("kharkivska", 1030), ("zakarpatska", 14), ("odeska", 3)]
        .iter()
        .flat_map(|(r, n)| {
            (0..*n).map(move |_| json!({ "started": "2026-03-02T09:00:00Z", "region": r, "answers": {}, "outcome": "none", "indicators": [] }))
        })
        .collect();
    let options = SummaryOptions { tables: vec![TableSpec::parse("region").unwrap()], ..SummaryOptions::default() };
    let s = summary::summarise(&initial_form(), &records, &options).unwrap();
    serde_json::to_string_pretty(&write::table_json(&s, &s.tables[0])).unwrap()
}

fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const PAGE: &str =
    "+++\ntitle = \"Третя сторінка\"\nweight = 3\n+++\nЗа регіонами:\n\n{{ statistics(table=\"TABLE\") }}\n";

#[test]
fn a_published_table_is_shown_as_an_accessible_table() {
    let site = copy_fixture("basic");
    write_file(site.path(), "data/statistics/region.json", &region_json());
    write_file(site.path(), "content/guide/third.md", &PAGE.replace("TABLE", "region"));
    let english =
        PAGE.replace("TABLE", "region").replace("Третя сторінка", "Third page").replace("За регіонами", "By region");
    write_file(site.path(), "content/guide/third.en.md", &english);
    let public = site.path().join("public");
    build_ok(site.path(), &public);
    let pages: Vec<(String, scraper::Html)> = html_files(&public)
        .into_iter()
        .filter(|(_, doc)| doc.select(&sel("figure.statistics")).next().is_some())
        .collect();
    let shown: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(shown, ["en/guide/third/index.html", "en/print.html", "uk/guide/third/index.html", "uk/print.html"]);
    let doc = &pages[2].1;
    let caption: String = doc.select(&sel("figure.statistics table caption")).next().unwrap().text().collect();
    assert!(caption.ends_with(": Регіон"), "{caption}");
    let rows: Vec<String> =
        doc.select(&sel("figure.statistics tbody th[scope=row]")).map(|h| h.text().collect()).collect();
    assert_eq!(rows, ["kharkivska", "odeska", "zakarpatska"]);
    let counts: Vec<String> = doc.select(&sel("figure.statistics tbody td.num")).map(|h| h.text().collect()).collect();
    assert_eq!(counts, ["1\u{a0}030", "<10", "×"], "odesa is small, so the next smallest is hidden too");
    assert_eq!(doc.select(&sel("figure.statistics meter")).count(), 1, "a bar only for a published count");
    // Counts are written with the page language's digit groups.
    let total = |doc: &scraper::Html| -> String {
        doc.select(&sel("figure.statistics tfoot td.num")).next().unwrap().text().collect()
    };
    assert_eq!(total(doc), "1\u{a0}047");
    assert_eq!(total(&pages[0].1), "1,047");
    assert!(check_output(&public).is_empty(), "{:?}", check_output(&public));
}

#[test]
fn an_unknown_table_is_an_error_at_the_shortcode() {
    let site = copy_fixture("basic");
    write_file(site.path(), "data/statistics/region.json", &region_json());
    write_file(site.path(), "content/guide/third.md", &PAGE.replace("TABLE", "regoin"));
    let public = site.path().join("public");
    let report = build(site.path(), &public);
    assert!(!report.ok());
    let text = report.diagnostics.report();
    assert!(text.contains("unknown statistics table `regoin` (tables in data/statistics/: region)"), "{text}");
    assert!(text.contains("content/guide/third.md:7:1"), "{text}");
    assert!(!public.exists());
}

#[test]
fn a_file_that_is_not_a_summary_is_refused() {
    let site = copy_fixture("basic");
    write_file(site.path(), "data/statistics/region.json", "{ \"answers\": { \"name\": \"…\" } }\n");
    let report = build(site.path(), &site.path().join("public"));
    let text = report.diagnostics.report();
    assert!(text.contains("data/statistics/region.json:1:1"), "{text}");
    assert!(text.contains("not a statistics table"), "{text}");
}

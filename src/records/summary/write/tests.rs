use scraper::{Html, Selector};

use super::super::tests::{form, options, record};
use super::super::*;

fn facts() -> Vec<Facts> {
    records().iter().map(|r| Facts::of(&form(), &crate::records::json::Json::of(r))).collect()
}

fn records() -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for (region, n) in [("kyiv", 40), ("lviv", 23), ("odesa", 4)] {
        for i in 0..n {
            let sex = if i % 3 == 0 { "male" } else { "female" };
            out.push(record(Some(region), 1 + (i % 3) as u32, Some(16 + i as u64), Some(sex), i % 4 == 0));
        }
    }
    out
}

fn select(doc: &Html, css: &str) -> usize {
    doc.select(&Selector::parse(css).unwrap()).count()
}

#[test]
fn a_run_writes_csv_json_and_one_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("summary");
    let report = run(&form(), &facts(), &options(&["region", "region*month", "sex"], 10), &out).unwrap();
    assert_eq!(report.tables, 3);
    assert_eq!(report.files.len(), 7);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(select(&doc, "script, link, img, iframe, object"), 0, "nothing is loaded or run");
    let csp = doc.select(&Selector::parse("meta[http-equiv=Content-Security-Policy]").unwrap()).next().unwrap();
    let policy = csp.value().attr("content").unwrap();
    assert!(policy.starts_with("default-src 'none'; style-src 'sha256-"), "{policy}");
    assert_eq!(doc.root_element().value().attr("lang"), Some("uk"));
    assert_eq!(select(&doc, "section table"), 3);
    assert!(select(&doc, "td.bar svg rect") > 0, "bars are inline SVG");
    let p: Vec<String> = doc.select(&Selector::parse("main > p").unwrap()).map(|p| p.text().collect()).collect();
    assert!(p.iter().any(|t| t == "Усього 67\u{a0}скринінгів."), "{p:?}");
    let cells: Vec<String> = doc.select(&Selector::parse("td.n").unwrap()).map(|c| c.text().collect()).collect();
    assert!(cells.iter().any(|c| c == "<10"));

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("region.json")).unwrap()).unwrap();
    assert_eq!(json["format"], write::FORMAT);
    assert_eq!(json["rows"]["categories"][2]["id"], "odesa");
    assert_eq!(json["row_totals"][2], "<10");
    let csv = std::fs::read_to_string(out.join("region.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}Регіон,Усі скринінги\r\nkyiv,40\r\n"), "{csv}");
}

#[test]
fn a_run_never_writes_into_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let e = run(&form(), &facts(), &options(&["region"], 10), dir.path()).unwrap_err();
    assert!(matches!(e, SummaryError::Exists(_)), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_report_speaks_english_on_request() {
    let mut o = options(&["sex"], 10);
    o.lang = "en".into();
    let s = summarise(&form(), &records()[..1], &o).unwrap();
    let html = super::html::report(&s, "en");
    let doc = Html::parse_document(&html);
    assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
    let p: Vec<String> = doc.select(&Selector::parse("main > p").unwrap()).map(|p| p.text().collect()).collect();
    assert!(p.iter().any(|t| t == "Fewer screenings than 10."), "{p:?}");
}

#[test]
fn counts_are_written_with_the_languages_digit_groups_and_small_ones_escaped() {
    let mut many: Vec<serde_json::Value> =
        (0..1200).map(|i| record(Some("kyiv"), 1, Some(30), Some("female"), i % 2 == 0)).collect();
    many.extend((0..3).map(|_| record(Some("odesa"), 1, Some(30), Some("male"), false)));
    let s = summarise(&form(), &many, &options(&["region"], 10)).unwrap();
    for (lang, total, counted) in
        [("uk", "1\u{a0}203", "Усього 1\u{a0}203\u{a0}скринінги."), ("en", "1,203", "In all, 1,203\u{a0}screenings.")]
    {
        let html = super::html::report(&s, lang);
        let doc = Html::parse_document(&html);
        let foot: Vec<String> =
            doc.select(&Selector::parse("tfoot td.n").unwrap()).map(|c| c.text().collect()).collect();
        assert_eq!(foot, [total], "{lang}");
        let p: Vec<String> = doc.select(&Selector::parse("main > p").unwrap()).map(|p| p.text().collect()).collect();
        assert!(p.iter().any(|t| t == counted), "{lang}: {p:?}");
        // «<10» is text, written as `&lt;10`: a bare `<` before a digit is a parse error in HTML.
        assert!(html.contains("<td class=\"n\">&lt;10</td>") && !html.contains("\"n\"><10"), "{lang}");
    }
}

#[test]
fn every_row_of_a_table_has_as_many_cells_as_its_head() {
    let s = summarise(&form(), &records(), &options(&["region", "region*sex"], 10)).unwrap();
    let doc = Html::parse_document(&super::html::report(&s, "uk"));
    for table in doc.select(&Selector::parse("table").unwrap()) {
        let widths: Vec<usize> = table
            .select(&Selector::parse("tr").unwrap())
            .map(|tr| tr.select(&Selector::parse("th, td").unwrap()).count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "rows of {widths:?} cells");
    }
}

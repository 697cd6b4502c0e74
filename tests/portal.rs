//! The repository's own default portal: builds cleanly in every language, and its output passes
//! the link, fragment, CSP and privacy checks; the standards matrix matches the content.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The default portal, built once for all tests in this file.
fn built() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let report = build(repo(), &dir.path().join("public"));
        assert!(report.ok(), "{}", report.diagnostics.report());
        assert_eq!(report.diagnostics.error_count(), 0);
        dir
    })
    .path()
}

fn public() -> std::path::PathBuf {
    built().join("public")
}

fn page(path: &str) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(public().join(path)).unwrap())
}

#[test]
fn default_portal_output_is_sound() {
    let problems = check_output(&public());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn default_portal_has_guidance_in_both_languages() {
    let files = tree(&public());
    let count =
        |lang: &str| files.keys().filter(|p| p.starts_with(&format!("{lang}/")) && p.ends_with("/index.html")).count();
    assert!(count("uk") >= 30, "{}", count("uk"));
    assert_eq!(count("uk"), count("en"));
    let en_home = page("en/index.html");
    assert!(en_home.select(&sel(".notice.fallback")).next().is_none(), "the English home page is translated");
}

#[test]
fn every_form_has_paper_form_and_schema_in_every_language() {
    for lang in ["uk", "en"] {
        for form in ["initial-screening", "child-screening"] {
            assert!(public().join(format!("{lang}/forms/{form}/print.html")).is_file());
            let schema: serde_json::Value = serde_json::from_slice(
                &std::fs::read(public().join(format!("{lang}/forms/{form}/schema.json"))).unwrap(),
            )
            .unwrap();
            assert!(schema.get("$schema").is_some(), "{schema}");
        }
        let index = page(&format!("{lang}/forms/index.html"));
        assert_eq!(index.select(&sel(".form-card")).count(), 2);
    }
}

/// The matrix on the standards index agrees with what the content cites.
#[test]
fn standards_matrix_counts_match_the_content() {
    let index = page("uk/standards/index.html");
    let rows: Vec<_> = index.select(&sel("table.matrix tbody tr")).collect();
    let standard_files = std::fs::read_dir(repo().join("content/standards"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.ends_with(".md") && !n.starts_with('_') && !n.ends_with(".en.md")
        })
        .count();
    assert_eq!(rows.len(), standard_files);
    for row in rows {
        let id = row.select(&sel("th a")).next().unwrap().text().collect::<String>();
        let cells: Vec<_> = row.select(&sel("td")).collect();
        let guidance: usize = cells[0].select(&sel(".n")).next().unwrap().text().collect::<String>().parse().unwrap();
        // Count the Ukrainian guidance files citing `id` in front matter or with std: links.
        let mut expected = 0;
        for entry in walkdir::WalkDir::new(repo().join("content")) {
            let entry = entry.unwrap();
            let p = entry.path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".md") || name.ends_with(".en.md") || p.to_string_lossy().contains("/standards/") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap();
            if text.contains(&format!("\"{id}\""))
                || text.contains(&format!("std:{id})"))
                || text.contains(&format!("std:{id}#"))
            {
                expected += 1;
            }
        }
        assert_eq!(guidance, expected, "guidance count for {id}");
        assert_eq!(cells[0].select(&sel("li a")).count(), guidance);
    }
}

/// Each form heads one column of the matrix, named there once; its cells give a question's number
/// and the first words of its label, never the form's title again. Every cell says which column
/// it belongs to, for the layout per standard on a phone.
#[test]
fn standards_matrix_names_each_form_once_in_its_head() {
    let index = page("uk/standards/index.html");
    let heads: Vec<String> = index.select(&sel("table.matrix thead th")).map(|h| h.text().collect()).collect();
    let titles = ["Первинний скринінг дорослої особи", "Скринінг дитини"];
    for t in titles {
        assert_eq!(heads.iter().filter(|h| h.contains(t)).count(), 1, "{t} in {heads:?}");
    }
    let mut questions = 0;
    for cell in index.select(&sel("table.matrix tbody td")) {
        assert!(cell.value().attr("data-label").is_some_and(|l| !l.is_empty()), "{}", cell.html());
        for item in cell.select(&sel("li a")) {
            let text: String = item.text().collect();
            assert!(titles.iter().all(|t| !text.contains(t)), "{text}");
            assert!(text.chars().count() <= 60, "{text}");
            if item.select(&sel(".item-number")).next().is_some() {
                questions += 1;
            }
        }
    }
    assert!(questions >= 10, "{questions} numbered questions in the matrix");
}

#[test]
fn standard_pages_have_requirement_anchors_and_backlinks() {
    let doc = page("uk/standards/id-2-1/index.html");
    for r in ["a", "b", "c"] {
        assert!(doc.select(&sel(&format!("#req-{r}"))).next().is_some(), "#req-{r}");
    }
    assert!(doc.select(&sel(".backlinks a")).count() >= 2);
    assert!(public().join("uk/standards/print.html").is_file());
}

/// Byte sizes of a form page and of its parts, as shipped.
struct FormPageSize {
    page: usize,
    runtime: usize,
    data: usize,
    style: usize,
}

fn form_page_size(path: &str) -> FormPageSize {
    let html = page(path);
    let text_len = |css: &str| -> usize {
        let selector = sel(css);
        let mut found = html.select(&selector);
        let el = found.next().unwrap_or_else(|| panic!("{path}: no `{css}`"));
        assert!(found.next().is_none(), "{path}: more than one `{css}`");
        el.text().map(str::len).sum()
    };
    FormPageSize {
        page: std::fs::metadata(public().join(path)).unwrap().len() as usize,
        runtime: text_len("script:not([type]):not([src])"),
        data: text_len("script#form-data[type='text/plain']"),
        style: text_len("style"),
    }
}

/// The offline questionnaires are sent around and opened on slow phones; these bounds keep them
/// from silently growing back. The adult form's page must stay under 61 KB (60,592 bytes with the
/// record's id, region and `not_asked`, the contacts' check dates and the touch hint) and the runtime
/// under 27.2 KB (uk: 59,891 bytes, runtime 26,562, packed form data 16,176, style 6,945, with the
/// contact cards' check dates in every language and the quick exit's touch hint; then the record's
/// id, region and `not_asked`).
#[test]
fn form_pages_stay_small() {
    for (path, page_bound, data_bound) in [
        ("uk/forms/initial-screening/index.html", 61_000, 16_500),
        ("en/forms/initial-screening/index.html", 61_000, 16_500),
        ("uk/forms/child-screening/index.html", 56_000, 11_500),
    ] {
        let size = form_page_size(path);
        eprintln!(
            "{path}: {} bytes; runtime {}, form data {}, style {}",
            size.page, size.runtime, size.data, size.style
        );
        assert!(size.page < page_bound, "{path}: {} bytes, bound {page_bound}", size.page);
        assert!(size.runtime < 27_200, "{path}: runtime {} bytes", size.runtime);
        assert!(size.data < data_bound, "{path}: form data {} bytes, bound {data_bound}", size.data);
        assert!(size.style < 7_200, "{path}: style {} bytes", size.style);
    }
    let site_js: Vec<_> = std::fs::read_dir(public().join("assets"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        // The offline copy's page script is loaded over http(s) only, never from a folder.
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("offline.")))
        .collect();
    assert_eq!(site_js.len(), 1, "{site_js:?}");
    let bytes = std::fs::metadata(&site_js[0]).unwrap().len();
    // Search with results grouped by page and the manifest read from the search page, the wide
    // tables' edges, the print button and the offline copy's loader: 22,156; records shortened
    // against the one before and the first results in a wave of their own: 22,868; the search
    // client in three parts that name what they take from the parts before: 23,990.
    assert!(bytes < 24_500, "the site script is {bytes} bytes (minified 23,990)");
}

fn text_of(doc: &scraper::Html, css: &str) -> String {
    doc.select(&sel(css)).map(|e| e.text().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The bodies the Law names for reporting a child (Art. 22), as the guidance pages name them.
const ART_22_BODIES: [[&str; 4]; 2] = [
    ["місцеву державну адміністрацію", "орган місцевого самоврядування", "поліцію", "прокуратуру"],
    ["local state administration", "local self-government body", "police", "prosecutor"],
];

/// The duty to report a child (Law Art. 22, confirmed in the fact sheet) covers a child who is or
/// was trafficked, reported to the four bodies the Law names; every place that states it agrees.
#[test]
fn the_duty_to_report_a_child_is_stated_as_the_law_has_it() {
    for (lang, bodies) in ["uk", "en"].into_iter().zip(ART_22_BODIES) {
        let child = page(&format!("{lang}/forms/child-screening/print.html"));
        let adult = page(&format!("{lang}/forms/initial-screening/print.html"));
        let statements = [
            ("child form note", text_of(&child, "#pf-q-duty_to_report")),
            ("adult form age alert", text_of(&adult, "#pf-q-age .pf-alert")),
            ("guidance", text_of(&page(&format!("{lang}/indicators/children/index.html")), ".admonition.important")),
        ];
        for (place, text) in &statements {
            assert!(!text.is_empty(), "{lang}: {place} not found");
            for body in bodies {
                assert!(text.contains(body), "{lang}: {place} does not name `{body}`: {text}");
            }
            for wider in ["могла постраждати", "may have been", "службу у справах дітей", "children’s service"]
            {
                assert!(!text.contains(wider), "{lang}: {place} says `{wider}`: {text}");
            }
        }
        // «Stop at once» sends a child to the child screening, and reports only a trafficked child.
        let first_contact = page(&format!("{lang}/identification/first-contact/index.html"));
        let child_item = first_contact
            .select(&sel(".admonition li"))
            .find(|li| li.select(&sel("a[href*='duty-to-report']")).next().is_some())
            .expect("the child item of the stop list");
        let hrefs: Vec<&str> = child_item.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
        assert!(hrefs.iter().any(|h| h.contains("forms/child-screening")), "{lang}: {hrefs:?}");
        let said: String = child_item.text().collect();
        assert!(
            said.contains(["постраждала від торгівлі людьми", "is or was trafficked"][(lang == "en") as usize]),
            "{said}"
        );
    }
    // The Hungarian translations in the Zakarpattia region say the same.
    let pack = |form: &str| -> toml::Table {
        toml::from_str(
            &std::fs::read_to_string(repo().join(format!("regions/zakarpatska/forms/{form}.hu.toml"))).unwrap(),
        )
        .unwrap()
    };
    let hu = [
        pack("child-screening")["questions"]["duty_to_report"]["label"].as_str().unwrap().to_string(),
        pack("initial-screening")["questions"]["age"]["alert"].as_str().unwrap().to_string(),
    ];
    for text in hu {
        for body in ["helyi állami közigazgatás", "helyi önkormányzati szerv", "rendőrség", "ügyészség"] {
            assert!(text.contains(body), "{text}");
        }
        assert!(!text.contains("lehetett") && !text.contains("gyermekügyi szolgálat"), "{text}");
    }
}

/// Whether a person abroad can reach the hotlines: the fact sheet confirms no number for calls
/// from abroad, so every page says the short numbers may not work from there.
#[test]
fn pages_agree_on_calling_the_hotlines_from_abroad() {
    for (lang, warning) in [("uk", "з-за кордону можуть бути недоступні"), ("en", "may not be reachable from abroad")]
    {
        for path in ["assistance/services/index.html", "help/hotlines/index.html"] {
            let doc = page(&format!("{lang}/{path}"));
            let heading = doc.select(&sel("h2#abroad")).next().unwrap_or_else(|| panic!("{lang}/{path}: no #abroad"));
            let section: String = heading
                .next_siblings()
                .filter_map(scraper::ElementRef::wrap)
                .take_while(|e| e.value().name() != "h2")
                .flat_map(|e| e.text())
                .collect();
            assert!(section.contains(warning), "{lang}/{path}#abroad does not warn: {section}");
            for claim in ["може також звернутися на гарячі лінії", "can also call the hotlines"]
            {
                assert!(!section.contains(claim), "{lang}/{path}#abroad: {section}");
            }
        }
    }
}

/// A section page lists its pages once, as cards with descriptions after the text: its text holds
/// no list or table whose items start with links to all the same pages (a table of situations or
/// steps that links to some of them further along its rows is guidance, not a listing).
#[test]
fn section_pages_list_their_pages_once() {
    let mut sections = 0;
    for lang in ["uk", "en"] {
        for entry in std::fs::read_dir(public().join(lang)).unwrap().flatten() {
            if !entry.path().join("index.html").is_file() {
                continue;
            }
            let path = format!("{lang}/{}/index.html", entry.file_name().to_string_lossy());
            let doc = page(&path);
            let cards: Vec<&str> =
                doc.select(&sel(".children .cards > li > a")).filter_map(|a| a.value().attr("href")).collect();
            if cards.len() < 2 {
                continue;
            }
            sections += 1;
            let items = sel("article.content li, article.content tr > td:first-child");
            let listed: std::collections::BTreeSet<&str> = doc.select(&items).filter_map(leading_link).collect();
            assert!(
                !cards.iter().all(|c| listed.contains(c)),
                "{path}: a list of the section's pages before its cards"
            );
        }
    }
    assert!(sections >= 7, "only {sections} section pages with cards");
}

/// The link an element starts with, if its first non-blank content is one.
fn leading_link<'a>(el: scraper::ElementRef<'a>) -> Option<&'a str> {
    let first = el.children().find(|n| !n.value().as_text().is_some_and(|t| t.trim().is_empty()))?;
    let a = scraper::ElementRef::wrap(first)?;
    (a.value().name() == "a").then(|| a.value().attr("href")).flatten()
}

/// The paper form page: a «Друкувати» button that only a script shows (it needs one to print),
/// and the page's own `@page` rule, allowed by its security policy, that puts the form, its
/// version and the sheet numbers at the foot of every sheet.
#[test]
fn paper_forms_have_a_print_button_and_a_running_footer() {
    for (lang, words) in [
        ("uk", "· v2026.2 · с. \" counter(page) \" з \" counter(pages)"),
        ("en", "· v2026.2 · page \" counter(page) \" of \" counter(pages)"),
    ] {
        let path = format!("{lang}/forms/initial-screening/print.html");
        let doc = page(&path);
        let button = doc.select(&sel("p.pf-print[hidden] > button[type=button][data-print]")).next();
        let label = if lang == "uk" { "Друкувати" } else { "Print" };
        assert_eq!(button.map(|b| b.text().collect::<String>()), Some(label.to_string()), "{path}");
        let style: String = doc.select(&sel("head style")).next().map(|s| s.text().collect()).unwrap_or_default();
        assert!(style.starts_with("@page{@bottom-left{content:") && style.contains(words), "{path}: {style}");
        let csp = doc.select(&sel("meta[http-equiv=Content-Security-Policy]")).next().unwrap();
        let digest = <sha2::Sha256 as sha2::Digest>::digest(style.as_bytes());
        let hash = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest);
        assert!(csp.value().attr("content").unwrap().contains(&format!("'sha256-{hash}'")), "{path}");
    }
}

/// What the forms are not is said on the forms index, since the forms' descriptions no longer
/// repeat it.
#[test]
fn the_forms_index_says_what_the_forms_are_not() {
    let doc = page("uk/forms/index.html");
    let notice = text_of(&doc, ".forms-disclaimer");
    assert!(notice.contains("не замінюють") && notice.contains("не є валідованим"), "{notice}");
}

/// The compendium links the standards it holds inside itself, down to the requirement, as the
/// guidance print does for its pages.
#[test]
fn the_compendium_links_its_standards_inside_itself() {
    let doc = page("uk/standards/print.html");
    let links: Vec<&str> =
        doc.select(&sel("section.print-page a[href]")).filter_map(|a| a.value().attr("href")).collect();
    assert!(!links.iter().any(|h| h.contains("standards/")), "{links:?}");
    let inside: Vec<&&str> = links.iter().filter(|h| h.starts_with("#std-")).collect();
    assert!(inside.len() >= 30, "{} in-document links", inside.len());
    for href in inside {
        assert!(doc.select(&sel(href)).next().is_some(), "{href} has no target");
    }
    assert!(doc.select(&sel("#std-id-2-1-req-a")).next().is_some(), "requirements have their own anchors");
}

fn build_with_epoch(out: &Path, epoch: Option<&str>) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_oberih"));
    cmd.args(["build", "--root"]).arg(repo()).arg("--out").arg(out);
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let status = cmd.output().unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

/// The print documents say what date they are current as of, taken from the input so that the
/// same input prints the same bytes: `SOURCE_DATE_EPOCH`, else the newest contact check.
#[test]
fn print_documents_carry_the_date_of_their_input() {
    let dir = tempfile::tempdir().unwrap();
    let read = |out: &str, path: &str| std::fs::read_to_string(dir.path().join(out).join(path)).unwrap();
    let date = |out: &str, path: &str| {
        let doc = scraper::Html::parse_document(&read(out, path));
        text_of(&doc, ".print-cover .print-date")
    };
    build_with_epoch(&dir.path().join("checked"), None);
    assert_eq!(date("checked", "uk/print.html"), "Стан на 1 березня 2026 р.");
    assert_eq!(date("checked", "en/standards/print.html"), "Current as of 1 March 2026");
    build_with_epoch(&dir.path().join("epoch"), Some("1780000000"));
    build_with_epoch(&dir.path().join("again"), Some("1780000000"));
    assert_eq!(date("epoch", "uk/standards/print.html"), "Стан на 28 травня 2026 р.");
    for path in ["uk/print.html", "uk/standards/print.html"] {
        assert_eq!(read("epoch", path), read("again", path), "{path} is not reproducible");
    }
}

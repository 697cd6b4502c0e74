//! Building fixture portals end to end and checking the output by parsing it.

mod common;

use common::*;

#[test]
fn basic_site_builds_with_sound_output() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&fixture("basic"), &public);
    let problems = check_output(&public);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "uk/index.html",
        "en/index.html",
        "uk/guide/first/index.html",
        "uk/print.html",
        "en/print.html",
        "uk/search/index.html",
    ] {
        assert!(public.join(f).is_file(), "missing {f}");
    }
}

fn page(public: &std::path::Path, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(public.join(path)).unwrap())
}

fn text_of(doc: &scraper::Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

#[test]
fn navigation_breadcrumbs_and_neighbours() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let doc = page(out.path(), "uk/guide/second/index.html");
    assert_eq!(text_of(&doc, ".breadcrumbs a"), ["Головна", "Посібник"]);
    let prev = doc.select(&sel("a[rel=prev]")).next().unwrap();
    assert_eq!(prev.value().attr("href"), Some("../../guide/first/index.html"));
    let next = doc.select(&sel("a[rel=next]")).next().unwrap();
    assert_eq!(next.value().attr("href"), Some("../../guide/third/index.html"));
    let current = text_of(&doc, ".site-nav a[aria-current=page]");
    assert_eq!(current, ["Друга сторінка"]);
    let nav_titles = text_of(&doc, ".site-nav li li a");
    assert_eq!(nav_titles, ["Перша сторінка", "Друга сторінка", "Третя сторінка"]);
}

/// The basic fixture with a section `big` of 40 pages, `p01`…`p40` in that order.
fn site_with_big_section() -> tempfile::TempDir {
    let site = copy_fixture("basic");
    let big = site.path().join("content/big");
    std::fs::create_dir_all(&big).unwrap();
    std::fs::write(big.join("_index.md"), "+++\ntitle = \"Великий розділ\"\nweight = 2\n+++\nСорок сторінок.\n")
        .unwrap();
    for n in 1..=40 {
        let page = format!("+++\ntitle = \"Сторінка {n:02}\"\nweight = {n}\n+++\nТекст.\n");
        std::fs::write(big.join(format!("p{n:02}.md")), page).unwrap();
    }
    site
}

/// The titles of the pages the navigation lists in `big`, and its "more" entries as (text, href).
fn big_section_nav(doc: &scraper::Html) -> (Vec<String>, Vec<(String, String)>) {
    let pages = text_of(doc, ".site-nav li.nav-section > ul > li:not(.nav-more) > a");
    let more = doc
        .select(&sel(".site-nav li.nav-section > ul > li.nav-more > a"))
        .map(|a| (a.text().collect::<String>(), a.value().attr("href").unwrap_or_default().to_string()))
        .collect();
    (pages, more)
}

#[test]
fn large_section_lists_a_window_around_the_current_page() {
    let site = site_with_big_section();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let problems = check_output(out.path());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let to_section = |text: &str| (text.to_string(), "../../big/index.html".to_string());

    let doc = page(out.path(), "uk/big/p20/index.html");
    let (pages, more) = big_section_nav(&doc);
    let expected: Vec<String> = (10..=30).map(|n| format!("Сторінка {n:02}")).collect();
    assert_eq!(pages, expected);
    assert_eq!(text_of(&doc, ".site-nav a[aria-current=page]"), ["Сторінка 20"]);
    assert_eq!(more, [to_section("Ще 9 сторінок розділу"), to_section("Ще 10 сторінок розділу")]);
    let first_item = doc.select(&sel(".site-nav li.nav-section > ul > li")).next().unwrap();
    assert_eq!(first_item.value().attr("class"), Some("nav-more"));

    let (pages, more) = big_section_nav(&page(out.path(), "uk/big/p12/index.html"));
    assert_eq!(pages.len(), 21);
    assert_eq!(more, [to_section("Ще 1 сторінка розділу"), to_section("Ще 18 сторінок розділу")]);
    let (_, more) = big_section_nav(&page(out.path(), "en/big/p13/index.html"));
    let en: Vec<&str> = more.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(en, ["2 more pages in this section", "17 more pages in this section"]);
    let (pages, more) = big_section_nav(&page(out.path(), "uk/big/index.html"));
    assert_eq!(pages.first().map(String::as_str), Some("Сторінка 01"));
    assert_eq!(more, [("Ще 19 сторінок розділу".to_string(), "../big/index.html".to_string())]);
}

#[test]
fn language_switcher_links_the_same_page() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let doc = page(out.path(), "uk/guide/first/index.html");
    let en = doc.select(&sel(".lang-switch a[hreflang=en]")).next().unwrap();
    assert_eq!(en.value().attr("href"), Some("../../../en/guide/first/index.html"));
    let doc = page(out.path(), "en/guide/first/index.html");
    assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
    assert_eq!(text_of(&doc, "h1"), ["First page"]);
}

#[test]
fn untranslated_page_falls_back_with_a_notice() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let en = page(out.path(), "en/guide/second/index.html");
    assert_eq!(text_of(&en, "h1"), ["Друга сторінка"]);
    let notice = text_of(&en, ".notice.fallback");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].contains("not been translated"), "{notice:?}");
    let uk = page(out.path(), "uk/guide/second/index.html");
    assert!(text_of(&uk, ".notice.fallback").is_empty());
}

#[test]
fn ukrainian_plural_forms_in_section_listing() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let uk = page(out.path(), "uk/guide/index.html");
    assert_eq!(text_of(&uk, ".children .count"), ["(3 сторінки)"]);
    let en = page(out.path(), "en/guide/index.html");
    assert_eq!(text_of(&en, ".children .count"), ["(3 pages)"]);
}

#[test]
fn markdown_features_and_contacts() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let first = page(out.path(), "uk/guide/first/index.html");
    assert_eq!(text_of(&first, ".admonition.warning .admonition-title"), ["Увага"]);
    assert_eq!(first.select(&sel(".table-wrap table")).count(), 1);
    let link = first.select(&sel("article a[href*=second]")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("../../guide/second/index.html#details"));
    let home = page(out.path(), "uk/index.html");
    let tel = home.select(&sel("a.phone")).next().unwrap();
    assert_eq!(tel.value().attr("href"), Some("tel:0800123456"));
    let section = page(out.path(), "uk/guide/index.html");
    assert_eq!(section.select(&sel("ul.contacts li")).count(), 1);
}

#[test]
fn print_document_has_every_page_with_internal_anchors() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let doc = page(out.path(), "uk/print.html");
    assert_eq!(
        text_of(&doc, "section.print-page > h1"),
        ["Головна", "Посібник", "Перша сторінка", "Друга сторінка", "Третя сторінка"]
    );
    let link = doc.select(&sel("#page-guide--first a[href^='#']")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("#page-guide--second--details"));
    assert!(doc.select(&sel("#page-guide--second--details")).next().is_some());
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), &a.path().join("one"));
    build_ok(&fixture("basic"), &b.path().join("other"));
    assert_eq!(tree(&a.path().join("one")), tree(&b.path().join("other")));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = copy_fixture("basic");
    let public = site.path().join("public");
    build_ok(site.path(), &public);
    let before = tree(&public);
    std::fs::write(site.path().join("content/guide/third.md"), "+++\ntitle = \"x\"\nbroken\n+++\n").unwrap();
    let report = build(site.path(), &public);
    assert!(!report.ok());
    assert_eq!(tree(&public), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_inside_inputs_is_refused() {
    let site = copy_fixture("basic");
    let report = build(site.path(), &site.path().join("content/out"));
    assert!(!report.ok());
    assert!(report.diagnostics.report().contains("inside the input folder"));
    let report = build(site.path(), site.path());
    assert!(report.diagnostics.report().contains("refusing"));
}

#[test]
fn aliases_send_readers_to_the_moved_page() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    let doc = page(out.path(), "uk/old/third-page/index.html");
    let refresh = doc.select(&sel("meta[http-equiv=refresh]")).next().unwrap();
    assert_eq!(refresh.value().attr("content"), Some("0; url=../../guide/third/index.html"));
    assert!(check_output(out.path()).is_empty());
}

#[test]
fn pretty_urls_drop_index_html_from_links() {
    let site = copy_fixture("basic");
    let config = site.path().join("portal.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}pretty_urls = true\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let doc = page(out.path(), "uk/guide/second/index.html");
    let next = doc.select(&sel("a[rel=next]")).next().unwrap();
    assert_eq!(next.value().attr("href"), Some("../../guide/third/"));
    let hrefs: Vec<&str> = doc.select(&sel("a[href]")).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.iter().all(|h| !h.ends_with("index.html")), "{hrefs:?}");
}

/// `oberih check` reports standards nothing cites, requirements nothing cites directly, and a
/// translation that cites other standards than its original.
#[test]
fn check_reports_standards_coverage() {
    let site = copy_fixture("basic");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("content/standards"), &site.path().join("content/standards"));
    let first = site.path().join("content/guide/first.md");
    let text =
        std::fs::read_to_string(&first).unwrap().replacen("weight = 1", "weight = 1\nstandards = [\"ID-2.1#a\"]", 1);
    std::fs::write(&first, text).unwrap();
    let report = oberih::build::run(&oberih::build::BuildOptions {
        root: site.path().to_path_buf(),
        out: site.path().join("public"),
        write: false,
    });
    assert!(report.ok(), "{}", report.diagnostics.report());
    let text = report.diagnostics.report();
    assert!(text.contains("standard `PR-1.1` is cited by no guidance page and no form"), "{text}");
    assert!(!text.contains("standard `ID-2.1` is cited by no"), "{text}");
    assert!(text.contains("requirement(s) b, c, d of `ID-2.1`"), "{text}");
    assert!(text.contains("content/guide/first.en.md") && text.contains("missing here: [\"ID-2.1\"]"), "{text}");
}

#[test]
fn the_footer_names_the_portal_by_its_own_title() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    oberih::scaffold::new_portal(&root).unwrap();
    let config = std::fs::read_to_string(root.join("portal.toml")).unwrap();
    let config = config.replace(
        r#"title = { uk = "Мій портал", en = "My portal" }"#,
        r#"title = { uk = "Довідник Полтавщини", en = "Poltava Handbook" }"#,
    );
    std::fs::write(root.join("portal.toml"), config).unwrap();
    let public = tmp.path().join("public");
    build_ok(&root, &public);
    for (path, starts) in [
        ("uk/index.html", "Довідник Полтавщини — портал методичної інформації"),
        ("en/basics/first-steps/index.html", "Poltava Handbook is a guidance portal"),
        // The 404 page has its own template, with a footer per language.
        ("404.html", "Довідник Полтавщини — портал методичної інформації"),
    ] {
        let about = text_of(&page(&public, path), ".site-footer p");
        assert!(about[0].starts_with(starts), "{path}: {about:?}");
        assert!(about.iter().all(|a| !a.contains("{title}")), "{path}: {about:?}");
        assert!(!about[0].contains("Оберіг") && !about[0].contains("Oberih"), "{path}: {about:?}");
    }
}

#[test]
fn home_cards_include_the_forms_index() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    oberih::scaffold::new_portal(&root).unwrap();
    let public = tmp.path().join("public");
    build_ok(&root, &public);
    for (lang, forms) in [("uk", "Форми скринінгу"), ("en", "Screening forms")] {
        let doc = page(&public, &format!("{lang}/index.html"));
        let cards: Vec<(String, String)> = doc
            .select(&sel(".children .cards > li > a"))
            .map(|a| (a.text().collect::<String>(), a.value().attr("href").unwrap_or("").to_string()))
            .collect();
        assert!(cards.contains(&(forms.to_string(), "forms/index.html".to_string())), "{lang}: {cards:?}");
        assert!(cards.iter().any(|(_, href)| href == "basics/index.html"), "{lang}: {cards:?}");
        let blurb = text_of(&doc, ".children .cards > li:last-child p");
        assert_eq!(blurb.len(), 1, "{lang}: the forms card has no description");
    }
}

/// The basic fixture with two standards, `EX-1.1` an example and `RE-1.2` not, both cited by
/// the page `guide/cites`.
fn site_with_standards() -> tempfile::TempDir {
    let site = copy_fixture("basic");
    let dir = site.path().join("content/standards");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("_index.md"), "+++\ntitle = \"Стандарти\"\n+++\n").unwrap();
    for (file, id, example) in [("ex-1-1.md", "EX-1.1", "example = true\n"), ("re-1-2.md", "RE-1.2", "")] {
        let text = format!(
            "+++\nid = \"{id}\"\ntitle = \"Стандарт {id}\"\narea = \"prevention\"\n{example}\
             requirements = [{{ id = \"a\", text = \"Перша вимога.\" }}, {{ id = \"b\", text = \"Друга вимога.\" }}]\n+++\nТекст.\n"
        );
        std::fs::write(dir.join(file), text).unwrap();
    }
    std::fs::write(
        site.path().join("content/guide/cites.md"),
        "+++\ntitle = \"Сторінка зі стандартами\"\nstandards = [\"EX-1.1\", \"RE-1.2\"]\n+++\nДив. [вимогу](std:EX-1.1#b).\n",
    )
    .unwrap();
    site
}

#[test]
fn example_standards_are_marked_beside_their_title_and_on_badges() {
    let site = site_with_standards();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let example = page(out.path(), "uk/standards/ex-1-1/index.html");
    assert_eq!(text_of(&example, ".title-line > h1 + .example-mark"), ["Приклад стандарту"]);
    assert_eq!(text_of(&example, "main h1"), ["Стандарт EX-1.1"], "the mark is not part of the title");
    let real = page(out.path(), "uk/standards/re-1-2/index.html");
    assert!(text_of(&real, ".example-mark").is_empty());

    let index = page(out.path(), "uk/standards/index.html");
    let marked: Vec<String> = index
        .select(&sel(".area-group .cards > li"))
        .filter(|li| li.select(&sel(".example-mark")).next().is_some())
        .map(|li| li.select(&sel(".badge")).map(|b| b.text().collect::<String>()).collect())
        .collect();
    assert_eq!(marked, ["EX-1.1"]);

    let guide = page(out.path(), "uk/guide/cites/index.html");
    assert_eq!(text_of(&guide, ".cites > span"), ["Відповідає стандартам:"]);
    assert_eq!(text_of(&guide, ".cites a.badge"), ["EX-1.1 · приклад", "RE-1.2"]);
    let en = page(out.path(), "en/standards/ex-1-1/index.html");
    assert_eq!(text_of(&en, ".title-line > h1 + .example-mark"), ["Example standard"]);
}

/// A requirement opened by its link is highlighted: the stylesheet has a `:target` rule for
/// requirements with an outline and a background.
#[test]
fn an_opened_requirement_is_highlighted() {
    let site = site_with_standards();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let doc = page(out.path(), "uk/standards/ex-1-1/index.html");
    assert_eq!(doc.select(&sel(".requirement-list > li#req-b")).count(), 1);
    let css_href = doc.select(&sel("link[rel=stylesheet]")).next().unwrap().value().attr("href").unwrap().to_string();
    let css = std::fs::read_to_string(out.path().join("uk/standards/ex-1-1").join(css_href)).unwrap();
    let rule = css.split('}').find(|r| r.trim_start().starts_with(".requirement-list li:target")).unwrap_or_default();
    assert!(rule.contains("outline:") && rule.contains("background:"), "no :target highlight in {rule:?}");
}

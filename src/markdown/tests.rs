use super::*;

struct TestResolver;

impl Resolver for TestResolver {
    fn resolve(&self, dest: &str) -> Result<Resolved, (String, Option<String>)> {
        if dest.starts_with("javascript:") {
            return Err(("dangerous".into(), None));
        }
        if let Some(frag) = dest.strip_prefix('#') {
            return Ok(Resolved { href: dest.into(), external: false, check: Some((String::new(), frag.into())) });
        }
        Ok(Resolved { href: dest.replace(".md", "/index.html"), external: dest.starts_with("https:"), check: None })
    }
    fn shortcode(&self, code: &shortcodes::Shortcode) -> Result<Snippet, String> {
        let snippet = |html: &str, block, text: &str| Snippet { html: html.into(), block, text: text.into() };
        match code.name.as_str() {
            "contact" => Ok(snippet("<span class=\"c\">527</span>", false, "Hotline: 527")),
            "contacts" => Ok(snippet("<ul class=\"cs\"></ul>", true, "Police 102. Hotline 527.")),
            other => Err(format!("unknown shortcode `{other}`")),
        }
    }
}

fn opts(allow_html: bool) -> Options<'static> {
    Options { allow_html, id_prefix: "", admonition_title: &|k: &str| k.to_uppercase() }
}

fn md(body: &str) -> Rendered {
    render(body, &TestResolver, &opts(false))
}

#[test]
fn headings_get_ids_and_toc() {
    let r = md("## Перший розділ\n\ntext\n\n## Другий {#second}\n\n### Перший розділ\n");
    assert_eq!(r.ids, ["перший-розділ", "second", "перший-розділ-1"]);
    assert_eq!(r.toc.len(), 3);
    assert!(r.html.contains("<h2 id=\"second\">Другий</h2>"), "{}", r.html);
}

#[test]
fn raw_html_is_refused_with_its_span() {
    let body = "Text\n\n<script>alert(1)</script>\n";
    let r = md(body);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(&body[r.problems[0].span.start..r.problems[0].span.start + 7], "<script");
    assert!(!r.html.contains("<script"));
}

#[test]
fn allowed_html_is_sanitised() {
    let r = render("<p onclick=\"x()\">hi</p><script>alert(1)</script>\n", &TestResolver, &opts(true));
    assert!(r.problems.is_empty());
    assert!(!r.html.contains("onclick") && !r.html.contains("<script"), "{}", r.html);
}

#[test]
fn addresses_in_allowed_html_resolve_like_links() {
    let body = "Text <a href=\"../help/page.md\">inline</a>.\n\n<div>\n<a href=\"javascript:x()\">bad</a>\n</div>\n";
    let r = render(body, &TestResolver, &opts(true));
    assert!(r.html.contains("href=\"../help/page/index.html\""), "{}", r.html);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].message, "dangerous");
    assert_eq!(&body[r.problems[0].span.clone()], "javascript:x()", "the span is the address");
    assert!(!r.html.contains("javascript"), "{}", r.html);
}

#[test]
fn fragments_in_allowed_html_are_checked() {
    let r = render("## Here\n\n<a href=\"#nowhere\">x</a>\n", &TestResolver, &opts(true));
    assert!(r.problems.iter().any(|p| p.message.contains("#nowhere")), "{:?}", r.problems);
}

#[test]
fn dangerous_link_is_a_problem() {
    let r = md("[x](javascript:alert(1))\n");
    assert_eq!(r.problems[0].message, "dangerous");
    assert_eq!(r.problems[0].span.start, 0);
}

#[test]
fn external_links_get_rel() {
    let r = md("[x](https://example.org/)\n");
    assert!(r.html.contains("rel=\"noopener noreferrer\""), "{}", r.html);
}

#[test]
fn missing_same_page_anchor_is_reported() {
    let r = md("[x](#nowhere)\n\n## Here {#here}\n\n[y](#here)\n");
    assert_eq!(r.problems.len(), 1);
    assert!(r.problems[0].message.contains("#nowhere"));
}

#[test]
fn admonitions_and_tables() {
    let r = md("> [!WARNING]\n> Be careful.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert!(
        r.html.contains(
            "<div class=\"admonition warning\" role=\"note\"><p class=\"admonition-title\">ADMONITION.WARNING</p>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<div class=\"table-wrap\"><table>"), "{}", r.html);
}

#[test]
fn shortcodes_render_inline_and_as_blocks() {
    let r = md("Call {{ contact(id=\"x\") }} now.\n\n{{ contacts() }}\n\n{{ nope() }}\n");
    assert!(r.html.contains("Call <span class=\"c\">527</span> now."), "{}", r.html);
    assert!(r.html.contains("<ul class=\"cs\"></ul>") && !r.html.contains("<p><ul"), "{}", r.html);
    assert_eq!(r.problems.len(), 1);
}

#[test]
fn search_text_and_headings_have_the_shortcode_text_not_its_placeholder() {
    let r = md("Call {{ contact(id=\"x\") }} now.\n\n## Lines {{ contact(id=\"x\") }}\n\n{{ contacts() }}\n");
    assert_eq!(r.sections[0].text.trim(), "Call Hotline: 527 now.");
    assert_eq!(r.sections[1].heading, "Lines Hotline: 527");
    assert_eq!(r.toc[0].title, "Lines Hotline: 527");
    assert_eq!(r.ids[0], "lines-hotline-527");
    assert_eq!(r.sections[1].text.trim(), "Police 102. Hotline 527.");
    assert!(!r.html.contains(shortcodes::PLACEHOLDER_START), "{}", r.html);
}

#[test]
fn text_is_split_by_sections() {
    let r = md("Intro words.\n\n## A {#a}\n\nAlpha text.\n\n## B {#b}\n\nBeta.\n");
    let ids: Vec<_> = r.sections.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, [None, Some("a".into()), Some("b".into())]);
    assert!(r.sections[1].text.contains("Alpha text."));
}

/// A snippet never runs a heading into the paragraph after it: a section's heading is its title
/// (not its text), and a minor heading inside it ends like a sentence.
#[test]
fn section_text_keeps_headings_apart_from_paragraphs() {
    let r = md("## Signs of exploitation {#signs}\n\nThe same signs.\n\n#### Money\n\nNo pay.\n\n#### Why?\n\nFear.\n");
    assert_eq!(r.sections[0].heading, "Signs of exploitation");
    assert_eq!(
        r.sections[0].text.split_whitespace().collect::<Vec<_>>().join(" "),
        "The same signs. Money. No pay. Why? Fear."
    );
}

/// A table's cells and rows do not run together either.
#[test]
fn section_text_reads_a_table_row_by_row() {
    let r =
        md("| Sign | What it looks like |\n| --- | --- |\n| Deception | a job that was not |\n| Debt | it grows |\n");
    let text = r.sections[0].text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(text, "Sign — What it looks like. Deception — a job that was not. Debt — it grows.");
}

#[test]
fn footnotes_strikethrough_tasks() {
    let r = md("Text[^1] ~~old~~\n\n- [x] done\n\n[^1]: Note.\n");
    assert!(r.html.contains("<del>old</del>"));
    assert!(r.html.contains("checkbox"));
    assert!(r.html.contains("footnote"));
}

#[test]
fn task_list_boxes_are_labelled() {
    let r = md("- [x] done\n- [ ] open\n");
    assert!(r.html.contains("checked aria-label=\"TASK.DONE\""), "{}", r.html);
    assert!(r.html.contains("aria-label=\"TASK.TODO\""), "{}", r.html);
}

#[test]
fn deep_nesting_is_refused_once() {
    let body = "> ".repeat(MAX_NESTING + 5) + "deep\n";
    let r = md(&body);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert!(r.problems[0].message.contains("nested more than"));
}

#[test]
fn many_equal_headings_get_unique_ids_quickly() {
    let body = "## Same\n\n".repeat(3000);
    let started = std::time::Instant::now();
    let r = md(&body);
    assert_eq!(r.ids.len(), 3000);
    assert_eq!(r.ids[2999], "same-2999");
    let unique: std::collections::HashSet<&String> = r.ids.iter().collect();
    assert_eq!(unique.len(), 3000);
    assert!(started.elapsed().as_secs() < 5);
}

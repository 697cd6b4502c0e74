//! Every kind of bad input gives a diagnostic with file, line, column and the offending line,
//! all problems of a build are reported together, and nothing is written.

mod common;

use std::path::Path;

use common::*;

/// Builds the basic fixture after `change` and returns the diagnostics report.
fn report_after(change: impl FnOnce(&Path)) -> String {
    let site = copy_fixture("basic");
    change(site.path());
    let public = site.path().join("public");
    let report = build(site.path(), &public);
    assert!(!report.ok(), "the build should fail");
    assert!(!public.exists(), "a failed build must write nothing");
    report.diagnostics.report()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn broken_front_matter_toml() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\nweight = 3\n+++\nText\n"
    )));
}

#[test]
fn unclosed_front_matter() {
    insta::assert_snapshot!(report_after(|r| write(r, "content/guide/third.md", "+++\ntitle = \"Третя\"\nText\n")));
}

#[test]
fn unknown_front_matter_key() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\"\nwieght = 3\n+++\nText\n"
    )));
}

#[test]
fn invalid_utf8() {
    insta::assert_snapshot!(report_after(|r| std::fs::write(
        r.join("content/guide/third.md"),
        b"+++\ntitle = \"x\"\n+++\n\xcf\xf0\xe8\xe2\xb3\xf2\n"
    )
    .unwrap()));
}

#[test]
fn link_to_missing_page_and_anchor() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\"\n+++\nДив. [нема](missing.md) і [якір](first.md#nowhere).\n"
    )));
}

#[test]
fn missing_page_and_anchor_in_allowed_html() {
    insta::assert_snapshot!(report_after(|r| {
        let config = std::fs::read_to_string(r.join("portal.toml")).unwrap();
        write(r, "portal.toml", &format!("{config}\n[content]\nallow_html = true\n"));
        write(
            r,
            "content/guide/third.md",
            "+++\ntitle = \"Третя\"\n+++\n<p>Див. <a href=\"missing.md\">нема</a> і <a href=\"first.md#nowhere\">якір</a>.</p>\n",
        )
    }));
}

#[test]
fn root_relative_link() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\"\n+++\n[про нас](/about/)\n"
    )));
}

#[test]
fn raw_html() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\"\n+++\nТекст <b onclick=\"x()\">жирний</b>\n"
    )));
}

#[test]
fn dangerous_url_schemes() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\"\n+++\n[a](javascript:alert(1)) [b](data:text/html,x) [c](VBScript:x)\n"
    )));
}

#[test]
fn template_error_names_template_and_page() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.nonexistent.field }}{% endblock main %}"
    )));
}

#[test]
fn template_syntax_error() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title {% endblock main %}"
    )));
}

#[test]
fn two_pages_with_one_output_path() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.uk.md",
        "+++\ntitle = \"Ще одна третя\"\n+++\n"
    )));
}

#[test]
fn unknown_standard_and_contact() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "content/guide/third.md",
        "+++\ntitle = \"Третя\"\nstandards = [\"XX-9.9\"]\n+++\n[s](std:ID-1.1) {{ contact(id=\"nobody\") }}\n"
    )));
}

#[test]
fn all_problems_are_reported_together_and_sorted() {
    let report = report_after(|r| {
        write(r, "content/guide/third.md", "+++\ntitle = \"Третя\"\n+++\n[x](/abs/) <i>x</i>\n");
        write(r, "content/guide/second.md", "+++\ntitel = \"x\"\n+++\n## Подробиці {#details}\n");
    });
    let files: Vec<&str> = report.lines().filter_map(|l| l.trim_start().strip_prefix("--> ")).collect();
    assert_eq!(
        files,
        [
            "content/guide/second.md:2:1",
            "content/guide/third.md:4:1",
            "content/guide/third.md:4:12",
            "content/guide/third.md:4:16"
        ]
    );
}

#[test]
fn cli_exits_with_1_on_errors_and_2_on_usage() {
    let site = copy_fixture("basic");
    write(site.path(), "content/guide/third.md", "+++\ntitle = 1\n+++\n");
    let bin = env!("CARGO_BIN_EXE_oberih");
    let out = std::process::Command::new(bin).args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/guide/third.md:2:9"), "{stderr}");
    let out = std::process::Command::new(bin).arg("biuld").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unknown_phone_in_a_form_points_at_the_placeholder() {
    let report = report_after(|r| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(r.join("forms")).unwrap();
        std::fs::copy(repo.join("forms/child-screening.toml"), r.join("forms/child-screening.toml")).unwrap();
        copy_dir(&repo.join("content/standards"), &r.join("content/standards"));
    });
    let line = report.lines().position(|l| l.contains("unknown contact `police-102`")).expect(&report);
    let at = report.lines().nth(line + 1).unwrap();
    assert!(at.contains("forms/child-screening.toml:"), "{report}");
}

#[test]
fn a_link_to_a_form_the_portal_lacks_points_at_the_link() {
    let report = report_after(|r| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(r.join("forms")).unwrap();
        std::fs::copy(repo.join("forms/initial-screening.toml"), r.join("forms/initial-screening.toml")).unwrap();
        copy_dir(&repo.join("content/standards"), &r.join("content/standards"));
    });
    let line = report.lines().position(|l| l.contains("unknown form `child-screening`")).expect(&report);
    let at = report.lines().nth(line + 1).unwrap();
    assert!(at.contains("forms/initial-screening.toml:"), "{report}");
    let marker = report.lines().nth(line + 4).unwrap();
    assert_eq!(marker.trim().trim_start_matches('|').trim(), "^".repeat("form:child-screening".len()), "{report}");
}

#[test]
fn unknown_requirement_of_a_known_standard() {
    insta::assert_snapshot!(report_after(|r| {
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/standards"), &r.join("content/standards"));
        write(
            r,
            "content/guide/third.md",
            "+++\ntitle = \"Третя\"\nstandards = [\"ID-2.1#z\"]\n+++\n[s](std:ID-2.1#q)\n",
        );
    }));
}

/// A draft is left out of the site, so a link to it would lead nowhere.
#[test]
fn link_to_a_draft_page_is_an_error() {
    let report = report_after(|r| {
        write(r, "content/guide/third.md", "+++\ntitle = \"Третя\"\ndraft = true\n+++\n");
        write(r, "content/guide/second.md", "+++\ntitle = \"Друга\"\n+++\n## Подробиці {#details}\n[далі](third.md)\n");
    });
    assert!(report.contains("link to a missing page: `content/guide/third.md`"), "{report}");
}

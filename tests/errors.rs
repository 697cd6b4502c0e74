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

/// A file of `tests/fixtures/contacts/`.
fn contacts_fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contacts").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each use of an unknown contact in a form is reported at its own line and column, escapes
/// before it counted, and a mention in a comment is not a use.
#[test]
fn unknown_phones_in_a_form_are_reported_at_each_use() {
    insta::assert_snapshot!(report_after(|r| write(r, "forms/phones.toml", &contacts_fixture("unknown_phone.toml"))));
}

/// A phone number typed into a page or a form is a warning at its line and column; citations,
/// dates, years, amounts, counts, code and comments are left alone. The build still succeeds.
#[test]
fn phone_numbers_typed_into_pages_and_forms() {
    let site = copy_fixture("basic");
    let contacts = std::fs::read_to_string(site.path().join("data/contacts.toml")).unwrap();
    let police = "[[contact]]\nid = \"police\"\nkind = \"police\"\nname = { uk = \"Поліція\", en = \"Police\" }\n\
                  phone = \"102\"\nsource = \"fixture\"\nverified_on = 2026-01-01\n";
    write(site.path(), "data/contacts.toml", &format!("{contacts}\n{police}"));
    write(site.path(), "content/guide/numbers.md", &contacts_fixture("typed_numbers.md"));
    write(site.path(), "forms/numbers.toml", &contacts_fixture("typed_numbers.toml"));
    let report = build(site.path(), &site.path().join("public"));
    assert!(report.ok(), "{}", report.diagnostics.report());
    insta::assert_snapshot!(report.diagnostics.report());
}

/// Doubtful contacts are warnings at the line of their entry in data/contacts.toml or
/// region.toml: a placeholder (by its source or its number), no source, no date, a date older
/// than `max_age_days` or in the future. The build still succeeds.
#[test]
fn contact_warnings_name_their_line() {
    let site = copy_fixture("basic");
    write(site.path(), "data/contacts.toml", &contacts_fixture("doubtful.toml"));
    let opts =
        oberih::build::BuildOptions { root: site.path().to_path_buf(), out: site.path().join("public"), write: true };
    let report = oberih::build::run_scoped(&opts, &oberih::build::Scope::AllRegions);
    assert!(report.ok(), "{}", report.diagnostics.report());
    insta::assert_snapshot!(report.diagnostics.report());
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

/// A portal's own theme script that does not parse stops the build at its line and column,
/// instead of shipping a script that breaks in the browser.
#[test]
fn theme_script_syntax_error() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "themes/default/runtime/site.js",
        "(function () {\n  \"use strict\";\n  var main = document.getElementById(\"main\";\n})();\n"
    )));
}

/// The same for a theme stylesheet lightningcss cannot read.
#[test]
fn theme_stylesheet_syntax_error() {
    insta::assert_snapshot!(report_after(|r| write(
        r,
        "themes/default/static/css/extra.css",
        "/* Портал */\n.notice { color: #0057b8; }\n.notice > > p { margin: 0; }\n"
    )));
}

// ------------------------------------------------------------------------- encrypted export keys

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A small form that exports encrypted records to the key at `key`.
fn encrypted_form(id: &str, key: &str) -> String {
    format!(
        r#"[form]
id = "{id}"
version = "1"
title = {{ uk = "Анкета", en = "Form" }}

[form.privacy]
export = "encrypted"
public_key = "{key}"

[[section]]
id = "main"
title = {{ uk = "Головне", en = "Main" }}

  [[section.question]]
  id = "consent"
  type = "text"
  label = {{ uk = "Згода?", en = "Consent?" }}

[[outcome]]
id = "none"
when = "true"
label = {{ uk = "Нічого", en = "Nothing" }}
"#
    )
}

fn crypto_fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join("tests/fixtures/crypto").join(name)).unwrap()
}

#[test]
fn a_good_public_key_builds() {
    let site = copy_fixture("basic");
    write(site.path(), "keys/office.pub.pem", &crypto_fixture("test-public.pem"));
    write(site.path(), "forms/sealed.toml", &encrypted_form("sealed", "keys/office.pub.pem"));
    build_ok(site.path(), &site.path().join("public"));
}

#[test]
fn public_key_outside_the_portal() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "office.pub.pem", &crypto_fixture("test-public.pem"));
    insta::assert_snapshot!(report_after(|r| {
        write(r, "forms/absolute.toml", &encrypted_form("absolute", "/etc/passwd"));
        write(r, "forms/parent.toml", &encrypted_form("parent", "../x.pem"));
        write(r, "forms/inner-parent.toml", &encrypted_form("inner-parent", "keys/../../x.pem"));
        std::fs::create_dir_all(r.join("keys")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("office.pub.pem"), r.join("keys/linked.pem")).unwrap();
        write(r, "forms/linked.toml", &encrypted_form("linked", "keys/linked.pem"));
        write(r, "forms/missing.toml", &encrypted_form("missing", "keys/absent.pem"));
    }));
}

#[test]
fn public_key_that_is_not_a_p256_or_rsa_public_key() {
    insta::assert_snapshot!(report_after(|r| {
        write(r, "keys/notes.txt", "Ключ лежить у шафі.\n");
        write(r, "forms/text.toml", &encrypted_form("text", "keys/notes.txt"));
        write(r, "keys/office.pem", &crypto_fixture("test-private.pem"));
        write(r, "forms/private.toml", &encrypted_form("private", "keys/office.pem"));
        write(r, "keys/pkcs1.pem", &crypto_fixture("test-public-pkcs1.pem"));
        write(r, "forms/pkcs1.toml", &encrypted_form("pkcs1", "keys/pkcs1.pem"));
        write(r, "keys/ec.pem", &crypto_fixture("p384-public.pem"));
        write(r, "forms/ec.toml", &encrypted_form("ec", "keys/ec.pem"));
        write(r, "keys/broken.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        write(r, "forms/broken.toml", &encrypted_form("broken", "keys/broken.pem"));
        std::fs::write(r.join("keys/binary.der"), [0x30u8, 0x82, 0x01, 0x22, 0xff, 0xfe]).unwrap();
        write(r, "forms/binary.toml", &encrypted_form("binary", "keys/binary.der"));
    }));
}

#[test]
fn public_key_too_short() {
    insta::assert_snapshot!(report_after(|r| {
        write(r, "keys/weak.pem", &crypto_fixture("weak-1024-public.pem"));
        write(r, "forms/weak.toml", &encrypted_form("weak", "keys/weak.pem"));
    }));
}

#[test]
fn encrypted_export_without_a_public_key() {
    insta::assert_snapshot!(report_after(|r| {
        let text = encrypted_form("keyless", "x").replace("public_key = \"x\"\n", "");
        write(r, "forms/keyless.toml", &text);
    }));
}

// ------------------------------------------------------------------- files that fail to load

/// Builds the basic fixture with region `slug` on top after `change`; returns the report.
fn region_report_after(slug: &str, change: impl FnOnce(&Path)) -> String {
    let site = copy_fixture("basic");
    change(site.path());
    let public = site.path().join("public");
    let opts = oberih::build::BuildOptions { root: site.path().to_path_buf(), out: public.clone(), write: true };
    let report = oberih::build::run_scoped(&opts, &oberih::build::Scope::Region(slug.into()));
    assert!(!report.ok(), "the build should fail");
    assert!(!public.exists(), "a failed build must write nothing");
    report.diagnostics.report()
}

/// A missing quote in the contacts file is reported first, alone, with a count of the uses of
/// contacts that could not be checked.
#[test]
fn contacts_file_that_does_not_parse() {
    let report = report_after(|r| {
        let contacts = std::fs::read_to_string(r.join("data/contacts.toml")).unwrap();
        write(r, "data/contacts.toml", &contacts.replace("name = { uk = \"Тестова", "name = { uk = Тестова"));
        write(
            r,
            "content/guide/third.md",
            "+++\ntitle = \"Третя\"\n+++\n{{ contact(id=\"line\") }} {{ contact(id=\"line\") }}\n[x](/abs/)\n",
        );
        write(
            r,
            "content/guide/second.md",
            "+++\ntitle = \"Друга\"\n+++\n## Подробиці {#details}\n{{ contact(id=\"line\") }}\n",
        );
    });
    assert!(report.starts_with("error: invalid"), "the root cause is not first:\n{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn form_that_does_not_parse_is_not_translated() {
    let report = region_report_after("demo", |r| {
        let form =
            encrypted_form("intake", "x").replace("[form.privacy]\nexport = \"encrypted\"\npublic_key = \"x\"\n", "");
        write(r, "forms/intake.toml", &form.replace("title = { uk = \"Анкета\"", "title = { uk = Анкета\""));
        write(r, "regions/demo/forms/intake.hu.toml", "[form]\ntitle = \"Kérdőív\"\n");
    });
    insta::assert_snapshot!(report);
}

// ------------------------------------------------------------------------------ long lines

#[test]
fn long_lines_are_clipped_around_the_column() {
    let before = "Довгий рядок тексту без жодного розриву. ".repeat(40);
    let after = " і ще трохи тексту після посилання".repeat(40);
    let report = report_after(|r| {
        write(
            r,
            "content/guide/third.md",
            &format!("+++\ntitle = \"Третя\"\n+++\n{before}[нема](missing.md){after}\n"),
        );
    });
    let excerpt = report.lines().find(|l| l.starts_with("4 | ")).unwrap();
    assert!(excerpt.chars().count() < 140, "{excerpt}");
    let caret = report.lines().find(|l| l.contains('^')).unwrap();
    let col = caret.chars().position(|c| c == '^').unwrap();
    let at: String = excerpt.chars().skip(col).take(7).collect();
    assert_eq!(at, "[нема](", "{report}");
    insta::assert_snapshot!(report);
}

// ---------------------------------------------------------------------- control characters

#[test]
fn control_characters_in_contacts_and_front_matter() {
    insta::assert_snapshot!(report_after(|r| {
        let contacts = std::fs::read_to_string(r.join("data/contacts.toml")).unwrap();
        write(r, "data/contacts.toml", &contacts.replace("Тестова лінія", "Тестова\\u0007 лінія"));
        write(
            r,
            "content/guide/third.md",
            "+++\ntitle = \"Тре\\u001b[31mтя\"\ndescription = \"Рядок\\tз табуляцією\\nі новим рядком\"\n+++\nТекст\n",
        );
    }));
}

//! A portal's theme replaces the built-in theme file by file, except the runtimes that must agree
//! with the Rust code (the questionnaire, its evaluator and encryption, the search client): a
//! theme file in their place is ignored, with a warning naming it.

mod common;

use std::path::Path;

use common::*;

fn site_script(out: &Path) -> Vec<u8> {
    let assets = tree(&out.join("assets"));
    let (_, bytes) = assets.iter().find(|(p, _)| p.starts_with("site.") && p.ends_with(".js")).expect("no site script");
    bytes.clone()
}

#[test]
fn a_theme_cannot_replace_a_built_in_runtime() {
    let plain = copy_fixture("basic");
    let plain_out = plain.path().join("public");
    build_ok(plain.path(), &plain_out);

    let site = copy_fixture("basic");
    for rel in ["runtime/search.js", "runtime/form.js"] {
        let p = site.path().join("themes/default").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "window.replaced = true;\n").unwrap();
    }
    let out = site.path().join("public");
    let report = build_ok(site.path(), &out).diagnostics.report();
    for rel in ["runtime/search.js", "runtime/form.js"] {
        let expected = format!("`{rel}` is built in and cannot be replaced; this file is ignored");
        assert!(report.contains(&expected), "no warning about {rel}:\n{report}");
        assert!(report.contains(&format!("themes/default/{rel}")), "the warning does not name the file:\n{report}");
    }
    assert_eq!(site_script(&out), site_script(&plain_out), "the page script changed");
}

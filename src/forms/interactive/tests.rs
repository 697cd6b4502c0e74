use super::*;

#[test]
fn the_runtime_joins_the_listed_parts_and_the_sealing_one_only_where_used() {
    let listed: Vec<(String, bool)> = include_str!("../runtime/form.parts")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| (l.split_whitespace().next().unwrap_or_default().to_string(), l.ends_with(" sealing")))
        .collect();
    let joined: Vec<(String, bool)> =
        FORM_PARTS.iter().map(|(name, _, sealing)| (name.to_string(), *sealing)).collect();
    assert_eq!(joined, listed, "the build joins the parts form.parts lists, in its order");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/forms/runtime");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("form") && n.ends_with(".js"))
        .collect();
    on_disk.sort();
    let mut names: Vec<String> = listed.into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(names, on_disk, "every part of the runtime is listed");
    assert!(runtime(true).contains("export-encrypted") && !runtime(false).contains("export-encrypted"));
}

#[test]
fn runtime_is_safe_to_inline() {
    // What ships is the minified runtime, so that is what is checked.
    for c in [runtime(false), runtime(true)] {
        for bad in ["</script", "<!--", "<script", "eval(", "new Function", "localStorage", "sessionStorage"] {
            assert!(!c.to_lowercase().contains(&bad.to_lowercase()), "the runtime contains {bad}");
        }
        for bad in
            ["fetch(", "XMLHttpRequest", "indexedDB", "document.cookie", "innerHTML", "'style'", "\"style\"", "`style`"]
        {
            assert!(!c.contains(bad), "the runtime contains {bad}");
        }
    }
    assert!(
        runtime(true).contains("sealWith") && !runtime(false).contains("sealWith"),
        "seal.js only where it is used"
    );
    assert!(!form_css().contains("</style"));
    assert!(!FORM_CSS.contains("@import") && !FORM_CSS.contains("url("));
}

#[test]
fn neutral_page_runs_nothing() {
    let p = neutral_page();
    assert!(!p.contains("<script"));
    assert!(p.contains("__OBERIH_CSP__"));
}

#[test]
fn each_ui_key_is_in_one_list() {
    let all: Vec<&str> = ui_keys().collect();
    for key in &all {
        assert_eq!(all.iter().filter(|k| *k == key).count(), 1, "{key}");
    }
}

#[test]
fn every_ui_key_is_translated() {
    for (lang, text) in [
        ("uk", include_str!("../../../themes/default/i18n/form_ui.uk.toml")),
        ("en", include_str!("../../../themes/default/i18n/form_ui.en.toml")),
    ] {
        let table: toml::Table = toml::from_str(text).unwrap();
        let strings = table["form_ui"].as_table().unwrap();
        for key in ui_keys() {
            assert!(strings.contains_key(key), "form_ui.{key} is missing in {lang}");
        }
        for key in strings.keys() {
            assert!(ui_keys().any(|k| k == key), "form_ui.{key} in {lang} is not used");
        }
    }
}

#[test]
fn form_css_is_minified() {
    assert!(form_css().len() < FORM_CSS.len() * 9 / 10);
    assert!(!form_css().contains("/*") && !form_css().contains('\n'));
}

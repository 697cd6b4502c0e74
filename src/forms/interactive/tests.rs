use super::*;

#[test]
fn form_js_has_one_place_for_the_sealing_controls() {
    assert_eq!(FORM_JS.matches(FORM_SEAL_SLOT).count(), 1);
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

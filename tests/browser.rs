//! Real-browser tests: the default portal opened from disk in headless Chromium (driven by the
//! scripts in tests/browser/). These need `chromium` and `npm ci` (scripts/test does both); they
//! fail, never skip, when the tools are missing.

mod common;

use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `node tests/browser/<script> <args>` and returns its JSON report.
pub fn run_browser_script(script: &str, args: &[&Path]) -> serde_json::Value {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line)
        .unwrap_or_else(|_| panic!("no report from {script}:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

fn failures(report: &serde_json::Value) -> Vec<String> {
    report["failures"].as_array().map(|a| a.iter().map(|v| v.to_string()).collect()).unwrap_or_default()
}

#[test]
fn default_portal_from_disk_navigation_and_language_switch() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let report = run_browser_script("site.js", &[&public]);
    let f = failures(&report);
    assert!(f.is_empty(), "{}", f.join("\n"));
    assert!(report["visited"].as_array().unwrap().len() >= 6, "{report}");
}

/// A regional pack, unzipped as someone receiving the USB stick would, used in the language the
/// region adds: search and a screening form in Hungarian. The example region's contacts are
/// placeholders, so the pack has to be allowed them.
#[test]
fn packed_region_works_from_disk_in_the_added_language() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("zakarpatska.zip");
    let status = Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["pack", "--allow-placeholders", "--region", "zakarpatska", "--root"])
        .arg(repo())
        .arg("--out")
        .arg(&zip_path)
        .status()
        .unwrap();
    assert!(status.success());
    let site = dir.path().join("site");
    zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap().extract(&site).unwrap();
    assert!(site.join("README.txt").is_file() && site.join("SHA256SUMS").is_file());
    let pack: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo().join("regions/zakarpatska/forms/initial-screening.hu.toml")).unwrap(),
    )
    .unwrap();
    let label = pack["questions"]["consent"]["label"].as_str().unwrap().to_string();
    let expected: String = label.chars().take(20).collect();
    let report = run_browser_script_args("region.js", &[site.to_str().unwrap(), "hu", "emberkereskedelem", &expected]);
    let f = failures(&report);
    assert!(f.is_empty(), "{}", f.join("\n"));
}

fn run_browser_script_args(script: &str, args: &[&str]) -> serde_json::Value {
    let paths: Vec<&Path> = args.iter().map(Path::new).collect();
    run_browser_script(script, &paths)
}

fn print_check(public: &Path, page: &str, selector: &str, phrases: &[&str]) -> serde_json::Value {
    let pdf = public.join("print-test.pdf");
    let file = public.join(page);
    let mut args: Vec<&str> = vec![file.to_str().unwrap(), pdf.to_str().unwrap(), selector];
    args.extend_from_slice(phrases);
    let report = run_browser_script_args("print.js", &args);
    let f = failures(&report);
    assert!(f.is_empty(), "{page}: {}", f.join("\n"));
    report
}

/// The paper forms print on A4 with the routing written out and no question split across sheets.
#[test]
fn paper_forms_print_to_pdf_without_split_questions() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let r = print_check(&public, "uk/forms/initial-screening/print.html", ".pf-q", &["Якщо «Ні»", "КІНЕЦЬ"]);
    assert!(r["pages"].as_u64().unwrap() >= 3, "{r}");
    print_check(&public, "en/forms/initial-screening/print.html", ".pf-q", &["go to"]);
    print_check(&public, "en/forms/child-screening/print.html", ".pf-q", &[]);
}

/// The blank paper form: a print button on screen only, tick boxes a pen can mark (≥ 5 mm), and
/// the form, its version and «с. N з M» at the foot of every printed sheet, in each language.
#[test]
fn paper_forms_number_their_sheets_and_draw_their_boxes() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let pdf = public.join("paper-test.pdf");
    let cases = [
        (
            "uk",
            "initial-screening",
            "Первинний скринінг дорослої особи на ознаки торгівлі людьми · v2026.2 · с. ",
            "з",
            "Друкувати",
        ),
        (
            "en",
            "child-screening",
            "Screening a child for signs of trafficking and exploitation · v2026.1 · page ",
            "of",
            "Print",
        ),
    ];
    for (lang, form, footer, of, button) in cases {
        let page = public.join(lang).join("forms").join(form).join("print.html");
        let report = run_browser_script_args("paper.js", &[page.to_str().unwrap(), pdf.to_str().unwrap(), footer, of]);
        let f = failures(&report);
        assert!(f.is_empty(), "{lang}/{form}: {}", f.join("\n"));
        assert_eq!(report["button"], button, "{report}");
        assert!(report["sheets"].as_u64().unwrap() >= 3, "{report}");
    }
}

/// The questionnaire's printed record keeps a heading with what follows it: «Куди перенаправити»
/// pushed to the foot of a sheet moves to the next sheet with its first contact.
#[test]
fn the_printed_record_never_strands_a_heading() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let page = public.join("uk/forms/initial-screening/index.html");
    let pdf = public.join("record-test.pdf");
    let report = run_browser_script_args("filled_print.js", &[page.to_str().unwrap(), pdf.to_str().unwrap()]);
    let f = failures(&report);
    assert!(f.is_empty(), "{}", f.join("\n"));
    assert_eq!(report["heading"], "Куди перенаправити", "{report}");
}

/// The standards compendium prints one standard per sheet, requirements kept together.
#[test]
fn standards_compendium_prints_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let r = print_check(&public, "uk/standards/print.html", ".requirement-list li", &["ID-2.1", "RI-4.2"]);
    assert!(r["pages"].as_u64().unwrap() >= 15, "{r}");
}

/// The adult form can be completed from start to result with the keyboard alone, in both
/// languages: every control and the Next/Finish buttons are reachable with Tab.
#[test]
fn adult_form_can_be_completed_with_the_keyboard_only() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    for lang in ["uk", "en"] {
        let page = public.join(lang).join("forms/initial-screening/index.html");
        let report = run_browser_script("keyboard_form.js", &[&page]);
        let f = failures(&report);
        assert!(f.is_empty(), "{lang}: {}", f.join("\n"));
        assert!(report["steps"].as_u64().unwrap() >= 5, "{report}");
    }
}

/// The portal on a phone and a desktop: tap targets of 44 px in the chrome, wide tables that show
/// they scroll, the matrix per standard, contact numbers to tap, suggestion trails under their
/// titles, a quick exit that covers nothing, and the questionnaire's result screen.
#[test]
fn portal_on_a_phone_and_a_desktop() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::build_ok(repo(), &public);
    let report = run_browser_script("phone.js", &[&public]);
    let f = failures(&report);
    assert!(f.is_empty(), "{}", f.join("\n"));
}

//! Regional overlays: a region replaces and adds files, merges contacts, adds a language with
//! fallback, reports translation coverage, and packs into a zip for a USB stick.

mod common;

use std::path::Path;

use common::*;
use oberih::build::{run_scoped, BuildOptions, Scope};

fn build_region(root: &Path, out: &Path, scope: Scope) {
    let report = run_scoped(&BuildOptions { root: root.to_path_buf(), out: out.to_path_buf(), write: true }, &scope);
    assert!(report.ok(), "{}", report.diagnostics.report());
}

fn page(dir: &Path, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(dir.join(path)).unwrap())
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

#[test]
fn region_overrides_adds_and_merges_contacts() {
    let out = tempfile::tempdir().unwrap();
    build_region(&fixture("basic"), out.path(), Scope::Region("demo".into()));
    let problems = check_output(out.path());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The region's data/contacts.toml replaces the national entry with the same id.
    let home = page(out.path(), "uk/index.html");
    let tel: Vec<_> = home.select(&sel("a.phone")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(tel, ["tel:0800111111"]);
    // A new section from the region, listing national and regional contacts together.
    let local = page(out.path(), "uk/local/index.html");
    let names = texts(&local, "ul.contacts li strong");
    assert_eq!(names, ["Регіональна тестова лінія", "Демо-центр соціальних служб (вигаданий приклад)"]);
    // A placeholder's invented number is shown, but is not one tap away from a call.
    let numbers: Vec<(String, Option<&str>)> =
        local.select(&sel("ul.contacts .phone")).map(|e| (e.text().collect(), e.value().attr("href"))).collect();
    assert_eq!(numbers, [("0 800 111 111".to_string(), Some("tel:0800111111")), ("000 000".to_string(), None)]);
    // The title carries the region's name.
    assert!(texts(&home, ".brand")[0].contains("Демо-область"));
}

#[test]
fn added_language_falls_back_with_notice() {
    let out = tempfile::tempdir().unwrap();
    build_region(&fixture("basic"), out.path(), Scope::Region("demo".into()));
    let first = page(out.path(), "hu/guide/first/index.html");
    assert_eq!(first.root_element().value().attr("lang"), Some("hu"));
    assert_eq!(texts(&first, "h1"), ["Első oldal"]);
    let whole = "Ez az oldal még nincs lefordítva, ezért eredeti nyelven látható.".to_string();
    // The page is translated; only some of its interface strings are not (tests/added_language.rs).
    assert!(!texts(&first, ".notice.fallback").contains(&whole));
    let second = page(out.path(), "hu/guide/second/index.html");
    assert_eq!(texts(&second, ".notice.fallback"), [whole]);
    let switch = texts(&first, ".lang-switch a");
    assert_eq!(switch, ["Українська", "English", "Magyar"]);
    // CLDR plural rules for Hungarian come from the data, not from code.
    assert_eq!(oberih::i18n::plural_categories("hu"), ["one", "other"]);
}

#[test]
fn national_build_ignores_regions() {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("basic"), out.path());
    assert!(!out.path().join("hu").exists());
    assert!(!out.path().join("uk/local").exists());
}

#[test]
fn all_regions_build_puts_each_region_in_its_folder() {
    let out = tempfile::tempdir().unwrap();
    build_region(&fixture("basic"), out.path(), Scope::AllRegions);
    assert!(out.path().join("uk/index.html").is_file());
    assert!(out.path().join("demo/hu/guide/first/index.html").is_file());
    assert!(!out.path().join("hu").exists());
    for dir in [out.path().to_path_buf(), out.path().join("demo")] {
        let problems: Vec<String> =
            check_output(&dir).into_iter().filter(|p| !p.contains("missing file demo")).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn unknown_region_is_a_clear_error() {
    let out = tempfile::tempdir().unwrap();
    let report = run_scoped(
        &BuildOptions { root: fixture("basic"), out: out.path().join("x"), write: true },
        &Scope::Region("nowhere".into()),
    );
    assert!(!report.ok());
    assert!(report.diagnostics.report().contains("there is no region `nowhere`"), "{}", report.diagnostics.report());
}

#[test]
fn coverage_report_counts_pages_and_strings() {
    let mut diags = oberih::diag::Diagnostics::default();
    let (site, _) = oberih::build::open_site(&fixture("basic"), Some("demo"), &mut diags, &mut Vec::new()).unwrap();
    let report = oberih::coverage::report(&site);
    let hu = report.iter().find(|c| c.lang == "hu").unwrap();
    assert_eq!((hu.pages.translated, hu.pages.total), (1, 6));
    assert!(hu.pages.missing.contains(&"content/guide/second.md".to_string()));
    assert!(hu.ui_strings.translated < hu.ui_strings.total);
    let uk = report.iter().find(|c| c.lang == "uk").unwrap();
    assert_eq!(uk.pages.percent(), 100);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json[2]["lang"], "hu");
}

#[test]
fn coverage_cli_prints_json() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["check", "--translations", "--format", "json", "--region", "demo", "--root"])
        .arg(fixture("basic"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
}

/// The `-->` locations of a report, as `file:line`.
fn locations(report: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|at| at.rsplit_once(':').map_or(at, |(file_line, _col)| file_line).to_string())
        .collect()
}

#[test]
fn pack_refuses_placeholder_contacts_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("demo.zip");
    let pack = |allow: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_oberih"));
        cmd.args(["pack", "--region", "demo", "--root"]).arg(fixture("basic")).arg("--out").arg(&zip_path);
        if allow {
            cmd.arg("--allow-placeholders");
        }
        cmd.output().unwrap()
    };
    let refused = pack(false);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(!zip_path.exists(), "a refused pack wrote {}", zip_path.display());
    assert!(locations(&stderr).contains(&"regions/demo/region.toml:8".to_string()), "{stderr}");
    assert!(stderr.lines().any(|l| l.starts_with("error:") && l.contains("--allow-placeholders")), "{stderr}");

    let allowed = pack(true);
    assert!(allowed.status.success(), "{}", String::from_utf8_lossy(&allowed.stderr));
    assert!(zip_path.is_file());
}

#[test]
fn pack_writes_a_checkable_zip() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("demo.zip");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["pack", "--allow-placeholders", "--region", "demo", "--root"])
        .arg(fixture("basic"))
        .arg("--out")
        .arg(&zip_path)
        .status()
        .unwrap();
    assert!(status.success());
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().to_string()).collect();
    for must in ["index.html", "README.txt", "SHA256SUMS", "hu/guide/first/index.html"] {
        assert!(names.iter().any(|n| n == must), "{must} not in {names:?}");
    }
    let mut sums = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("SHA256SUMS").unwrap(), &mut sums).unwrap();
    for line in sums.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(path).unwrap(), &mut bytes).unwrap();
        let got: String = sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), &bytes))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, hash, "{path}");
    }
    assert_eq!(sums.lines().count(), names.len() - 1);
}

#[test]
fn an_all_regions_build_reports_its_progress_site_by_site() {
    let out = tempfile::tempdir().unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let opts = BuildOptions { root: fixture("basic"), out: out.path().join("public"), write: true };
    let report = oberih::build::run_scoped_with_progress(&opts, &Scope::AllRegions, &|p| {
        seen.lock().unwrap().push(match p {
            oberih::build::Progress::Sites(n) => format!("sites {n}"),
            oberih::build::Progress::Done(slug) => format!("done {}", slug.unwrap_or("national")),
        })
    });
    assert!(report.ok(), "{}", report.diagnostics.report());
    let mut seen = seen.into_inner().unwrap();
    assert_eq!(seen.remove(0), "sites 2");
    seen.sort();
    assert_eq!(seen, ["done demo", "done national"]);
}

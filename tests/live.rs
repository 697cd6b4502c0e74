//! Rebuilding after an edit (`oberih serve`): an edit to a page's text updates the built site in
//! place, and the result is byte for byte what a full build of the edited input writes; anything
//! else asks for a full build; a broken edit writes nothing and can be fixed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use oberih::build::{run_live, BuildOptions, Scope};
use oberih::serve::live::{LiveSite, Update};

/// The repository's default portal, copied so tests can edit it.
fn default_portal() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for name in ["content", "forms", "data", "keys", "i18n", "static"] {
        if repo.join(name).is_dir() {
            copy_dir(&repo.join(name), &dir.path().join(name));
        }
    }
    std::fs::copy(repo.join("portal.toml"), dir.path().join("portal.toml")).unwrap();
    dir
}

fn live(root: &Path) -> LiveSite {
    live_region(root, None)
}

/// The site with `region`'s overlay on top, when there is one.
fn live_region(root: &Path, region: Option<&str>) -> LiveSite {
    let out = root.join("public");
    let (report, kept) = run_live(&BuildOptions { root: root.to_path_buf(), out: out.clone(), write: true }, region);
    assert!(report.ok(), "{}", report.diagnostics.report());
    LiveSite::new(kept.expect("a good build keeps its site"), root, &out)
}

/// The file of a standard in the default language.
fn a_standard(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/standards"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('_') && !n.ends_with(".en.md"))
        .collect();
    names.sort();
    format!("content/standards/{}", names[0])
}

fn edit(root: &Path, rel: &str, change: impl FnOnce(&str) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(&text)).unwrap();
}

fn outcome(site: &mut LiveSite, changed: &[&str]) -> Update {
    site.update(&changed.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn needs_full(site: &mut LiveSite, changed: &[&str]) -> bool {
    matches!(outcome(site, changed), Update::NeedsFullBuild(_))
}

/// An update made in place, whatever its diagnostics.
fn update(site: &mut LiveSite, changed: &[&str]) -> oberih::build::BuildReport {
    match outcome(site, changed) {
        Update::Done(report) => report,
        Update::NeedsFullBuild(why) => panic!("asked for a full build: {why}"),
    }
}

/// An update made in place without errors.
fn update_ok(site: &mut LiveSite, changed: &[&str]) -> oberih::build::BuildReport {
    let report = update(site, changed);
    assert!(report.ok(), "{}", report.diagnostics.report());
    report
}

/// Paths whose bytes differ in `after`.
fn changed_files<'a>(before: &BTreeMap<String, Vec<u8>>, after: &'a BTreeMap<String, Vec<u8>>) -> Vec<&'a String> {
    after.keys().filter(|p| before.get(*p) != after.get(*p)).collect()
}

/// The files that differ between two built sites, the offline copy's lists and summary among
/// them: an update in place makes them again from the files as they now are.
fn differences(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (tree(a), tree(b));
    let mut out: Vec<String> =
        a.iter().filter(|(p, bytes)| b.get(*p) != Some(*bytes)).map(|(p, _)| p.clone()).collect();
    out.extend(b.keys().filter(|p| !a.contains_key(*p)).cloned());
    out
}

fn assert_same_as_full_build(root: &Path) {
    assert_same_as_full_region_build(root, None);
}

fn assert_same_as_full_region_build(root: &Path, region: Option<&str>) {
    let full = tempfile::tempdir().unwrap();
    let scope = region.map_or(Scope::National, |r| Scope::Region(r.to_string()));
    let opts = BuildOptions { root: root.to_path_buf(), out: full.path().join("public"), write: true };
    let report = oberih::build::run_scoped(&opts, &scope);
    assert!(report.ok(), "{}", report.diagnostics.report());
    let diff = differences(&root.join("public"), &full.path().join("public"));
    assert!(diff.is_empty(), "differs from a full build: {diff:?}");
}

#[test]
fn edited_guidance_text_gives_the_site_a_full_build_gives() {
    let dir = default_portal();
    let mut site = live(dir.path());
    let before = tree(&dir.path().join("public"));
    edit(dir.path(), "content/about/prevention.md", |t| {
        format!("{t}\n## Нова частина\n\nРечення про [права](../assistance/rights.md) людини й унікальнеслово.\n")
    });
    edit(dir.path(), "content/about/prevention.en.md", |t| t.replacen("\n\n", "\n\nA new first sentence. ", 1));
    let report = update_ok(&mut site, &["content/about/prevention.md", "content/about/prevention.en.md"]);
    assert_same_as_full_build(dir.path());
    let after = tree(&dir.path().join("public"));
    let changed = changed_files(&before, &after);
    assert!(changed.iter().any(|p| p.as_str() == "uk/about/prevention/index.html"), "{changed:?}");
    assert!(changed.iter().any(|p| p.as_str() == "uk/print.html"), "{changed:?}");
    assert!(changed.iter().any(|p| p.as_str() == "uk/offline.json"), "{changed:?}");
    assert!(changed.iter().any(|p| p.starts_with("uk/search/")), "{changed:?}");
    assert!(!changed.iter().any(|p| p.as_str() == "uk/about/index.html"), "{changed:?}");
    assert_eq!(report.files_written, changed.len(), "only changed files are written: {changed:?}");
}

#[test]
fn edited_standard_text_updates_the_compendium() {
    let dir = default_portal();
    let mut site = live(dir.path());
    let rel = a_standard(dir.path());
    edit(dir.path(), &rel, |t| format!("{t}\nДодатковий абзац для перевірки збірника.\n"));
    update_ok(&mut site, &[&rel]);
    assert_same_as_full_build(dir.path());
}

#[test]
fn a_page_without_translation_updates_its_fallback_copies() {
    let dir = copy_fixture("basic");
    let mut site = live(dir.path());
    edit(dir.path(), "content/guide/second.md", |t| t.replace("Пам’ять", "Пам’ять і нове слово"));
    update_ok(&mut site, &["content/guide/second.md"]);
    let en = std::fs::read_to_string(dir.path().join("public/en/guide/second/index.html")).unwrap();
    assert!(en.contains("нове слово"), "the English fallback shows the edit");
    assert_same_as_full_build(dir.path());
}

#[test]
fn edits_in_a_region_overlay_and_in_the_base_under_it_update_the_region_site() {
    let dir = copy_fixture("basic");
    let mut site = live_region(dir.path(), Some("demo"));
    let overlay = "regions/demo/content/guide/first.hu.md";
    edit(dir.path(), overlay, |t| format!("{t}\nÚj mondat a régiós oldalon.\n"));
    edit(dir.path(), "content/guide/second.md", |t| t.replace("Друга сторінка", "Друга сторінка області"));
    update_ok(&mut site, &[overlay, "content/guide/second.md"]);
    let hu = std::fs::read_to_string(dir.path().join("public/hu/guide/first/index.html")).unwrap();
    assert!(hu.contains("Új mondat"), "the overlay page shows the edit");
    assert_same_as_full_region_build(dir.path(), Some("demo"));
}

#[test]
fn a_broken_edit_writes_nothing_and_can_be_fixed() {
    let dir = copy_fixture("basic");
    let mut site = live(dir.path());
    let before = tree(&dir.path().join("public"));
    edit(dir.path(), "content/guide/second.md", |t| format!("{t}\n[зламане](nowhere.md) і [якір](first.md#no-such)\n"));
    let report = update(&mut site, &["content/guide/second.md"]);
    let text = report.diagnostics.report();
    assert_eq!(report.diagnostics.error_count(), 2, "{text}");
    assert!(text.contains("content/guide/second.md:"), "{text}");
    assert!(tree(&dir.path().join("public")) == before, "a failed update writes nothing");
    edit(dir.path(), "content/guide/second.md", |t| t.replace("nowhere.md", "third.md").replace("#no-such", ""));
    update_ok(&mut site, &["content/guide/second.md"]);
    assert_same_as_full_build(dir.path());
}

#[test]
fn a_new_title_and_weight_update_navigation_everywhere_it_shows() {
    let dir = copy_fixture("basic");
    let mut site = live(dir.path());
    let before = tree(&dir.path().join("public"));
    edit(dir.path(), "content/guide/second.md", |t| {
        t.replace("Друга сторінка", "Інша назва").replace("weight = 2", "weight = 9")
    });
    update_ok(&mut site, &["content/guide/second.md"]);
    assert_same_as_full_build(dir.path());
    let after = tree(&dir.path().join("public"));
    let changed = changed_files(&before, &after);
    assert!(changed.iter().any(|p| p.as_str() == "uk/guide/first/index.html"), "a neighbour: {changed:?}");
    assert!(!changed.iter().any(|p| p.as_str() == "uk/index.html"), "the home page does not list it: {changed:?}");
}

#[test]
fn citing_another_standard_updates_backlinks_and_the_matrix() {
    let dir = default_portal();
    let mut site = live(dir.path());
    let page = std::fs::read_to_string(dir.path().join("content/about/prevention.md")).unwrap();
    let standards = std::fs::read_dir(dir.path().join("content/standards")).unwrap();
    let id = standards
        .flatten()
        .find_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            let line = text.lines().find(|l| l.starts_with("id = "))?;
            Some(line.trim_start_matches("id = ").trim_matches('"').to_string())
                .filter(|id| !page.contains(id.as_str()))
        })
        .unwrap();
    edit(dir.path(), "content/about/prevention.md", |t| format!("{t}\nДив. [стандарт](std:{id}).\n"));
    update_ok(&mut site, &["content/about/prevention.md"]);
    assert_same_as_full_build(dir.path());
    edit(dir.path(), "content/about/prevention.md", |t| {
        t.replacen("description = \"", "description = \"Новий опис. ", 1)
    });
    update_ok(&mut site, &["content/about/prevention.md"]);
    assert_same_as_full_build(dir.path());
}

#[test]
fn other_changes_ask_for_a_full_build() {
    let dir = copy_fixture("basic");
    let mut site = live(dir.path());
    std::fs::write(dir.path().join("content/guide/fourth.md"), "+++\ntitle = \"Четверта\"\n+++\nТекст.\n").unwrap();
    assert!(needs_full(&mut site, &["content/guide/fourth.md"]), "a new page");
    assert!(needs_full(&mut site, &["portal.toml"]), "configuration");
    assert!(needs_full(&mut site, &["content/guide/.gone.swp"]), "nothing that exists changed");
    let original = std::fs::read_to_string(dir.path().join("content/guide/second.md")).unwrap();
    edit(dir.path(), "content/guide/second.md", |t| t.replacen("+++\n", "+++\naliases = [\"old/second\"]\n", 1));
    assert!(needs_full(&mut site, &["content/guide/second.md"]), "a new old address");
    edit(dir.path(), "content/guide/second.md", |_| original.replacen("+++\n", "+++\ndraft = true\n", 1));
    assert!(needs_full(&mut site, &["content/guide/second.md"]), "a page that leaves");
}

#[test]
fn a_standards_front_matter_asks_for_a_full_build() {
    let dir = default_portal();
    let mut site = live(dir.path());
    let rel = a_standard(dir.path());
    edit(dir.path(), &rel, |t| t.replacen("title = \"", "title = \"Змінена назва: ", 1));
    let outcome = site.update(&[rel]);
    assert!(
        matches!(outcome, Update::NeedsFullBuild(_)),
        "its ids and requirements are what links are checked against"
    );
}

/// The time an in-place update takes on a large portal, without the server's debounce:
/// `python3 benches/gen_corpus.py 1000 DIR --layout oberih`, then
/// `OBERIH_LIVE_CORPUS=DIR cargo test --release --test live -- --ignored --nocapture`.
/// One page's text is changed five times, then its title three times (and restored at the end);
/// prints each update's stages.
#[test]
#[ignore]
fn update_time_on_a_large_corpus() {
    let Some(root) = std::env::var_os("OBERIH_LIVE_CORPUS").map(std::path::PathBuf::from) else { return };
    let out = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let (report, kept) =
        run_live(&BuildOptions { root: root.clone(), out: out.path().join("public"), write: true }, None);
    assert!(report.ok(), "{}", report.diagnostics.report());
    println!("full build: {:.2} s", started.elapsed().as_secs_f64());
    let mut site = LiveSite::new(kept.unwrap(), &root, &out.path().join("public"));
    let rel = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|x| x == "md") && !p.to_string_lossy().contains("/_"))
        .map(|p| p.strip_prefix(&root).unwrap().to_string_lossy().into_owned())
        .unwrap();
    let original = std::fs::read_to_string(root.join(&rel)).unwrap();
    let mut times = Vec::new();
    for round in 1..=8 {
        // Five edits of the text, then three of the title (navigation, neighbours, search).
        let what = if round <= 5 { "text" } else { "title" };
        match what {
            "text" => edit(&root, &rel, |t| format!("{t}\nРедагування{round} тексту сторінки.\n")),
            _ => edit(&root, &rel, |t| t.replacen("title = \"", &format!("title = \"Назва{round} "), 1)),
        }
        let report = update_ok(&mut site, &[&rel]);
        let stages: Vec<String> = report.stages.iter().map(|(n, s)| format!("{n} {:.1}", s * 1000.0)).collect();
        let ms = report.seconds * 1000.0;
        println!("update {round} ({what}): {} files, {ms:.1} ms ({} ms)", report.files_written, stages.join(" · "));
        if what == "text" {
            times.push(report.seconds);
        }
    }
    std::fs::write(root.join(&rel), original).unwrap();
    times.sort_by(f64::total_cmp);
    println!("median text update: {:.1} ms for {rel}", times[2] * 1000.0);
}

//! The build pipeline: config → walk → parse everything (collecting every diagnostic) → resolve
//! and validate (stop if anything is wrong: nothing is written) → render → write to a staging
//! folder → swap into place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::content::ParseCache;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::render;
use crate::site::Site;
use crate::source::Layers;

pub(crate) mod check;
mod load;

use load::open_site_with;
pub use load::{load_site, open_site};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    /// `false` for `oberih check`: everything but writing.
    pub write: bool,
}

/// Per-language figures for the summary line.
#[derive(Debug, Clone)]
pub struct LangSummary {
    pub lang: String,
    /// Guidance pages (standards not counted), and how many exist in this language itself.
    pub pages: usize,
    pub translated: usize,
    pub forms: usize,
    pub standards: usize,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub languages: Vec<LangSummary>,
    pub files_written: usize,
    pub seconds: f64,
    /// Wall time of each pipeline stage, in order.
    pub stages: Vec<(&'static str, f64)>,
    /// Ids of the placeholder contacts the built site(s) show (each warned about at its line):
    /// `oberih pack` refuses to pack them unless allowed.
    pub placeholder_contacts: Vec<String>,
}

impl BuildReport {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Which site(s) a build makes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// The national portal.
    #[default]
    National,
    /// The national portal with one region's overlay on top.
    Region(String),
    /// The national portal, plus one site per region under `<slug>/`.
    AllRegions,
}

/// Runs a build (or a check) of the national portal and reports everything that was found.
pub fn run(opts: &BuildOptions) -> BuildReport {
    run_scoped(opts, &Scope::National)
}

/// Runs a build (or a check) of the sites `scope` names; all of them are written together into
/// one staging folder, so either every site is updated or none.
pub fn run_scoped(opts: &BuildOptions, scope: &Scope) -> BuildReport {
    run_sites(opts, scope, Extras::default(), &|_| {}).0
}

/// [`run_scoped_with_progress`] with `.gz` and `.br` copies beside text files when `precompress`
/// is set (they are also made when a site's `portal.toml` asks for them in `[output]`).
pub fn run_build(
    opts: &BuildOptions,
    scope: &Scope,
    precompress: bool,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> BuildReport {
    run_sites(opts, scope, Extras { keep: false, precompress }, progress).0
}

/// What a build does beyond writing the sites.
#[derive(Debug, Clone, Copy, Default)]
struct Extras {
    /// Keep the site in memory for in-place rebuilds.
    keep: bool,
    /// Write precompressed copies whatever `portal.toml` says.
    precompress: bool,
}

/// [`run_scoped`], calling `progress` with the number of sites to make (before the first one
/// starts, as `Progress::Sites`) and once as each site is done (`Progress::Done`).
pub fn run_scoped_with_progress(
    opts: &BuildOptions,
    scope: &Scope,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> BuildReport {
    run_sites(opts, scope, Extras::default(), progress).0
}

/// What a multi-site build reports while it runs.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// How many sites this build makes.
    Sites(usize),
    /// One site is made: `None` for the national portal, or a region's slug.
    Done(Option<&'a str>),
}

/// Builds the national portal, or one region on top of it, and keeps what the preview server
/// needs to rebuild after an edit without starting over (see [`crate::serve::live`]).
pub fn run_live(opts: &BuildOptions, region: Option<&str>) -> (BuildReport, Option<Kept>) {
    let scope = region.map_or(Scope::National, |s| Scope::Region(s.to_string()));
    run_sites(opts, &scope, Extras { keep: true, precompress: false }, &|_| {})
}

/// A site that built without errors, with its compiled theme, kept in memory.
pub struct Kept {
    pub site: Site,
    pub layers: Layers,
    pub tera: tera::Tera,
    pub assets: render::Assets,
    /// The search index files written, by output path, with a hash of their bytes.
    pub search_files: BTreeMap<String, u64>,
}

/// Makes the sites `scope` names into one staging folder and puts them in place together, unless
/// anything is wrong; keeps the site in memory when `extras` asks and it built without errors.
fn run_sites(
    opts: &BuildOptions,
    scope: &Scope,
    extras: Extras,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> (BuildReport, Option<Kept>) {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let slugs = site_slugs(&opts.root, scope);
    // Files go into the staging folder as they are made; it replaces the output only if every
    // site built without error, and disappears otherwise.
    let staging = match opts.write.then(|| Staging::new(&opts.out, &opts.root)).transpose() {
        Ok(s) => s,
        Err(e) => {
            report.diagnostics.push(e.diagnostic(&opts.out.display().to_string()));
            return (finish(report, started), None);
        }
    };
    let prefix_regions = *scope == Scope::AllRegions;
    let results = make_sites(opts, slugs, staging.as_ref(), prefix_regions, extras.keep, progress);
    let merged = merge_sites(results, prefix_regions, &mut report);
    let Some(staging) = staging else { return (finish(report, started), None) };
    put_in_place(staging, &merged.copy_sites, extras.precompress || merged.precompress, &mut report);
    let kept = merged.kept.filter(|_| report.ok());
    (finish(report, started), kept)
}

/// The sites a build makes: `None` for the national portal, or a region's slug.
fn site_slugs(root: &Path, scope: &Scope) -> Vec<Option<String>> {
    match scope {
        Scope::National => vec![None],
        Scope::Region(slug) => vec![Some(slug.clone())],
        Scope::AllRegions => std::iter::once(None).chain(crate::region::slugs(root).into_iter().map(Some)).collect(),
    }
}

/// Makes the sites of `slugs` in parallel, each into `staging` (under `<slug>/` for a region when
/// `prefix_regions`), telling `progress` how many there are and as each is done.
fn make_sites(
    opts: &BuildOptions,
    slugs: Vec<Option<String>>,
    staging: Option<&Staging>,
    prefix_regions: bool,
    keep: bool,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Vec<(Option<String>, SiteBuild)> {
    let cache = ParseCache::for_sites(slugs.len());
    progress(Progress::Sites(slugs.len()));
    slugs
        .into_par_iter()
        .map(|slug| {
            let sink = render::Sink::new(staging, site_prefix(slug.as_deref(), prefix_regions));
            let built = site_files(&opts.root, slug.as_deref(), !opts.write, &sink, &cache, keep);
            progress(Progress::Done(slug.as_deref()));
            (slug, built)
        })
        .collect()
}

/// Where a site's files go in the output: a region's under `<slug>/` when the build writes
/// several sites, else at the top.
fn site_prefix(slug: Option<&str>, prefix_regions: bool) -> String {
    slug.filter(|_| prefix_regions).map(|s| format!("{s}/")).unwrap_or_default()
}

/// What the sites of one build leave once their findings are in the report.
struct Merged {
    /// The site kept in memory, if one was.
    kept: Option<Kept>,
    /// Some site's `portal.toml` asks for precompressed copies.
    precompress: bool,
    /// Each site's place and languages, for the offline copy's lists.
    copy_sites: Vec<crate::offline::CopySite>,
}

/// Puts what each site found into `report`, in the order of the sites; the summary and stages
/// are the national portal's (or the one site's).
fn merge_sites(results: Vec<(Option<String>, SiteBuild)>, prefix_regions: bool, report: &mut BuildReport) -> Merged {
    let mut merged = Merged { kept: None, precompress: false, copy_sites: Vec::new() };
    for (slug, built) in results {
        merged.copy_sites.push(crate::offline::CopySite {
            prefix: site_prefix(slug.as_deref(), prefix_regions),
            languages: built.languages.iter().map(|l| l.lang.clone()).collect(),
        });
        merged.kept = merged.kept.or(built.kept);
        merged.precompress |= built.precompress;
        report.diagnostics.extend(built.diagnostics);
        report.files_written += built.written;
        for id in built.placeholders {
            if !report.placeholder_contacts.contains(&id) {
                report.placeholder_contacts.push(id);
            }
        }
        if slug.is_none() || !prefix_regions {
            report.languages = built.languages;
            report.stages = built.stages;
        }
    }
    merged
}

/// Adds the offline copy's lists to the staging folder and puts it in place of the output, with
/// precompressed copies when `precompress`; when anything is wrong, the output stays as it was
/// and `report` counts no file written.
fn put_in_place(
    staging: Staging,
    copy_sites: &[crate::offline::CopySite],
    precompress: bool,
    report: &mut BuildReport,
) {
    if !report.diagnostics.has_errors() {
        let lists_started = Instant::now();
        report.diagnostics.extend(crate::offline::write_copy_lists(&staging, copy_sites));
        report.stages.push(("offline", lists_started.elapsed().as_secs_f64()));
    }
    let shown = staging.shown().to_string();
    report.diagnostics.extend(staging.failures().iter().map(|f| f.diagnostic(&shown)));
    report.diagnostics.extend(staging.leftovers().iter().map(|l| l.diagnostic(&shown)));
    if report.diagnostics.has_errors() {
        report.files_written = 0;
        return;
    }
    let swap_started = Instant::now();
    if precompress {
        staging.precompress();
        report.diagnostics.extend(staging.failures().iter().map(|f| f.diagnostic(&shown)));
        if report.diagnostics.has_errors() {
            report.files_written = 0;
            return;
        }
    }
    match staging.commit() {
        Ok(previous) => report.diagnostics.extend(previous.map(|l| l.diagnostic(&shown))),
        Err(e) => report.diagnostics.push(e.diagnostic(&shown)),
    }
    report.stages.push(("write", swap_started.elapsed().as_secs_f64()));
}

/// One site's files and what was found while making them.
#[derive(Default)]
struct SiteBuild {
    written: usize,
    diagnostics: Diagnostics,
    languages: Vec<LangSummary>,
    stages: Vec<(&'static str, f64)>,
    kept: Option<Kept>,
    placeholders: Vec<String>,
    /// The site's `portal.toml` asks for precompressed copies.
    precompress: bool,
}

/// Loads, checks and renders one site (the national one, or with a region on top) in memory.
fn site_files(
    root: &Path,
    region_slug: Option<&str>,
    checking: bool,
    sink: &render::Sink,
    cache: &ParseCache,
    keep: bool,
) -> SiteBuild {
    let mut b = SiteBuild::default();
    // Freeing a site's parsed files early is worth nothing while its pages still hold them, and
    // freeing many small blocks while pages are rendered makes every allocation slower: the cache
    // lets go once the pages are written (or on any early return).
    let cache_use = cache.user();
    let Some((mut site, layers)) = open_site_with(root, region_slug, cache, &mut b.diagnostics, &mut b.stages) else {
        return b;
    };
    b.placeholders = site.contacts.placeholders().map(|c| c.id.clone()).collect();
    b.precompress = site.config.output.precompress;
    if keep {
        site.print_bodies = Some(Default::default());
        site.search_cache = Some(Default::default());
    }
    if b.diagnostics.has_errors() {
        return b;
    }
    if checking {
        b.diagnostics.extend(check::uncited_standards(&site));
        b.diagnostics.extend(check::translation_mismatches(&site));
    }
    b.languages = site
        .config
        .languages
        .iter()
        .map(|l| {
            let guidance = |k: &&String| !k.starts_with("standards/");
            LangSummary {
                lang: l.clone(),
                pages: site.keys.iter().filter(guidance).count(),
                translated: site
                    .keys
                    .iter()
                    .filter(guidance)
                    .filter(|k| site.pages.contains_key(&((*k).clone(), l.clone())))
                    .count(),
                forms: site.forms.len(),
                standards: site.standards.standards.len(),
            }
        })
        .collect();
    match render_site(&mut site, &layers, keep, cache_use, &mut b.stages, sink) {
        Ok((tera, assets, search_files)) if keep => b.kept = Some(Kept { site, layers, tera, assets, search_files }),
        Ok(_) => {}
        Err(problems) => b.diagnostics.extend(problems),
    }
    b.written = sink.written.load(std::sync::atomic::Ordering::Relaxed);
    b
}

fn finish(mut report: BuildReport, started: Instant) -> BuildReport {
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Renders one site through `sink`: pages, assets, static files and the search index. A site
/// that is not `keep`, to be updated in place later, frees each page's source and HTML once
/// every page is written, before the search index is made; `cache_use` ends there too.
fn render_site(
    site: &mut Site,
    layers: &Layers,
    keep: bool,
    cache_use: crate::content::CacheUse,
    stages: &mut Vec<(&'static str, f64)>,
    sink: &render::Sink,
) -> Result<(tera::Tera, render::Assets, BTreeMap<String, u64>), Vec<Diagnostic>> {
    let started = Instant::now();
    let tera = render::templates::build_tera(&site.theme, site.i18n.clone())?;
    let (assets, files) = render::build_assets(&site.theme)?;
    sink.emit_all(files)?;
    let trees = render::trees(site);
    render::render_pages(site, &trees, &tera, &assets, sink)?;
    if !keep {
        site.free_page_text();
        give_back_freed_memory();
    }
    drop(cache_use);
    let site = &*site;
    sink.emit_all(static_files(layers)?)?;
    stages.push(("render", started.elapsed().as_secs_f64()));
    let started = Instant::now();
    // A site kept for in-place updates remembers what it wrote, to rewrite only what changes.
    let hashes = render::write_search_index(site, &trees, &tera, &assets, sink)?;
    stages.push(("index", started.elapsed().as_secs_f64()));
    Ok((tera, assets, hashes))
}

/// Hands the memory freed with the pages' text back to the system. The allocator keeps freed
/// blocks for reuse, but the page texts were thousands of blocks between others that stay, and
/// the search index's allocations mostly do not fit in them: kept, they would add the index's
/// memory on top of the pages' at the build's peak.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_back_freed_memory() {
    // SAFETY: `malloc_trim` has no preconditions; it only returns the allocator's free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back_freed_memory() {}

/// The portal's `static/` folder is copied as is.
fn static_files(layers: &Layers) -> Result<Vec<render::OutFile>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for (rel, file) in layers.files_under("static") {
        let bytes = std::fs::read(&file.abs)
            .map_err(|e| vec![Diagnostic::file_error(&file.shown, format!("cannot read: {e}"))])?;
        out.push(render::OutFile { path: rel.trim_start_matches("static/").to_string(), bytes });
    }
    Ok(out)
}

/// Default output folder for a portal root.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}

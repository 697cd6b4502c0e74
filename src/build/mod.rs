//! The build pipeline: config → walk → parse everything (collecting every diagnostic) → resolve
//! and validate (stop if anything is wrong: nothing is written) → render → write to a staging
//! folder → swap into place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{Config, CONFIG_FILE};
use crate::contacts::{Directory, CONTACTS_FILE};
use crate::content::{load_pages, Page, ParseCache};
use crate::diag::{Diagnostic, Diagnostics};
use crate::forms::{Form, FormContext};
use crate::i18n::I18n;
use crate::markdown::{self, Options};
use crate::output::Staging;
use crate::render;
use crate::render::links::{Links, Mode};
use crate::site::{PageData, Site};
use crate::source::{read_text, Layers};
use crate::standards::Registry;
use crate::theme::Theme;

mod check;

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
    run_sites(opts, scope, false, &|_| {}).0
}

/// [`run_scoped`], calling `progress` with the number of sites to make (before the first one
/// starts, as `Progress::Sites`) and once as each site is done (`Progress::Done`).
pub fn run_scoped_with_progress(
    opts: &BuildOptions,
    scope: &Scope,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> BuildReport {
    run_sites(opts, scope, false, progress).0
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
/// needs to rebuild after an edit without starting over (see [`crate::live`]).
pub fn run_live(opts: &BuildOptions, region: Option<&str>) -> (BuildReport, Option<Kept>) {
    let scope = region.map_or(Scope::National, |s| Scope::Region(s.to_string()));
    run_sites(opts, &scope, true, &|_| {})
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

fn run_sites(
    opts: &BuildOptions,
    scope: &Scope,
    keep: bool,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> (BuildReport, Option<Kept>) {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let slugs = match scope {
        Scope::National => vec![None],
        Scope::Region(slug) => vec![Some(slug.clone())],
        Scope::AllRegions => {
            std::iter::once(None).chain(crate::region::slugs(&opts.root).into_iter().map(Some)).collect()
        }
    };
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
    let cache = ParseCache::for_sites(slugs.len());
    progress(Progress::Sites(slugs.len()));
    let results: Vec<(Option<String>, SiteBuild)> = slugs
        .into_par_iter()
        .map(|slug| {
            let prefix = match (&slug, prefix_regions) {
                (Some(s), true) => format!("{s}/"),
                _ => String::new(),
            };
            let sink = render::Sink::new(staging.as_ref(), prefix);
            let built = site_files(&opts.root, slug.as_deref(), !opts.write, &sink, &cache, keep);
            progress(Progress::Done(slug.as_deref()));
            (slug, built)
        })
        .collect();
    let mut kept = None;
    for (slug, built) in results {
        kept = kept.or(built.kept);
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
    let Some(staging) = staging else { return (finish(report, started), None) };
    let shown = staging.shown().to_string();
    report.diagnostics.extend(staging.failures().iter().map(|f| f.diagnostic(&shown)));
    report.diagnostics.extend(staging.leftovers().iter().map(|l| l.diagnostic(&shown)));
    if report.diagnostics.has_errors() {
        report.files_written = 0;
        return (finish(report, started), None);
    }
    let swap_started = Instant::now();
    match staging.commit() {
        Ok(previous) => report.diagnostics.extend(previous.map(|l| l.diagnostic(&shown))),
        Err(e) => report.diagnostics.push(e.diagnostic(&shown)),
    }
    report.stages.push(("write", swap_started.elapsed().as_secs_f64()));
    let kept = kept.filter(|_| report.ok());
    (finish(report, started), kept)
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

/// Reads and checks the national portal, or a region on top of it.
pub fn open_site(
    root: &Path,
    region_slug: Option<&str>,
    diags: &mut Diagnostics,
    stages: &mut Vec<(&'static str, f64)>,
) -> Option<(Site, Layers)> {
    open_site_with(root, region_slug, &ParseCache::default(), diags, stages)
}

/// [`open_site`] with parsed files shared with the other sites of the same run.
fn open_site_with(
    root: &Path,
    region_slug: Option<&str>,
    cache: &ParseCache,
    diags: &mut Diagnostics,
    stages: &mut Vec<(&'static str, f64)>,
) -> Option<(Site, Layers)> {
    let (layers, region) = match region_slug {
        None => (Layers::new(root), None),
        Some(slug) => match crate::region::load(root, slug) {
            Ok(r) => (crate::region::layers(root, slug), Some(r)),
            Err(d) => {
                diags.push(d);
                return None;
            }
        },
    };
    let site = load_site(&layers, region.as_ref(), cache, diags, stages)?;
    Some((site, layers))
}

/// Reads and checks every input. Returns `None` when nothing further can be checked.
pub fn load_site(
    layers: &Layers,
    region: Option<&crate::region::Region>,
    cache: &ParseCache,
    diags: &mut Diagnostics,
    stages: &mut Vec<(&'static str, f64)>,
) -> Option<Site> {
    let started = Instant::now();
    let mut config = load_config(layers, diags)?;
    let base_languages = config.languages.clone();
    if let Some(r) = region {
        if let Err(m) = crate::region::check_slug(&r.slug, &config.languages) {
            diags.push(Diagnostic::file_error(&format!("regions/{}/region.toml", r.slug), m));
        }
        crate::region::apply(&mut config, r);
    }
    let theme = Theme::load(layers, &config.theme).map_err(|p| diags.extend(p)).ok()?;
    let i18n = Arc::new(load_i18n(&theme, layers, &config, diags));
    let contacts = load_contacts(layers, region, &config, diags);
    let loaded = load_pages(&layers.files_under("content"), &config, cache);
    diags.extend(loaded.problems);
    let pages = loaded.pages;
    let (standards, problems) = Registry::build(&pages, &config.default_language);
    diags.extend(problems);
    let form_files = layers.files_under("forms");
    let mut forms = load_forms(&form_files, &config, &base_languages, &standards, diags);
    fill_form_phones(&mut forms, &contacts, layers, diags);
    let public_keys = crate::keys::load_public_keys(layers, &forms, diags);
    let search_strings = config.languages.iter().map(|l| (l.clone(), render::views::search_i18n(&i18n, l))).collect();
    // Form files that failed to load still exist for links, so one mistake is reported once.
    let form_ids: BTreeSet<String> = form_files
        .keys()
        .filter(|rel| crate::forms::translations::pack_target(rel, &config.languages).is_none())
        .filter_map(|rel| rel.strip_prefix("forms/")?.strip_suffix(".toml").map(str::to_string))
        .chain(forms.iter().map(|f| f.id.clone()))
        .collect();
    check_form_links(&mut forms, &form_ids, layers, diags);
    let keys: BTreeSet<String> = pages.iter().map(|p| p.key.clone()).collect();
    // A page that failed to load still exists for links, so one mistake is reported once.
    let link_keys: BTreeSet<String> = keys.iter().cloned().chain(loaded.failed_keys).collect();
    for reserved in ["forms", "search"] {
        if let Some(p) = pages.iter().find(|p| p.key == reserved) {
            diags.push(Diagnostic::file_error(
                &p.file.shown,
                format!("`{reserved}/` is made by the portal itself; choose another folder name"),
            ));
        }
    }
    let mut site = Site {
        config,
        i18n,
        theme,
        pages: BTreeMap::new(),
        keys,
        standards,
        contacts,
        form_ids,
        forms,
        public_keys,
        search_strings,
        print_bodies: None,
        search_cache: None,
    };
    stages.push(("parse", started.elapsed().as_secs_f64()));
    let started = Instant::now();
    let rendered = render_markdown(&site, &link_keys, pages, diags);
    check_fragments(&rendered, &site.config.default_language, diags);
    site.pages = rendered.into_iter().map(|d| ((d.page.key.clone(), d.page.lang.clone()), d)).collect();
    stages.push(("resolve", started.elapsed().as_secs_f64()));
    Some(site)
}

/// Loads and validates every form in `forms/`, in parallel.
/// Form texts are required in the portal's own languages; a language a region adds falls back to
/// the default language where the form has no text in it.
fn load_forms(
    all_files: &BTreeMap<String, crate::source::SourceFile>,
    config: &Config,
    required_languages: &[String],
    standards: &Registry,
    diags: &mut Diagnostics,
) -> Vec<Form> {
    let is_pack = |rel: &str| crate::forms::translations::pack_target(rel, &config.languages).is_some();
    let files: Vec<_> = all_files.values().filter(|f| f.rel.ends_with(".toml") && !is_pack(&f.rel)).collect();
    let known = |id: &str, req: Option<&str>| standards.check(id, req).is_ok();
    let results: Vec<Result<Form, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| {
            let ctx = FormContext {
                languages: required_languages.to_vec(),
                default_language: config.default_language.clone(),
                known_standard: &known,
            };
            let text = read_text(f).map_err(|d| vec![d])?;
            let form = crate::forms::load(&f.shown, &text, &ctx)?;
            let stem = f.rel.trim_start_matches("forms/").trim_end_matches(".toml");
            if form.id != stem {
                return Err(vec![Diagnostic::file_error(
                    &f.shown,
                    format!("the form id `{}` differs from its file name", form.id),
                )
                .with_help(format!("rename the file to forms/{}.toml or change the id to `{stem}`", form.id))]);
            }
            Ok(form)
        })
        .collect();
    let mut forms = Vec::new();
    for r in results {
        match r {
            Ok(mut f) => {
                diags.extend(std::mem::take(&mut f.warnings));
                forms.push(f);
            }
            Err(p) => diags.extend(p),
        }
    }
    translate_forms(&mut forms, all_files, config, required_languages, diags);
    forms
}

/// `{phone:ID}` in form texts becomes the number of contact ID. Each use of an unknown ID is an
/// error at its own place in the form file or translation, and a number typed into a form text
/// is a warning there.
fn fill_form_phones(forms: &mut [Form], contacts: &Directory, layers: &Layers, diags: &mut Diagnostics) {
    for form in forms {
        crate::forms::translations::fill_phones(form, contacts);
    }
    for file in layers.files_under("forms").into_values().filter(|f| f.rel.ends_with(".toml")) {
        if let Ok(text) = read_text(&file) {
            diags.extend(crate::phones::check_form_file(&file.shown, &text, contacts));
        }
    }
}

/// `[words](form:ID)` in a form text links to form ID, which must exist; an unknown id is an
/// error at its place in the form (or translation) file.
fn check_form_links(forms: &mut [Form], form_ids: &BTreeSet<String>, layers: &Layers, diags: &mut Diagnostics) {
    let mut unknown = BTreeSet::new();
    for form in forms {
        crate::forms::translations::for_each_text(form, &mut |text: &mut String| {
            let links = crate::forms::links::links(text);
            unknown.extend(links.iter().map(|l| l.target.to_string()).filter(|t| !form_ids.contains(t)));
        });
    }
    for id in unknown {
        let token = format!("](form:{id})");
        let located = layers.files_under("forms").into_values().find_map(|f| {
            let text = read_text(&f).ok()?;
            let at = text.find(&token)? + 2;
            Some(Diagnostic::at(&f.shown, &text, at..at + token.len() - 3, format!("unknown form `{id}`")))
        });
        let d = located.unwrap_or_else(|| {
            Diagnostic::file_error("forms", format!("a form text links to the unknown form `{id}`"))
        });
        diags.push(d.with_help("a link `[words](form:ID)` needs a form forms/ID.toml in this portal"));
    }
}

/// Applies `forms/<id>.<lang>.toml` translations for languages beyond the required ones, then
/// fills what is left with the default language.
fn translate_forms(
    forms: &mut [Form],
    files: &BTreeMap<String, crate::source::SourceFile>,
    config: &Config,
    required: &[String],
    diags: &mut Diagnostics,
) {
    for (rel, file) in files {
        let Some((id, lang)) = crate::forms::translations::pack_target(rel, &config.languages) else { continue };
        let Some(form) = forms.iter_mut().find(|f| f.id == id) else {
            let d = Diagnostic::file_error(&file.shown, format!("there is no form `{id}` to translate"));
            // A form that exists but did not load has its own errors.
            diags.push(match files.get(&format!("forms/{id}.toml")) {
                Some(form_file) => d.follows(&form_file.shown, "translation of the form", "translations of the form"),
                None => d,
            });
            continue;
        };
        let text = read_text(file).inspect(|t| diags.extend(crate::control_chars::check(&file.shown, t, 0..t.len())));
        match text.and_then(|t| crate::forms::translations::parse(&file.shown, &t)) {
            Ok(pack) => diags.extend(crate::forms::translations::apply(form, lang, &pack, &file.shown)),
            Err(d) => diags.push(d),
        }
    }
    for lang in config.languages.iter().filter(|l| !required.contains(l)) {
        for form in forms.iter_mut() {
            crate::forms::translations::fill_missing(form, lang, &config.default_language);
        }
    }
}

fn load_config(layers: &Layers, diags: &mut Diagnostics) -> Option<Config> {
    let Some(file) = layers.file(CONFIG_FILE) else {
        diags.push(
            Diagnostic::file_error(CONFIG_FILE, "no portal.toml in this folder")
                .with_help("run `oberih build` in a portal folder, or pass --root DIR"),
        );
        return None;
    };
    let text = read_text(&file).map_err(|d| diags.push(d)).ok()?;
    diags.extend(crate::control_chars::check(CONFIG_FILE, &text, 0..text.len()));
    Config::parse(&text).map_err(|p| diags.extend(p)).ok()
}

fn load_i18n(theme: &Theme, layers: &Layers, config: &Config, diags: &mut Diagnostics) -> I18n {
    let mut i18n = I18n::new(&config.default_language);
    // A language whose file did not load: its missing strings follow from that file.
    let mut unloaded: BTreeMap<String, String> = BTreeMap::new();
    for (path, file) in theme.under("i18n") {
        let Some(lang) = I18n::file_language(path.rsplit('/').next().unwrap_or(path)) else { continue };
        if let Err(d) = file.text().and_then(|t| i18n.add_file(&file.shown, lang, &t)) {
            unloaded.entry(lang.to_string()).or_insert_with(|| file.shown.clone());
            diags.push(d);
        }
    }
    for (rel, file) in layers.files_under("i18n") {
        let Some(lang) = I18n::file_language(rel.rsplit('/').next().unwrap_or(&rel)) else { continue };
        let text = read_text(&file).inspect(|t| diags.extend(crate::control_chars::check(&file.shown, t, 0..t.len())));
        if let Err(d) = text.and_then(|t| i18n.add_file(&file.shown, lang, &t)) {
            unloaded.entry(lang.to_string()).or_insert_with(|| file.shown.clone());
            diags.push(d);
        }
    }
    for lang in &config.languages {
        if !i18n.languages().any(|l| l == lang) {
            let d = Diagnostic::file_error(CONFIG_FILE, format!("no interface strings for `{lang}`"))
                .with_help(format!("add i18n/{lang}.toml (copy themes/default/i18n/en.toml and translate it)"))
                .warning();
            diags.push(match unloaded.get(lang) {
                Some(file) => {
                    d.follows(file, "language without interface strings", "languages without interface strings")
                }
                None => d,
            });
        }
    }
    i18n
}

/// The national contacts, then the region's (`data/contacts.toml` in its folder and
/// `[[contact]]` in region.toml): an entry with the same id replaces the national one.
fn load_contacts(
    layers: &Layers,
    region: Option<&crate::region::Region>,
    config: &Config,
    diags: &mut Diagnostics,
) -> Directory {
    let mut dir = Directory::default();
    for file in layers.every(CONTACTS_FILE) {
        let loaded = read_text(&file).and_then(|t| {
            diags.extend(crate::control_chars::check(&file.shown, &t, 0..t.len()));
            dir.add_file(&file.shown, &t)
        });
        if let Err(d) = loaded {
            dir.unloaded.get_or_insert_with(|| file.shown.clone());
            diags.push(d);
        }
    }
    if let Some(r) = region {
        dir.merge(r.contact.clone());
    }
    let today = crate::dates::today_days();
    diags.extend(dir.warnings(today, config.contacts.max_age_days));
    dir
}

/// Renders every page's Markdown once, in parallel; problems become positioned diagnostics.
/// `link_keys` are the pages links may point to: every page that loaded, and those whose front
/// matter failed (so one mistake is reported once, not again at every link to it).
fn render_markdown(
    site: &Site,
    link_keys: &BTreeSet<String>,
    pages: Vec<Page>,
    diags: &mut Diagnostics,
) -> Vec<PageData> {
    let results: Vec<(PageData, Vec<Diagnostic>)> =
        pages.into_par_iter().map(|page| render_page_markdown(site, link_keys, page)).collect();
    let mut out = Vec::with_capacity(results.len());
    for (data, problems) in results {
        diags.extend(problems);
        out.push(data);
    }
    out
}

/// One page's Markdown, rendered and checked: its links, citations and aliases.
pub(crate) fn render_page_markdown(
    site: &Site,
    link_keys: &BTreeSet<String>,
    page: Page,
) -> (PageData, Vec<Diagnostic>) {
    let from_dir = page.file.rel.trim_start_matches("content/").rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let resolver = Links {
        keys: link_keys,
        standards: &site.standards,
        forms: &site.form_ids,
        contacts: &site.contacts,
        from_key: &page.key,
        from_dir: &from_dir,
        lang: &page.lang,
        default_language: &site.config.default_language,
        mode: Mode::Pages { pretty_urls: site.config.pretty_urls },
        cited: Default::default(),
        unchecked: Default::default(),
    };
    let title = |k: &str| site.i18n.t_marked(&page.lang, k);
    let opts = Options { allow_html: site.config.content.allow_html, id_prefix: "", admonition_title: &title };
    let mut rendered = markdown::render(page.body(), &resolver, &opts);
    let resolved = crate::fallback::resolve(&rendered.html);
    let has_fallback_parts = resolved.is_some();
    if let Some(html) = resolved {
        rendered.html = html;
    }
    let located = |p: &markdown::Problem| {
        let span = page.body_start + p.span.start..page.body_start + p.span.end;
        let d = Diagnostic::at(&page.file.shown, &page.text, span, p.message.clone());
        match &p.help {
            Some(h) => d.with_help(h.clone()),
            None => d,
        }
    };
    let mut problems: Vec<Diagnostic> = rendered.problems.iter().map(located).collect();
    problems.extend(std::mem::take(&mut rendered.warnings).iter().map(|p| located(p).warning()));
    for (span, message) in resolver.unchecked.take() {
        let span = page.body_start + span.start..page.body_start + span.end;
        problems.push(site.contacts.incomplete(Diagnostic::at(&page.file.shown, &page.text, span, message)));
    }
    problems.extend(check_citations(site, &page));
    problems.extend(check_aliases(site, &page));
    let mut cites = resolver.cited.take();
    for s in &page.fm.standards {
        cites.insert(crate::standards::split_ref(s.get_ref()).0.to_string());
        cites.insert(s.get_ref().clone());
    }
    (PageData { page, rendered, cites, has_fallback_parts }, problems)
}

/// An alias is an old address of the page: a relative folder path that no page uses.
fn check_aliases(site: &Site, page: &Page) -> Vec<Diagnostic> {
    let offset = crate::content::front_offset(page);
    let key_start = crate::config::find_key(&page.text[offset..], "aliases").map_or(0, |r| offset + r.start);
    page.fm
        .aliases
        .iter()
        .filter_map(|a| {
            let path = a.trim_matches('/');
            let valid = !path.is_empty()
                && !a.starts_with('/')
                && path
                    .split('/')
                    .all(|p| !p.is_empty() && p != ".." && p != "." && !p.contains(['\\', '?', '#', ':']));
            let problem = if !valid {
                Some(format!("alias `{a}` must be a relative folder path such as `old-section/old-page`"))
            } else if site.keys.contains(path) {
                Some(format!("alias `{a}` is the address of an existing page"))
            } else {
                None
            };
            problem.map(|m| Diagnostic::at(&page.file.shown, &page.text, key_start..key_start + 7, m))
        })
        .collect()
}

/// `standards = [...]` in front matter must name known standards.
fn check_citations(site: &Site, page: &Page) -> Vec<Diagnostic> {
    let offset = crate::content::front_offset(page);
    page.fm
        .standards
        .iter()
        .filter_map(|s| {
            let (id, req) = crate::standards::split_ref(s.get_ref());
            site.standards.check(id, req).err().map(|m| {
                let span = s.span();
                Diagnostic::at(&page.file.shown, &page.text, offset + span.start..offset + span.end, m)
            })
        })
        .collect()
}

/// Links to `page.md#anchor` must find the anchor on the target in the same language.
pub(crate) fn check_fragments<'a>(
    pages: impl IntoIterator<Item = &'a PageData> + Clone,
    default_language: &str,
    diags: &mut Diagnostics,
) {
    let ids: BTreeMap<(&str, &str), &Vec<String>> =
        pages.clone().into_iter().map(|d| ((d.page.key.as_str(), d.page.lang.as_str()), &d.rendered.ids)).collect();
    for d in pages {
        for (key, frag, span) in &d.rendered.checks {
            let target =
                ids.get(&(key.as_str(), d.page.lang.as_str())).or_else(|| ids.get(&(key.as_str(), default_language)));
            if let Some(target_ids) = target {
                if !target_ids.iter().any(|i| i == frag) {
                    let span = d.page.body_start + span.start..d.page.body_start + span.end;
                    let shown = if key.is_empty() { "the home page".to_string() } else { format!("`{key}`") };
                    diags.push(
                        Diagnostic::at(
                            &d.page.file.shown,
                            &d.page.text,
                            span,
                            format!("{shown} has no heading `#{frag}`"),
                        )
                        .with_help(format!("headings there: {}", target_ids.join(", "))),
                    );
                }
            }
        }
    }
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
    }
    drop(cache_use);
    let site = &*site;
    sink.emit_all(static_files(layers)?)?;
    stages.push(("render", started.elapsed().as_secs_f64()));
    let started = Instant::now();
    // A site kept for in-place updates remembers what it wrote, to rewrite only what changes.
    let hashes = render::write_search_index(site, &trees, sink)?;
    stages.push(("index", started.elapsed().as_secs_f64()));
    Ok((tera, assets, hashes))
}

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

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
use crate::content::{load_pages, Page};
use crate::diag::{Diagnostic, Diagnostics};
use crate::forms::{Form, FormContext};
use crate::i18n::I18n;
use crate::markdown::{self, Options};
use crate::output::Staging;
use crate::render::links::{Links, Mode};
use crate::render::{self, PageData, Site};
use crate::source::{read_text, Layers};
use crate::standards::Registry;
use crate::theme::Theme;

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
    pub pages: usize,
    pub translated: usize,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub languages: Vec<LangSummary>,
    pub files_written: usize,
    pub seconds: f64,
    /// Wall time of each pipeline stage, in order.
    pub stages: Vec<(&'static str, f64)>,
}

impl BuildReport {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Runs a build (or a check) and reports everything that was found.
pub fn run(opts: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let layers = Layers::new(&opts.root);
    let site = match load_site(&layers, &mut report.diagnostics, &mut report.stages) {
        Some(site) if !report.diagnostics.has_errors() => site,
        _ => return finish(report, started),
    };
    report.languages = site
        .config
        .languages
        .iter()
        .map(|l| LangSummary { lang: l.clone(), pages: site.keys.len(), translated: site.translated_count(l) })
        .collect();
    match render_and_write(&site, opts, &mut report.stages) {
        Ok(n) => report.files_written = n,
        Err(problems) => report.diagnostics.extend(problems),
    }
    finish(report, started)
}

fn finish(mut report: BuildReport, started: Instant) -> BuildReport {
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Reads and checks every input. Returns `None` when nothing further can be checked.
pub fn load_site(layers: &Layers, diags: &mut Diagnostics, stages: &mut Vec<(&'static str, f64)>) -> Option<Site> {
    let started = Instant::now();
    let config = load_config(layers, diags)?;
    let theme = Theme::load(layers, &config.theme).map_err(|p| diags.extend(p)).ok()?;
    let i18n = Arc::new(load_i18n(&theme, layers, &config, diags));
    let contacts = load_contacts(layers, diags);
    let (pages, problems) = load_pages(&layers.files_under("content"), &config);
    diags.extend(problems);
    let (standards, problems) = Registry::build(&pages, &config.default_language);
    diags.extend(problems);
    let forms = load_forms(layers, &config, &standards, diags);
    // Form files that failed to load still exist for links, so one mistake is reported once.
    let form_ids: BTreeSet<String> = layers
        .files_under("forms")
        .keys()
        .filter_map(|rel| rel.strip_prefix("forms/")?.strip_suffix(".toml").map(str::to_string))
        .chain(forms.iter().map(|f| f.id.clone()))
        .collect();
    let keys: BTreeSet<String> = pages.iter().map(|p| p.key.clone()).collect();
    // A page that failed to parse still exists for links, so one mistake is reported once.
    let link_keys: BTreeSet<String> = keys.iter().cloned().chain(page_keys_of_files(layers, &config)).collect();
    for reserved in ["forms", "search"] {
        if let Some(p) = pages.iter().find(|p| p.key == reserved) {
            diags.push(Diagnostic::file_error(
                &p.file.shown,
                format!("`{reserved}/` is made by the portal itself; choose another folder name"),
            ));
        }
    }
    let mut site =
        Site { config, i18n, theme, pages: BTreeMap::new(), keys: link_keys, standards, contacts, form_ids, forms };
    stages.push(("parse", started.elapsed().as_secs_f64()));
    let started = Instant::now();
    let rendered = render_markdown(&site, pages, diags);
    site.keys = keys;
    check_fragments(&rendered, &site.config.default_language, diags);
    site.pages = rendered.into_iter().map(|d| ((d.page.key.clone(), d.page.lang.clone()), d)).collect();
    stages.push(("resolve", started.elapsed().as_secs_f64()));
    Some(site)
}

/// Page keys from file names alone (`content/a/b.en.md` → `a/b`).
fn page_keys_of_files(layers: &Layers, config: &Config) -> Vec<String> {
    layers
        .files_under("content")
        .keys()
        .filter_map(|rel| {
            let stem = rel.strip_prefix("content/")?.strip_suffix(".md")?;
            let stem = match stem.rsplit_once('.') {
                Some((s, l)) if config.languages.iter().any(|x| x == l) => s,
                _ => stem,
            };
            Some(stem.strip_suffix("_index").map_or(stem, |d| d.trim_end_matches('/')).to_string())
        })
        .collect()
}

/// Loads and validates every form in `forms/`, in parallel.
fn load_forms(layers: &Layers, config: &Config, standards: &Registry, diags: &mut Diagnostics) -> Vec<Form> {
    let files: Vec<_> = layers.files_under("forms").into_values().filter(|f| f.rel.ends_with(".toml")).collect();
    let known = |id: &str, req: Option<&str>| standards.check(id, req).is_ok();
    let results: Vec<Result<Form, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| {
            let ctx = FormContext {
                languages: config.languages.clone(),
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
    forms
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
    Config::parse(&text).map_err(|p| diags.extend(p)).ok()
}

fn load_i18n(theme: &Theme, layers: &Layers, config: &Config, diags: &mut Diagnostics) -> I18n {
    let mut i18n = I18n::new(&config.default_language);
    for (path, file) in theme.under("i18n") {
        let Some(lang) = I18n::file_language(path.rsplit('/').next().unwrap_or(path)) else { continue };
        match file.text().and_then(|t| i18n.add_file(&file.shown, lang, &t)) {
            Ok(()) => {}
            Err(d) => diags.push(d),
        }
    }
    for (rel, file) in layers.files_under("i18n") {
        let Some(lang) = I18n::file_language(rel.rsplit('/').next().unwrap_or(&rel)) else { continue };
        if let Err(d) = read_text(&file).and_then(|t| i18n.add_file(&file.shown, lang, &t)) {
            diags.push(d);
        }
    }
    for lang in &config.languages {
        if !i18n.languages().any(|l| l == lang) {
            diags.push(
                Diagnostic::file_error(CONFIG_FILE, format!("no interface strings for `{lang}`"))
                    .with_help(format!("add i18n/{lang}.toml (copy themes/default/i18n/en.toml and translate it)"))
                    .warning(),
            );
        }
    }
    i18n
}

fn load_contacts(layers: &Layers, diags: &mut Diagnostics) -> Directory {
    let mut dir = Directory::default();
    if let Some(file) = layers.file(CONTACTS_FILE) {
        if let Err(d) = read_text(&file).and_then(|t| dir.add_file(&file.shown, &t)) {
            diags.push(d);
        }
    }
    dir
}

/// Renders every page's Markdown once, in parallel; problems become positioned diagnostics.
fn render_markdown(site: &Site, pages: Vec<Page>, diags: &mut Diagnostics) -> Vec<PageData> {
    let results: Vec<(PageData, Vec<Diagnostic>)> = pages
        .into_par_iter()
        .map(|page| {
            let from_dir =
                page.file.rel.trim_start_matches("content/").rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let resolver = Links {
                keys: &site.keys,
                standards: &site.standards,
                forms: &site.form_ids,
                contacts: &site.contacts,
                from_key: &page.key,
                from_dir: &from_dir,
                lang: &page.lang,
                default_language: &site.config.default_language,
                mode: Mode::Pages { pretty_urls: site.config.pretty_urls },
                cited: Default::default(),
            };
            let title = |k: &str| site.i18n.t(&page.lang, k);
            let opts = Options { allow_html: site.config.content.allow_html, id_prefix: "", admonition_title: &title };
            let rendered = markdown::render(page.body(), &resolver, &opts);
            let mut problems: Vec<Diagnostic> = rendered
                .problems
                .iter()
                .map(|p| {
                    let span = page.body_start + p.span.start..page.body_start + p.span.end;
                    let d = Diagnostic::at(&page.file.shown, &page.text, span, p.message.clone());
                    match &p.help {
                        Some(h) => d.with_help(h.clone()),
                        None => d,
                    }
                })
                .collect();
            problems.extend(check_citations(site, &page));
            let mut cites = resolver.cited.take();
            cites.extend(page.fm.standards.iter().map(|s| crate::standards::split_ref(s.get_ref()).0.to_string()));
            (PageData { page, rendered, cites }, problems)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (data, problems) in results {
        diags.extend(problems);
        out.push(data);
    }
    out
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
fn check_fragments(pages: &[PageData], default_language: &str, diags: &mut Diagnostics) {
    let ids: BTreeMap<(&str, &str), &Vec<String>> =
        pages.iter().map(|d| ((d.page.key.as_str(), d.page.lang.as_str()), &d.rendered.ids)).collect();
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

/// Renders the whole site into a staging folder and swaps it into place.
fn render_and_write(
    site: &Site,
    opts: &BuildOptions,
    stages: &mut Vec<(&'static str, f64)>,
) -> Result<usize, Vec<Diagnostic>> {
    let started = Instant::now();
    let tera = render::templates::build_tera(&site.theme, site.i18n.clone())?;
    let (assets, mut files) = render::build_assets(&site.theme);
    files.extend(render::render_pages(site, &tera, &assets)?);
    files.extend(static_files(&Layers::new(&opts.root))?);
    stages.push(("render", started.elapsed().as_secs_f64()));
    let started = Instant::now();
    files.extend(render::search_index(site));
    stages.push(("index", started.elapsed().as_secs_f64()));
    if !opts.write {
        return Ok(0);
    }
    let started = Instant::now();
    let out_err =
        |e: crate::output::OutputError| vec![Diagnostic::file_error(&opts.out.display().to_string(), e.to_string())];
    let staging = Staging::new(&opts.out, &opts.root).map_err(out_err)?;
    files.par_iter().try_for_each(|f| staging.write(&f.path, &f.bytes)).map_err(out_err)?;
    let n = files.len();
    staging.commit().map_err(out_err)?;
    stages.push(("write", started.elapsed().as_secs_f64()));
    Ok(n)
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

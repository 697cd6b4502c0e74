//! Reading a site's inputs: the config (with a region on top), the theme, interface strings,
//! contacts, pages, standards, and the forms with their translations, phone numbers, links and
//! keys. Every problem is collected; nothing is rendered here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::check::{check_fragments, render_markdown};
use crate::config::{Config, CONFIG_FILE};
use crate::contacts::{Directory, CONTACTS_FILE};
use crate::content::{load_pages, Page, ParseCache};
use crate::diag::{Diagnostic, Diagnostics};
use crate::forms::{Form, FormContext};
use crate::i18n::I18n;
use crate::render;
use crate::site::Site;
use crate::source::{read_text, Layers};
use crate::standards::Registry;
use crate::theme::Theme;

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
pub(super) fn open_site_with(
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
    let (mut site, pages, link_keys) = read_inputs(layers, region, cache, diags)?;
    stages.push(("parse", started.elapsed().as_secs_f64()));
    let started = Instant::now();
    let rendered = render_markdown(&site, &link_keys, pages, diags);
    check_fragments(&rendered, &site.config.default_language, diags);
    site.pages = rendered.into_iter().map(|d| ((d.page.key.clone(), d.page.lang.clone()), d)).collect();
    stages.push(("resolve", started.elapsed().as_secs_f64()));
    Some(site)
}

/// Reads and checks every input but the pages' Markdown: the site without its pages, the pages
/// as parsed, and the keys links may point to.
fn read_inputs(
    layers: &Layers,
    region: Option<&crate::region::Region>,
    cache: &ParseCache,
    diags: &mut Diagnostics,
) -> Option<(Site, Vec<Page>, BTreeSet<String>)> {
    let (config, base_languages) = load_region_config(layers, region, diags)?;
    let (theme, ignored) = Theme::load(layers, &config.theme);
    diags.extend(ignored);
    let theme = theme.map_err(|p| diags.extend(p)).ok()?;
    let i18n = Arc::new(load_i18n(&theme, layers, &config, diags));
    let contacts = load_contacts(layers, region, &config, diags);
    let (statistics, problems) =
        crate::statistics::Statistics::load(&layers.files_under(crate::statistics::STATISTICS_DIR));
    diags.extend(problems);
    let loaded = load_pages(&layers.files_under("content"), &config, cache);
    diags.extend(loaded.problems);
    let pages = loaded.pages;
    let (standards, problems) = Registry::build(&pages, &config.default_language);
    diags.extend(problems);
    let forms = load_site_forms(layers, &config, &base_languages, &standards, &contacts, diags);
    let search_strings = config.languages.iter().map(|l| (l.clone(), render::views::search_i18n(&i18n, l))).collect();
    let keys: BTreeSet<String> = pages.iter().map(|p| p.key.clone()).collect();
    // A page that failed to load still exists for links, so one mistake is reported once.
    let link_keys: BTreeSet<String> = keys.iter().cloned().chain(loaded.failed_keys).collect();
    check_reserved_keys(&pages, diags);
    let site = Site {
        config,
        region: region.map(|r| r.slug.clone()),
        i18n,
        theme,
        pages: BTreeMap::new(),
        keys,
        standards,
        contacts,
        form_ids: forms.ids,
        statistics,
        forms: forms.forms,
        public_keys: forms.public_keys,
        search_strings,
        print_bodies: None,
        search_cache: None,
    };
    Some((site, pages, link_keys))
}

/// The portal's configuration with the region's on top, and the portal's own languages.
fn load_region_config(
    layers: &Layers,
    region: Option<&crate::region::Region>,
    diags: &mut Diagnostics,
) -> Option<(Config, Vec<String>)> {
    let mut config = load_config(layers, diags)?;
    let base_languages = config.languages.clone();
    if let Some(r) = region {
        if let Err(m) = crate::region::check_slug(&r.slug, &config.languages) {
            diags.push(Diagnostic::file_error(&format!("regions/{}/region.toml", r.slug), m));
        }
        crate::region::apply(&mut config, r);
    }
    Some((config, base_languages))
}

/// The site's forms with what goes with them.
struct SiteForms {
    forms: Vec<Form>,
    /// Every form id links may name.
    ids: BTreeSet<String>,
    public_keys: BTreeMap<String, String>,
}

/// Loads the forms with their phone numbers and public keys, and checks the texts of every form
/// file.
fn load_site_forms(
    layers: &Layers,
    config: &Config,
    base_languages: &[String],
    standards: &Registry,
    contacts: &Directory,
    diags: &mut Diagnostics,
) -> SiteForms {
    let form_files = layers.files_under("forms");
    let mut forms = load_forms(&form_files, config, base_languages, standards, diags);
    fill_form_phones(&mut forms, contacts);
    let public_keys = crate::keys::load_public_keys(layers, &forms, diags);
    // Form files that failed to load still exist for links, so one mistake is reported once.
    let ids: BTreeSet<String> = form_files
        .keys()
        .filter(|rel| crate::forms::translations::pack_target(rel, &config.languages).is_none())
        .filter_map(|rel| rel.strip_prefix("forms/")?.strip_suffix(".toml").map(str::to_string))
        .chain(forms.iter().map(|f| f.id.clone()))
        .collect();
    check_form_texts(&form_files, contacts, &ids, diags);
    SiteForms { forms, ids, public_keys }
}

/// A content folder named like a section the portal makes itself is an error.
fn check_reserved_keys(pages: &[Page], diags: &mut Diagnostics) {
    for reserved in ["forms", "search"] {
        if let Some(p) = pages.iter().find(|p| p.key == reserved) {
            diags.push(Diagnostic::file_error(
                &p.file.shown,
                format!("`{reserved}/` is made by the portal itself; choose another folder name"),
            ));
        }
    }
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

/// `{phone:ID}` in form texts becomes the number of contact ID.
fn fill_form_phones(forms: &mut [Form], contacts: &Directory) {
    for form in forms {
        crate::forms::translations::fill_phones(form, contacts);
    }
}

/// Checks the texts of every form file (forms and their translations) at their places: each use
/// of an unknown contact or form is an error, each number typed into a text a warning.
fn check_form_texts(
    form_files: &BTreeMap<String, crate::source::SourceFile>,
    contacts: &Directory,
    form_ids: &BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    for file in form_files.values().filter(|f| f.rel.ends_with(".toml")) {
        if let Ok(text) = read_text(file) {
            diags.extend(crate::phones::check_form_file(&file.shown, &text, contacts));
            diags.extend(crate::forms::links::check_form_file(&file.shown, &text, form_ids));
        }
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

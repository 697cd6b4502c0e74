//! Reading every Markdown file under `content/` into [`Page`]s, collecting all problems.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::front_matter;
use super::Page;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::source::{read_text, SourceFile};

const STANDARD_KEYS: &str = "`id`, `area`, `responsible`, `requirements`, `legal_basis` and `example`";

/// A file read and its front matter parsed: the same for every site that uses the file.
type Parsed = Result<(Arc<str>, front_matter::FrontMatter, usize), Diagnostic>;

/// Parsed files shared by the sites of one run (`--all-regions` parses each national page once
/// for the national site and every region that keeps it).
pub struct ParseCache {
    files: Mutex<HashMap<PathBuf, Arc<Parsed>>>,
    /// Sites that may still read from the cache: once none is left, it lets go of the files, so
    /// a page's text lives only as long as a site needs it.
    loading: AtomicUsize,
}

/// A site's use of a [`ParseCache`]: dropping it says the site needs the cache no more.
pub struct CacheUse<'a>(&'a ParseCache);

impl Drop for CacheUse<'_> {
    fn drop(&mut self) {
        self.0.loaded();
    }
}

impl Default for ParseCache {
    fn default() -> Self {
        ParseCache::for_sites(1)
    }
}

impl ParseCache {
    /// A cache for a run that builds `sites` sites.
    pub fn for_sites(sites: usize) -> Self {
        ParseCache { files: Mutex::default(), loading: AtomicUsize::new(sites) }
    }

    /// One site's use of the cache, to be dropped when the site no longer needs its files kept.
    pub fn user(&self) -> CacheUse<'_> {
        CacheUse(self)
    }

    /// Called once for each site, when its [`CacheUse`] ends; the last one empties the cache.
    fn loaded(&self) {
        if self.loading.fetch_sub(1, Ordering::AcqRel) == 1 {
            if let Ok(mut m) = self.files.lock() {
                m.clear();
            }
        }
    }

    fn get_or_parse(&self, file: &SourceFile) -> Arc<Parsed> {
        if let Some(hit) = self.files.lock().ok().and_then(|m| m.get(&file.abs).cloned()) {
            return hit;
        }
        let parsed = Arc::new(parse_file(file));
        if let Ok(mut m) = self.files.lock() {
            m.insert(file.abs.clone(), parsed.clone());
        }
        parsed
    }
}

fn parse_file(file: &SourceFile) -> Parsed {
    let text = read_text(file)?;
    let split = front_matter::split(&file.shown, &text)?;
    let fm = front_matter::parse(&file.shown, &text, &split)?;
    let body_start = split.body_start;
    Ok((text.into(), fm, body_start))
}

/// Every page of a site, and what went wrong while loading them.
#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<Page>,
    pub problems: Vec<Diagnostic>,
    /// Keys of pages whose file failed to load: links to them are not reported again.
    pub failed_keys: Vec<String>,
}

/// Loads all pages in parallel. Draft pages are left out. Problems are returned together.
pub fn load_pages(files: &BTreeMap<String, SourceFile>, config: &Config, cache: &ParseCache) -> Loaded {
    let md: Vec<&SourceFile> = files.values().filter(|f| f.rel.ends_with(".md")).collect();
    let results: Vec<Result<Option<Page>, Diagnostic>> = md.par_iter().map(|f| load_page(f, config, cache)).collect();
    let mut loaded = Loaded::default();
    for (file, r) in md.iter().zip(results) {
        match r {
            Ok(Some(p)) => loaded.pages.push(p),
            Ok(None) => {}
            Err(d) => {
                loaded.failed_keys.extend(page_key(&file.rel, config));
                loaded.problems.push(d);
            }
        }
    }
    loaded.problems.extend(check_sections(&loaded.pages));
    loaded.problems.extend(check_duplicates(&loaded.pages));
    loaded
}

fn load_page(file: &SourceFile, config: &Config, cache: &ParseCache) -> Result<Option<Page>, Diagnostic> {
    let (text, fm, body_start) = match &*cache.get_or_parse(file) {
        Ok((text, fm, body_start)) => (text.clone(), fm.clone(), *body_start),
        Err(d) => return Err(d.clone()),
    };
    if fm.draft {
        return Ok(None);
    }
    let (key, lang, is_section) =
        identity(&file.rel, config).map_err(|msg| Diagnostic::file_error(&file.shown, msg))?;
    let page = Page { file: file.clone(), text, body_start, lang, key, is_section, fm };
    check_standard_keys(&page)?;
    Ok(Some(page))
}

/// `old`'s file read and parsed again, for a rebuild after it changed. The page keeps its
/// identity; whether it is still the same kind of page is for the caller to judge.
pub fn reload(old: &Page) -> Result<Page, Diagnostic> {
    let (text, fm, body_start) = parse_file(&old.file)?;
    Ok(Page {
        file: old.file.clone(),
        text,
        body_start,
        lang: old.lang.clone(),
        key: old.key.clone(),
        is_section: old.is_section,
        fm,
    })
}

/// The page key a Markdown file stands for, from its path alone (`None` for a name that cannot
/// be a page).
fn page_key(rel: &str, config: &Config) -> Option<String> {
    identity(rel, config).ok().map(|(key, _, _)| key)
}

/// `content/about/forms.en.md` → (`about/forms`, `en`, false).
fn identity(rel: &str, config: &Config) -> Result<(String, String, bool), String> {
    let inner = rel.strip_prefix("content/").unwrap_or(rel);
    let stem = inner.strip_suffix(".md").unwrap_or(inner);
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((s, l)) if config.languages.iter().any(|x| x == l) => (s, l.to_string()),
        Some((_, l)) => {
            return Err(format!("`{l}` is not one of the portal's languages ({})", config.languages.join(", ")))
        }
        None => (stem, config.default_language.clone()),
    };
    for part in stem.split('/') {
        let ok = !part.is_empty()
            && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            return Err(format!(
                "`{part}` cannot be part of a web address: use lowercase Latin letters, digits and hyphens"
            ));
        }
    }
    Ok(match stem.strip_suffix("_index") {
        Some(dir) => (dir.trim_end_matches('/').to_string(), lang, true),
        None => (stem.to_string(), lang, false),
    })
}

fn check_standard_keys(page: &Page) -> Result<(), Diagnostic> {
    let fm = &page.fm;
    let has_standard_keys = fm.id.is_some()
        || fm.area.is_some()
        || !fm.responsible.is_empty()
        || !fm.requirements.is_empty()
        || fm.legal_basis.is_some()
        || fm.example;
    let is_standard_page = page.is_standard() && !page.is_section;
    if has_standard_keys && !is_standard_page {
        let span = fm.id.as_ref().map(|s| s.span()).or_else(|| fm.area.as_ref().map(|s| s.span())).unwrap_or(0..0);
        let start = super::front_offset(page) + span.start;
        return Err(Diagnostic::at(
            &page.file.shown,
            &page.text,
            start..start + span.len(),
            format!("only standards in content/standards/ take {STANDARD_KEYS}"),
        ));
    }
    Ok(())
}

/// Every page needs its section's `_index.md` in the same language or the default one.
fn check_sections(pages: &[Page]) -> Vec<Diagnostic> {
    let sections: std::collections::BTreeSet<&str> =
        pages.iter().filter(|p| p.is_section).map(|p| p.key.as_str()).collect();
    // One message per missing folder, naming its first file.
    let mut missing: BTreeMap<&str, &Page> = BTreeMap::new();
    for page in pages {
        if let Some(parent) = page.parent_key() {
            if !sections.contains(parent) {
                let first = missing.entry(parent).or_insert(page);
                if page.file.rel < first.file.rel {
                    *first = page;
                }
            }
        }
    }
    missing
        .into_iter()
        .map(|(parent, page)| {
            let folder = if parent.is_empty() { "content".to_string() } else { format!("content/{parent}") };
            Diagnostic::file_error(&page.file.shown, format!("the folder `{folder}` has no `_index.md`"))
                .with_help(format!("add `{folder}/_index.md` with a title for the section"))
        })
        .collect()
}

/// Two files for the same page and language (e.g. `a.md` and `a.uk.md`) would overwrite each other.
fn check_duplicates(pages: &[Page]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(&str, &str), &Page> = BTreeMap::new();
    let mut problems = Vec::new();
    for page in pages {
        if let Some(first) = seen.insert((&page.key, &page.lang), page) {
            let (a, b) = if first.file.rel < page.file.rel { (first, page) } else { (page, first) };
            problems.push(
                Diagnostic::file_error(
                    &b.file.shown,
                    format!("this page and `{}` both become `{}/{}`", a.file.shown, b.lang, super::out_path(&b.key)),
                )
                .with_help("rename or remove one of them"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse("title = {uk = \"О\", en = \"O\"}\n").unwrap()
    }

    /// A content folder with one page titled "A": its path and its file list.
    fn one_page(dir: &std::path::Path) -> (PathBuf, BTreeMap<String, SourceFile>) {
        let abs = dir.join("content/_index.md");
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(&abs, "+++\ntitle = \"A\"\n+++\n").unwrap();
        let file = SourceFile { rel: "content/_index.md".into(), abs: abs.clone(), shown: "content/_index.md".into() };
        (abs, [(file.rel.clone(), file)].into())
    }

    #[test]
    fn sites_of_one_run_share_parsed_files() {
        let dir = tempfile::tempdir().unwrap();
        let (abs, files) = one_page(dir.path());
        let cache = ParseCache::default();
        let first = load_pages(&files, &config(), &cache).pages;
        // A second site of the same run reads the parse, not the file again.
        std::fs::write(&abs, "+++\ntitle = \"B\"\n+++\n").unwrap();
        let second = load_pages(&files, &config(), &cache).pages;
        assert_eq!((first[0].fm.title.as_str(), second[0].fm.title.as_str()), ("A", "A"));
        let fresh = load_pages(&files, &config(), &ParseCache::default()).pages;
        assert_eq!(fresh[0].fm.title, "B");
    }

    #[test]
    fn the_cache_lets_go_once_every_site_has_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let (_, files) = one_page(dir.path());
        let cache = ParseCache::for_sites(2);
        let (first, second) = (cache.user(), cache.user());
        let pages = load_pages(&files, &config(), &cache).pages;
        drop(first);
        assert_eq!(cache.files.lock().unwrap().len(), 1, "one site still to load");
        drop(second);
        assert!(cache.files.lock().unwrap().is_empty());
        assert_eq!(pages[0].fm.title, "A", "pages keep their text");
    }

    #[test]
    fn identity_of_files() {
        let c = config();
        assert_eq!(identity("content/_index.md", &c).unwrap(), ("".into(), "uk".into(), true));
        assert_eq!(identity("content/about/_index.en.md", &c).unwrap(), ("about".into(), "en".into(), true));
        assert_eq!(identity("content/about/x-y.md", &c).unwrap(), ("about/x-y".into(), "uk".into(), false));
        assert!(identity("content/about/x.de.md", &c).is_err());
        assert!(identity("content/Про/x.md", &c).is_err());
    }
}

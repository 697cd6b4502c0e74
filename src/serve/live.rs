//! Rebuilding the preview after an edit without starting over.
//!
//! The preview server keeps the last site that built without errors ([`LiveSite`]). When the
//! only changes are to existing Markdown pages, the site is updated in place: those pages are
//! parsed, rendered and checked again, and only what shows them is written anew.
//!
//! * An edit below the front matter that cites the same standards: the page itself (and its
//!   fallback copies in languages without a translation), the print document or standards
//!   compendium it is part of, and the search files of its languages whose bytes changed.
//! * A front matter edit (title, description, weight, template, standards cited) or a change of
//!   the standards cited: every page whose surroundings changed — navigation, breadcrumbs,
//!   neighbours, children, backlinks, the standards matrix — found by comparing what each page
//!   shows apart from its body before and after; plus the pages made from the whole site (print
//!   documents, forms, search page, 404) and the search files that changed.
//!
//! Everything else takes a full build: new, removed or renamed files, drafts, aliases, the front
//! matter of a standard (its ids are what links are checked against), forms, data, themes and
//! configuration.
//!
//! The result is the same, byte for byte, as a full build of the same input.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::build::{BuildReport, Kept};
use crate::content::Page;
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::{self, OutFile, RenderContext};
use crate::site::PageData;

/// A built site kept in memory together with the folder it was written to.
pub struct LiveSite {
    kept: Kept,
    root: PathBuf,
    out: PathBuf,
    /// Search files last written, by output path, with a hash of their bytes.
    search: BTreeMap<String, u64>,
    /// What each page shows apart from its body, by (key, language) (see
    /// [`render::surroundings`]); worked out at the first edit that needs it.
    surroundings: Option<HashMap<(String, String), u64>>,
}

/// What [`LiveSite::update`] did.
pub enum Update {
    /// The site in the folder is up to date (or, if the report has errors, unchanged).
    Done(BuildReport),
    /// The changes reach beyond page bodies; the reason is for the terminal.
    NeedsFullBuild(String),
}

/// One page read again, before it replaces the kept one.
struct Edited {
    id: (String, String),
    data: PageData,
    /// What rendering it found: bad links, unknown standards.
    problems: Vec<Diagnostic>,
    /// Whether other pages may show it differently: its front matter or citations changed.
    structural: bool,
}

impl LiveSite {
    /// `kept` is what the build of `root` left in memory, written to `out`.
    pub fn new(mut kept: Kept, root: &Path, out: &Path) -> LiveSite {
        let search = std::mem::take(&mut kept.search_files);
        LiveSite { kept, root: root.to_path_buf(), out: out.to_path_buf(), search, surroundings: None }
    }

    /// The folder the site is in.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Brings the site up to date after `changed` (paths relative to the portal root, including
    /// ones that no longer exist). On errors nothing is written and the kept site stays as it
    /// was, so the same changes can be applied again once they are fixed.
    pub fn update(&mut self, changed: &[String]) -> Update {
        let started = Instant::now();
        let edited = match self.reread(changed) {
            Ok(e) => e,
            Err(reason) => return Update::NeedsFullBuild(reason),
        };
        let mut report = BuildReport::default();
        let structural = edited.iter().any(|e| e.structural);
        if structural && self.surroundings.is_none() {
            self.surroundings = Some(all_surroundings(&self.kept, &render::trees(&self.kept.site)));
        }
        let mut diags = Diagnostics::default();
        let edited: Vec<Edited> = edited
            .into_iter()
            .map(|mut e| {
                diags.extend(std::mem::take(&mut e.problems));
                e
            })
            .collect();
        let previous = self.swap_in(edited);
        let pages = &self.kept.site.pages;
        crate::build::check::check_fragments(pages.values(), &self.kept.site.config.default_language, &mut diags);
        report.stages.push(("parse", started.elapsed().as_secs_f64()));
        if diags.has_errors() {
            self.swap_in(
                previous
                    .into_iter()
                    .map(|(id, data)| Edited { id, data, problems: Vec::new(), structural: false })
                    .collect(),
            );
            report.diagnostics = diags;
            report.seconds = started.elapsed().as_secs_f64();
            return Update::Done(report);
        }
        report.diagnostics = diags;
        let ids: Vec<(String, String)> = previous.into_iter().map(|(id, _)| id).collect();
        match self.write_pages(&ids, structural, &mut report) {
            Ok(()) => {}
            Err(problems) => report.diagnostics.extend(problems),
        }
        report.seconds = started.elapsed().as_secs_f64();
        Update::Done(report)
    }

    /// Reads the changed page files again; `Err` when a change is not to a page body.
    fn reread(&self, changed: &[String]) -> Result<Vec<Edited>, String> {
        let site = &self.kept.site;
        let mut edited = Vec::new();
        for rel in changed {
            let abs = self.root.join(rel);
            let sources: Vec<(&(String, String), &PageData)> =
                site.pages.iter().filter(|(_, d)| d.page.file.abs == abs).collect();
            if sources.is_empty() {
                // Editors' temporary files come and go within a save; anything else is new.
                if abs.exists() {
                    return Err(format!("{rel} is not one of the site's pages"));
                }
                continue;
            }
            for (id, old) in sources {
                let page = crate::content::reload(&old.page).map_err(|_| format!("{rel} no longer reads"))?;
                let new_front_matter = front_matter(&page) != front_matter(&old.page);
                if new_front_matter {
                    check_front_matter_edit(&old.page, &page).map_err(|what| format!("{what} in {rel}"))?;
                }
                let (data, problems) = crate::build::check::render_page_markdown(site, &site.keys, page);
                let structural = new_front_matter || data.cites != old.cites;
                edited.push(Edited { id: id.clone(), data, problems, structural });
            }
        }
        if edited.is_empty() {
            return Err("no page text changed".to_string());
        }
        Ok(edited)
    }

    /// Puts the edited pages into the site and returns the ones they replace.
    fn swap_in(&mut self, edited: Vec<Edited>) -> Vec<((String, String), PageData)> {
        let pages = &mut self.kept.site.pages;
        edited.into_iter().filter_map(|e| pages.insert(e.id.clone(), e.data).map(|old| (e.id, old))).collect()
    }

    /// Renders and writes everything that shows the text of the pages `ids`.
    fn write_pages(
        &mut self,
        ids: &[(String, String)],
        structural: bool,
        report: &mut BuildReport,
    ) -> Result<(), Vec<Diagnostic>> {
        let started = Instant::now();
        let trees = render::trees(&self.kept.site);
        let shown = self.pages_to_show(ids, structural, &trees);
        let files = self.render_shown(&shown, structural, &trees);
        if !structural {
            self.remember_surroundings(&shown, &trees);
        }
        let mut files = files_or_problems(files)?;
        report.stages.push(("render", started.elapsed().as_secs_f64()));
        let started = Instant::now();
        let stale = self.search_files(&shown, structural, &trees, &mut files)?;
        report.stages.push(("index", started.elapsed().as_secs_f64()));
        let started = Instant::now();
        self.write_files(&files, stale, report)?;
        report.stages.push(("write", started.elapsed().as_secs_f64()));
        Ok(())
    }

    /// The pages, by (key, language), that show one of `ids` as their own text, and, after a
    /// `structural` change, those whose surroundings changed.
    fn pages_to_show(
        &mut self,
        ids: &[(String, String)],
        structural: bool,
        trees: &render::Trees,
    ) -> BTreeSet<(String, String)> {
        let mut shown: BTreeSet<(String, String)> = BTreeSet::new();
        if structural {
            let now = all_surroundings(&self.kept, trees);
            let before = self.surroundings.as_ref();
            shown.extend(
                now.iter().filter(|(id, h)| before.and_then(|b| b.get(*id)) != Some(*h)).map(|(id, _)| id.clone()),
            );
            self.surroundings = Some(now);
        }
        let site = &self.kept.site;
        for (key, lang) in ids {
            if let Some(cache) = &site.print_bodies {
                cache.forget(key, lang);
            }
            for l in &site.config.languages {
                let own = site.page_for(key, l).is_some_and(|(d, _)| d.page.key == *key && d.page.lang == *lang);
                if own {
                    shown.insert((key.clone(), l.clone()));
                }
            }
        }
        shown
    }

    /// Renders the pages in `shown`, in parallel, with the pages made from the whole site after a
    /// `structural` change, or else the print documents that hold the shown pages.
    fn render_shown(
        &self,
        shown: &BTreeSet<(String, String)>,
        structural: bool,
        trees: &render::Trees,
    ) -> Vec<Result<OutFile, Diagnostic>> {
        let Kept { site, tera, assets, .. } = &self.kept;
        let mut files: Vec<Result<OutFile, Diagnostic>> = shown
            .par_iter()
            .map(|(key, l)| {
                render::render_page(&RenderContext { site, tera, tree: &trees[l.as_str()], lang: l, assets }, key)
            })
            .collect();
        if structural {
            let langs = &site.config.languages;
            files.par_extend(langs.par_iter().flat_map_iter(|l| {
                flatten(render::generated_pages(&RenderContext {
                    site,
                    tera,
                    tree: &trees[l.as_str()],
                    lang: l,
                    assets,
                }))
            }));
            files.extend(flatten(render::root_pages(site, trees, tera, assets)));
        } else {
            let prints: BTreeSet<(&str, bool)> =
                shown.iter().map(|(k, l)| (l.as_str(), k.starts_with("standards/"))).collect();
            files.par_extend(prints.par_iter().map(|(l, standards)| {
                render::print_file(&RenderContext { site, tera, tree: &trees[*l], lang: l, assets }, *standards)
            }));
        }
        files
    }

    /// Records the surroundings of the pages in `shown` as they are now, once they are known.
    fn remember_surroundings(&mut self, shown: &BTreeSet<(String, String)>, trees: &render::Trees) {
        let Kept { site, assets, .. } = &self.kept;
        if let Some(known) = self.surroundings.as_mut() {
            for (key, l) in shown {
                known.insert((key.clone(), l.clone()), render::surroundings(site, &trees[l.as_str()], assets, l, key));
            }
        }
    }

    /// Makes the search index again for the languages of `shown` (all of them after a `structural`
    /// change) with their search pages, and adds to `files` what changed; returns the paths of
    /// the search files that are no longer made.
    fn search_files(
        &mut self,
        shown: &BTreeSet<(String, String)>,
        structural: bool,
        trees: &render::Trees,
        files: &mut Vec<OutFile>,
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        let Kept { site, tera, assets, .. } = &self.kept;
        let langs: BTreeSet<String> = match structural {
            true => site.config.languages.iter().cloned().collect(),
            false => shown.iter().map(|(_, l)| l.clone()).collect(),
        };
        let search: Vec<OutFile> =
            langs.par_iter().flat_map_iter(|l| render::search_index_of(site, &trees[l.as_str()], l)).collect();
        // A language's search page carries its manifest: made again with its index.
        for l in &langs {
            let cx = RenderContext { site, tera, tree: &trees[l.as_str()], lang: l, assets };
            files.push(render::search_page(&cx, render::manifest_of(&search, l)).map_err(|d| vec![d])?);
        }
        Ok(self.changed_search_files(&langs, search, files))
    }

    /// Writes `files` into the folder, removes the `stale` ones, and writes the offline copy's
    /// lists that changed with them.
    fn write_files(
        &self,
        files: &[OutFile],
        stale: Vec<String>,
        report: &mut BuildReport,
    ) -> Result<(), Vec<Diagnostic>> {
        let copy =
            crate::offline::CopySite { prefix: String::new(), languages: self.kept.site.config.languages.clone() };
        report.files_written = files.len();
        let written: Result<(), Diagnostic> = files.par_iter().try_for_each(|f| write_in_place(&self.out, f));
        written.map_err(|d| vec![d])?;
        for path in stale {
            let _ = std::fs::remove_file(self.out.join(path));
        }
        // The offline copy's lists follow the files as they now are (those of unchanged files
        // are taken from the lists before), so a copy saved from the preview is whole.
        let (lists, problems) = crate::offline::copy_lists(&self.out, Some(&self.out), &[copy]);
        if !problems.is_empty() {
            return Err(problems);
        }
        let changed: Vec<&OutFile> =
            lists.iter().filter(|f| std::fs::read(self.out.join(&f.path)).ok().as_ref() != Some(&f.bytes)).collect();
        report.files_written += changed.len();
        let written: Result<(), Diagnostic> = changed.into_iter().try_for_each(|f| write_in_place(&self.out, f));
        written.map_err(|d| vec![d])
    }

    /// Moves the search files of `langs` whose bytes changed into `files`, and returns the paths
    /// of the ones that are no longer made.
    fn changed_search_files(
        &mut self,
        langs: &BTreeSet<String>,
        search: Vec<OutFile>,
        files: &mut Vec<OutFile>,
    ) -> Vec<String> {
        let prefixes: Vec<String> = langs.iter().map(|l| format!("{l}/search/")).collect();
        let mut old: BTreeSet<String> =
            self.search.keys().filter(|p| prefixes.iter().any(|x| p.starts_with(x.as_str()))).cloned().collect();
        for f in search {
            old.remove(&f.path);
            let hash = crate::output::content_hash(&f.bytes);
            if self.search.insert(f.path.clone(), hash) != Some(hash) {
                files.push(f);
            }
        }
        for gone in &old {
            self.search.remove(gone);
        }
        old.into_iter().collect()
    }
}

/// The front matter as written: any change to it may change what other pages show.
fn front_matter(page: &Page) -> &str {
    &page.text[..page.body_start]
}

/// A front matter edit the site can take in place, or what needs a full build.
fn check_front_matter_edit(old: &Page, new: &Page) -> Result<(), &'static str> {
    if old.is_standard() {
        Err("the front matter of a standard changed")
    } else if new.fm.draft {
        Err("a page became a draft")
    } else if new.fm.aliases != old.fm.aliases {
        Err("aliases changed")
    } else {
        Ok(())
    }
}

/// [`render::surroundings`] of every page in every language.
fn all_surroundings(kept: &Kept, trees: &render::Trees) -> HashMap<(String, String), u64> {
    let site = &kept.site;
    let jobs: Vec<(&String, &String)> =
        site.config.languages.iter().flat_map(|l| site.keys.iter().map(move |k| (k, l))).collect();
    jobs.par_iter()
        .map(|(k, l)| {
            let hash = render::surroundings(site, &trees[l.as_str()], &kept.assets, l, k);
            (((*k).clone(), (*l).clone()), hash)
        })
        .collect()
}

/// The files, or, when any failed to render, every problem found.
fn files_or_problems(files: Vec<Result<OutFile, Diagnostic>>) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let (files, problems): (Vec<_>, Vec<_>) = files.into_iter().partition(Result::is_ok);
    if !problems.is_empty() {
        return Err(problems.into_iter().filter_map(Result::err).collect());
    }
    Ok(files.into_iter().filter_map(Result::ok).collect())
}

fn flatten<T>(r: Result<Vec<T>, Diagnostic>) -> Vec<Result<T, Diagnostic>> {
    match r {
        Ok(v) => v.into_iter().map(Ok).collect(),
        Err(d) => vec![Err(d)],
    }
}

/// Writes through a temporary file and a rename, so a request never reads half a file.
fn write_in_place(out: &Path, f: &OutFile) -> Result<(), Diagnostic> {
    let path = out.join(&f.path);
    let fail = |e: std::io::Error| Diagnostic::file_error(&path.display().to_string(), e.to_string());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, &f.bytes).map_err(fail)?;
    std::fs::rename(&tmp, &path).map_err(fail)
}

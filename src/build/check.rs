//! The checks of a build: each page's Markdown rendered with its links, citations, aliases and
//! fragments checked, and the checks across the resolved site made once everything is parsed
//! (standards nothing cites, translations that cite other standards than their original).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::content::Page;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{self, Options};
use crate::render::links::{Links, Mode};
use crate::site::{PageData, Site};

/// Renders every page's Markdown once, in parallel; problems become positioned diagnostics.
/// `link_keys` are the pages links may point to: every page that loaded, and those whose front
/// matter failed (so one mistake is reported once, not again at every link to it).
pub(super) fn render_markdown(
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
        statistics: &site.statistics,
        from_key: &page.key,
        from_dir: &from_dir,
        lang: &page.lang,
        default_language: &site.config.default_language,
        mode: Mode::Pages { pretty_urls: site.config.pretty_urls },
        cited: Default::default(),
        unchecked: Default::default(),
        verified: site.i18n.t_marked(&page.lang, "contacts.verified"),
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

/// Standards and requirements that no guidance page and no form cites.
pub fn uncited_standards(site: &Site) -> Vec<Diagnostic> {
    let mut cited: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // The standards section itself links every standard: it covers nothing.
    for data in site.pages.values().filter(|d| !d.page.key.starts_with("standards")) {
        cited.extend(data.cites.iter().cloned());
    }
    for form in &site.forms {
        for c in form.citations() {
            cited.insert(c.standard.clone());
            if let Some(r) = &c.requirement {
                cited.insert(format!("{}#{r}", c.standard));
            }
        }
    }
    let mut out = Vec::new();
    let default = &site.config.default_language;
    for s in site.standards.standards.values() {
        let file = site
            .pages
            .get(&(s.key.clone(), default.clone()))
            .map(|d| d.page.file.shown.clone())
            .unwrap_or_else(|| format!("content/{}.md", s.key));
        if !cited.contains(&s.id) {
            out.push(
                Diagnostic::file_error(&file, format!("standard `{}` is cited by no guidance page and no form", s.id))
                    .warning(),
            );
            continue;
        }
        let uncited: Vec<&str> =
            s.requirements.iter().filter(|r| !cited.contains(&format!("{}#{r}", s.id))).map(String::as_str).collect();
        if !uncited.is_empty() {
            out.push(
                Diagnostic::file_error(
                    &file,
                    format!("no page or form cites requirement(s) {} of `{}` directly", uncited.join(", "), s.id),
                )
                .with_help(format!(
                    "cite one with [text](std:{}#{}) or standards = [\"{}#{}\"]",
                    s.id, uncited[0], s.id, uncited[0]
                ))
                .warning(),
            );
        }
    }
    out
}

/// A page and its translation should cite the same standards.
pub fn translation_mismatches(site: &Site) -> Vec<Diagnostic> {
    let default = &site.config.default_language;
    let ids = |d: &PageData| -> std::collections::BTreeSet<String> {
        d.cites.iter().filter(|c| !c.contains('#')).cloned().collect()
    };
    let mut out = Vec::new();
    for ((key, lang), data) in &site.pages {
        if lang == default || data.page.is_standard() {
            continue;
        }
        let Some(original) = site.pages.get(&(key.clone(), default.clone())) else { continue };
        let (here, there) = (ids(data), ids(original));
        if here != there {
            let only_there: Vec<&String> = there.difference(&here).collect();
            let only_here: Vec<&String> = here.difference(&there).collect();
            out.push(
                Diagnostic::file_error(
                    &data.page.file.shown,
                    format!(
                        "cites other standards than `{}` (missing here: {:?}; only here: {:?})",
                        original.page.file.shown, only_there, only_here
                    ),
                )
                .warning(),
            );
        }
    }
    out
}

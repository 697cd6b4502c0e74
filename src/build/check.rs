//! Checks across the resolved site, made once everything is parsed: standards nothing cites, and
//! translations that cite other standards than their original.

use crate::diag::Diagnostic;
use crate::site::{PageData, Site};

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

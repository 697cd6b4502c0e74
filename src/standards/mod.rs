//! The state programme's standards: a registry built from `content/standards/*.md`, used to
//! resolve `std:` links and `standards = […]` citations, and to compute backlinks and the
//! traceability matrix.

use std::collections::BTreeMap;

use crate::content::Page;
use crate::diag::Diagnostic;

pub const AREAS: [&str; 6] = ["prevention", "identification", "protection", "reintegration", "coordination", "data"];

#[derive(Debug, Clone)]
pub struct Standard {
    pub id: String,
    /// The page key, e.g. `standards/id-2-1`.
    pub key: String,
    pub area: String,
    pub requirements: Vec<String>,
    /// `example = true` in the default-language page: a made-up standard, marked as an example.
    pub example: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub standards: BTreeMap<String, Standard>,
}

impl Registry {
    /// Builds the registry from the default-language standards pages; translations must agree on
    /// the id and the requirement ids.
    pub fn build(pages: &[Page], default_language: &str) -> (Registry, Vec<Diagnostic>) {
        let mut reg = Registry::default();
        let mut problems = Vec::new();
        let mut standard_pages: Vec<&Page> = pages.iter().filter(|p| p.is_standard() && !p.is_section).collect();
        standard_pages.sort_by_key(|p| (p.lang != default_language, p.file.rel.clone()));
        for page in standard_pages {
            let offset = crate::content::front_offset(page);
            let at = |span: std::ops::Range<usize>, msg: String| {
                Diagnostic::at(&page.file.shown, &page.text, offset + span.start..offset + span.end, msg)
            };
            let Some(id) = &page.fm.id else {
                problems
                    .push(Diagnostic::file_error(&page.file.shown, "a standard needs an `id`, e.g. `id = \"ID-2.1\"`"));
                continue;
            };
            let area = page.fm.area.as_ref().map(|a| a.get_ref().clone()).unwrap_or_default();
            if let Some(a) = &page.fm.area {
                if !AREAS.contains(&a.get_ref().as_str()) {
                    problems.push(
                        at(a.span(), format!("unknown area `{}`", a.get_ref()))
                            .with_help(format!("areas: {}", AREAS.join(", "))),
                    );
                }
            } else {
                problems.push(
                    at(id.span(), "a standard needs an `area`".into())
                        .with_help(format!("areas: {}", AREAS.join(", "))),
                );
            }
            let reqs: Vec<String> = page.fm.requirements.iter().map(|r| r.id.get_ref().clone()).collect();
            for (i, r) in page.fm.requirements.iter().enumerate() {
                if reqs[..i].contains(r.id.get_ref()) {
                    problems.push(at(r.id.span(), format!("requirement `{}` is defined twice", r.id.get_ref())));
                }
            }
            match reg.standards.get(id.get_ref()) {
                Some(existing) if existing.key != page.key => {
                    problems.push(at(
                        id.span(),
                        format!("standard `{}` is already defined in `content/{}`", id.get_ref(), existing.key),
                    ));
                }
                Some(existing) => {
                    if existing.requirements != reqs {
                        problems.push(at(
                            id.span(),
                            format!(
                                "the requirements of `{}` differ from the {} version ({})",
                                id.get_ref(),
                                default_language,
                                existing.requirements.join(", ")
                            ),
                        ));
                    }
                }
                None => {
                    reg.standards.insert(
                        id.get_ref().clone(),
                        Standard {
                            id: id.get_ref().clone(),
                            key: page.key.clone(),
                            area,
                            requirements: reqs,
                            example: page.fm.example,
                        },
                    );
                }
            }
        }
        (reg, problems)
    }

    /// Checks a citation; the error message names what is known.
    pub fn check(&self, id: &str, requirement: Option<&str>) -> Result<&Standard, String> {
        let Some(s) = self.standards.get(id) else {
            let known: Vec<&str> = self.standards.keys().map(String::as_str).collect();
            return Err(format!("unknown standard `{id}` (known: {})", known.join(", ")));
        };
        if let Some(r) = requirement {
            if !s.requirements.iter().any(|x| x == r) {
                return Err(format!(
                    "standard `{id}` has no requirement `{r}` (it has: {})",
                    s.requirements.join(", ")
                ));
            }
        }
        Ok(s)
    }
}

/// Splits `ID-2.1#b` into the standard and the requirement.
pub fn split_ref(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((id, r)) => (id, Some(r)),
        None => (s, None),
    }
}

/// The anchor of a requirement on its standard's page.
pub fn requirement_anchor(req: &str) -> String {
    format!("req-{req}")
}

/// What `oberih check` says about coverage: standards and requirements nothing cites, and pages
/// whose translation cites different standards than the original.
pub fn coverage_warnings(site: &crate::render::Site) -> Vec<Diagnostic> {
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
    out.extend(translation_mismatches(site));
    out
}

/// A page and its translation should cite the same standards.
fn translation_mismatches(site: &crate::render::Site) -> Vec<Diagnostic> {
    let default = &site.config.default_language;
    let ids = |d: &crate::render::PageData| -> std::collections::BTreeSet<String> {
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

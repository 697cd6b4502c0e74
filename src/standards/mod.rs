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

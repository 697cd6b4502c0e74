//! The state programme's standards: a registry built from `content/standards/*.md`, used to
//! resolve `std:` links and `standards = […]` citations, and to compute backlinks and the
//! traceability matrix.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

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
            reg.add_page(page, default_language, &mut problems);
        }
        (reg, problems)
    }

    /// Adds the standard a page defines, or checks the page against the standard of the same id
    /// met before; what is wrong goes to `problems`, at its place in the front matter.
    fn add_page(&mut self, page: &Page, default_language: &str, problems: &mut Vec<Diagnostic>) {
        let offset = crate::content::front_offset(page);
        let at = |span: Range<usize>, msg: String| {
            Diagnostic::at(&page.file.shown, &page.text, offset + span.start..offset + span.end, msg)
        };
        let Some(id) = &page.fm.id else {
            problems.push(Diagnostic::file_error(&page.file.shown, "a standard needs an `id`, e.g. `id = \"ID-2.1\"`"));
            return;
        };
        if let Some((span, msg)) = area_problem(page.fm.area.as_ref(), id.span()) {
            problems.push(at(span, msg).with_help(format!("areas: {}", AREAS.join(", "))));
        }
        let reqs: Vec<String> = page.fm.requirements.iter().map(|r| r.id.get_ref().clone()).collect();
        for (i, r) in page.fm.requirements.iter().enumerate() {
            if reqs[..i].contains(r.id.get_ref()) {
                problems.push(at(r.id.span(), format!("requirement `{}` is defined twice", r.id.get_ref())));
            }
        }
        let standard = Standard {
            id: id.get_ref().clone(),
            key: page.key.clone(),
            area: page.fm.area.as_ref().map(|a| a.get_ref().clone()).unwrap_or_default(),
            requirements: reqs,
            example: page.fm.example,
        };
        if let Some(msg) = self.add(standard, default_language) {
            problems.push(at(id.span(), msg));
        }
    }

    /// Adds `standard`, or, when its id is taken, says how it differs from the standard there
    /// (defined on another page, or with other requirements than the default-language page).
    fn add(&mut self, standard: Standard, default_language: &str) -> Option<String> {
        match self.standards.get(&standard.id) {
            Some(existing) if existing.key != standard.key => {
                Some(format!("standard `{}` is already defined in `content/{}`", standard.id, existing.key))
            }
            Some(existing) if existing.requirements != standard.requirements => Some(format!(
                "the requirements of `{}` differ from the {} version ({})",
                standard.id,
                default_language,
                existing.requirements.join(", ")
            )),
            Some(_) => None,
            None => {
                self.standards.insert(standard.id.clone(), standard);
                None
            }
        }
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

/// What is wrong with a standard's area, and where: an unknown one at itself, a missing one at
/// the standard's id.
fn area_problem(area: Option<&Spanned<String>>, id_span: Range<usize>) -> Option<(Range<usize>, String)> {
    match area {
        Some(a) if AREAS.contains(&a.get_ref().as_str()) => None,
        Some(a) => Some((a.span(), format!("unknown area `{}`", a.get_ref()))),
        None => Some((id_span, "a standard needs an `area`".into())),
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

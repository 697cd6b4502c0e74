//! Views for the standards: each standard's page (requirements with anchors, backlinks), the
//! index grouped by area with the traceability matrix, and the printable compendium.

use serde::Serialize;

use super::links::relative_href;
use super::nav::Link;
use crate::forms::CitationKind;
use crate::site::Site;
use crate::standards::{requirement_anchor, AREAS};

/// What cites one standard, as links seen from `from_key`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Backlinks {
    pub guidance: Vec<Link>,
    pub questions: Vec<Link>,
    pub indicators: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    pub id: String,
    pub anchor: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandardView {
    pub id: String,
    /// Its id inside the compendium (`std-id-2-1`); its requirements' ids follow it with `-req-a`.
    pub compendium_id: String,
    pub title: String,
    /// The language of the standard's text (the default language's when not translated yet).
    pub lang: String,
    pub href: String,
    pub area: String,
    pub area_label: String,
    pub responsible: Vec<String>,
    pub legal_basis: String,
    pub example: bool,
    pub requirements: Vec<RequirementView>,
    pub backlinks: Backlinks,
    /// What each form cites of this standard, in the order of [`matrix_forms`]: the matrix's
    /// cells, short enough for a table.
    pub by_form: Vec<Vec<MatrixItem>>,
    pub html: String,
}

/// One question or indicator in a matrix cell: the form is named once, in the column head.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixItem {
    /// The question's number, none for an indicator.
    pub number: Option<u32>,
    pub indicator: bool,
    /// The first words of the label.
    pub short: String,
    /// The whole label.
    pub label: String,
    pub href: String,
}

/// A form that heads a column of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixForm {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub id: String,
    pub label: String,
    pub standards: Vec<StandardView>,
}

/// Guidance pages (not standards) whose version in `lang` cites `id`, in navigation order.
fn citing_pages(site: &Site, lang: &str, id: &str, from_key: &str, order: &[String]) -> Vec<Link> {
    order
        .iter()
        .filter(|k| !k.starts_with("standards"))
        .filter_map(|k| site.page_for(k, lang).map(|(d, _)| (k, d)))
        .filter(|(_, d)| d.cites.contains(id))
        .map(|(k, d)| Link {
            title: d.page.fm.title.clone(),
            href: relative_href(from_key, k, site.config.pretty_urls),
            lang: d.page.lang.clone(),
        })
        .collect()
}

/// Form questions and indicators that cite `id`, linked to their place on the paper form.
fn citing_form_items(site: &Site, lang: &str, id: &str, from_key: &str) -> (Vec<Link>, Vec<Link>) {
    let up = "../".repeat(crate::content::depth(from_key));
    let (mut questions, mut indicators) = (Vec::new(), Vec::new());
    for form in &site.forms {
        for c in form.citations().into_iter().filter(|c| c.standard == id) {
            let label = crate::forms::form::text(&c.label, lang).to_string();
            let form_title = form.title(lang);
            match c.kind {
                CitationKind::Question => questions.push(Link {
                    title: match c.number {
                        Some(n) => format!("{form_title}, {n}. {label}"),
                        None => format!("{form_title}: {label}"),
                    },
                    href: format!("{up}forms/{}/print.html#pf-q-{}", form.id, c.item_id),
                    lang: lang.to_string(),
                }),
                CitationKind::Indicator => indicators.push(Link {
                    title: format!("{form_title}: {label}"),
                    href: format!("{up}forms/{}/print.html#pf-i-{}", form.id, c.item_id),
                    lang: lang.to_string(),
                }),
                CitationKind::Form => {}
            }
        }
    }
    (questions, indicators)
}

/// Labels longer than this many characters are cut at a word in the matrix.
const SHORT_LABEL: usize = 48;

/// The first words of `label`, at most [`SHORT_LABEL`] characters, with "…" when cut.
pub fn short_label(label: &str) -> String {
    if label.chars().count() <= SHORT_LABEL {
        return label.to_string();
    }
    let mut out = String::new();
    for word in label.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > SHORT_LABEL && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '.', '—', '–', ' ']);
    format!("{trimmed}…")
}

/// The forms as columns of the matrix, in the site's order.
pub fn matrix_forms(site: &Site, lang: &str) -> Vec<MatrixForm> {
    site.forms.iter().map(|f| MatrixForm { id: f.id.clone(), title: f.title(lang).to_string() }).collect()
}

/// The questions and indicators of each form that cite `id`, one list per form.
fn matrix_cells(site: &Site, lang: &str, id: &str, from_key: &str) -> Vec<Vec<MatrixItem>> {
    let up = "../".repeat(crate::content::depth(from_key));
    site.forms
        .iter()
        .map(|form| {
            let cites = form.citations().into_iter().filter(|c| c.standard == id);
            cites
                .filter_map(|c| {
                    let label = crate::fallback::strip(crate::forms::form::text(&c.label, lang)).into_owned();
                    let (indicator, anchor) = match c.kind {
                        CitationKind::Question => (false, "q"),
                        CitationKind::Indicator => (true, "i"),
                        CitationKind::Form => return None,
                    };
                    Some(MatrixItem {
                        number: c.number,
                        indicator,
                        short: short_label(&label),
                        href: format!("{up}forms/{}/print.html#pf-{anchor}-{}", form.id, c.item_id),
                        label,
                    })
                })
                .collect()
        })
        .collect()
}

/// Every standard as seen from the page `from_key` in `lang`, in the order of `order`.
pub fn standard_views(site: &Site, lang: &str, from_key: &str, order: &[String]) -> Vec<StandardView> {
    let mut out = Vec::new();
    for key in order.iter().filter(|k| k.starts_with("standards/")) {
        let Some((data, _)) = site.page_for(key, lang) else { continue };
        let fm = &data.page.fm;
        let Some(id) = fm.id.as_ref().map(|i| i.get_ref().clone()) else { continue };
        let area = fm.area.as_ref().map(|a| a.get_ref().clone()).unwrap_or_default();
        let (questions, indicators) = citing_form_items(site, lang, &id, from_key);
        out.push(StandardView {
            compendium_id: super::links::compendium_anchor(&id, None).trim_start_matches('#').to_string(),
            title: fm.title.clone(),
            lang: data.page.lang.clone(),
            href: relative_href(from_key, key, site.config.pretty_urls),
            area_label: site.i18n.t_marked(lang, &format!("standards.areas.{area}")),
            area,
            responsible: fm.responsible.clone(),
            legal_basis: fm.legal_basis.clone().unwrap_or_default(),
            example: site.standards.standards.get(&id).is_some_and(|s| s.example),
            requirements: fm
                .requirements
                .iter()
                .map(|r| RequirementView {
                    id: r.id.get_ref().clone(),
                    anchor: requirement_anchor(r.id.get_ref()),
                    text: r.text.clone(),
                })
                .collect(),
            backlinks: Backlinks { guidance: citing_pages(site, lang, &id, from_key, order), questions, indicators },
            by_form: matrix_cells(site, lang, &id, from_key),
            html: data.rendered.html.clone(),
            id,
        });
    }
    out
}

/// Standards grouped by area, in the fixed order of areas.
pub fn by_area(site: &Site, lang: &str, standards: Vec<StandardView>) -> Vec<AreaView> {
    AREAS
        .iter()
        .map(|a| AreaView {
            id: a.to_string(),
            label: site.i18n.t_marked(lang, &format!("standards.areas.{a}")),
            standards: standards.iter().filter(|s| s.area == *a).cloned().collect(),
        })
        .filter(|a| !a.standards.is_empty())
        .collect()
}

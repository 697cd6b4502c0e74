//! What templates see: plain serialisable views built from the site model. Links in a view are
//! already relative to the page it belongs to.

use serde::Serialize;

use super::links::relative_href;
use super::nav::{Entry, Link, Node, Tree};
use super::Assets;
use crate::content::depth;
use crate::markdown::TocEntry;
use crate::site::Site;

#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub href: String,
    pub description: String,
    pub lang: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LangLink {
    pub code: String,
    pub name: String,
    pub href: String,
    pub current: bool,
    /// "Choose a language" in that language (used by the chooser).
    pub choose: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub id: String,
    pub title: String,
    pub href: String,
    pub lang: String,
    pub example: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct PageBody {
    pub title: String,
    pub description: String,
    /// The rendered Markdown; for a content page, [`PAGE_BODY`], which stands for it until the
    /// page is finished (see `render::render_page`).
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub is_fallback: bool,
    /// The language the content is in: the reader's, or the default language for a page not
    /// translated yet (empty for generated pages, whose content is the reader's).
    pub lang: String,
    /// Some parts (interface strings, contacts, form texts) are shown in the default language.
    pub has_fallback_parts: bool,
    pub standards: Vec<Badge>,
}

/// Where a content page's body goes in its rendered template. The body is put in after the
/// template and the security policy, so that neither copies nor scans it.
pub const PAGE_BODY: &str = "<!--oberih-page-body-->";

/// The context of one HTML page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub template: String,
    pub kind: &'static str,
    pub lang: &'a str,
    pub site_title: &'a str,
    /// Relative path from this page to its language folder, and to the output root.
    pub root: String,
    pub site_root: String,
    pub index: &'static str,
    pub assets: &'a Assets,
    pub languages: Vec<LangLink>,
    pub nav_html: String,
    pub crumbs: Vec<Link>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub page: PageBody,
    pub children: Vec<Card>,
    pub search_i18n: String,
    pub extra: serde_json::Value,
}

/// The navigation tree of a language (titles from translations, else the default language).
pub fn tree(site: &Site, lang: &str) -> Tree {
    let entries = site
        .keys
        .iter()
        .filter_map(|k| site.page_for(k, lang))
        .map(|(d, is_fallback)| Entry {
            key: d.page.key.clone(),
            title: d.page.fm.title.clone(),
            description: d.page.fm.description.clone().unwrap_or_default(),
            weight: d.page.fm.weight.unwrap_or(0),
            is_section: d.page.is_section,
            lang: is_fallback.then(|| d.page.lang.clone()),
        })
        .collect();
    Tree::build(entries)
}

/// Generated entries appended to the side navigation.
pub(super) fn nav_extra(site: &Site, lang: &str) -> Vec<(String, String)> {
    let mut extra = Vec::new();
    if !site.form_ids.is_empty() {
        extra.push(("forms".to_string(), site.i18n.t_marked(lang, "forms.index_title")));
    }
    extra
}

fn languages(site: &Site, key: &str, current: &str) -> Vec<LangLink> {
    let up = "../".repeat(depth(key) + 1);
    let file = if site.config.pretty_urls { "" } else { "index.html" };
    site.config
        .languages
        .iter()
        .map(|l| {
            let path = if key.is_empty() { String::new() } else { format!("{key}/") };
            LangLink {
                code: l.clone(),
                name: site.i18n.t(l, "lang.name"),
                href: format!("{up}{l}/{path}{file}"),
                current: l == current,
                choose: site.i18n.t(l, "languages.title"),
            }
        })
        .collect()
}

/// The search UI strings of a language as the JSON island the search client reads.
pub fn search_i18n(i18n: &crate::i18n::I18n, lang: &str) -> String {
    let mut map = serde_json::Map::new();
    for k in ["suggestions", "all_results", "no_results", "loading", "error", "empty", "more"] {
        map.insert(k.into(), i18n.t(lang, &format!("search.{k}")).into());
    }
    for c in ["zero", "one", "two", "few", "many", "other"] {
        let form = i18n.plural_form(lang, "search.results", c).replace("{n}", "{count}");
        map.insert(format!("results_{c}"), form.into());
    }
    // `<` never appears raw inside the script element, whatever the strings hold.
    serde_json::Value::Object(map).to_string().replace('<', "\\u003c")
}

fn base_view<'a>(
    site: &'a Site,
    tree: &Tree,
    lang: &'a str,
    key: &str,
    template: &str,
    kind: &'static str,
    assets: &'a Assets,
) -> PageView<'a> {
    let d = depth(key);
    let pretty = site.config.pretty_urls;
    let more_pages = |n: usize| site.i18n.plural_marked(lang, "nav.more_pages", n as u64);
    PageView {
        template: template.to_string(),
        kind,
        lang,
        site_title: site.config.text(&site.config.title, lang),
        root: "../".repeat(d),
        site_root: "../".repeat(d + 1),
        index: site.index_file(),
        assets,
        languages: languages(site, key, lang),
        nav_html: tree.nav_html(key, pretty, &nav_extra(site, lang), &more_pages),
        crumbs: Vec::new(),
        prev: None,
        next: None,
        page: PageBody::default(),
        children: Vec::new(),
        search_i18n: site.search_strings.get(lang).cloned().unwrap_or_default(),
        extra: serde_json::Value::Null,
    }
}

/// The view of a content page (home, section, page, standard).
pub fn page_view<'a>(site: &'a Site, tree: &Tree, lang: &'a str, key: &str, assets: &'a Assets) -> PageView<'a> {
    let Some((data, is_fallback)) = site.page_for(key, lang) else {
        return base_view(site, tree, lang, key, "page.html", "page", assets);
    };
    let page = &data.page;
    let (template, kind) = match (key.is_empty(), page.is_section) {
        (true, _) => ("home.html", "home"),
        (false, true) => ("section.html", "section"),
        (false, false) => ("page.html", "page"),
    };
    let (template, kind) = match (key == "standards", page.is_standard() && !page.is_section) {
        (true, _) => ("standards_index.html", "standards-index"),
        (_, true) => ("standard.html", "standard"),
        _ => (template, kind),
    };
    let template = page.fm.template.as_ref().map(|t| t.get_ref().as_str()).unwrap_or(template);
    let mut view = base_view(site, tree, lang, key, template, kind, assets);
    let pretty = site.config.pretty_urls;
    let link = |n: &Node| Link {
        title: n.title.clone(),
        href: relative_href(key, &n.key, pretty),
        lang: n.lang.clone().unwrap_or_else(|| lang.to_string()),
    };
    view.crumbs = tree.ancestors(key).into_iter().map(link).collect();
    let (prev, next) = tree.neighbours(key);
    view.prev = prev.map(link);
    view.next = next.map(link);
    if let Some(node) = tree.get(key) {
        view.children = node
            .children
            .iter()
            .map(|&c| &tree.nodes[c])
            .map(|n| {
                let Link { title, href, lang } = link(n);
                Card { title, href, description: n.description.clone(), lang }
            })
            .collect();
    }
    if key.is_empty() && !site.form_ids.is_empty() {
        view.children.push(Card {
            title: site.i18n.t_marked(lang, "forms.index_title"),
            href: relative_href(key, "forms", pretty),
            description: site.i18n.t_marked(lang, "forms.index_intro"),
            lang: lang.to_string(),
        });
    }
    view.page = PageBody {
        title: page.fm.title.clone(),
        description: page.fm.description.clone().unwrap_or_default(),
        html: PAGE_BODY.to_string(),
        toc: data.rendered.toc.clone(),
        is_fallback,
        lang: page.lang.clone(),
        has_fallback_parts: data.has_fallback_parts,
        standards: badges(site, key, lang, page.fm.standards.iter().map(|s| s.get_ref().as_str())),
    };
    view.extra = standards_extra(site, tree, lang, key, kind);
    view
}

/// Badges linking the standards a page cites.
pub fn badges<'a>(site: &Site, from_key: &str, lang: &str, ids: impl Iterator<Item = &'a str>) -> Vec<Badge> {
    ids.filter_map(|id| site.standards.standards.get(id))
        .map(|s| {
            let shown = site.page_for(&s.key, lang);
            Badge {
                id: s.id.clone(),
                title: shown.map(|(d, _)| d.page.fm.title.clone()).unwrap_or_default(),
                href: relative_href(from_key, &s.key, site.config.pretty_urls),
                lang: shown.map_or(lang, |(d, _)| d.page.lang.as_str()).to_string(),
                example: s.example,
            }
        })
        .collect()
}

/// A page that does not come from Markdown (search, forms index, 404).
pub fn generated_view<'a>(
    site: &'a Site,
    tree: &Tree,
    lang: &'a str,
    key: &str,
    template: &str,
    title: String,
    assets: &'a Assets,
) -> PageView<'a> {
    let mut view = base_view(site, tree, lang, key, template, "generated", assets);
    view.page.title = title;
    if !key.is_empty() {
        let home = tree.get("");
        view.crumbs = vec![Link {
            title: home.map(|n| n.title.clone()).unwrap_or_default(),
            href: relative_href(key, "", site.config.pretty_urls),
            lang: home.and_then(|n| n.lang.clone()).unwrap_or_else(|| lang.to_string()),
        }];
    }
    view
}

/// The language chooser at the top of the output.
pub fn chooser_view<'a>(site: &'a Site, assets: &'a Assets) -> serde_json::Value {
    let file = site.index_file();
    let langs: Vec<LangLink> = site
        .config
        .languages
        .iter()
        .map(|l| LangLink {
            code: l.clone(),
            name: site.i18n.t(l, "lang.name"),
            href: format!("{l}/{file}"),
            current: false,
            choose: site.i18n.t(l, "languages.title"),
        })
        .collect();
    serde_json::json!({
        "template": "languages.html",
        "lang": site.config.default_language,
        "site_title": site.config.text(&site.config.title, &site.config.default_language),
        "assets": assets,
        "languages": langs,
    })
}

/// Reading order of a language's keys, for listings that follow the navigation.
pub fn key_order(tree: &Tree) -> Vec<String> {
    tree.order.iter().map(|&i| tree.nodes[i].key.clone()).collect()
}

/// Data for the standards templates: one standard with backlinks, or all of them by area.
fn standards_extra(site: &Site, tree: &Tree, lang: &str, key: &str, kind: &str) -> serde_json::Value {
    if kind != "standard" && kind != "standards-index" {
        return serde_json::Value::Null;
    }
    let order = key_order(tree);
    match kind {
        "standard" => {
            let all = super::standards::standard_views(site, lang, key, &order);
            let this = site.page_for(key, lang).and_then(|(d, _)| d.page.fm.id.as_ref().map(|i| i.get_ref().clone()));
            let found = all.into_iter().find(|s| Some(&s.id) == this.as_ref());
            serde_json::json!({ "standard": found })
        }
        "standards-index" => {
            let all = super::standards::standard_views(site, lang, key, &order);
            let count = all.len();
            let forms = super::standards::matrix_forms(site, lang);
            serde_json::json!({ "areas": super::standards::by_area(site, lang, all), "count": count, "forms": forms })
        }
        _ => serde_json::Value::Null,
    }
}

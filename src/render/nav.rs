//! The navigation tree of one language: sections and pages ordered by weight, then title. From it
//! come the side navigation, breadcrumbs, previous/next links and the print order.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use super::links::relative_href;
use crate::html::escape;

#[derive(Debug, Clone)]
pub struct Node {
    /// What the page is: its key, title, description, weight, whether it is a section, and the
    /// language of its title when it is not the tree's.
    pub entry: Entry,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
}

/// A node reads as its entry: `node.title`, `node.key`.
impl std::ops::Deref for Node {
    type Target = Entry;

    fn deref(&self) -> &Entry {
        &self.entry
    }
}

#[derive(Debug, Clone)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub by_key: BTreeMap<String, usize>,
    /// Every node in reading order (depth first); the home page first.
    pub order: Vec<usize>,
    /// Each node's place in `order` (`usize::MAX` for nodes outside it).
    position: Vec<usize>,
}

/// An entry as the tree is built: key, title, description, weight, is_section, and the
/// language of the title when it is not the tree's.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub title: String,
    pub description: String,
    pub weight: i64,
    pub is_section: bool,
    pub lang: Option<String>,
}

impl Tree {
    /// Builds the tree; every entry's parent section must be among the entries (checked when loading).
    pub fn build(mut entries: Vec<Entry>) -> Tree {
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        let mut nodes: Vec<Node> =
            entries.into_iter().map(|entry| Node { entry, children: vec![], parent: None }).collect();
        let by_key: BTreeMap<String, usize> = nodes.iter().enumerate().map(|(i, n)| (n.key.clone(), i)).collect();
        for i in 0..nodes.len() {
            if nodes[i].key.is_empty() {
                continue;
            }
            let parent_key = nodes[i].key.rsplit_once('/').map_or("", |(p, _)| p).to_string();
            if let Some(&p) = by_key.get(&parent_key) {
                nodes[i].parent = Some(p);
                nodes[p].children.push(i);
            }
        }
        for i in 0..nodes.len() {
            let mut kids = std::mem::take(&mut nodes[i].children);
            kids.sort_by(|&a, &b| {
                (nodes[a].weight, &nodes[a].title, &nodes[a].key).cmp(&(
                    nodes[b].weight,
                    &nodes[b].title,
                    &nodes[b].key,
                ))
            });
            nodes[i].children = kids;
        }
        let mut order = Vec::with_capacity(nodes.len());
        if let Some(&home) = by_key.get("") {
            walk(&nodes, home, &mut order);
        }
        let mut position = vec![usize::MAX; nodes.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos;
        }
        Tree { nodes, by_key, order, position }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.by_key.get(key).map(|&i| &self.nodes[i])
    }

    /// Ancestors from the home page down to (not including) `key`.
    pub fn ancestors(&self, key: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut cur = self.by_key.get(key).and_then(|&i| self.nodes[i].parent);
        while let Some(i) = cur {
            out.push(&self.nodes[i]);
            cur = self.nodes[i].parent;
        }
        out.reverse();
        out
    }

    /// The pages before and after `key` in reading order.
    pub fn neighbours(&self, key: &str) -> (Option<&Node>, Option<&Node>) {
        let Some(&i) = self.by_key.get(key) else { return (None, None) };
        let pos = self.position[i];
        if pos == usize::MAX {
            return (None, None);
        }
        let prev = pos.checked_sub(1).map(|p| &self.nodes[self.order[p]]);
        let next = self.order.get(pos + 1).map(|&n| &self.nodes[n]);
        (prev, next)
    }

    /// Depth of a node below the home page (home = 0).
    pub fn depth(&self, key: &str) -> usize {
        self.ancestors(key).len()
    }

    /// The side navigation as seen from `current`: top-level entries, with the branch that leads
    /// to the current page opened. `extra` adds generated entries (forms, standards) at the end.
    /// A section with more than [`NAV_LIMIT`] children, the home page included, lists only a
    /// window of them (see [`window`]); `more_pages(n)` words the entry that stands for `n` left out.
    pub fn nav_html(
        &self,
        current: &str,
        pretty: bool,
        extra: &[(String, String)],
        more_pages: &dyn Fn(usize) -> String,
    ) -> String {
        let mut open = Vec::new();
        let mut cur = self.by_key.get(current).copied();
        while let Some(i) = cur {
            open.push(i);
            cur = self.nodes[i].parent;
        }
        let mut nav = NavWriter { tree: self, current, pretty, open, more_pages, html: String::from("<ul>") };
        if let Some(&home) = self.by_key.get("") {
            let home_node = &self.nodes[home];
            nav.item(&home_node.key, &home_node.title, false, home_node.lang.as_deref());
            nav.html.push_str("</li>");
            nav.children(home);
        }
        for (key, title) in extra {
            nav.item(key, title, true, None);
            nav.html.push_str("</li>");
        }
        nav.html.push_str("</ul>");
        nav.html
    }
}

/// Sections with more children than this list only a window of them, so a page's navigation
/// stays the same size however large its section grows.
pub const NAV_LIMIT: usize = 25;
/// Children listed on each side of the one that leads to the current page.
const NAV_REACH: usize = 10;
const NAV_WINDOW: usize = 2 * NAV_REACH + 1;
const _: () = assert!(NAV_WINDOW <= NAV_LIMIT);

/// Which of a section's `len` children the navigation lists: all of them up to [`NAV_LIMIT`],
/// else [`NAV_REACH`] on each side of `on_path` (the child leading to the current page), shifted
/// at either end so the window stays full, or the first ones when no child leads there.
fn window(len: usize, on_path: Option<usize>) -> Range<usize> {
    if len <= NAV_LIMIT {
        return 0..len;
    }
    let start = on_path.map_or(0, |p| p.saturating_sub(NAV_REACH)).min(len - NAV_WINDOW);
    start..start + NAV_WINDOW
}

/// The side navigation of one page as it is written out.
struct NavWriter<'a> {
    tree: &'a Tree,
    current: &'a str,
    pretty: bool,
    /// The current page and its ancestors: the sections whose children are listed.
    open: Vec<usize>,
    more_pages: &'a dyn Fn(usize) -> String,
    html: String,
}

impl NavWriter<'_> {
    fn node(&mut self, i: usize) {
        let tree = self.tree;
        let n = &tree.nodes[i];
        self.item(&n.key, &n.title, n.is_section, n.lang.as_deref());
        if n.is_section && !n.children.is_empty() && self.open.contains(&i) {
            self.html.push_str("<ul>");
            self.children(i);
            self.html.push_str("</ul>");
        }
        self.html.push_str("</li>");
    }

    /// The list items of a section's children, windowed when there are many.
    fn children(&mut self, section: usize) {
        let tree = self.tree;
        let kids = &tree.nodes[section].children;
        let shown = window(kids.len(), kids.iter().position(|c| self.open.contains(c)));
        if shown.start > 0 {
            self.more(section, shown.start);
        }
        for &c in &kids[shown.clone()] {
            self.node(c);
        }
        if shown.end < kids.len() {
            self.more(section, kids.len() - shown.end);
        }
    }

    /// An entry standing for `hidden` children left out, leading to the section's page, which
    /// lists them all.
    fn more(&mut self, section: usize, hidden: usize) {
        let href = relative_href(self.current, &self.tree.nodes[section].key, self.pretty);
        let label = escape(&(self.more_pages)(hidden));
        for part in ["<li class=\"nav-more\"><a href=\"", &href, "\">", &label, "</a></li>"] {
            self.html.push_str(part);
        }
    }

    /// An entry's opening `<li>` and its link; the caller closes the `<li>`.
    fn item(&mut self, key: &str, title: &str, section: bool, lang: Option<&str>) {
        let class = if section { " class=\"nav-section\"" } else { "" };
        let aria = if key == self.current { " aria-current=\"page\"" } else { "" };
        let href = relative_href(self.current, key, self.pretty);
        let lang = lang.map(|l| format!(" lang=\"{}\"", escape(l))).unwrap_or_default();
        for part in ["<li", class, "><a href=\"", &href, "\"", aria, &lang, ">", &escape(title), "</a>"] {
            self.html.push_str(part);
        }
    }
}

fn walk(nodes: &[Node], i: usize, order: &mut Vec<usize>) {
    order.push(i);
    for &c in &nodes[i].children {
        walk(nodes, c, order);
    }
}

/// A link to another page. `lang` is the language of its title (the default language's for a
/// page not translated yet), so templates can mark a title in another language than its place.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
    pub lang: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(key: &str, title: &str, weight: i64, section: bool) -> Entry {
        Entry {
            key: key.into(),
            title: title.into(),
            description: String::new(),
            weight,
            is_section: section,
            lang: None,
        }
    }

    fn tree() -> Tree {
        Tree::build(vec![
            e("", "Home", 0, true),
            e("b", "Bravo", 1, true),
            e("a", "Alpha", 2, true),
            e("b/y", "Yankee", 0, false),
            e("b/x", "Xray", 0, false),
        ])
    }

    #[test]
    fn orders_by_weight_then_title() {
        let t = tree();
        let keys: Vec<&str> = t.order.iter().map(|&i| t.nodes[i].key.as_str()).collect();
        assert_eq!(keys, ["", "b", "b/x", "b/y", "a"]);
    }

    #[test]
    fn neighbours_and_ancestors() {
        let t = tree();
        let (p, n) = t.neighbours("b/y");
        assert_eq!((p.unwrap().key.as_str(), n.unwrap().key.as_str()), ("b/x", "a"));
        let anc: Vec<&str> = t.ancestors("b/x").iter().map(|n| n.key.as_str()).collect();
        assert_eq!(anc, ["", "b"]);
    }

    fn more(n: usize) -> String {
        format!("{n} more")
    }

    #[test]
    fn nav_opens_current_branch_only() {
        let html = tree().nav_html("b/x", false, &[], &more);
        assert!(html.contains("href=\"../../b/y/index.html\""), "{html}");
        assert!(html.contains("aria-current=\"page\">Xray"), "{html}");
        let html = tree().nav_html("a", false, &[], &more);
        assert!(!html.contains("Xray"), "{html}");
    }

    /// A home page, section `s` with `count` pages `s/p01`… in order, and section `t`.
    fn big_section(count: usize) -> Tree {
        let mut entries = vec![e("", "Home", 0, true), e("s", "Section", 1, true), e("t", "Other", 2, true)];
        for n in 1..=count {
            entries.push(e(&format!("s/p{n:02}"), &format!("P{n:02}"), n as i64, false));
        }
        Tree::build(entries)
    }

    /// The titles of the entries listed inside `section`'s list, more entries as `+N`.
    fn listed(html: &str, section: &str) -> Vec<String> {
        let opening = format!(">{section}</a><ul>");
        let Some(start) = html.find(&opening) else { return vec![] };
        let inner = &html[start + opening.len()..];
        let inner = &inner[..inner.find("</ul>").unwrap_or(inner.len())];
        inner
            .split("</li>")
            .filter_map(|li| li.rsplit_once("\">").map(|(_, rest)| rest.trim_end_matches("</a>")))
            .map(|text| text.strip_suffix(" more").map_or(text.to_string(), |n| format!("+{n}")))
            .collect()
    }

    fn titles(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
        range.map(|n| format!("P{n:02}")).collect()
    }

    fn with_more(before: Option<usize>, shown: Vec<String>, after: Option<usize>) -> Vec<String> {
        before.map(|n| format!("+{n}")).into_iter().chain(shown).chain(after.map(|n| format!("+{n}"))).collect()
    }

    #[test]
    fn window_sits_around_the_current_page() {
        let html = big_section(60).nav_html("s/p30", false, &[], &more);
        assert_eq!(listed(&html, "Section"), with_more(Some(19), titles(20..=40), Some(20)));
        assert!(html.contains("aria-current=\"page\">P30"), "{html}");
    }

    #[test]
    fn window_is_clamped_at_the_start_and_end() {
        let t = big_section(60);
        for current in ["s/p01", "s/p05", "s/p11"] {
            let html = t.nav_html(current, false, &[], &more);
            assert_eq!(listed(&html, "Section"), with_more(None, titles(1..=21), Some(39)), "{current}");
        }
        let html = t.nav_html("s/p12", false, &[], &more);
        assert_eq!(listed(&html, "Section"), with_more(Some(1), titles(2..=22), Some(38)));
        for current in ["s/p60", "s/p55", "s/p50"] {
            let html = t.nav_html(current, false, &[], &more);
            assert_eq!(listed(&html, "Section"), with_more(Some(39), titles(40..=60), None), "{current}");
        }
    }

    #[test]
    fn section_page_lists_its_first_children() {
        let html = big_section(60).nav_html("s", false, &[], &more);
        assert_eq!(listed(&html, "Section"), with_more(None, titles(1..=21), Some(39)));
        assert!(html.contains("aria-current=\"page\">Section"), "{html}");
    }

    #[test]
    fn only_sections_over_the_limit_are_windowed() {
        let html = big_section(NAV_LIMIT).nav_html("s/p25", false, &[], &more);
        assert_eq!(listed(&html, "Section"), titles(1..=25));
        assert!(!html.contains("nav-more"), "{html}");
        let html = big_section(NAV_LIMIT + 1).nav_html("s/p26", false, &[], &more);
        assert_eq!(listed(&html, "Section"), with_more(Some(5), titles(6..=26), None));
    }

    #[test]
    fn more_entries_link_the_section_page() {
        let html = big_section(60).nav_html("s/p30", false, &[], &more);
        let before = "<li class=\"nav-more\"><a href=\"../../s/index.html\">19 more</a></li>";
        let after = "<li class=\"nav-more\"><a href=\"../../s/index.html\">20 more</a></li>";
        assert!(html.contains(&format!("<ul>{before}<li><a href=\"../../s/p20/index.html\">")), "{html}");
        assert!(html.contains(&format!("P40</a></li>{after}</ul>")), "{html}");
        let pretty = big_section(60).nav_html("s/p30", true, &[], &|n| format!("<{n}> & more"));
        assert!(pretty.contains("<a href=\"../../s/\">&lt;19&gt; &amp; more</a>"), "{pretty}");
    }

    #[test]
    fn nested_open_sections_are_windowed_each_around_its_own_path() {
        let mut entries = vec![e("", "Home", 0, true)];
        for n in 1..=30 {
            entries.push(e(&format!("top{n:02}"), &format!("T{n:02}"), n, true));
        }
        for n in 1..=40 {
            entries.push(e(&format!("top03/p{n:02}"), &format!("P{n:02}"), n, false));
        }
        let html = Tree::build(entries).nav_html("top03/p35", false, &[], &more);
        let top: Vec<&str> =
            html.split("<li class=\"nav-section\"><a href=\"").filter_map(|li| li.split('"').next()).skip(1).collect();
        assert_eq!(top.len(), 21, "{html}");
        assert!(top[0].ends_with("top01/index.html") && top[20].ends_with("top21/index.html"), "{top:?}");
        assert!(html.contains("<li class=\"nav-more\"><a href=\"../../index.html\">9 more</a></li></ul>"), "{html}");
        assert_eq!(listed(&html, "T03"), with_more(Some(19), titles(20..=40), None));
    }

    #[test]
    fn window_bounds() {
        assert_eq!(window(10, Some(9)), 0..10);
        assert_eq!(window(26, None), 0..21);
        assert_eq!(window(100, Some(50)), 40..61);
        assert_eq!(window(100, Some(99)), 79..100);
    }
}

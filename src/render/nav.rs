//! The navigation tree of one language: sections and pages ordered by weight, then title. From it
//! come the side navigation, breadcrumbs, previous/next links and the print order.

use std::collections::BTreeMap;

use super::links::relative_href;
use crate::html::escape;

#[derive(Debug, Clone)]
pub struct Node {
    pub key: String,
    pub title: String,
    pub description: String,
    pub weight: i64,
    pub is_section: bool,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
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

/// An entry as the tree is built: key, title, description, weight, is_section.
pub struct Entry {
    pub key: String,
    pub title: String,
    pub description: String,
    pub weight: i64,
    pub is_section: bool,
}

impl Tree {
    /// Builds the tree; every entry's parent section must be among the entries (checked when loading).
    pub fn build(mut entries: Vec<Entry>) -> Tree {
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        let mut nodes: Vec<Node> = entries
            .into_iter()
            .map(|e| Node {
                key: e.key,
                title: e.title,
                description: e.description,
                weight: e.weight,
                is_section: e.is_section,
                children: vec![],
                parent: None,
            })
            .collect();
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
    pub fn nav_html(&self, current: &str, pretty: bool, extra: &[(String, String)]) -> String {
        let mut open: Vec<usize> =
            self.ancestors(current).iter().filter_map(|n| self.by_key.get(&n.key).copied()).collect();
        if let Some(&i) = self.by_key.get(current) {
            open.push(i);
        }
        let mut html = String::from("<ul>");
        if let Some(&home) = self.by_key.get("") {
            let home_node = &self.nodes[home];
            html.push_str(&item(current, &home_node.key, &home_node.title, pretty, false));
            html.push_str("</li>");
            for &c in &home_node.children {
                self.nav_node(c, current, pretty, &open, &mut html);
            }
        }
        for (key, title) in extra {
            html.push_str(&item(current, key, title, pretty, true));
            html.push_str("</li>");
        }
        html.push_str("</ul>");
        html
    }

    fn nav_node(&self, i: usize, current: &str, pretty: bool, open: &[usize], html: &mut String) {
        let n = &self.nodes[i];
        html.push_str(&item(current, &n.key, &n.title, pretty, n.is_section));
        if n.is_section && !n.children.is_empty() && open.contains(&i) {
            html.push_str("<ul>");
            for &c in &n.children {
                self.nav_node(c, current, pretty, open, html);
            }
            html.push_str("</ul>");
        }
        html.push_str("</li>");
    }
}

fn item(current: &str, key: &str, title: &str, pretty: bool, section: bool) -> String {
    let class = if section { " class=\"nav-section\"" } else { "" };
    let aria = if key == current { " aria-current=\"page\"" } else { "" };
    format!("<li{class}><a href=\"{}\"{aria}>{}</a>", relative_href(current, key, pretty), escape(title))
}

fn walk(nodes: &[Node], i: usize, order: &mut Vec<usize>) {
    order.push(i);
    for &c in &nodes[i].children {
        walk(nodes, c, order);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(key: &str, title: &str, weight: i64, section: bool) -> Entry {
        Entry { key: key.into(), title: title.into(), description: String::new(), weight, is_section: section }
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

    #[test]
    fn nav_opens_current_branch_only() {
        let html = tree().nav_html("b/x", false, &[]);
        assert!(html.contains("href=\"../../b/y/index.html\""), "{html}");
        assert!(html.contains("aria-current=\"page\">Xray"), "{html}");
        let html = tree().nav_html("a", false, &[]);
        assert!(!html.contains("Xray"), "{html}");
    }
}

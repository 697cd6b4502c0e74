//! Output gate: the shared output checks (links, fragments, CSP hashes, asset origins, referrer,
//! rel on outbound links, unique ids) plus what works from `file://` and stays private: no
//! `integrity`, no module scripts, no network or code-from-text APIs in shipped JavaScript, no
//! inline handlers or style attributes, no remote URLs in CSS, no directives a meta CSP ignores.

use std::collections::BTreeMap;
use std::path::Path;

use scraper::Html;

use crate::common::{self, sel};
use crate::support::*;

/// JavaScript that must not ship: network access and running text as code (`Function(` also
/// catches `new Function(`, which a minifier may shorten).
const FORBIDDEN_JS: [&str; 9] = [
    "fetch(",
    "XMLHttpRequest",
    "eval(",
    "Function(",
    "import(",
    "importScripts",
    "WebSocket",
    "EventSource",
    "sendBeacon",
];

/// Every problem with the built output in `dir`, one readable line each.
pub fn problems(dir: &Path) -> Vec<String> {
    let mut out = common::check_output(dir);
    let tree = common::tree(dir);
    for (path, bytes) in &tree {
        let path = path.as_str();
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".js") {
            let mut found = Vec::new();
            forbidden_js(path, &text, &mut found);
            // The offline copy's service worker, at a site's root, fetches the portal's own files
            // (its scope, one origin) when the reader saves a copy, and passes on what it has no
            // copy of: that is what a worker is for. Everything else stays forbidden there too.
            if path == "sw.js" || (path.ends_with("/sw.js") && path.matches('/').count() == 1) {
                found.retain(|p| !p.ends_with("`fetch(` in shipped JavaScript"));
            }
            out.extend(found);
        } else if path.ends_with(".css") {
            remote_css(path, &text, &mut out);
        } else if path.ends_with(".html") {
            page(path, &Html::parse_document(&text), &tree, &mut out);
        }
    }
    out
}

fn page(path: &str, doc: &Html, tree: &BTreeMap<String, Vec<u8>>, out: &mut Vec<String>) {
    match doc.select(&sel("html")).next().and_then(|h| h.value().attr("lang")) {
        Some(l) if !l.trim().is_empty() => {}
        _ => out.push(format!("{path}: <html> has no lang")),
    }
    for el in doc.select(&sel("*")) {
        element(path, el.value(), tree, out);
    }
    inline_code(path, doc, out);
    csp(path, doc, out);
}

/// One element's attributes, and what a module script or a refresh would do from a folder.
fn element(path: &str, v: &scraper::node::Element, tree: &BTreeMap<String, Vec<u8>>, out: &mut Vec<String>) {
    let name = v.name();
    for (attr, value) in v.attrs() {
        attribute(path, name, attr, value, out);
    }
    if name == "script" && v.attr("type").is_some_and(|t| t.trim().eq_ignore_ascii_case("module")) {
        out.push(format!("{path}: <script type=module> (modules do not load from file://)"));
    }
    if name == "meta" && v.attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh")) {
        refresh(path, v.attr("content").unwrap_or(""), tree, out);
    }
}

/// An attribute the CSP blocks, or one that leads to script or to another origin.
fn attribute(path: &str, name: &str, attr: &str, value: &str, out: &mut Vec<String>) {
    let lower = value.trim().to_ascii_lowercase();
    if attr == "integrity" {
        out.push(format!("{path}: <{name} integrity> (Subresource Integrity always fails from file://)"));
    }
    if attr.starts_with("on") {
        out.push(format!("{path}: <{name} {attr}=…> (inline handlers are blocked by the CSP)"));
    }
    if attr == "style" {
        out.push(format!("{path}: <{name} style=…> (style attributes are blocked by the CSP)"));
    }
    if ["href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"].contains(&attr)
        && (lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:text"))
    {
        out.push(format!("{path}: <{name} {attr}={value}>"));
    }
    if ["srcset", "poster", "data", "action", "formaction", "manifest", "background"].contains(&attr)
        && (lower.contains("http://") || lower.contains("https://") || lower.starts_with("//"))
    {
        out.push(format!("{path}: <{name} {attr}={value}> reaches another origin"));
    }
}

/// A `<meta http-equiv=refresh>` is fine only as a redirect to a page of the site (an alias).
fn refresh(path: &str, content: &str, tree: &BTreeMap<String, Vec<u8>>, out: &mut Vec<String>) {
    let url = content.split_once(';').map(|(_, u)| u.trim()).unwrap_or("");
    let url = url.strip_prefix("url=").or_else(|| url.strip_prefix("URL=")).unwrap_or(url).trim_matches(['"', '\'']);
    let target = common::join(path, url.split('#').next().unwrap_or(""));
    if url.is_empty() || url.contains(':') || url.starts_with('/') || !tree.contains_key(&target) {
        out.push(format!("{path}: <meta http-equiv=refresh content={content}> does not lead to a page of the site"));
    }
}

/// Inline scripts and styles: nothing forbidden, nothing from another origin.
fn inline_code(path: &str, doc: &Html, out: &mut Vec<String>) {
    for script in doc.select(&sel("script:not([src])")) {
        if script.value().attr("type").is_some_and(|t| t.contains("json")) {
            continue;
        }
        let text: String = script.text().collect();
        forbidden_js(&format!("{path} (inline script)"), &text, out);
    }
    for style in doc.select(&sel("style")) {
        let text: String = style.text().collect();
        remote_css(&format!("{path} (inline style)"), &text, out);
    }
}

/// The page's `<meta>` policy: no directive a `<meta>` ignores, and the ones it must have.
fn csp(path: &str, doc: &Html, out: &mut Vec<String>) {
    if let Some(csp) = doc.select(&sel("meta[http-equiv=Content-Security-Policy]")).next() {
        let policy = csp.value().attr("content").unwrap_or("");
        for ignored in ["frame-ancestors", "report-uri", "report-to", "sandbox"] {
            if policy.contains(ignored) {
                out.push(format!("{path}: CSP has `{ignored}`, which a <meta> policy ignores"));
            }
        }
        for needed in ["base-uri 'none'", "form-action"] {
            if !policy.contains(needed) {
                out.push(format!("{path}: CSP lacks `{needed}`"));
            }
        }
    }
}

/// Occurrences of [`FORBIDDEN_JS`] that are not part of a longer name (`retrieval(` is fine).
fn forbidden_js(path: &str, text: &str, out: &mut Vec<String>) {
    for word in FORBIDDEN_JS {
        let mut from = 0;
        while let Some(i) = text[from..].find(word) {
            let at = from + i;
            from = at + word.len();
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            out.push(format!("{path}:{line}: `{word}` in shipped JavaScript"));
            break;
        }
    }
}

/// `url(…)` and `@import` that reach another origin.
fn remote_css(path: &str, text: &str, out: &mut Vec<String>) {
    let lower = text.to_ascii_lowercase();
    for (i, _) in lower.match_indices("url(").chain(lower.match_indices("@import")) {
        let rest = lower[i..].trim_start_matches("url(").trim_start_matches("@import");
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '(');
        let rest = rest.trim_start_matches("url(").trim_start_matches(['"', '\'']);
        if rest.starts_with("http:") || rest.starts_with("https:") || rest.starts_with("//") {
            let line = text[..i].matches('\n').count() + 1;
            out.push(format!("{path}:{line}: CSS loads from another origin: {}", &text[i..(i + 60).min(text.len())]));
        }
    }
}

#[test]
fn default_portal_output_passes_every_check() {
    let problems = problems(default_public());
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn fixture_output_passes_every_check() {
    let problems = problems(fixture_public());
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Every page type exists in the default portal, in every language (the other gates visit them).
#[test]
fn default_portal_has_every_page_type() {
    let (found, missing) = page_types(default_public());
    assert!(missing.is_empty(), "missing page types: {missing:?} (found {found:?})");
}

/// The checker is seen to fail: a theme override adds SRI, a module script, `fetch`, `new
/// Function`, an inline handler, a style attribute, a web font from another origin and a
/// redirect away from the site.
#[test]
fn output_gate_fails_on_broken_fixture() {
    let site = broken("output", |_| {});
    let problems = problems(&site.public);
    let text = problems.join("\n");
    for expected in [
        "integrity",
        "<script type=module>",
        "`fetch(` in shipped JavaScript",
        "`Function(` in shipped JavaScript",
        "`eval(` in shipped JavaScript",
        "onclick",
        "style attributes are blocked",
        "CSS loads from another origin",
        "does not lead to a page of the site",
    ] {
        assert!(text.contains(expected), "the output gate missed {expected:?}; it found:\n{text}");
    }
}

#[test]
fn forbidden_words_are_whole_words() {
    let mut out = Vec::new();
    forbidden_js("a.js", "var retrieval(x); myfetch(1); window.fetchData();", &mut out);
    assert!(out.is_empty(), "{out:?}");
    forbidden_js("a.js", "x = 1;\nwindow.fetch(u)", &mut out);
    assert_eq!(out, ["a.js:2: `fetch(` in shipped JavaScript"]);
}

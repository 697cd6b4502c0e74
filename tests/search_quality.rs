//! Search quality on the default portal: realistic Ukrainian and English queries
//! (`tests/search/queries.toml`) run through the site's own client (the search client in a Node `vm`
//! context, loading the built `<lang>/search/*.js` files as the page does), and the expected page
//! must be in the top 3. Prints the hit rate per language and every miss; fails below 90 %
//! overall. Needs Node.js; fails, never skips, without it.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

const TOP: usize = 3;
const MIN_RATE: f64 = 0.90;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Query {
    lang: String,
    q: String,
    expect: String,
}

fn queries() -> Vec<Query> {
    let path = repo().join("tests/search/queries.toml");
    let text = std::fs::read_to_string(&path).expect("read queries.toml");
    let table: toml::Table = text.parse().expect("queries.toml is TOML");
    let list = table["query"].as_array().expect("[[query]] tables");
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let get = |k: &str| {
                t.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_else(|| panic!("query {}: `{k}` is a string", i + 1))
                    .to_string()
            };
            let known = ["lang", "q", "expect"];
            if let Some(k) = t.as_table().unwrap().keys().find(|k| !known.contains(&k.as_str())) {
                panic!("query {}: unknown key `{k}`", i + 1);
            }
            Query { lang: get("lang"), q: get("q"), expect: get("expect") }
        })
        .collect()
}

/// Runs every query through `tests/search/run_queries.js`; one report per query, in order.
fn run_client(site: &Path, queries: &[Query]) -> Vec<Value> {
    let input: Vec<Value> = queries.iter().map(|q| json!({"lang": q.lang, "q": q.q})).collect();
    let mut child = Command::new("node")
        .arg(repo().join("tests/search/run_queries.js"))
        .arg(repo().join("src/search/runtime"))
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): the search quality test needs Node.js"));
    child.stdin.take().unwrap().write_all(serde_json::to_string(&input).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "run_queries.js failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let reports: Vec<Value> = serde_json::from_str(stdout.trim()).expect("run_queries.js prints a JSON array");
    assert_eq!(reports.len(), queries.len());
    reports
}

fn counts(id: &str, expect: &str) -> bool {
    id == expect || id.strip_prefix(expect).is_some_and(|rest| rest.starts_with('#'))
}

/// An expectation must name a built page (and an id on it), so a renamed page or heading shows
/// up as a broken query rather than as a search miss.
fn check_expectation(site: &Path, q: &Query) -> Option<String> {
    let (file, anchor) = match q.expect.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (q.expect.as_str(), None),
    };
    let Ok(html) = std::fs::read_to_string(site.join(&q.lang).join(file)) else {
        return Some(format!("[{}] {:?}: expected page {} does not exist", q.lang, q.q, q.expect));
    };
    let anchor = anchor?;
    let doc = scraper::Html::parse_document(&html);
    let found = doc.select(&common::sel("[id]")).any(|e| e.value().attr("id") == Some(anchor));
    (!found).then(|| format!("[{}] {:?}: {file} has no id {anchor:?}", q.lang, q.q))
}

#[test]
fn realistic_queries_find_the_right_page_in_the_top_three() {
    let queries = queries();
    let per_lang = |l: &str| queries.iter().filter(|q| q.lang == l).count();
    assert!(per_lang("uk") >= 45, "only {} Ukrainian queries", per_lang("uk"));
    assert!(per_lang("en") >= 16, "only {} English queries", per_lang("en"));

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    common::build_ok(&repo(), &site);

    let broken: Vec<String> = queries.iter().filter_map(|q| check_expectation(&site, q)).collect();
    assert!(broken.is_empty(), "queries.toml names pages that are not built:\n{}", broken.join("\n"));

    let reports = run_client(&site, &queries);
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for (q, r) in queries.iter().zip(&reports) {
        let ids: Vec<&str> = r["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let rank = ids.iter().position(|id| counts(id, &q.expect));
        let hit = rank.is_some_and(|r| r < TOP);
        let t = tally.entry(q.lang.as_str()).or_default();
        t.1 += 1;
        if hit {
            t.0 += 1;
        } else {
            let rank = rank.map_or("not in top 10".to_string(), |r| format!("rank {}", r + 1));
            misses.push(format!(
                "  [{}] {:?} → want {} ({rank}, {} results); top 3: {:?}",
                q.lang,
                q.q,
                q.expect,
                r["total"],
                &ids[..ids.len().min(TOP)]
            ));
        }
    }
    let (hits, total) = tally.values().fold((0, 0), |a, t| (a.0 + t.0, a.1 + t.1));
    let rate = hits as f64 / total as f64;
    println!("search quality (expected page in the top {TOP}):");
    for (lang, (h, n)) in &tally {
        println!("  {lang}: {h}/{n} = {:.1} %", 100.0 * *h as f64 / *n as f64);
    }
    println!("  overall: {hits}/{total} = {:.1} %", 100.0 * rate);
    if !misses.is_empty() {
        println!("misses:\n{}", misses.join("\n"));
    }
    assert!(
        rate >= MIN_RATE,
        "hit rate {:.1} % is below {:.0} %; misses:\n{}",
        100.0 * rate,
        100.0 * MIN_RATE,
        misses.join("\n")
    );
}

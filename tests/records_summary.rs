//! `oberih records summary` end to end: synthetic exports (plain and encrypted) are added to a
//! dataset with the `oberih` binary, summarised, and the CSV, JSON and HTML it writes are read
//! back: small counts show as «<10», no hidden count can be worked out from what any table of the
//! run publishes, published totals add up, the files are their owner's alone, the report runs no
//! script, and an existing summary is never overwritten.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{fixture, sel};
use scraper::Html;
use serde_json::{json, Value};

const MIN: u64 = 10;
const TABLES: &str = "outcome,sex,month*sex,dimension,indicator,age_band,outcome*age_band";

fn oberih(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oberih")).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Synthetic screening `i` of the fixture form `screening`: three months, a debt in four of five,
/// ages across the bands, and only three men (a small count in every table by sex).
fn record(i: usize) -> Value {
    let debt = !i.is_multiple_of(5);
    let ages = [16, 24, 33, 47, 71, 29];
    json!({
        "id": format!("r{i:03}"), "form": "screening", "version": "2026.1", "region": null, "language": "uk",
        "started": format!("2026-{:02}-0{}T09:00:00.000Z", 3 + i % 3, 1 + i % 7), "finished": null,
        "answers": { "owes_debt": if debt { "yes" } else { "no" }, "age": ages[i % ages.len()],
                     "sex": if i < 3 { "male" } else { "female" } },
        "outcome": if debt { "refer" } else { "none" },
        "indicators": if debt { json!(["debt"]) } else { json!([]) },
        "unanswered": [], "not_asked": []
    })
}

struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    /// A dataset of 63 records: 60 plain exports in a folder and three encrypted ones.
    fn new() -> Run {
        let run = Run { dir: tempfile::tempdir().unwrap() };
        let inbox = run.path("inbox");
        std::fs::create_dir(&inbox).unwrap();
        let public = std::fs::read_to_string(fixture("../crypto/test-public.pem")).unwrap();
        for i in 0..63 {
            let r = record(i);
            if i % 21 == 7 {
                let sealed = oberih::envelope::encrypt_record(&public, &r).unwrap();
                std::fs::write(inbox.join(format!("{i}.oberih")), sealed).unwrap();
            } else {
                std::fs::write(inbox.join(format!("{i}.json")), r.to_string()).unwrap();
            }
        }
        let key = fixture("../crypto/test-private.pem");
        let o = run.records(&["add", &run.dataset(), inbox.to_str().unwrap(), "--key", key.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("63 file(s): 63 added"), "{}", stderr(&o));
        run
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn dataset(&self) -> String {
        self.path("office.sqlite").display().to_string()
    }
    fn records(&self, args: &[&str]) -> Output {
        let root = fixture("records");
        let mut all = vec!["records"];
        all.extend(args);
        all.extend(["--root", root.to_str().unwrap()]);
        oberih(&all)
    }
    fn summary(&self, out: &str) -> Output {
        let out = self.path(out).display().to_string();
        let min = MIN.to_string();
        let d = self.dataset();
        self.records(&[
            "summary",
            &d,
            "--form",
            "screening",
            "--by",
            TABLES,
            "--min-count",
            &min,
            "--lang",
            "en",
            "-o",
            &out,
        ])
    }
}

fn tables(dir: &Path) -> BTreeMap<String, Value> {
    TABLES
        .split(',')
        .map(|t| {
            let id = t.replace('*', "_by_");
            let text = std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap_or_else(|e| panic!("{id}: {e}"));
            (id, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn list(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// Category ids along an axis of a table.
fn ids(axis: &Value) -> Vec<String> {
    list(&axis["categories"]).iter().map(|c| c["id"].as_str().unwrap_or_default().to_string()).collect()
}

/// Every figure any table publishes, by what it counts: `[]` the screenings, `[(key, id)]` one
/// category. A figure is known when one table publishes it.
fn published(tables: &BTreeMap<String, Value>) -> BTreeMap<Vec<(String, String)>, u64> {
    let mut out = BTreeMap::new();
    for t in tables.values() {
        if let Some(n) = t["total"].as_u64() {
            out.insert(vec![], n);
        }
        let rows_key = t["rows"]["key"].as_str().unwrap().to_string();
        for (id, v) in ids(&t["rows"]).into_iter().zip(list(&t["row_totals"])) {
            if let Some(n) = v.as_u64() {
                out.insert(vec![(rows_key.clone(), id)], n);
            }
        }
        if t["columns"].is_object() {
            let key = t["columns"]["key"].as_str().unwrap().to_string();
            for (id, v) in ids(&t["columns"]).into_iter().zip(list(&t["column_totals"])) {
                if let Some(n) = v.as_u64() {
                    out.insert(vec![(key.clone(), id)], n);
                }
            }
        }
    }
    out
}

/// A figure a sum adds up to: what it counts, and its value as this table publishes it.
type Total = (Vec<(String, String)>, Value);

/// Each sum a table shows: its parts and its total, as published.
fn sums(t: &Value) -> Vec<(Vec<Value>, Total)> {
    let all = (vec![], t["total"].clone());
    let mut out = vec![(list(&t["row_totals"]), all.clone())];
    if t["columns"].is_object() {
        out.push((list(&t["column_totals"]), all));
        let cells = list(&t["cells"]);
        let axis = |a: &Value| -> Vec<(String, String)> {
            let key = a["key"].as_str().unwrap().to_string();
            ids(a).into_iter().map(|id| (key.clone(), id)).collect()
        };
        for ((row, total), cat) in cells.iter().zip(list(&t["row_totals"])).zip(axis(&t["rows"])) {
            out.push((list(row), (vec![cat], total)));
        }
        for ((j, total), cat) in list(&t["column_totals"]).into_iter().enumerate().zip(axis(&t["columns"])) {
            out.push((cells.iter().map(|r| r[j].clone()).collect(), (vec![cat], total)));
        }
    }
    out
}

#[test]
fn summary_publishes_no_small_count_and_nothing_recoverable() {
    let run = Run::new();
    let o = run.summary("summary");
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = run.path("summary");
    let tables = tables(&dir);
    let known = published(&tables);
    let mut small = 0;
    for (id, t) in &tables {
        assert_eq!(t["format"], "oberih-statistics/1");
        assert_eq!(t["min_count"], MIN);
        let figures = sums(t).into_iter().flat_map(|(parts, (_, total))| parts.into_iter().chain([total]));
        for v in figures {
            match &v {
                Value::Number(n) => assert!(n.as_u64().unwrap() >= MIN || n.as_u64() == Some(0), "{id}: {v}"),
                Value::String(s) if s == "<10" => small += 1,
                Value::String(s) => assert_eq!(s, "x", "{id}"),
                other => panic!("{id}: {other}"),
            }
        }
        for (parts, (what, total)) in sums(t) {
            let hidden = parts.iter().filter(|p| !p.is_u64()).count();
            // The total is known when any table of the run publishes it.
            let total_known = total.as_u64().or_else(|| known.get(&what).copied());
            if hidden == 1 && total_known.is_some() {
                panic!("{id}: one hidden figure among {parts:?} adding up to {what:?}, which is published");
            }
            if hidden == 0 {
                if let Some(total) = total.as_u64() {
                    let sum: u64 = parts.iter().filter_map(Value::as_u64).sum();
                    assert_eq!(sum, total, "{id}: {parts:?} do not add up to {total}");
                }
            }
        }
    }
    assert!(small > 0, "the three men must show as «<10»: {tables:#?}");
    let sex = &tables["sex"];
    assert_eq!(ids(&sex["rows"])[..2], ["female", "male"], "{sex:#}");
    assert_eq!(list(&sex["row_totals"])[1], "<10");
    assert!(!list(&sex["row_totals"])[0].is_u64() || !sex["total"].is_u64(), "men = total - women: {sex:#}");
    // The same category counted by two tables is the same figure in both.
    let month_sex = &tables["month_by_sex"];
    for (j, id) in ids(&month_sex["columns"]).iter().enumerate() {
        let here = &list(&month_sex["column_totals"])[j];
        let i = ids(&sex["rows"]).iter().position(|x| x == id).unwrap();
        assert_eq!(here, &list(&sex["row_totals"])[i], "sex `{id}` differs between tables");
    }
    if let Some(n) = known.get(&vec![]) {
        assert_eq!(*n, 63);
    }
    check_csv(&dir, &tables);
    check_html(&dir, &tables);
}

/// The CSV says what the JSON says, with a byte-order mark and «×» for a hidden figure.
fn check_csv(dir: &Path, tables: &BTreeMap<String, Value>) {
    for (id, t) in tables {
        let text = std::fs::read_to_string(dir.join(format!("{id}.csv"))).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("{id}.csv has no byte-order mark"));
        let rows: Vec<Vec<&str>> = text.split_terminator("\r\n").map(|l| l.split(',').collect()).collect();
        let figure = |v: &Value| match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) if s == "x" => "×".to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        let cells = list(&t["cells"]);
        for (i, total) in list(&t["row_totals"]).iter().enumerate() {
            let row = &rows[i + 1];
            assert_eq!(row.last().copied(), Some(figure(total).as_str()), "{id}.csv row {i}");
            for (j, c) in cells.get(i).map(list).unwrap_or_default().iter().enumerate() {
                assert_eq!(row[j + 1], figure(c), "{id}.csv row {i} column {j}");
            }
        }
        assert_eq!(rows.last().unwrap().last().copied(), Some(figure(&t["total"]).as_str()), "{id}.csv total");
        assert_eq!(rows.len(), list(&t["row_totals"]).len() + 2, "{id}.csv: header, rows, totals");
    }
}

/// One table per summary table, no script of any kind, a policy that allows none, and the same
/// small counts as the JSON.
fn check_html(dir: &Path, tables: &BTreeMap<String, Value>) {
    let text = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let html = Html::parse_document(&text);
    assert_eq!(html.select(&sel("script")).count(), 0);
    for e in html.select(&sel("*")) {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name}");
            assert!(!value.trim_start().to_lowercase().starts_with("javascript:"), "{name}={value}");
        }
    }
    let csp = html
        .select(&sel("meta[http-equiv='Content-Security-Policy']"))
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("a Content-Security-Policy")
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src") || csp.contains("script-src 'none'"), "{csp}");
    assert!(html.select(&sel("link[href], img[src], iframe, object, embed")).next().is_none());
    assert_eq!(html.select(&sel("table")).count(), tables.len());
    let cells: Vec<String> =
        html.select(&sel("td")).map(|td| td.text().collect::<String>().trim().to_string()).collect();
    let small_json: usize = tables
        .values()
        .flat_map(|t| sums(t).into_iter().flat_map(|(p, (_, total))| p.into_iter().chain([total])))
        .filter(|v| v == "<10")
        .count();
    assert!(cells.iter().any(|c| c == "<10"), "{cells:?}");
    assert!(small_json > 0);
}

#[test]
fn summary_files_are_the_owners_alone_and_never_overwritten() {
    let run = Run::new();
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;
    #[cfg(unix)]
    assert_eq!(std::fs::metadata(run.dataset()).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(run.summary("summary").status.success());
    let dir = run.path("summary");
    let before: BTreeMap<PathBuf, Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(before.len(), 2 * TABLES.split(',').count() + 1, "{:?}", before.keys());
    #[cfg(unix)]
    for p in before.keys() {
        assert_eq!(std::fs::metadata(p).unwrap().permissions().mode() & 0o777, 0o600, "{}", p.display());
    }
    let again = run.summary("summary");
    assert!(!again.status.success());
    assert!(stderr(&again).contains("summary"), "{}", stderr(&again));
    for (p, bytes) in &before {
        assert_eq!(&std::fs::read(p).unwrap(), bytes, "{} was changed", p.display());
    }
}

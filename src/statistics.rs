//! Monitoring figures published with a portal: a summary's JSON files placed in
//! `data/statistics/` (national or a region's folder), each shown on a page with
//! `{{ statistics(table="region_by_month") }}` as an accessible table with a bar per row.
//!
//! Only what a summary wrote is accepted (its `format`, its table id as the file name), so a
//! file of raw records placed there by mistake is refused rather than published.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::html::escape;
use crate::source::{read_text, SourceFile};

/// The `format` of a statistics JSON file, as `oberih records summary` writes it.
pub const FORMAT: &str = "oberih-statistics/1";

/// The smallest count published as it is; a smaller one shows as «<10».
pub const DEFAULT_MIN_COUNT: u64 = 10;

/// Where statistics live in a portal.
pub const STATISTICS_DIR: &str = "data/statistics";

/// Every published table by id.
#[derive(Debug, Default, Clone)]
pub struct Statistics {
    tables: BTreeMap<String, Value>,
    /// A file that failed to load: a table it may have held is not reported as unknown.
    pub unloaded: Option<String>,
}

impl Statistics {
    /// Loads every `*.json` of `files` (the layered contents of [`STATISTICS_DIR`]).
    pub fn load(files: &BTreeMap<String, SourceFile>) -> (Statistics, Vec<Diagnostic>) {
        let mut out = Statistics::default();
        let mut problems = Vec::new();
        for (rel, file) in files.iter().filter(|(rel, _)| rel.ends_with(".json")) {
            let stem = rel.rsplit('/').next().unwrap_or(rel).trim_end_matches(".json");
            match read_text(file).and_then(|text| parse(file, &text, stem)) {
                Ok(v) => {
                    out.tables.insert(stem.to_string(), v);
                }
                Err(d) => {
                    out.unloaded.get_or_insert_with(|| file.shown.clone());
                    problems.push(d);
                }
            }
        }
        (out, problems)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// The table as HTML and as plain text, or why it cannot be shown.
    pub fn render(&self, id: &str, lang: &str) -> Result<(String, String), String> {
        let Some(t) = self.tables.get(id) else {
            let known: Vec<&str> = self.ids().collect();
            let list = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err(format!("unknown statistics table `{id}` (tables in {STATISTICS_DIR}/: {list})"));
        };
        Ok((table_html(t, lang), caption(t, lang)))
    }
}

fn parse(file: &SourceFile, text: &str, stem: &str) -> Result<Value, Diagnostic> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        let at = offset(text, e.line(), e.column());
        Diagnostic::at(&file.shown, text, at..at + 1, format!("not valid JSON: {e}"))
    })?;
    let whole = || Diagnostic::at(&file.shown, text, 0..1, "");
    if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(Diagnostic { message: format!("not a statistics table: `format` is not `{FORMAT}`"), ..whole() }
            .with_help("place here only the JSON files `oberih records summary` writes"));
    }
    if v.get("table").and_then(Value::as_str) != Some(stem) {
        return Err(Diagnostic {
            message: format!("the file is named `{stem}.json` but holds another table"),
            ..whole()
        }
        .with_help("keep the file name the summary gave it: pages name the table by it"));
    }
    Ok(v)
}

/// The byte offset of a 1-based line and column.
fn offset(text: &str, line: usize, col: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + col.saturating_sub(1)).min(text.len())
}

fn words(lang: &str) -> [&'static str; 5] {
    if lang == "uk" {
        ["Скринінгів", "Усього", "Усі скринінги", "Кількість скринінгів", "Числа, менші за {m}, показано як «<{m}»; «×» — приховано, щоб мале число не можна було обчислити з підсумків."]
    } else {
        ["Screenings", "Total", "All screenings", "Number of screenings", "Counts below {m} are shown as «<{m}»; «×» is hidden so that no small count can be worked out from the totals."]
    }
}

/// A label in `lang`, else English, else the first there is.
fn label<'a>(v: &'a Value, lang: &str) -> &'a str {
    [lang, "en", "uk"].iter().find_map(|l| v.get(l).and_then(Value::as_str)).unwrap_or_default()
}

fn caption(t: &Value, lang: &str) -> String {
    let rows = label(&t["rows"]["title"], lang);
    let form = label(&t["form"]["title"], lang);
    match t["columns"].get("title") {
        Some(c) => format!("{form}: {rows} × {}", label(c, lang).to_lowercase()),
        None => format!("{form}: {rows}"),
    }
}

/// A published figure for people: a count with the page language's digit groups.
fn figure(v: &Value, lang: &str) -> String {
    match v {
        Value::Number(n) => n.as_u64().map_or_else(|| n.to_string(), |n| crate::i18n::grouped(n, lang)),
        Value::String(s) if s == "x" => "×".into(),
        Value::String(s) => escape(s),
        _ => String::new(),
    }
}

fn table_html(t: &Value, lang: &str) -> String {
    let w = words(lang);
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let rows = list(&t["rows"]["categories"]);
    let columns = list(&t["columns"]["categories"]);
    let row_totals = list(&t["row_totals"]);
    let bars = columns.is_empty();
    let max = row_totals.iter().filter_map(Value::as_u64).max().unwrap_or(0);
    // The title is shown above the scrolling table (a caption would scroll away with a wide
    // one); the caption says the same to screen readers.
    let title = escape(&caption(t, lang));
    let mut h = format!(
        "<figure class=\"statistics\"><p class=\"statistics-title\" aria-hidden=\"true\">{title}</p>\
<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">{title}</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(label(&t["rows"]["title"], lang)),
    );
    for c in &columns {
        h += &format!("<th scope=\"col\" class=\"num\">{}</th>", escape(label(&c["label"], lang)));
    }
    h += &format!("<th scope=\"col\" class=\"num\">{}</th>", if bars { w[0] } else { w[1] });
    if bars {
        h += "<td class=\"bar\" aria-hidden=\"true\"></td>";
    }
    h += "</tr></thead><tbody>";
    let cells = list(&t["cells"]);
    for (i, r) in rows.iter().enumerate() {
        h += &format!("<tr><th scope=\"row\">{}</th>", escape(label(&r["label"], lang)));
        for c in cells.get(i).map(list).unwrap_or_default() {
            h += &format!("<td class=\"num\">{}</td>", figure(&c, lang));
        }
        let total = row_totals.get(i).cloned().unwrap_or_default();
        h += &format!("<td class=\"num\">{}</td>", figure(&total, lang));
        if bars {
            // A bar only for a published count: the length of a hidden one would tell it.
            let bar = match total.as_u64() {
                Some(n) if max > 0 => format!("<meter min=\"0\" max=\"{max}\" value=\"{n}\"></meter>"),
                _ => String::new(),
            };
            h += &format!("<td class=\"bar\" aria-hidden=\"true\">{bar}</td>");
        }
        h += "</tr>";
    }
    h += &format!("</tbody><tfoot><tr><th scope=\"row\">{}</th>", w[2]);
    for c in list(&t["column_totals"]) {
        h += &format!("<td class=\"num\">{}</td>", figure(&c, lang));
    }
    h += &format!("<td class=\"num\">{}</td>", figure(&t["total"], lang));
    if bars {
        h += "<td class=\"bar\" aria-hidden=\"true\"></td>";
    }
    let m = t["min_count"].as_u64().unwrap_or(DEFAULT_MIN_COUNT).to_string();
    h + &format!("</tr></tfoot></table></div><figcaption>{}</figcaption></figure>", escape(&w[4].replace("{m}", &m)))
}

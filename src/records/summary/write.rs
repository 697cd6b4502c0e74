//! The summary on disk: one CSV and one JSON file per table, and one HTML report, in a new
//! folder. The JSON is what a portal shows with `{{ statistics(table="…") }}` when placed in
//! `data/statistics/`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{Key, Shown, Summary, SummaryError, Table};
use crate::forms::form::text;
use crate::records::csv::{csv_cell, defuse_formula};

mod html;
#[cfg(test)]
mod tests;

pub use crate::statistics::FORMAT;

/// Writes every file, readable by its owner alone on Unix (a summary is for the office until it
/// decides to publish it); refuses a folder that already holds anything.
pub fn all(summary: &Summary, lang: &str, out_dir: &Path) -> Result<Vec<PathBuf>, SummaryError> {
    let shown = out_dir.display().to_string();
    let werr = |source| SummaryError::Write { path: shown.clone(), source };
    if out_dir.exists() && std::fs::read_dir(out_dir).map_err(werr)?.next().is_some() {
        return Err(SummaryError::Exists(shown));
    }
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder.create(out_dir).map_err(werr)?;
    let mut files = Vec::new();
    for t in &summary.tables {
        let id = t.spec.id();
        files.push(new_file(&out_dir.join(format!("{id}.csv")), csv(summary, t, lang).as_bytes())?);
        let json = serde_json::to_string_pretty(&table_json(summary, t)).unwrap_or_default();
        files.push(new_file(&out_dir.join(format!("{id}.json")), json.as_bytes())?);
    }
    files.push(new_file(&out_dir.join("report.html"), html::report(summary, lang).as_bytes())?);
    Ok(files)
}

fn new_file(path: &Path, bytes: &[u8]) -> Result<PathBuf, SummaryError> {
    let werr = |source| SummaryError::Write { path: path.display().to_string(), source };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path).map_err(werr)?;
    f.write_all(bytes).map_err(werr)?;
    Ok(path.to_path_buf())
}

/// A figure as published: the count, `<N` or `x`.
pub fn shown_value(s: Shown, min_count: u64) -> Value {
    match s {
        Shown::Count(n) => json!(n),
        Shown::Small => json!(format!("<{min_count}")),
        Shown::Hidden => json!("x"),
    }
}

/// A figure as text for people: the count, «<N» or «×».
pub fn shown_text(s: Shown, min_count: u64) -> String {
    match s {
        Shown::Count(n) => n.to_string(),
        Shown::Small => format!("<{min_count}"),
        Shown::Hidden => "×".to_string(),
    }
}

/// A key's name for people.
pub fn key_title(k: Key, lang: &str) -> &'static str {
    let (uk, en) = match k {
        Key::Outcome => ("Результат скринінгу", "Screening outcome"),
        Key::Dimension => ("Вимір", "Dimension"),
        Key::Indicator => ("Ознака", "Indicator"),
        Key::Region => ("Регіон", "Region"),
        Key::Month => ("Місяць", "Month"),
        Key::AgeBand => ("Вікова група", "Age group"),
        Key::Sex => ("Стать", "Sex"),
    };
    if lang == "en" {
        en
    } else {
        uk
    }
}

pub fn total_title(lang: &str) -> &'static str {
    if lang == "en" {
        "All screenings"
    } else {
        "Усі скринінги"
    }
}

fn csv(summary: &Summary, t: &Table, lang: &str) -> String {
    let m = summary.min_count;
    let line = |cells: Vec<String>| cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",") + "\r\n";
    let label = |c: &super::Category| defuse_formula(text(&c.label, lang));
    let mut out = String::from("\u{feff}");
    let mut header = vec![key_title(t.spec.rows, lang).to_string()];
    header.extend(t.columns.iter().map(label));
    header.push(total_title(lang).to_string());
    out += &line(header);
    for (i, r) in t.rows.iter().enumerate() {
        let mut row = vec![label(r)];
        row.extend(t.cells.get(i).into_iter().flatten().map(|s| shown_text(*s, m)));
        row.push(shown_text(t.row_totals[i], m));
        out += &line(row);
    }
    let mut last = vec![total_title(lang).to_string()];
    last.extend(t.column_totals.iter().map(|s| shown_text(*s, m)));
    last.push(shown_text(t.total, m));
    out + &line(last)
}

/// One table as JSON; labels in every language of the form.
pub fn table_json(summary: &Summary, t: &Table) -> Value {
    let m = summary.min_count;
    let cats =
        |cs: &[super::Category]| -> Vec<Value> { cs.iter().map(|c| json!({ "id": c.id, "label": c.label })).collect() };
    let axis = |k: Key, cs: &[super::Category]| json!({ "key": k.name(), "title": { "uk": key_title(k, "uk"), "en": key_title(k, "en") }, "categories": cats(cs) });
    let list = |v: &[Shown]| -> Vec<Value> { v.iter().map(|s| shown_value(*s, m)).collect() };
    json!({
        "format": FORMAT,
        "table": t.spec.id(),
        "form": { "id": summary.form_id, "version": summary.form_version, "title": summary.form_title },
        "min_count": m,
        "rows": axis(t.spec.rows, &t.rows),
        "columns": t.spec.columns.map(|k| axis(k, &t.columns)),
        "cells": t.cells.iter().map(|r| list(r)).collect::<Vec<_>>(),
        "row_totals": list(&t.row_totals),
        "column_totals": list(&t.column_totals),
        "total": shown_value(t.total, m),
    })
}

//! The docs files: the records of whole pages in site order, each record shortened against the
//! one before it in the same page, and where each file starts as one bit a page.
//!
//! A page's sections share its path and its breadcrumbs, which are most of a record apart from
//! the snippet text: a section's id is written as its `#anchor` alone, and its breadcrumbs as
//! `1` ("the page record's breadcrumbs, then its title") or `0` ("the same as the record
//! before"). Records never refer across pages, so a file, which starts where a page starts,
//! is read on its own. The manifest lists the pages, each as its number of documents and
//! whether a docs file starts with it: the client groups results by page and knows which file
//! holds a record before loading any.

use super::{hand_over, push_number, register, Emit, Made, Place, DOCS_TARGET};
use crate::search::prepare::{js_json, DocRecord};
use crate::search::SearchFile;

/// Path of docs file `n`: `docs/<n / DOCS_PER_FOLDER>/<n>.js`.
pub fn docs_name(n: usize) -> String {
    format!("docs/{}/{n}.js", n / super::DOCS_PER_FOLDER)
}

/// Breadcrumbs of a page's section: the page's breadcrumbs, then the page's title.
const TRAIL_SEPARATOR: &str = " › ";

/// The record as its docs file writes it, given the record before it when that is of the same
/// page.
fn record_json(rec: &DocRecord, before: Option<&DocRecord>) -> String {
    let path = |id: &str| id.split_once('#').map_or(id.len(), |(p, _)| p.len());
    let id = match before {
        Some(b) if rec.id.len() > path(&rec.id) && rec.id[..path(&rec.id)] == b.id[..path(&b.id)] => {
            js_json(&rec.id[path(&rec.id)..])
        }
        _ => js_json(&*rec.id),
    };
    let crumbs = match before {
        Some(b) if rec.crumbs == b.crumbs => "0".to_string(),
        Some(b) if *rec.crumbs == *under(b) => "1".to_string(),
        _ => js_json(&*rec.crumbs),
    };
    format!("[{id},{},{crumbs},{}]", js_json(&*rec.title), js_json(&*rec.text))
}

/// The breadcrumbs of the sections under `page`'s record.
fn under(page: &DocRecord) -> String {
    if page.crumbs.is_empty() {
        page.title.to_string()
    } else {
        format!("{}{TRAIL_SEPARATOR}{}", page.crumbs, page.title)
    }
}

/// The pages in document order, one number each in the posting code: the page's number of
/// documents times two, plus one where the page starts a docs file (see the manifest's `pages`).
fn page_code(page_start: &[bool], file_starts: &std::collections::HashSet<usize>) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < page_start.len() {
        let end = (i + 1..page_start.len()).find(|&j| page_start[j]).unwrap_or(page_start.len());
        let count = u32::try_from(end - i).unwrap_or(u32::MAX / 2);
        push_number(&mut out, count * 2 + u32::from(file_starts.contains(&i)));
        i = end;
    }
    out
}

/// The docs files written: the pages and where files start (see [`page_code`]), and the files
/// made.
pub(super) type DocsWritten = (String, Vec<Made>);

/// Writes the docs files of the documents' `records`, each document's `pages` entry naming its
/// page: whole pages in order, a file closed before a page that would take it past
/// [`DOCS_TARGET`] (a page larger than that has a file of its own). Each file is handed over as
/// soon as it is complete, so the records are never all held twice.
pub(super) fn write_docs<E: Send>(records: &[&DocRecord], pages: &[u64], emit: &Emit<'_, E>) -> Result<DocsWritten, E> {
    let page_start: Vec<bool> = (0..pages.len()).map(|i| i == 0 || pages[i - 1] != pages[i]).collect();
    let mut made = Vec::new();
    let mut file_starts = std::collections::HashSet::new();
    let (mut file, mut first, mut size) = (String::new(), 0, 0);
    let flush = |file: &mut String, first: usize, made: &mut Vec<Made>| -> Result<(), E> {
        let n = made.len();
        let payload = format!("{{\"first\":{first},\"docs\":[{file}]}}");
        made.push(hand_over(
            Place::Docs(n),
            SearchFile { path: docs_name(n), bytes: register("docs", n, &payload) },
            emit,
        )?);
        file.clear();
        Ok(())
    };
    let mut i = 0;
    while i < records.len() {
        let end = (i + 1..records.len()).find(|&j| page_start[j]).unwrap_or(records.len());
        let page: Vec<String> = (i..end).map(|k| record_json(records[k], (k > i).then(|| records[k - 1]))).collect();
        let page_size: usize = page.iter().map(|r| r.len() + 1).sum();
        if size > 0 && size + page_size > DOCS_TARGET {
            flush(&mut file, first, &mut made)?;
            size = 0;
        }
        if size == 0 {
            (first, size) = (i, 0);
            file_starts.insert(i);
        }
        for r in page {
            if !file.is_empty() {
                file.push(',');
            }
            file.push_str(&r);
        }
        size += page_size;
        i = end;
    }
    if !records.is_empty() {
        flush(&mut file, first, &mut made)?;
    }
    Ok((page_code(&page_start, &file_starts), made))
}

//! What the preview adds to a served page: the live-reload script, and after a failed build the
//! diagnostics above the last good page. Files on disk never change.

use super::View;
use crate::html::escape;

/// Adds the live-reload script before `</body>` and, after a failed build, the diagnostics right
/// after `<body…>` with their stylesheet in the head. Served responses only.
pub(super) fn inject(html: &str, view: &View) -> String {
    let mut inserts: Vec<(usize, String)> = Vec::new();
    if let Some(report) = &view.error {
        let link = "<link rel=\"stylesheet\" href=\"/__oberih/overlay.css\">".to_string();
        let overlay = overlay_html(report);
        match (html.find("</head>"), body_open_end(html)) {
            (Some(h), Some(b)) if h < b => inserts.extend([(h, link), (b, overlay)]),
            (_, Some(b)) => inserts.push((b, link + &overlay)),
            _ => inserts.push((0, link + &overlay)),
        }
    }
    let end = html.rfind("</body>").unwrap_or(html.len());
    inserts.push((end, format!("<script src=\"/__oberih/live.js\" data-build=\"{}\"></script>", view.id)));
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(html.len() + inserts.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut from = 0;
    for (at, text) in inserts {
        out.push_str(&html[from..at]);
        out.push_str(&text);
        from = at;
    }
    out.push_str(&html[from..]);
    out
}

/// The index just after the `<body …>` start tag.
pub(super) fn body_open_end(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<body") {
        let start = from + i;
        let after = &html[start + 5..];
        if after.starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            return after.find('>').map(|j| start + 5 + j + 1);
        }
        from = start + 5;
    }
    None
}

pub(super) fn overlay_html(report: &str) -> String {
    let errors = report.lines().filter(|l| l.starts_with("error:")).count();
    format!(
        "<div id=\"oberih-overlay\" class=\"oberih-overlay\" role=\"alert\"><details open>\
         <summary>Збирання не вдалося, помилок: {errors} · Build failed: {}</summary>\
         <p>Нижче — остання вдала версія. Виправте файл і збережіть: сторінка оновиться сама.<br>\
         Below is the last good version. Fix the file and save: this page reloads by itself.</p>\
         <pre>{}</pre></details></div>",
        crate::i18n::english_count(errors, "error", "errors"),
        escape(report)
    )
}

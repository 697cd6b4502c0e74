//! The HTML report: one self-contained file that opens from `file://` and prints on A4. No
//! scripts and no requests: its Content-Security-Policy allows only its own stylesheet, by hash.
//! Bars are inline SVG drawn with presentation attributes (a style attribute would need
//! `unsafe-inline`); each bar repeats a number of the table beside it, so the SVG is hidden from
//! screen readers.

use base64::Engine;
use sha2::{Digest, Sha256};

use super::{key_title, shown_text, total_title};
use crate::forms::form::text;
use crate::html::escape;
use crate::i18n::grouped;
use crate::records::summary::{Shown, Summary, Table};

const STYLE: &str = "\
:root{color-scheme:light;--ink:#1a202c;--muted:#4a5568;--line:#cbd5e0;--bar:#2b6cb0}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:var(--ink);background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:2rem 0 .5rem}
p{margin:.5rem 0}
.note{color:var(--muted);font-size:.9rem}
.scroll{overflow-x:auto;background:linear-gradient(to right,#fff 40%,#fff0) left/2rem 100% no-repeat local,\
linear-gradient(to left,#fff 40%,#fff0) right/2rem 100% no-repeat local,\
radial-gradient(farthest-side at 0 50%,#0003,#0000) left/.75rem 100% no-repeat scroll,\
radial-gradient(farthest-side at 100% 50%,#0003,#0000) right/.75rem 100% no-repeat scroll}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-size:.9rem;padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;vertical-align:top}
th{text-align:left;font-weight:600}
td.n,th.n{text-align:right;white-space:nowrap}
tr.total th,tr.total td{border-top:2px solid var(--ink);font-weight:600}
td.bar{width:30%;min-width:3rem}
@media (max-width:30rem){main{padding:.75rem}th,td{padding:.3rem .25rem}td.bar{width:20%}}
td.bar svg{display:block;width:100%;height:.8rem;margin-top:.35rem}
@media print{@page{size:A4;margin:15mm}body{font-size:10pt}main{max-width:none;padding:0}
.scroll{overflow:visible;background:none}h2,caption{break-after:avoid}thead{display:table-header-group}tr{break-inside:avoid}
td.bar svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
";

/// `'sha256-…'` of the stylesheet, for the policy.
fn style_hash() -> String {
    let digest = Sha256::digest(STYLE.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

fn t(lang: &str, uk: &'static str, en: &'static str) -> &'static str {
    if lang == "en" {
        en
    } else {
        uk
    }
}

/// "123 скринінги" / "123 screenings", by the CLDR plural category of the count.
fn screenings(lang: &str, n: u64) -> String {
    let word = match (lang, crate::i18n::plural_category(lang, n)) {
        ("en", "one") => "screening",
        ("en", _) => "screenings",
        (_, "one") => "скринінг",
        (_, "few") => "скринінги",
        (_, "many") => "скринінгів",
        _ => "скринінгу",
    };
    format!("{}\u{a0}{word}", grouped(n, lang))
}

/// A figure for people: a count with its language's digit groups; a small or hidden one as the
/// tables write it («<10», «×»), as HTML text.
fn shown(s: Shown, m: u64, lang: &str) -> String {
    match s {
        Shown::Count(n) => grouped(n, lang),
        other => escape(&shown_text(other, m)),
    }
}

pub fn report(summary: &Summary, lang: &str) -> String {
    let lang = if lang == "en" { "en" } else { "uk" };
    let title =
        format!("{}: {}", t(lang, "Статистика скринінгу", "Screening statistics"), text(&summary.form_title, lang));
    let m = summary.min_count;
    let total = summary.tables.first().map_or(Shown::Small, |t| t.total);
    let counted = match total {
        Shown::Count(n) => format!("{} {}.", t(lang, "Усього", "In all,"), screenings(lang, n)),
        _ => format!("{} {m}.", t(lang, "Скринінгів менше ніж", "Fewer screenings than")),
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; img-src 'none'; base-uri 'none'; form-action 'none'\">\
<meta name=\"referrer\" content=\"no-referrer\"><title>{}</title><style>{STYLE}</style></head>\n<body><main>\
<h1>{}</h1><p>{} {} {} {}.</p><p>{counted}</p><p class=\"note\">{}</p>\n",
        style_hash(),
        escape(&title),
        escape(&title),
        t(lang, "Форма", "Form"),
        escape(&summary.form_id),
        t(lang, "версії", "version"),
        escape(&summary.form_version),
        escape(&note(lang, m)),
    );
    for table in &summary.tables {
        out += &section(table, lang, m);
    }
    out += "</main></body></html>\n";
    out
}

fn note(lang: &str, m: u64) -> String {
    match lang {
        "en" => format!(
            "Counts below {m} are shown as «<{m}»; counts shown as «×» are hidden so that no small count can be \
             worked out from totals or from another table. Each screening is counted once per table, except under \
             indicators and dimensions, where it counts under each one found."
        ),
        _ => format!(
            "Числа, менші за {m}, показано як «<{m}»; числа, позначені «×», приховано, щоб жодне мале число не можна \
             було обчислити з підсумків чи з іншої таблиці. Кожен скринінг у таблиці враховано один раз, крім ознак \
             і вимірів: там він враховується під кожною виявленою."
        ),
    }
}

fn section(table: &Table, lang: &str, m: u64) -> String {
    let rows_title = key_title(table.spec.rows, lang);
    let heading = match table.spec.columns {
        None => rows_title.to_string(),
        Some(c) => format!("{rows_title} × {}", key_title(c, lang).to_lowercase()),
    };
    let caption = t(lang, "Кількість скринінгів", "Number of screenings");
    let mut out = format!(
        "<section aria-labelledby=\"t-{id}\"><h2 id=\"t-{id}\">{}</h2><div class=\"scroll\"><table><caption>{caption}</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(&heading),
        escape(rows_title),
        id = table.spec.id(),
    );
    for c in &table.columns {
        out += &format!("<th scope=\"col\" class=\"n\">{}</th>", escape(text(&c.label, lang)));
    }
    // Bars only where one number stands per row; a cross table is read by its numbers.
    let bars = table.columns.is_empty();
    let count_head =
        if bars { t(lang, "Скринінгів", "Screenings") } else { t(lang, "Усього", "Total") };
    out += &format!("<th scope=\"col\" class=\"n\">{count_head}</th>");
    if bars {
        out += &format!("<th scope=\"col\"><span class=\"note\">{}</span></th>", t(lang, "Частка", "Share"));
    }
    out += "</tr></thead><tbody>";
    let max = table
        .row_totals
        .iter()
        .filter_map(|s| if let Shown::Count(n) = s { Some(*n) } else { None })
        .max()
        .unwrap_or(0);
    for (i, r) in table.rows.iter().enumerate() {
        out += &format!("<tr><th scope=\"row\">{}</th>", escape(text(&r.label, lang)));
        for s in table.cells.get(i).into_iter().flatten() {
            out += &format!("<td class=\"n\">{}</td>", shown(*s, m, lang));
        }
        out += &format!("<td class=\"n\">{}</td>", shown(table.row_totals[i], m, lang));
        if bars {
            out += &format!("<td class=\"bar\">{}</td>", bar(table.row_totals[i], max));
        }
        out += "</tr>";
    }
    out += &format!("</tbody><tfoot><tr class=\"total\"><th scope=\"row\">{}</th>", total_title(lang));
    for s in &table.column_totals {
        out += &format!("<td class=\"n\">{}</td>", shown(*s, m, lang));
    }
    out += &format!("<td class=\"n\">{}</td>", shown(table.total, m, lang));
    // The bars' column, where there is one: every row has as many cells as the head.
    if bars {
        out += "<td></td>";
    }
    out += "</tr></tfoot></table></div></section>\n";
    out
}

/// A bar for a published count; nothing for a suppressed one (its length would tell).
fn bar(s: Shown, max: u64) -> String {
    let Shown::Count(n) = s else { return String::new() };
    let width = if max == 0 { 0.0 } else { n as f64 * 100.0 / max as f64 };
    format!(
        "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">\
<rect width=\"100\" height=\"10\" fill=\"#edf2f7\"/><rect width=\"{width:.1}\" height=\"10\" fill=\"#2b6cb0\"/></svg>"
    )
}

//! An imported form written as a form file, in the layout of `forms/*.toml`: the `[form]`
//! table, the choice lists, then each section with its questions, texts by language.

use std::fmt::Write;

use super::model::{ChoiceList, ImportedForm, ImportedQuestion, ImportedSection, Texts};

/// The form file's text.
pub fn write(form: &ImportedForm) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Imported from an XLSForm by `oberih form import`.\n");
    let _ = writeln!(out, "[form]");
    let _ = writeln!(out, "id = {}", quote(&form.id));
    let _ = writeln!(out, "version = {}", quote(&form.version));
    let _ = writeln!(out, "title = {}", inline(&form.title, &form.languages));
    if !form.lists.is_empty() {
        let _ = writeln!(out, "\n[choices]");
        for list in &form.lists {
            choice_list(&mut out, list, &form.languages);
        }
    }
    for s in &form.sections {
        section(&mut out, s, &form.languages);
    }
    done(&mut out, &form.languages);
    out
}

/// XLSForm has no outcomes; a form file ends with a catch-all one, so the questionnaire says
/// the interview is complete. A language other than Ukrainian and English gets the English
/// text, to translate.
fn done(out: &mut String, languages: &[String]) {
    let label: Texts = languages
        .iter()
        .map(|l| {
            let text = if l == "uk" { "Опитування завершено" } else { "Interview complete" };
            (l.clone(), text.to_string())
        })
        .collect();
    let _ = writeln!(out, "\n# XLSForm has no outcomes: every interview ends here.");
    let _ = writeln!(out, "[[outcome]]");
    let _ = writeln!(out, "id = \"done\"");
    let _ = writeln!(out, "when = \"true\"");
    let _ = writeln!(out, "label = {}", inline(&label, languages));
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `{ uk = "…", en = "…" }` in the form's language order.
fn inline(t: &Texts, languages: &[String]) -> String {
    let parts: Vec<String> = languages.iter().filter_map(|l| t.get(l).map(|v| format!("{l} = {}", quote(v)))).collect();
    format!("{{ {} }}", parts.join(", "))
}

fn choice_list(out: &mut String, list: &ChoiceList, languages: &[String]) {
    let _ = writeln!(out, "{} = [", list.name);
    for c in &list.choices {
        let missing = if c.missing { ", missing = true" } else { "" };
        let _ = writeln!(out, "  {{ value = {}, label = {}{missing} }},", quote(&c.value), inline(&c.label, languages));
    }
    let _ = writeln!(out, "]");
}

fn section(out: &mut String, s: &ImportedSection, languages: &[String]) {
    let _ = writeln!(out, "\n[[section]]");
    let _ = writeln!(out, "id = {}", quote(&s.id));
    let _ = writeln!(out, "title = {}", inline(&s.title, languages));
    if let Some(r) = &s.relevant {
        let _ = writeln!(out, "relevant = {}", quote(r));
    }
    if s.repeat {
        let _ = writeln!(out, "repeat = true");
    }
    for q in &s.questions {
        question(out, q, languages);
    }
}

fn question(out: &mut String, q: &ImportedQuestion, languages: &[String]) {
    let _ = writeln!(out, "\n  [[section.question]]");
    let _ = writeln!(out, "  id = {}", quote(&q.id));
    let _ = writeln!(out, "  type = {}", quote(q.kind.as_str()));
    if let Some(list) = &q.list {
        let _ = writeln!(out, "  choices = {}", quote(list));
    }
    if q.required {
        let _ = writeln!(out, "  required = true");
    }
    for (key, value) in [
        ("relevant", &q.relevant),
        ("constraint", &q.constraint),
        ("calculation", &q.calculation),
        ("alert_if", &q.alert_if),
        ("end_if", &q.end_if),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "  {key} = {}", quote(v));
        }
    }
    for (key, texts) in [
        ("label", &q.label),
        ("hint", &q.hint),
        ("guidance", &q.guidance),
        ("constraint_message", &q.constraint_message),
        ("alert", &q.alert),
        ("end_message", &q.end_message),
    ] {
        for lang in languages {
            if let Some(v) = texts.get(lang) {
                let _ = writeln!(out, "  {key}.{lang} = {}", quote(v));
            }
        }
    }
}

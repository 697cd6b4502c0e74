//! An imported form written as a form file, in the layout of `forms/*.toml`: the `[form]`
//! table, the choice lists, then each section with its questions, texts by language.

use std::fmt::Write;

use super::model::{
    ChoiceList, ImportedForm, ImportedIndicator, ImportedOutcome, ImportedQuestion, ImportedSection, Texts,
};

/// The form file's text.
pub fn write(form: &ImportedForm) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Imported from an XLSForm by `oberih form import`.\n");
    let _ = writeln!(out, "[form]");
    let _ = writeln!(out, "id = {}", quote(&form.id));
    form_table(&mut out, form);
    if !form.lists.is_empty() {
        let _ = writeln!(out, "\n[choices]");
        for list in &form.lists {
            choice_list(&mut out, list, &form.languages);
        }
    }
    for s in &form.sections {
        section(&mut out, s, &form.languages);
    }
    for i in &form.indicators {
        indicator(&mut out, i, &form.languages);
    }
    if form.outcomes.is_empty() {
        done(&mut out, &form.languages);
    }
    for o in &form.outcomes {
        outcome(&mut out, o, &form.languages);
    }
    other_tables(&mut out, form);
    out
}

/// The rest of `[form]`: what the workbook's `oberih` setting holds, the settings sheet's
/// version and title where it says none, and `style = pages` as `presentation = "steps"` where
/// it has no `[form.privacy]`.
fn form_table(out: &mut String, form: &ImportedForm) {
    let own = form.tables.as_ref().and_then(|t| t.get("form")).and_then(|f| f.as_table());
    let empty = toml::Table::new();
    let own = own.unwrap_or(&empty);
    // The settings sheet's version and title stand in for what the setting leaves out.
    if !own.contains_key("version") {
        let _ = writeln!(out, "version = {}", quote(&form.version));
    }
    if !own.contains_key("title") {
        let _ = writeln!(out, "title = {}", inline(&form.title, &form.languages));
    }
    for (key, value) in own.iter().filter(|(k, _)| !matches!(k.as_str(), "id" | "privacy")) {
        let _ = writeln!(out, "{} = {value}", key_of(key));
    }
    if let Some(privacy) = own.get("privacy").and_then(|p| p.as_table()) {
        let _ = writeln!(out, "\n[form.privacy]");
        for (key, value) in privacy {
            let _ = writeln!(out, "{} = {value}", key_of(key));
        }
    } else if form.steps {
        let _ = writeln!(out, "\n[form.privacy]\npresentation = \"steps\"");
    }
}

/// `[dimensions]`, `[messages]`, `[[migration]]` and any other table of the `oberih` setting.
fn other_tables(out: &mut String, form: &ImportedForm) {
    let Some(tables) = &form.tables else { return };
    let mut rest = tables.clone();
    for sheet_made in ["form", "choices", "section", "indicator", "outcome"] {
        rest.remove(sheet_made);
    }
    // Written as form files write them: `[dimensions.labels]` with one inline table a line.
    let mut arrays = toml::Table::new();
    for (name, value) in rest {
        let Some(table) = value.as_table() else {
            arrays.insert(name, value);
            continue;
        };
        let leaves: Vec<_> = table.iter().filter(|(_, v)| !v.is_table()).collect();
        if !leaves.is_empty() {
            let _ = writeln!(out, "\n[{}]", key_of(&name));
            for (k, v) in leaves {
                let _ = writeln!(out, "{} = {v}", key_of(k));
            }
        }
        for (sub, inner) in table.iter().filter_map(|(k, v)| v.as_table().map(|t| (k, t))) {
            let _ = writeln!(out, "\n[{}.{}]", key_of(&name), key_of(sub));
            for (k, v) in inner {
                let _ = writeln!(out, "{} = {v}", key_of(k));
            }
        }
    }
    if !arrays.is_empty() {
        let _ = write!(out, "\n{}", toml::to_string(&arrays).unwrap_or_default());
    }
}

fn indicator(out: &mut String, i: &ImportedIndicator, languages: &[String]) {
    let _ = writeln!(out, "\n[[indicator]]");
    let _ = writeln!(out, "id = {}", quote(&i.id));
    let _ = writeln!(out, "dimension = {}", quote(&i.dimension));
    let _ = writeln!(out, "strength = {}", quote(&i.strength));
    let _ = writeln!(out, "when = {}", quote(&i.when));
    let _ = writeln!(out, "label = {}", inline(&i.label, languages));
    if !i.standards.is_empty() {
        let _ = writeln!(out, "standards = {}", list(&i.standards));
    }
    if let Some(h) = &i.htcds {
        let _ = writeln!(out, "htcds = {}", quote(h));
    }
}

fn outcome(out: &mut String, o: &ImportedOutcome, languages: &[String]) {
    let _ = writeln!(out, "\n[[outcome]]");
    let _ = writeln!(out, "id = {}", quote(&o.id));
    let _ = writeln!(out, "when = {}", quote(&o.when));
    let _ = writeln!(out, "label = {}", inline(&o.label, languages));
    if !o.action.is_empty() {
        let _ = writeln!(out, "action = {}", inline(&o.action, languages));
    }
}

/// `["a", "b"]`.
fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", "))
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

/// A key as TOML needs it: bare when it can be, quoted otherwise.
fn key_of(k: &str) -> String {
    let bare = !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        k.to_string()
    } else {
        quote(k)
    }
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
        let htcds = c.htcds.as_ref().map(|h| format!(", htcds = {}", quote(h))).unwrap_or_default();
        let (value, label) = (quote(&c.value), inline(&c.label, languages));
        let _ = writeln!(out, "  {{ value = {value}, label = {label}{missing}{htcds} }},");
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
        for (key, n) in [("min", s.min), ("max", s.max)] {
            if let Some(n) = n {
                let _ = writeln!(out, "{key} = {n}");
            }
        }
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
    if q.core {
        let _ = writeln!(out, "  core = true");
    }
    if !q.standards.is_empty() {
        let _ = writeln!(out, "  standards = {}", list(&q.standards));
    }
    for (key, value) in [("measure", &q.measure), ("htcds", &q.htcds)] {
        if let Some(v) = value {
            let _ = writeln!(out, "  {key} = {}", quote(v));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oberih_setting_comes_back_as_toml_whatever_its_keys() {
        let tables: toml::Table =
            "[form]\nversion = \"2\"\n\"odd key\" = 1\n[dimensions.labels]\n\"a.b\" = { uk = \"А\" }\n[[migration]]\nfrom = \"1\"\n"
                .parse()
                .unwrap();
        let form = ImportedForm {
            id: "f".into(),
            version: "1".into(),
            title: [("uk".to_string(), "Ф".to_string())].into(),
            languages: vec!["uk".into()],
            tables: Some(tables),
            steps: true,
            ..ImportedForm::default()
        };
        let text = write(&form);
        let back: toml::Table = text.parse().unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert_eq!(back["form"]["version"].as_str(), Some("2"));
        assert_eq!(back["form"]["odd key"].as_integer(), Some(1));
        assert_eq!(back["form"]["privacy"]["presentation"].as_str(), Some("steps"));
        assert_eq!(back["dimensions"]["labels"]["a.b"]["uk"].as_str(), Some("А"));
        assert_eq!(back["migration"][0]["from"].as_str(), Some("1"));
        assert_eq!(back["outcome"][0]["id"].as_str(), Some("done"));
    }
}

//! Forms in a language a region adds. The portal's own languages are required in every form
//! text; an added language (Hungarian in Zakarpattia, say) comes from a translation file
//! `forms/<id>.<lang>.toml` beside the form, keyed by the ids the form already has, so the
//! national form is never copied. Whatever it leaves out falls back to the default language.
//!
//! ```toml
//! [form]
//! title = "Elsődleges szűrés"
//! [sections.work]
//! title = "Munka"
//! [questions.owes_debt]
//! label = "Tartozik valakinek?"
//! [choices]          # by choice value, for every list
//! yes = "Igen"
//! [indicators.debt]
//! label = "…"
//! [outcomes.refer]
//! label = "…"
//! action = "…"
//! [dimensions]
//! exploitation = "…"
//! [messages.indicators_found]   # the CLDR plural forms the language uses
//! one = "{n} jel észlelve"
//! other = "{n} jel észlelve"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{toml_error, LangText};
use crate::diag::Diagnostic;
use crate::forms::source_map::SourceMap;
use crate::forms::validate::wording;
use crate::forms::Form;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    #[serde(default)]
    form: Texts,
    #[serde(default)]
    sections: BTreeMap<String, Texts>,
    #[serde(default)]
    questions: BTreeMap<String, Texts>,
    #[serde(default)]
    choices: BTreeMap<String, String>,
    #[serde(default)]
    indicators: BTreeMap<String, Texts>,
    #[serde(default)]
    outcomes: BTreeMap<String, Texts>,
    #[serde(default)]
    dimensions: BTreeMap<String, String>,
    /// Message name → CLDR plural category → text.
    #[serde(default)]
    messages: BTreeMap<String, BTreeMap<String, String>>,
    /// The file as written, for diagnostics at a line and column.
    #[serde(skip)]
    source: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    title: Option<String>,
    description: Option<String>,
    label: Option<Spanned<String>>,
    hint: Option<String>,
    guidance: Option<String>,
    constraint_message: Option<String>,
    alert: Option<String>,
    end_message: Option<String>,
    action: Option<String>,
}

/// `forms/initial-screening.hu.toml` → (`initial-screening`, `hu`) when `hu` is a portal language.
pub fn pack_target<'a>(rel: &'a str, languages: &[String]) -> Option<(&'a str, &'a str)> {
    let stem = rel.strip_prefix("forms/")?.strip_suffix(".toml")?;
    let (id, lang) = stem.rsplit_once('.')?;
    languages.iter().any(|l| l == lang).then_some((id, lang))
}

pub fn parse(shown: &str, text: &str) -> Result<Pack, Diagnostic> {
    let mut pack: Pack = toml::from_str(text).map_err(|e| toml_error(shown, text, &e))?;
    pack.source = text.to_string();
    Ok(pack)
}

fn set(t: &mut LangText, lang: &str, v: &Option<String>) {
    if let Some(v) = v {
        t.insert(lang.to_string(), v.clone());
    }
}

fn set_label(t: &mut LangText, lang: &str, v: &Option<Spanned<String>>) {
    if let Some(v) = v {
        t.insert(lang.to_string(), v.get_ref().clone());
    }
}

fn set_opt(t: &mut Option<LangText>, lang: &str, v: &Option<String>) {
    if let (Some(t), Some(v)) = (t.as_mut(), v) {
        t.insert(lang.to_string(), v.clone());
    }
}

/// Puts a translation into the form. Ids the form does not have are reported, so a renamed
/// question in the national form shows up in the regional translation at once.
pub fn apply(form: &mut Form, lang: &str, pack: &Pack, shown: &str) -> Vec<Diagnostic> {
    let mut unknown = Vec::new();
    let mut problems = Vec::new();
    set(&mut form.title, lang, &pack.form.title);
    set_opt(&mut form.description, lang, &pack.form.description);
    for (id, t) in &pack.sections {
        match form.sections.iter_mut().find(|s| &s.id == id) {
            Some(s) => set(&mut s.title, lang, &t.title),
            None => unknown.push(format!("section `{id}`")),
        }
    }
    problems.extend(apply_questions(form, lang, pack, shown, &mut unknown));
    apply_results(form, lang, pack, &mut unknown);
    problems.extend(apply_messages(form, lang, pack, shown, &mut unknown));
    problems.extend(
        unknown
            .into_iter()
            .map(|what| Diagnostic::file_error(shown, format!("the form `{}` has no {what}", form.id)).warning()),
    );
    problems
}

/// Puts the translated questions and choices into the form; the ids it lacks go to `unknown`,
/// and a yes/no question whose translation asks two things is an error.
fn apply_questions(
    form: &mut Form,
    lang: &str,
    pack: &Pack,
    shown: &str,
    unknown: &mut Vec<String>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (id, t) in &pack.questions {
        let Some(q) = form.sections.iter_mut().flat_map(|s| s.questions.iter_mut()).find(|q| &q.id == id) else {
            unknown.push(format!("question `{id}`"));
            continue;
        };
        problems.extend(double_question(pack, shown, id, &q.choices, &t.label));
        set_label(&mut q.label, lang, &t.label);
        set_opt(&mut q.hint, lang, &t.hint);
        set_opt(&mut q.guidance, lang, &t.guidance);
        set_opt(&mut q.constraint_message, lang, &t.constraint_message);
        set_opt(&mut q.alert, lang, &t.alert);
        set_opt(&mut q.end_message, lang, &t.end_message);
    }
    for q in form.sections.iter_mut().flat_map(|s| s.questions.iter_mut()) {
        for c in &mut q.choices {
            if let Some(label) = pack.choices.get(&c.value) {
                c.label.insert(lang.to_string(), label.clone());
            }
        }
    }
    problems
}

/// Puts the translated indicators, outcomes and dimensions into the form; the ids it lacks go to
/// `unknown`.
fn apply_results(form: &mut Form, lang: &str, pack: &Pack, unknown: &mut Vec<String>) {
    for (id, t) in &pack.indicators {
        match form.indicators.iter_mut().find(|i| &i.id == id) {
            Some(i) => set_label(&mut i.label, lang, &t.label),
            None => unknown.push(format!("indicator `{id}`")),
        }
    }
    for (id, t) in &pack.outcomes {
        match form.outcomes.iter_mut().find(|o| &o.id == id) {
            Some(o) => {
                set_label(&mut o.label, lang, &t.label);
                set_opt(&mut o.action, lang, &t.action);
            }
            None => unknown.push(format!("outcome `{id}`")),
        }
    }
    for (id, label) in &pack.dimensions {
        match form.dimensions.iter_mut().find(|d| &d.id == id) {
            Some(d) => {
                d.label.insert(lang.to_string(), label.clone());
            }
            None => unknown.push(format!("dimension `{id}`")),
        }
    }
}

/// The translated label of a yes/no question that asks two things: an error at the second one.
fn double_question(
    pack: &Pack,
    shown: &str,
    id: &str,
    choices: &[crate::forms::Choice],
    label: &Option<Spanned<String>>,
) -> Option<Diagnostic> {
    let label = label.as_ref().filter(|_| wording::is_yes_no(choices))?;
    let second = wording::second_question(label.get_ref())?;
    let map = SourceMap::new(&pack.source, label.span(), label.get_ref());
    let at = map.range(crate::forms::expr::Span::new(second.start, second.end));
    let message = format!("the yes/no question `{id}` asks two things");
    Some(Diagnostic::at(shown, &pack.source, at, message).with_help(wording::SPLIT_HELP))
}

/// `[messages.<name>]` of a translation: the plural forms `lang` uses, checked against CLDR;
/// a message that lacks some is left to fall back whole, so no count is ever shown half-translated.
fn apply_messages(form: &mut Form, lang: &str, pack: &Pack, shown: &str, unknown: &mut Vec<String>) -> Vec<Diagnostic> {
    let needed = crate::forms::plural_needed(lang);
    let mut problems = Vec::new();
    for (name, forms) in &pack.messages {
        let Some(by_lang) = form.messages.get_mut(name) else {
            unknown.push(format!("message `{name}`"));
            continue;
        };
        let missing: Vec<&str> = needed.iter().copied().filter(|c| !forms.contains_key(*c)).collect();
        let extra: Vec<&str> = forms.keys().map(String::as_str).filter(|c| !needed.contains(c)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            let message = format!(
                "message `{name}` in `{lang}` needs exactly the plural forms {} (CLDR); it is shown in the default language",
                needed.join(", ")
            );
            problems.push(Diagnostic::file_error(shown, message).warning());
            continue;
        }
        by_lang.insert(lang.to_string(), forms.clone());
    }
    problems
}

/// Every text still missing in `lang` takes the default language's, marked as being in it
/// ([`crate::fallback`]), so that pages mark it with `lang` and say that some texts are not
/// translated. Plural messages are left out: the questionnaire falls back to the default
/// language's forms, whole, with that language's plural rules.
pub fn fill_missing(form: &mut Form, lang: &str, default: &str) {
    let fill = |t: &mut LangText| {
        if !t.contains_key(lang) {
            if let Some(v) = t.get(default) {
                let marked = crate::fallback::mark(default, v);
                t.insert(lang.to_string(), marked);
            }
        }
    };
    fill(&mut form.title);
    form.description.as_mut().map(fill);
    for s in &mut form.sections {
        fill(&mut s.title);
        for q in &mut s.questions {
            fill(&mut q.label);
            for t in [&mut q.hint, &mut q.guidance, &mut q.constraint_message, &mut q.alert, &mut q.end_message] {
                t.as_mut().map(fill);
            }
            q.choices.iter_mut().for_each(|c| fill(&mut c.label));
        }
    }
    form.indicators.iter_mut().for_each(|i| fill(&mut i.label));
    for o in &mut form.outcomes {
        fill(&mut o.label);
        o.action.as_mut().map(fill);
    }
    form.dimensions.iter_mut().for_each(|d| fill(&mut d.label));
}

/// Every text of a form with its key in a translation file (`questions.owes_debt.hint`), in form
/// order; a choice appears once per question that offers it.
fn texts(form: &Form) -> Vec<(String, &LangText)> {
    let mut out = vec![("form.title".to_string(), &form.title)];
    if let Some(d) = &form.description {
        out.push(("form.description".to_string(), d));
    }
    for s in &form.sections {
        out.push((format!("sections.{}.title", s.id), &s.title));
        for q in &s.questions {
            out.push((format!("questions.{}.label", q.id), &q.label));
            let optional = [
                ("hint", &q.hint),
                ("guidance", &q.guidance),
                ("constraint_message", &q.constraint_message),
                ("alert", &q.alert),
                ("end_message", &q.end_message),
            ];
            for (name, t) in optional {
                if let Some(t) = t {
                    out.push((format!("questions.{}.{name}", q.id), t));
                }
            }
            out.extend(q.choices.iter().map(|c| (format!("choices.{}", c.value), &c.label)));
        }
    }
    out.extend(form.indicators.iter().map(|i| (format!("indicators.{}.label", i.id), &i.label)));
    for o in &form.outcomes {
        out.push((format!("outcomes.{}.label", o.id), &o.label));
        if let Some(a) = &o.action {
            out.push((format!("outcomes.{}.action", o.id), a));
        }
    }
    out.extend(form.dimensions.iter().map(|d| (format!("dimensions.{}", d.id), &d.label)));
    // A calculation may have no label at all: there is nothing to translate.
    out.retain(|(_, t)| !t.is_empty());
    out
}

/// How a form stands in `lang` (for the coverage report): the texts it has in that language
/// itself, out of all of them (each plural message counts as one), and the keys of the missing
/// ones as a translation file names them.
pub fn coverage(form: &Form, lang: &str) -> (usize, usize, Vec<String>) {
    let own = |t: &LangText| t.get(lang).is_some_and(|v| !crate::fallback::is_marked(v));
    let all = texts(form);
    let messages: Vec<(String, bool)> =
        form.messages.iter().map(|(name, by_lang)| (format!("messages.{name}"), by_lang.contains_key(lang))).collect();
    let mut missing: Vec<String> = Vec::new();
    let mut have = 0;
    let found = all.iter().map(|(key, t)| (key, own(t))).chain(messages.iter().map(|(key, has)| (key, *has)));
    for (key, has) in found {
        if has {
            have += 1;
        } else if !missing.contains(key) {
            missing.push(key.clone());
        }
    }
    (have, all.len() + messages.len(), missing)
}

/// Whether some text of the form is shown in the default language in `lang`.
pub fn has_fallback_texts(form: &Form, lang: &str) -> bool {
    let (have, all, _) = coverage(form, lang);
    have < all
}

/// Calls `f` on every text of a form in every language.
pub fn for_each_text(form: &mut Form, f: &mut dyn FnMut(&mut String)) {
    let mut each = |t: &mut LangText| t.values_mut().for_each(&mut *f);
    each(&mut form.title);
    if let Some(d) = form.description.as_mut() {
        each(d);
    }
    for s in &mut form.sections {
        each(&mut s.title);
        for q in &mut s.questions {
            each(&mut q.label);
            for t in [&mut q.hint, &mut q.guidance, &mut q.constraint_message, &mut q.alert, &mut q.end_message] {
                if let Some(t) = t.as_mut() {
                    each(t);
                }
            }
            q.choices.iter_mut().for_each(|c| each(&mut c.label));
        }
    }
    form.indicators.iter_mut().for_each(|i| each(&mut i.label));
    for o in &mut form.outcomes {
        each(&mut o.label);
        if let Some(a) = o.action.as_mut() {
            each(a);
        }
    }
    form.dimensions.iter_mut().for_each(|d| each(&mut d.label));
}

/// Replaces `{phone:ID}` in every text of a form with the number of contact ID from
/// data/contacts.toml, so a number is written in one place only. An unknown ID stays visible as
/// `[ID]` (the build reports it at its place in the file: `phones::check_form_file`).
pub fn fill_phones(form: &mut Form, contacts: &crate::contacts::Directory) {
    for_each_text(form, &mut |text: &mut String| {
        while let Some(start) = text.find("{phone:") {
            let Some(len) = text[start..].find('}') else { break };
            let id = text[start + 7..start + len].trim().to_string();
            let phone = contacts.get(&id).and_then(|c| c.phone.clone());
            text.replace_range(start..start + len + 1, &phone.unwrap_or_else(|| format!("[{id}]")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::testing::{load_ok, BASE};

    fn with_message() -> Form {
        load_ok(&format!(
            "{BASE}\n[messages.found]\nuk = {{ one = \"{{n}} ознака\", few = \"{{n}} ознаки\", many = \"{{n}} ознак\", other = \"{{n}} ознаки\" }}\nen = {{ one = \"{{n}} sign\", other = \"{{n}} signs\" }}\n"
        ))
    }

    #[test]
    fn a_pack_translates_plural_messages_with_the_languages_cldr_forms() {
        let mut form = with_message();
        let pack = parse("forms/test.hu.toml", "[messages.found]\none = \"{n} jel\"\nother = \"{n} jel\"\n").unwrap();
        assert!(apply(&mut form, "hu", &pack, "forms/test.hu.toml").is_empty());
        assert_eq!(form.messages["found"]["hu"]["other"], "{n} jel");
    }

    #[test]
    fn a_message_with_other_plural_forms_falls_back_whole_with_a_warning() {
        let mut form = with_message();
        let pack = parse("forms/test.hu.toml", "[messages.found]\nother = \"{n} jel\"\nfew = \"{n} jel\"\n").unwrap();
        let problems = apply(&mut form, "hu", &pack, "forms/test.hu.toml");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("one, other"), "{}", problems[0].message);
        assert!(!form.messages["found"].contains_key("hu"));
        fill_missing(&mut form, "hu", "uk");
        // The questionnaire shows the default language's forms, whole, with that language's rules.
        assert!(!form.messages["found"].contains_key("hu"));
        let (_, _, missing) = coverage(&form, "hu");
        assert!(missing.contains(&"messages.found".to_string()), "{missing:?}");
    }

    #[test]
    fn missing_texts_are_filled_marked_and_counted_by_their_keys() {
        let mut form = load_ok(BASE);
        let pack = parse("forms/test.hu.toml", "[form]\ntitle = \"Teszt\"\n[choices]\nyes = \"Igen\"\n").unwrap();
        assert!(apply(&mut form, "hu", &pack, "forms/test.hu.toml").is_empty());
        fill_missing(&mut form, "hu", "uk");
        assert_eq!(form.title["hu"], "Teszt");
        let consent = form.question("consent").unwrap();
        assert_eq!(consent.label["hu"], crate::fallback::mark("uk", "Згода?"));
        assert_eq!(consent.choices[0].label["hu"], "Igen");
        let (have, all, missing) = coverage(&form, "hu");
        // The title and `yes` in the three yes/no questions.
        assert_eq!(have, 4);
        assert_eq!(all, coverage(&form, "uk").1);
        assert!(has_fallback_texts(&form, "hu"));
        assert!(!has_fallback_texts(&form, "uk"), "{:?}", coverage(&form, "uk"));
        assert_eq!(missing.iter().filter(|k| *k == "choices.no").count(), 1, "a choice is named once");
        for key in
            ["sections.main.title", "questions.consent.label", "indicators.debt.label", "dimensions.exploitation"]
        {
            assert!(missing.contains(&key.to_string()), "{key}: {missing:?}");
        }
    }

    #[test]
    fn a_translated_yes_no_question_must_ask_one_thing() {
        let mut form = load_ok(BASE);
        let text = "[questions.owes_debt]\nlabel = \"Tartozik? Nő az adósság?\"\n\n[questions.age]\nlabel = \"Hány éves? Pontosan?\"\n";
        let pack = parse("forms/test.hu.toml", text).unwrap();
        let problems = apply(&mut form, "hu", &pack, "forms/test.hu.toml");
        assert_eq!(problems.len(), 1, "only the yes/no question: {problems:?}");
        let d = &problems[0];
        assert!(d.is_error() && d.message.contains("`owes_debt` asks two things"), "{d:?}");
        let at = d.location.as_ref().unwrap();
        assert_eq!((at.line, at.col, at.width), (2, 20, "Nő az adósság?".chars().count()));
    }

    #[test]
    fn an_unknown_message_is_reported() {
        let mut form = with_message();
        let pack = parse("forms/test.hu.toml", "[messages.lost]\none = \"x\"\nother = \"x\"\n").unwrap();
        let problems = apply(&mut form, "hu", &pack, "forms/test.hu.toml");
        assert!(problems.iter().any(|p| p.message.contains("no message `lost`")), "{problems:?}");
    }
}

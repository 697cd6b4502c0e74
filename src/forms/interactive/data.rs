//! The data block of the questionnaire page: the compiled form and the interface strings of every
//! language, in the shape the runtime reads (the parts `runtime/form.parts` lists).

use serde_json::{json, Map, Value};

use super::{needs_encryption, PageContext, ENCRYPTION_UI_KEYS, PLURAL_UI_KEYS, RUNTIME_UI_KEYS};
use crate::forms::expr::DimensionRule;
use crate::forms::file::{Export, Presentation, Storage};
use crate::forms::form::{text, Choice, Form, LangText, Logic, Question, Section, INCOMPLETE};

/// The compiled form and the UI strings of every language, as the runtime reads them.
///
/// Every text is an array in `languages` order, each choice list is written once in `lists` and
/// questions name it by index, and what is absent means "none" (or the default rule), so the
/// block holds little besides the texts themselves.
pub(super) fn page_data(form: &Form, ctx: &PageContext) -> Value {
    let privacy = &form.privacy;
    let texts = Texts(ctx.languages);
    let mut lists = ChoiceLists::default();
    let sections: Vec<Value> = form.sections.iter().map(|s| section_json(s, &texts, &mut lists)).collect();
    let mut data = json!({
        "id": form.id,
        "version": form.version,
        "title": texts.of(&form.title),
        "lang": ctx.lang,
        "languages": ctx.languages,
        "presentation": match privacy.presentation {
            Some(Presentation::SinglePage) => "single_page",
            _ => "steps",
        },
        "storage": match privacy.storage {
            Some(Storage::EncryptedFile) => "encrypted-file",
            _ => "memory",
        },
        "export": match privacy.export {
            Some(Export::Encrypted) => "encrypted",
            _ => "plain",
        },
        "quick_exit": privacy.quick_exit.unwrap_or(true),
        "neutral": ctx.neutral_href,
        "sections": sections,
        "lists": lists.0,
        "indicators": indicators_json(form, &texts),
        "outcomes": outcomes_json(form, &texts),
        "dimensions": form.dimensions.iter().map(|d| json!({ "id": d.id, "label": texts.of(&d.label) })).collect::<Vec<_>>(),
        "indicator_questions": form.indicator_questions(),
        "incomplete": incomplete_outcome(ctx),
        "messages": messages(form, ctx),
        "form_href": ctx.form_href,
        "region": ctx.region,
        "ui": ui_strings(needs_encryption(form), ctx),
    });
    if let Some(key) = encryption_key(form, ctx) {
        data["key"] = key;
    }
    // expr.js applies the ILO/EC rule itself when the form keeps it.
    if form.rule != DimensionRule::default() {
        data["rule"] = json!(form.rule);
    }
    data
}

/// The `form_ui.*` strings the runtime shows, each as a text per language; the encryption ones
/// only for a form that encrypts.
fn ui_strings(encrypts: bool, ctx: &PageContext) -> Map<String, Value> {
    let sent: &[&[&str]] = if encrypts { &[RUNTIME_UI_KEYS, ENCRYPTION_UI_KEYS] } else { &[RUNTIME_UI_KEYS] };
    sent.iter()
        .flat_map(|keys| keys.iter())
        .map(|k| {
            let per_lang: Vec<Value> =
                ctx.languages.iter().map(|l| own_text(&(ctx.t)(l, &format!("form_ui.{k}")))).collect();
            (k.to_string(), json!(per_lang))
        })
        .collect()
}

/// The form's indicators with their conditions as the runtime evaluates them.
fn indicators_json(form: &Form, texts: &Texts) -> Vec<Value> {
    let indicator = |i: &crate::forms::form::Indicator| {
        json!({
            "id": i.id, "dimension": i.dimension, "strength": i.strength,
            "when": i.when.expr.to_json(), "label": texts.of(&i.label),
        })
    };
    form.indicators.iter().map(indicator).collect()
}

/// The form's outcomes in order, each with its condition and, if any, what to do.
fn outcomes_json(form: &Form, texts: &Texts) -> Vec<Value> {
    let outcome = |o: &crate::forms::form::Outcome| {
        let mut v = json!({ "id": o.id, "when": o.when.expr.to_json(), "label": texts.of(&o.label) });
        if let Some(action) = &o.action {
            v["action"] = texts.of(action);
        }
        v
    };
    form.outcomes.iter().map(outcome).collect()
}

/// The outcome the runtime shows instead of the form's catch-all while an indicator question that
/// was asked is blank or unknown, or when the interview ended early: "no indicators found" would
/// then claim what nobody asked. Its texts are the portal's, so no form can leave it out.
fn incomplete_outcome(ctx: &PageContext) -> Value {
    let per_lang = |key: &str| json!(ctx.languages.iter().map(|l| (ctx.t)(l, key)).collect::<Vec<_>>());
    json!({
        "id": INCOMPLETE,
        "label": per_lang("forms.incomplete.label"),
        "action": per_lang("forms.incomplete.action"),
    })
}

/// The form's plural messages, and the runtime's own (a form's message of the same name wins).
fn messages(form: &Form, ctx: &PageContext) -> Value {
    let mut all = json!(form.messages);
    for key in PLURAL_UI_KEYS {
        if form.messages.contains_key(*key) {
            continue;
        }
        let by_lang: Map<String, Value> = ctx
            .languages
            .iter()
            .map(|l| {
                let forms: Map<String, Value> = crate::forms::plural_needed(l)
                    .into_iter()
                    .map(|c| (c.to_string(), json!((ctx.plural)(l, &format!("form_ui.{key}"), c))))
                    .collect();
                (l.clone(), Value::Object(forms))
            })
            .collect();
        all[*key] = Value::Object(by_lang);
    }
    all
}

/// The public key an encrypted form seals records with; none when the form exports plain
/// records or the key does not parse (the page then refuses to export and says so: it never
/// falls back to plaintext).
fn encryption_key(form: &Form, ctx: &PageContext) -> Option<Value> {
    match (form.privacy.export, ctx.public_key_pem) {
        (Some(Export::Encrypted), Some(pem)) => crate::envelope::public_key_info(pem).ok().map(|info| {
            // The kind tells the page which envelope to write: P-256 → format 2, RSA → format 1.
            json!({ "kind": info.kind.name(), "spki": base64_of(&info.spki_der), "fingerprint": info.fingerprint })
        }),
        _ => None,
    }
}

/// Writes a text as an array in the portal's language order, which is how the runtime looks
/// texts up; a language the text lacks gets the first one it has.
struct Texts<'a>(&'a [String]);

impl Texts<'_> {
    fn of(&self, t: &LangText) -> Value {
        json!(self.0.iter().map(|l| own_text(text(t, l))).collect::<Vec<_>>())
    }
}

/// A text for the runtime: `null` where it is shown in the default language, which the runtime
/// then shows (the first language's) and marks with `lang`.
fn own_text(t: &str) -> Value {
    if crate::fallback::is_marked(t) {
        Value::Null
    } else {
        json!(t)
    }
}

/// The distinct choice lists of a form; a form's shared lists (yes/no, …) are asked by many
/// questions and are written once.
#[derive(Default)]
struct ChoiceLists(Vec<Value>);

impl ChoiceLists {
    /// The index of `list`, added if it is new.
    fn index_of(&mut self, list: Value) -> usize {
        match self.0.iter().position(|l| *l == list) {
            Some(i) => i,
            None => {
                self.0.push(list);
                self.0.len() - 1
            }
        }
    }
}

fn section_json(s: &Section, texts: &Texts, lists: &mut ChoiceLists) -> Value {
    let mut o = json!({
        "id": s.id,
        "title": texts.of(&s.title),
        "questions": s.questions.iter().map(|q| question_json(q, texts, lists)).collect::<Vec<_>>(),
    });
    if let Some(relevant) = logic(&s.relevant) {
        o["relevant"] = relevant;
    }
    if let Some(r) = s.repeat {
        o["repeat"] = match r.max {
            Some(max) => json!({ "min": r.min, "max": max }),
            None => json!({ "min": r.min }),
        };
    }
    o
}

fn question_json(q: &Question, texts: &Texts, lists: &mut ChoiceLists) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(q.id));
    o.insert("type".into(), json!(q.kind.as_str()));
    o.insert("label".into(), texts.of(&q.label));
    let text = |t: &Option<LangText>| t.as_ref().map(|t| texts.of(t));
    let choices = (!q.choices.is_empty())
        .then(|| json!(lists.index_of(json!(q.choices.iter().map(|c| choice_json(c, texts)).collect::<Vec<_>>()))));
    // Only what is set: the runtime treats absent as "none".
    let optional = [
        ("number", q.number.map(|n| json!(n))),
        ("hint", text(&q.hint)),
        ("guidance", text(&q.guidance)),
        ("required", q.required.then_some(json!(true))),
        ("relevant", logic(&q.relevant)),
        ("constraint", logic(&q.constraint)),
        ("constraint_message", text(&q.constraint_message)),
        ("alert_if", logic(&q.alert_if)),
        ("alert", text(&q.alert)),
        ("end_if", logic(&q.end_if)),
        ("end_message", text(&q.end_message)),
        ("calculation", logic(&q.calculation)),
        ("choices", choices),
    ];
    for (k, v) in optional {
        if let Some(v) = v {
            o.insert(k.into(), v);
        }
    }
    Value::Object(o)
}

/// A choice; `missing` ("doesn't know", "prefers not to say") is where the runtime finds the
/// codes that count as unknown answers.
fn choice_json(c: &Choice, texts: &Texts) -> Value {
    let mut v = json!({ "value": c.value, "label": texts.of(&c.label) });
    if c.missing {
        v["missing"] = json!(true);
    }
    v
}

fn logic(l: &Option<Logic>) -> Option<Value> {
    l.as_ref().map(|l| l.expr.to_json())
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

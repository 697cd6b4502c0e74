//! What a form yields, checked: its indicators and dimensions, its outcomes (the last a
//! catch-all) and their plural messages in every category the language needs.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::{placeholder, Field, Seen, Validator};
use crate::forms::expr;
use crate::forms::file::{self, RawFile};
use crate::forms::form::{Dimension, Indicator, Outcome, INCOMPLETE};

impl Validator<'_> {
    pub(super) fn indicators(&mut self, raw: &RawFile) -> (Vec<Dimension>, Vec<Indicator>) {
        let mut seen = Seen::new();
        let labels = &raw.dimensions.labels;
        let mut dimensions: Vec<Dimension> = Vec::new();
        let mut indicators = Vec::new();
        for i in &raw.indicator {
            self.id(&i.id, "indicator");
            self.unique(&mut seen, &i.id, "indicator");
            let dim = i.dimension.get_ref();
            if self.id(&i.dimension, "dimension") && !dimensions.iter().any(|d| &d.id == dim) {
                match labels.iter().find(|(k, _)| k.get_ref() == dim) {
                    Some((_, label)) => {
                        self.one_line(&label.0, "label");
                        let label = self.text(label, "label", i.dimension.span());
                        dimensions.push(Dimension { id: dim.clone(), label });
                    }
                    None => {
                        let near = expr::suggest(dim, labels.keys().map(|k| k.get_ref().as_str()))
                            .map(|s| format!("did you mean `{s}`? "))
                            .unwrap_or_default();
                        self.help(
                            i.dimension.span(),
                            format!("dimension `{dim}` has no label"),
                            format!("{near}add `{dim} = {{ uk = \"…\", en = \"…\" }}` under [dimensions.labels]"),
                        );
                    }
                }
            }
            let when = self.logic(&Some(i.when.clone()), Field::IndicatorWhen, None, None);
            indicators.push(Indicator {
                id: i.id.get_ref().clone(),
                dimension: dim.clone(),
                strength: i.strength,
                when: when.unwrap_or_else(|| placeholder(i.when.get_ref())),
                label: self.text(&i.label, "label", i.id.span()),
                standards: self.standards(&i.standards),
                htcds: i.htcds.as_ref().and_then(|h| {
                    let (field, value) = h.get_ref().split_once(':')?;
                    Some(crate::forms::form::HtcdsValue { field: field.to_string(), value: value.to_string() })
                }),
            });
        }
        for key in labels.keys() {
            if !raw.indicator.iter().any(|i| i.dimension.get_ref() == key.get_ref()) {
                self.warn(key.span(), format!("no indicator uses the dimension `{}`", key.get_ref()));
            }
        }
        (dimensions, indicators)
    }

    pub(super) fn outcomes(&mut self, raw: &RawFile, form_at: Range<usize>) -> Vec<Outcome> {
        let mut seen = Seen::new();
        let mut out = Vec::new();
        // Outcomes whose `when` is the literal `true`: only the last may be one.
        let mut catch_all = Vec::new();
        for (i, o) in raw.outcome.iter().enumerate() {
            self.id(&o.id, "outcome");
            self.unique(&mut seen, &o.id, "outcome");
            if o.id.get_ref() == INCOMPLETE {
                self.help(
                    o.id.span(),
                    format!("the outcome id `{INCOMPLETE}` is reserved"),
                    "every questionnaire shows that outcome itself while the screening is incomplete: choose another id",
                );
            }
            let when = self.logic(&Some(o.when.clone()), Field::OutcomeWhen, None, None);
            if when.as_ref().is_some_and(|w| w.expr.kind == expr::ExprKind::Bool(true)) {
                catch_all.push(i);
            }
            out.push(Outcome {
                id: o.id.get_ref().clone(),
                when: when.unwrap_or_else(|| placeholder(o.when.get_ref())),
                label: self.text(&o.label, "label", o.id.span()),
                action: self.opt_text(&o.action, "action", o.id.span()),
            });
        }
        const CATCH_ALL: &str = "end the list with a catch-all outcome, e.g. [[outcome]] id = \"none\", when = \"true\", label = { … \"no indicators found; this does not rule out risk\" }";
        let last = raw.outcome.len().checked_sub(1);
        match last {
            None => self.help(form_at, "the form has no [[outcome]]", CATCH_ALL),
            Some(l) if !catch_all.contains(&l) => self.help(
                raw.outcome[l].when.span(),
                "the last outcome must be a catch-all (`when = \"true\"`)",
                CATCH_ALL,
            ),
            Some(_) => {}
        }
        for i in catch_all.into_iter().filter(|i| Some(*i) != last) {
            self.help(
                raw.outcome[i].when.span(),
                "this outcome always matches, so the outcomes after it can never be reached",
                "only the last outcome may be `when = \"true\"`",
            );
        }
        out
    }

    /// `[messages.<name>]`: every portal language, with every CLDR plural category it uses.
    pub(super) fn messages(
        &mut self,
        raw: &BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, file::RawPlural>>,
    ) -> BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>> {
        let mut out = BTreeMap::new();
        for (name, by_lang) in raw {
            self.id(name, "message");
            for lang in self.ctx.languages.clone() {
                match by_lang.iter().find(|(k, _)| k.get_ref() == &lang) {
                    None => self.help(
                        name.span(),
                        format!("message `{}` has no `{lang}` forms", name.get_ref()),
                        format!("add `{lang} = {{ {} = \"…\" }}`", plural_needed(&lang).join(" = \"…\", ")),
                    ),
                    Some((key, forms)) => self.plural_forms(name.get_ref(), key, forms),
                }
            }
            let entry: BTreeMap<String, BTreeMap<String, String>> = by_lang
                .iter()
                .map(|(l, forms)| {
                    let forms = forms.iter().map(|(c, t)| (c.get_ref().clone(), t.get_ref().clone()));
                    (l.get_ref().clone(), forms.collect())
                })
                .collect();
            out.insert(name.get_ref().clone(), entry);
        }
        out
    }

    pub(super) fn plural_forms(&mut self, name: &str, lang: &Spanned<String>, forms: &file::RawPlural) {
        self.one_line(forms, &format!("messages.{name}.{}", lang.get_ref()));
        let needed = plural_needed(lang.get_ref());
        let missing: Vec<&str> = needed.iter().copied().filter(|c| !forms.keys().any(|k| k.get_ref() == c)).collect();
        if !missing.is_empty() {
            self.help(
                lang.span(),
                format!("message `{name}` in `{}` lacks the plural forms {}", lang.get_ref(), missing.join(", ")),
                format!("`{}` needs {} (CLDR plural categories)", lang.get_ref(), needed.join(", ")),
            );
        }
        for k in forms.keys() {
            if !CATEGORIES.contains(&k.get_ref().as_str()) {
                self.help(
                    k.span(),
                    format!("`{}` is not a plural category", k.get_ref()),
                    format!("the categories are {}", CATEGORIES.join(", ")),
                );
            } else if !needed.contains(&k.get_ref().as_str()) {
                self.warn(k.span(), format!("`{}` does not use the plural form `{}`", lang.get_ref(), k.get_ref()));
            }
        }
    }
}

/// CLDR categories a language's messages need: those integers take, and `other` (fractions,
/// and the fallback every catalog keeps).
pub fn plural_needed(lang: &str) -> Vec<&'static str> {
    let mut cats = crate::i18n::plural_categories(lang);
    if !cats.contains(&"other") {
        cats.push("other");
    }
    cats
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

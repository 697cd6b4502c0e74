//! Tera set-up: the theme's templates compiled once per build, with `t` and `tn` functions that
//! read the UI strings (`{{ t(k="nav.next", l=lang) }}`, `{{ tn(k="count.pages", l=lang, n=3) }}`).
//! A string shown in the default language comes marked ([`crate::fallback`]); the finished page
//! marks it with `lang`.

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Tera, Value};

use crate::diag::Diagnostic;
use crate::i18n::I18n;
use crate::theme::Theme;

pub fn build_tera(theme: &Theme, i18n: Arc<I18n>) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also writes every `/` as `&#x2F;`, which only lengthens links: a
    // slash cannot end a quoted attribute or start markup.
    tera.set_escape_fn(crate::html::escape);
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for (path, file) in theme.under("templates") {
        let name = path.trim_start_matches("templates/").to_string();
        match file.text() {
            Ok(text) => sources.push((name, text)),
            Err(d) => problems.push(d),
        }
    }
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let shown = theme_name_in_error(&e, theme);
        problems.push(Diagnostic::file_error(&shown, error_chain(&e)).with_help("fix the template syntax (Tera)"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    tera.register_filter("slugify", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(crate::markdown::slugify(v.as_str().unwrap_or(""))))
    });
    let t_i18n = i18n.clone();
    tera.register_function("t", move |args: &HashMap<String, Value>| {
        let (k, l) = (str_arg(args, "k")?, str_arg(args, "l")?);
        Ok(Value::String(t_i18n.t_marked(l, k)))
    });
    let offline_i18n = i18n.clone();
    tera.register_function("offline_i18n", move |args: &HashMap<String, Value>| {
        Ok(Value::String(crate::offline::i18n_json(&offline_i18n, str_arg(args, "l")?)))
    });
    tera.register_function("tn", move |args: &HashMap<String, Value>| {
        let (k, l) = (str_arg(args, "k")?, str_arg(args, "l")?);
        let n =
            args.get("n").and_then(Value::as_u64).ok_or_else(|| tera::Error::msg("tn() needs a whole number `n`"))?;
        Ok(Value::String(i18n.plural_marked(l, k, n)))
    });
    Ok(tera)
}

fn str_arg<'a>(args: &'a HashMap<String, Value>, name: &str) -> tera::Result<&'a str> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| tera::Error::msg(format!("missing string argument `{name}`")))
}

/// Tera's error with all its causes, which hold the template name, line and column.
pub fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        msg.push_str(": ");
        msg.push_str(c.to_string().trim());
        cur = c.source();
    }
    msg
}

fn theme_name_in_error(e: &tera::Error, theme: &Theme) -> String {
    let text = error_chain(e);
    for (path, file) in theme.under("templates") {
        let name = path.trim_start_matches("templates/");
        if text.contains(&format!("'{name}'")) {
            return file.shown.clone();
        }
    }
    "templates".to_string()
}

//! The running footer of the paper form: the form's title, its version and «с. 3 з 10» on every
//! printed sheet, so that loose sheets of a filled form can be put back together.
//!
//! Browsers print it from the CSS paged-media margin boxes (`@page { @bottom-left { … } }`) with
//! the `page` and `pages` counters; the words around them come from `forms.paper.footer`, where
//! `{page}` and `{pages}` mark the counters. The rule is the page's own inline stylesheet (the
//! title differs per form), hashed into the page's security policy like any inline style.

use super::form::Form;

/// The `@page` rule with the footer of `form` in `lang`. `t` gives UI strings (`forms.*`).
pub fn paper_page_style(form: &Form, lang: &str, t: &dyn Fn(&str) -> String) -> String {
    let line = t("forms.paper.footer").replace("{title}", form.title(lang)).replace("{version}", &form.version);
    let line = crate::fallback::strip(&line).into_owned();
    format!("@page{{@bottom-left{{content:{};font:8pt/1.3 system-ui,sans-serif;color:#333}}}}", css_content(&line))
}

/// `text` as a CSS `content` value: quoted strings, with `{page}` and `{pages}` as counters.
fn css_content(text: &str) -> String {
    let mut parts = Vec::new();
    let mut words = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let counter = ["pages", "page"].into_iter().find(|c| rest.starts_with(&format!("{{{c}}}")));
        match counter {
            Some(c) => {
                if !words.is_empty() {
                    parts.push(css_string(&std::mem::take(&mut words)));
                }
                parts.push(format!("counter({c})"));
                rest = &rest[c.len() + 2..];
            }
            None => {
                let len = rest.chars().next().map_or(1, char::len_utf8);
                words.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }
    if !words.is_empty() || parts.is_empty() {
        parts.push(css_string(&words));
    }
    parts.join(" ")
}

/// A CSS string literal. Quotes, backslashes, line breaks and `<` (which could close the
/// `<style>` element) are written as escapes.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{load_ok, BASE};
    use super::*;

    #[test]
    fn counters_stand_between_quoted_words() {
        assert_eq!(
            css_content("Форма · v1 · с. {page} з {pages}"),
            "\"Форма · v1 · с. \" counter(page) \" з \" counter(pages)"
        );
        assert_eq!(css_content("{page}/{pages}"), "counter(page) \"/\" counter(pages)");
        assert_eq!(css_content("a {b} c"), "\"a {b} c\"");
    }

    #[test]
    fn nothing_in_a_title_can_leave_the_string_or_the_style_element() {
        assert_eq!(css_string("a\"b\\c</style>\n"), "\"a\\22 b\\5c c\\3c /style\\3e \\a \"");
    }

    #[test]
    fn the_footer_names_the_form_and_its_version() {
        let form = load_ok(BASE);
        let t = |k: &str| {
            if k == "forms.paper.footer" {
                "{title} · v{version} · {page}/{pages}".into()
            } else {
                k.into()
            }
        };
        let style = paper_page_style(&form, "uk", &t);
        let expected = format!("\"{} · v{} · \" counter(page) \"/\" counter(pages)", form.title("uk"), form.version);
        assert!(style.starts_with("@page{@bottom-left{content:") && style.contains(&expected), "{style}");
    }
}

//! Output for each screening form in each language: the forms index, the paper form, the record
//! schema and the interactive questionnaire.

use serde::Serialize;

use super::views::generated_view;
use super::{render_page_view, OutFile, RenderContext};
use crate::diag::Diagnostic;
use crate::forms::interactive::PageContext;
use crate::forms::Form;
use crate::output::finish_html;
use crate::site::Site;

#[derive(Serialize)]
struct FormCard {
    id: String,
    title: String,
    description: String,
    version: String,
    questions: usize,
}

/// Every file of the forms part of one language.
pub fn form_pages(cx: &RenderContext) -> Result<Vec<OutFile>, Diagnostic> {
    let RenderContext { site, tera, tree, lang, assets } = *cx;
    let mut out = Vec::new();
    if site.forms.is_empty() {
        return Ok(out);
    }
    let title = site.i18n.t_marked(lang, "forms.index_title");
    let mut index = generated_view(site, tree, lang, "forms", "forms_index.html", title, assets);
    let cards: Vec<FormCard> = site.forms.iter().map(|f| card(f, lang)).collect();
    index.extra = serde_json::json!({ "forms": cards });
    out.push(render_page_view(tera, &mut index, &format!("{lang}/forms/index.html"))?);
    for form in &site.forms {
        // Texts shown in the default language come marked and leave the page marked with `lang`.
        let t = |k: &str| site.i18n.t_marked(lang, k);
        let key = format!("forms/{}", form.id);
        let mut paper = generated_view(site, tree, lang, &key, "form_print.html", form.title(lang).to_string(), assets);
        paper.extra = serde_json::json!({
            "paper": crate::forms::paper_form_html(form, lang, &t),
            "page_style": crate::forms::paper_page_style(form, lang, &t),
        });
        paper.page.has_fallback_parts = crate::forms::translations::has_fallback_texts(form, lang);
        out.push(render_page_view(tera, &mut paper, &format!("{lang}/forms/{}/print.html", form.id))?);
        out.push(interactive(site, form, lang));
        let schema = crate::forms::record_schema(form, lang, &t);
        let json = serde_json::to_string_pretty(&schema).unwrap_or_default();
        let json = crate::fallback::strip(&json).into_owned();
        out.push(OutFile { path: format!("{lang}/forms/{}/schema.json", form.id), bytes: json.into_bytes() });
    }
    Ok(out)
}

/// The self-contained questionnaire page, `<lang>/forms/<id>/index.html`.
fn interactive(site: &Site, form: &Form, lang: &str) -> OutFile {
    let t = |l: &str, k: &str| site.i18n.t_marked(l, k);
    let plural = |l: &str, k: &str, category: &str| site.i18n.plural_form(l, k, category);
    let contacts = site.contacts.of_kind(None);
    let ctx = PageContext {
        lang,
        languages: &site.config.languages,
        t: &t,
        plural: &plural,
        contacts: &contacts,
        site_title: site.config.text(&site.config.title, lang),
        back_href: if site.config.pretty_urls { "../" } else { "../index.html" },
        neutral_href: "../../../neutral.html",
        // Always to index.html: a folder link does not open its page from file://.
        form_href: "../../../{lang}/forms/{id}/index.html",
        public_key_pem: site.public_keys.get(&form.id).map(String::as_str),
        region: site.region.as_deref(),
    };
    let html = crate::forms::interactive::interactive_page(form, &ctx);
    let html = crate::fallback::resolve(&html).unwrap_or(html);
    OutFile { path: format!("{lang}/forms/{}/index.html", form.id), bytes: finish_html(html).into_bytes() }
}

fn card(form: &Form, lang: &str) -> FormCard {
    FormCard {
        id: form.id.clone(),
        title: form.title(lang).to_string(),
        description: form
            .description
            .as_ref()
            .map(|d| crate::forms::form::text(d, lang).to_string())
            .unwrap_or_default(),
        version: form.version.clone(),
        questions: form.questions().filter(|(_, q)| q.is_asked()).count(),
    }
}

//! The interactive questionnaire page: one self-contained HTML file per form and language that
//! works from disk with no network.
//!
//! The page is a small static shell (quick exit, language switch, toolbar, the referral contacts
//! in every language) plus the compiled form as a data block (JSON, deflated, in base64: see
//! [`super::packed`]), and one inline script: the expression interpreter (`runtime/expr.js`),
//! the record and draft encryption (`runtime/seal.js`, only in a form that encrypts) and the
//! questionnaire runtime (one function in the files `runtime/form.parts` lists, from `form.js`
//! to `form_start.js`), which builds the questions from the data, runs
//! skip logic, scoring and the outcome, and exports records; the two are minified together once
//! per process ([`crate::minify`]). The styles (`runtime/form.css`) are one inline `<style>`.
//! The build hashes both into the page's Content-Security-Policy, so nothing inline needs
//! `'unsafe-inline'`; no `style` attributes, no inline handlers.
//!
//! The data block carries every language's texts, so switching language inside the page keeps
//! every answer.

use std::sync::OnceLock;

use super::file::{Export, Storage};
use super::form::Form;
use crate::contacts::{list_html, Contact};
use crate::html::escape;
use crate::minify::minify_js;

const EXPR_JS: &str = include_str!("runtime/expr.js");
const SEAL_JS: &str = include_str!("runtime/seal.js");
/// The questionnaire runtime's files in the order of `runtime/form.parts` (which the lint reads):
/// its name, its text, and whether only a form that encrypts carries it.
const FORM_PARTS: [(&str, &str, bool); 7] = [
    ("form.js", include_str!("runtime/form.js"), false),
    ("form_questions.js", include_str!("runtime/form_questions.js"), false),
    ("form_flow.js", include_str!("runtime/form_flow.js"), false),
    ("form_record.js", include_str!("runtime/form_record.js"), false),
    ("form_events.js", include_str!("runtime/form_events.js"), false),
    ("form_seal.js", include_str!("runtime/form_seal.js"), true),
    ("form_start.js", include_str!("runtime/form_start.js"), false),
];
const FORM_CSS: &str = include_str!("runtime/form.css");

/// Everything about the portal the page needs besides the form itself.
pub struct PageContext<'a> {
    /// The page language (uk, en, …).
    pub lang: &'a str,
    /// Every portal language, default first.
    pub languages: &'a [String],
    /// (lang, key) → UI string; the page reads keys under `form_ui.`, and the built-in
    /// "screening incomplete" outcome under `forms.incomplete.`.
    pub t: &'a dyn Fn(&str, &str) -> String,
    /// (lang, key, CLDR plural category) → that plural form of a UI string, `{n}` left in.
    pub plural: &'a dyn Fn(&str, &str, &str) -> String,
    /// Referral contacts, already ordered.
    pub contacts: &'a [&'a Contact],
    pub site_title: &'a str,
    /// Relative link back to the forms index.
    pub back_href: &'a str,
    /// Relative link to the bundled neutral page that quick exit goes to.
    pub neutral_href: &'a str,
    /// Relative link to a form's questionnaire, with `{lang}` and `{id}` to fill in: where a
    /// link `[words](form:ID)` in a form text leads, in the language the reader has chosen.
    pub form_href: &'a str,
    /// The PEM public key for `export = "encrypted"`.
    pub public_key_pem: Option<&'a str>,
    /// The region slug of a regional build, which every exported record carries; `None` for the
    /// national portal.
    pub region: Option<&'a str>,
}

/// Keys of `form_ui.*` the runtime shows in every form; sent in every language.
const RUNTIME_UI_KEYS: &[&str] = &[
    "languages",
    "quick_exit",
    "quick_exit_help",
    "quick_exit_help_touch",
    "shift_more",
    "back_to_forms",
    "version",
    "step_of",
    "answered_of",
    "next",
    "previous",
    "finish",
    "change_answers",
    "required",
    "guidance",
    "tick_all",
    "error_title",
    "err_required",
    "err_integer",
    "err_number",
    "err_date",
    "err_constraint",
    "discarded",
    "ended_title",
    "end_finish",
    "alert_title",
    "entry",
    "add_entry",
    "remove_entry",
    "no_entries",
    "result_title",
    "partial",
    "outcome",
    "why",
    "no_indicators",
    "incomplete_note",
    "strong",
    "medium",
    "weak",
    "contacts_title",
    "answers_title",
    "alerts_title",
    "mark_not_asked",
    "mark_not_answered",
    "marks_legend",
    "started",
    "tools",
    "export_json",
    "export_csv",
    "open_file",
    "print",
    "clear",
    "clear_confirm",
    "clear_yes",
    "cancel",
    "cleared",
    "exported",
    "clear_now",
    "keep_working",
    "loaded",
    "load_failed",
    "load_other_form",
    "load_not_answers",
    "load_skipped",
];

/// The full questionnaire page for `form` in `ctx.lang`.
pub fn interactive_page(form: &Form, ctx: &PageContext) -> String {
    let ui = |key: &str| escape(&(ctx.t)(ctx.lang, &format!("form_ui.{key}")));
    let title = escape(form.title(ctx.lang));
    let data = super::packed::pack(&data::page_data(form, ctx));
    let script = runtime(needs_encryption(form));
    let mut html = String::with_capacity(data.len() + script.len() + 16_000);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"__OBERIH_CSP__\">\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>{title}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        lang = escape(ctx.lang),
        css = form_css(),
    ));
    html.push_str(&shell_head(form, ctx, &ui, &title));
    html.push_str(&shell_app(ctx, &ui));
    html.push_str(&format!(
        "<script type=\"text/plain\" id=\"form-data\">{data}</script>\n<script>{script}</script>\n</body>\n</html>\n"
    ));
    html
}

/// The runtime as the page carries it: expr.js, seal.js (only for a form that encrypts), then
/// the questionnaire's parts (form_seal.js only for a form that encrypts), minified once per
/// process.
pub fn runtime(with_encryption: bool) -> &'static str {
    static PLAIN: OnceLock<String> = OnceLock::new();
    static SEALING: OnceLock<String> = OnceLock::new();
    let cell = if with_encryption { &SEALING } else { &PLAIN };
    cell.get_or_init(|| {
        let mut script = format!("{EXPR_JS}\n");
        if with_encryption {
            script.push_str(SEAL_JS);
            script.push('\n');
        }
        for (_, text, sealing) in FORM_PARTS {
            if with_encryption || !sealing {
                script.push_str(text);
            }
        }
        built_in(minify_js(&script))
    })
}

/// The questionnaire's runtime and style are compiled into the binary, never a portal's, and
/// this module's tests minify them: a parse error here is a defect of the program itself.
fn built_in(minified: Result<String, crate::minify::MinifyError>) -> String {
    minified.unwrap_or_else(|e| panic!("the built-in questionnaire runtime does not minify: {e:?}"))
}

/// Whether the form seals records or drafts, and so needs WebCrypto and seal.js.
fn needs_encryption(form: &Form) -> bool {
    form.privacy.export == Some(Export::Encrypted) || form.privacy.storage == Some(Storage::EncryptedFile)
}

/// Quick exit (first in tab order), the blank cover it shows, and the page header.
fn shell_head(form: &Form, ctx: &PageContext, ui: &dyn Fn(&str) -> String, title: &str) -> String {
    let quick_exit = form.privacy.quick_exit.unwrap_or(true);
    let mut out = String::new();
    if quick_exit {
        out.push_str(&format!(
            "<div class=\"exit-bar\"><a id=\"quick-exit\" class=\"quick-exit\" href=\"{}\" rel=\"nofollow noreferrer\" data-t=\"quick_exit\">{}</a></div>\n\
             <div id=\"exit-cover\" class=\"exit-cover\" hidden></div>\n",
            escape(ctx.neutral_href),
            ui("quick_exit")
        ));
    }
    out.push_str(&format!(
        "<header class=\"page-head\">\n<p class=\"site\"><a href=\"{back}\" data-t=\"back_to_forms\">{back_text}</a> · {site}</p>\n",
        back = escape(ctx.back_href),
        back_text = ui("back_to_forms"),
        site = escape(ctx.site_title)
    ));
    if ctx.languages.len() > 1 {
        out.push_str(&format!("<nav class=\"langs\" aria-label=\"{}\" data-t-label=\"languages\">", ui("languages")));
        for l in ctx.languages {
            let name = escape(&(ctx.t)(l, "form_ui.language_name"));
            let pressed = if l == ctx.lang { "true" } else { "false" };
            out.push_str(&format!(
                "<button type=\"button\" class=\"lang\" data-lang=\"{l}\" lang=\"{l}\" aria-pressed=\"{pressed}\">{name}</button>",
                l = escape(l)
            ));
        }
        out.push_str("</nav>\n");
    }
    out.push_str(&format!(
        "<h1 id=\"form-title\" tabindex=\"-1\">{title}</h1>\n<p class=\"meta\" id=\"form-version\">{}</p>\n",
        ui("version").replace("{version}", &escape(&form.version))
    ));
    if quick_exit {
        // The keyboard's way out where there is a keyboard, the button's on a touch screen.
        out.push_str(&format!(
            "<p class=\"meta quick-exit-help\"><span class=\"by-keys\" data-t=\"quick_exit_help\">{}</span>\
             <span class=\"by-touch\" data-t=\"quick_exit_help_touch\">{}</span></p>\n",
            ui("quick_exit_help"),
            ui("quick_exit_help_touch")
        ));
    }
    out.push_str(&fallback_notices(form, ctx));
    out.push_str("</header>\n");
    out
}

/// The app container the runtime fills, the result section with the contacts in every
/// language, the toolbar, and the live region.
fn shell_app(ctx: &PageContext, ui: &dyn Fn(&str) -> String) -> String {
    let fallback = ctx.languages.first().map(String::as_str).unwrap_or(ctx.lang);
    let mut contacts = String::new();
    for l in ctx.languages {
        let hidden = if l == ctx.lang { "" } else { " hidden" };
        contacts.push_str(&format!(
            "<div class=\"contacts-lang\" data-lang=\"{l}\" lang=\"{l}\"{hidden}>{}</div>",
            list_html(ctx.contacts, l, fallback, &(ctx.t)(l, "contacts.verified")),
            l = escape(l)
        ));
    }
    format!(
        "<main id=\"main\">\n<noscript><p class=\"notice\">{noscript}</p></noscript>\n\
         <p id=\"old-browser\" class=\"notice\" hidden>{old_browser}</p>\n\
         <div id=\"app\" hidden>\n\
         <div id=\"notices\"></div>\n\
         <div id=\"progress-box\" class=\"progress\"><p id=\"progress-text\"></p><progress id=\"progress\" max=\"1\" value=\"0\" aria-labelledby=\"progress-text\"></progress></div>\n\
         <div id=\"errors\" class=\"error-summary\" tabindex=\"-1\" hidden></div>\n\
         <form id=\"form\" autocomplete=\"off\" novalidate></form>\n\
         <section id=\"summary\" class=\"summary\" hidden aria-labelledby=\"result-title\">\n\
         <div id=\"result\"></div>\n\
         <div id=\"contacts\" class=\"contacts-box\"><h2 data-t=\"contacts_title\">{contacts_title}</h2>{contacts}</div>\n\
         <div id=\"record\" class=\"record\"></div>\n</section>\n\
         <div id=\"step-nav\" class=\"step-nav\"></div>\n\
         <div id=\"panel\" class=\"panel\" hidden></div>\n\
         <details id=\"tools\" class=\"tools\"><summary data-t=\"tools\">{tools}</summary><div id=\"toolbar\" class=\"toolbar\"></div></details>\n\
         <input type=\"file\" id=\"file-input\" class=\"visually-hidden\" tabindex=\"-1\" aria-hidden=\"true\">\n\
         <div id=\"live\" class=\"visually-hidden\" aria-live=\"polite\"></div>\n\
         </div>\n</main>\n",
        noscript = ui("noscript"),
        old_browser = ui("old_browser"),
        contacts_title = ui("contacts_title"),
        tools = ui("tools"),
    )
}

/// Plural keys of `form_ui.*` the runtime shows through its CLDR plural messages: the page
/// carries every form the language uses, as it does for a form's own `[messages]`.
const PLURAL_UI_KEYS: &[&str] = &["unanswered"];

/// Keys of `form_ui.*` only the build uses (the language buttons and the notices for a browser
/// that cannot run the form are written into the page), so the data block leaves them out.
const BUILD_ONLY_UI_KEYS: &[&str] = &["language_name", "noscript", "old_browser", "fallback_notice"];

/// Keys of `form_ui.*` the runtime shows only when the form encrypts records or drafts.
const ENCRYPTION_UI_KEYS: &[&str] = &[
    "export_encrypted",
    "save_draft",
    "open_draft",
    "no_webcrypto",
    "no_key",
    "encrypted_note",
    "passphrase",
    "passphrase_repeat",
    "passphrase_help",
    "passphrase_short",
    "passphrase_mismatch",
    "ok",
    "draft_saved",
    "draft_wrong",
    "working",
];

/// Every `form_ui.*` key the questionnaire uses, in the page or in the runtime.
pub fn ui_keys() -> impl Iterator<Item = &'static str> {
    RUNTIME_UI_KEYS.iter().chain(ENCRYPTION_UI_KEYS).chain(BUILD_ONLY_UI_KEYS).chain(PLURAL_UI_KEYS).copied()
}

/// The languages in which some text of the page is shown in the default language: a form text,
/// an interface string, a contact's name or note.
fn languages_with_fallbacks<'a>(form: &Form, ctx: &PageContext<'a>) -> Vec<&'a str> {
    let ui = |l: &str| ui_keys().any(|k| crate::fallback::is_marked(&(ctx.t)(l, &format!("form_ui.{k}"))));
    let contacts = |l: &str| ctx.contacts.iter().any(|c| !crate::contacts::missing_texts(c, l).is_empty());
    ctx.languages
        .iter()
        .map(String::as_str)
        .filter(|l| crate::forms::translations::has_fallback_texts(form, l) || ui(l) || contacts(l))
        .collect()
}

/// The notice that some texts are shown in the default language, one per language that has
/// such texts; the runtime shows the one of the language chosen.
fn fallback_notices(form: &Form, ctx: &PageContext) -> String {
    let mut out = String::new();
    for l in languages_with_fallbacks(form, ctx) {
        let hidden = if l == ctx.lang { "" } else { " hidden" };
        out.push_str(&format!(
            "<p class=\"notice fallback\" role=\"note\" data-lang=\"{l}\" lang=\"{l}\"{hidden}>{}</p>\n",
            escape(&(ctx.t)(l, "form_ui.fallback_notice")),
            l = escape(l)
        ));
    }
    out
}

/// The questionnaire's stylesheet as the page carries it, minified once per process.
pub fn form_css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| built_in(crate::minify::minify_css(FORM_CSS)))
}

/// The page quick exit goes to: blank, titled like a new browser tab, no scripts, nothing that
/// hints at what was open before.
pub fn neutral_page() -> String {
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n\
     <meta http-equiv=\"Content-Security-Policy\" content=\"__OBERIH_CSP__\">\n\
     <meta charset=\"utf-8\">\n\
     <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
     <meta name=\"referrer\" content=\"no-referrer\">\n\
     <meta name=\"robots\" content=\"noindex\">\n\
     <title>New Tab</title>\n\
     <style>html,body{margin:0;height:100%;background:#fff}@media (prefers-color-scheme:dark){html,body{background:#202124}}</style>\n\
     </head>\n<body></body>\n</html>\n"
        .to_string()
}

mod data;

#[cfg(test)]
mod tests;

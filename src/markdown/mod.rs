//! Markdown → HTML for one file: CommonMark with tables, footnotes, strikethrough, task lists,
//! heading ids and admonitions; links resolved at build time; raw HTML and dangerous URLs refused.
//! Besides the HTML it returns what the rest of the build needs: the table of contents, the
//! heading ids (for anchor checks), the links to check, and the plain text by section (for search).

mod raw_html;
pub mod shortcodes;
mod slug;

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

pub use slug::slugify;

/// What a link in Markdown resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub href: String,
    pub external: bool,
    /// A fragment to check once every page's headings are known: (target page key, fragment).
    pub check: Option<(String, String)>,
}

/// What a shortcode stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub html: String,
    /// A block (a list, say) replaces the paragraph the shortcode stands alone in.
    pub block: bool,
    /// The same as plain text, for headings and search.
    pub text: String,
}

/// Turns a link destination into an href, or says what is wrong with it (message, hint).
pub trait Resolver {
    fn resolve(&self, dest: &str) -> Result<Resolved, (String, Option<String>)>;
    /// What a shortcode stands for, or what is wrong with it.
    fn shortcode(&self, code: &shortcodes::Shortcode) -> Result<Snippet, String>;
    /// What is questionable in a run of prose (text outside code), with spans inside `text`:
    /// reported as warnings.
    fn prose(&self, _text: &str) -> Vec<Problem> {
        Vec::new()
    }
}

pub struct Options<'a> {
    pub allow_html: bool,
    /// Prefix for every id this file emits (used in single-document print output).
    pub id_prefix: &'a str,
    /// Admonition title for a kind (`note`, `warning`…), in the page's language.
    pub admonition_title: &'a dyn Fn(&str) -> String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Plain text under one heading (the part before the first heading has no id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSection {
    pub id: Option<String>,
    pub heading: String,
    pub text: String,
}

/// A problem at a byte range of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    /// Fragments to check later, with the span of the link in the body.
    pub checks: Vec<(String, String, Range<usize>)>,
    pub sections: Vec<TextSection>,
    pub problems: Vec<Problem>,
    /// What [`Resolver::prose`] found.
    pub warnings: Vec<Problem>,
}

fn parser_options() -> Options_ {
    Options_::ENABLE_TABLES
        | Options_::ENABLE_FOOTNOTES
        | Options_::ENABLE_STRIKETHROUGH
        | Options_::ENABLE_TASKLISTS
        | Options_::ENABLE_HEADING_ATTRIBUTES
        | Options_::ENABLE_GFM
}
use pulldown_cmark::Options as Options_;

/// Renders one Markdown body.
pub fn render(body: &str, resolver: &dyn Resolver, opts: &Options) -> Rendered {
    let (text, codes, code_errors) = shortcodes::extract(body);
    let mut r = Rendered::default();
    for e in code_errors {
        r.problems.push(Problem { span: e.span, message: e.message, help: None });
    }
    let snippets: Vec<Option<Snippet>> = codes
        .iter()
        .map(|code| {
            resolver
                .shortcode(code)
                .map_err(|message| r.problems.push(Problem { span: code.span.clone(), message, help: None }))
                .ok()
        })
        .collect();
    // Search and headings read the text the reader sees, never a placeholder.
    let plain: Vec<(&str, &str)> = codes
        .iter()
        .zip(&snippets)
        .map(|(code, s)| (code.placeholder.as_str(), s.as_ref().map_or("", |s| s.text.as_str())))
        .collect();
    let mut state = Pass::new(resolver, opts, &text, &plain);
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&text, parser_options()).into_offset_iter().collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        i = state.step(&events, i, &mut out, &mut r);
    }
    state.finish_section(&mut r);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if opts.allow_html {
        html = sanitize(&html);
    }
    r.html = fill_shortcodes(html, &codes, &snippets);
    // Kept until every page is rendered: no spare capacity.
    r.html.shrink_to_fit();
    r.checks.retain(|(key, frag, span)| {
        // Same-page fragments are checked here; others by the caller.
        if key.is_empty() {
            if !r.ids.iter().any(|id| id == frag) {
                r.problems.push(Problem {
                    span: span.clone(),
                    message: format!("there is no heading `#{frag}` on this page"),
                    help: Some(format!("headings on this page: {}", r.ids.join(", "))),
                });
            }
            false
        } else {
            true
        }
    });
    r
}

/// Cleans author HTML when `content.allow_html` is set: no scripts, no event handlers, only safe
/// URL schemes; outbound links get `rel="noopener noreferrer"`.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .url_schemes(["https", "http", "mailto", "tel"].into_iter().collect())
        .clean(html)
        .to_string()
}

fn fill_shortcodes(mut html: String, codes: &[shortcodes::Shortcode], snippets: &[Option<Snippet>]) -> String {
    for (code, snippet) in codes.iter().zip(snippets) {
        let Some(snippet) = snippet else { continue };
        let wrapped = format!("<p>{}</p>", code.placeholder);
        if snippet.block && html.contains(&wrapped) {
            html = html.replacen(&wrapped, &snippet.html, 1);
        } else {
            html = html.replacen(&code.placeholder, &snippet.html, 1);
        }
    }
    html
}

/// The event pass: one walk over the parser's events, rewriting what needs rewriting.
struct Pass<'a> {
    resolver: &'a dyn Resolver,
    opts: &'a Options<'a>,
    /// The text being rendered (shortcodes replaced by placeholders of the same length).
    source: &'a str,
    /// Each placeholder with the plain text of its shortcode.
    plain: &'a [(&'a str, &'a str)],
    section: TextSection,
    link_stack: Vec<bool>,
    /// Inside a fenced or indented code block: its text is not prose.
    in_code_block: bool,
    /// Inside the heading that opens a section: its words are the section's title, not its text.
    in_section_heading: bool,
    /// Block nesting (quotes, lists, items) at this point, and whether it went too deep already.
    depth: usize,
    too_deep: bool,
    /// Heading ids given so far, and the next number to try for each base id.
    taken: std::collections::HashSet<String>,
    next_suffix: std::collections::HashMap<String, usize>,
}

/// Deeper nesting than this is certainly a mistake, and would make later stages recurse deeply.
pub const MAX_NESTING: usize = 64;

impl<'a> Pass<'a> {
    fn new(
        resolver: &'a dyn Resolver,
        opts: &'a Options<'a>,
        source: &'a str,
        plain: &'a [(&'a str, &'a str)],
    ) -> Self {
        Pass {
            resolver,
            opts,
            source,
            plain,
            in_code_block: false,
            in_section_heading: false,
            section: TextSection::default(),
            link_stack: Vec::new(),
            depth: 0,
            too_deep: false,
            taken: Default::default(),
            next_suffix: Default::default(),
        }
    }

    fn finish_section(&mut self, r: &mut Rendered) {
        let mut s = std::mem::take(&mut self.section);
        if !s.text.trim().is_empty() || s.id.is_some() {
            // Kept until search has indexed the whole site: no spare capacity.
            s.text.shrink_to_fit();
            r.sections.push(s);
        }
    }

    /// Handles the event at `i`, pushing output; returns the index of the next event.
    fn step<'e>(
        &mut self,
        events: &[(Event<'e>, Range<usize>)],
        i: usize,
        out: &mut Vec<Event<'e>>,
        r: &mut Rendered,
    ) -> usize {
        let (event, span) = &events[i];
        self.track_nesting(event, span, r);
        self.track_prose(event, span, r);
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                return self.heading(events, i, *level, id.clone(), classes, attrs, out, r);
            }
            Event::Start(Tag::Link { dest_url, title, .. }) => self.link(dest_url, title, span, out, r),
            Event::End(TagEnd::Link) => {
                self.link_stack.pop();
                out.push(Event::Html("</a>".into()));
            }
            Event::Start(Tag::Image { .. }) => {
                r.problems.push(image_refused(span));
                out.push(event.clone());
            }
            Event::Html(_) | Event::InlineHtml(_) if !self.opts.allow_html => {
                r.problems.push(raw_html_refused(trim_span(span, events, i)));
            }
            Event::Html(html) | Event::InlineHtml(html) => out.push(self.author_html(event, html, span, r)),
            Event::Start(Tag::BlockQuote(Some(kind))) => out.push(self.admonition_start(*kind)),
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => out.push(self.footnote(event)),
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html("<div class=\"table-wrap\">".into()));
                out.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                out.push(event.clone());
                out.push(Event::Html("</div>\n".into()));
            }
            Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                self.section_text(event);
                out.push(event.clone());
            }
            Event::TaskListMarker(done) => out.push(self.task_marker(*done)),
            _ => out.push(event.clone()),
        }
        i + 1
    }

    /// Follows code blocks, and asks the resolver about the text outside them.
    fn track_prose(&mut self, event: &Event, span: &Range<usize>, r: &mut Rendered) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Text(t) if !self.in_code_block => self.check_prose(t, span, r),
            _ => {}
        }
    }

    /// Adds what a text, break or block end contributes to the section's plain text.
    fn section_text(&mut self, event: &Event) {
        match event {
            // A section's heading is its title, not part of its text.
            Event::Text(t) | Event::Code(t) if !self.in_section_heading => {
                let plain = self.plain_text(t);
                self.section.text.push_str(&plain);
            }
            Event::SoftBreak | Event::HardBreak => self.section.text.push(' '),
            // A table reads as sentences in a snippet: cells of a row joined by dashes, rows ended.
            Event::End(TagEnd::TableCell) => self.section.text.push_str(" — "),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => end_sentence(&mut self.section.text),
            // Block ends separate words in the plain text (inline ends do not).
            Event::End(end)
                if !matches!(end, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) =>
            {
                self.section.text.push(' ')
            }
            _ => {}
        }
    }

    /// The opening of an admonition box, titled in the page's language.
    fn admonition_start<'e>(&self, kind: BlockQuoteKind) -> Event<'e> {
        let (class, key) = admonition(kind);
        let title = (self.opts.admonition_title)(key);
        Event::Html(
            format!(
                "<div class=\"admonition {class}\" role=\"note\"><p class=\"admonition-title\">{}</p>\n",
                crate::html::escape(&title)
            )
            .into(),
        )
    }

    /// A footnote reference or definition with the file's id prefix on its name. Footnote names
    /// become ids and fragments: in a document of many pages (print) they carry the page's prefix
    /// like heading ids, so two pages' `[^1]` stay apart. The writer numbers footnotes by first
    /// use, so the shown numbers do not change.
    fn footnote<'e>(&self, event: &Event<'e>) -> Event<'e> {
        let prefix = self.opts.id_prefix;
        match event {
            Event::FootnoteReference(name) if !prefix.is_empty() => {
                Event::FootnoteReference(format!("{prefix}{name}").into())
            }
            Event::Start(Tag::FootnoteDefinition(name)) if !prefix.is_empty() => {
                Event::Start(Tag::FootnoteDefinition(format!("{prefix}{name}").into()))
            }
            _ => event.clone(),
        }
    }

    /// A task list's checkbox, labelled in the page's language.
    fn task_marker<'e>(&self, done: bool) -> Event<'e> {
        let key = if done { "task.done" } else { "task.todo" };
        let label = crate::html::escape(&(self.opts.admonition_title)(key));
        let checked = if done { " checked" } else { "" };
        Event::InlineHtml(format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ").into())
    }

    /// Author HTML (allowed by the portal) as the same kind of event, its addresses resolved.
    fn author_html<'e>(&mut self, event: &Event<'e>, html: &str, span: &Range<usize>, r: &mut Rendered) -> Event<'e> {
        let rewritten = self.html_urls(html, span, r);
        match event {
            Event::Html(_) => Event::Html(rewritten.into()),
            _ => Event::InlineHtml(rewritten.into()),
        }
    }

    fn track_nesting(&mut self, event: &Event, span: &Range<usize>, r: &mut Rendered) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => {
                self.depth += 1;
                if self.depth > MAX_NESTING && !self.too_deep {
                    self.too_deep = true;
                    r.problems.push(Problem {
                        span: span.start..span.start + 1,
                        message: format!("lists and quotes are nested more than {MAX_NESTING} levels deep here"),
                        help: Some("flatten the structure: deep nesting is unreadable on a phone too".into()),
                    });
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                self.depth = self.depth.saturating_sub(1)
            }
            _ => {}
        }
    }

    /// Asks the resolver about a text event; positions map into the source when the event's text
    /// is the source's (no entity or escape in it), else point at the whole event.
    fn check_prose(&self, t: &str, span: &Range<usize>, r: &mut Rendered) {
        let exact = self.source.get(span.clone()) == Some(t);
        for p in self.resolver.prose(t) {
            let at = if exact { span.start + p.span.start..span.start + p.span.end } else { span.clone() };
            r.warnings.push(Problem { span: at, ..p });
        }
    }

    /// `t` with the plain text of each shortcode in place of its placeholder.
    fn plain_text<'t>(&self, t: &'t str) -> std::borrow::Cow<'t, str> {
        if self.plain.is_empty() || !t.contains(shortcodes::PLACEHOLDER_START) {
            return std::borrow::Cow::Borrowed(t);
        }
        let mut out = t.to_string();
        for (placeholder, text) in self.plain {
            if out.contains(placeholder) {
                out = out.replacen(placeholder, text, 1);
            }
        }
        std::borrow::Cow::Owned(out)
    }

    /// `base`, or `base-1`, `base-2`… when taken (linear in the number of headings).
    fn unique_id(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut id = base.to_string();
        if self.taken.contains(&id) {
            let n = self.next_suffix.entry(base.to_string()).or_insert(1);
            while self.taken.contains(&format!("{base}-{n}")) {
                *n += 1;
            }
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.taken.insert(id.clone());
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn heading<'e>(
        &mut self,
        events: &[(Event<'e>, Range<usize>)],
        start: usize,
        level: HeadingLevel,
        explicit: Option<CowStr<'e>>,
        classes: &[CowStr<'e>],
        attrs: &[(CowStr<'e>, Option<CowStr<'e>>)],
        out: &mut Vec<Event<'e>>,
        r: &mut Rendered,
    ) -> usize {
        let end = (start..events.len())
            .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
            .unwrap_or(events.len() - 1);
        let mut title = String::new();
        for (e, _) in &events[start + 1..end] {
            if let Event::Text(t) | Event::Code(t) = e {
                title.push_str(&self.plain_text(t));
            }
        }
        let base = explicit.map(|s| s.to_string()).unwrap_or_else(|| slugify(&title));
        let id = self.unique_id(&base);
        r.ids.push(id.clone());
        let lvl = level as u8;
        if lvl <= 3 {
            self.finish_section(r);
            self.section = TextSection { id: Some(id.clone()), heading: title.clone(), text: String::new() };
            r.toc.push(TocEntry { level: lvl, id: id.clone(), title: title.clone() });
        }
        let full_id = format!("{}{}", self.opts.id_prefix, id);
        out.push(Event::Start(Tag::Heading {
            level,
            id: Some(full_id.into()),
            classes: classes.to_vec(),
            attrs: attrs.to_vec(),
        }));
        let mut j = start + 1;
        self.in_section_heading = lvl <= 3;
        while j < end {
            j = self.step(events, j, out, r);
        }
        self.in_section_heading = false;
        out.push(Event::End(TagEnd::Heading(level)));
        // A minor heading stays in the section's text, ended like a sentence so that a snippet
        // does not run it into the paragraph after it.
        if lvl > 3 {
            end_sentence(&mut self.section.text);
        }
        self.section.text.push(' ');
        end + 1
    }

    /// Author HTML (allowed by the portal): its addresses resolve like Markdown links.
    fn html_urls(&mut self, html: &str, span: &Range<usize>, r: &mut Rendered) -> String {
        let source = self.source.get(span.clone());
        raw_html::rewrite_urls(html, |attr, value, at| {
            // Point at the address itself when the event's text is the source's (not in a quote).
            let at = if source == Some(html) { span.start + at.start..span.start + at.end } else { span.clone() };
            match self.resolver.resolve(value) {
                // The browser loads a `src` by itself: from another site, that is a request
                // leaving the page, which a portal opened by a worker must never make.
                Ok(res) if res.external && attr == raw_html::Attr::Src => {
                    r.problems.push(Problem {
                        span: at,
                        message: format!("`{value}` would be loaded from another site"),
                        help: Some("pages load nothing from other sites; link to it with `<a href>` instead".into()),
                    });
                    None
                }
                Ok(res) => {
                    if let Some((key, frag)) = res.check {
                        r.checks.push((key, frag, at));
                    }
                    Some(res.href)
                }
                Err((message, help)) => {
                    r.problems.push(Problem { span: at, message, help });
                    None
                }
            }
        })
    }

    fn link<'e>(&mut self, dest: &str, title: &str, span: &Range<usize>, out: &mut Vec<Event<'e>>, r: &mut Rendered) {
        let mut attrs = String::new();
        match self.resolver.resolve(dest) {
            Ok(res) => {
                attrs.push_str(&format!(" href=\"{}\"", crate::html::escape(&res.href)));
                if res.external {
                    attrs.push_str(" rel=\"noopener noreferrer\"");
                }
                if let Some((key, frag)) = res.check {
                    r.checks.push((key, frag, span.clone()));
                }
            }
            Err((message, help)) => r.problems.push(Problem { span: span.clone(), message, help }),
        }
        if !title.is_empty() {
            attrs.push_str(&format!(" title=\"{}\"", crate::html::escape(title)));
        }
        self.link_stack.push(true);
        out.push(Event::Html(format!("<a{attrs}>").into()));
    }
}

/// Markdown images are refused: the portal shows no pictures.
fn image_refused(span: &Range<usize>) -> Problem {
    Problem {
        span: span.clone(),
        message: "images in Markdown are not supported".into(),
        help: Some("describe the picture in words, or link to a page".into()),
    }
}

/// Raw HTML is refused unless the portal allows it.
fn raw_html_refused(span: Range<usize>) -> Problem {
    Problem {
        span,
        message: "raw HTML is not allowed in content".into(),
        help: Some(
            "use Markdown instead, or set `content.allow_html = true` in portal.toml (HTML is then sanitised)".into(),
        ),
    }
}

/// For HTML blocks pulldown gives the whole block; point at its first line only.
fn trim_span(span: &Range<usize>, _events: &[(Event, Range<usize>)], _i: usize) -> Range<usize> {
    span.clone()
}

fn admonition(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "admonition.note"),
        BlockQuoteKind::Tip => ("tip", "admonition.tip"),
        BlockQuoteKind::Important => ("important", "admonition.important"),
        BlockQuoteKind::Warning => ("warning", "admonition.warning"),
        BlockQuoteKind::Caution => ("caution", "admonition.caution"),
    }
}

/// Ends the plain text so far like a sentence: a dangling separator goes, a full stop comes
/// unless the text already ends with a mark that closes a sentence or introduces what follows.
fn end_sentence(text: &mut String) {
    let kept = text.trim_end().trim_end_matches('—').trim_end().len();
    text.truncate(kept);
    if !text.is_empty() && !text.ends_with(['.', '!', '?', ':', '…']) {
        text.push('.');
    }
    text.push(' ');
}

#[cfg(test)]
mod tests;

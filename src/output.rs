//! Writing the site safely: everything goes into a staging folder beside the target and is swapped
//! into place only when the whole build succeeded, so a failed or killed build never damages the
//! previous output, and only a folder Oberih made is ever replaced (`folder`, `staging`, `swap`).
//! Also the last touch every HTML page gets: its Content-Security-Policy with the hashes of its
//! inline scripts and styles.

mod folder;
mod precompress;
mod reuse;
mod staging;
mod swap;

use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;

pub use folder::{check_target, INPUT_FOLDERS, MARKER};
pub use precompress::is_copy as is_precompressed_copy;
pub use staging::{StagedFile, Staging};

/// A finished output file, relative to the output folder.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write output to `{0}`: it is the portal folder or contains it")]
    ContainsRoot(String),
    #[error("refusing to write output to `{0}`: it is inside the input folder `{1}`")]
    InsideInput(String, String),
    #[error("refusing to write output to `{0}`: it is a file, not a folder")]
    NotAFolder(String),
    #[error("refusing to replace `{path}`: it holds files Oberih did not make ({names})")]
    NotOurs { path: String, names: String },
    #[error(
        "refusing to replace `{path}`: it looks like an output built before outputs were marked, but holds what \
         this build does not make ({names})"
    )]
    UnmarkedExtra { path: String, names: String },
    #[error("the site is incomplete: {0} files could not be written")]
    Incomplete(usize),
    #[error("cannot write `{path}`: {source}")]
    Io { path: String, source: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.display().to_string(), source }
}

impl OutputError {
    /// The error as a diagnostic about the output folder `shown`.
    pub fn diagnostic(&self, shown: &str) -> Diagnostic {
        let d = Diagnostic::file_error(shown, self.to_string());
        match self {
            OutputError::NotAFolder(_) => {
                d.with_help("--out names the folder to write the site into: choose a new folder, or one a build made")
            }
            OutputError::NotOurs { .. } => d.with_help(format!(
                "a build replaces its output folder whole, so it writes only into a new or empty folder or one \
                 it made before (with a `{MARKER}` file); choose another folder with --out, or move those files away"
            )),
            OutputError::UnmarkedExtra { .. } => d.with_help(
                "move those away if they are yours; if an earlier build made them, delete the folder and build again",
            ),
            _ => d,
        }
    }
}

/// Files of the output that could not be written, all failing the same way (a full disk fails
/// every file alike): reported once, with how many.
#[derive(Debug, Clone)]
pub struct WriteFailure {
    pub kind: std::io::ErrorKind,
    pub os_error: Option<i32>,
    pub message: String,
    /// The first file that failed, relative to the output folder.
    pub first: String,
    pub count: usize,
}

impl WriteFailure {
    pub fn diagnostic(&self, shown: &str) -> Diagnostic {
        let files = match self.count {
            1 => format!("`{}` was not written", self.first),
            n => format!("{n} files were not written, the first `{}`", self.first),
        };
        let d =
            Diagnostic::file_error(shown, format!("cannot write the site into `{shown}`: {}; {files}", self.message));
        use std::io::ErrorKind::*;
        match self.kind {
            StorageFull | QuotaExceeded | FileTooLarge => {
                d.with_help("free some space on that disk, or build into another folder with --out DIR")
            }
            PermissionDenied | ReadOnlyFilesystem => {
                d.with_help("build into a folder you may write to, with --out DIR")
            }
            _ => d,
        }
    }
}

/// A copy of an earlier output beside the output folder that could not be removed.
#[derive(Debug)]
pub struct Leftover {
    pub path: PathBuf,
    pub error: std::io::Error,
    /// Whether the output this build replaced (rather than one an earlier build left).
    pub replaced_now: bool,
}

impl Leftover {
    /// A warning: the output itself is complete and in place.
    pub fn diagnostic(&self, shown: &str) -> Diagnostic {
        let (path, error) = (self.path.display(), &self.error);
        let message = if self.replaced_now {
            format!(
                "the new site is in place, but the previous one could not be removed ({error}); it is left at `{path}`"
            )
        } else {
            format!("cannot remove `{path}`, a copy an earlier build left beside the output ({error})")
        };
        Diagnostic::file_error(shown, message)
            .with_help("the next build tries again to remove it; or delete it yourself")
            .warning()
    }
}

pub const CSP_PLACEHOLDER: &str = "__OBERIH_CSP__";

/// `type`s of the `<script>` data blocks pages carry (the search strings, the questionnaire's
/// packed form): they never run, so the policy hashes none of them.
pub const DATA_BLOCK_TYPES: &[&str] = &["application/json", "application/ld+json", "text/plain"];

/// Fills in a page's Content-Security-Policy. Pages are written as the templates make them:
/// minifying them saved about 4 % of their bytes (less once a server compresses them) and took
/// a third of the build's time. The questionnaires, which have a size budget, carry their
/// script and stylesheet minified (`crate::minify`); the rest of their markup is compact as
/// written.
pub fn finish_html(mut html: String) -> String {
    // Hashes what the page holds now: anything put in later (a content page's body, see
    // `render::render_page`) must carry no inline script or style.
    if let Some(at) = html.find(CSP_PLACEHOLDER) {
        let csp = csp_for(&html);
        html.replace_range(at..at + CSP_PLACEHOLDER.len(), &csp);
    }
    html
}

/// The policy for a page: `default-src 'none'`, with only the page's own files and hashed inline
/// scripts and styles allowed back.
pub fn csp_for(html: &str) -> String {
    // One walk over the page for both kinds: pages are scanned whole, whatever their size.
    let (mut scripts, mut styles) = (String::new(), String::new());
    for el in elements(html).iter().filter(|el| runs_inline(el)) {
        match el.name {
            "script" => push_hash(&mut scripts, el.content),
            "style" => push_hash(&mut styles, el.content),
            _ => {}
        }
    }
    format!(
        "default-src 'none'; script-src 'self'{scripts}; style-src 'self'{styles}; img-src 'self' data:; font-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'"
    )
}

fn push_hash(list: &mut String, body: &str) {
    let digest = Sha256::digest(body.as_bytes());
    list.push_str(" 'sha256-");
    list.push_str(&base64::engine::general_purpose::STANDARD.encode(digest));
    list.push('\'');
}

/// Contents of `<script>` elements that run inline (no `src`, not a data block).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    inline_elements(html, "script")
}

/// Contents of inline `<tag>` elements (`script` without `src` and not a data block, or `style`).
///
/// A small tokenizer finds real elements only: markup-like text inside attribute values,
/// comments, `<title>` or `<textarea>` (where a label such as `</script><script>…` is plain
/// text) is never taken for an element, so author text can never widen the policy.
pub fn inline_elements<'a>(html: &'a str, tag_name: &str) -> Vec<&'a str> {
    elements(html).into_iter().filter(|el| el.name == tag_name && runs_inline(el)).map(|el| el.content).collect()
}

/// Whether an element's own content is what the browser runs or applies: not an external
/// script (`src`) and not a data block.
fn runs_inline(el: &RawElement<'_>) -> bool {
    let is_data = DATA_BLOCK_TYPES.iter().any(|t| el.attrs.contains(t));
    !is_data && !has_attr(el.attrs, "src")
}

/// An element whose content the browser does not parse as markup.
struct RawElement<'a> {
    name: &'static str,
    attrs: &'a str,
    content: &'a str,
}

/// Walks the tags of a document and returns every `script`, `style`, `title` and `textarea`
/// element with its raw content.
fn elements(html: &str) -> Vec<RawElement<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(rel) = html[pos..].find('<') {
        let start = pos + rel;
        if html[start..].starts_with("<!--") {
            pos = html[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let name_end =
            start + 1 + html[start + 1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(0);
        let tag_end = end_of_tag(bytes, name_end);
        pos = tag_end;
        let tag = &html[start + 1..name_end];
        let Some(name) = ["script", "style", "title", "textarea"].into_iter().find(|n| tag.eq_ignore_ascii_case(n))
        else {
            continue;
        };
        let close = format!("</{name}");
        let content_end = find_ascii_ci(&html[tag_end..], &close).map_or(html.len(), |e| tag_end + e);
        let attrs = &html[name_end..tag_end.saturating_sub(1).max(name_end)];
        out.push(RawElement { name, attrs, content: &html[tag_end..content_end] });
        pos = content_end;
    }
    out
}

/// The position just after the `>` that closes a tag, skipping quoted attribute values.
pub(crate) fn end_of_tag(bytes: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (Some(q), b) if b == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (None, b'>') => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

pub(crate) fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether an attribute list names `attr` (outside quoted values).
fn has_attr(attrs: &str, attr: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut word = String::new();
    for c in attrs.chars().chain(std::iter::once(' ')) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() || c == '=' || c == '/' => {
                if word.eq_ignore_ascii_case(attr) {
                    return true;
                }
                word.clear();
            }
            None => word.push(c),
        }
    }
    false
}

/// A short content hash for fingerprinted asset names.
/// A quick hash of bytes, to tell within one process whether something changed (not stable
/// across builds of the program: never write it anywhere; [`fingerprint`] is for names).
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

pub fn fingerprint(bytes: &[u8]) -> String {
    fingerprint_of(Sha256::digest(bytes).as_slice())
}

/// [`fingerprint`] from the SHA-256 digest of the bytes, for bytes read a piece at a time.
pub fn fingerprint_of(digest: &[u8]) -> String {
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_hashes_inline_scripts_only() {
        let html = "<script src=\"a.js\"></script><script type=\"application/json\">{}</script><script>go()</script>";
        assert_eq!(inline_scripts(html), ["go()"]);
        assert!(csp_for(html).contains("'sha256-"));
        assert!(!csp_for("<p>x</p>").contains("sha256"));
    }

    #[test]
    fn markup_in_title_or_comments_is_not_a_script() {
        let html =
            "<title></script><script>alert(1)</script></title><!-- <script>x()</script> --><script>go()</script>";
        assert_eq!(inline_scripts(html), ["go()"]);
    }

    #[test]
    fn markup_in_attributes_is_not_a_script() {
        let html = "<meta content=\"<script>alert(1)</script>\"><a title='<style>x</style>'>a</a><script>go()</script><style>p{}</style>";
        assert_eq!(inline_scripts(html), ["go()"]);
        assert_eq!(inline_elements(html, "style"), ["p{}"]);
        assert_eq!(
            inline_scripts("<script src=a.js></script><script defer src=\"b.js\"></script>"),
            Vec::<&str>::new()
        );
        assert_eq!(inline_scripts("<script data-src=x>run()</script>"), ["run()"]);
    }
}

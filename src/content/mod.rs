//! Guidance content: Markdown pages with front matter, organised in sections, in several
//! languages. `page.md` is the default language; `page.en.md` its English translation.

pub mod front_matter;
mod load;

pub use front_matter::FrontMatter;
pub use load::{load_pages, reload, CacheUse, Loaded, ParseCache};

use crate::source::SourceFile;

/// One Markdown file in one language.
#[derive(Debug, Clone)]
pub struct Page {
    pub file: SourceFile,
    /// The whole file, kept so diagnostics can show any line; shared with the parse cache.
    pub text: std::sync::Arc<str>,
    pub body_start: usize,
    pub lang: String,
    /// Language-independent identity: `""` home, `about` a section, `about/forms` a page.
    pub key: String,
    pub is_section: bool,
    pub fm: FrontMatter,
}

impl Page {
    pub fn body(&self) -> &str {
        // Empty once the text is freed (see `Site::free_page_text`).
        self.text.get(self.body_start..).unwrap_or_default()
    }

    pub fn is_standard(&self) -> bool {
        self.key.starts_with("standards/")
    }

    /// The key of the section this page belongs to (`None` for the home page).
    pub fn parent_key(&self) -> Option<&str> {
        if self.key.is_empty() {
            return None;
        }
        Some(self.key.rsplit_once('/').map_or("", |(parent, _)| parent))
    }
}

/// Where a page with this key is written, relative to the language folder.
pub fn out_path(key: &str) -> String {
    if key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{key}/index.html")
    }
}

/// Number of folders between the language folder and a page's output file.
pub fn depth(key: &str) -> usize {
    if key.is_empty() {
        0
    } else {
        key.matches('/').count() + 1
    }
}

/// Byte offset of the front matter's first key: spans from the front-matter parser are relative
/// to it.
pub fn front_offset(page: &Page) -> usize {
    page.text.find('\n').map_or(0, |i| i + 1)
}

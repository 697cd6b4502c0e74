//! Writing the site safely: everything goes into a staging folder beside the target and is swapped
//! into place only when the whole build succeeded, so a failed or killed build never damages the
//! previous output. Also the last touch every HTML page gets: its Content-Security-Policy with
//! the hashes of its inline scripts and styles.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write output to `{0}`: it is the portal folder or contains it")]
    ContainsRoot(String),
    #[error("refusing to write output to `{0}`: it is inside the input folder `{1}`")]
    InsideInput(String, String),
    #[error("cannot write `{path}`: {source}")]
    Io { path: String, source: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.display().to_string(), source }
}

/// Input folders of a portal that an output folder must never be, or be inside of.
pub const INPUT_FOLDERS: [&str; 6] = ["content", "forms", "data", "themes", "regions", "static"];

/// An absolute, `..`-free form of a path that may not exist yet.
fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks in the part that exists, so two spellings of one folder compare equal.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for r in rest.into_iter().rev() {
        resolved.push(r);
    }
    resolved
}

/// Refuses an output path that is the portal root, one of its input folders, or an ancestor.
pub fn check_target(target: &Path, root: &Path) -> Result<(), OutputError> {
    let t = absolute(target);
    let r = absolute(root);
    if r.starts_with(&t) {
        return Err(OutputError::ContainsRoot(target.display().to_string()));
    }
    for folder in INPUT_FOLDERS {
        let input = r.join(folder);
        if t.starts_with(&input) {
            return Err(OutputError::InsideInput(target.display().to_string(), folder.to_string()));
        }
    }
    Ok(())
}

/// A staging folder that becomes the target on `commit` and disappears otherwise.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Folders already made: asking the file system again for each of thousands of files costs
    /// a failing `mkdir` every time, which is slow on a real disk.
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    pub fn new(target: &Path, root: &Path) -> Result<Staging, OutputError> {
        check_target(target, root)?;
        let target = absolute(target);
        let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        remove_abandoned(&parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging { target, dir, committed: false, made: Mutex::default() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (safe to call from several threads).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        std::fs::write(&path, bytes).map_err(io(&path))
    }

    /// Creates one file to be written piece by piece, buffered (safe to call from several
    /// threads); the caller flushes it.
    pub fn create(&self, rel: &str) -> Result<std::io::BufWriter<std::fs::File>, OutputError> {
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        Ok(std::io::BufWriter::new(std::fs::File::create(&path).map_err(io(&path))?))
    }

    fn make_parent(&self, path: &Path) -> Result<(), OutputError> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.made.lock().is_ok_and(|made| made.contains(parent)) {
            return Ok(());
        }
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        if let Ok(mut made) = self.made.lock() {
            made.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Swaps the staging folder into place; the previous output is removed only afterwards.
    pub fn commit(mut self) -> Result<(), OutputError> {
        pause_for_tests();
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_previous {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(io(&self.target)(e));
        }
        self.committed = true;
        if had_previous {
            remove_tree(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

/// Removes a folder tree, two levels of it in parallel: deleting thousands of small files is
/// mostly waiting on the file system, which several threads do better than one.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let second: Vec<PathBuf> = entries
        .iter()
        .filter(|p| p.is_dir())
        .flat_map(|p| std::fs::read_dir(p).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())))
        .collect();
    let remove = |p: &PathBuf| match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
        Ok(_) => std::fs::remove_file(p),
        Err(_) => Ok(()),
    };
    second.par_iter().try_for_each(remove)?;
    entries.par_iter().try_for_each(remove)?;
    std::fs::remove_dir(dir)
}

/// Removes staging and old-output folders left by builds that were killed: their process is gone.
/// (Only where `/proc` tells which processes run; elsewhere they stay until removed by hand.)
fn remove_abandoned(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = [format!(".{name}.staging-"), format!(".{name}.old-")]
            .iter()
            .find_map(|prefix| file_name.strip_prefix(prefix.as_str()).and_then(|p| p.parse::<u32>().ok()));
        if let Some(pid) = pid {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Lets tests kill a build at its most delicate moment: `OBERIH_TEST_PAUSE_BEFORE_SWAP_MS`.
fn pause_for_tests() {
    if let Some(ms) = std::env::var("OBERIH_TEST_PAUSE_BEFORE_SWAP_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
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
        "default-src 'none'; script-src 'self'{scripts}; style-src 'self'{styles}; img-src 'self' data:; font-src 'self'; form-action 'self'; base-uri 'none'"
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
    let d = Sha256::digest(bytes);
    d.iter().take(5).map(|b| format!("{b:02x}")).collect()
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

    #[test]
    fn refuses_dangerous_targets() {
        let root = tempfile::tempdir().unwrap();
        assert!(check_target(root.path(), root.path()).is_err());
        assert!(check_target(root.path().parent().unwrap(), root.path()).is_err());
        assert!(check_target(&root.path().join("content/x"), root.path()).is_err());
        assert!(check_target(&root.path().join("public"), root.path()).is_ok());
    }

    #[test]
    fn staging_swaps_and_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.txt"), "old").unwrap();
        let s = Staging::new(&target, root.path()).unwrap();
        s.write("a/b.txt", b"new").unwrap();
        s.commit().unwrap();
        assert!(target.join("a/b.txt").exists());
        assert!(!target.join("old.txt").exists());
        let leftovers = std::fs::read_dir(root.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn folders_of_killed_builds_are_cleaned_up() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        // No process has this id (above the kernel's pid limit).
        let dead = root.path().join(".public.staging-4999999");
        std::fs::create_dir_all(dead.join("uk")).unwrap();
        let s = Staging::new(&target, root.path()).unwrap();
        s.commit().unwrap();
        assert!(!dead.exists());
    }

    #[test]
    fn dropped_staging_leaves_target_alone() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.txt"), "old").unwrap();
        let s = Staging::new(&target, root.path()).unwrap();
        s.write("x.txt", b"half").unwrap();
        drop(s);
        assert!(target.join("old.txt").exists());
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }
}

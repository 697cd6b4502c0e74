//! Writing the site safely: everything goes into a staging folder beside the target and is swapped
//! into place only when the whole build succeeded, so a failed or killed build never damages the
//! previous output. Also the last touches every HTML page gets: minification and its
//! Content-Security-Policy with the hashes of its inline scripts.

use std::path::{Path, PathBuf};

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
}

impl Staging {
    pub fn new(target: &Path, root: &Path) -> Result<Staging, OutputError> {
        check_target(target, root)?;
        let target = absolute(target);
        let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging { target, dir, committed: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (safe to call from several threads).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))
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

/// Minifies a page, then fills in its Content-Security-Policy: only the page's own files, and
/// inline scripts by hash (computed on the final bytes, so minification cannot break them).
pub fn finish_html(html: &str) -> String {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_js: true,
        minify_css: true,
        ..Default::default()
    };
    let min = minify_html::minify(html.as_bytes(), &cfg);
    let min = String::from_utf8(min).unwrap_or_else(|_| html.to_string());
    fill_csp(min)
}

/// Fills in the page's Content-Security-Policy without minifying: for the single-document print
/// versions, which are large, read once, and gain little from it.
pub fn fill_csp(min: String) -> String {
    let csp = format!("\"{}\"", csp_for(&min));
    // The minifier may drop the quotes around the placeholder; the policy has spaces and needs them.
    let quoted = format!("\"{CSP_PLACEHOLDER}\"");
    if min.contains(&quoted) {
        min.replacen(&quoted, &csp, 1)
    } else {
        min.replacen(CSP_PLACEHOLDER, &csp, 1)
    }
}

/// The policy for a page: `default-src 'none'`, with only the page's own files and hashed inline
/// scripts and styles allowed back.
pub fn csp_for(html: &str) -> String {
    let scripts = hash_list(inline_elements(html, "script"));
    let styles = hash_list(inline_elements(html, "style"));
    format!(
        "default-src 'none'; script-src 'self'{scripts}; style-src 'self'{styles}; img-src 'self' data:; font-src 'self'; form-action 'self'; base-uri 'none'"
    )
}

fn hash_list(bodies: Vec<&str>) -> String {
    let mut out = String::new();
    for body in bodies {
        let digest = Sha256::digest(body.as_bytes());
        out.push_str(&format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
    }
    out
}

/// Contents of `<script>` elements that run inline (no `src`, not a data block).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    inline_elements(html, "script")
}

/// Contents of inline `<tag>` elements (`script` without `src` and not a data block, or `style`).
pub fn inline_elements<'a>(html: &'a str, tag_name: &str) -> Vec<&'a str> {
    // Text that looks like markup inside comments, <title> or <textarea> (RCDATA: a label such
    // as `</script><script>…` is plain text there) must never be taken for an element.
    let text_only = text_only_ranges(html);
    let inside_text = |at: usize| text_only.iter().any(|r| r.contains(&at));
    let open = format!("<{tag_name}");
    let close_tag = format!("</{tag_name}");
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(rel) = html[pos..].find(&open) {
        let start = pos + rel;
        if inside_text(start) {
            pos = start + open.len();
            continue;
        }
        let Some(tag_len) = html[start..].find('>') else { break };
        let tag = &html[start..start + tag_len];
        let body_start = start + tag_len + 1;
        // Script and style contents are raw text: they end at the first closing tag.
        let Some(close) = html[body_start..].find(&close_tag) else { break };
        let boundary = tag[open.len()..].chars().next().is_none_or(|c| c.is_whitespace());
        let is_data = tag.contains("application/json") || tag.contains("application/ld+json");
        if boundary && !tag.contains(" src=") && !is_data {
            out.push(&html[body_start..body_start + close]);
        }
        pos = body_start + close;
    }
    out
}

/// Byte ranges of comments and of the contents of `<title>` and `<textarea>` (the build writes
/// tag names in lower case).
fn text_only_ranges(html: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for (open, close) in [("<!--", "-->"), ("<title", "</title"), ("<textarea", "</textarea")] {
        let mut pos = 0;
        while let Some(rel) = html[pos..].find(open) {
            let start = pos + rel + open.len();
            let end = html[start..].find(close).map_or(html.len(), |e| start + e);
            ranges.push(start..end);
            pos = end;
        }
    }
    ranges
}

/// A short content hash for fingerprinted asset names.
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

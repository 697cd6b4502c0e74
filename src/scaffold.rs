//! `oberih new`: a new portal, or a new region inside one, from the templates in
//! `themes/scaffold/` (compiled in, so the binary alone is enough).
//!
//! The new portal builds and checks cleanly as it is, so an editor's first `oberih serve` shows a
//! working site and every later error is their own change. Nothing existing is ever overwritten.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

static PORTAL: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/scaffold/portal");
static REGION: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/scaffold/region");

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("`{0}` is not empty; choose a new or empty folder for the portal")]
    NotEmpty(PathBuf),
    #[error("`{0}` exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error("`{0}` has no portal.toml; run this in a portal folder or pass its path")]
    NotAPortal(PathBuf),
    #[error("region name `{0}` must be lowercase Latin letters, digits and hyphens (e.g. `zakarpattia`)")]
    BadSlug(String),
    #[error("the region `{0}` already exists")]
    RegionExists(String),
    #[error("cannot write `{path}`: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io { path: path.to_path_buf(), source }
}

/// Writes a new portal into `dir`, which must be missing or empty.
pub fn new_portal(dir: &Path) -> anyhow::Result<()> {
    ensure_empty(dir)?;
    let today = crate::dates::today();
    write_tree(&PORTAL, dir, &|text| text.replace("__TODAY__", &today))?;
    Ok(())
}

/// Adds `regions/<slug>/` to the portal at `root`: region.toml with commented examples and empty
/// `content/` and `data/` folders, each with a short README.txt.
pub fn new_region(root: &Path, slug: &str) -> anyhow::Result<()> {
    if !is_slug(slug) {
        return Err(ScaffoldError::BadSlug(slug.to_string()).into());
    }
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(ScaffoldError::NotAPortal(root.to_path_buf()).into());
    }
    let dir = root.join("regions").join(slug);
    if dir.exists() {
        return Err(ScaffoldError::RegionExists(slug.to_string()).into());
    }
    write_tree(&REGION, &dir, &|text| text.replace("__SLUG__", slug))?;
    Ok(())
}

/// What `oberih new DIR` made and the two commands to run next.
pub fn portal_made(dir: &Path) -> String {
    let cd = match dir.to_str() {
        Some(".") | Some("") => String::new(),
        _ => format!("cd {} && ", shell_word(dir)),
    };
    format!(
        "Created a new portal in {}:\n\
         \x20 portal.toml         title, languages and settings\n\
         \x20 content/            guidance pages in Markdown (start with content/_index.md)\n\
         \x20 forms/sample.toml   a sample screening form\n\
         \x20 data/contacts.toml  help-line contacts: replace the placeholder\n\
         \x20 README.md           how to edit, preview and publish\n\
         \n\
         Next:\n\
         \x20 {cd}oberih serve   preview on http://127.0.0.1:1111 while you edit\n\
         \x20 oberih build{}   write the site into public/\n",
        shown(dir),
        if cd.is_empty() { String::new() } else { " ".repeat(cd.len()) },
    )
}

/// What `oberih new --region SLUG` made and the two commands to run next.
pub fn region_made(root: &Path, slug: &str) -> String {
    let root_arg = match root.to_str() {
        Some(".") | Some("") => String::new(),
        _ => format!(" --root {}", shell_word(root)),
    };
    format!(
        "Created the region `{slug}` in {}:\n\
         \x20 region.toml  the region's name, languages and contacts (commented examples)\n\
         \x20 content/     pages that replace or add to the portal's\n\
         \x20 data/        the region's contacts (data/contacts.toml)\n\
         \n\
         Next:\n\
         \x20 oberih serve --region {slug}{root_arg}   preview the region while you edit\n\
         \x20 oberih build --region {slug}{root_arg}   write the region's site\n",
        shown(&root.join("regions").join(slug)),
    )
}

fn shown(dir: &Path) -> String {
    let mut s = dir.display().to_string();
    if !s.ends_with(std::path::MAIN_SEPARATOR) {
        s.push(std::path::MAIN_SEPARATOR);
    }
    s
}

/// A path as one shell word: quoted when it holds anything a shell would split or expand.
fn shell_word(path: &Path) -> String {
    let s = path.display().to_string();
    if s.chars().all(|c| c.is_alphanumeric() || "/._-+:,@".contains(c)) {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Region slugs become folder names and URL parts: the same rule as page file names.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn ensure_empty(dir: &Path) -> Result<(), ScaffoldError> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(dir)(e)),
        Ok(m) if !m.is_dir() => Err(ScaffoldError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
            match entries.next() {
                None => Ok(()),
                Some(_) => Err(ScaffoldError::NotEmpty(dir.to_path_buf())),
            }
        }
    }
}

/// Writes every template file below `to`, passing text through `fill`. Files are created with
/// `create_new`, so a file that appeared meanwhile is never overwritten.
fn write_tree(dir: &Dir<'static>, to: &Path, fill: &dyn Fn(&str) -> String) -> Result<(), ScaffoldError> {
    for file in dir.files() {
        let path = to.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let bytes = match file.contents_utf8() {
            Some(text) => fill(text).into_bytes(),
            None => file.contents().to_vec(),
        };
        let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(io(&path))?;
        std::io::Write::write_all(&mut out, &bytes).map_err(io(&path))?;
    }
    for sub in dir.dirs() {
        write_tree(sub, to, fill)?;
    }
    Ok(())
}

/// Today's date (UTC) as `YYYY-MM-DD`: the placeholder contact's `verified_on`, so a fresh portal
/// has no stale contact yet.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("zakarpattia"));
        assert!(is_slug("kyiv-city"));
        for bad in ["", "Kyiv", "../x", "a b", "-a", "львів"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}

//! The theme: templates, stylesheets, page scripts and UI strings. The default theme is
//! compiled into the binary, so a portal folder without `themes/` still builds; a portal's (or a
//! region's) own `themes/<name>/` files replace the built-in ones file by file.
//!
//! The runtimes that must agree with Rust code (the expression evaluator, the questionnaire and
//! its encryption, the search client) are no theme files: they live beside their Rust twins
//! (`src/forms/runtime/`, `src/search/runtime/`) and cannot be replaced; a theme file in their
//! old place is ignored with a warning.

use std::collections::BTreeMap;

use include_dir::{include_dir, Dir};

use crate::diag::Diagnostic;
use crate::source::Layers;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme once held the runtimes that are now built in.
const BUILT_IN_RUNTIMES: [&str; 6] = [
    "runtime/expr.js",
    "runtime/form.css",
    "runtime/form.js",
    "runtime/form_seal.js",
    "runtime/seal.js",
    "runtime/search.js",
];

/// Theme files by path relative to the theme folder (`templates/base.html`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub files: BTreeMap<String, ThemeFile>,
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The name used in messages: `themes/default/templates/page.html` or `(built-in) …`.
    pub shown: String,
    pub bytes: Vec<u8>,
}

impl ThemeFile {
    pub fn text(&self) -> Result<String, Diagnostic> {
        crate::source::decode_text(&self.shown, self.bytes.clone())
    }
}

impl Theme {
    /// The theme, or the errors that stop it loading; then the warnings about files it ignores.
    pub fn load(layers: &Layers, name: &str) -> (Result<Theme, Vec<Diagnostic>>, Vec<Diagnostic>) {
        let mut files = BTreeMap::new();
        collect_builtin(&BUILTIN, &mut files);
        let prefix = format!("themes/{name}/");
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        for (rel, file) in layers.files_under(&format!("themes/{name}")) {
            let inner = rel.strip_prefix(&prefix).unwrap_or(&rel).to_string();
            if BUILT_IN_RUNTIMES.contains(&inner.as_str()) {
                let message = format!("`{inner}` is built in and cannot be replaced; this file is ignored");
                warnings.push(Diagnostic::file_error(&file.shown, message).warning());
                continue;
            }
            match std::fs::read(&file.abs) {
                Ok(bytes) => {
                    files.insert(inner, ThemeFile { shown: file.shown.clone(), bytes });
                }
                Err(e) => problems.push(Diagnostic::file_error(&file.shown, format!("cannot read: {e}"))),
            }
        }
        let theme = if problems.is_empty() { Ok(Theme { files }) } else { Err(problems) };
        (theme, warnings)
    }

    pub fn get(&self, path: &str) -> Option<&ThemeFile> {
        self.files.get(path)
    }

    /// Files under a folder of the theme, sorted by path.
    pub fn under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files
            .iter()
            .filter(move |(k, _)| k.starts_with(dir) && k[dir.len()..].starts_with('/'))
            .map(|(k, v)| (k.as_str(), v))
    }
}

fn collect_builtin(dir: &Dir<'static>, out: &mut BTreeMap<String, ThemeFile>) {
    for f in dir.files() {
        let rel = crate::source::slash_path(f.path());
        out.insert(rel.clone(), ThemeFile { shown: format!("(built-in theme) {rel}"), bytes: f.contents().to_vec() });
    }
    for d in dir.dirs() {
        collect_builtin(d, out);
    }
}

//! `oberih form import FILE.xlsx -o forms/ID.toml`. The form file is written only when there is
//! none, only when it passes the form checks in the portal's languages, and in one step (a
//! temporary file beside it, renamed into place without replacing anything).

use std::io::Write;
use std::path::Path;

use super::import::{import, Imported};
use crate::diag::Diagnostic;
use crate::stdio;

/// `oberih form import`: 0 when the form file was written, 1 otherwise.
pub fn run(xlsx: &Path, out: &Path) -> i32 {
    let fail = |ds: Vec<Diagnostic>| {
        report(&ds);
        let errors = ds.iter().filter(|d| d.is_error()).count();
        stdio::err(&format!("{errors} error(s); nothing was written\n"));
        1
    };
    let shown = out.display().to_string();
    if out.exists() {
        return fail(vec![Diagnostic::file_error(&shown, "this file already exists; import never replaces a file")
            .with_help("choose another output name, or move the existing file away first")]);
    }
    let id = out.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let id_ok = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok || out.extension().and_then(|e| e.to_str()) != Some("toml") {
        return fail(vec![Diagnostic::file_error(
            &shown,
            "the form file must be named ID.toml, ID of [a-z][a-z0-9-]*",
        )
        .with_help("the file name is the form's id and part of its address, e.g. forms/initial-screening.toml")]);
    }
    let imported = match import(xlsx, &id) {
        Ok(i) => i,
        Err(ds) => return fail(ds),
    };
    let languages = match portal_languages(out) {
        Ok(Some(portal)) => portal,
        Ok(None) => imported.form.languages.clone(),
        Err(d) => return fail(vec![d]),
    };
    if let Err(ds) = check(&shown, &imported, &languages) {
        return fail(ds);
    }
    if let Err(e) = write_new(out, &imported.toml) {
        return fail(vec![Diagnostic::file_error(&shown, format!("cannot write the form file: {e}"))]);
    }
    report(&imported.warnings);
    let questions: usize = imported.form.sections.iter().map(|s| s.questions.len()).sum();
    stdio::err(&format!(
        "{shown}: {questions} question(s) in {} section(s), languages {}\n",
        imported.form.sections.len(),
        imported.form.languages.join(", ")
    ));
    0
}

/// Prints problems in the order given (the sheets' order, not the file names').
fn report(ds: &[Diagnostic]) {
    for d in ds {
        stdio::err(&format!("{d}\n"));
    }
}

/// The portal's languages when the form file goes into a portal's `forms/` folder.
fn portal_languages(out: &Path) -> Result<Option<Vec<String>>, Diagnostic> {
    let Some(root) = out.parent().filter(|p| p.file_name().is_some_and(|n| n == "forms")).and_then(Path::parent) else {
        return Ok(None);
    };
    let config = root.join("portal.toml");
    let Ok(text) = std::fs::read_to_string(&config) else { return Ok(None) };
    match crate::config::Config::parse(&text) {
        Ok(c) => Ok(Some(c.languages)),
        Err(_) => Err(Diagnostic::file_error(&config.display().to_string(), "this portal.toml does not load")
            .with_help("run `oberih check` to see why, then import again")),
    }
}

/// The checks every form file passes, in `languages` (the portal's, or else the form's own):
/// a problem here is one the reading of the sheets could not see (a language the portal needs,
/// a type mismatch, a question read before it is asked…).
pub fn check(shown: &str, imported: &Imported, languages: &[String]) -> Result<(), Vec<Diagnostic>> {
    let missing: Vec<&String> = languages.iter().filter(|l| !imported.form.languages.contains(l)).collect();
    if !missing.is_empty() {
        let list = missing.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
        let example = missing.iter().map(|l| format!("`label::{} ({l})`", language_name(l))).collect::<Vec<_>>();
        return Err(vec![Diagnostic::file_error(shown, format!("the workbook has no texts in {list}, which this portal needs in every text"))
            .with_help(format!("add the columns {} (and the same for hint and constraint_message) with the translations, then import again", example.join(", ")))]);
    }
    let known = |_: &str, _: Option<&str>| true;
    let languages = languages.to_vec();
    let ctx = crate::forms::FormContext {
        default_language: languages.first().cloned().unwrap_or_default(),
        languages,
        known_standard: &known,
    };
    crate::forms::load(shown, &imported.toml, &ctx).map(|_| ()).map_err(|ds| {
        let note = "nothing was written: the lines shown are of the form file the import made from the workbook";
        ds.into_iter().map(|d| d.with_note(note)).collect()
    })
}

/// Writes `text` to `path` in one step, never replacing a file that is there.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".oberih-import-").tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// How XLSForm names a language in column headers.
fn language_name(code: &str) -> &str {
    match code {
        "uk" => "Українська",
        "en" => "English",
        _ => "Name",
    }
}

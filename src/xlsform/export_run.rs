//! `oberih form export --xlsform`: loads the portal a form file belongs to, exports the form and
//! writes the workbook without ever leaving a half-written file behind.

use std::path::{Path, PathBuf};

use super::export::{export, Language, Portal};
use super::export_place::Places;
use crate::diag::{Diagnostic, Diagnostics};
use crate::forms::Form;
use crate::site::Site;

/// What an export reports: the problems found, and whether the workbook was written.
pub struct ExportReport {
    pub diagnostics: Diagnostics,
    pub written: bool,
}

/// Exports `form_file` (a `forms/ID.toml` of a portal) to `out`. The portal is the folder above
/// `forms/` unless `root` is given.
pub fn export_file(form_file: &Path, root: Option<&Path>, out: &Path) -> ExportReport {
    let mut diagnostics = Diagnostics::default();
    let written = run(form_file, root, out, &mut diagnostics);
    ExportReport { diagnostics, written }
}

fn run(form_file: &Path, root: Option<&Path>, out: &Path, diags: &mut Diagnostics) -> bool {
    let root = root.map(Path::to_path_buf).unwrap_or_else(|| portal_of(form_file));
    let stem = form_file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let shown = format!("forms/{stem}.toml");
    let mut site_diags = Diagnostics::default();
    let site = crate::build::open_site(&root, None, &mut site_diags, &mut Vec::new());
    let this_file: Vec<Diagnostic> = site_diags.sorted().into_iter().filter(|d| d.file == shown).collect();
    let failed = this_file.iter().any(Diagnostic::is_error);
    diags.extend(this_file);
    let Some((site, _)) = site else {
        if !failed {
            diags.extend(site_diags.into_vec());
        }
        return false;
    };
    let Some(form) = site.forms.iter().find(|f| f.id == stem) else {
        if !failed {
            diags.push(
                Diagnostic::file_error(&shown, format!("no form `{stem}` in the portal at {}", root.display()))
                    .with_help("give a form file in the portal's forms/ folder, or the portal with --root"),
            );
        }
        return false;
    };
    let text = match std::fs::read_to_string(root.join(&shown)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::file_error(&shown, format!("cannot read the form file: {e}")));
            return false;
        }
    };
    export_to(form, &portal(&site), &Places::new(&shown, &text), out, diags)
}

/// The portal's languages and the texts of its own that the export writes into the workbook.
fn portal(site: &Site) -> Portal {
    let languages = site
        .config
        .languages
        .iter()
        .map(|code| Language { code: code.clone(), name: site.i18n.t(code, "lang.name") })
        .collect();
    let per_lang = |key: &str| site.config.languages.iter().map(|l| (l.clone(), site.i18n.t(l, key))).collect();
    Portal {
        languages,
        incomplete_label: per_lang("forms.incomplete.label"),
        incomplete_action: per_lang("forms.incomplete.action"),
    }
}

/// Exports the form and saves the workbook at `out`; whether it was written.
fn export_to(form: &Form, portal: &Portal, places: &Places, out: &Path, diags: &mut Diagnostics) -> bool {
    match export(form, portal, places) {
        Ok(done) => {
            diags.extend(done.warnings);
            match save(&done.sheets, out) {
                Ok(()) => true,
                Err(e) => {
                    diags.push(Diagnostic::file_error(&out.display().to_string(), e));
                    false
                }
            }
        }
        Err(problems) => {
            diags.extend(problems);
            false
        }
    }
}

/// The portal folder of a form file: the folder above its `forms/`.
fn portal_of(form_file: &Path) -> PathBuf {
    let forms = form_file.parent().unwrap_or(Path::new(""));
    match forms.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes next to `out` first, then renames: a failed write leaves any old file whole.
fn save(sheets: &super::export_write::Sheets, out: &Path) -> Result<(), String> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".oberih-xlsform-")
        .suffix(".xlsx")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write to {}: {e}", dir.display()))?;
    super::export_write::write(sheets, tmp.path()).map_err(|e| format!("cannot write the workbook: {e}"))?;
    tmp.persist(out).map_err(|e| format!("cannot write {}: {}", out.display(), e.error))?;
    Ok(())
}

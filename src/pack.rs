//! `oberih pack`: the built site as one zip for offline distribution (a USB stick, a shared
//! folder), with a short bilingual README.txt for whoever receives it and a SHA256SUMS file to
//! check that nothing was changed on the way.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("cannot read the built site: {0}")]
    Read(std::io::Error),
    #[error("cannot write `{path}`: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("cannot write the zip: {0}")]
    Zip(#[from] zip::result::ZipError),
}

const README: &str = "\
Оберіг — портал методичної інформації з протидії торгівлі людьми
=================================================================

Як відкрити: розпакуйте архів і двічі клацніть файл index.html.
Інтернет не потрібен. Портал не надсилає жодних даних.
Форми скринінгу зберігають відповіді лише на цьому пристрої, доки ви їх не експортуєте.

Перевірити, що файли не змінено: sha256sum -c SHA256SUMS

Oberih — guidance portal on countering trafficking in human beings
==================================================================

To open: unzip the archive and double-click index.html.
No internet is needed. The portal sends no data anywhere.
Screening forms keep answers on this device only, until you export them.

To check that no file was changed: sha256sum -c SHA256SUMS
";

/// Zips every file below `site` (but its output marker) into `zip_path`, adding README.txt and
/// SHA256SUMS. Entries are sorted and carry a fixed timestamp, so the same site always gives the
/// same zip.
pub fn pack(site: &Path, zip_path: &Path) -> Result<usize, PackError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.map_err(|e| PackError::Read(e.into()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(site).map(crate::source::slash_path).unwrap_or_default();
            // The marker says the folder is a build's output; the zip is not that folder.
            if rel == crate::output::MARKER {
                continue;
            }
            // A stick or a shared folder has no web server to send compressed copies.
            if crate::output::is_precompressed_copy(site, &rel) {
                continue;
            }
            files.push((rel, std::fs::read(entry.path()).map_err(PackError::Read)?));
        }
    }
    files.push(("README.txt".into(), README.as_bytes().to_vec()));
    let sums: String = files.iter().map(|(p, b)| format!("{}  {p}\n", hex(&Sha256::digest(b)))).collect();
    files.push(("SHA256SUMS".into(), sums.into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let write_err = |source| PackError::Write { path: zip_path.display().to_string(), source };
    let out = std::fs::File::create(zip_path).map_err(write_err)?;
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in &files {
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes).map_err(write_err)?;
    }
    zip.finish()?;
    Ok(files.len())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

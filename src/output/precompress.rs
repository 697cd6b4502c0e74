//! Precompressed copies for hosts that serve them as they are (nginx `gzip_static` and
//! `brotli_static`, Caddy `precompressed`): `FILE.gz` and `FILE.br` beside every text file a
//! browser asks for, when it is larger than [`MIN_BYTES`]. The copies depend only on the file's
//! bytes (no time or name in the gzip header), so the same input gives the same output; a
//! file the previous output already had compressed, unchanged, keeps its copies by link.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::reuse::{write_new, Previous};

/// Files at most this large are sent as they are: compressing them saves too little.
pub const MIN_BYTES: u64 = 1024;
/// Extensions of the files that get copies.
const TEXT: [&str; 6] = ["html", "css", "js", "json", "xml", "svg"];
/// Suffixes of the copies.
pub const SUFFIXES: [&str; 2] = ["gz", "br"];
/// Brotli quality: 11, the best, takes several times longer for about 3 % less.
const BROTLI_QUALITY: u32 = 10;
const BROTLI_WINDOW: u32 = 22;

/// Whether `rel` (a path in an output) is a precompressed copy of a file beside it.
pub fn is_copy(site: &Path, rel: &str) -> bool {
    SUFFIXES.iter().any(|s| {
        rel.strip_suffix(s).and_then(|r| r.strip_suffix('.')).is_some_and(|orig| {
            let ext = Path::new(orig).extension().and_then(|e| e.to_str()).unwrap_or_default();
            TEXT.contains(&ext) && site.join(orig).is_file()
        })
    })
}

/// Writes the copies of every eligible file below `dir`; returns how many files got them, or
/// the first error with the path it concerns.
pub(super) fn write_copies(dir: &Path, previous: &Previous) -> Result<usize, (PathBuf, std::io::Error)> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && eligible(e.path()))
        .filter(|e| e.metadata().is_ok_and(|m| m.len() > MIN_BYTES))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(|path| copies_of(dir, path, previous))?;
    Ok(files.len())
}

fn eligible(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| TEXT.contains(&e))
}

/// The two copies of one file: linked from the previous output when the file itself was,
/// compressed otherwise.
fn copies_of(dir: &Path, path: &Path, previous: &Previous) -> Result<(), (PathBuf, std::io::Error)> {
    let rel = path.strip_prefix(dir).map(Path::to_path_buf).unwrap_or_default();
    let reused = previous.linked_copies(&rel, path, &SUFFIXES);
    if reused {
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(|e| (path.to_path_buf(), e))?;
    for (suffix, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
        let copy = with_suffix(path, suffix);
        packed.and_then(|p| write_new(&copy, &p)).map_err(|e| (copy, e))?;
    }
    Ok(())
}

pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    // No file name and a zero time in the header: the copy depends on the bytes only.
    let mut out = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::best());
    out.write_all(bytes)?;
    out.finish()
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        w.write_all(bytes)?;
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_their_file_and_depend_only_on_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let page = "<p>Примусова праця</p>\n".repeat(100);
        std::fs::write(dir.path().join("page.html"), &page).unwrap();
        std::fs::write(dir.path().join("small.html"), "<p>коротко</p>").unwrap();
        std::fs::write(dir.path().join("photo.png"), vec![0u8; 4096]).unwrap();
        assert_eq!(write_copies(dir.path(), &Previous::new(None)).unwrap(), 1);
        let gz = std::fs::read(dir.path().join("page.html.gz")).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).unwrap();
        assert_eq!(text, page);
        let br = std::fs::read(dir.path().join("page.html.br")).unwrap();
        let mut text = String::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_string(&mut text).unwrap();
        assert_eq!(text, page);
        assert_eq!(gzip(page.as_bytes()).unwrap(), gz, "the same bytes give the same copy");
        assert!(!dir.path().join("small.html.gz").exists() && !dir.path().join("photo.png.gz").exists());
        assert!(is_copy(dir.path(), "page.html.gz") && is_copy(dir.path(), "page.html.br"));
        assert!(!is_copy(dir.path(), "page.html") && !is_copy(dir.path(), "archive.gz"));
    }
}

//! `oberih build --precompress` (or `[output] precompress = true`): `.gz` and `.br` copies beside
//! text files, the same bytes from the same input, each decompressing to its file, never packed.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

fn build(root: &Path, out: &Path, extra: &[&str]) {
    let run = Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn copies_are_deterministic_and_decompress_to_their_files() {
    let site = common::copy_fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(site.path(), &a, &["--precompress"]);
    build(site.path(), &b, &["--precompress"]);
    let tree = common::tree(&a);
    assert_eq!(tree, common::tree(&b), "two builds of the same input differ");
    let home = &tree["uk/index.html"];
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&tree["uk/index.html.gz"][..]).read_to_end(&mut text).unwrap();
    assert_eq!(&text, home);
    let mut text = Vec::new();
    brotli::Decompressor::new(&tree["uk/index.html.br"][..], 4096).read_to_end(&mut text).unwrap();
    assert_eq!(&text, home);
    for (path, bytes) in &tree {
        let ext = path.rsplit('.').next().unwrap_or_default();
        let text = ["html", "css", "js", "json", "xml", "svg"].contains(&ext);
        let copied = tree.contains_key(&format!("{path}.gz")) && tree.contains_key(&format!("{path}.br"));
        assert_eq!(copied, text && bytes.len() > 1024, "{path} ({} bytes)", bytes.len());
    }
    // A rebuild over the output keeps the copies; without the option they are gone.
    build(site.path(), &a, &["--precompress"]);
    assert_eq!(common::tree(&a), tree);
    build(site.path(), &a, &[]);
    assert!(common::tree(&a).keys().all(|p| !p.ends_with(".gz") && !p.ends_with(".br")));
}

#[test]
fn portal_toml_asks_for_copies_and_pack_leaves_them_out() {
    let site = common::copy_fixture("basic");
    let toml = site.path().join("portal.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[output]\nprecompress = true\n")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(site.path(), &out, &[]);
    assert!(out.join("uk/index.html.gz").is_file() && out.join("uk/index.html.br").is_file());
    let zip_path = dir.path().join("site.zip");
    let run = Command::new(env!("CARGO_BIN_EXE_oberih"))
        .args(["pack", "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with("uk/index.html")), "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with(".gz") && !n.ends_with(".br")), "{names:?}");
}

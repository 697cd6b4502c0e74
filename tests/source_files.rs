//! A file does one thing: no source file of the project (Rust, JavaScript, Python, shell, CSS,
//! templates) is longer than 600 lines. Data the tests read (fixtures, snapshots, the hostile
//! inputs of the robustness gate) is not source and is not counted.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

/// Folders whose files are data, not source.
const DATA: [&str; 3] = ["tests/fixtures", "tests/snapshots", "tests/gates/nasty"];

const SOURCE: [&str; 7] = ["rs", "js", "py", "sh", "css", "html", "parts"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's source files: under `src`, `tests`, `benches`, `themes` and `scripts`, and the
/// lint's configuration.
fn source_files() -> Vec<PathBuf> {
    let root = root();
    let mut files = vec![root.join("eslint.config.js")];
    for top in ["src", "tests", "benches", "themes", "scripts"] {
        let walk = walkdir::WalkDir::new(root.join(top)).into_iter().filter_entry(|e| {
            let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
            !DATA.iter().any(|d| rel == Path::new(d))
        });
        for entry in walk {
            let entry = entry.expect("a readable folder");
            let path = entry.path();
            let is_source = match path.extension().and_then(|e| e.to_str()) {
                Some(ext) => SOURCE.contains(&ext),
                // Scripts without an extension (scripts/test, scripts/module-cycles).
                None => top == "scripts",
            };
            if entry.file_type().is_file() && is_source {
                files.push(path.to_path_buf());
            }
        }
    }
    files
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let files = source_files();
    assert!(files.len() > 200, "only {} source files found", files.len());
    assert!(files.iter().any(|f| f.ends_with("src/lib.rs")) && files.iter().any(|f| f.ends_with("scripts/test")));
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let lines = text.lines().count();
            let rel = f.strip_prefix(root()).unwrap_or(f).display().to_string();
            (lines > MAX_LINES).then(|| format!("{rel}: {lines} lines"))
        })
        .collect();
    assert!(long.is_empty(), "longer than {MAX_LINES} lines (split by what each part does):\n{}", long.join("\n"));
}

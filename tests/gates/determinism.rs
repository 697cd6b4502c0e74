//! Determinism gate: the default portal built twice by the `oberih` binary, in different folders,
//! time zones, locales, temporary folders and thread counts, from sources copied in reverse order,
//! gives byte-identical trees; and nothing in the output names the machine, the user, the build
//! folder or the day of the build.

use oberih::dates::ymd;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common;
use crate::support::*;

/// Builds `root` into `out` with the binary, from `cwd`, with `env` set.
fn build_with(root: &Path, out: &Path, cwd: &Path, env: &[(&str, &str)]) {
    let mut cmd = oberih();
    cmd.arg("build").arg("--quiet").arg("--root").arg(root).arg("--out").arg(out).current_dir(cwd);
    cmd.env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = run_with_timeout(cmd, Duration::from_secs(300));
    assert!(run.status.is_some_and(|s| s.success()), "build of {} failed:\n{}", root.display(), run.stderr_tail());
}

/// Copies a portal creating its files in reverse path order, so that folder listings (and any
/// order that leaks from them) differ from the original's.
fn copy_reversed(from: &Path, to: &Path) {
    let mut files = Vec::new();
    for part in PORTAL_PARTS {
        for entry in walkdir::WalkDir::new(from.join(part)).into_iter().filter_map(|e| e.ok()) {
            if entry.file_type().is_file() {
                files.push(entry.path().strip_prefix(from).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    for rel in files.iter().rev() {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(rel), target).unwrap();
    }
}

/// Files that differ between two output trees, one line each.
pub fn differences(a: &Path, b: &Path) -> Vec<String> {
    let (ta, tb) = (common::tree(a), common::tree(b));
    let mut out = Vec::new();
    for (path, bytes) in &ta {
        match tb.get(path) {
            None => out.push(format!("{path}: only in the first build")),
            Some(other) if other != bytes => {
                let at =
                    bytes.iter().zip(other.iter()).position(|(x, y)| x != y).unwrap_or(bytes.len().min(other.len()));
                let show =
                    |v: &[u8]| String::from_utf8_lossy(&v[at.saturating_sub(40)..(at + 40).min(v.len())]).into_owned();
                out.push(format!("{path}: differs at byte {at}: «{}» vs «{}»", show(bytes), show(other)));
            }
            Some(_) => {}
        }
    }
    for path in tb.keys().filter(|p| !ta.contains_key(*p)) {
        out.push(format!("{path}: only in the second build"));
    }
    out
}

/// Where any of `needles` (what, text) occurs in the files below `dir`.
pub fn leaks(dir: &Path, needles: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in common::tree(dir) {
        let text = String::from_utf8_lossy(&bytes);
        for (what, needle) in needles {
            if let Some(i) = text.find(needle.as_str()) {
                let line = text[..i].matches('\n').count() + 1;
                out.push(format!("{path}:{line}: {what} `{needle}`"));
            }
        }
    }
    out
}

/// Today's date anywhere on Earth (UTC−12 to UTC+14), for the build-date check.
fn todays_dates() -> BTreeSet<String> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    [-12 * 3600, 0, 14 * 3600].iter().map(|off| ymd(now + off)).collect()
}

fn host_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())?;
    Some(name.trim().to_string())
}

fn user_name() -> Option<String> {
    std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).ok().or_else(|| {
        let out = std::process::Command::new("id").arg("-un").output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
    })
}

/// What must not appear in the output: the build folders, the machine, the user, today's date.
/// Short or generic names (a host called `vm`, the user `root`) would match ordinary words, so
/// those are checked through the home folder instead.
fn needles(folders: &[&Path], inputs: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        folders.iter().map(|f| ("build folder".to_string(), f.to_string_lossy().into_owned())).collect();
    if let Some(h) = host_name().filter(|h| h.len() >= 4) {
        out.push(("host name".into(), h));
    }
    if let Some(u) = user_name().filter(|u| u.len() >= 4 && u != "root") {
        out.push(("user name".into(), u));
    }
    if let Some(home) = std::env::var("HOME").ok().filter(|h| h.len() > 1) {
        out.push(("home folder".into(), format!("{}/", home.trim_end_matches('/'))));
    }
    // A date written in the sources themselves may appear; any other date of today may not.
    let input_text: String = common::tree(inputs).values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    for date in todays_dates() {
        if !input_text.contains(&date) {
            out.push(("build date".into(), date));
        }
    }
    out
}

#[test]
fn determinism_two_builds_are_byte_identical_and_leak_nothing() {
    let a = tempfile::tempdir().unwrap();
    let out_a = a.path().join("public");
    std::fs::create_dir_all(a.path().join("tmp")).unwrap();
    let tmp_a = a.path().join("tmp");
    build_with(
        repo(),
        &out_a,
        a.path(),
        &[("TZ", "UTC"), ("LANG", "C"), ("LC_ALL", "C"), ("TMPDIR", tmp_a.to_str().unwrap())],
    );

    let b = tempfile::tempdir().unwrap();
    let marker = format!("oberih-determinism-{}", std::process::id());
    let root_b = b.path().join(&marker).join("portal");
    copy_reversed(repo(), &root_b);
    let out_b = b.path().join(&marker).join("elsewhere").join("site");
    let tmp_b = b.path().join(&marker).join("tmp");
    std::fs::create_dir_all(&tmp_b).unwrap();
    build_with(
        &root_b,
        &out_b,
        &root_b,
        &[
            ("TZ", "Pacific/Kiritimati"),
            ("LANG", "uk_UA.UTF-8"),
            ("LC_ALL", "uk_UA.UTF-8"),
            ("TMPDIR", tmp_b.to_str().unwrap()),
            ("RAYON_NUM_THREADS", "1"),
        ],
    );

    let diff = differences(&out_a, &out_b);
    assert!(diff.is_empty(), "the two builds differ in {} file(s):\n{}", diff.len(), diff.join("\n"));
    let folders: Vec<PathBuf> = vec![repo().to_path_buf(), a.path().to_path_buf(), b.path().to_path_buf()];
    let folder_refs: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
    let mut needles = needles(&folder_refs, &root_b);
    needles.push(("marker in the build path".into(), marker));
    let found = leaks(&out_b, &needles);
    assert!(found.is_empty(), "the output names its build:\n{}", found.join("\n"));
}

/// Seen to fail: two builds of the basic fixture whose `static/` note differs and names the
/// build folder and today's date.
#[test]
fn determinism_gate_fails_on_broken_fixture() {
    let today = ymd(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64);
    let mut outs = Vec::new();
    let mut dirs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("portal");
        copy_portal(&common::fixture("basic"), &root);
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/build-note.txt"), format!("built in {} on {today}\n", dir.path().display()))
            .unwrap();
        let out = dir.path().join("public");
        common::build_ok(&root, &out);
        outs.push(out);
        dirs.push(dir);
    }
    let diff = differences(&outs[0], &outs[1]);
    assert!(diff.iter().any(|d| d.starts_with("build-note.txt: differs")), "{diff:?}");
    let needles = vec![
        ("build folder".to_string(), dirs[1].path().to_string_lossy().into_owned()),
        ("build date".to_string(), today),
    ];
    let found = leaks(&outs[1], &needles);
    assert!(found.iter().any(|f| f.contains("build folder")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("build date")), "{found:?}");
}

#[test]
fn dates_are_computed_right() {
    assert_eq!(ymd(0), "1970-01-01");
    assert_eq!(ymd(951_782_400), "2000-02-29");
    assert_eq!(ymd(1_767_225_599), "2025-12-31");
    assert_eq!(ymd(-86_400), "1969-12-31");
}

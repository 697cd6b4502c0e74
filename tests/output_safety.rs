//! What `oberih build --out DIR` may replace and what a killed, failed or half-finished swap
//! leaves behind; and how every command behaves when what it prints or writes cannot be written:
//! a full disk, a pipe closed early. Runs the real `oberih` binary.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = ".oberih-output";

fn oberih() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oberih"))
}

/// A copy of the basic fixture portal, at `DIR/portal`.
fn portal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    common::copy_dir(&common::fixture("basic"), &root);
    (dir, root)
}

fn build_cmd(root: &Path, out: &Path) -> Command {
    let mut cmd = oberih();
    cmd.arg("build").arg("--quiet").arg("--root").arg(root).arg("--out").arg(out);
    cmd
}

fn build(root: &Path, out: &Path) -> Output {
    build_cmd(root, out).output().unwrap()
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

fn assert_success(run: &Output) {
    assert!(run.status.success(), "{}:\n{}", run.status, stderr(run));
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    v.sort();
    v
}

/// Hidden folders beside `out` that builds leave (staging folders, moved-aside outputs).
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    names(out.parent().unwrap()).into_iter().filter(|n| n.starts_with(&format!(".{name}."))).collect()
}

/// Adds a sentence to a page, so that a replaced output shows.
fn change_page(root: &Path, text: &str) {
    let page = root.join("content/guide/second.md");
    let old = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{old}\n{text}\n")).unwrap();
}

fn second_page(out: &Path) -> String {
    fs::read_to_string(out.join("uk/guide/second/index.html")).unwrap()
}

/// A page with a link to nowhere: the build fails.
fn break_portal(root: &Path) {
    fs::write(root.join("content/guide/broken.md"), "+++\ntitle = \"Зламано\"\n+++\n[x](nowhere.md)\n").unwrap();
}

#[test]
fn refuses_a_folder_with_files_it_did_not_make() {
    let (dir, root) = portal();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("notes.txt"), "notes\n").unwrap();
    let run = build(&root, &docs);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains(&docs.display().to_string()) && err.contains("notes.txt"), "{err}");
    assert_eq!(names(&docs), ["notes.txt"]);
    assert_eq!(fs::read_to_string(docs.join("notes.txt")).unwrap(), "notes\n");
    assert!(leftovers(&docs).is_empty(), "{:?}", leftovers(&docs));
}

#[test]
fn refuses_a_file_as_the_output_folder() {
    let (dir, root) = portal();
    let file = dir.path().join("site.html");
    fs::write(&file, "mine\n").unwrap();
    let run = build(&root, &file);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains(&file.display().to_string()), "{}", stderr(&run));
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine\n");
    assert_eq!(names(dir.path()), ["portal", "site.html"]);
}

#[test]
fn replaces_an_empty_folder_and_then_its_own_output() {
    let (dir, root) = portal();
    let out = dir.path().join("site");
    fs::create_dir(&out).unwrap();
    assert_success(&build(&root, &out));
    assert!(out.join(MARKER).is_file() && out.join("index.html").is_file());
    change_page(&root, "Друга версія сторінки.");
    assert_success(&build(&root, &out));
    assert!(second_page(&out).contains("Друга версія"));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// A rebuild links the previous output's unchanged files instead of writing them again (the
/// same inode carries on), writes changed ones anew, and never writes through a link: a file
/// edited by hand in the old output is not reused.
#[test]
fn a_rebuild_reuses_unchanged_files_and_writes_changed_ones_anew() {
    let (dir, root) = portal();
    let out = dir.path().join("site");
    assert_success(&build(&root, &out));
    let inode = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
    let (home, second, about) = (inode("uk/index.html"), inode("uk/guide/second/index.html"), inode("en/index.html"));
    let before = common::tree(&out);
    assert_success(&build(&root, &out));
    assert_eq!(common::tree(&out), before, "a rebuild of the same input is byte-identical");
    assert_eq!((inode("uk/index.html"), inode("uk/guide/second/index.html")), (home, second));
    change_page(&root, "Друга версія сторінки.");
    fs::write(out.join("en/index.html"), "edited by hand").unwrap();
    assert_success(&build(&root, &out));
    assert!(second_page(&out).contains("Друга версія"));
    assert_ne!(inode("uk/guide/second/index.html"), second, "a changed page is a new file");
    assert_ne!(inode("en/index.html"), about, "a file edited by hand is written anew");
    assert_eq!(fs::read(out.join("en/index.html")).unwrap(), before["en/index.html"]);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn adopts_an_output_built_before_the_marker_but_nothing_more() {
    let (dir, root) = portal();
    let out = dir.path().join("public");
    assert_success(&build(&root, &out));
    // An output from before the marker: exactly what a build makes, without the marker.
    fs::remove_file(out.join(MARKER)).unwrap();
    change_page(&root, "Друга версія сторінки.");
    assert_success(&build(&root, &out));
    assert!(second_page(&out).contains("Друга версія") && out.join(MARKER).is_file());
    // The same with a file of someone else's at its top: refused, and the file stays.
    fs::remove_file(out.join(MARKER)).unwrap();
    fs::write(out.join("budget.xlsx"), "cells").unwrap();
    change_page(&root, "Третя версія сторінки.");
    let run = build(&root, &out);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("budget.xlsx"), "{}", stderr(&run));
    assert_eq!(fs::read_to_string(out.join("budget.xlsx")).unwrap(), "cells");
    assert!(!second_page(&out).contains("Третя версія"));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn next_build_restores_an_output_a_killed_swap_left_hidden() {
    let (dir, root) = portal();
    let out = dir.path().join("public");
    assert_success(&build(&root, &out));
    let before = common::tree(&out);
    // Killed between moving the old output aside and moving the new one in (no process has
    // this id: it is above the kernel's limit).
    fs::rename(&out, dir.path().join(".public.old-4999999")).unwrap();
    break_portal(&root);
    let run = build(&root, &out);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(common::tree(&out) == before, "the previous output was not restored");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// A build of `root` into `out` that runs as the unprivileged user `nobody` when the tests run as
/// root (who may delete anything, so permissions would not matter), after giving `dir` to that
/// user. The binary runs from a copy inside `dir`, so the build does not depend on whether
/// `nobody` may enter the folder the tests were built in.
fn unprivileged_build(root: &Path, out: &Path, dir: &Path) -> Command {
    if fs::metadata(dir).unwrap().uid() != 0 {
        return build_cmd(root, out);
    }
    let bin = dir.join(".bin/oberih");
    if !bin.exists() {
        fs::create_dir_all(bin.parent().unwrap()).unwrap();
        fs::copy(env!("CARGO_BIN_EXE_oberih"), &bin).unwrap();
    }
    for entry in walkdir::WalkDir::new(dir) {
        std::os::unix::fs::chown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
    }
    let mut cmd = Command::new(&bin);
    cmd.arg("build").arg("--quiet").arg("--root").arg(root).arg("--out").arg(out);
    cmd.uid(65534).gid(65534);
    cmd
}

#[test]
fn a_read_only_output_folder_is_replaced() {
    let (dir, root) = portal();
    let out = dir.path().join("public");
    assert_success(&build(&root, &out));
    fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
    change_page(&root, "Друга версія сторінки.");
    let mut cmd = unprivileged_build(&root, &out, dir.path());
    let run = cmd.output().unwrap();
    assert_success(&run);
    assert!(!stderr(&run).contains("nothing was written"), "{}", stderr(&run));
    assert!(second_page(&out).contains("Друга версія"));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn an_old_output_that_cannot_be_removed_is_reported_and_removed_by_the_next_build() {
    let (dir, root) = portal();
    if fs::metadata(dir.path()).unwrap().uid() != 0 {
        eprintln!("skipped: making a folder its build cannot delete needs root");
        return;
    }
    let out = dir.path().join("public");
    assert_success(&build(&root, &out));
    change_page(&root, "Друга версія сторінки.");
    let mut cmd = unprivileged_build(&root, &out, dir.path());
    // A folder inside the old output that only root may change.
    let locked = out.join("uk/locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("file"), "x").unwrap();
    std::os::unix::fs::chown(&locked, Some(0), Some(0)).unwrap();
    let run = cmd.output().unwrap();
    assert_success(&run);
    let err = stderr(&run);
    assert!(!err.contains("nothing was written"), "{err}");
    assert!(second_page(&out).contains("Друга версія"), "the new site is not in place");
    let left = leftovers(&out);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        err.contains("warning") && err.contains(&left[0]),
        "the message does not say where the old copy is:\n{err}"
    );

    // Once the folder may be changed again, the next build removes the old copy.
    std::os::unix::fs::chown(dir.path().join(&left[0]).join("uk/locked"), Some(65534), Some(65534)).unwrap();
    let mut next = unprivileged_build(&root, &out, dir.path());
    assert_success(&next.output().unwrap());
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn a_full_disk_is_reported_once_with_the_folder_and_a_count() {
    let (dir, root) = portal();
    let out = dir.path().join("public");
    assert_success(&build(&root, &out));
    let before = common::tree(&out);
    // Thirty pages of 40 KB: each of their files fails alike, as every file does once a disk is full.
    let text = "Допомога постраждалим від торгівлі людьми. ".repeat(500);
    for n in 0..30 {
        fs::write(
            root.join(format!("content/guide/big-{n}.md")),
            format!("+++\ntitle = \"Сторінка {n}\"\n+++\n{text}\n"),
        )
        .unwrap();
    }
    // Files may not grow beyond 32 KB (`ulimit -f` counts 512-byte blocks); the signal the kernel
    // sends for it is ignored, as a program on a full disk gets none, and writes fail instead.
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg("trap '' XFSZ; ulimit -f 64; exec \"$@\"").arg("sh").arg(env!("CARGO_BIN_EXE_oberih"));
    cmd.arg("build").arg("--quiet").arg("--root").arg(&root).arg("--out").arg(&out);
    let run = cmd.output().unwrap();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    let shown = err.lines().take(20).collect::<Vec<_>>().join("\n");
    assert_eq!(errors.len(), 1, "{} errors:\n{shown}", errors.len());
    assert!(err.contains(&out.display().to_string()) && err.contains("File too large"), "{err}");
    let count: usize = err
        .split(" files")
        .next()
        .and_then(|before| before.rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(count >= 60, "no count of the files that failed: {err}");
    assert!(common::tree(&out) == before, "the failed build changed the previous output");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// The writing end of a pipe whose reading end is already closed.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn commands_end_quietly_when_their_output_pipe_is_closed() {
    let (dir, root) = portal();
    let root_arg = root.to_str().unwrap();
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crypto/test-private.pem");
    let record = dir.path().join("record.enc");
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crypto/golden-envelope.json"), &record)
        .unwrap();
    let commands: [&[&str]; 4] = [
        &["schema", "form"],
        &["check", "--translations", "--root", root_arg],
        &["check", "--translations", "--format", "json", "--root", root_arg],
        &["decrypt", "--key", key.to_str().unwrap(), record.to_str().unwrap()],
    ];
    for args in commands {
        let run = oberih().args(args).stdout(closed_pipe()).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(run.status.code(), Some(0), "oberih {}: {}\n{}", args.join(" "), run.status, stderr(&run));
        assert_eq!(stderr(&run), "", "oberih {}", args.join(" "));
    }
    assert!(dir.path().join("record.json").is_file(), "{:?}", names(dir.path()));

    // Diagnostics go to standard error: a closed one ends the command with its usual status.
    break_portal(&root);
    let check = oberih().args(["check", "--root", root_arg]).stderr(closed_pipe()).output().unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", check.status);
    let out = dir.path().join("public");
    fs::remove_file(root.join("content/guide/broken.md")).unwrap();
    let build = build_cmd(&root, &out).arg("--verbose").stderr(closed_pipe()).output().unwrap();
    assert_eq!(build.status.code(), Some(0), "{}", build.status);
}

/// A child process that is ended when the test ends, also when it fails.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_keeps_serving_when_its_output_pipe_is_closed() {
    let (dir, root) = portal();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Running(
        oberih()
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(&root)
            .env("TMPDIR", dir.path())
            .stdout(closed_pipe())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    let served = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            panic!("the server ended: {status}");
        }
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            write!(s, "GET /uk/index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
            let mut reply = String::new();
            let _ = s.read_to_string(&mut reply);
            if reply.starts_with("HTTP/1.1 200") {
                break reply;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the server never answered");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(server.0.try_wait().unwrap().is_none() && served.contains("<html"), "{served}");
}

#[test]
fn pack_leaves_nothing_in_the_temporary_folder_and_no_marker_in_the_zip() {
    let (dir, root) = portal();
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let zip = dir.path().join("site.zip");
    let pack =
        || oberih().arg("pack").arg("--root").arg(&root).arg("--out").arg(&zip).env("TMPDIR", &tmp).output().unwrap();
    break_portal(&root);
    let run = pack();
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(names(&tmp).is_empty(), "left in the temporary folder: {:?}", names(&tmp));
    fs::remove_file(root.join("content/guide/broken.md")).unwrap();
    assert_success(&pack());
    assert!(names(&tmp).is_empty(), "left in the temporary folder: {:?}", names(&tmp));
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let entries: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(entries.iter().any(|n| n == "index.html"), "{entries:?}");
    assert!(!entries.iter().any(|n| n.contains(MARKER)), "{entries:?}");
    let mut sums = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("SHA256SUMS").unwrap(), &mut sums).unwrap();
    assert!(!sums.contains(MARKER), "{sums}");
}

//! Records benchmark: generates N synthetic encrypted exports (see `records/gen.rs`) and times
//! whole `oberih records add`, `oberih records export` and `oberih records summary` runs on them.
//!
//! ```text
//! cargo bench --bench records_bench -- [--records 100000] [--seed 42] [--key p256|rsa] [--runs 1] [--work DIR] [--keep]
//! ```
//!
//! `--runs N` times every step N times (a new dataset and new export files each time) and
//! reports the median run with the fastest and slowest beside it.
//!
//! `--key` chooses the office key the exports are sealed to: P-256 (envelope format 2, the
//! default, what the README recommends) or the RSA-2048 test key (format 1).
//!
//! Every figure is a whole-process one: wall time, CPU time (user + sys) and peak RSS of the
//! child, read with `wait4`. The work folder is outside the repository (a dataset is refused
//! inside a portal), in the system's temporary folder unless `--work` says otherwise.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

#[path = "child/mod.rs"]
mod child;
#[path = "records/gen.rs"]
mod gen;

const OBERIH: &str = env!("CARGO_BIN_EXE_oberih");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
/// The older version the generated records partly use, and the question it named differently.
const OLD_VERSION: &str = "2026.1";
const RENAMED: (&str, &str) = ("safe_now", "safe_to_talk");

struct Args {
    records: usize,
    seed: u64,
    /// Seal to the RSA test key (envelope format 1) instead of the P-256 one (format 2).
    rsa: bool,
    work: PathBuf,
    keep: bool,
    runs: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        records: 100_000,
        seed: 42,
        rsa: false,
        work: std::env::temp_dir().join("oberih-records-bench"),
        keep: false,
        runs: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--records" => a.records = value()?.parse().map_err(|e| format!("--records: {e}"))?,
            "--seed" => a.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--key" => {
                a.rsa = match value()?.as_str() {
                    "p256" => false,
                    "rsa" => true,
                    other => return Err(format!("--key: `{other}` is neither p256 nor rsa")),
                }
            }
            "--work" => a.work = PathBuf::from(value()?),
            "--keep" => a.keep = true,
            "--runs" => a.runs = value()?.parse::<usize>().map_err(|e| format!("--runs: {e}"))?.max(1),
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// A copy of the repository's portal whose screening form also reads version 2026.1, with the
/// region the generated records name.
fn portal(work: &Path) -> Result<PathBuf, String> {
    let root = work.join("portal");
    for dir in ["content", "forms", "data", "themes"] {
        copy_dir(&Path::new(MANIFEST_DIR).join(dir), &root.join(dir)).map_err(|e| format!("{dir}: {e}"))?;
    }
    fs::copy(Path::new(MANIFEST_DIR).join("portal.toml"), root.join("portal.toml")).map_err(|e| e.to_string())?;
    let form = root.join("forms/initial-screening.toml");
    let mut text = fs::read_to_string(&form).map_err(|e| e.to_string())?;
    text.push_str(&format!(
        "\n[[migration]]\nfrom = \"{OLD_VERSION}\"\nrenamed = {{ {} = \"{}\" }}\n",
        RENAMED.0, RENAMED.1
    ));
    fs::write(&form, text).map_err(|e| e.to_string())?;
    // The region the generated records name, so they are checked as its portal builds its forms.
    let region = root.join("regions/synthetic-region");
    fs::create_dir_all(&region).map_err(|e| e.to_string())?;
    fs::write(region.join("region.toml"), "name = { uk = \"Синтетична область\", en = \"Synthetic region\" }\n")
        .map_err(|e| e.to_string())?;
    Ok(root)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn load_form(root: &Path) -> Result<oberih::forms::Form, String> {
    let forms = oberih::records::portal_forms(root).map_err(|e| e.to_string())?;
    forms.into_iter().find(|f| f.id == "initial-screening").ok_or("no initial-screening form".into())
}

/// Runs `cmd` (see [`child::run`]): (exit code, wall s, cpu s, peak RSS MiB).
fn timed(cmd: Command, log: &Path) -> Result<(i32, f64, f64, f64), String> {
    let w = child::run(cmd, log)?;
    Ok((w.code(), w.wall, w.user + w.sys, w.rss_kib as f64 / 1024.0))
}

fn oberih(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(OBERIH);
    cmd.arg("records").args(args).arg("--root").arg(root);
    cmd
}

/// The test keys: the public key records are sealed to, another key's public half (for a record
/// `add` must refuse), and the private key file `add` is given.
fn keys(rsa: bool) -> Result<(String, String, PathBuf), String> {
    let fixture = |name: &str| Path::new(MANIFEST_DIR).join("tests/fixtures/crypto").join(name);
    let read = |name: &str| fs::read_to_string(fixture(name)).map_err(|e| format!("{name}: {e}"));
    if rsa {
        use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
        let k = rsa::RsaPrivateKey::from_pkcs8_pem(read("other-private.pem")?.trim()).map_err(|e| e.to_string())?;
        let other = k.to_public_key().to_public_key_pem(Default::default()).map_err(|e| e.to_string())?;
        Ok((read("test-public.pem")?, other, fixture("test-private.pem")))
    } else {
        use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
        let k = p256::SecretKey::from_pkcs8_pem(read("p256-other-private.pem")?.trim()).map_err(|e| e.to_string())?;
        let other = k.public_key().to_public_key_pem(Default::default()).map_err(|e| e.to_string())?;
        Ok((read("p256-public.pem")?, other, fixture("p256-private.pem")))
    }
}

/// The timed steps of one benchmark: each run `runs` times, the median kept as a table row.
struct Steps<'a> {
    root: &'a Path,
    work: &'a Path,
    runs: usize,
    rows: Vec<String>,
}

impl Steps<'_> {
    /// Runs `oberih records ARGS` and expects `expect` as its exit code. Each run first removes
    /// what the run makes (`fresh`), as an export never overwrites a file and a new dataset must
    /// be new.
    fn step(&mut self, name: &str, args: Vec<&str>, expect: i32, fresh: &dyn Fn()) -> Result<(), String> {
        let log = self.work.join(format!("{}.log", name.replace(' ', "-")));
        let mut runs = Vec::new();
        for _ in 0..self.runs {
            fresh();
            let (code, wall, cpu, rss) = timed(oberih(self.root, &args), &log)?;
            if code != expect {
                let tail = fs::read_to_string(&log).unwrap_or_default();
                return Err(format!("{name}: exit {code}, expected {expect}:\n{tail}"));
            }
            runs.push((wall, cpu, rss));
        }
        runs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let (wall, cpu, rss) = runs[runs.len() / 2];
        let spread = match runs.len() {
            1 => String::new(),
            n => format!(" ({:.2}–{:.2})", runs[0].0, runs[n - 1].0),
        };
        let tail = fs::read_to_string(&log).unwrap_or_default();
        let last = tail.lines().last().unwrap_or_default().to_string();
        eprintln!("{name}: {wall:.2}{spread} s wall, {cpu:.2} s cpu, {rss:.0} MiB — {last}");
        self.rows.push(format!("| {name} | {wall:.2}{spread} | {cpu:.2} | {rss:.0} | {last} |"));
        Ok(())
    }
}

/// Removes a file or a folder, if there.
fn remove(path: &Path) {
    let _ = fs::remove_file(path);
    let _ = fs::remove_dir_all(path);
}

fn run(a: &Args) -> Result<String, String> {
    if a.work.exists() {
        fs::remove_dir_all(&a.work).map_err(|e| e.to_string())?;
    }
    let root = portal(&a.work)?;
    let form = load_form(&root)?;
    let (public, other_public, key) = keys(a.rsa)?;
    let inbox = a.work.join("inbox");
    let started = Instant::now();
    let made = gen::generate(&form, &public, &inbox, a.records, a.seed, OLD_VERSION, RENAMED);
    eprintln!("generated {} files in {:.1} s: {made:?}", made.files, started.elapsed().as_secs_f64());
    let damaged = gen::damaged(&form, &public, &other_public, &a.work.join("damaged"));
    let mut steps = Steps { root: &root, work: &a.work, runs: a.runs, rows: Vec::new() };
    measure(&mut steps, &inbox, &key)?;
    if !a.keep {
        let _ = fs::remove_dir_all(&inbox);
    }
    let kind = if a.rsa { "RSA-2048 (format 1)" } else { "P-256 (format 2)" };
    let mut report = format!(
        "records: {} files ({} of version {OLD_VERSION}, {} duplicates, {} conflicts) + {} damaged; key: {kind}; cores: {}\n\n\
         | step | wall s | cpu s | peak RSS MiB | last line |\n|---|---|---|---|---|\n",
        made.files,
        made.older,
        made.duplicates,
        made.conflicts,
        damaged.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    report.push_str(&steps.rows.join("\n"));
    report.push('\n');
    Ok(report)
}

/// The steps of a regional office's month: add to a new dataset, add the same files again,
/// add damaged files, export in each format, summarise.
fn measure(steps: &mut Steps, inbox: &Path, key: &Path) -> Result<(), String> {
    let work = steps.work;
    let dataset = work.join("office.sqlite");
    let (d, k, i) =
        (dataset.to_str().unwrap_or_default(), key.to_str().unwrap_or_default(), inbox.to_str().unwrap_or_default());
    let new_dataset = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            remove(&work.join(format!("office.sqlite{suffix}")));
        }
    };
    steps.step("add (new dataset)", vec!["add", d, i, "--key", k], 0, &new_dataset)?;
    steps.step("add again (all duplicates)", vec!["add", d, i, "--key", k], 0, &|| {})?;
    let damaged_dir = work.join("damaged");
    let dd = damaged_dir.to_str().unwrap_or_default();
    steps.step("add damaged files (all rejected)", vec!["add", d, dd, "--key", k], 1, &|| {})?;
    for (format, ext) in [("csv", "csv"), ("xlsx", "xlsx"), ("jsonl", "jsonl")] {
        let out = work.join(format!("export.{ext}"));
        let o = out.to_str().unwrap_or_default().to_string();
        let args = vec!["export", d, "--form", "initial-screening", "--format", format, "-o", &o];
        steps.step(&format!("export {format}"), args, 0, &|| remove(&out))?;
    }
    let summary = work.join("summary");
    let sm = summary.to_str().unwrap_or_default().to_string();
    let by = "outcome,dimension,indicator,region*month,age_band,outcome*age_band";
    steps.step("summary", vec!["summary", d, "--form", "initial-screening", "--by", by, "-o", &sm], 0, &|| {
        remove(&summary)
    })
}

fn main() -> ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&a) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

//! Build benchmark: generates a synthetic portal of N pages and times whole `oberih build` runs,
//! side by side with Hugo and Zola when they are installed.
//!
//! ```text
//! cargo bench --bench build_bench -- [--sizes 200,2000,10000] [--runs N] [--warmup N]
//!                                    [--peers hugo,zola | --no-peers] [--seed 42] [--work DIR] [--keep]
//! ```
//!
//! Every figure is a whole-process one: wall time, CPU time (user + sys) and peak RSS of the child,
//! read with `wait4`, the output folder removed before each run. See `benches/README.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The release binary cargo built for this bench (the `bench` profile inherits `release`).
const OBERIH: &str = env!("CARGO_BIN_EXE_oberih");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Reference figures from `research/ssg-peers.md` (2 vCPU, Zola 0.22.1, Hugo 0.111.3, median of 5,
/// or of 3 at N = 10,000): (N, peer, wall s, peak RSS MiB).
const REFERENCE: &[(usize, &str, f64, f64)] = &[
    (200, "zola", 0.351, 55.0),
    (200, "hugo", 0.539, 156.0),
    (2000, "zola", 3.983, 256.0),
    (2000, "hugo", 4.376, 981.0),
    (10000, "zola", 27.583, 1103.0),
    (10000, "hugo", 23.494, 4433.0),
];

struct Args {
    sizes: Vec<usize>,
    runs: Option<usize>,
    warmup: Option<usize>,
    peers: Option<Vec<String>>,
    seed: u64,
    work: PathBuf,
    keep: bool,
}

fn usage() -> &'static str {
    "usage: cargo bench --bench build_bench -- [--sizes 200,2000,10000] [--runs N] [--warmup N]\n\
     \x20      [--peers hugo,zola | --no-peers] [--seed 42] [--work DIR] [--keep]\n\
     env: OBERIH=path (binary to time), HUGO=path, ZOLA=path (peer binaries; default: found on PATH)"
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sizes: vec![200, 2000, 10000],
        runs: None,
        warmup: None,
        peers: None,
        seed: 42,
        work: target_dir().join("bench-work"),
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value\n{}", usage()));
        match arg.as_str() {
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "--sizes" => {
                args.sizes = value("--sizes")?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--sizes: {e}"))?;
                if args.sizes.iter().any(|&n| n < 2) {
                    return Err("--sizes: every size must be at least 2".into());
                }
            }
            "--runs" => args.runs = Some(value("--runs")?.parse().map_err(|e| format!("--runs: {e}"))?),
            "--warmup" => args.warmup = Some(value("--warmup")?.parse().map_err(|e| format!("--warmup: {e}"))?),
            "--peers" => {
                let list: Vec<String> = value("--peers")?.split(',').map(|s| s.trim().to_string()).collect();
                if let Some(bad) = list.iter().find(|p| !matches!(p.as_str(), "hugo" | "zola")) {
                    return Err(format!("--peers: unknown peer {bad:?} (hugo, zola)"));
                }
                args.peers = Some(list);
            }
            "--no-peers" => args.peers = Some(Vec::new()),
            "--seed" => args.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--work" => args.work = PathBuf::from(value("--work")?),
            "--keep" => args.keep = true,
            "-h" | "--help" => return Err(usage().to_string()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    if args.runs == Some(0) {
        return Err("--runs must be at least 1".into());
    }
    Ok(args)
}

/// `target/`: two levels above the binary (`target/release/oberih`).
fn target_dir() -> PathBuf {
    let bin = Path::new(OBERIH);
    bin.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(|| Path::new(MANIFEST_DIR).join("target"))
}

/// One tool under test.
struct Tool {
    name: &'static str,
    bin: PathBuf,
    version: String,
    /// The corpus layout it reads.
    layout: &'static str,
    /// Passes `--verbose` and reads the `stages:` line (oberih, when its CLI has the flag).
    verbose: bool,
}

impl Tool {
    fn command(&self, src: &Path, out: &Path) -> Command {
        let mut cmd = Command::new(&self.bin);
        match self.name {
            "oberih" => {
                cmd.arg("build").arg("--root").arg(src).arg("--out").arg(out);
                cmd.arg(if self.verbose { "--verbose" } else { "--quiet" });
            }
            "hugo" => {
                cmd.arg("--quiet").arg("-s").arg(src).arg("-d").arg(out);
            }
            "zola" => {
                cmd.arg("-r").arg(src).arg("build").arg("-o").arg(out);
            }
            _ => unreachable!(),
        }
        cmd
    }

    /// Whether an output file belongs to the search index.
    fn is_index_file(&self, rel: &Path) -> bool {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match self.name {
            // DESIGN.md §6: the index is written as <lang>/search/*.js (the search page itself is not counted).
            "oberih" => name.ends_with(".js") && rel.components().any(|c| c.as_os_str() == "search"),
            // The template-made index.json of each language (Hugo has no index of its own).
            "hugo" => name == "index.json",
            // search_index.<lang>.js (or .json with elasticlunr_json / fuse_json).
            "zola" => name.starts_with("search_index."),
            _ => false,
        }
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

fn first_line_of(bin: &Path, args: &[&str]) -> String {
    match Command::new(bin).args(args).stdin(Stdio::null()).output() {
        Ok(out) => {
            let text = if out.stdout.is_empty() { out.stderr } else { out.stdout };
            String::from_utf8_lossy(&text).lines().next().unwrap_or("").trim().to_string()
        }
        Err(e) => format!("(cannot run: {e})"),
    }
}

fn tools(args: &Args, notes: &mut Vec<String>) -> Result<Vec<Tool>, String> {
    let bin = std::env::var_os("OBERIH").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(OBERIH));
    if !bin.is_file() {
        return Err(format!("{} is missing: run `cargo build --release` first", bin.display()));
    }
    if bin.components().any(|c| c.as_os_str() == "debug") {
        notes.push(format!("WARNING: {} is a debug build; use `cargo bench`", bin.display()));
    }
    let help = first_and_all(&bin, &["build", "--help"]);
    let verbose = help.contains("--verbose");
    if !verbose {
        notes.push("`oberih build` has no --verbose flag: per-stage times are n/a".into());
    }
    let mut list =
        vec![Tool { name: "oberih", version: first_line_of(&bin, &["--version"]), bin, layout: "oberih", verbose }];
    for (name, env, version_args, layout) in
        [("zola", "ZOLA", &["--version"][..], "zola"), ("hugo", "HUGO", &["version"][..], "hugo")]
    {
        let wanted = args.peers.as_ref().is_none_or(|p| p.iter().any(|w| w == name));
        if !wanted {
            continue;
        }
        let found = std::env::var_os(env).map(PathBuf::from).or_else(|| find_on_path(name));
        match found {
            Some(bin) if bin.is_file() => {
                let version = first_line_of(&bin, version_args);
                list.push(Tool { name, bin, version, layout, verbose: false });
            }
            _ => notes.push(format!("{name}: not found (set {env}=path or put it on PATH): skipped")),
        }
    }
    Ok(list)
}

fn first_and_all(bin: &Path, args: &[&str]) -> String {
    Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map(|o| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
        .unwrap_or_default()
}

/// FNV-1a, to notice a changed generator script.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Generates (or reuses, when the stamp matches) the corpus of `n` pages in `layout`.
fn corpus(work: &Path, n: usize, layout: &str, seed: u64) -> Result<PathBuf, String> {
    let script = Path::new(MANIFEST_DIR).join("benches").join("gen_corpus.py");
    let text = fs::read(&script).map_err(|e| format!("{}: {e}", script.display()))?;
    let dir = work.join(format!("{layout}-{n}"));
    let stamp_path = work.join(format!("{layout}-{n}.stamp"));
    let stamp = format!("n={n} layout={layout} seed={seed} script={:016x}\n", fnv(&text));
    if dir.is_dir() && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        return Ok(dir);
    }
    let _ = fs::remove_file(&stamp_path);
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let started = Instant::now();
    let out = Command::new(&python)
        .arg(&script)
        .arg(n.to_string())
        .arg(&dir)
        .args(["--layout", layout, "--seed", &seed.to_string()])
        .output()
        .map_err(|e| format!("{python}: {e}"))?;
    if !out.status.success() {
        return Err(format!("gen_corpus.py failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    eprintln!("  generated {layout}-{n} in {:.1} s", started.elapsed().as_secs_f64());
    fs::write(&stamp_path, stamp).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// One timed run.
#[derive(Clone, Debug)]
struct Run {
    wall: f64,
    cpu: f64,
    rss_kib: u64,
    stages: Vec<(String, f64)>,
}

/// Spawns `cmd`, waits for it with `wait4` and returns its wall time, user + sys time and peak RSS.
fn timed(mut cmd: Command, log: &Path) -> Result<(f64, f64, u64), String> {
    let stderr = fs::File::create(log).map_err(|e| e.to_string())?;
    let stdout = stderr.try_clone().map_err(|e| e.to_string())?;
    cmd.stdin(Stdio::null()).stdout(stdout).stderr(stderr);
    let started = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 only writes into the two out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = loop {
        // SAFETY: `pid` is our own child, not yet reaped (std's Child never waited on it).
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let wall = started.elapsed().as_secs_f64();
    drop(child);
    if got != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let text = fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("{:?} failed (status {status:#x}); last output:\n{}", cmd.get_program(), tail.join("\n")));
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    // Linux reports ru_maxrss in KiB.
    Ok((wall, secs(usage.ru_utime) + secs(usage.ru_stime), usage.ru_maxrss as u64))
}

/// Reads `stages: parse 0.12 s · resolve 0.03 s · …` from the build's stderr.
fn parse_stages(log: &str) -> Vec<(String, f64)> {
    let Some(line) = log.lines().find_map(|l| l.trim().strip_prefix("stages:")) else {
        return Vec::new();
    };
    line.split(['·', ','])
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let name = words.next()?;
            let value = words.next()?;
            let unit = words.next().unwrap_or("");
            let (number, unit) = match value.find(|c: char| c.is_ascii_alphabetic()) {
                Some(at) => (&value[..at], &value[at..]),
                None => (value, unit),
            };
            let number: f64 = number.parse().ok()?;
            Some((name.to_string(), if unit == "ms" { number / 1000.0 } else { number }))
        })
        .collect()
}

/// Total bytes of the files under `dir`, and of those that belong to the search index.
fn output_bytes(tool: &Tool, dir: &Path) -> (u64, u64, usize) {
    let (mut total, mut index, mut index_files) = (0, 0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else {
                total += meta.len();
                if tool.is_index_file(path.strip_prefix(dir).unwrap_or(&path)) {
                    index += meta.len();
                    index_files += 1;
                }
            }
        }
    }
    (total, index, index_files)
}

struct Measured {
    n: usize,
    tool: String,
    version: String,
    runs: Vec<Run>,
    out_bytes: u64,
    index_bytes: u64,
    index_files: usize,
    load_before: String,
    load_after: String,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

impl Measured {
    fn wall(&self) -> f64 {
        median(&mut self.runs.iter().map(|r| r.wall).collect::<Vec<_>>())
    }
    fn wall_range(&self) -> (f64, f64) {
        let w = self.runs.iter().map(|r| r.wall);
        (w.clone().fold(f64::INFINITY, f64::min), w.fold(0.0, f64::max))
    }
    fn cpu(&self) -> f64 {
        median(&mut self.runs.iter().map(|r| r.cpu).collect::<Vec<_>>())
    }
    fn rss_mib(&self) -> f64 {
        median(&mut self.runs.iter().map(|r| r.rss_kib as f64 / 1024.0).collect::<Vec<_>>())
    }
    /// Median of each stage over the runs, in the order the binary prints them.
    fn stages(&self) -> Vec<(String, f64)> {
        let Some(first) = self.runs.first() else { return Vec::new() };
        first
            .stages
            .iter()
            .map(|(name, _)| {
                let mut v: Vec<f64> =
                    self.runs.iter().filter_map(|r| r.stages.iter().find(|(n, _)| n == name).map(|s| s.1)).collect();
                (name.clone(), median(&mut v))
            })
            .collect()
    }
}

fn load() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn measure(tool: &Tool, n: usize, src: &Path, work: &Path, runs: usize, warmup: usize) -> Result<Measured, String> {
    let out = work.join(format!("{}-{n}-out", tool.name));
    let log = work.join(format!("{}-{n}.log", tool.name));
    let load_before = load();
    let mut measured = Vec::new();
    for i in 0..warmup + runs {
        if out.exists() {
            fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let (wall, cpu, rss_kib) = timed(tool.command(src, &out), &log)?;
        let stages =
            if tool.verbose { parse_stages(&fs::read_to_string(&log).unwrap_or_default()) } else { Vec::new() };
        let kind = if i < warmup { "warm-up" } else { "run" };
        eprintln!(
            "  {:<6} N={n:<6} {kind:<7} {wall:>8.3} s wall {cpu:>8.2} s cpu {:>8.1} MiB  (load {})",
            tool.name,
            rss_kib as f64 / 1024.0,
            load()
        );
        if i >= warmup {
            measured.push(Run { wall, cpu, rss_kib, stages });
        }
    }
    let (out_bytes, index_bytes, index_files) = output_bytes(tool, &out);
    Ok(Measured {
        n,
        tool: tool.name.to_string(),
        version: tool.version.clone(),
        runs: measured,
        out_bytes,
        index_bytes,
        index_files,
        load_before,
        load_after: load(),
    })
}

fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn report(results: &[Measured], notes: &[String], args: &Args) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Oberih build benchmark\n");
    let git = Command::new("git")
        .args(["-C", MANIFEST_DIR, "describe", "--always", "--dirty"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| "n/a".to_string(), |o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let _ = writeln!(md, "- commit: `{git}`; {cores} cores; seed {}", args.seed);
    let mut versions = BTreeMap::new();
    for r in results {
        versions.insert(r.tool.clone(), r.version.clone());
    }
    for (tool, version) in &versions {
        let _ = writeln!(md, "- {tool}: `{version}`");
    }
    for note in notes {
        let _ = writeln!(md, "- {note}");
    }
    let _ = writeln!(
        md,
        "\nWhole-process figures, the output folder removed before each run. Load = 1/5/15-min load \
         average before → after the runs of that row.\n"
    );
    let _ = writeln!(
        md,
        "| N | tool | runs | wall s, median (min–max) | CPU s, median | peak RSS MiB, median | output bytes | \
         search-index bytes (files) | load before → after |"
    );
    let _ = writeln!(md, "|---:|---|---:|---|---:|---:|---:|---|---|");
    for r in results {
        let (lo, hi) = r.wall_range();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.3} ({lo:.3}–{hi:.3}) | {:.2} | {:.0} | {} | {} ({}) | {} → {} |",
            r.n,
            r.tool,
            r.runs.len(),
            r.wall(),
            r.cpu(),
            r.rss_mib(),
            thousands(r.out_bytes),
            thousands(r.index_bytes),
            r.index_files,
            r.load_before,
            r.load_after
        );
    }

    let _ = writeln!(md, "\n## Oberih pipeline stages (median s)\n");
    let oberih: Vec<&Measured> = results.iter().filter(|r| r.tool == "oberih").collect();
    let names: Vec<String> = oberih
        .iter()
        .find(|r| !r.stages().is_empty())
        .map_or_else(Vec::new, |r| r.stages().into_iter().map(|s| s.0).collect());
    if names.is_empty() {
        let _ = writeln!(md, "n/a (the binary printed no `stages:` line)");
    } else {
        let _ = writeln!(md, "| N | {} |", names.join(" | "));
        let _ = writeln!(md, "|---:|{}", "---:|".repeat(names.len()));
        for r in &oberih {
            let stages = r.stages();
            let cells: Vec<String> = names
                .iter()
                .map(|name| {
                    stages.iter().find(|(n, _)| n == name).map_or_else(|| "n/a".to_string(), |s| format!("{:.2}", s.1))
                })
                .collect();
            let _ = writeln!(md, "| {} | {} |", r.n, cells.join(" | "));
        }
    }

    let _ = writeln!(md, "\n## Ratios oberih / peer (below 1 = Oberih is faster or smaller)\n");
    let _ = writeln!(md, "| N | peer | source | wall ratio | peak RSS ratio |");
    let _ = writeln!(md, "|---:|---|---|---:|---:|");
    for o in &oberih {
        for p in results.iter().filter(|p| p.n == o.n && p.tool != "oberih") {
            let _ = writeln!(
                md,
                "| {} | {} | measured in this run | {:.2} | {:.2} |",
                o.n,
                p.tool,
                o.wall() / p.wall(),
                o.rss_mib() / p.rss_mib()
            );
        }
        for &(n, peer, wall, rss) in REFERENCE.iter().filter(|r| r.0 == o.n) {
            let _ = writeln!(
                md,
                "| {n} | {peer} | ssg-peers.md ({wall:.2} s, {rss:.0} MiB) | {:.2} | {:.2} |",
                o.wall() / wall,
                o.rss_mib() / rss
            );
        }
    }
    let _ = writeln!(
        md,
        "\nThe reference rows compare with figures measured on another day (same kind of machine): \
         read them as indicative; the measured rows are side by side."
    );
    md
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut notes = Vec::new();
    let tools = tools(&args, &mut notes)?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    fs::create_dir_all(&args.work).map_err(|e| format!("{}: {e}", args.work.display()))?;
    let mut results = Vec::new();
    for &n in &args.sizes {
        let runs = args.runs.unwrap_or(if n >= 10_000 { 1 } else { 3 });
        let warmup = args.warmup.unwrap_or(if n >= 10_000 { 0 } else { 1 });
        eprintln!("N = {n}: {runs} run(s) after {warmup} warm-up(s) per tool");
        for tool in &tools {
            let src = corpus(&args.work, n, tool.layout, args.seed)?;
            let m = measure(tool, n, &src, &args.work, runs, warmup)?;
            if !args.keep {
                let _ = fs::remove_dir_all(args.work.join(format!("{}-{n}-out", tool.name)));
            }
            results.push(m);
        }
    }
    let md = report(&results, &notes, &args);
    print!("{md}");
    std::io::stdout().flush().ok();
    let path = target_dir().join("bench-report.md");
    fs::write(&path, &md).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("\nwritten: {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

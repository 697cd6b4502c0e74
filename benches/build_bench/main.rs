//! Build benchmark: generates a synthetic portal of N pages and times whole `oberih build` runs,
//! side by side with Hugo and Zola when they are installed, in interleaved rounds.
//!
//! ```text
//! cargo bench --bench build_bench -- [--sizes 200,2000,10000] [--mode fresh|rebuild|both]
//!                                    [--runs N] [--warmup N] [--peers hugo,zola | --no-peers]
//!                                    [--seed 42] [--work DIR] [--keep] [--precompress]
//! ```
//!
//! Every figure is a whole-process one: wall time, user and system CPU time and peak RSS of the
//! child, read with `wait4`; then the files and bytes the build left. See `benches/README.md`.

#[path = "../child/mod.rs"]
mod child;
mod measure;
mod report;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use measure::{Measured, Mode, Tool};

/// The release binary cargo built for this bench (the `bench` profile inherits `release`).
const OBERIH: &str = env!("CARGO_BIN_EXE_oberih");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

pub struct Args {
    sizes: Vec<usize>,
    modes: Vec<Mode>,
    runs: Option<usize>,
    warmup: Option<usize>,
    peers: Option<Vec<String>>,
    seed: u64,
    work: PathBuf,
    keep: bool,
    precompress: bool,
}

fn usage() -> &'static str {
    "usage: cargo bench --bench build_bench -- [--sizes 200,2000,10000] [--mode fresh|rebuild|both]\n\
     \x20      [--runs N] [--warmup N] [--peers hugo,zola | --no-peers] [--seed 42] [--work DIR] [--keep]\n\
     \x20      [--precompress]\n\
     env: OBERIH=path (binary to time), HUGO=path, ZOLA=path (peer binaries; default: found on PATH)"
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sizes: vec![200, 2000, 10000],
        modes: vec![Mode::Fresh],
        runs: None,
        warmup: None,
        peers: None,
        seed: 42,
        work: target_dir().join("bench-work"),
        keep: false,
        precompress: false,
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
            "--precompress" => args.precompress = true,
            "--mode" => {
                args.modes = match value("--mode")?.as_str() {
                    "fresh" => vec![Mode::Fresh],
                    "rebuild" => vec![Mode::Rebuild],
                    "both" => vec![Mode::Fresh, Mode::Rebuild],
                    other => return Err(format!("--mode: {other:?} is not fresh, rebuild or both")),
                }
            }
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
    if args.precompress {
        notes.push("oberih builds with --precompress (.gz and .br copies)".into());
    }
    let version = first_line_of(&bin, &["--version"]);
    let precompress = args.precompress;
    let mut list = vec![Tool { name: "oberih", version, bin, layout: "oberih", verbose, precompress }];
    // The order of a round: oberih, hugo, zola.
    for (name, env, version_args, layout) in
        [("hugo", "HUGO", &["version"][..], "hugo"), ("zola", "ZOLA", &["--version"][..], "zola")]
    {
        let wanted = args.peers.as_ref().is_none_or(|p| p.iter().any(|w| w == name));
        if !wanted {
            continue;
        }
        let found = std::env::var_os(env).map(PathBuf::from).or_else(|| find_on_path(name));
        match found {
            Some(bin) if bin.is_file() => {
                let version = first_line_of(&bin, version_args);
                list.push(Tool { name, bin, version, layout, verbose: false, precompress: false });
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

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut notes = Vec::new();
    let tools = tools(&args, &mut notes)?;
    fs::create_dir_all(&args.work).map_err(|e| format!("{}: {e}", args.work.display()))?;
    if measure::on_memory_fs(&args.work) {
        notes.push(format!(
            "the work folder {} is on tmpfs: no disk is measured (give --work a folder on the disk users build on)",
            args.work.display()
        ));
    }
    for note in &notes {
        eprintln!("note: {note}");
    }
    let mut results = Vec::new();
    for &n in &args.sizes {
        let runs = args.runs.unwrap_or(if n >= 10_000 { 1 } else { 3 });
        let warmup = args.warmup.unwrap_or(if n >= 10_000 { 0 } else { 1 });
        let sources =
            tools.iter().map(|t| measure::corpus(&args.work, n, t.layout, args.seed)).collect::<Result<Vec<_>, _>>()?;
        for &mode in &args.modes {
            eprintln!("N = {n}, {}: {runs} round(s) after {warmup} warm-up round(s)", mode.name());
            results.extend(rounds(&tools, &sources, n, mode, runs, warmup, &args.work)?);
        }
        if !args.keep {
            for tool in &tools {
                let _ = fs::remove_dir_all(out_dir(&args.work, tool, n));
            }
        }
    }
    let md = report::report(&results, &notes, &args);
    print!("{md}");
    std::io::stdout().flush().ok();
    let path = target_dir().join("bench-report.md");
    fs::write(&path, &md).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("\nwritten: {}", path.display());
    Ok(())
}

fn out_dir(work: &Path, tool: &Tool, n: usize) -> PathBuf {
    work.join(format!("{}-{n}-out", tool.name))
}

/// Builds every tool once per round, round after round, so a slow minute of the machine falls on
/// all of them alike. A rebuild needs a previous output: a tool that has none builds once first,
/// untimed.
fn rounds(
    tools: &[Tool],
    sources: &[PathBuf],
    n: usize,
    mode: Mode,
    runs: usize,
    warmup: usize,
    work: &Path,
) -> Result<Vec<Measured>, String> {
    let load_before = measure::load();
    let mut measured: Vec<Vec<measure::Run>> = tools.iter().map(|_| Vec::new()).collect();
    for (tool, src) in tools.iter().zip(sources) {
        let out = out_dir(work, tool, n);
        if mode == Mode::Rebuild && !out.is_dir() {
            let log = work.join(format!("{}-{n}.log", tool.name));
            let run = measure::build_once(tool, src, &out, &log, Mode::Fresh)?;
            progress(tool, n, mode, "first", &run);
        }
    }
    for round in 0..warmup + runs {
        for ((tool, src), kept) in tools.iter().zip(sources).zip(&mut measured) {
            let log = work.join(format!("{}-{n}-{}.log", tool.name, mode.name()));
            let run = measure::build_once(tool, src, &out_dir(work, tool, n), &log, mode)?;
            let kind = if round < warmup { "warm-up".to_string() } else { format!("round {}", round - warmup + 1) };
            progress(tool, n, mode, &kind, &run);
            if round >= warmup {
                kept.push(run);
            }
        }
    }
    let load_after = measure::load();
    Ok(tools
        .iter()
        .zip(measured)
        .map(|(tool, runs)| Measured {
            n,
            mode,
            tool: tool.name.to_string(),
            version: tool.version.clone(),
            runs,
            output: measure::output_stats(tool, &out_dir(work, tool, n)),
            load_before: load_before.clone(),
            load_after: load_after.clone(),
        })
        .collect())
}

fn progress(tool: &Tool, n: usize, mode: Mode, kind: &str, run: &measure::Run) {
    eprintln!(
        "  {:<6} N={n:<6} {:<7} {kind:<8} {:>8.3} s wall {:>7.2} s user {:>7.2} s sys {:>8.1} MiB  (load {})",
        tool.name,
        mode.name(),
        run.wall,
        run.user,
        run.sys,
        run.rss_kib as f64 / 1024.0,
        measure::load()
    );
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

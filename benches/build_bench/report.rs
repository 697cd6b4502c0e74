//! The Markdown report: one row per tool, size and mode; Oberih's stages; the ratios to the
//! peers measured in the same run and to the reference figures; the output-shape goals.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::{Command, Stdio};

use crate::measure::{Measured, Mode};
use crate::{Args, MANIFEST_DIR};

/// Reference figures of the peers, fresh folder (2 vCPU, Zola 0.22.1, Hugo 0.111.3, median of 5,
/// or of 3 at N = 10,000): (N, peer, wall s, peak RSS MiB).
const REFERENCE: &[(usize, &str, f64, f64)] = &[
    (200, "zola", 0.351, 55.0),
    (200, "hugo", 0.539, 156.0),
    (2000, "zola", 3.983, 256.0),
    (2000, "hugo", 4.376, 981.0),
    (10000, "zola", 27.583, 1103.0),
    (10000, "hugo", 23.494, 4433.0),
];

/// Reference figures of the peers rebuilding over their previous output on ext4 (Zola
/// `build --force`), 3 interleaved rounds on the same kind of machine: (N, peer, wall s min, max).
const REFERENCE_REBUILD: &[(usize, &str, f64, f64)] =
    &[(2000, "zola", 3.5, 4.4), (2000, "hugo", 3.1, 4.0), (10000, "zola", 27.6, 28.6), (10000, "hugo", 16.1, 18.6)];

/// The goals the output shape is held to.
const MAX_FILES_PER_PAGE: f64 = 1.5;
const MAX_WALL_RATIO: f64 = 0.5;
const MAX_RSS_RATIO_TO_ZOLA: f64 = 0.5;

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

fn git_describe() -> String {
    Command::new("git")
        .args(["-C", MANIFEST_DIR, "describe", "--always", "--dirty"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| "n/a".to_string(), |o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

pub fn report(results: &[Measured], notes: &[String], args: &Args) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Oberih build benchmark\n");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let _ = writeln!(md, "- commit: `{}`; {cores} cores; seed {}", git_describe(), args.seed);
    let _ = writeln!(md, "- work folder: `{}`", args.work.display());
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
    runs_table(&mut md, results);
    stages_table(&mut md, results);
    ratios_table(&mut md, results);
    goals_table(&mut md, results);
    md
}

fn runs_table(md: &mut String, results: &[Measured]) {
    let _ = writeln!(
        md,
        "\nWhole-process figures, median (min–max) over the rounds; the tools take turns in every round. \
         *fresh*: the output folder removed before each run; *rebuild*: built over the previous output. \
         Files and bytes: everything under the output after the last run. Load = 1/5/15-min load average \
         before → after the rounds.\n"
    );
    let _ = writeln!(
        md,
        "| N | mode | tool | runs | wall s | user s | sys s | peak RSS MiB | files | files/page | output bytes | \
         search-index bytes (files) | load before → after |"
    );
    let _ = writeln!(md, "|---:|---|---|---:|---|---|---|---:|---:|---:|---:|---|---|");
    for r in results {
        let (wl, wh) = r.wall_range();
        let (ul, uh) = r.user_range();
        let (sl, sh) = r.sys_range();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {:.3} ({wl:.3}–{wh:.3}) | {:.2} ({ul:.2}–{uh:.2}) | {:.2} ({sl:.2}–{sh:.2}) | {:.0} | \
             {} | {:.2} | {} | {} ({}) | {} → {} |",
            r.n,
            r.mode.name(),
            r.tool,
            r.runs.len(),
            r.wall(),
            r.user(),
            r.sys(),
            r.rss_mib(),
            thousands(r.output.files),
            r.files_per_page(),
            thousands(r.output.bytes),
            thousands(r.output.index_bytes),
            thousands(r.output.index_files),
            r.load_before,
            r.load_after
        );
    }
}

fn oberih_rows(results: &[Measured]) -> impl Iterator<Item = &Measured> {
    results.iter().filter(|r| r.tool == "oberih")
}

fn peers_of<'a>(results: &'a [Measured], o: &'a Measured) -> impl Iterator<Item = &'a Measured> {
    results.iter().filter(move |p| p.n == o.n && p.mode == o.mode && p.tool != "oberih")
}

fn stages_table(md: &mut String, results: &[Measured]) {
    let _ = writeln!(md, "\n## Oberih pipeline stages (median s)\n");
    let names: Vec<String> = oberih_rows(results)
        .find(|r| !r.stages().is_empty())
        .map_or_else(Vec::new, |r| r.stages().into_iter().map(|s| s.0).collect());
    if names.is_empty() {
        let _ = writeln!(md, "n/a (the binary printed no `stages:` line)");
        return;
    }
    let _ = writeln!(md, "| N | mode | {} |", names.join(" | "));
    let _ = writeln!(md, "|---:|---|{}", "---:|".repeat(names.len()));
    for r in oberih_rows(results) {
        let stages = r.stages();
        let cells: Vec<String> = names
            .iter()
            .map(|name| {
                stages.iter().find(|(n, _)| n == name).map_or_else(|| "n/a".to_string(), |s| format!("{:.2}", s.1))
            })
            .collect();
        let _ = writeln!(md, "| {} | {} | {} |", r.n, r.mode.name(), cells.join(" | "));
    }
}

fn ratios_table(md: &mut String, results: &[Measured]) {
    let _ = writeln!(md, "\n## Ratios oberih / peer (below 1 = Oberih is faster or smaller)\n");
    let _ = writeln!(md, "| N | mode | peer | source | wall | user + sys | peak RSS |");
    let _ = writeln!(md, "|---:|---|---|---|---:|---:|---:|");
    for o in oberih_rows(results) {
        let mode = o.mode.name();
        for p in peers_of(results, o) {
            let _ = writeln!(
                md,
                "| {} | {mode} | {} | measured in this run | {:.2} | {:.2} | {:.2} |",
                o.n,
                p.tool,
                o.wall() / p.wall(),
                (o.user() + o.sys()) / (p.user() + p.sys()),
                o.rss_mib() / p.rss_mib()
            );
        }
        match o.mode {
            Mode::Fresh => {
                for &(n, peer, wall, rss) in REFERENCE.iter().filter(|r| r.0 == o.n) {
                    let _ = writeln!(
                        md,
                        "| {n} | {mode} | {peer} | reference ({wall:.2} s, {rss:.0} MiB) | {:.2} | n/a | {:.2} |",
                        o.wall() / wall,
                        o.rss_mib() / rss
                    );
                }
            }
            Mode::Rebuild => {
                for &(n, peer, lo, hi) in REFERENCE_REBUILD.iter().filter(|r| r.0 == o.n) {
                    let _ = writeln!(
                        md,
                        "| {n} | {mode} | {peer} | reference, ext4 ({lo:.1}–{hi:.1} s) | {:.2}–{:.2} | n/a | n/a |",
                        o.wall() / hi,
                        o.wall() / lo
                    );
                }
            }
        }
    }
    let _ = writeln!(
        md,
        "\nThe reference rows compare with figures measured on another day (same kind of machine): \
         read them as indicative; the measured rows are side by side."
    );
}

/// Oberih against the output-shape goals: files per page, wall time against the faster peer of
/// this run, system time against user time, peak memory against Zola's reference.
fn goals_table(md: &mut String, results: &[Measured]) {
    let _ = writeln!(md, "\n## Oberih against the goals\n");
    let _ = writeln!(
        md,
        "| N | mode | files/page (≤ {MAX_FILES_PER_PAGE}) | wall / faster peer measured (≤ {MAX_WALL_RATIO}) | \
         sys / user (≤ 1) | peak RSS / Zola reference (≤ {MAX_RSS_RATIO_TO_ZOLA}) |"
    );
    let _ = writeln!(md, "|---:|---|---:|---|---:|---:|");
    for o in oberih_rows(results) {
        let faster = peers_of(results, o).min_by(|a, b| a.wall().total_cmp(&b.wall()));
        let wall =
            faster.map_or_else(|| "n/a (no peer)".to_string(), |p| format!("{:.2} ({})", o.wall() / p.wall(), p.tool));
        let zola = REFERENCE.iter().find(|r| r.0 == o.n && r.1 == "zola");
        let rss = zola.map_or_else(|| "n/a".to_string(), |z| format!("{:.2}", o.rss_mib() / z.3));
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} | {wall} | {:.2} | {rss} |",
            o.n,
            o.mode.name(),
            o.files_per_page(),
            o.sys() / o.user()
        );
    }
}

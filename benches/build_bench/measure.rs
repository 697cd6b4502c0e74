//! Running the tools: the generated corpora, one timed build (`wait4`'s rusage), the output's
//! file count and bytes, and the figures kept for the report.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::MANIFEST_DIR;

/// How the output folder is found when a build starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The output folder is removed before every run.
    Fresh,
    /// The previous build's output is left in place and built over.
    Rebuild,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Fresh => "fresh",
            Mode::Rebuild => "rebuild",
        }
    }
}

/// One tool under test.
pub struct Tool {
    pub name: &'static str,
    pub bin: PathBuf,
    pub version: String,
    /// The corpus layout it reads.
    pub layout: &'static str,
    /// Passes `--verbose` and reads the `stages:` line (oberih, when its CLI has the flag).
    pub verbose: bool,
    /// Passes `--precompress` (oberih only).
    pub precompress: bool,
}

impl Tool {
    pub fn command(&self, src: &Path, out: &Path, mode: Mode) -> Command {
        let mut cmd = Command::new(&self.bin);
        match self.name {
            // Oberih builds over its previous output by itself (staging folder, then a swap).
            "oberih" => {
                cmd.arg("build").arg("--root").arg(src).arg("--out").arg(out);
                cmd.arg(if self.verbose { "--verbose" } else { "--quiet" });
                if self.precompress {
                    cmd.arg("--precompress");
                }
            }
            // Hugo writes over what is in the destination and cleans nothing unless asked.
            "hugo" => {
                cmd.arg("--quiet").arg("-s").arg(src).arg("-d").arg(out);
            }
            // Zola refuses an existing output folder unless --force, which empties it first.
            "zola" => {
                cmd.arg("-r").arg(src).arg("build").arg("-o").arg(out);
                if mode == Mode::Rebuild {
                    cmd.arg("--force");
                }
            }
            _ => unreachable!(),
        }
        cmd
    }

    /// Whether an output file belongs to the search index.
    pub fn is_index_file(&self, rel: &Path) -> bool {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match self.name {
            // The index is written as <lang>/search/*.js (the search page itself is not counted).
            "oberih" => name.ends_with(".js") && rel.components().any(|c| c.as_os_str() == "search"),
            // The template-made index.json of each language (Hugo has no index of its own).
            "hugo" => name == "index.json",
            // search_index.<lang>.js (or .json with elasticlunr_json / fuse_json).
            "zola" => name.starts_with("search_index."),
            _ => false,
        }
    }
}

/// One timed run.
#[derive(Clone, Debug)]
pub struct Run {
    pub wall: f64,
    pub user: f64,
    pub sys: f64,
    pub rss_kib: u64,
    pub stages: Vec<(String, f64)>,
}

/// What one build left in its output folder.
#[derive(Clone, Copy, Debug, Default)]
pub struct OutputStats {
    pub files: u64,
    pub bytes: u64,
    pub index_files: u64,
    pub index_bytes: u64,
}

/// The runs of one tool at one size in one mode.
pub struct Measured {
    pub n: usize,
    pub mode: Mode,
    pub tool: String,
    pub version: String,
    pub runs: Vec<Run>,
    pub output: OutputStats,
    pub load_before: String,
    pub load_after: String,
}

pub fn median(values: &mut [f64]) -> f64 {
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
    fn median_of(&self, f: impl Fn(&Run) -> f64) -> f64 {
        median(&mut self.runs.iter().map(f).collect::<Vec<_>>())
    }
    fn range_of(&self, f: impl Fn(&Run) -> f64) -> (f64, f64) {
        let values: Vec<f64> = self.runs.iter().map(f).collect();
        (values.iter().copied().fold(f64::INFINITY, f64::min), values.iter().copied().fold(0.0, f64::max))
    }
    pub fn wall(&self) -> f64 {
        self.median_of(|r| r.wall)
    }
    pub fn wall_range(&self) -> (f64, f64) {
        self.range_of(|r| r.wall)
    }
    pub fn user(&self) -> f64 {
        self.median_of(|r| r.user)
    }
    pub fn user_range(&self) -> (f64, f64) {
        self.range_of(|r| r.user)
    }
    pub fn sys(&self) -> f64 {
        self.median_of(|r| r.sys)
    }
    pub fn sys_range(&self) -> (f64, f64) {
        self.range_of(|r| r.sys)
    }
    pub fn rss_mib(&self) -> f64 {
        self.median_of(|r| r.rss_kib as f64 / 1024.0)
    }
    /// All files under the output per content page (the corpus has `n` pages in all languages).
    pub fn files_per_page(&self) -> f64 {
        self.output.files as f64 / self.n as f64
    }
    /// Median of each stage over the runs, in the order the binary prints them.
    pub fn stages(&self) -> Vec<(String, f64)> {
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

pub fn load() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

/// Whether `dir` is on a memory file system (tmpfs or ramfs), where creating files costs no disk.
#[cfg(target_os = "linux")]
pub fn on_memory_fs(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const RAMFS_MAGIC: i64 = 0x8584_58f6;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: an all-zero statfs is a valid value; statfs only writes into it.
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    if unsafe { libc::statfs(path.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    #[allow(clippy::unnecessary_cast)] // f_type's width differs between targets
    let kind = stat.f_type as i64;
    kind == TMPFS_MAGIC || kind == RAMFS_MAGIC
}

#[cfg(not(target_os = "linux"))]
pub fn on_memory_fs(_dir: &Path) -> bool {
    false
}

/// FNV-1a, to notice a changed generator script.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Generates (or reuses, when the stamp matches) the corpus of `n` pages in `layout`.
pub fn corpus(work: &Path, n: usize, layout: &str, seed: u64) -> Result<PathBuf, String> {
    let benches = Path::new(MANIFEST_DIR).join("benches");
    let script = benches.join("gen_corpus.py");
    // The generator and the modules it imports: a change to any of them makes a new corpus.
    let mut text = Vec::new();
    for file in ["gen_corpus.py", "corpus_words.py", "corpus_templates.py"] {
        let path = benches.join(file);
        text.extend(fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let dir = work.join(format!("{layout}-{n}"));
    let stamp_path = work.join(format!("{layout}-{n}.stamp"));
    let stamp = format!("n={n} layout={layout} seed={seed} script={:016x}\n", fnv(&text));
    if dir.is_dir() && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        return Ok(dir);
    }
    let _ = fs::remove_file(&stamp_path);
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let started = Instant::now();
    // `-B`: the generator imports its vocabulary and templates; no bytecode is left beside them.
    let out = Command::new(&python)
        .arg("-B")
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

/// Runs one build of `tool` and reads its figures (and its stages, when it prints them).
pub fn build_once(tool: &Tool, src: &Path, out: &Path, log: &Path, mode: Mode) -> Result<Run, String> {
    if mode == Mode::Fresh && fs::symlink_metadata(out).is_ok() {
        fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let (wall, user, sys, rss_kib) = timed(tool.command(src, out, mode), log)?;
    let stages = if tool.verbose { parse_stages(&fs::read_to_string(log).unwrap_or_default()) } else { Vec::new() };
    Ok(Run { wall, user, sys, rss_kib, stages })
}

/// Runs `cmd` (see [`crate::child::run`]); a failure shows the end of its output. Returns its
/// wall time, user time, system time and peak RSS in KiB.
fn timed(cmd: Command, log: &Path) -> Result<(f64, f64, f64, u64), String> {
    let program = format!("{:?}", cmd.get_program());
    let w = crate::child::run(cmd, log)?;
    if w.code() != 0 {
        let text = fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("{program} failed (status {:#x}); last output:\n{}", w.status, tail.join("\n")));
    }
    Ok((w.wall, w.user, w.sys, w.rss_kib))
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

/// Counts the files under `dir` (every directory entry that is not a folder, so a hard-linked
/// file counts once per name, as a copy to a stick would) with their bytes, and those of the
/// search index apart.
pub fn output_stats(tool: &Tool, dir: &Path) -> OutputStats {
    let mut stats = OutputStats::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            stats.files += 1;
            stats.bytes += meta.len();
            if tool.is_index_file(path.strip_prefix(dir).unwrap_or(&path)) {
                stats.index_files += 1;
                stats.index_bytes += meta.len();
            }
        }
    }
    stats
}

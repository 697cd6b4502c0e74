//! The command line: `oberih build`, `oberih check`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::build::{self, BuildOptions, BuildReport};

#[derive(Debug, Parser)]
#[command(
    name = "oberih",
    version,
    about = "Builds the Oberih portal: guidance, standards and screening forms, offline-ready"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the portal into public/ (or --out DIR).
    Build {
        /// The portal folder (with portal.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print only errors.
        #[arg(long, short)]
        quiet: bool,
        /// Also print the time of each pipeline stage.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Check everything a build checks, without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs the CLI and returns the process exit code: 0 ok, 1 content errors, 2 usage errors.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Build { root, out, quiet, verbose } => {
            let out = out.unwrap_or_else(|| build::default_out(&root));
            let report = build::run(&BuildOptions { root, out, write: true });
            if verbose {
                eprintln!("{}", stages(&report));
            }
            print_report(&report, quiet)
        }
        Command::Check { root } => {
            let out = build::default_out(&root);
            let report = build::run(&BuildOptions { root, out, write: false });
            print_report(&report, false)
        }
    }
}

fn print_report(report: &BuildReport, quiet: bool) -> i32 {
    let color = std::io::stderr().is_terminal();
    let text = report.diagnostics.report();
    if !text.is_empty() {
        eprint!("{}", if color { colorize(&text) } else { text });
    }
    if !report.ok() {
        eprintln!(
            "{} error(s), {} warning(s); nothing was written",
            report.diagnostics.error_count(),
            report.diagnostics.warning_count()
        );
        return 1;
    }
    if !quiet {
        eprintln!("{}", summary(report));
    }
    0
}

/// `uk: 42 pages · en: 30 pages (71 %) · 0.41 s`
pub fn summary(report: &BuildReport) -> String {
    let mut parts: Vec<String> = report
        .languages
        .iter()
        .map(|l| {
            if l.translated == l.pages {
                format!("{}: {} pages", l.lang, l.pages)
            } else {
                format!(
                    "{}: {} pages ({} %)",
                    l.lang,
                    l.translated,
                    (l.translated * 100).checked_div(l.pages).unwrap_or(0)
                )
            }
        })
        .collect();
    parts.push(format!("{:.2} s", report.seconds));
    parts.join(" · ")
}

/// `stages: parse 0.12 s · resolve 0.30 s · render 0.41 s · index 0.20 s · write 0.05 s`
pub fn stages(report: &BuildReport) -> String {
    let parts: Vec<String> = report.stages.iter().map(|(name, s)| format!("{name} {s:.2} s")).collect();
    format!("stages: {}", parts.join(" · "))
}

fn colorize(text: &str) -> String {
    text.lines()
        .map(|l| {
            if let Some(rest) = l.strip_prefix("error:") {
                format!("\x1b[1;31merror:\x1b[0m\x1b[1m{rest}\x1b[0m")
            } else if let Some(rest) = l.strip_prefix("warning:") {
                format!("\x1b[1;33mwarning:\x1b[0m\x1b[1m{rest}\x1b[0m")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

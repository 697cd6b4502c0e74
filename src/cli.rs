//! The command line: `oberih build`, `oberih check`, `oberih form export`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::build::{self, BuildOptions, BuildReport, Scope};
use crate::stdio;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// The format of forms/*.toml.
    Form,
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
        /// Build the portal with this region's overlay (regions/<slug>/).
        #[arg(long, conflicts_with = "all_regions")]
        region: Option<String>,
        /// Build the national portal and one site per region under <out>/<slug>/.
        #[arg(long)]
        all_regions: bool,
        /// Also write .gz and .br copies beside text files, for hosts that serve them as they
        /// are (nginx gzip_static/brotli_static, Caddy precompressed).
        #[arg(long)]
        precompress: bool,
    },
    /// Build the portal and zip it for offline distribution (USB stick, shared folder).
    Pack {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Pack the portal with this region's overlay.
        #[arg(long)]
        region: Option<String>,
        /// The zip to write (default: ROOT/oberih[-REGION].zip).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Pack even if placeholder contacts are left (a training copy, say); their invented
        /// numbers are shown as text, never as links to call.
        #[arg(long)]
        allow_placeholders: bool,
    },
    /// Preview the portal on http://127.0.0.1 while you edit: rebuilds and reloads on every change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Preview with this region's overlay.
        #[arg(long)]
        region: Option<String>,
        /// Port to listen on (0 = any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new portal folder, or with --region a region overlay in the current portal.
    New {
        /// The folder for the new portal (or, with --region, the portal folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Create regions/<slug>/ in the portal instead.
        #[arg(long)]
        region: Option<String>,
    },
    /// Decrypt records exported by a form with `export = "encrypted"`.
    Decrypt {
        /// The private key (PEM) matching the form's public key.
        #[arg(long)]
        key: PathBuf,
        /// Also write a CSV next to each JSON.
        #[arg(long)]
        csv: bool,
        /// Encrypted record files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Keep exported records in a dataset and export them for analysis.
    Records {
        #[command(subcommand)]
        command: RecordsCommand,
    },
    /// Print a JSON Schema for editor support (`oberih schema form > form.schema.json`).
    Schema {
        #[arg(value_enum)]
        what: SchemaKind,
    },
    /// Convert a form to or from another format.
    Form {
        #[command(subcommand)]
        action: FormAction,
    },
    /// Check everything a build checks, without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check the portal with this region's overlay.
        #[arg(long)]
        region: Option<String>,
        /// Print translation coverage per language instead.
        #[arg(long)]
        translations: bool,
        /// Format of the coverage report.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum FormAction {
    /// Write a form as an XLSForm workbook for ODK Collect, Enketo and KoboToolbox.
    Export {
        /// The form file (forms/ID.toml in a portal).
        #[arg(long, value_name = "FORM")]
        xlsform: PathBuf,
        /// The workbook to write (ID.xlsx).
        #[arg(long, short)]
        out: PathBuf,
        /// The portal folder (default: the folder above the form's forms/).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Make an XLSForm (ODK, KoboToolbox) into a form file; never replaces an existing file.
    Import {
        /// The XLSForm workbook (.xlsx).
        xlsx: PathBuf,
        /// The form file to write: forms/ID.toml (its name is the form's id).
        #[arg(long, short)]
        out: PathBuf,
    },
}

/// `oberih records …`.
#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Add questionnaire exports (plain or encrypted) to a dataset, creating it if needed.
    Add {
        /// The dataset file (SQLite); never inside a portal or a build output.
        dataset: PathBuf,
        /// Exported record files (.json or .oberih), or folders of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The office's private key (PEM), for encrypted exports.
        #[arg(long)]
        key: Option<PathBuf>,
        /// The portal whose forms the records belong to.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Export one form's records as CSV, XLSX or JSON Lines, to a new file.
    Export {
        /// The dataset file.
        dataset: PathBuf,
        /// The form's id.
        #[arg(long)]
        form: String,
        #[arg(long, value_enum)]
        format: crate::records::export::ExportFormat,
        /// The language of labels and descriptions.
        #[arg(long, default_value = "uk", value_parser = ["uk", "en"])]
        lang: String,
        /// The file to write; it must not exist.
        #[arg(long, short)]
        out: PathBuf,
        /// The portal whose forms the records belong to.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Read the form as this region's portal builds it (the national portal's without it).
        #[arg(long)]
        region: Option<String>,
    },
    /// Count one form's records for monitoring, with small counts suppressed: CSV, JSON and an
    /// HTML report in a new folder.
    Summary {
        /// The dataset file.
        dataset: PathBuf,
        /// The form's id.
        #[arg(long)]
        form: String,
        /// Tables, comma-separated: outcome, dimension, indicator, region, month, age_band, sex,
        /// or two joined by `*` (region*month).
        #[arg(long, value_delimiter = ',', default_value = "outcome")]
        by: Vec<String>,
        /// Counts below this show as «<N».
        #[arg(long, default_value_t = crate::records::summary::DEFAULT_MIN_COUNT)]
        min_count: u64,
        /// The language of the report and the CSV headers.
        #[arg(long, default_value = "uk", value_parser = ["uk", "en"])]
        lang: String,
        /// The folder to write; it must be new or empty.
        #[arg(long, short)]
        out: PathBuf,
        /// The portal whose forms the records belong to.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Read the form as this region's portal builds it (the national portal's without it).
        #[arg(long)]
        region: Option<String>,
    },
}

/// Runs `oberih records …` and returns the exit code.
fn records(command: RecordsCommand) -> i32 {
    match command {
        RecordsCommand::Add { dataset, files, key, root } => {
            match crate::records::add::run(&root, &dataset, &files, key.as_deref()) {
                Ok(report) => {
                    stdio::err(&report.text());
                    i32::from(!report.stored())
                }
                Err(e) => report_result::<crate::records::RecordsError>(Err(e)),
            }
        }
        RecordsCommand::Export { dataset, form, format, lang, out, root, region } => {
            match crate::records::export::run(&root, &dataset, &form, region.as_deref(), format, &lang, &out) {
                Ok(n) => {
                    stdio::err(&format!("{}: {} record(s)\n", out.display(), n));
                    0
                }
                Err(e) => report_result::<crate::records::RecordsError>(Err(e)),
            }
        }
        RecordsCommand::Summary { dataset, form, by, min_count, lang, out, root, region } => {
            let region = region.as_deref();
            match crate::records::summary::command::run(&root, &dataset, &form, region, &by, min_count, &lang, &out) {
                Ok(report) => {
                    let s = &report;
                    stdio::err(&format!(
                        "{}: {} table(s); {} small count(s) shown as below {min_count}, {} more hidden so none can be worked out\n",
                        out.display(),
                        s.tables,
                        s.small,
                        s.hidden
                    ));
                    0
                }
                Err(e) => report_result::<crate::records::summary::command::CommandError>(Err(e)),
            }
        }
    }
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
        Command::Build { root, out, quiet, verbose, region, all_regions, precompress } => {
            let out = out.unwrap_or_else(|| build::default_out(&root));
            let opts = BuildOptions { root, out, write: true };
            build_command(&opts, &scope(region, all_regions), precompress, quiet, verbose)
        }
        Command::Pack { root, region, out, allow_placeholders } => pack(&root, region, out, allow_placeholders),
        Command::Serve { root, region, port, open } => {
            report_result(crate::serve::run(crate::serve::ServeOptions { root, region, port, open, ready: None }))
        }
        Command::New { dir, region: Some(slug) } => {
            made(crate::scaffold::new_region(&dir, &slug), || crate::scaffold::region_made(&dir, &slug))
        }
        Command::New { dir, region: None } => {
            made(crate::scaffold::new_portal(&dir), || crate::scaffold::portal_made(&dir))
        }
        Command::Decrypt { key, csv, files } => report_result(crate::records::decrypt::run_decrypt(&key, &files, csv)),
        Command::Records { command } => records(command),
        Command::Schema { what: SchemaKind::Form } => {
            let schema =
                serde_json::to_string_pretty(&crate::forms::file_schema::form_toml_schema()).unwrap_or_default();
            print_out(&format!("{schema}\n"))
        }
        Command::Form { action: FormAction::Export { xlsform, out, root } } => {
            form_export(&xlsform, root.as_deref(), &out)
        }
        Command::Form { action: FormAction::Import { xlsx, out } } => crate::xlsform::run::run(&xlsx, &out),
        Command::Check { root, region, translations: true, format } => coverage(&root, region.as_deref(), format),
        Command::Check { root, region, .. } => {
            let out = build::default_out(&root);
            let report = build::run_scoped(&BuildOptions { root, out, write: false }, &scope(region, false));
            print_report(&report, false)
        }
    }
}

/// `oberih build`: one site, or every region's with a progress bar unless quiet.
fn build_command(opts: &BuildOptions, scope: &Scope, precompress: bool, quiet: bool, verbose: bool) -> i32 {
    let report = if *scope == Scope::AllRegions && !quiet {
        build_with_progress_bar(opts, scope, precompress)
    } else {
        build::run_build(opts, scope, precompress, &|_| {})
    };
    if verbose {
        stdio::err(&format!("{}\n", stages(&report)));
    }
    print_report(&report, quiet)
}

/// `oberih form export`: writes the form as an XLSForm workbook, reporting what it found.
fn form_export(xlsform: &Path, root: Option<&Path>, out: &Path) -> i32 {
    let done = crate::xlsform::export_file(xlsform, root, out);
    let text = done.diagnostics.report();
    if !text.is_empty() {
        let color = std::io::stderr().is_terminal();
        stdio::err(&if color { colorize(&text) } else { text });
    }
    if done.written {
        stdio::err(&format!("{}\n", out.display()));
    }
    i32::from(!done.written)
}

fn report_result<E: std::fmt::Display>(r: Result<(), E>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            stdio::err(&format!("error: {e:#}\n"));
            1
        }
    }
}

/// Reports a scaffold's result; on success prints what was made (a closed stdout is no error).
fn made<E: std::fmt::Display>(r: Result<(), E>, text: impl FnOnce() -> String) -> i32 {
    let ok = r.is_ok();
    let code = report_result(r);
    if ok {
        let _ = stdio::out(&text());
    }
    code
}

fn pack(root: &std::path::Path, region: Option<String>, out: Option<PathBuf>, allow_placeholders: bool) -> i32 {
    let zip_path = out.unwrap_or_else(|| {
        root.join(match &region {
            Some(slug) => format!("oberih-{slug}.zip"),
            None => "oberih.zip".to_string(),
        })
    });
    // Removed when dropped, whichever way this returns.
    let tmp = match tempfile::Builder::new().prefix("oberih-pack-").tempdir() {
        Ok(tmp) => tmp,
        Err(e) => {
            stdio::err(&format!("error: cannot create a temporary folder: {e}\n"));
            return 1;
        }
    };
    let site = tmp.path().join("site");
    let report = build::run_scoped(
        &BuildOptions { root: root.to_path_buf(), out: site.clone(), write: true },
        &scope(region, false),
    );
    let code = print_report(&report, true);
    if code != 0 {
        return code;
    }
    if !allow_placeholders && !report.placeholder_contacts.is_empty() {
        stdio::err(&format!("{}\n", placeholder_refusal(&report.placeholder_contacts)));
        return 1;
    }
    match crate::pack::pack(&site, &zip_path) {
        Ok(n) => {
            stdio::err(&format!("{}: {}\n", zip_path.display(), count(n, "file", "files")));
            0
        }
        Err(e) => {
            stdio::err(&format!("error: {e}\n"));
            1
        }
    }
}

/// Why `pack` refuses a site with placeholder contacts, and how to proceed.
fn placeholder_refusal(ids: &[String]) -> String {
    format!(
        "error: {} placeholder contact(s) ({}) would go out to readers as numbers to call; \
         replace them with checked contacts (see the warnings above), or pack anyway with \
         --allow-placeholders (a training copy, say); nothing was packed",
        ids.len(),
        ids.join(", ")
    )
}

fn coverage(root: &std::path::Path, region: Option<&str>, format: Format) -> i32 {
    let mut diags = crate::diag::Diagnostics::default();
    let Some((site, _)) = build::open_site(root, region, &mut diags, &mut Vec::new()) else {
        stdio::err(&diags.report());
        return 1;
    };
    let report = crate::coverage::report(&site);
    let text = match format {
        Format::Text => crate::coverage::to_text(&report),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report).unwrap_or_default()),
    };
    match print_out(&text) {
        0 => i32::from(diags.has_errors()),
        failed => failed,
    }
}

/// Prints what a command exists to print: 0, or 1 if it could not be written (a reader that
/// closed the pipe early is no failure).
fn print_out(text: &str) -> i32 {
    match stdio::out(text) {
        Ok(()) => 0,
        Err(e) => {
            stdio::err(&format!("error: cannot write to standard output: {e}\n"));
            1
        }
    }
}

/// A multi-site build with a progress bar on the terminal (indicatif draws nothing when standard
/// error is not a terminal, so logs stay clean).
fn build_with_progress_bar(opts: &BuildOptions, scope: &Scope, precompress: bool) -> BuildReport {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} building sites {bar:30} {pos}/{len} · {msg} · {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let report = build::run_build(opts, scope, precompress, &|p| match p {
        build::Progress::Sites(n) => bar.set_length(n as u64),
        build::Progress::Done(slug) => {
            bar.set_message(slug.unwrap_or("national").to_string());
            bar.inc(1);
        }
    });
    bar.finish_and_clear();
    report
}

fn scope(region: Option<String>, all_regions: bool) -> Scope {
    match (region, all_regions) {
        (_, true) => Scope::AllRegions,
        (Some(slug), false) => Scope::Region(slug),
        (None, false) => Scope::National,
    }
}

fn print_report(report: &BuildReport, quiet: bool) -> i32 {
    let color = std::io::stderr().is_terminal();
    let text = report.diagnostics.report();
    if !text.is_empty() {
        stdio::err(&if color { colorize(&text) } else { text });
    }
    if !report.ok() {
        stdio::err(&format!("{}; nothing was written\n", problem_counts(report)));
        return 1;
    }
    if !quiet {
        stdio::err(&format!("{}\n", summary(report)));
    }
    0
}

/// `uk: 42 pages · en: 30 pages (71 %) · 0.41 s`
pub fn summary(report: &BuildReport) -> String {
    let mut parts: Vec<String> = report
        .languages
        .iter()
        .map(|l| {
            let mut s = format!("{}: {}", l.lang, count(l.translated, "page", "pages"));
            if l.translated != l.pages {
                s.push_str(&format!(" ({} %)", (l.translated * 100).checked_div(l.pages).unwrap_or(0)));
            }
            if l.forms > 0 {
                s.push_str(&format!(", {}", count(l.forms, "form", "forms")));
            }
            if l.standards > 0 {
                s.push_str(&format!(", {}", count(l.standards, "standard", "standards")));
            }
            s
        })
        .collect();
    parts.push(format!("{:.2} s", report.seconds));
    parts.join(" · ")
}

/// `2 errors, 1 warning`
pub fn problem_counts(report: &BuildReport) -> String {
    let d = &report.diagnostics;
    format!("{}, {}", count(d.error_count(), "error", "errors"), count(d.warning_count(), "warning", "warnings"))
}

fn count(n: usize, one: &str, other: &str) -> String {
    crate::i18n::english_count(n, one, other)
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

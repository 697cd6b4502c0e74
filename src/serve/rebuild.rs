//! The rebuilder: builds the site again after a change (in place when it can, see
//! [`super::live`]), keeps the last good site on view and prints what happened.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::Instant;

use super::live::{LiveSite, Update};
use super::watch::Watcher;
use super::{Shared, WorkDir, DEBOUNCE, DEBOUNCE_MAX};
use crate::build::{self, BuildOptions, BuildReport};
use crate::i18n::english_count as count;

pub(super) struct Builder {
    pub(super) root: PathBuf,
    /// A region previewed on top of the national portal.
    pub(super) region: Option<String>,
    pub(super) work: WorkDir,
    pub(super) shared: Arc<Shared>,
    pub(super) count: u64,
    /// The site before the current one, deleted one build later so that requests still
    /// reading it finish.
    pub(super) retired: Option<PathBuf>,
    /// The last site that built without errors, kept to update it in place after small edits.
    pub(super) live: Option<LiveSite>,
    /// Changes not yet in the kept site (they were part of a build that failed).
    pub(super) pending: BTreeSet<String>,
}

impl Builder {
    /// Updates the served site after `changed` (all changed paths; `shown` those still there, for
    /// the terminal): in place when only page text changed, otherwise by a full build.
    pub(super) fn rebuild(&mut self, changed: &[String], shown: &[String]) {
        self.pending.extend(changed.iter().cloned());
        let changes: Vec<String> = self.pending.iter().cloned().collect();
        if let Some(live) = &mut self.live {
            let shared = Arc::clone(&self.shared);
            let _writing = shared.writing();
            match live.update(&changes) {
                Update::Done(report) => return self.finish_update(&report, shown),
                Update::NeedsFullBuild(_) => {}
            }
        }
        self.full_build(shown);
    }

    /// Publishes a site updated in place (or its errors; the folder is then unchanged).
    pub(super) fn finish_update(&mut self, report: &BuildReport, shown: &[String]) {
        print_result(report, shown, true, true);
        if report.ok() {
            self.pending.clear();
        }
        let mut s = self.shared.lock();
        s.build += 1;
        s.error = (!report.ok()).then(|| report.diagnostics.report());
        drop(s);
        self.shared.changed.notify_all();
    }

    /// Builds into a new folder; on success the server switches to it, on failure it keeps the
    /// last good site and shows the diagnostics on top.
    pub(super) fn full_build(&mut self, changed: &[String]) {
        self.count += 1;
        let out = self.work.0.join(format!("site-{}", self.count));
        let opts = BuildOptions { root: self.root.clone(), out: out.clone(), write: true };
        let (report, kept) = build::run_live(&opts, self.region.as_deref());
        print_result(&report, changed, self.shared.lock().site.is_some(), false);
        if let Some(kept) = kept {
            self.live = Some(LiveSite::new(kept, &self.root, &out));
            self.pending.clear();
        }
        let old = {
            let mut s = self.shared.lock();
            s.build += 1;
            if report.ok() {
                s.error = None;
                s.site.replace(out)
            } else {
                s.error = Some(report.diagnostics.report());
                None
            }
        };
        self.shared.changed.notify_all();
        if let Some(old) = old {
            if let Some(gone) = self.retired.replace(old) {
                let _ = std::fs::remove_dir_all(gone);
            }
        }
    }

    /// Rebuilds on every batch of relevant changes until the watcher stops.
    pub(super) fn watch(mut self, mut watcher: Watcher, rx: Receiver<notify::Result<notify::Event>>) {
        let mut changed = BTreeSet::new();
        while let Ok(first) = rx.recv() {
            watcher.collect(first, &mut changed);
            if changed.is_empty() {
                continue;
            }
            // Debounce: wait until the changes stop; changes made during the build below are
            // picked up by the next round.
            let started = Instant::now();
            while started.elapsed() < DEBOUNCE_MAX {
                match rx.recv_timeout(DEBOUNCE) {
                    Ok(more) => watcher.collect(more, &mut changed),
                    Err(_) => break,
                }
            }
            if !self.root.is_dir() {
                crate::stdio::err(&format!("the portal folder `{}` is gone; no more rebuilds\n", self.root.display()));
                return;
            }
            // Editors' temporary files come and go within one save; name what is still there.
            let all: Vec<String> = std::mem::take(&mut changed).into_iter().collect();
            let present: Vec<String> = all.iter().filter(|r| self.root.join(r).exists()).cloned().collect();
            self.rebuild(&all, if present.is_empty() { &all } else { &present });
        }
    }
}

/// One line per rebuild; the full report (same text as `oberih build`) when there is one.
pub(super) fn print_result(report: &BuildReport, changed: &[String], had_site: bool, in_place: bool) {
    let text = report.diagnostics.report();
    if !text.is_empty() {
        crate::stdio::err(&text);
    }
    let kind = if in_place { "update" } else { "rebuild" };
    let what = match changed {
        [] => "build".to_string(),
        [one] => format!("{kind} after {one} changed"),
        [first, rest @ ..] => format!("{kind} after {first} and {} more changed", rest.len()),
    };
    let secs = report.seconds;
    if report.ok() && in_place {
        let stages: Vec<String> =
            report.stages.iter().map(|(name, secs)| format!("{name} {:.0}", secs * 1000.0)).collect();
        let files = count(report.files_written, "file", "files");
        crate::stdio::say(&format!("{what}: {files} in {:.0} ms ({} ms)", secs * 1000.0, stages.join(" · ")));
        return;
    }
    if report.ok() {
        crate::stdio::say(&format!("{what}: {} in {secs:.2} s", count(report.files_written, "file", "files")));
        return;
    }
    let (errors, warnings) = (report.diagnostics.error_count(), report.diagnostics.warning_count());
    let counts = format!("{}, {}", count(errors, "error", "errors"), count(warnings, "warning", "warnings"));
    let shown = if had_site { "still serving the last good version" } else { "pages show the errors" };
    crate::stdio::err(&format!("{what} failed: {counts} in {secs:.2} s; {shown}\n"));
}

// ------------------------------------------------------------------------------------ watching

//! Watching the portal's input folders: changes are gathered until the folder is quiet (or for
//! at most [`DEBOUNCE_MAX`]), then handed to the rebuilder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::WATCHED;
use anyhow::Context;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

pub(super) struct Watcher {
    pub(super) root: PathBuf,
    pub(super) inner: RecommendedWatcher,
    pub(super) watched: BTreeSet<String>,
}

impl Watcher {
    /// Watches the root itself (portal.toml, and input folders that appear later) and every input
    /// folder that exists, recursively. Watching the whole root would also watch `public/` and,
    /// in a repository, `target/`.
    pub(super) fn start(root: &Path, tx: Sender<notify::Result<notify::Event>>) -> anyhow::Result<Watcher> {
        let inner = notify::recommended_watcher(tx).context("cannot watch files for changes")?;
        let mut w = Watcher { root: root.to_path_buf(), inner, watched: BTreeSet::new() };
        w.inner
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        w.add_new_folders();
        Ok(w)
    }

    pub(super) fn add_new_folders(&mut self) {
        for name in WATCHED.iter().filter(|n| !n.contains('.')) {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(*name) {
                match self.inner.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(name.to_string());
                    }
                    Err(e) => crate::stdio::err(&format!("warning: cannot watch `{name}/`: {e}\n")),
                }
            }
        }
    }

    /// Adds the portal-relative paths of relevant changes to `changed`. Reads are not changes:
    /// the build itself opens every input file, and counting that would rebuild forever.
    pub(super) fn collect(&mut self, event: notify::Result<notify::Event>, changed: &mut BTreeSet<String>) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                crate::stdio::err(&format!("warning: watching files: {e}\n"));
                return;
            }
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let mut new_top_level = false;
        for path in &event.paths {
            if let Some(rel) = relevant(&self.root, path) {
                new_top_level |= !rel.contains('/') && !self.watched.contains(&rel);
                changed.insert(rel);
            }
        }
        // A folder such as static/ created after the start is watched from now on.
        if new_top_level {
            self.add_new_folders();
        }
    }
}

/// The portal-relative path of a change that can affect the build, or `None` for everything
/// else: the output, editor swap and backup files, hidden files (the build skips them too).
pub(super) fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let rel = crate::source::slash_path(rel);
    let first = rel.split('/').next()?;
    if !WATCHED.contains(&first) {
        return None;
    }
    let hidden = rel.split('/').any(|c| c.starts_with('.') || c.starts_with('#'));
    let backup = rel.ends_with('~') || rel.ends_with(".swp") || rel.ends_with(".tmp");
    (!hidden && !backup).then_some(rel)
}

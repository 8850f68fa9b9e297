//! File-system events, classified against the project root and debounced
//! into batches.
//!
//! The root is canonicalised once by the caller, so every path here is
//! absolute and free of `.`, `..` and symlinks; `notify` reports paths under
//! the folders it was asked to watch, so classifying them is a prefix test,
//! whatever the user typed as `--root`.
//!
//! Editors save in bursts (write a temporary file, rename it over the old
//! one, touch a backup), so one save is several events. A batch starts at the
//! first event and closes after a short quiet spell, or after a longer limit
//! while events keep coming, so a burst of saves is one rebuild. Editor
//! temporary files never start a rebuild.
//!
//! This module never rebuilds and never reads a file's contents.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

/// Quiet time that closes a batch.
const QUIET: Duration = Duration::from_millis(8);
/// A batch closes after this long even if events keep coming.
const MAX_BATCH: Duration = Duration::from_millis(250);

/// What part of the project a changed path belongs to; it decides what a
/// rebuild must reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `policy/`: the rule set.
    Policy,
    /// `content/`: chapters.
    Content,
    /// `templates/`: the project's template overrides.
    Templates,
    /// `static/`: the project's static-file overrides.
    Static,
    /// `themes/`: the theme itself.
    Themes,
    /// `locales/`: the project's interface-text overrides.
    Locales,
}

impl ChangeKind {
    /// The top-level folders a build reads, with their kind.
    pub const FOLDERS: [(&'static str, ChangeKind); 6] = [
        ("policy", ChangeKind::Policy),
        ("content", ChangeKind::Content),
        ("templates", ChangeKind::Templates),
        ("static", ChangeKind::Static),
        ("themes", ChangeKind::Themes),
        ("locales", ChangeKind::Locales),
    ];

    /// Whether the theme (templates, static files, interface text) must be
    /// reloaded.
    pub fn touches_theme(self) -> bool {
        matches!(
            self,
            ChangeKind::Templates | ChangeKind::Static | ChangeKind::Themes | ChangeKind::Locales
        )
    }
}

/// Swap, backup and lock files that editors write next to the real file.
/// Their events say nothing about the project; the real save follows.
pub fn is_temp_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    // vim writes `4913` to test whether it may create files in a folder.
    name == "4913"
        || lower == ".ds_store"
        // vim, emacs and many others: `file~`, `.file.swp`, `.#file`, `#file#`.
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crdownload"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        // JetBrains IDEs' safe write.
        || ["___jb_tmp___", "___jb_old___", "___jb_bak___"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Classifies a changed path against the canonical project root: `None`
/// for paths outside the inputs (the root itself, `public/`, `target/`,
/// files at the top level) and for editor temporary files.
pub fn classify(root: &Path, path: &Path) -> Option<ChangeKind> {
    let rel = path.strip_prefix(root).ok()?;
    let Some(Component::Normal(first)) = rel.components().next() else {
        return None;
    };
    let kind = ChangeKind::FOLDERS
        .iter()
        .find(|(name, _)| first == *name)
        .map(|(_, kind)| *kind)?;
    if is_temp_file(path) {
        return None;
    }
    Some(kind)
}

/// A changed input, with its path relative to the root for the log.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: PathBuf,
}

impl Change {
    /// A top-level input folder itself (`templates`), not something in it.
    pub fn is_input_folder(&self) -> bool {
        self.path.components().count() == 1
    }
}

/// Watches the inputs of the project at `root` (canonical). Every input
/// folder that exists is watched recursively, so folders created inside it
/// later are covered; the root itself is watched without recursion, so an
/// input folder created after the start (a first `templates/` override) is
/// seen, and [`ProjectWatcher::cover`] then watches it.
pub struct ProjectWatcher {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    changes: Receiver<Change>,
}

impl ProjectWatcher {
    pub fn start(root: &Path) -> notify::Result<ProjectWatcher> {
        let (tx, changes) = channel();
        let event_root = root.to_path_buf();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if !matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    return;
                }
                for p in event.paths {
                    if let Some(kind) = classify(&event_root, &p) {
                        let path = p.strip_prefix(&event_root).unwrap_or(&p).to_path_buf();
                        let _ = tx.send(Change { kind, path });
                    }
                }
            })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut w = ProjectWatcher {
            root: root.to_path_buf(),
            watcher,
            changes,
        };
        w.cover()?;
        Ok(w)
    }

    /// Watches every input folder that exists now. Called at the start and
    /// before the rebuild of a batch that created or removed an input folder
    /// (see [`Change::is_input_folder`]), so a new folder is watched before
    /// the build reads it: nothing written into it can be missed.
    pub fn cover(&mut self) -> notify::Result<()> {
        for (name, _) in ChangeKind::FOLDERS {
            let dir = self.root.join(name);
            if dir.is_dir() {
                self.watcher.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }

    /// Waits for the next batch of changes; `None` when stopping.
    pub fn next_batch(&self, stop: &AtomicBool) -> Option<BTreeSet<Change>> {
        next_batch(&self.changes, stop)
    }
}

fn next_batch<T: Ord>(rx: &Receiver<T>, stop: &AtomicBool) -> Option<BTreeSet<T>> {
    let mut batch = BTreeSet::new();
    loop {
        if stop.load(Ordering::SeqCst) {
            return None;
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(p) => {
                batch.insert(p);
                break;
            }
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    let started = Instant::now();
    while started.elapsed() < MAX_BATCH {
        match rx.recv_timeout(QUIET) {
            Ok(p) => {
                batch.insert(p);
            }
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths_against_the_root() {
        let root = Path::new("/work/handbook");
        let cases: &[(&str, Option<ChangeKind>)] = &[
            (
                "/work/handbook/policy/levels.toml",
                Some(ChangeKind::Policy),
            ),
            ("/work/handbook/policy", Some(ChangeKind::Policy)),
            (
                "/work/handbook/content/first-hour.md",
                Some(ChangeKind::Content),
            ),
            (
                "/work/handbook/content/new/deep/x.md",
                Some(ChangeKind::Content),
            ),
            ("/work/handbook/content/new", Some(ChangeKind::Content)),
            ("/work/handbook/templates", Some(ChangeKind::Templates)),
            (
                "/work/handbook/templates/levels.html",
                Some(ChangeKind::Templates),
            ),
            ("/work/handbook/static/logo.svg", Some(ChangeKind::Static)),
            (
                "/work/handbook/themes/default/templates/base.html",
                Some(ChangeKind::Themes),
            ),
            (
                "/work/handbook/themes/default/static/style.css",
                Some(ChangeKind::Themes),
            ),
            // Not an input.
            ("/work/handbook", None),
            ("/work/handbook/public/index.html", None),
            ("/work/handbook/target/debug/handbook", None),
            ("/work/handbook/README.md", None),
            ("/work/handbook/.git/index", None),
            ("/work/handbook/contents/x.md", None),
            ("/work/handbook-other/policy/levels.toml", None),
            ("/elsewhere/policy/levels.toml", None),
            // Editor temporary files inside an input.
            ("/work/handbook/content/.first-hour.md.swp", None),
            ("/work/handbook/content/first-hour.md~", None),
            ("/work/handbook/content/.#first-hour.md", None),
            ("/work/handbook/content/#first-hour.md#", None),
            ("/work/handbook/templates/4913", None),
            ("/work/handbook/static/.DS_Store", None),
            ("/work/handbook/policy/levels.toml.tmp", None),
            ("/work/handbook/policy/levels.toml___jb_tmp___", None),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(root, Path::new(path)), *expected, "{path}");
        }
    }

    #[test]
    fn temp_files_are_recognised_and_real_files_are_not() {
        for temp in [
            "a.md~",
            ".a.md.swp",
            ".a.md.swx",
            ".a.md.swo",
            ".#a.md",
            "#a.md#",
            "4913",
            "a.toml.TMP",
            "a.bak",
            "a.html___jb_old___",
            ".DS_Store",
        ] {
            assert!(is_temp_file(Path::new(temp)), "{temp}");
        }
        for real in [
            "a.md",
            "levels.toml",
            "#",
            "base.html",
            "swp.md",
            "logic.js",
            "templates",
            "4914",
        ] {
            assert!(!is_temp_file(Path::new(real)), "{real}");
        }
    }

    #[test]
    fn theme_kinds_reload_the_theme_and_others_do_not() {
        assert!(ChangeKind::Templates.touches_theme());
        assert!(ChangeKind::Static.touches_theme());
        assert!(ChangeKind::Themes.touches_theme());
        assert!(!ChangeKind::Policy.touches_theme());
        assert!(!ChangeKind::Content.touches_theme());
    }
}

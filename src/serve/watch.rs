//! File-system events, debounced into batches.
//!
//! Editors save in bursts (write a temporary file, rename it over the old
//! one, touch a backup), so one save is several events. A batch starts at the
//! first event and closes after a short quiet spell, or after a longer limit
//! while events keep coming, so a burst of saves is one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

/// Quiet time that closes a batch.
const QUIET: Duration = Duration::from_millis(8);
/// A batch closes after this long even if events keep coming.
const MAX_BATCH: Duration = Duration::from_millis(250);

/// Starts watching the folders a build reads. Missing folders are skipped.
pub fn watch(root: &Path) -> notify::Result<(Receiver<PathBuf>, notify::RecommendedWatcher)> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            )
        {
            for p in event.paths {
                let _ = tx.send(p);
            }
        }
    })?;
    for dir in ["policy", "content", "themes", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok((rx, watcher))
}

/// Waits for the next batch of changed paths; `None` when stopping.
pub fn next_batch(rx: &Receiver<PathBuf>, stop: &AtomicBool) -> Option<BTreeSet<PathBuf>> {
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

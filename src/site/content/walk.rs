//! The walk of `content/`: which files are chapters. Nothing under
//! `content/` may be skipped silently: a folder or file that cannot be read
//! is an `io` error with its path, and a symbolic link is followed only when
//! it stays inside the project (the root is canonicalised once and every
//! link's target compared with it). It must never read a chapter's text.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Rule};

/// Collects the chapter files under `dir`. A folder or file that cannot be
/// read is an `io` error with its path, never silently left out; a symbolic
/// link is followed only when it stays inside the project.
pub(super) fn chapter_files(
    root: &Path,
    dir: &Path,
    files: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let canonical_root = match std::fs::canonicalize(root) {
        Ok(c) => c,
        Err(e) => {
            out.push(Diagnostic::error(
                Rule::Io,
                format!("cannot resolve the project folder {}: {e}", root.display()),
            ));
            return;
        }
    };
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| rel(dir), rel);
                let what = if e.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it".to_owned()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string)
                };
                out.push(
                    Diagnostic::error(Rule::Io, format!("cannot read {}: {what}", path.display()))
                        .in_file(path)
                        .hint("check the permissions; every file and folder under content/ must be readable"),
                );
                continue;
            }
        };
        if entry.path_is_symlink() {
            let inside =
                std::fs::canonicalize(entry.path()).is_ok_and(|c| c.starts_with(&canonical_root));
            if !inside {
                let link = rel(entry.path());
                out.push(
                    Diagnostic::error(
                        Rule::Io,
                        format!(
                            "{} is a symbolic link that leads outside the project",
                            link.display()
                        ),
                    )
                    .in_file(link)
                    .hint("copy the chapter into content/: the site may only contain files of the project"),
                );
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_dir() && entry.path().extension().is_some_and(|x| x == "md") {
            files.push(entry.into_path());
        }
    }
    files.sort();
}

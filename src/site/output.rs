//! Writing the site: everything is rendered into memory first, then written
//! to a fresh folder beside the target and swapped in with renames.
//!
//! A failed build therefore never touches the previous site, and readers of
//! the output folder never see a half-written one. Every folder the build
//! creates carries the [`MARKER`] file; an existing folder is replaced only
//! when it is empty or carries that marker (or `--force` says so), and never
//! when it is, contains or lies inside the project root or an input folder
//! (see [`target`]). Leftovers of an interrupted build are recognised by
//! name *and* marker. This module must never write anywhere but the output
//! folder and its temporary siblings, and never remove a folder that lacks
//! the marker, except the output folder itself when `--force` allows it.

mod error;
mod target;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

pub use error::{OutputError, Relation};
pub use target::OutputTarget;

/// The rendered site: relative path (always `/`-separated, ASCII) → bytes.
/// A `BTreeMap` keeps every listing and the write order deterministic.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The file that marks a folder as made by `handbook build`, and therefore
/// safe to replace. Written first into every staging folder.
pub const MARKER: &str = ".handbook-output";

/// What the marker says (the same bytes in every build, so output stays
/// byte-identical).
pub const MARKER_TEXT: &str = "This folder was written by `handbook build` (incident-handbook).\n\
handbook deletes and replaces it on the next build: keep no files of your own here.\n\
Delete this file to stop handbook from replacing the folder.\n";

/// The two kinds of temporary sibling: `.{name}.staging-{pid}` (the new site
/// being written) and `.{name}.old-{pid}` (the previous site, moved aside
/// until the new one is in place).
const STAGING: &str = "staging";
const OLD: &str = "old";

/// Writes `files` to the checked `target` atomically (as far as the file
/// system allows: two renames, with the old site moved aside until the new
/// one is in place). Leftovers of earlier interrupted builds into the same
/// folder are removed first.
pub fn write_atomically(target: &OutputTarget, files: &Files) -> Result<(), OutputError> {
    let out = target.path();
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        // A path without a parent is a file-system root, which contains the
        // project root and was refused when the target was resolved.
        return Err(OutputError::Io {
            path: out.to_path_buf(),
            error: std::io::Error::other("a file-system root cannot be the output folder"),
        });
    };
    std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    remove_leftovers(parent, name)?;
    let pid = std::process::id();
    let staging = sibling(parent, name, STAGING, pid);
    let old = sibling(parent, name, OLD, pid);
    for path in [&staging, &old] {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(OutputError::Leftover { path: path.clone() });
        }
    }
    if let Err(e) = write_tree(&staging, files) {
        discard(&staging);
        return Err(e);
    }
    // The folder may have changed while the site was rendered and written.
    if let Err(e) = target.check_existing() {
        discard(&staging);
        return Err(e);
    }
    swap(out, &staging, &old).inspect_err(|_| discard(&staging))
}

/// `.{name}.{kind}-{pid}` beside the output folder.
fn sibling(parent: &Path, name: &OsStr, kind: &str, pid: u32) -> PathBuf {
    let mut file = OsString::from(".");
    file.push(name);
    file.push(format!(".{kind}-{pid}"));
    parent.join(file)
}

/// Whether `entry` is `.{name}.staging-{digits}` or `.{name}.old-{digits}`.
fn is_leftover_name(entry: &OsStr, name: &OsStr) -> bool {
    let Some(rest) = entry
        .as_encoded_bytes()
        .strip_prefix(b".")
        .and_then(|r| r.strip_prefix(name.as_encoded_bytes()))
        .and_then(|r| r.strip_prefix(b"."))
    else {
        return false;
    };
    [STAGING, OLD].iter().any(|kind| {
        rest.strip_prefix(kind.as_bytes())
            .and_then(|r| r.strip_prefix(b"-"))
            .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
    })
}

/// Whether `dir` is a real folder (not a link) holding the marker as a
/// regular file.
pub fn carries_marker(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Removes the staging and old folders a killed build into `parent/name`
/// left behind: only folders whose name fits the pattern and that carry the
/// marker. Anything else (a user's folder that happens to match, a file, a
/// link) is left alone.
fn remove_leftovers(parent: &Path, name: &OsStr) -> Result<(), OutputError> {
    let entries = std::fs::read_dir(parent).map_err(io_at(parent))?;
    for entry in entries {
        let entry = entry.map_err(io_at(parent))?;
        if !is_leftover_name(&entry.file_name(), name) {
            continue;
        }
        let path = entry.path();
        if carries_marker(&path) {
            std::fs::remove_dir_all(&path).map_err(io_at(&path))?;
        }
    }
    Ok(())
}

/// Removes a staging folder this process created: with everything in it
/// once it carries the marker, or only if empty before that (the marker
/// could not be written).
fn discard(staging: &Path) {
    if carries_marker(staging) {
        let _ = std::fs::remove_dir_all(staging);
    } else {
        let _ = std::fs::remove_dir(staging);
    }
}

fn io_at(path: &Path) -> impl Fn(std::io::Error) -> OutputError + '_ {
    move |error| OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Writes the marker, then every file, into the new folder `dir`.
fn write_tree(dir: &Path, files: &Files) -> Result<(), OutputError> {
    std::fs::create_dir(dir).map_err(io_at(dir))?;
    let marker = dir.join(MARKER);
    std::fs::write(&marker, MARKER_TEXT).map_err(io_at(&marker))?;
    let entries: Vec<(PathBuf, &Vec<u8>)> = files
        .iter()
        .map(|(rel, bytes)| {
            (
                rel.split('/')
                    .fold(dir.to_path_buf(), |p, part| p.join(part)),
                bytes,
            )
        })
        .collect();
    let mut folders: Vec<&Path> = entries.iter().filter_map(|(p, _)| p.parent()).collect();
    folders.sort();
    folders.dedup();
    for f in folders {
        std::fs::create_dir_all(f).map_err(io_at(f))?;
    }
    // Hundreds of small files: write them on every core.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = entries.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<(), OutputError> {
                    for (path, bytes) in part {
                        std::fs::write(path, bytes).map_err(io_at(path))?;
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join().map_err(|_| OutputError::Io {
                path: dir.to_path_buf(),
                error: std::io::Error::other("a writer thread crashed"),
            })??;
        }
        Ok(())
    })
}

fn swap(out: &Path, staging: &Path, old: &Path) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(out).is_ok() {
        std::fs::rename(out, old).map_err(io_at(out))?;
        if let Err(error) = std::fs::rename(staging, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(old, out);
            return Err(OutputError::Io {
                path: out.to_path_buf(),
                error,
            });
        }
        std::fs::remove_dir_all(old).map_err(io_at(old))?;
    } else {
        std::fs::rename(staging, out).map_err(io_at(out))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(text: &str) -> Files {
        let mut files = Files::new();
        files.insert("index.html".into(), text.as_bytes().to_vec());
        files
    }

    fn target(root: &Path, out: &str, force: bool) -> Result<OutputTarget, OutputError> {
        OutputTarget::resolve(root, &["policy", "content"], Path::new(out), force)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_previous_site_completely() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        let mut a = site("one");
        a.insert("old/page.html".into(), b"x".to_vec());
        let t = target(tmp.path(), "public", false).expect("target");
        write_atomically(&t, &a).expect("first");
        let t = target(tmp.path(), "public", false).expect("marked folder is ours");
        write_atomically(&t, &site("two")).expect("second");
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"two");
        assert!(!out.join("old").exists());
        assert_eq!(names(tmp.path()), ["public"], "no staging folders left");
        assert_eq!(names(&out), [MARKER, "index.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).expect("marker"),
            MARKER_TEXT
        );
    }

    #[test]
    fn leftover_names_match_only_this_output() {
        let name = OsStr::new("public");
        for yes in [".public.staging-1", ".public.old-99999"] {
            assert!(is_leftover_name(OsStr::new(yes), name), "{yes}");
        }
        for no in [
            "public",
            ".public.staging-",
            ".public.staging-12a",
            ".public.old",
            ".public.tmp-1",
            ".other.staging-1",
            ".public.x.staging-1",
            "public.staging-1",
            ".publicstaging-1",
        ] {
            assert!(!is_leftover_name(OsStr::new(no), name), "{no}");
        }
    }

    #[test]
    fn only_marked_leftovers_are_removed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let marked = tmp.path().join(".public.staging-99999");
        std::fs::create_dir(&marked).expect("mkdir");
        std::fs::write(marked.join(MARKER), MARKER_TEXT).expect("marker");
        std::fs::write(marked.join("index.html"), "half").expect("page");
        let marked_old = tmp.path().join(".public.old-7");
        std::fs::create_dir(&marked_old).expect("mkdir");
        std::fs::write(marked_old.join(MARKER), MARKER_TEXT).expect("marker");
        let unmarked = tmp.path().join(".public.old-99998");
        std::fs::create_dir(&unmarked).expect("mkdir");
        std::fs::write(unmarked.join("notes.txt"), "mine").expect("file");
        let other = tmp.path().join(".docs.staging-5");
        std::fs::create_dir(&other).expect("mkdir");
        std::fs::write(other.join(MARKER), MARKER_TEXT).expect("marker");
        std::fs::write(tmp.path().join(".public.staging-3"), "a file").expect("file");

        let t = target(tmp.path(), "public", false).expect("target");
        write_atomically(&t, &site("new")).expect("build");
        assert_eq!(
            names(tmp.path()),
            [
                ".docs.staging-5",
                ".public.old-99998",
                ".public.staging-3",
                "public"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(unmarked.join("notes.txt")).expect("kept"),
            "mine"
        );
    }

    #[test]
    fn an_unmarked_folder_is_refused_then_replaced_with_force() {
        let tmp = tempfile::tempdir().expect("tmp");
        let docs = tmp.path().join("docs");
        std::fs::create_dir(&docs).expect("mkdir");
        std::fs::write(docs.join("mine.txt"), "keep").expect("file");
        match target(tmp.path(), "docs", false) {
            Err(OutputError::NotOurs { folder, .. }) => assert_eq!(folder, docs),
            other => panic!("expected NotOurs, got {other:?}"),
        }
        let t = target(tmp.path(), "docs", true).expect("force");
        write_atomically(&t, &site("forced")).expect("build");
        assert_eq!(names(&docs), [MARKER, "index.html"]);
        assert_eq!(names(tmp.path()), ["docs"]);
    }

    #[test]
    fn a_folder_that_changes_during_the_build_is_not_replaced() {
        let tmp = tempfile::tempdir().expect("tmp");
        let t = target(tmp.path(), "public", false).expect("target");
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).expect("mkdir");
        std::fs::write(out.join("mine.txt"), "arrived late").expect("file");
        assert!(matches!(
            write_atomically(&t, &site("x")),
            Err(OutputError::NotOurs { .. })
        ));
        assert_eq!(names(&out), ["mine.txt"]);
        assert_eq!(names(tmp.path()), ["public"], "staging discarded");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_marked_folder_replaces_the_folder_and_keeps_the_link() {
        let tmp = tempfile::tempdir().expect("tmp");
        let real = tmp.path().join("sites/handbook");
        std::fs::create_dir_all(&real).expect("mkdir");
        let t = target(tmp.path(), "sites/handbook", false).expect("target");
        write_atomically(&t, &site("one")).expect("first");
        let link = tmp.path().join("public");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        let t = target(tmp.path(), "public", false).expect("the link's folder is ours");
        assert_eq!(t.path(), std::fs::canonicalize(&real).expect("canonical"));
        write_atomically(&t, &site("two")).expect("second");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read(link.join("index.html")).expect("read"),
            b"two"
        );
        assert_eq!(names(tmp.path()), ["public", "sites"]);
        assert_eq!(names(&tmp.path().join("sites")), ["handbook"]);
    }

    #[test]
    fn an_unmarked_folder_with_this_process_staging_name_stops_the_build() {
        let tmp = tempfile::tempdir().expect("tmp");
        let t = target(tmp.path(), "public", false).expect("target");
        let staging = sibling(
            tmp.path(),
            OsStr::new("public"),
            STAGING,
            std::process::id(),
        );
        std::fs::create_dir(&staging).expect("mkdir");
        std::fs::write(staging.join("mine.txt"), "x").expect("file");
        match write_atomically(&t, &site("x")) {
            Err(OutputError::Leftover { path }) => assert_eq!(path, staging),
            other => panic!("expected Leftover, got {other:?}"),
        }
        assert_eq!(names(&staging), ["mine.txt"]);
    }
}

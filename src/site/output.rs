//! Writing the site: everything is rendered into memory first, then written
//! to a fresh folder beside the target and swapped in with renames.
//!
//! A failed build therefore never touches the previous site, and readers of
//! the output folder never see a half-written one. This module must never
//! write anywhere but the output folder and its temporary siblings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The rendered site: relative path (always `/`-separated, ASCII) → bytes.
/// A `BTreeMap` keeps every listing and the write order deterministic.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Writes `files` to `out` atomically (as far as the file system allows: two
/// renames, with the old site moved aside until the new one is in place).
pub fn write_atomically(out: &Path, files: &Files) -> std::io::Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let result = write_tree(&staging, files).and_then(|_| swap(out, &staging, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(dir: &Path, files: &Files) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
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
        std::fs::create_dir_all(f)?;
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
                scope.spawn(move || -> std::io::Result<()> {
                    for (path, bytes) in part {
                        std::fs::write(path, bytes)?;
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .map_err(|_| std::io::Error::other("a writer thread crashed"))??;
        }
        Ok(())
    })
}

fn swap(out: &Path, staging: &Path, old: &Path) -> std::io::Result<()> {
    if out.exists() {
        if old.exists() {
            std::fs::remove_dir_all(old)?;
        }
        std::fs::rename(out, old)?;
        if let Err(e) = std::fs::rename(staging, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(old, out);
            return Err(e);
        }
        std::fs::remove_dir_all(old)?;
    } else {
        std::fs::rename(staging, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_previous_site_completely() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        let mut a = Files::new();
        a.insert("index.html".into(), b"one".to_vec());
        a.insert("old/page.html".into(), b"x".to_vec());
        write_atomically(&out, &a).expect("first");
        let mut b = Files::new();
        b.insert("index.html".into(), b"two".to_vec());
        write_atomically(&out, &b).expect("second");
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"two");
        assert!(!out.join("old").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }
}

//! `handbook build --out` never loses a user's files: the real binary on a
//! copy of the project. A folder is replaced only when it is empty or carries
//! the `.handbook-output` marker (or `--force` says so); the project root,
//! the input folders and files are never replaced, whatever the spelling of
//! `--out`; leftovers of a killed build are removed only when marked.

mod common;
use common::copy_dir;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const MARKER: &str = ".handbook-output";

/// A temporary folder holding `project/`: the bundled policy, chapters and
/// theme. Returns (the temporary folder, the project root).
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("project");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["policy", "content", "themes"] {
        copy_dir(&manifest.join(dir), &root.join(dir));
    }
    (tmp, root)
}

/// Runs `handbook ARGS` in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every entry under `dir` (folders, files with their bytes, links with
/// their targets), without following links.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    let mut entries = BTreeMap::new();
    collect(dir, dir, &mut entries);
    entries
}

fn collect(base: &Path, dir: &Path, entries: &mut BTreeMap<String, String>) {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .collect();
    children.sort();
    for path in children {
        let rel = path
            .strip_prefix(base)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let meta = std::fs::symlink_metadata(&path).expect("stat");
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).expect("readlink");
            entries.insert(rel, format!("link {}", target.display()));
        } else if meta.is_dir() {
            entries.insert(rel, "folder".into());
            collect(base, &path, entries);
        } else {
            let bytes = std::fs::read(&path).expect("read");
            entries.insert(rel, format!("file {}", fingerprint(&bytes)));
        }
    }
}

/// A content fingerprint: the bytes themselves are too many to print in a
/// failed assertion, so compare their SHA-256.
fn fingerprint(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A built site: the marker, the home page, the assets.
fn assert_is_site(dir: &Path) {
    assert!(
        dir.join("index.html").is_file(),
        "{} has the home page",
        dir.display()
    );
    assert!(
        dir.join("assets").is_dir(),
        "{} has the assets",
        dir.display()
    );
    assert!(
        dir.join(MARKER).is_file(),
        "{} has the marker",
        dir.display()
    );
}

#[test]
fn a_users_folder_survives_and_the_message_says_how_to_proceed() {
    let (tmp, root) = project();
    let docs = root.join("mydocs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("notes.txt"), "my only copy").expect("write");
    let before = tree(tmp.path());
    let (code, _, err) = run(&root, &["build", "--out", "mydocs"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(tree(tmp.path()), before, "nothing changed anywhere");
    assert_eq!(
        std::fs::read_to_string(docs.join("notes.txt")).expect("still there"),
        "my only copy"
    );
    assert!(err.contains("mydocs"), "names the folder: {err}");
    assert!(err.contains("--force"), "says how to proceed: {err}");
    assert!(err.contains("another --out"), "says how to proceed: {err}");
    assert!(err.contains(MARKER), "{err}");
}

#[test]
fn the_project_and_its_inputs_are_refused_however_spelled_even_with_force() {
    let (tmp, root) = project();
    std::fs::create_dir_all(root.join("policy/sub")).expect("mkdir");
    let mut outs: Vec<String> = [
        ".",
        "./",
        "content",
        "content/",
        "policy",
        "policy/sub",
        "policy/new/deeper",
        "..",
        "content/../policy/",
        "./themes/default/../",
        "static",
        "templates",
        "public/../content",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    outs.push(root.join("content").display().to_string());
    outs.push(tmp.path().display().to_string());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("content"), root.join("chapters-link")).expect("link");
        std::os::unix::fs::symlink(&root, tmp.path().join("project-link")).expect("link");
        outs.push("chapters-link".into());
        outs.push("chapters-link/".into());
        outs.push("../project-link".into());
        outs.push("../project-link/policy".into());
    }
    let before = tree(tmp.path());
    for out in &outs {
        for force in [false, true] {
            let mut args = vec!["build", "--out", out];
            if force {
                args.push("--force");
            }
            let (code, stdout, err) = run(&root, &args);
            assert_eq!(code, 2, "--out {out} (force {force}): {stdout}{err}");
            assert!(err.contains("nothing was written"), "--out {out}: {err}");
            assert!(
                err.contains("the project root") || err.contains("the input folder"),
                "--out {out} names what it would replace: {err}"
            );
            assert_eq!(
                tree(tmp.path()),
                before,
                "--out {out} (force {force}) left the project byte-identical"
            );
        }
    }
}

#[test]
fn an_existing_file_is_refused_untouched_and_nothing_is_renamed() {
    let (tmp, root) = project();
    std::fs::write(root.join("site.txt"), "not a folder").expect("write");
    let mut outs = vec!["site.txt", "site.txt/"];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("site.txt"), root.join("file-link")).expect("link");
        outs.push("file-link");
    }
    let before = tree(tmp.path());
    for out in outs {
        for force in [false, true] {
            let mut args = vec!["build", "--out", out];
            if force {
                args.push("--force");
            }
            let (code, _, err) = run(&root, &args);
            assert_eq!(code, 2, "--out {out}: {err}");
            assert!(err.contains("is not a folder"), "--out {out}: {err}");
            assert!(err.contains("site.txt"), "names the file: {err}");
            assert_eq!(tree(tmp.path()), before, "--out {out}: nothing renamed");
        }
    }
}

#[test]
fn dot_dot_back_into_the_output_builds_there_twice() {
    let (_tmp, root) = project();
    let before = names(&root);
    for attempt in 1..=2 {
        let (code, out, err) = run(&root, &["build", "--out", "./public/../public"]);
        assert_eq!(code, 0, "attempt {attempt}: {err}");
        assert_is_site(&root.join("public"));
        assert!(
            out.contains(&root.join("public").display().to_string())
                || out.contains(
                    &std::fs::canonicalize(root.join("public"))
                        .expect("canonical")
                        .display()
                        .to_string()
                ),
            "reports the resolved folder: {out}"
        );
        let mut expected = before.clone();
        expected.push("public".into());
        expected.sort();
        assert_eq!(names(&root), expected, "attempt {attempt}: no leftovers");
    }
}

#[test]
fn a_marked_folder_is_replaced_and_an_empty_one_is_used() {
    let (_tmp, root) = project();
    let (code, _, err) = run(&root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let public = root.join("public");
    assert_is_site(&public);
    std::fs::write(public.join("stale.html"), "from an older build").expect("write");
    let (code, _, err) = run(&root, &["build", "--out", "public/"]);
    assert_eq!(code, 0, "a marked folder is replaced: {err}");
    assert_is_site(&public);
    assert!(!public.join("stale.html").exists(), "replaced completely");

    std::fs::create_dir(root.join("empty")).expect("mkdir");
    let (code, _, err) = run(&root, &["build", "--out", "empty"]);
    assert_eq!(code, 0, "an empty folder is used: {err}");
    assert_is_site(&root.join("empty"));

    // Outside the project, by an absolute path, is fine too.
    let elsewhere = tempfile::tempdir().expect("tmp");
    let site = elsewhere.path().join("handbook");
    let (code, _, err) = run(&root, &["build", "--out", &site.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    assert_is_site(&site);
}

#[test]
fn force_replaces_an_unmarked_folder() {
    let (_tmp, root) = project();
    let docs = root.join("mydocs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("notes.txt"), "replace me").expect("write");
    let (code, _, err) = run(&root, &["build", "--out", "mydocs", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_is_site(&docs);
    assert!(
        !docs.join("notes.txt").exists(),
        "--force replaced the folder"
    );
    assert!(
        !names(&root).iter().any(|n| n.starts_with(".mydocs.")),
        "no leftovers: {:?}",
        names(&root)
    );
    // Now it carries the marker: the next build needs no --force.
    let (code, _, err) = run(&root, &["build", "--out", "mydocs"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn leftovers_of_a_killed_build_are_removed_only_when_marked() {
    let (_tmp, root) = project();
    let marked = root.join(".public.staging-99999");
    std::fs::create_dir(&marked).expect("mkdir");
    std::fs::write(marked.join(MARKER), "").expect("marker");
    std::fs::write(marked.join("index.html"), "half written").expect("write");
    let marked_old = root.join(".public.old-99998");
    std::fs::create_dir_all(marked_old.join("assets")).expect("mkdir");
    std::fs::write(marked_old.join(MARKER), "").expect("marker");
    let unmarked = root.join(".public.staging-99997");
    std::fs::create_dir(&unmarked).expect("mkdir");
    std::fs::write(unmarked.join("notes.txt"), "mine").expect("write");
    let unmarked_before = tree(&unmarked);
    // A marked leftover of another output, and one outside the output's
    // parent: neither is this build's business.
    let other = root.join(".docs.staging-5");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join(MARKER), "").expect("marker");

    let (code, _, err) = run(&root, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(!marked.exists(), "marked staging folder removed");
    assert!(!marked_old.exists(), "marked old folder removed");
    assert_eq!(tree(&unmarked), unmarked_before, "unmarked one untouched");
    assert!(
        other.join(MARKER).exists(),
        "another output's leftover kept"
    );
    assert_is_site(&root.join("public"));

    // Building into sub/public looks only inside sub/.
    let nested_marked = root.join("sub/.public.old-4");
    std::fs::create_dir_all(&nested_marked).expect("mkdir");
    std::fs::write(nested_marked.join(MARKER), "").expect("marker");
    let outside = root.join(".public.staging-3");
    std::fs::create_dir(&outside).expect("mkdir");
    std::fs::write(outside.join(MARKER), "").expect("marker");
    let (code, _, err) = run(&root, &["build", "--out", "sub/public"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !nested_marked.exists(),
        "leftover beside sub/public removed"
    );
    assert!(
        outside.exists(),
        "nothing outside the output's parent touched"
    );
}

#[test]
fn build_help_documents_force_and_the_marker() {
    let (_tmp, root) = project();
    let (code, out, _) = run(&root, &["build", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--force"), "{out}");
    assert!(out.contains(MARKER), "{out}");
}

//! Helpers shared by the integration tests: the real binary and the bundled
//! rule set.

#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

use incident_handbook::commands::load_and_check;
use incident_handbook::ruleset::{Ruleset, compile};

/// Runs `handbook ARGS` in the project folder: (exit code, stdout, stderr).
pub fn handbook(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The bundled policy, checked and compiled.
pub fn bundled() -> Ruleset {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (loaded, checked) = load_and_check(root).expect("bundled policy loads");
    compile(&loaded, &checked).expect("bundled policy compiles")
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls") {
        let p = e.expect("entry").path();
        let target = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).expect("copy");
        }
    }
}

/// A small project in `tmp/site`: the bundled policy and the chapters of
/// `tests/fixtures/site-small/`. Builds write outside it (`tmp/out`).
pub fn small_site(tmp: &Path) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tmp.join("site");
    std::fs::create_dir_all(root.join("policy")).expect("mkdir");
    for name in incident_handbook::policy::POLICY_FILES {
        std::fs::copy(
            manifest.join("policy").join(name),
            root.join("policy").join(name),
        )
        .expect("copy");
    }
    copy_dir(
        &manifest.join("tests/fixtures/site-small/content"),
        &root.join("content"),
    );
    root
}

/// A project in `tmp/<fixture>`: the bundled policy with the policy files of
/// `tests/fixtures/<fixture>/policy/` laid over it (only the files that
/// differ are kept there), and that fixture's `content/`.
pub fn fixture_project(tmp: &Path, fixture: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tmp.join(fixture);
    copy_dir(&manifest.join("policy"), &root.join("policy"));
    let dir = manifest.join("tests/fixtures").join(fixture);
    copy_dir(&dir.join("policy"), &root.join("policy"));
    copy_dir(&dir.join("content"), &root.join("content"));
    root
}

/// Runs `handbook ARGS` with `--root ROOT` appended.
pub fn handbook_at(root: &Path, args: &[&str]) -> (i32, String, String) {
    let root = root.to_str().expect("UTF-8 temp path");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", root]);
    handbook(&all)
}

/// A project's policy, checked and compiled.
pub fn compiled(root: &Path) -> Ruleset {
    let (loaded, checked) = load_and_check(root).expect("policy loads");
    compile(&loaded, &checked).expect("policy compiles")
}

/// A duration as the bundled site phrases it: the theme's words for the
/// bundled policy's language, through the same `DurationWords` pages use.
#[allow(dead_code)]
pub fn bundled_duration_text(w: incident_handbook::ruleset::deadlines::Within) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = incident_handbook::site::prepare(root).expect("bundled project prepares");
    incident_handbook::site::duration::DurationWords::new(&prepared.locale)
        .expect("duration words in the locale")
        .text(w)
}

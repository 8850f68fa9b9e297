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

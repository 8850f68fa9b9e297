//! Bad input never panics: arbitrary bytes in any policy file, mutations of
//! the real files, and oversized files all end as diagnostics.

use std::path::{Path, PathBuf};

use incident_handbook::commands::load_and_check;
use incident_handbook::policy::POLICY_FILES;
use incident_handbook::ruleset::compile;
use proptest::prelude::*;

fn copy_bundled(to: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("policy");
    let dst = to.join("policy");
    std::fs::create_dir_all(&dst).expect("mkdir");
    for name in POLICY_FILES {
        std::fs::copy(src.join(name), dst.join(name)).expect("copy");
    }
    dst
}

/// Loads, checks and (when clean) compiles; must never panic, and a policy
/// that does not compile must have errors to say why.
fn must_not_panic(root: &Path) {
    let (loaded, checked) = load_and_check(root).expect("the folder exists");
    match compile(&loaded, &checked) {
        Ok(r) => {
            let _ = r.to_json();
        }
        Err(_) => assert!(checked.errors() > 0, "refused to compile without an error"),
    }
    let _ = incident_handbook::diagnostics::render_human(&checked.diagnostics, &loaded.sources);
    let _ = incident_handbook::diagnostics::render_sarif(&checked.diagnostics, &loaded.sources);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_in_a_policy_file_never_panic(
        file in 0..POLICY_FILES.len(),
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = copy_bundled(tmp.path());
        std::fs::write(dir.join(POLICY_FILES[file]), &bytes).expect("write");
        must_not_panic(tmp.path());
    }

    #[test]
    fn mutating_a_real_file_never_panics(
        file in 0..POLICY_FILES.len(),
        at in any::<prop::sample::Index>(),
        cut in 0usize..40,
        insert in "[\\PC\\n\"=\\[\\]{}]{0,12}",
    ) {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = copy_bundled(tmp.path());
        let path = dir.join(POLICY_FILES[file]);
        let text = std::fs::read(&path).expect("read");
        let pos = at.index(text.len().max(1)).min(text.len());
        let end = (pos + cut).min(text.len());
        let mut mutated = text[..pos].to_vec();
        mutated.extend_from_slice(insert.as_bytes());
        mutated.extend_from_slice(&text[end..]);
        std::fs::write(&path, &mutated).expect("write");
        must_not_panic(tmp.path());
    }
}

#[test]
fn an_oversized_file_is_an_encoding_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = copy_bundled(tmp.path());
    let big = "# padding\n".repeat(incident_handbook::policy::MAX_FILE_BYTES / 10 + 10);
    std::fs::write(dir.join("contacts.toml"), big).expect("write");
    let (_, checked) = load_and_check(tmp.path()).expect("loads");
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.rule == "encoding" && d.message.contains("at most")),
        "{:?}",
        checked.diagnostics
    );
}

#[test]
fn a_missing_policy_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["check", "--root"])
        .arg(tmp.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no policy folder"), "{err}");
}

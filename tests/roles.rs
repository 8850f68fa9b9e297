//! The site follows the policy's roles, not the bundled ids: renaming the
//! initial report event (`report` → `notify`) consistently in the policy and
//! the chapters passes `check`, and the home page, the contacts page and the
//! deadlines page carry the same deadlines and phone numbers as before.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::copy_dir;

/// A copy of the bundled project (policy, chapters, theme) under `tmp`.
fn project(tmp: &Path, name: &str) -> PathBuf {
    let root = tmp.join(name);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["policy", "content", "themes"] {
        copy_dir(&manifest.join(dir), &root.join(dir));
    }
    root
}

fn run(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Replaces every whole quoted `"from"` in the files of `dir` with `"to"`
/// (ids are quoted in TOML and in shortcode arguments alike).
fn rename_quoted(dir: &Path, from: &str, to: &str) -> usize {
    let mut changed = 0;
    for entry in std::fs::read_dir(dir).expect("ls") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            changed += rename_quoted(&path, from, to);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("text file");
        let renamed = text.replace(&format!("\"{from}\""), &format!("\"{to}\""));
        if renamed != text {
            changed += 1;
            std::fs::write(&path, renamed).expect("write");
        }
    }
    changed
}

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The page without the footer's rule-set digest, which changes with any
/// byte of the policy (the renamed id included).
fn without_digest(page: &str) -> Vec<&str> {
    page.lines()
        .filter(|l| !l.contains("class=\"ruleset\""))
        .collect()
}

#[test]
fn renaming_the_initial_report_keeps_the_pages_facts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let before = project(tmp.path(), "before");
    let after = project(tmp.path(), "after");
    assert!(rename_quoted(&after.join("policy"), "report", "notify") >= 4);
    assert!(rename_quoted(&after.join("content"), "report", "notify") >= 1);
    let policy = std::fs::read_to_string(after.join("policy/policy.toml")).expect("policy.toml");
    assert!(
        policy.contains("initial_report = \"notify\""),
        "the role follows the rename"
    );

    let (code, output) = run(&after, &["check"]);
    assert_eq!(code, 0, "check of the renamed policy:\n{output}");

    let (out_before, out_after) = (
        tmp.path().join("site-before"),
        tmp.path().join("site-after"),
    );
    for (root, out) in [(&before, &out_before), (&after, &out_after)] {
        let (code, output) = run(root, &["build", "--out", out.to_str().expect("utf-8 path")]);
        assert_eq!(code, 0, "build:\n{output}");
    }
    // The bundled site never says `notify`, so after swapping the id back
    // every page must be the same, byte for byte: same deadlines, same
    // phone numbers, same links (to the renamed event's page).
    for path in ["index.html", "contacts/index.html", "deadlines.html"] {
        let old = page(&out_before, path);
        assert!(!old.contains("notify"), "{path} already says notify");
        assert!(
            old.contains("class=\"ruleset\""),
            "{path} has the digest footer"
        );
        let new = page(&out_after, path);
        // The home and deadlines pages mark the event by id; the contacts
        // page only quotes its time (through the `initial_report` role).
        if path != "contacts/index.html" {
            assert!(new.contains("notify"), "{path} marks the renamed event");
        }
        let swapped = new.replace("notify", "report");
        let (old, swapped) = (without_digest(&old), without_digest(&swapped));
        assert_eq!(
            old.len(),
            swapped.len(),
            "{path}: the number of lines changed"
        );
        for (a, b) in old.iter().zip(&swapped) {
            assert_eq!(a, b, "{path} changed beyond the id");
        }
    }

    // And the facts are really there: the hotline's number on the home page,
    // the first report's level-1 time on the contacts page.
    let r = common::bundled();
    let phone = r
        .contacts
        .iter()
        .find(|c| c.id == r.handbook.phone_line)
        .expect("the phone line role resolves");
    let home = page(&out_after, "index.html");
    assert!(
        home.contains(&phone.value),
        "home page shows {}",
        phone.value
    );
    let first = r
        .event(&r.handbook.initial_report)
        .expect("initial report resolves");
    let level_1 = common::bundled_duration_text(*first.within.get("1").expect("a level-1 time"));
    let contacts = page(&out_after, "contacts/index.html");
    assert!(
        contacts.contains(&level_1),
        "contacts page quotes {level_1}"
    );
    for step in &r.handbook.first_steps {
        let name = &r.event(step).expect("first step resolves").name["zh-TW"];
        assert!(home.contains(name.as_str()), "home page lists {name}");
    }
}

#[test]
fn the_cli_flags_use_the_condition_roles() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project(tmp.path(), "p");
    let args = [
        "deadlines",
        "--level",
        "3",
        "--discovered",
        "2026-03-01T09:00",
    ];
    // With the role, --support adds the support dispatch.
    let (code, plain) = run(&root, &args);
    assert_eq!(code, 0, "{plain}");
    let (code, with_support) = run(&root, &[&args[..], &["--support"]].concat());
    assert_eq!(code, 0, "{with_support}");
    assert_ne!(plain, with_support, "--support changes the deadlines");

    // Without it, the flag is refused, saying which role and where.
    let path = root.join("policy/policy.toml");
    let text = std::fs::read_to_string(&path).expect("policy.toml");
    let line = "support_condition = \"support-requested\"\n";
    assert!(text.contains(line));
    std::fs::write(&path, text.replace(line, "")).expect("write");
    let (code, output) = run(&root, &["check"]);
    assert_eq!(code, 0, "the role is optional:\n{output}");
    let (code, output) = run(&root, &[&args[..], &["--support"]].concat());
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("support_condition") && output.contains("policy/policy.toml"),
        "{output}"
    );
}

//! No Rust, JS or template file names an id of the bundled policy: whatever
//! the site or the CLI singles out, the policy names in `[handbook]` (or a
//! table of its own, like the duty phases), so renaming an id there cannot
//! silently break a page.
//!
//! This is the review's grep as a test: every `id = "..."` of four or more
//! characters under `policy/`, searched for as a quoted string (`"id"` or
//! `'id'`) in `src/` and `themes/` (`.rs`, `.js`, `.html`), outside test
//! files. The few hits that are not policy ids at all (a word of the tool's
//! own vocabulary that a policy id happens to share) are allowed by file and
//! word below, each with the reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// (file, word, why it is not a policy id).
const NOT_POLICY_IDS: &[(&str, &str, &str)] = &[
    // A URL scheme chapters may not use; the bundled policy also has an
    // answer with the id `data`, by coincidence.
    (
        "src/site/content/links.rs",
        "data",
        "the `data:` URL scheme",
    ),
    // The kinds of contact channel are the tool's own closed list: it must
    // know a phone from an e-mail address to write `tel:`, `mailto:`, vCard
    // lines and QR codes. The bundled contacts `fax` and `email` are named
    // after their kind.
    ("src/check/contacts.rs", "phone", "contact kind"),
    ("src/check/contacts.rs", "email", "contact kind"),
    ("src/check/contact_source.rs", "phone", "contact kind"),
    // A placeholder name in a unit test of the ICS text filler.
    ("src/check/contact_source.rs", "email", "contact kind"),
    ("src/check/schema.rs", "phone", "contact kind"),
    ("src/check/schema.rs", "email", "contact kind"),
    ("src/domain/phone.rs", "phone", "contact kind"),
    ("src/domain/phone.rs", "email", "contact kind"),
    ("src/site/cards.rs", "phone", "contact kind"),
    ("src/site/cards.rs", "email", "contact kind"),
    // The classifier's outcome status, documented output of `classify`
    // (docs/ruleset.md) and the page and script that show it. The decision
    // that explains it is the `not_an_incident` role, which the bundled
    // policy happens to give the same id.
    (
        "src/commands/classify.rs",
        "not-an-incident",
        "outcome status",
    ),
    (
        "src/site/pages/classify.rs",
        "not-an-incident",
        "outcome status",
    ),
    (
        "themes/default/static/handbook.js",
        "not-an-incident",
        "outcome status",
    ),
    (
        "themes/default/static/logic.js",
        "not-an-incident",
        "outcome status",
    ),
    (
        "themes/default/templates/classify.html",
        "not-an-incident",
        "outcome status",
    ),
    // The tool's word for the time of discovery: the `--discovered` flag,
    // the field of `deadlines --format json` that echoes it, and the
    // calculator's older URL parameter, still read. The event it sets is the
    // `discovery` role; the bundled policy names that event `discovered`.
    (
        "src/commands/deadlines.rs",
        "discovered",
        "the --discovered input",
    ),
    (
        "themes/default/static/handbook.js",
        "discovered",
        "the --discovered input",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files(&path, exts, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
}

/// The ids of the bundled policy the review's grep looks for.
fn policy_ids() -> BTreeSet<String> {
    let mut paths = Vec::new();
    files(&root().join("policy"), &["toml"], &mut paths);
    let mut ids = BTreeSet::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("policy file");
        for line in text.lines() {
            let Some(id) = line
                .strip_prefix("id = \"")
                .and_then(|rest| rest.strip_suffix('"'))
            else {
                continue;
            };
            let mut chars = id.chars();
            let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if well_formed && id.len() >= 4 {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// Test files are skipped as the review's grep skips them.
fn is_test_file(relative: &str) -> bool {
    relative.contains("/tests/") || relative.contains("/test/") || relative.ends_with("tests.rs")
}

/// Every `file:line: "id"` of a policy id in code, allowed ones left out.
fn hits(root: &Path, ids: &BTreeSet<String>, allowed: &[(&str, &str, &str)]) -> Vec<String> {
    let mut paths = Vec::new();
    for dir in ["src", "themes"] {
        files(&root.join(dir), &["rs", "js", "html"], &mut paths);
    }
    paths.sort();
    let mut found = Vec::new();
    for path in paths {
        let relative = path
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        if is_test_file(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source file");
        for (n, line) in text.lines().enumerate() {
            for id in ids {
                let quoted = [format!("\"{id}\""), format!("'{id}'")];
                if !quoted.iter().any(|q| line.contains(q.as_str())) {
                    continue;
                }
                if allowed.iter().any(|(f, w, _)| *f == relative && w == id) {
                    continue;
                }
                found.push(format!("{relative}:{}: \"{id}\": {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_source_file_names_a_policy_id() {
    let ids = policy_ids();
    // The grep must have something to look for, or it proves nothing.
    assert!(ids.len() > 50, "only {} policy ids found", ids.len());
    let found = hits(&root(), &ids, NOT_POLICY_IDS);
    assert!(
        found.is_empty(),
        "code names ids of the bundled policy; declare what the site singles out in [handbook] of policy/policy.toml instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_allowed_word_is_still_needed() {
    // An allow-list entry that matches nothing would hide a future hit.
    let ids = policy_ids();
    let all = hits(&root(), &ids, &[]);
    for (file, word, why) in NOT_POLICY_IDS {
        assert!(
            ids.contains(*word),
            "`{word}` ({why}) is no longer a policy id: remove it from NOT_POLICY_IDS"
        );
        let needle = format!("{file}:");
        assert!(
            all.iter()
                .any(|h| h.starts_with(&needle) && h.contains(&format!("\"{word}\":"))),
            "{file} no longer uses `{word}` ({why}): remove it from NOT_POLICY_IDS"
        );
    }
}

#[test]
fn the_grep_finds_an_id_in_code() {
    // The search itself works: a line naming a bundled event in a page
    // module is a hit, the same line in a test file is not.
    let ids = policy_ids();
    assert!(
        ids.contains("report"),
        "the bundled policy has an event `report`"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("src/site/tests");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("themes")).expect("mkdir");
    let line = "let first = r.event(\"report\");";
    std::fs::write(dir.path().join("src/site/page.rs"), line).expect("write");
    std::fs::write(src.join("page.rs"), line).expect("write");
    std::fs::write(dir.path().join("themes/x.js"), "var e = 'recover';").expect("write");
    let found = hits(dir.path(), &ids, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("src/site/page.rs:1: \"report\""),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("themes/x.js:1: \"recover\""),
        "{found:?}"
    );
}

//! The role views agree: for every level and every reader of the bundled
//! policy, the deadlines page's own rows (the built site's `data.js` with
//! `logic.js` and `incident-state.js` under Node: the state read from the
//! page's URL format, `computeDeadlines`, then `splitByRole(...).mine`) are
//! exactly what `handbook deadlines --role` prints, event by event and due
//! time by due time, in the same order. A policy without readers
//! (`examples/nis2`) refuses `--role` and offers the page no readers.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// Discovery times with a time the initial report was received 20 minutes
/// later: an early-morning one, one whose deadlines cross midnight and the
/// year's end.
const DISCOVERED: [(&str, &str); 2] = [
    ("2026-12-01T03:00", "2026-12-01T03:20"),
    ("2026-12-31T23:30", "2026-12-31T23:50"),
];

/// Builds `root`'s site into a temporary folder; returns it with its
/// `assets/` path.
fn built(root: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let (code, _, err) =
        common::handbook_at(root, &["build", "--out", out.to_str().expect("UTF-8")]);
    assert_eq!(code, 0, "build: {err}");
    (tmp, out.join("assets"))
}

/// The reader's rows as the page computes them, one result per case.
fn node(assets: &Path, cases: &Value) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.json");
    std::fs::write(&path, serde_json::to_vec(cases).expect("json")).expect("write");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/role_parity.js");
    let out = Command::new("node")
        .arg(script)
        .arg(assets)
        .arg(&path)
        .output()
        .expect("Node.js runs (this test needs `node` on PATH)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("node prints JSON")
}

/// `handbook deadlines ... --format json`'s rows as `{event, due}`.
fn cli_rows(args: &[&str]) -> Vec<Value> {
    let (code, out, err) = common::handbook(&[args, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{args:?}: {err}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    doc["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .map(|d| json!({"event": d["event"], "due": d["due"]}))
        .collect()
}

#[test]
fn every_level_and_reader_shows_what_deadlines_role_prints() {
    let r = common::bundled();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_tmp, assets) = built(root);
    let report = r.handbook.initial_report.clone();

    // (level, reader, CLI args, the page's query string)
    let mut cases = Vec::new();
    for level in r.levels.iter().map(|l| l.id.to_string()) {
        for reader in &r.handbook.readers {
            for (at, received) in DISCOVERED {
                // As given, and with the time the initial report was
                // received (what a reviewer enters).
                for given in [None, Some(received)] {
                    let mut args = vec![
                        "deadlines".to_owned(),
                        "--level".into(),
                        level.clone(),
                        "--discovered".into(),
                        at.into(),
                        "--role".into(),
                        reader.clone(),
                    ];
                    let mut query = format!("d={at}&role={reader}");
                    if let Some(t) = &given {
                        args.extend(["--at".into(), format!("{report}={t}")]);
                        query.push_str(&format!("&t={report}:{t}"));
                    }
                    cases.push((level.clone(), reader.clone(), args, query));
                }
            }
        }
    }
    let input: Vec<Value> = cases
        .iter()
        .map(|(level, _, _, query)| json!({"level": level, "query": query}))
        .collect();
    let page = node(&assets, &Value::Array(input));
    assert_eq!(page.len(), cases.len());

    let mut readers_with_rows = std::collections::BTreeSet::new();
    for ((level, reader, args, query), got) in cases.iter().zip(&page) {
        assert!(got.get("error").is_none(), "{query}: {got}");
        assert_eq!(
            got["readers"],
            json!(r.handbook.readers),
            "the page offers the policy's readers"
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let want = cli_rows(&args);
        assert_eq!(
            got["mine"],
            Value::Array(want.clone()),
            "level {level}, reader {reader} ({query})"
        );
        if !want.is_empty() {
            readers_with_rows.insert(reader.clone());
        }
    }
    // The comparison is not vacuous: every reader has own deadlines at some level.
    assert_eq!(
        readers_with_rows.len(),
        r.handbook.readers.len(),
        "readers with rows: {readers_with_rows:?}"
    );
}

#[test]
fn a_policy_without_readers_refuses_role_and_the_page_offers_none() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nis2");
    let r = common::compiled(&root);
    assert!(r.handbook.readers.is_empty());
    let (_tmp, assets) = built(&root);
    let level = r.levels[0].id.to_string();
    let (code, out, err) = common::handbook_at(
        &root,
        &[
            "deadlines",
            "--level",
            &level,
            "--discovered",
            DISCOVERED[0].0,
            "--role",
            &r.events[0].actor,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("declares no readers"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Without a role every row is "mine" on the page, as the CLI prints all.
    let page = node(
        &assets,
        &json!([{"level": level, "query": format!("d={}", DISCOVERED[0].0)}]),
    );
    assert_eq!(page[0]["readers"], json!([]));
    let (code, out, err) = common::handbook_at(
        &root,
        &[
            "deadlines",
            "--level",
            &level,
            "--discovered",
            DISCOVERED[0].0,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    let all: Vec<Value> = doc["deadlines"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|d| json!({"event": d["event"], "due": d["due"]}))
        .collect();
    assert!(!all.is_empty());
    assert_eq!(page[0]["mine"], Value::Array(all));
}

//! `handbook deadlines --role`: only the reader's own deadlines, in every
//! format, through the real binary; an actor that is no reader, and a policy
//! without readers, are usage errors that say what to use instead.

mod common;

use common::{bundled, handbook};
use serde_json::Value;

const AT: &str = "2026-12-01T03:00";

fn json(args: &[&str]) -> Value {
    let (code, out, err) = handbook(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

fn deadline_ids(doc: &Value) -> Vec<(String, String)> {
    doc["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .map(|d| {
            (
                d["event"].as_str().expect("event").to_owned(),
                d["actor"].as_str().expect("actor").to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_reader_gets_exactly_their_rows_in_computed_order() {
    let r = bundled();
    assert!(
        r.handbook.readers.len() >= 2,
        "the bundled policy has readers"
    );
    for level in r.levels.iter().map(|l| &l.id) {
        let level = level.to_string();
        let all = json(&[
            "deadlines",
            "--level",
            &level,
            "--discovered",
            AT,
            "--format",
            "json",
        ]);
        assert!(all["role"].is_null());
        let all_rows = deadline_ids(&all);
        let mut covered = 0;
        for reader in &r.handbook.readers {
            let mine = json(&[
                "deadlines",
                "--level",
                &level,
                "--discovered",
                AT,
                "--role",
                reader,
                "--format",
                "json",
            ]);
            assert_eq!(mine["role"], reader.as_str());
            let want: Vec<_> = all_rows
                .iter()
                .filter(|(_, actor)| actor == reader)
                .cloned()
                .collect();
            assert_eq!(deadline_ids(&mine), want, "level {level}, reader {reader}");
            // The rest of the document is the unfiltered one's.
            assert_eq!(mine["starts"], all["starts"]);
            assert_eq!(mine["discovered"], all["discovered"]);
            covered += want.len();
        }
        assert!(covered > 0, "level {level}: some reader has deadlines");
    }
}

#[test]
fn the_text_table_and_the_calendar_hold_only_the_readers_events() {
    let r = bundled();
    let reader = r.handbook.readers[0].clone();
    let level = r.levels[0].id.to_string();
    let base = ["deadlines", "--level", &level, "--discovered", AT];
    let all = json(&[&base[..], &["--format", "json"]].concat());
    let (mine, others): (Vec<_>, Vec<_>) = deadline_ids(&all)
        .into_iter()
        .partition(|(_, actor)| *actor == reader);
    assert!(!mine.is_empty() && !others.is_empty());

    let (code, table, err) = handbook(&[&base[..], &["--role", &reader]].concat());
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("EVENT"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().expect("event id"))
        .collect();
    let want: Vec<&str> = mine.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(rows, want);
    assert!(table.contains("(--role)"), "the table says it is filtered");

    let (code, ics, err) = handbook(&[&base[..], &["--role", &reader, "--format", "ics"]].concat());
    assert_eq!(code, 0, "{err}");
    let uids: Vec<String> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(|u| u.split("-L").next().expect("event").to_owned())
        .collect();
    let timed: Vec<String> = all["deadlines"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|d| d["actor"] == reader.as_str() && !d["due"].is_null())
        .map(|d| d["event"].as_str().expect("event").to_owned())
        .collect();
    assert!(!timed.is_empty());
    assert_eq!(uids, timed);
}

#[test]
fn an_actor_that_is_no_reader_is_a_usage_error_naming_the_readers() {
    let r = bundled();
    let level = r.levels[0].id.to_string();
    // An organisation unit or role that is not a reader, or no actor at all.
    let not_reader = r
        .units
        .iter()
        .map(|u| u.id.clone())
        .find(|id| !r.handbook.readers.contains(id))
        .unwrap_or_else(|| "nobody-at-all".to_owned());
    for role in [not_reader.as_str(), "nobody-at-all", ""] {
        for format in ["table", "json", "ics"] {
            let (code, out, err) = handbook(&[
                "deadlines",
                "--level",
                &level,
                "--discovered",
                AT,
                "--role",
                role,
                "--format",
                format,
            ]);
            assert_eq!(code, 2, "--role {role:?}: {err}");
            assert!(out.is_empty(), "nothing on stdout: {out}");
            assert!(err.contains("is not a reader"), "{err}");
            for reader in &r.handbook.readers {
                assert!(err.contains(reader.as_str()), "names {reader}: {err}");
                let name = r.opt_text_of(r.actor_name(reader)).expect("a name");
                assert!(err.contains(name), "names {name}: {err}");
            }
        }
    }
}

#[test]
fn a_policy_without_readers_refuses_role_and_says_it_declares_none() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nis2");
    let r = common::compiled(&root);
    assert!(
        r.handbook.readers.is_empty(),
        "the NIS 2 example has no readers"
    );
    let level = r.levels[0].id.to_string();
    let actor = r.events[0].actor.clone();
    let (code, out, err) = common::handbook_at(
        &root,
        &[
            "deadlines",
            "--level",
            &level,
            "--discovered",
            AT,
            "--role",
            &actor,
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("declares no readers"), "{err}");
    // Without --role it still prints every deadline.
    let (code, _, err) =
        common::handbook_at(&root, &["deadlines", "--level", &level, "--discovered", AT]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn help_documents_the_flag() {
    let (code, out, _) = handbook(&["deadlines", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--role <ACTOR>"), "{out}");
    assert!(out.contains("readers"), "{out}");
}

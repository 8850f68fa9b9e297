//! The site's JavaScript (`themes/default/static/logic.js`) must compute
//! exactly what the CLI computes. This test produces vectors with the Rust
//! code (every combination of classification answers, partial answers, every
//! level's deadlines with `--at` overrides and day/month/year roll-over,
//! search tokens, time parsing) and runs `tests/js/parity.js` under Node
//! against the compiled data the site ships.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use incident_handbook::commands::load_and_check;
use incident_handbook::ruleset::compile;
use incident_handbook::ruleset::deadlines::{IncidentFacts, compute, format_time, parse_time};
use incident_handbook::site::pages::data_script;
use incident_handbook::site::search::tokenize;
use serde_json::{Value, json};

#[test]
fn javascript_agrees_with_rust() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (loaded, checked) = load_and_check(root).expect("loads");
    let r = compile(&loaded, &checked).expect("compiles");
    let zone = r.zone();
    let c = r.classifier();
    let tree = &r.level_tree;

    let answers_of = |slots: &[Option<usize>]| -> BTreeMap<String, String> {
        slots
            .iter()
            .enumerate()
            .filter_map(|(q, a)| {
                a.map(|a| (c.questions[q].id.clone(), c.questions[q].answers[a].clone()))
            })
            .collect()
    };
    let mut classify = Vec::new();
    for (n, combo) in c.combinations().enumerate() {
        let full: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
        let leaf =
            incident_handbook::ruleset::classify::walk(tree, &c, &combo).and_then(|o| o.level());
        classify.push(
            json!({"answers": answers_of(&full), "outcome": c.evaluate(&full), "tree_level": leaf}),
        );
        // Partial answers: a deterministic mask per combination.
        let partial: Vec<Option<usize>> = full
            .iter()
            .enumerate()
            .map(|(q, a)| if (n >> q) & 1 == 1 { *a } else { None })
            .collect();
        classify.push(json!({"answers": answers_of(&partial), "outcome": c.evaluate(&partial)}));
    }
    classify.push(json!({"answers": {}, "outcome": c.evaluate(&vec![None; c.questions.len()])}));

    let specs = r.event_specs();
    let times = [
        "2026-03-02T09:00",
        "2026-12-31T20:30",
        "2026-12-31T23:59",
        "2028-02-28T23:30",
        "2027-02-28T23:30",
        "2026-06-30T15:30:00Z",
        "2026-01-31T22:15:00+08:00",
    ];
    let condition_sets: [&[&str]; 3] = [
        &[],
        &["support-requested"],
        &["support-requested", "portal-unreachable"],
    ];
    let mut deadlines = Vec::new();
    for level in 1..=4u8 {
        for discovered in times {
            let d = parse_time(discovered, zone).expect("time");
            let at_sets: Vec<BTreeMap<&str, String>> = vec![
                BTreeMap::new(),
                BTreeMap::from([(
                    "report",
                    format_time(&(d + chrono::Duration::minutes(40)), zone),
                )]),
                BTreeMap::from([(
                    "recheck",
                    format_time(&(d + chrono::Duration::minutes(185)), zone),
                )]),
                BTreeMap::from([
                    (
                        "report",
                        format_time(&(d + chrono::Duration::minutes(55)), zone),
                    ),
                    (
                        "review",
                        format_time(&(d + chrono::Duration::minutes(170)), zone),
                    ),
                    (
                        "recheck",
                        format_time(&(d + chrono::Duration::minutes(200)), zone),
                    ),
                    (
                        "recover",
                        format_time(&(d + chrono::Duration::hours(30)), zone),
                    ),
                ]),
                BTreeMap::from([(
                    "intel-received",
                    format_time(&(d - chrono::Duration::minutes(90)), zone),
                )]),
            ];
            for conditions in condition_sets {
                for at in &at_sets {
                    let facts = IncidentFacts {
                        zone,
                        level,
                        discovered: d,
                        conditions: conditions
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<BTreeSet<_>>(),
                        actual: at
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), parse_time(v, zone).expect("time")))
                            .collect(),
                    };
                    let list: Vec<Value> = compute(&specs, &facts)
                        .iter()
                        .map(|x| {
                            json!({
                                "event": x.event,
                                "due": x.due.map(|t| format_time(&t, zone)),
                                "anchor": x.anchor,
                                "within": x.within.label(),
                                "assumed": x.assumed,
                                "kind": x.kind,
                                "actual": x.actual.map(|t| format_time(&t, zone)),
                            })
                        })
                        .collect();
                    deadlines.push(json!({
                        "level": level,
                        "discovered": discovered,
                        "conditions": conditions,
                        "at": at,
                        "deadlines": list,
                    }));
                }
            }
        }
    }

    let samples = [
        "資安事件通報",
        "通報 NCERT 網站",
        "４級事件",
        "36小時內復原",
        "a",
        "國",
        "",
        "ＡＢＣ def-123 資安辦（本會報）",
        "𠀀𠀁 字",
    ];
    let tokenize_vectors: Vec<Value> = samples
        .iter()
        .map(|s| json!({"text": s, "tokens": tokenize(s)}))
        .collect();
    let time_samples = [
        "2026-03-02T09:00",
        "2026-03-02 09:00",
        "2026-03-02T09:00:30",
        "2026-03-02T01:00:00Z",
        "2026-03-02T09:00:00+09:00",
        "2026-02-30T09:00",
        "2026-13-01T09:00",
        "2028-02-29T12:00",
        "2027-02-29T12:00",
        "yesterday",
        "2026-03-02T24:00",
    ];
    let time_vectors: Vec<Value> = time_samples
        .iter()
        .map(|t| json!({"text": t, "formatted": parse_time(t, zone).ok().map(|x| format_time(&x, zone))}))
        .collect();

    let vectors = json!({
        "classify": classify,
        "deadlines": deadlines,
        "tokenize": tokenize_vectors,
        "times": time_vectors,
    });
    let tmp = tempfile::tempdir().expect("tmp");
    let vectors_path = tmp.path().join("vectors.json");
    let data_path = tmp.path().join("data.js");
    std::fs::write(&vectors_path, serde_json::to_vec(&vectors).expect("json")).expect("write");
    std::fs::write(&data_path, data_script(&r)).expect("write");

    let output = Command::new("node")
        .arg(root.join("tests/js/parity.js"))
        .arg(root.join("themes/default/static/logic.js"))
        .arg(&data_path)
        .arg(&vectors_path)
        .output()
        .expect("Node.js runs (the JS parity test needs `node` on PATH)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "JS disagrees with Rust:\n{stdout}\n{stderr}"
    );
    let expected_checks =
        vectors["classify"].as_array().map(Vec::len).unwrap_or(0) + c.combinations().count();
    assert!(
        stdout.contains(&format!(
            "{} passed, 0 failed",
            expected_checks + deadlines_len(&vectors) + samples.len() + time_samples.len()
        )),
        "{stdout}"
    );
}

fn deadlines_len(v: &Value) -> usize {
    v["deadlines"].as_array().map(Vec::len).unwrap_or(0)
}

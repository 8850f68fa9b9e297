//! Deadline vectors for the JS parity tests: one incident through the CLI's
//! own path (`facts_from_options`, then `compute` and `start_times`), with
//! the contradictions `conflicts` finds; and the Node runner.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use incident_handbook::commands::{DeadlineFormat, DeadlinesOptions, facts_from_options};
use incident_handbook::ruleset::Ruleset;
use incident_handbook::ruleset::deadlines::{
    Contradiction, IncidentFacts, compute, conflicts, format_time, parse_time, start_times,
};
use incident_handbook::site::pages::data_script;
use serde_json::{Value, json};

/// One incident as the CLI reads it. `at` maps event ids to times as the
/// user would type them. Panics when the CLI's verdict (refused or not)
/// differs from what `conflicts` says, since that is itself a disagreement.
pub fn deadline_vector(
    r: &Ruleset,
    level: u8,
    discovered: &str,
    support: bool,
    portal_down: bool,
    at: &BTreeMap<String, String>,
) -> Value {
    let zone = r.zone();
    let opts = DeadlinesOptions {
        root: ".".into(),
        level: level.to_string().into(),
        discovered: discovered.into(),
        support,
        portal_down,
        at: at.iter().map(|(e, t)| format!("{e}={t}")).collect(),
        role: None,
        format: DeadlineFormat::Json,
    };
    let specs = r.event_specs();
    // The same facts without the CLI's refusal, to list the contradictions.
    let raw = IncidentFacts {
        zone,
        level: level.to_string().into(),
        discovered: parse_time(discovered, zone).expect("time"),
        discovery: r.handbook.discovery.clone(),
        conditions: [
            (support, "support-requested"),
            (portal_down, "portal-unreachable"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, id)| (*id).to_owned())
        .collect::<BTreeSet<_>>(),
        actual: at
            .iter()
            .map(|(e, t)| (e.clone(), parse_time(t, zone).expect("time")))
            .collect(),
    };
    let found: Vec<Value> = conflicts(&specs, &raw)
        .iter()
        .map(|c| {
            json!({
                "event": c.event,
                "time": format_time(&c.time, zone),
                "relation": match c.relation {
                    Contradiction::Before => "before",
                    Contradiction::After => "after",
                    Contradiction::BeforeDeadline => "before-deadline",
                    Contradiction::AnchorOnTime => "anchor-on-time",
                },
                "other": c.other,
                "other_time": format_time(&c.other_time, zone),
                "deadline": c.deadline.map(|t| format_time(&t, zone)),
            })
        })
        .collect();
    let cli = facts_from_options(r, &opts);
    assert_eq!(
        cli.is_err(),
        !found.is_empty(),
        "the CLI refuses exactly the contradictory inputs: {opts:?} {cli:?}"
    );
    let (list, starts) = match &cli {
        Ok(facts) => (
            compute(&specs, facts)
                .iter()
                .map(|x| {
                    json!({
                        "event": x.event,
                        "due": x.due.map(|t| format_time(&t, zone)),
                        "anchor": x.anchor,
                        "within": x.within.label(),
                        "assumed": x.assumed,
                        "kind": x.kind,
                        "if_anchor_missed": x.if_anchor_missed,
                        "actual": x.actual.map(|t| format_time(&t, zone)),
                    })
                })
                .collect::<Vec<_>>(),
            start_times(&specs, facts)
                .iter()
                .map(|s| {
                    json!({
                        "event": s.event,
                        "time": s.time.map(|t| format_time(&t, zone)),
                        "assumed": s.assumed,
                        "from": s.from,
                    })
                })
                .collect::<Vec<_>>(),
        ),
        Err(_) => (Vec::new(), Vec::new()),
    };
    json!({
        "level": level,
        "discovered": discovered,
        "conditions": raw.conditions,
        "at": at,
        "rejected": cli.is_err(),
        "conflicts": found,
        "deadlines": list,
        "starts": starts,
    })
}

/// The number of comparisons parity.js makes for the deadline vectors:
/// conflicts always, deadlines and start times when the input is accepted.
pub fn deadline_checks(v: &Value) -> usize {
    v["deadlines"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|d| if d["rejected"] == true { 1 } else { 3 })
                .sum()
        })
        .unwrap_or(0)
}

/// Runs parity.js over the vectors against the site's data; its stdout.
pub fn run_node(r: &Ruleset, vectors: &Value) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tmp");
    let vectors_path = tmp.path().join("vectors.json");
    let data_path = tmp.path().join("data.js");
    std::fs::write(&vectors_path, serde_json::to_vec(vectors).expect("json")).expect("write");
    std::fs::write(&data_path, data_script(r)).expect("write");
    let output = Command::new("node")
        .arg(root.join("tests/js/parity.js"))
        .arg(root.join("themes/default/static/logic.js"))
        .arg(&data_path)
        .arg(&vectors_path)
        .output()
        .expect("Node.js runs (the JS parity test needs `node` on PATH)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "JS disagrees with Rust:\n{stdout}\n{stderr}"
    );
    stdout
}

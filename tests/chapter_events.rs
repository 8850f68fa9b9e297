//! Chapter front matter `events = [...]`: the events a chapter explains, which
//! the incident workspace uses to link the chapter for a reader's stage.
//! An unknown id is a located `content-reference` error; known ones reach
//! `data.js` as `chapters: [{url, title, events}]`.

mod common;

use common::{handbook_at, small_site};

fn chapter(root: &std::path::Path, events: &str) {
    std::fs::write(
        root.join("content/stage.md"),
        format!("+++\ntitle = \"Stage\"\nweight = 99\nslug = \"stage\"\nevents = {events}\n+++\n\nText.\n"),
    )
    .expect("write chapter");
}

#[test]
fn an_unknown_event_in_front_matter_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let known = common::bundled().events[1].id.clone();
    chapter(&root, &format!("[\"{known}\", \"no-such-event\"]"));
    let (code, out, err) = handbook_at(&root, &["check", "--format", "json"]);
    assert_eq!(code, 1, "{out}\n{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON diagnostics");
    let text = report.to_string();
    let diagnostics: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    assert_eq!(diagnostics.len(), 1, "exactly one diagnostic: {text}");
    let d = diagnostics[0];
    assert_eq!(d["rule"], "content-reference", "{text}");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("no-such-event")),
        "{text}"
    );
    assert!(text.contains("content/stage.md"), "{text}");
    // Line 5 of the file: `events = [...]`.
    assert!(
        text.contains("\"line\":5"),
        "located at the front matter line: {text}"
    );
}

#[test]
fn known_events_reach_data_js() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let known = common::bundled().events[1].id.clone();
    chapter(&root, &format!("[\"{known}\"]"));
    let out = tmp.path().join("out");
    let (code, stdout, err) = handbook_at(
        &root,
        &["build", "--out", out.to_str().expect("UTF-8 path")],
    );
    assert_eq!(code, 0, "{stdout}\n{err}");
    let data = std::fs::read_to_string(out.join("assets/data.js")).expect("data.js");
    let line = data
        .lines()
        .find(|l| l.starts_with("Object.assign(window.HANDBOOK_DATA, {\"chapters\":"))
        .expect("the incident data in data.js");
    let extra: serde_json::Value = serde_json::from_str(
        line["Object.assign(window.HANDBOOK_DATA, ".len()..].trim_end_matches(");"),
    )
    .expect("incident data JSON");
    let chapters = &extra["chapters"];
    let stage = chapters
        .as_array()
        .and_then(|a| a.iter().find(|c| c["url"] == "chapters/stage.html"))
        .expect("the chapter is listed");
    assert_eq!(stage["events"], serde_json::json!([known]));
}

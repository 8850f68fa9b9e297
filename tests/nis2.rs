//! The second guideline, `examples/nis2`, through the real binary: it is
//! checked clean, builds with the default theme in English (no interface
//! word of the bundled zh-TW handbook leaks into it), says plainly what it
//! lacks, and counts its deadlines across the end of summer time in
//! Brussels as elapsed hours and calendar months.

mod common;

use std::path::Path;

use common::handbook_at;

fn nis2() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/nis2"))
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

#[test]
fn the_nis2_example_checks_clean_and_builds_in_english() {
    let (code, _, err) = handbook_at(nis2(), &["check", "--deny-warnings"]);
    assert_eq!(code, 0, "check: {err}");

    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let out_arg = out.display().to_string();
    let (code, _, err) = handbook_at(nis2(), &["build", "--out", &out_arg]);
    assert_eq!(code, 0, "build: {err}");

    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk the site");
        let path = entry.path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html" | "js" | "vcf" | "ics")
        ) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("UTF-8 output");
        // The theme's scripts are shared by every language and carry no words;
        // everything else the reader sees must be English.
        if path.ends_with("handbook.js") || path.ends_with("logic.js") {
            continue;
        }
        if let Some(c) = text.chars().find(|c| is_cjk(*c)) {
            panic!(
                "{} shows `{c}`: a zh-TW word in the English site",
                path.display()
            );
        }
        if path.extension().is_some_and(|e| e == "html") {
            pages += 1;
            assert!(
                text.contains("<html lang=\"en\""),
                "{} is not lang=en",
                path.display()
            );
        }
    }
    assert!(pages > 20, "only {pages} pages were built");

    // The policy names no competent authorities: the page says so instead
    // of showing an empty table.
    let agencies = std::fs::read_to_string(out.join("agencies.html")).expect("agencies page");
    assert!(
        agencies.contains("This policy lists no competent authorities."),
        "{agencies}"
    );
    assert!(!agencies.contains("<table"), "an empty table: {agencies}");
}

#[test]
fn nis2_deadlines_cross_the_end_of_summer_time_in_brussels() {
    // 01:30 on 25 October 2026 is summer time (+02:00); clocks go back at
    // 03:00 that night, so 24 elapsed hours later the clock shows 00:30.
    let (code, json, err) = handbook_at(
        nis2(),
        &[
            "deadlines",
            "--level",
            "significant",
            "--discovered",
            "2026-10-25T01:30",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "deadlines: {err}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("deadlines JSON");
    assert_eq!(v["discovered"], "2026-10-25T01:30:00+02:00");
    let due = |event: &str| {
        v["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .find(|d| d["event"] == event)
            .and_then(|d| d["due"].as_str())
            .unwrap_or_else(|| panic!("no due time for {event}: {json}"))
            .to_owned()
    };
    assert_eq!(due("early-warning"), "2026-10-26T00:30:00+01:00");
    assert_eq!(due("notification"), "2026-10-28T00:30:00+01:00");
    // One calendar month after the notification, same wall-clock time.
    assert_eq!(due("final-report"), "2026-11-28T00:30:00+01:00");

    // A local time the clock shows twice that night is refused, not guessed.
    let (code, _, err) = handbook_at(
        nis2(),
        &[
            "deadlines",
            "--level",
            "significant",
            "--discovered",
            "2026-10-25T02:30",
        ],
    );
    assert_eq!(code, 2, "an ambiguous time must be refused: {err}");
    assert!(err.contains("+02:00") && err.contains("+01:00"), "{err}");
}

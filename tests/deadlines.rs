//! Deadline arithmetic over the bundled policy: every level, `--at`
//! overrides, assumed chaining, and day/month/year roll-over. Also drives the
//! real binary for the JSON and ICS formats.

mod common;
use common::{bundled, handbook};

use incident_handbook::commands::{DeadlineFormat, DeadlinesOptions, facts_from_options};
use incident_handbook::ruleset::Ruleset;
use incident_handbook::ruleset::deadlines::{DueTime, compute, format_time};

fn run(r: &Ruleset, level: u8, discovered: &str, support: bool, at: &[&str]) -> Vec<DueTime> {
    let opts = DeadlinesOptions {
        root: ".".into(),
        level,
        discovered: discovered.into(),
        support,
        portal_down: false,
        at: at.iter().map(|s| s.to_string()).collect(),
        format: DeadlineFormat::Json,
    };
    let facts = facts_from_options(r, &opts).expect("valid options");
    compute(&r.event_specs(), &facts)
}

fn due(r: &Ruleset, list: &[DueTime], event: &str) -> Option<String> {
    list.iter()
        .find(|d| d.event == event)
        .unwrap_or_else(|| panic!("no deadline for {event}"))
        .due
        .map(|t| format_time(&t, r.zone()))
}

fn has(list: &[DueTime], event: &str) -> bool {
    list.iter().any(|d| d.event == event)
}

#[test]
fn every_level_gets_the_guideline_hours() {
    let r = bundled();
    // (level, review after report, recovery after discovery, support after re-check)
    let table = [(4, 1, 36, 1), (3, 1, 36, 1), (2, 8, 72, 2), (1, 8, 72, 2)];
    for (level, review_h, recover_h, support_h) in table {
        let list = run(
            &r,
            level,
            "2026-03-02T09:00",
            true,
            &["recheck=2026-03-02T12:00"],
        );
        assert_eq!(
            due(&r, &list, "report").as_deref(),
            Some("2026-03-02T10:00:00+08:00"),
            "level {level}"
        );
        let review = format!("2026-03-02T{:02}:00:00+08:00", 10 + review_h);
        assert_eq!(due(&r, &list, "review"), Some(review), "level {level}");
        let recover = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|t| t + chrono::Duration::hours(recover_h))
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S+08:00").to_string());
        assert_eq!(due(&r, &list, "recover"), recover, "level {level}");
        let support = format!("2026-03-02T{:02}:00:00+08:00", 12 + support_h);
        assert_eq!(due(&r, &list, "support"), Some(support), "level {level}");
        assert_eq!(
            has(&list, "level-review"),
            level >= 3,
            "level-review only for levels 3-4"
        );
    }
}

#[test]
fn forward_is_immediate_and_office_may_recheck_when_review_is_late() {
    let r = bundled();
    let list = run(
        &r,
        2,
        "2026-03-02T09:00",
        false,
        &["report=2026-03-02T09:20"],
    );
    assert_eq!(
        due(&r, &list, "forward").as_deref(),
        Some("2026-03-02T09:20:00+08:00")
    );
    assert_eq!(
        due(&r, &list, "review").as_deref(),
        Some("2026-03-02T17:20:00+08:00")
    );
    assert_eq!(
        due(&r, &list, "recheck-direct").as_deref(),
        Some("2026-03-02T17:20:00+08:00")
    );
}

#[test]
fn at_moves_later_deadlines_and_clears_assumed() {
    let r = bundled();
    let without = run(&r, 3, "2026-03-02T09:00", false, &[]);
    let review = without
        .iter()
        .find(|d| d.event == "review")
        .expect("review");
    assert!(
        review.assumed,
        "review chains from the report deadline when the report time is unknown"
    );
    assert_eq!(
        due(&r, &without, "review").as_deref(),
        Some("2026-03-02T11:00:00+08:00")
    );

    let with = run(
        &r,
        3,
        "2026-03-02T09:00",
        false,
        &["report=2026-03-02T09:15"],
    );
    let review = with.iter().find(|d| d.event == "review").expect("review");
    assert!(!review.assumed);
    assert_eq!(
        due(&r, &with, "review").as_deref(),
        Some("2026-03-02T10:15:00+08:00")
    );
    // Recovery counts from discovery, not from the report.
    assert_eq!(
        due(&r, &with, "recover").as_deref(),
        Some("2026-03-03T21:00:00+08:00")
    );
}

#[test]
fn support_is_null_without_a_recheck_time_and_absent_without_a_request() {
    let r = bundled();
    let requested = run(&r, 4, "2026-03-02T09:00", true, &[]);
    assert_eq!(
        due(&r, &requested, "support"),
        None,
        "re-check has no deadline, so support has none"
    );
    let not_requested = run(&r, 4, "2026-03-02T09:00", false, &[]);
    assert!(!has(&not_requested, "support"));
}

#[test]
fn day_month_and_year_roll_over() {
    let r = bundled();
    // (level, discovered, event, expected due)
    let cases = [
        // Year: level 2 discovered on New Year's Eve.
        (2, "2026-12-31T20:30", "report", "2026-12-31T21:30:00+08:00"),
        (2, "2026-12-31T20:30", "review", "2027-01-01T05:30:00+08:00"),
        (
            2,
            "2026-12-31T20:30",
            "recover",
            "2027-01-03T20:30:00+08:00",
        ),
        // Month, leap year: 28 February 2028.
        (4, "2028-02-28T23:30", "report", "2028-02-29T00:30:00+08:00"),
        (
            4,
            "2028-02-28T23:30",
            "recover",
            "2028-03-01T11:30:00+08:00",
        ),
        // Month, common year.
        (
            1,
            "2027-02-28T23:30",
            "recover",
            "2027-03-03T23:30:00+08:00",
        ),
        // An RFC 3339 time in UTC is shown at +08:00 and crosses the date line.
        (
            3,
            "2026-06-30T15:30:00Z",
            "report",
            "2026-07-01T00:30:00+08:00",
        ),
        (
            3,
            "2026-06-30T15:30:00Z",
            "review",
            "2026-07-01T01:30:00+08:00",
        ),
    ];
    for (level, discovered, event, expected) in cases {
        let list = run(&r, level, discovered, false, &[]);
        assert_eq!(
            due(&r, &list, event).as_deref(),
            Some(expected),
            "level {level}, discovered {discovered}, {event}"
        );
    }
}

#[test]
fn national_security_flow_appears_only_with_its_start_time() {
    let r = bundled();
    let plain = run(&r, 4, "2026-03-02T09:00", false, &[]);
    assert!(!has(&plain, "taskforce"));
    let with = run(
        &r,
        4,
        "2026-03-02T09:00",
        false,
        &["intel-received=2026-03-02T08:00"],
    );
    assert_eq!(
        due(&r, &with, "taskforce").as_deref(),
        Some("2026-03-02T14:00:00+08:00")
    );
    assert_eq!(
        due(&r, &with, "security-meeting").as_deref(),
        Some("2026-03-02T12:00:00+08:00")
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let (code, out, err) = handbook(&[
        "deadlines",
        "--level",
        "3",
        "--discovered",
        "2026-03-02T09:00",
        "--support",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["level"], 3);
    assert_eq!(v["discovered"], "2026-03-02T09:00:00+08:00");
    let list = v["deadlines"].as_array().expect("array");
    let report = list
        .iter()
        .find(|d| d["event"] == "report")
        .expect("report");
    for key in [
        "event", "actor", "due", "anchor", "within", "assumed", "source",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    assert_eq!(report["due"], "2026-03-02T10:00:00+08:00");
    assert_eq!(report["assumed"], false);
    let support = list
        .iter()
        .find(|d| d["event"] == "support")
        .expect("support");
    assert!(support["due"].is_null());
    assert!(!out.contains("CST"), "never a zone abbreviation");
}

#[test]
fn ics_output_is_a_valid_calendar() {
    let (code, out, err) = handbook(&[
        "deadlines",
        "--level",
        "4",
        "--discovered",
        "2026-03-02T09:00",
        "--format",
        "ics",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(out.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        out.matches("BEGIN:VEVENT").count(),
        out.matches("END:VEVENT").count()
    );
    // report due 10:00 at +08:00 is 02:00 UTC.
    assert!(out.contains("DTSTART:20260302T020000Z"), "{out}");
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line}");
    }
    assert!(!out.contains("CST"));
}

#[test]
fn bad_deadline_arguments_are_usage_errors() {
    for args in [
        vec![
            "deadlines",
            "--level",
            "5",
            "--discovered",
            "2026-03-02T09:00",
        ],
        vec![
            "deadlines",
            "--level",
            "3",
            "--discovered",
            "2026-02-30T09:00",
        ],
        vec![
            "deadlines",
            "--level",
            "3",
            "--discovered",
            "2026-03-02T09:00",
            "--at",
            "reprot=2026-03-02T09:10",
        ],
        vec![
            "deadlines",
            "--level",
            "3",
            "--discovered",
            "2026-03-02T09:00",
            "--at",
            "report",
        ],
        vec!["deadlines", "--level", "3"],
    ] {
        let (code, _, err) = handbook(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

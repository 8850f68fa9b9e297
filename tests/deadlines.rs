//! Deadline arithmetic over the bundled policy: every level, `--at`
//! overrides, assumed chaining, and day/month/year roll-over. Also drives the
//! real binary for the JSON and ICS formats.

mod common;
#[path = "deadlines/edition.rs"]
mod edition;
#[path = "deadlines/missed_anchor.rs"]
mod missed_anchor;
#[path = "deadlines/table_text.rs"]
mod table_text;
use common::{bundled, handbook};

use incident_handbook::commands::{DeadlineFormat, DeadlinesOptions, facts_from_options};
use incident_handbook::ruleset::Ruleset;
use incident_handbook::ruleset::deadlines::{DueTime, compute, format_time};

fn run(r: &Ruleset, level: u8, discovered: &str, support: bool, at: &[&str]) -> Vec<DueTime> {
    let opts = DeadlinesOptions {
        root: ".".into(),
        level: level.to_string().into(),
        discovered: discovered.into(),
        support,
        portal_down: false,
        at: at.iter().map(|s| s.to_string()).collect(),
        role: None,
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
    assert!(
        !has(&plain, "security-meeting"),
        "the meeting waits for the task force, which this incident does not have"
    );
    let with = run(
        &r,
        4,
        "2026-03-02T09:00",
        false,
        &[
            "intel-received=2026-03-02T08:00",
            "intel-analysed=2026-03-02T08:30",
        ],
    );
    // §3.4: six hours after the initial analysis, not after the intelligence.
    assert_eq!(
        due(&r, &with, "taskforce").as_deref(),
        Some("2026-03-02T14:30:00+08:00")
    );
    // §3.4: four hours after the incident happened; unknown, so after the
    // discovery, and marked assumed.
    let meeting = with
        .iter()
        .find(|d| d.event == "security-meeting")
        .expect("meeting");
    assert_eq!(
        due(&r, &with, "security-meeting").as_deref(),
        Some("2026-03-02T13:00:00+08:00")
    );
    assert!(meeting.assumed, "the occurrence time was not given");
}

#[test]
fn the_protection_meeting_counts_from_the_occurrence_and_the_task_force_waits_for_the_analysis() {
    let r = bundled();
    let list = run(
        &r,
        4,
        "2026-03-02T09:00",
        false,
        &[
            "occurred=2026-03-02T03:10",
            "intel-received=2026-03-02T08:00",
        ],
    );
    let meeting = list
        .iter()
        .find(|d| d.event == "security-meeting")
        .expect("meeting");
    assert_eq!(
        due(&r, &list, "security-meeting").as_deref(),
        Some("2026-03-02T07:10:00+08:00")
    );
    assert!(!meeting.assumed);
    assert_eq!(
        due(&r, &list, "taskforce"),
        None,
        "the initial analysis has no time limit, so without its time the task force has none"
    );
}

#[test]
fn a_late_review_gives_the_right_from_the_review_deadline_and_an_on_time_one_none() {
    let r = bundled();
    // Level 4: reported 03:30, review due 04:30, done late at 07:00.
    let late = run(
        &r,
        4,
        "2026-03-02T03:00",
        false,
        &["report=2026-03-02T03:30", "review=2026-03-02T07:00"],
    );
    let right = late
        .iter()
        .find(|d| d.event == "recheck-direct")
        .expect("the right arises");
    assert_eq!(
        due(&r, &late, "recheck-direct").as_deref(),
        Some("2026-03-02T04:30:00+08:00"),
        "from the review deadline, not from 07:00"
    );
    assert!(right.if_anchor_missed && !right.assumed);
    // Not done yet: the same.
    let pending = run(
        &r,
        4,
        "2026-03-02T03:00",
        false,
        &["report=2026-03-02T03:30"],
    );
    assert_eq!(
        due(&r, &pending, "recheck-direct").as_deref(),
        Some("2026-03-02T04:30:00+08:00")
    );
    // On time (even at the last minute): no right at all.
    for done in ["2026-03-02T04:00", "2026-03-02T04:30"] {
        let review = format!("review={done}");
        let on_time = run(
            &r,
            4,
            "2026-03-02T03:00",
            false,
            &["report=2026-03-02T03:30", &review],
        );
        assert!(!has(&on_time, "recheck-direct"), "review at {done}");
        assert!(has(&on_time, "recheck"));
    }
}

#[test]
fn support_after_a_direct_recheck_counts_from_it() {
    let r = bundled();
    for (level, hours) in [(4, 1), (2, 2)] {
        let list = run(
            &r,
            level,
            "2026-03-02T03:00",
            true,
            &["report=2026-03-02T03:30", "recheck-direct=2026-03-02T20:00"],
        );
        assert_eq!(
            due(&r, &list, "support"),
            Some(format!("2026-03-02T2{hours}:00:00+08:00")),
            "level {level}: §3.3(二) still applies after a direct re-check"
        );
    }
}

#[test]
fn contradictory_times_are_refused_by_the_cli() {
    for (at, names) in [
        // The review before the report it reviews.
        (
            vec!["report=2026-03-02T09:30", "review=2026-03-02T09:10"],
            ["2026-03-02T09:10:00+08:00", "2026-03-02T09:30:00+08:00"],
        ),
        // Anything before discovery, here with no report time given.
        (
            vec!["review=2026-03-02T08:00"],
            ["2026-03-02T08:00:00+08:00", "2026-03-02T09:00:00+08:00"],
        ),
        // An occurrence after the discovery.
        (
            vec!["occurred=2026-03-02T09:01"],
            ["2026-03-02T09:01:00+08:00", "2026-03-02T09:00:00+08:00"],
        ),
        // The initial analysis before the intelligence it analyses.
        (
            vec![
                "intel-received=2026-03-02T10:00",
                "intel-analysed=2026-03-02T09:30",
            ],
            ["2026-03-02T09:30:00+08:00", "2026-03-02T10:00:00+08:00"],
        ),
    ] {
        let mut args = vec![
            "deadlines",
            "--level",
            "4",
            "--discovered",
            "2026-03-02T09:00",
        ];
        for a in &at {
            args.push("--at");
            args.push(a);
        }
        let (code, out, err) = handbook(&args);
        assert_eq!(code, 2, "{at:?}: {err}");
        assert!(out.is_empty(), "no result is printed: {out}");
        for t in names {
            assert!(err.contains(t), "the message names both times ({t}): {err}");
        }
        assert!(err.contains("contradict"), "{err}");
    }
    // A direct re-check before the late review is not a contradiction.
    let (code, _, err) = handbook(&[
        "deadlines",
        "--level",
        "4",
        "--discovered",
        "2026-03-02T03:00",
        "--at",
        "report=2026-03-02T03:30",
        "--at",
        "recheck-direct=2026-03-02T05:00",
        "--at",
        "review=2026-03-02T07:00",
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_binary_shows_the_direct_recheck_from_the_review_deadline() {
    let base = [
        "deadlines",
        "--level",
        "4",
        "--discovered",
        "2026-03-02T03:00",
        "--at",
        "report=2026-03-02T03:30",
    ];
    let late: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--at", "review=2026-03-02T07:00", "--format", "json"])
        .collect();
    let (code, out, err) = handbook(&late);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let right = v["deadlines"]
        .as_array()
        .and_then(|l| l.iter().find(|d| d["event"] == "recheck-direct"))
        .expect("the right is listed");
    assert_eq!(right["due"], "2026-03-02T04:30:00+08:00");
    assert_eq!(right["kind"], "right");
    assert_eq!(right["if_anchor_missed"], true);
    // The table says from when, and from what.
    let table: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--at", "review=2026-03-02T07:00"])
        .collect();
    let (code, out, _) = handbook(&table);
    assert_eq!(code, 0);
    let row = out
        .lines()
        .find(|l| l.starts_with("recheck-direct"))
        .expect("row");
    assert!(row.contains("from 2026-03-02T04:30:00+08:00"), "{row}");
    assert!(row.contains("review deadline, missed"), "{row}");
    assert!(!out.contains("from 2026-03-02T07:00"), "{out}");
    // The calendar starts the right at 04:30 (20:30 UTC the day before).
    let ics: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--at", "review=2026-03-02T07:00", "--format", "ics"])
        .collect();
    let (_, out, _) = handbook(&ics);
    assert!(out.contains("UID:recheck-direct-L4"), "{out}");
    assert!(out.contains("DTSTART:20260301T203000Z"), "{out}");
    // On time: no right, in any format.
    for format in ["table", "json", "ics"] {
        let on_time: Vec<&str> = base
            .iter()
            .copied()
            .chain(["--at", "review=2026-03-02T04:10", "--format", format])
            .collect();
        let (code, out, err) = handbook(&on_time);
        assert_eq!(code, 0, "{err}");
        assert!(!out.contains("recheck-direct"), "{format}: {out}");
    }
}

#[test]
fn outputs_name_the_encoded_text_and_the_later_rules() {
    let (code, out, _) = handbook(&[
        "deadlines",
        "--level",
        "3",
        "--discovered",
        "2026-03-02T09:00",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        v["edition"]["title"]["zh-TW"],
        "國家資通安全通報應變作業綱要"
    );
    assert!(
        v["edition"]["date"].is_null(),
        "the seed copy carries no date"
    );
    assert!(v["edition"]["undated"]["zh-TW"].is_string());
    let later: Vec<&str> = v["edition"]["later"]
        .as_array()
        .expect("later rules")
        .iter()
        .filter_map(|l| l["name"]["zh-TW"].as_str())
        .collect();
    assert_eq!(later, ["資通安全管理法", "資通安全事件通報及應變辦法"]);
    let starts = v["starts"].as_array().expect("starts");
    let occurred = starts
        .iter()
        .find(|s| s["event"] == "occurred")
        .expect("occurred");
    assert_eq!(occurred["time"], "2026-03-02T09:00:00+08:00");
    assert_eq!(occurred["assumed"], true);
    assert_eq!(occurred["from"], "discovered");
    let (_, table, _) = handbook(&[
        "deadlines",
        "--level",
        "3",
        "--discovered",
        "2026-03-02T09:00",
    ]);
    assert!(
        table.contains("國家資通安全通報應變作業綱要 (the copy encoded carries no date)"),
        "{table}"
    );
    assert!(table.contains("資通安全管理法 (since 2019)"), "{table}");
    let (code, compiled, _) = handbook(&["compile"]);
    assert_eq!(code, 0);
    let c: serde_json::Value = serde_json::from_str(&compiled).expect("json");
    assert_eq!(c["meta"]["edition"], v["edition"]);
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
    assert_eq!(v["level"], "3", "level ids are strings in JSON");
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

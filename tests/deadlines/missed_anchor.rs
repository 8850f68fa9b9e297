//! A right that arises only when its anchor misses its deadline (§3.3(一):
//! the office's direct re-check when the review is not done in time) through
//! the real binary: given before that deadline, or after an on-time review,
//! it is a contradiction (exit 2, both times named); against a deadline that
//! is only assumed it is accepted, as `compute` cannot decide either.

use super::common::handbook;

/// `handbook deadlines --level LEVEL --discovered 2026-03-01T02:30 --support`
/// with the given `--at` pairs.
fn deadlines(level: &str, at: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "deadlines",
        "--level",
        level,
        "--discovered",
        "2026-03-01T02:30",
        "--support",
    ];
    for a in at {
        args.push("--at");
        args.push(a);
    }
    handbook(&args)
}

fn assert_refused(level: &str, at: &[&str], times: &[&str]) {
    let (code, out, err) = deadlines(level, at);
    assert_eq!(code, 2, "level {level} {at:?}: {err}\n{out}");
    assert!(out.is_empty(), "no result is printed: {out}");
    assert!(err.contains("contradict"), "{err}");
    assert!(err.contains("`recheck-direct`"), "{err}");
    assert!(err.contains("`review`"), "{err}");
    for t in times {
        assert!(err.contains(t), "the message names {t}: {err}");
    }
}

#[test]
fn a_direct_recheck_before_the_review_deadline_is_refused() {
    // Level 1: the review is due 8 h after the report (03:00), at 11:00; the
    // right exists only from then.
    assert_refused(
        "1",
        &["report=2026-03-01T03:00", "recheck-direct=2026-03-01T09:00"],
        &["2026-03-01T09:00:00+08:00", "2026-03-01T11:00:00+08:00"],
    );
    // Also with a late review given: the right still arose at 11:00.
    assert_refused(
        "1",
        &[
            "report=2026-03-01T03:00",
            "review=2026-03-01T12:00",
            "recheck-direct=2026-03-01T10:59",
        ],
        &["2026-03-01T10:59:00+08:00", "2026-03-01T11:00:00+08:00"],
    );
    // Level 4: due 1 h after the report.
    assert_refused(
        "4",
        &["report=2026-03-01T03:00", "recheck-direct=2026-03-01T03:59"],
        &["2026-03-01T03:59:00+08:00", "2026-03-01T04:00:00+08:00"],
    );
}

#[test]
fn a_direct_recheck_after_an_on_time_review_is_refused() {
    // The review at 10:00 met its 11:00 deadline: the right never arose.
    assert_refused(
        "1",
        &[
            "report=2026-03-01T03:00",
            "review=2026-03-01T10:00",
            "recheck-direct=2026-03-01T12:00",
        ],
        &[
            "2026-03-01T12:00:00+08:00",
            "2026-03-01T10:00:00+08:00",
            "2026-03-01T11:00:00+08:00",
        ],
    );
    // Done exactly at the deadline is on time.
    assert_refused(
        "1",
        &[
            "report=2026-03-01T03:00",
            "review=2026-03-01T11:00",
            "recheck-direct=2026-03-01T11:30",
        ],
        &["2026-03-01T11:30:00+08:00", "2026-03-01T11:00:00+08:00"],
    );
}

#[test]
fn a_direct_recheck_from_the_missed_deadline_on_is_accepted() {
    for at in [
        // At the deadline, the review not done.
        &["report=2026-03-01T03:00", "recheck-direct=2026-03-01T11:00"][..],
        // Between the missed deadline and the late review.
        &[
            "report=2026-03-01T03:00",
            "review=2026-03-01T13:00",
            "recheck-direct=2026-03-01T12:00",
        ][..],
    ] {
        let (code, out, err) = deadlines("1", at);
        assert_eq!(code, 0, "{at:?}: {err}");
        let line = out
            .lines()
            .find(|l| l.starts_with("recheck-direct"))
            .unwrap_or_default();
        assert!(
            line.contains("from 2026-03-01T11:00:00+08:00"),
            "counted from the review deadline: {out}"
        );
    }
}

#[test]
fn against_an_assumed_review_deadline_nothing_is_decidable() {
    // No report time: the review deadline is at the latest 11:30 (report at
    // its own deadline, 03:30), and may be earlier. A right given before it
    // is possible, so it is listed against the assumed deadline.
    let (code, out, err) = deadlines("1", &["recheck-direct=2026-03-01T11:00"]);
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("recheck-direct"))
        .unwrap_or_default();
    assert!(
        line.contains("from 2026-03-01T11:30:00+08:00*") && line.contains("done 2026-03-01T11:00"),
        "{out}"
    );
    // A review done by the assumed deadline may still have been late: the
    // right is listed with no time, and a given one is not refused.
    let (code, out, err) = deadlines(
        "1",
        &["review=2026-03-01T11:00", "recheck-direct=2026-03-01T11:10"],
    );
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("recheck-direct"))
        .unwrap_or_default();
    assert!(line.contains("- (done 2026-03-01T11:10"), "{out}");
}

#[test]
fn json_and_ics_refuse_the_same_inputs() {
    for format in ["json", "ics"] {
        let (code, out, err) = handbook(&[
            "deadlines",
            "--level",
            "1",
            "--discovered",
            "2026-03-01T02:30",
            "--at",
            "report=2026-03-01T03:00",
            "--at",
            "recheck-direct=2026-03-01T09:00",
            "--format",
            format,
        ]);
        assert_eq!(code, 2, "{format}: {err}");
        assert!(out.is_empty(), "{format}: {out}");
        assert!(err.contains("2026-03-01T11:00:00+08:00"), "{format}: {err}");
    }
}

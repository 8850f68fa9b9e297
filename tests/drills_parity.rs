//! The drills page's helper (`themes/default/static/drills.js`) must give
//! exactly the report due times `ruleset::drills` gives, which the page's
//! worked examples and year blocks print. This test produces vectors with
//! the Rust code, for every report of every bundled drill and for a report
//! of every rule kind (days, weeks, months, hours, minutes, at once,
//! unspecified, yearly dates at a month's end and on 29 February, both
//! rules at once), on dates around month and year ends, a leap day and the
//! 2026 daylight-saving changes, with and without a start time, in
//! Asia/Taipei and Europe/Brussels, and runs `tests/js/drills_parity.js`
//! under Node against them. The rules go to the script as the page carries
//! them (`{"within": ..., "by": ...}` from the compiled rule set).

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{Datelike, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use incident_handbook::ruleset::deadlines::Within;
use incident_handbook::ruleset::drills::{DrillHeld, ReportDue};
use incident_handbook::ruleset::{DrillReport, MonthDay};
use serde_json::{Value, json};

fn report(within: Option<Within>, by: Option<MonthDay>) -> DrillReport {
    DrillReport {
        text: Default::default(),
        to: "someone".into(),
        within,
        by,
        source: "1".into(),
    }
}

fn end_of(month: u32) -> MonthDay {
    MonthDay { month, day: None }
}

/// The rules: the bundled drills' reports, then one of every kind.
fn rules() -> Vec<DrillReport> {
    let bundled: Vec<DrillReport> = common::bundled()
        .drills
        .iter()
        .flat_map(|d| d.report.clone())
        .collect();
    assert!(
        bundled.len() >= 2,
        "the bundled drills have reports to compare"
    );
    let leap_day = MonthDay {
        month: 2,
        day: Some(29),
    };
    let new_year = MonthDay {
        month: 1,
        day: Some(1),
    };
    bundled
        .into_iter()
        .chain([
            report(Some(Within::Days(14)), None),
            report(Some(Within::Days(1)), None),
            report(Some(Within::Days(366)), None),
            report(Some(Within::Months(1)), None),
            report(Some(Within::Months(12)), None),
            report(Some(Within::Minutes(60)), None),
            report(Some(Within::Minutes(36 * 60)), None),
            report(Some(Within::Minutes(30)), None),
            report(Some(Within::Immediately), None),
            report(Some(Within::Unspecified), None),
            report(None, Some(end_of(2))),
            report(None, Some(leap_day)),
            report(None, Some(end_of(10))),
            report(None, Some(new_year)),
            report(Some(Within::Days(14)), Some(end_of(10))),
        ])
        .collect()
}

fn dates() -> Vec<NaiveDate> {
    [
        (2026, 1, 1),
        (2026, 1, 31),
        (2026, 2, 28),
        (2026, 3, 29),
        (2026, 4, 30),
        (2026, 9, 30),
        (2026, 10, 25),
        (2026, 10, 31),
        (2026, 11, 1),
        (2026, 12, 18),
        (2026, 12, 31),
        (2027, 2, 28),
        (2028, 1, 31),
        (2028, 2, 29),
        (2028, 12, 31),
    ]
    .iter()
    .map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d).expect("a date"))
    .collect()
}

/// A due time as `drills.js` returns it.
fn due_json(due: ReportDue) -> Value {
    match due {
        ReportDue::On(d) => json!({"kind": "on", "date": d.format("%Y-%m-%d").to_string()}),
        ReportDue::At(t) => json!({"kind": "at", "time": t.format("%Y-%m-%dT%H:%M").to_string()}),
        ReportDue::NeedsTime => json!({"kind": "needs-time"}),
        ReportDue::TimeNotOnClock => json!({"kind": "not-on-clock"}),
        ReportDue::Unspecified => json!({"kind": "unspecified"}),
    }
}

fn vectors() -> Value {
    let zones: [Tz; 2] = [chrono_tz::Asia::Taipei, chrono_tz::Europe::Brussels];
    // 02:30 is shown twice in Brussels on 25 October 2026 and skipped on 29
    // March 2026; 23:30 crosses midnight with an hour's rule.
    let times = ["", "00:00", "02:30", "09:00", "23:30"];
    let mut dues = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for zone in zones {
        for rule in rules() {
            for date in dates() {
                for time in times {
                    let held = DrillHeld {
                        date,
                        time: (!time.is_empty())
                            .then(|| NaiveTime::parse_from_str(time, "%H:%M").expect("a time")),
                    };
                    let expected: Vec<Value> =
                        rule.dues(held, zone).into_iter().map(due_json).collect();
                    for e in &expected {
                        kinds.insert(e["kind"].as_str().expect("a kind").to_owned());
                    }
                    dues.push(json!({
                        "zone": zone.name(),
                        "rule": {"within": rule.within, "by": rule.by},
                        "date": date.format("%Y-%m-%d").to_string(),
                        "time": time,
                        "expected": expected,
                    }));
                }
            }
        }
    }
    // Every kind of answer is compared, or the test proves less than it says.
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["at", "needs-time", "not-on-clock", "on", "unspecified"]
    );

    let mut yearly = Vec::new();
    let bundled = common::bundled();
    let month_days = bundled
        .drills
        .iter()
        .flat_map(|d| {
            d.due
                .iter()
                .map(|x| x.month_day())
                .chain(d.report.iter().filter_map(|x| x.by))
        })
        .chain((1..=12).map(end_of))
        .chain([MonthDay {
            month: 2,
            day: Some(29),
        }]);
    for by in month_days {
        for year in 2026..=2029 {
            let date = by.date_in(year).expect("a date");
            yearly.push(
                json!({"by": by, "year": year, "expected": date.format("%Y-%m-%d").to_string()}),
            );
        }
    }
    let weekdays: Vec<Value> = dates()
        .into_iter()
        .flat_map(|d| (0..7).map(move |n| d + chrono::Duration::days(n)))
        .map(|d| json!({"date": d.format("%Y-%m-%d").to_string(), "expected": d.weekday().num_days_from_sunday()}))
        .collect();
    json!({
        "dues": dues,
        "yearly": yearly,
        "weekdays": weekdays,
        "not_dates": ["", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026-1-1", "2026-01-01T09:00"],
    })
}

#[test]
fn the_drill_helper_agrees_with_rust() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("vectors.json");
    let v = vectors();
    let cases = v["dues"].as_array().map_or(0, Vec::len);
    std::fs::write(&path, serde_json::to_vec(&v).expect("json")).expect("write");
    let output = Command::new("node")
        .arg(root.join("tests/js/drills_parity.js"))
        .arg(root.join("themes/default/static/logic.js"))
        .arg(root.join("themes/default/static/drills.js"))
        .arg(&path)
        .output()
        .expect("Node.js runs (the drills parity test needs `node` on PATH)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "drills.js disagrees with ruleset::drills:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let agreed: usize = stdout
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count of agreements");
    assert!(
        agreed >= cases,
        "only {agreed} agreed of {cases} due-time cases"
    );
}

//! Unit tests of durations, times and `compute` on small synthetic graphs.

use super::*;

/// The discovery event of these hand-made specs.
const DISCOVERY_EVENT: &str = "discovered";

#[test]
fn parses_local_and_rfc3339_times() {
    let tz = chrono_tz::Asia::Taipei;
    let a = parse_time("2026-03-01T09:00", tz).map(|t| format_time(&t, tz));
    assert_eq!(a, Ok("2026-03-01T09:00:00+08:00".to_owned()));
    let b = parse_time("2026-03-01T01:00:00Z", tz).map(|t| format_time(&t, tz));
    assert_eq!(b, Ok("2026-03-01T09:00:00+08:00".to_owned()));
    assert!(parse_time("2026-02-30T09:00", tz).is_err());
    assert!(parse_time("yesterday", tz).is_err());
}

const BRUSSELS: Tz = chrono_tz::Europe::Brussels;

fn brussels(text: &str) -> DateTime<FixedOffset> {
    parse_time(text, BRUSSELS).expect("time")
}

fn step(within: &str, from: &str) -> String {
    let w = parse_within(within).expect("duration");
    let due = w.after(brussels(from), BRUSSELS).expect("in range");
    format_time(&due, BRUSSELS)
}

#[test]
fn formats_with_the_offset_valid_at_the_instant() {
    assert_eq!(
        format_time(&brussels("2026-07-01T12:00"), BRUSSELS),
        "2026-07-01T12:00:00+02:00"
    );
    assert_eq!(
        format_time(&brussels("2026-12-01T12:00"), BRUSSELS),
        "2026-12-01T12:00:00+01:00"
    );
}

#[test]
fn an_ambiguous_or_skipped_local_time_is_refused_naming_the_offsets() {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    let twice = parse_time("2026-10-25T02:30", BRUSSELS).expect_err("ambiguous");
    assert!(twice.contains("ambiguous"), "{twice}");
    assert!(twice.contains("2026-10-25T02:30:00+02:00"), "{twice}");
    assert!(twice.contains("2026-10-25T02:30:00+01:00"), "{twice}");
    // 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 never happens.
    let never = parse_time("2026-03-29T02:30", BRUSSELS).expect_err("gap");
    assert!(
        never.contains("from 02:00 (+01:00) to 03:00 (+02:00)"),
        "{never}"
    );
    // Either reading can be written with its offset; 01:30 is plain.
    assert_eq!(
        format_time(&brussels("2026-10-25T02:30:00+01:00"), BRUSSELS),
        "2026-10-25T02:30:00+01:00"
    );
    assert_eq!(
        format_time(&brussels("2026-10-25T01:30"), BRUSSELS),
        "2026-10-25T01:30:00+02:00"
    );
}

#[test]
fn hours_are_elapsed_and_days_are_calendar_steps_across_daylight_saving() {
    // 24 elapsed hours across the autumn change show an hour earlier...
    assert_eq!(step("24h", "2026-10-24T12:00"), "2026-10-25T11:00:00+01:00");
    // ...while a day is the same wall-clock time: 25 elapsed hours.
    assert_eq!(step("1d", "2026-10-24T12:00"), "2026-10-25T12:00:00+01:00");
    // In spring a day is 23 elapsed hours.
    assert_eq!(step("1d", "2026-03-28T12:00"), "2026-03-29T12:00:00+02:00");
    assert_eq!(step("24h", "2026-03-28T12:00"), "2026-03-29T13:00:00+02:00");
    assert_eq!(step("1w", "2026-10-20T09:00"), "2026-10-27T09:00:00+01:00");
    // A step onto a wall time shown twice takes the earlier, onto one
    // skipped the instant as far after the gap's start.
    assert_eq!(step("1d", "2026-10-24T02:30"), "2026-10-25T02:30:00+02:00");
    assert_eq!(step("1d", "2026-03-28T02:30"), "2026-03-29T03:30:00+02:00");
    assert_eq!(step("1mo", "2026-02-28T02:30"), "2026-03-28T02:30:00+01:00");
}

#[test]
fn a_month_past_the_end_goes_to_the_last_day() {
    assert_eq!(step("1mo", "2026-01-31T10:00"), "2026-02-28T10:00:00+01:00");
    assert_eq!(step("1mo", "2028-01-31T10:00"), "2028-02-29T10:00:00+01:00");
    assert_eq!(step("1mo", "2026-03-31T10:00"), "2026-04-30T10:00:00+02:00");
    assert_eq!(step("1mo", "2026-09-25T03:00"), "2026-10-25T03:00:00+01:00");
    assert_eq!(
        step("12mo", "2026-02-28T10:00"),
        "2027-02-28T10:00:00+01:00"
    );
    let taipei = chrono_tz::Asia::Taipei;
    let from = parse_time("2026-01-31T23:30", taipei).expect("time");
    let due = Within::Months(1).after(from, taipei).expect("in range");
    assert_eq!(format_time(&due, taipei), "2026-02-28T23:30:00+08:00");
}

fn spec(id: &str, anchor: Option<&str>, minutes: i64) -> EventSpec {
    EventSpec {
        id: id.into(),
        actor: "a".into(),
        anchor: anchor.map(Into::into),
        within: (1..=4)
            .map(|l: u8| (l.to_string().into(), Within::Minutes(minutes)))
            .collect(),
        kind: EventKind::Deadline,
        when: None,
        after: Vec::new(),
        if_anchor_missed: false,
        counts_as: None,
        not_after: None,
        source: "1".into(),
    }
}

fn facts(actual: &[(&str, &str)]) -> IncidentFacts {
    let zone = chrono_tz::Asia::Taipei;
    IncidentFacts {
        zone,
        level: "1".into(),
        discovered: parse_time("2026-03-02T09:00", zone).expect("time"),
        discovery: DISCOVERY_EVENT.to_owned(),
        conditions: BTreeSet::new(),
        actual: actual
            .iter()
            .map(|(e, t)| ((*e).to_owned(), parse_time(t, zone).expect("time")))
            .collect(),
    }
}

fn due_of(list: &[DueTime], id: &str) -> Option<String> {
    list.iter()
        .find(|d| d.event == id)
        .and_then(|d| d.due)
        .map(|t| format_time(&t, chrono_tz::Asia::Taipei))
}

#[test]
fn a_right_on_a_missed_anchor_counts_from_the_anchor_deadline() {
    let mut right = spec("r", Some("a"), 0);
    right.if_anchor_missed = true;
    right.counts_as = Some("b".into());
    let events = vec![
        spec(DISCOVERY_EVENT, None, 0),
        spec("a", Some(DISCOVERY_EVENT), 60),
        right,
        spec("b", Some("a"), 0),
        spec("c", Some("b"), 30),
    ];
    let late = compute(&events, &facts(&[("a", "2026-03-02T12:00")]));
    assert_eq!(
        due_of(&late, "r").as_deref(),
        Some("2026-03-02T10:00:00+08:00")
    );
    let on_time = compute(&events, &facts(&[("a", "2026-03-02T09:30")]));
    assert!(!on_time.iter().any(|d| d.event == "r"));
    // `a` done by a deadline that is only assumed: cannot tell.
    let mut chained = events.clone();
    chained[1].anchor = Some("x".into());
    chained.insert(1, spec("x", Some(DISCOVERY_EVENT), 60));
    let unsure = compute(&chained, &facts(&[("a", "2026-03-02T10:30")]));
    let r = unsure.iter().find(|d| d.event == "r").expect("listed");
    assert_eq!(r.due, None);
    // Doing the right does `b`, and `c` counts from it.
    let done = compute(&events, &facts(&[("r", "2026-03-02T11:00")]));
    assert_eq!(
        due_of(&done, "c").as_deref(),
        Some("2026-03-02T11:30:00+08:00")
    );
}

#[test]
fn a_bounded_start_defaults_to_its_limit_as_assumed() {
    let mut occurred = spec("o", None, 0);
    occurred.not_after = Some(DISCOVERY_EVENT.into());
    let mut waits = spec("w", Some("o"), 240);
    waits.after = vec!["p".into()];
    let events = vec![
        spec(DISCOVERY_EVENT, None, 0),
        occurred,
        spec("i", None, 0),
        spec("p", Some("i"), 60),
        waits,
    ];
    // Without the other flow's start, its prerequisite is left out, so
    // the event that waits for it is too.
    assert!(compute(&events, &facts(&[])).iter().all(|d| d.event != "w"));
    let list = compute(&events, &facts(&[("i", "2026-03-02T08:00")]));
    let w = list.iter().find(|d| d.event == "w").expect("listed");
    assert_eq!(
        due_of(&list, "w").as_deref(),
        Some("2026-03-02T13:00:00+08:00")
    );
    assert!(w.assumed);
    let starts = start_times(&events, &facts(&[("i", "2026-03-02T08:00")]));
    let o = starts.iter().find(|s| s.event == "o").expect("o");
    assert!(o.assumed && o.from.as_deref() == Some(DISCOVERY_EVENT));
    let given = compute(
        &events,
        &facts(&[("i", "2026-03-02T08:00"), ("o", "2026-03-02T01:00")]),
    );
    assert_eq!(
        due_of(&given, "w").as_deref(),
        Some("2026-03-02T05:00:00+08:00")
    );
    assert!(!given.iter().any(|d| d.assumed));
}

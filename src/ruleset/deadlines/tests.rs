//! Unit tests of durations, times and `compute` on small synthetic graphs.

use super::*;

/// The discovery event of these hand-made specs.
const DISCOVERY_EVENT: &str = "discovered";

#[test]
fn parses_durations() {
    assert_eq!(parse_within("1h"), Ok(Within::Minutes(60)));
    assert_eq!(parse_within("36h"), Ok(Within::Minutes(36 * 60)));
    assert_eq!(parse_within("2w"), Ok(Within::Minutes(2 * 7 * 24 * 60)));
    assert_eq!(parse_within("immediately"), Ok(Within::Immediately));
    assert!(parse_within("1 hour").is_err());
    assert!(parse_within("h").is_err());
    assert!(parse_within("0h").is_err());
    assert!(parse_within("99999999999999999999h").is_err());
}

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

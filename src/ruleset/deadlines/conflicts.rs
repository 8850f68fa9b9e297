//! Given times that contradict each other.
//!
//! An incident's given times (`--discovered`, `--at`, the calculator's
//! inputs) must fit the event graph: nothing is done before the event it is
//! timed from, a starting event with `not_after` is not later than that
//! event, and a right that arises only when its anchor misses its deadline
//! (`if_anchor_missed`) is not used before that deadline, nor at all when
//! the anchor was done by it. [`conflicts`] lists every violation so that
//! the CLI refuses the input and the site shows a message, instead of
//! computing from times that cannot all be true. `logic.js` mirrors it line
//! for line. A late event is never a contradiction.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{EventSpec, IncidentFacts, reached, walk};

/// How a given time contradicts another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Contradiction {
    /// The event is earlier than the event it is timed from.
    Before,
    /// The event is later than the event it may not be later than.
    After,
    /// The event arises only when its anchor misses its deadline, and is
    /// earlier than that deadline (`other_time`).
    BeforeDeadline,
    /// The event arises only when its anchor misses its deadline, and the
    /// anchor was done (`other_time`) by that deadline, so it never arose.
    AnchorOnTime,
}

/// One pair of times that cannot both be true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub event: String,
    pub time: DateTime<FixedOffset>,
    pub relation: Contradiction,
    pub other: String,
    /// `other`'s given time, or for [`Contradiction::BeforeDeadline`] its
    /// deadline.
    pub other_time: DateTime<FixedOffset>,
    /// `other`'s deadline, for the two relations about it.
    pub deadline: Option<DateTime<FixedOffset>>,
}

/// Every contradiction among the given times, in policy order (for one
/// event: `After`, then `Before`, then the deadline relations).
///
/// An event's given time is compared with the nearest event up its anchor
/// chain that has a given time (the discovery always has one). An event that
/// arises only when its anchor is missed skips its anchor there: it may well
/// come before a late anchor. Instead, when `compute` reaches it (level,
/// condition, prerequisites) and its anchor's deadline is certain (counted
/// from given times, not assumed), it may not be earlier than that deadline,
/// and the anchor may not have been done by it. When the deadline is only
/// assumed (the latest it can be, because a time up the chain is unknown),
/// the real deadline may be earlier, so neither is decidable and nothing is
/// reported: `compute` likewise lists such a right with no time rather than
/// deciding. Times taken over (`counts_as`, `not_after`) are not compared
/// as given times; the anchor's done time is the one `compute` uses.
pub fn conflicts(events: &[EventSpec], facts: &IncidentFacts) -> Vec<Conflict> {
    let find = |id: &str| events.iter().find(|e| e.id == id);
    let known = walk(events, facts).0;
    let mut out = Vec::new();
    for e in events {
        let Some(time) = facts.actual.get(&e.id).copied() else {
            continue;
        };
        if let Some(limit) = &e.not_after
            && let Some(other_time) = facts.given(limit)
            && time > other_time
        {
            out.push(Conflict {
                event: e.id.clone(),
                time,
                relation: Contradiction::After,
                other: limit.clone(),
                other_time,
                deadline: None,
            });
        }
        let mut up = if e.if_anchor_missed {
            e.anchor
                .as_deref()
                .and_then(find)
                .and_then(|a| a.anchor.as_deref())
        } else {
            e.anchor.as_deref()
        };
        let mut before = false;
        // Bounded by the number of events, so a cycle (which `check`
        // rejects) cannot loop.
        for _ in 0..events.len() {
            let Some(id) = up else { break };
            if let Some(other_time) = facts.given(id) {
                if time < other_time {
                    before = true;
                    out.push(Conflict {
                        event: e.id.clone(),
                        time,
                        relation: Contradiction::Before,
                        other: id.to_owned(),
                        other_time,
                        deadline: None,
                    });
                }
                break;
            }
            up = find(id).and_then(|x| x.anchor.as_deref());
        }
        // Earlier than a given time up the chain is the plainer message,
        // and implies being before the deadline.
        if before || !e.if_anchor_missed {
            continue;
        }
        let (Some(anchor), Some((_, anchor_known))) = (&e.anchor, reached(e, facts, &known)) else {
            continue;
        };
        let Some(by) = anchor_known.due.filter(|_| !anchor_known.assumed) else {
            continue;
        };
        let (relation, other_time) = match anchor_known.actual {
            Some(done) if done <= by => (Contradiction::AnchorOnTime, done),
            _ if time < by => (Contradiction::BeforeDeadline, by),
            _ => continue,
        };
        out.push(Conflict {
            event: e.id.clone(),
            time,
            relation,
            other: anchor.clone(),
            other_time,
            deadline: Some(by),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::super::{EventKind, Within};
    use super::*;

    fn event(id: &str, anchor: Option<&str>) -> EventSpec {
        EventSpec {
            id: id.into(),
            actor: "a".into(),
            anchor: anchor.map(Into::into),
            within: (1..=4)
                .map(|l: u8| (l.to_string().into(), Within::Minutes(60)))
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
        let t = |s: &str| super::super::parse_time(s, zone).expect("time");
        IncidentFacts {
            zone,
            level: "1".into(),
            discovered: t("2026-03-02T09:00"),
            discovery: "start".to_owned(),
            conditions: BTreeSet::new(),
            actual: actual
                .iter()
                .map(|(e, s)| ((*e).to_owned(), t(s)))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn compares_with_the_nearest_given_time_up_the_chain() {
        let events = [
            event("start", None),
            event("a", Some("start")),
            event("b", Some("a")),
        ];
        // `a` unknown: `b` is compared with the discovery.
        let found = conflicts(&events, &facts(&[("b", "2026-03-02T08:59")]));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].event.as_str(), found[0].other.as_str()),
            ("b", "start")
        );
        assert_eq!(found[0].relation, Contradiction::Before);
        // Equal times are not a contradiction.
        assert!(conflicts(&events, &facts(&[("b", "2026-03-02T09:00")])).is_empty());
        let found = conflicts(
            &events,
            &facts(&[("a", "2026-03-02T10:00"), ("b", "2026-03-02T09:30")]),
        );
        assert_eq!(found[0].other, "a");
    }

    #[test]
    fn a_right_on_a_missed_anchor_may_come_before_the_late_anchor() {
        let mut right = event("r", Some("a"));
        right.if_anchor_missed = true;
        let events = [event("start", None), event("a", Some("start")), right];
        let given = facts(&[("a", "2026-03-02T12:00"), ("r", "2026-03-02T10:00")]);
        assert!(conflicts(&events, &given).is_empty());
        let before_discovery = facts(&[("r", "2026-03-02T08:00")]);
        assert_eq!(conflicts(&events, &before_discovery)[0].other, "start");
    }

    #[test]
    fn a_right_on_a_missed_anchor_does_not_precede_the_deadline_it_arises_from() {
        let mut right = event("r", Some("a"));
        right.if_anchor_missed = true;
        let events = [event("start", None), event("a", Some("start")), right];
        let t = |s: &str| super::super::parse_time(s, chrono_tz::Asia::Taipei).expect("time");
        // `a` is due at 10:00 (an hour after the discovery, which is given).
        let found = conflicts(&events, &facts(&[("r", "2026-03-02T09:30")]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].relation, Contradiction::BeforeDeadline);
        assert_eq!(found[0].other, "a");
        assert_eq!(found[0].other_time, t("2026-03-02T10:00"));
        assert_eq!(found[0].deadline, Some(t("2026-03-02T10:00")));
        // At the deadline, with `a` not done or done late: the right exists.
        assert!(conflicts(&events, &facts(&[("r", "2026-03-02T10:00")])).is_empty());
        let late = facts(&[("a", "2026-03-02T11:00"), ("r", "2026-03-02T10:30")]);
        assert!(conflicts(&events, &late).is_empty());
        // `a` done by its deadline: the right never arose, whenever given.
        let on_time = facts(&[("a", "2026-03-02T09:50"), ("r", "2026-03-02T10:30")]);
        let found = conflicts(&events, &on_time);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].relation, Contradiction::AnchorOnTime);
        assert_eq!(found[0].other_time, t("2026-03-02T09:50"));
        assert_eq!(found[0].deadline, Some(t("2026-03-02T10:00")));
        // Before the discovery: the plainer contradiction only.
        let found = conflicts(&events, &facts(&[("r", "2026-03-02T08:00")]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].relation, Contradiction::Before);
    }

    #[test]
    fn an_assumed_anchor_deadline_decides_nothing() {
        let mut right = event("r", Some("b"));
        right.if_anchor_missed = true;
        let events = [
            event("start", None),
            event("a", Some("start")),
            event("b", Some("a")),
            right,
        ];
        // `a` unknown: `b` is due at the latest at 11:00, maybe earlier, so
        // neither a right at 09:30 nor `b` done at 10:30 is a contradiction
        // (compute lists the right with no time in the second case).
        assert!(conflicts(&events, &facts(&[("r", "2026-03-02T09:30")])).is_empty());
        let done = facts(&[("b", "2026-03-02T10:30"), ("r", "2026-03-02T10:40")]);
        assert!(conflicts(&events, &done).is_empty());
        // Given `a`, the deadline is certain: 10:00 + 1h.
        let given = facts(&[("a", "2026-03-02T10:00"), ("r", "2026-03-02T10:40")]);
        assert_eq!(
            conflicts(&events, &given)[0].relation,
            Contradiction::BeforeDeadline
        );
    }

    #[test]
    fn a_right_the_walk_does_not_reach_is_not_judged() {
        let mut right = event("r", Some("a"));
        right.if_anchor_missed = true;
        right.when = Some("c".into());
        let events = [event("start", None), event("a", Some("start")), right];
        assert!(conflicts(&events, &facts(&[("r", "2026-03-02T09:30")])).is_empty());
        let mut with = facts(&[("r", "2026-03-02T09:30")]);
        with.conditions.insert("c".into());
        assert_eq!(conflicts(&events, &with).len(), 1);
    }

    #[test]
    fn a_bounded_start_may_not_follow_its_limit() {
        let mut start = event("o", None);
        start.not_after = Some("start".into());
        let events = [event("start", None), start];
        assert!(conflicts(&events, &facts(&[("o", "2026-03-01T09:00")])).is_empty());
        let found = conflicts(&events, &facts(&[("o", "2026-03-02T09:01")]));
        assert_eq!(found[0].relation, Contradiction::After);
    }
}

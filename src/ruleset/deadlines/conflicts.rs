//! Given times that contradict each other.
//!
//! An incident's given times (`--discovered`, `--at`, the calculator's
//! inputs) must fit the event graph: nothing is done before the event it is
//! timed from, and a starting event with `not_after` is not later than that
//! event. [`conflicts`] lists every violation so that the CLI refuses the
//! input and the site shows a message, instead of computing from times that
//! cannot all be true. `logic.js` mirrors it line for line. It never looks
//! at deadlines: a late event is not a contradiction.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{EventSpec, IncidentFacts};

/// How a given time contradicts another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Contradiction {
    /// The event is earlier than the event it is timed from.
    Before,
    /// The event is later than the event it may not be later than.
    After,
}

/// One pair of given times that cannot both be true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub event: String,
    pub time: DateTime<FixedOffset>,
    pub relation: Contradiction,
    pub other: String,
    pub other_time: DateTime<FixedOffset>,
}

/// Every contradiction among the given times, in policy order.
///
/// An event's given time is compared with the nearest event up its anchor
/// chain that has a given time (the discovery always has one). An event that
/// arises only when its anchor is missed skips its anchor: it may well come
/// before a late anchor. Times taken over (`counts_as`, `not_after`) are not
/// given and are not compared.
pub fn conflicts(events: &[EventSpec], facts: &IncidentFacts) -> Vec<Conflict> {
    let find = |id: &str| events.iter().find(|e| e.id == id);
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
        // Bounded by the number of events, so a cycle (which `check`
        // rejects) cannot loop.
        for _ in 0..events.len() {
            let Some(id) = up else { break };
            if let Some(other_time) = facts.given(id) {
                if time < other_time {
                    out.push(Conflict {
                        event: e.id.clone(),
                        time,
                        relation: Contradiction::Before,
                        other: id.to_owned(),
                        other_time,
                    });
                }
                break;
            }
            up = find(id).and_then(|x| x.anchor.as_deref());
        }
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
            within: (1..=4).map(|l| (l, Within::Minutes(60))).collect(),
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
            level: 1,
            discovered: t("2026-03-02T09:00"),
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
            event("discovered", None),
            event("a", Some("discovered")),
            event("b", Some("a")),
        ];
        // `a` unknown: `b` is compared with the discovery.
        let found = conflicts(&events, &facts(&[("b", "2026-03-02T08:59")]));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].event.as_str(), found[0].other.as_str()),
            ("b", "discovered")
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
        let events = [
            event("discovered", None),
            event("a", Some("discovered")),
            right,
        ];
        let given = facts(&[("a", "2026-03-02T12:00"), ("r", "2026-03-02T10:00")]);
        assert!(conflicts(&events, &given).is_empty());
        let before_discovery = facts(&[("r", "2026-03-02T08:00")]);
        assert_eq!(conflicts(&events, &before_discovery)[0].other, "discovered");
    }

    #[test]
    fn a_bounded_start_may_not_follow_its_limit() {
        let mut start = event("o", None);
        start.not_after = Some("discovered".into());
        let events = [event("discovered", None), start];
        assert!(conflicts(&events, &facts(&[("o", "2026-03-01T09:00")])).is_empty());
        let found = conflicts(&events, &facts(&[("o", "2026-03-02T09:01")]));
        assert_eq!(found[0].relation, Contradiction::After);
    }
}

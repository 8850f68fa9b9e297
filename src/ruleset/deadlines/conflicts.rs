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

//! Deadlines: the event graph and the one function that computes due times.
//!
//! Every consumer of deadlines (the `deadlines` command, its ICS export, the
//! site's tables and the JavaScript test vectors) calls [`compute`], so they
//! cannot disagree. Times are wall-clock time in the policy's `timezone` (an
//! IANA zone, daylight saving included); minutes and hours are elapsed time
//! on absolute instants, days, weeks and months are calendar steps on the
//! zone's wall clock ([`Within::after`]). Times are shown with the numeric
//! offset valid at that instant (`+08:00`, `+01:00`), never with a zone
//! abbreviation (Asia/Taipei's "CST" is ambiguous). This module never
//! guesses a local time the user typed that a daylight-saving change makes
//! ambiguous or skips: [`parse_time`] refuses it, naming the offsets.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::LevelId;
// The durations and the event graph's types are the domain's (`check`
// builds and judges them below this layer); re-exported so the deadline
// code and its consumers name them where they are computed.
pub use crate::domain::duration::{Within, parse_within, resolve_local};
pub use crate::domain::event::{EventKind, EventSpec};

mod conflicts;
pub use conflicts::{Conflict, Contradiction, conflicts};

/// Reads RFC 3339 (`2026-03-01T09:00:00+08:00`) or local wall-clock time
/// in `zone` (`2026-03-01T09:00`, `2026-03-01 09:00`). A local time that a
/// daylight-saving change makes ambiguous (shown twice) or skips is an
/// error naming the two offsets or the gap, never a guess.
pub fn parse_time(text: &str, zone: Tz) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&zone).fixed_offset());
    }
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return match zone.from_local_datetime(&naive) {
                LocalResult::Single(t) => Ok(t.fixed_offset()),
                LocalResult::Ambiguous(a, b) => {
                    let (a, b) = (a.min(b).fixed_offset(), a.max(b).fixed_offset());
                    Err(format!(
                        "`{text}` is ambiguous in {zone}: the clocks show it twice when daylight saving time ends, at {} and at {}; write the one you mean with its offset",
                        a.format("%Y-%m-%dT%H:%M:%S%:z"),
                        b.format("%Y-%m-%dT%H:%M:%S%:z"),
                    ))
                }
                LocalResult::None => Err(gap_message(text, naive, zone)),
            };
        }
    }
    Err(format!(
        "`{text}` is not a time: use RFC 3339 (2026-03-01T09:00:00+01:00, 2026-03-01T08:00:00Z) or local time in {zone} (2026-03-01T09:00)"
    ))
}

/// "`2026-03-29T02:30` does not exist in Europe/Brussels: the clocks go from
/// 02:00 (+01:00) to 03:00 (+02:00)": the change is found minute by minute
/// between the two readings of the wall time (at most the gap's length).
fn gap_message(text: &str, naive: NaiveDateTime, zone: Tz) -> String {
    let day = Duration::days(1);
    let before = zone.offset_from_utc_datetime(&(naive - day)).fix();
    let after = zone.offset_from_utc_datetime(&(naive + day)).fix();
    let utc = |offset: FixedOffset| naive - Duration::seconds(i64::from(offset.local_minus_utc()));
    let (earliest, latest) = (utc(after).min(utc(before)), utc(after).max(utc(before)));
    let mut change = earliest;
    while change < latest && zone.offset_from_utc_datetime(&change).fix() == before {
        change += Duration::minutes(1);
    }
    let from = (change + Duration::seconds(i64::from(before.local_minus_utc()))).format("%H:%M");
    let to = (change + Duration::seconds(i64::from(after.local_minus_utc()))).format("%H:%M");
    format!(
        "`{text}` does not exist in {zone}: the clocks go from {from} ({before}) to {to} ({after}) when daylight saving time starts; write a time outside the gap"
    )
}

/// RFC 3339 with the numeric offset valid in `zone` at that instant
/// (`+08:00`, `+01:00`), seconds included. Never a zone abbreviation:
/// Asia/Taipei's "CST" is ambiguous.
pub fn format_time(t: &DateTime<FixedOffset>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .fixed_offset()
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// What is known about one incident.
#[derive(Debug, Clone)]
pub struct IncidentFacts {
    pub zone: Tz,
    pub level: LevelId,
    pub discovered: DateTime<FixedOffset>,
    /// The id of the starting event whose time is `discovered` (the
    /// policy's `discovery` role; the site's script gets it from the data).
    pub discovery: String,
    /// Conditions that hold (those `--support` and `--portal-down` name).
    pub conditions: BTreeSet<String>,
    /// Actual times of events that already happened.
    pub actual: BTreeMap<String, DateTime<FixedOffset>>,
}

impl IncidentFacts {
    /// The time given for an event: `--at`, or for the discovery event
    /// `--discovered`. Times taken over through `counts_as` or `not_after`
    /// are not given.
    pub fn given(&self, event: &str) -> Option<DateTime<FixedOffset>> {
        match self.actual.get(event) {
            Some(t) => Some(*t),
            None if event == self.discovery => Some(self.discovered),
            None => None,
        }
    }
}

/// One computed deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueTime {
    pub event: String,
    pub actor: String,
    /// `None` when neither the anchor's actual time nor its deadline is known,
    /// or when the guideline sets no time.
    #[serde(serialize_with = "ser_time")]
    pub due: Option<DateTime<FixedOffset>>,
    pub anchor: Option<String>,
    pub within: Within,
    /// The anchor's time was not given, so this chains from the latest the
    /// anchor can be (its own deadline, or the event it may not be later
    /// than).
    pub assumed: bool,
    pub kind: EventKind,
    /// Counted from the anchor's deadline, which the anchor missed (or has
    /// not met yet), rather than from the anchor itself.
    pub if_anchor_missed: bool,
    /// The actual time, when given with `--at` (or through `counts_as`).
    #[serde(serialize_with = "ser_time")]
    pub actual: Option<DateTime<FixedOffset>>,
    pub source: String,
}

/// The time a starting event is taken to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartTime {
    pub event: String,
    #[serde(serialize_with = "ser_time")]
    pub time: Option<DateTime<FixedOffset>>,
    /// Not given: taken over from `not_after` (the latest it can be).
    pub assumed: bool,
    /// The event it was taken over from, when assumed.
    pub from: Option<String>,
}

fn ser_time<S: serde::Serializer>(
    t: &Option<DateTime<FixedOffset>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        None => s.serialize_none(),
    }
}

/// Actual times after `counts_as`: an event done stands for the event it
/// counts as, when that one has no time of its own (first in policy order).
fn actual_times(
    events: &[EventSpec],
    facts: &IncidentFacts,
) -> BTreeMap<String, DateTime<FixedOffset>> {
    let mut out = facts.actual.clone();
    for e in events {
        if let (Some(target), Some(t)) = (&e.counts_as, facts.actual.get(&e.id)) {
            out.entry(target.clone()).or_insert(*t);
        }
    }
    out
}

/// Computes every deadline of an incident.
///
/// Events are listed in graph order. Starting events (no anchor) are inputs,
/// not deadlines, and are not listed; the flow that starts at the discovery
/// is always listed, as is one that starts at an event taken over through
/// `not_after`, and another flow (the national-security one) only when its
/// starting event has an actual time. An event whose condition does not
/// hold, that the level does not have, whose prerequisite (`after`) is left
/// out, or that arises only if its anchor is missed while the anchor was on
/// time, is left out together with the events timed from it.
pub fn compute(events: &[EventSpec], facts: &IncidentFacts) -> Vec<DueTime> {
    walk(events, facts).1
}

/// The time of every starting event the incident has, given or assumed.
pub fn start_times(events: &[EventSpec], facts: &IncidentFacts) -> Vec<StartTime> {
    let known = walk(events, facts).0;
    topological_order(events)
        .into_iter()
        .map(|i| &events[i])
        .filter(|e| e.anchor.is_none())
        .filter_map(|e| {
            let k = known.get(e.id.as_str())?;
            Some(StartTime {
                event: e.id.clone(),
                time: k.actual,
                assumed: k.actual_assumed,
                from: if k.actual_assumed {
                    e.not_after.clone()
                } else {
                    None
                },
            })
        })
        .collect()
}

fn walk<'a>(
    events: &'a [EventSpec],
    facts: &IncidentFacts,
) -> (BTreeMap<&'a str, Known>, Vec<DueTime>) {
    let actual_of = actual_times(events, facts);
    let mut known: BTreeMap<&str, Known> = BTreeMap::new();
    let mut out = Vec::new();
    for i in topological_order(events) {
        let e = &events[i];
        let actual = actual_of.get(&e.id).copied();
        let Some(anchor) = &e.anchor else {
            let given = facts.given(&e.id).or(actual);
            let taken = e
                .not_after
                .as_deref()
                .and_then(|d| known.get(d))
                .and_then(|k| k.actual);
            let (time, actual_assumed) = match (given, taken) {
                (Some(t), _) => (Some(t), false),
                (None, Some(t)) => (Some(t), true),
                (None, None) => (None, false),
            };
            if time.is_some() {
                known.insert(
                    &e.id,
                    Known {
                        actual: time,
                        actual_assumed,
                        due: None,
                        assumed: false,
                    },
                );
            }
            continue;
        };
        let Some((within, anchor_known)) = reached(e, facts, &known) else {
            continue;
        };
        let (base, assumed) = if e.if_anchor_missed {
            match (anchor_known.actual, anchor_known.due) {
                // Done by a deadline that is certain: the event never arises.
                (Some(done), Some(by)) if done <= by && !anchor_known.assumed => continue,
                // Done by a deadline that is only the latest it can be: the
                // real deadline may have passed before, so no time is known.
                (Some(done), Some(by)) if done <= by => (None, false),
                (_, Some(by)) => (Some(by), anchor_known.assumed),
                (_, None) => (None, anchor_known.assumed),
            }
        } else {
            match (anchor_known.actual, anchor_known.due) {
                (Some(t), _) => (Some(t), anchor_known.actual_assumed),
                (None, Some(t)) => (Some(t), true),
                (None, None) => (None, anchor_known.assumed),
            }
        };
        let due = base.and_then(|b| within.after(b, facts.zone));
        known.insert(
            &e.id,
            Known {
                actual,
                actual_assumed: false,
                due,
                assumed,
            },
        );
        out.push(DueTime {
            event: e.id.clone(),
            actor: e.actor.clone(),
            due,
            anchor: Some(anchor.clone()),
            within,
            assumed: assumed && due.is_some(),
            kind: e.kind,
            if_anchor_missed: e.if_anchor_missed,
            actual,
            source: e.source.clone(),
        });
    }
    (known, out)
}

/// Whether the walk reaches `e` (an event with an anchor): the level has it,
/// its condition holds, its prerequisites and its anchor are known. Its
/// duration at the level and what is known of its anchor, or `None` when
/// it is left out. `conflicts` asks the same question, so it judges only
/// the events `compute` lists.
fn reached(
    e: &EventSpec,
    facts: &IncidentFacts,
    known: &BTreeMap<&str, Known>,
) -> Option<(Within, Known)> {
    let within = e.within.get(&facts.level).copied()?;
    if let Some(cond) = &e.when
        && !facts.conditions.contains(cond)
    {
        return None;
    }
    if !e.after.iter().all(|p| known.contains_key(p.as_str())) {
        return None;
    }
    let anchor_known = known.get(e.anchor.as_deref()?).copied()?;
    Some((within, anchor_known))
}

#[derive(Debug, Clone, Copy)]
struct Known {
    /// Given, taken over through `counts_as`, or (for a starting event)
    /// through `not_after`.
    actual: Option<DateTime<FixedOffset>>,
    /// `actual` was not given but taken over through `not_after`.
    actual_assumed: bool,
    due: Option<DateTime<FixedOffset>>,
    /// `due` counts from a time that was not given.
    assumed: bool,
}

/// What an event's time depends on: its anchor, its prerequisites and the
/// event it may not be later than.
fn dependencies(e: &EventSpec) -> impl Iterator<Item = &str> {
    e.anchor
        .iter()
        .chain(&e.after)
        .chain(&e.not_after)
        .map(String::as_str)
}

/// Events ordered so that every anchor (and prerequisite) comes before the
/// events timed from it; ties keep the policy's order. Events in a cycle (which `check` rejects)
/// are left out rather than looping.
pub fn topological_order(events: &[EventSpec]) -> Vec<usize> {
    let mut placed = vec![false; events.len()];
    let mut order = Vec::with_capacity(events.len());
    loop {
        let mut progress = false;
        for (i, e) in events.iter().enumerate() {
            if placed[i] {
                continue;
            }
            let ready = dependencies(e).all(|a| {
                events
                    .iter()
                    .position(|x| x.id == a)
                    .is_none_or(|j| placed[j])
            });
            if ready {
                placed[i] = true;
                order.push(i);
                progress = true;
            }
        }
        if !progress {
            return order;
        }
    }
}

/// The offset in minutes of each event from its flow's starting event, per
/// level, following anchors and their fixed durations. `None` where a link of
/// the chain has no fixed time.
pub fn offsets_from_start(events: &[EventSpec], level: &LevelId) -> BTreeMap<String, Option<i64>> {
    let mut out: BTreeMap<String, Option<i64>> = BTreeMap::new();
    for i in topological_order(events) {
        let e = &events[i];
        let value = match &e.anchor {
            None => Some(0),
            Some(a) => {
                let base = out.get(a).copied().flatten();
                let within = e.within.get(level).and_then(|w| w.minutes());
                match (base, within) {
                    (Some(b), Some(w)) => Some(b + w),
                    _ => None,
                }
            }
        };
        if e.anchor.is_none() || e.within.contains_key(level) {
            out.insert(e.id.clone(), value);
        }
    }
    out
}

#[cfg(test)]
mod tests;

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

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, Months, NaiveDateTime, Offset, TimeZone,
};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::LevelId;

mod conflicts;
pub use conflicts::{Conflict, Contradiction, conflicts};

/// How long after its anchor an event falls due, for one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Within {
    /// Elapsed minutes (`"30m"`, `"36h"`): the same span whatever the
    /// clock does.
    Minutes(i64),
    /// Calendar days (`"3d"`; `"2w"` is 14): the same wall-clock time that
    /// many days later in the policy's zone, 23 or 25 elapsed hours across a
    /// daylight-saving change.
    Days(i64),
    /// Calendar months (`"1mo"`): the same day and wall-clock time that many
    /// months later, or the month's last day when it has no such day
    /// (31 January + 1 month = 28 or 29 February).
    Months(i64),
    /// At once ("即時", "立即"): due when the anchor happens.
    Immediately,
    /// The guideline sets no time.
    Unspecified,
}

/// Days in a week, for `"2w"` and its label.
const WEEK_DAYS: i64 = 7;

impl Within {
    /// The nominal length in minutes (a day 24 h, a month 30 days), for
    /// comparing durations and sizing flows (`check`'s `deadline-order`,
    /// offsets from a flow's start); `None` when unspecified. Never used for
    /// a due time: that is [`Within::after`], which follows the calendar.
    pub fn minutes(self) -> Option<i64> {
        match self {
            Within::Minutes(m) => Some(m),
            Within::Days(d) => Some(d * 24 * 60),
            Within::Months(n) => Some(n * 30 * 24 * 60),
            Within::Immediately => Some(0),
            Within::Unspecified => None,
        }
    }

    /// The due time of an event timed `self` after `base`, in `zone`:
    /// elapsed minutes, or calendar steps on the zone's wall clock (a wall
    /// time that the step lands in twice or never is resolved by
    /// [`resolve_local`]). `None` when unspecified, or out of chrono's range.
    pub fn after(self, base: DateTime<FixedOffset>, zone: Tz) -> Option<DateTime<FixedOffset>> {
        let local = || base.with_timezone(&zone).naive_local();
        let due = match self {
            Within::Minutes(m) => base.checked_add_signed(Duration::minutes(m))?,
            Within::Immediately => base,
            Within::Days(d) => {
                resolve_local(local().checked_add_signed(Duration::days(d))?, zone)?.fixed_offset()
            }
            Within::Months(n) => resolve_local(
                local().checked_add_months(Months::new(u32::try_from(n).ok()?))?,
                zone,
            )?
            .fixed_offset(),
            Within::Unspecified => return None,
        };
        Some(due.with_timezone(&zone).fixed_offset())
    }

    /// Short form, as a policy writes it: `1h`, `36h`, `30m`, `3d`, `2w`,
    /// `1mo`, `immediately`, `unspecified`.
    pub fn label(self) -> String {
        match self {
            Within::Minutes(m) if m % 60 == 0 => format!("{}h", m / 60),
            Within::Minutes(m) => format!("{m}m"),
            Within::Days(d) if d % WEEK_DAYS == 0 => format!("{}w", d / WEEK_DAYS),
            Within::Days(d) => format!("{d}d"),
            Within::Months(n) => format!("{n}mo"),
            Within::Immediately => "immediately".into(),
            Within::Unspecified => "unspecified".into(),
        }
    }

    /// The same in plain zh-TW, for the handbook.
    pub fn label_zh(self) -> String {
        match self {
            Within::Minutes(m) if m % 60 == 0 => format!("{} 小時內", m / 60),
            Within::Minutes(m) => format!("{m} 分鐘內"),
            Within::Days(d) if d % WEEK_DAYS == 0 => format!("{} 週內", d / WEEK_DAYS),
            Within::Days(d) => format!("{d} 日內"),
            Within::Months(n) => format!("{n} 個月內"),
            Within::Immediately => "立即".into(),
            Within::Unspecified => "未訂時限".into(),
        }
    }
}

/// The instant a wall-clock time of a calendar step stands for: the earlier
/// one when the clock shows it twice (the autumn change), and when the clock
/// skips it (the spring change) the instant it would be at the offset in
/// force before the gap, which lies as far after the gap's start. These are
/// RFC 5545's rules for DATE-TIME with TZID (and `Temporal`'s
/// "compatible"); `logic.js` resolves the same way.
pub fn resolve_local(local: NaiveDateTime, zone: Tz) -> Option<DateTime<Tz>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(earlier, later) => Some(earlier.min(later)),
        LocalResult::None => {
            let before = zone
                .offset_from_utc_datetime(&local.checked_sub_signed(Duration::days(1))?)
                .fix();
            let instant =
                local.checked_sub_signed(Duration::seconds(i64::from(before.local_minus_utc())))?;
            Some(zone.from_utc_datetime(&instant))
        }
    }
}

/// Reads `"1h"`, `"30m"`, `"3d"`, `"2w"`, `"1mo"`, `"immediately"` or
/// `"unspecified"`: at most a year.
pub fn parse_within(text: &str) -> Result<Within, String> {
    match text {
        "immediately" => return Ok(Within::Immediately),
        "unspecified" => return Ok(Within::Unspecified),
        _ => {}
    }
    let unit_at = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let n: i64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration"))?;
    let out_of_range =
        || format!("`{text}` is out of range: a deadline is more than nothing and at most a year");
    let within = match unit {
        "m" => Within::Minutes(n),
        "h" => Within::Minutes(n.checked_mul(60).ok_or_else(out_of_range)?),
        "d" => Within::Days(n),
        "w" => Within::Days(n.checked_mul(WEEK_DAYS).ok_or_else(out_of_range)?),
        "mo" => Within::Months(n),
        _ => return Err(format!("`{text}` has an unknown unit `{unit}`")),
    };
    let in_range = n > 0
        && match within {
            Within::Minutes(m) => m <= 366 * 24 * 60,
            Within::Days(d) => d <= 366,
            Within::Months(n) => n <= 12,
            Within::Immediately | Within::Unspecified => true,
        };
    if !in_range {
        return Err(out_of_range());
    }
    Ok(within)
}

/// Whether the due time is an obligation or the start of a right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Deadline,
    Right,
}

/// An event of the compiled deadline graph.
#[derive(Debug, Clone, Serialize)]
pub struct EventSpec {
    pub id: String,
    pub actor: String,
    pub anchor: Option<String>,
    /// Per level. A level missing here does not have this event.
    pub within: BTreeMap<LevelId, Within>,
    pub kind: EventKind,
    pub when: Option<String>,
    pub after: Vec<String>,
    /// Arises only when the anchor misses its deadline; timed from that
    /// deadline.
    pub if_anchor_missed: bool,
    /// Doing this event also does that one.
    pub counts_as: Option<String>,
    /// A starting event no later than that one, and taken to be it when its
    /// own time is not given.
    pub not_after: Option<String>,
    pub source: String,
}

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

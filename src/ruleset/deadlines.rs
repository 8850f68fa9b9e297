//! Deadlines: the event graph and the one function that computes due times.
//!
//! Every consumer of deadlines (the `deadlines` command, its ICS export, the
//! site's tables and the JavaScript test vectors) calls [`compute`], so they
//! cannot disagree. Times are wall-clock Asia/Taipei; arithmetic is done on
//! absolute instants and shown at `+08:00`, never with a zone abbreviation
//! (Asia/Taipei's "CST" is ambiguous).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

/// How long after its anchor an event falls due, for one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Within {
    /// A fixed number of minutes.
    Minutes(i64),
    /// At once ("即時", "立即"): due when the anchor happens.
    Immediately,
    /// The guideline sets no time.
    Unspecified,
}

impl Within {
    pub fn minutes(self) -> Option<i64> {
        match self {
            Within::Minutes(m) => Some(m),
            Within::Immediately => Some(0),
            Within::Unspecified => None,
        }
    }

    /// Short human form: `1h`, `36h`, `30m`, `immediately`, `unspecified`.
    pub fn label(self) -> String {
        match self {
            Within::Minutes(m) if m % (60 * 24 * 7) == 0 && m > 0 => {
                format!("{}w", m / (60 * 24 * 7))
            }
            Within::Minutes(m) if m % 60 == 0 => format!("{}h", m / 60),
            Within::Minutes(m) => format!("{m}m"),
            Within::Immediately => "immediately".into(),
            Within::Unspecified => "unspecified".into(),
        }
    }

    /// The same in plain zh-TW, for the handbook.
    pub fn label_zh(self) -> String {
        match self {
            Within::Minutes(m) if m % (60 * 24 * 7) == 0 && m > 0 => {
                format!("{} 週內", m / (60 * 24 * 7))
            }
            Within::Minutes(m) if m % 60 == 0 => format!("{} 小時內", m / 60),
            Within::Minutes(m) => format!("{m} 分鐘內"),
            Within::Immediately => "立即".into(),
            Within::Unspecified => "未訂時限".into(),
        }
    }
}

/// Reads `"1h"`, `"30m"`, `"3d"`, `"2w"`, `"immediately"` or `"unspecified"`.
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
    let per = match unit {
        "m" => 1,
        "h" => 60,
        "d" => 60 * 24,
        "w" => 60 * 24 * 7,
        _ => return Err(format!("`{text}` has an unknown unit `{unit}`")),
    };
    match n.checked_mul(per) {
        Some(total) if n > 0 && total <= 366 * 24 * 60 => Ok(Within::Minutes(total)),
        _ => Err(format!(
            "`{text}` is out of range: a deadline is more than nothing and at most a year"
        )),
    }
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
    /// Per level (1-4). A level missing here does not have this event.
    pub within: BTreeMap<u8, Within>,
    pub kind: EventKind,
    pub when: Option<String>,
    pub after: Vec<String>,
    pub source: String,
}

/// Reads RFC 3339 (`2026-03-01T09:00:00+08:00`) or local wall-clock time
/// in `zone` (`2026-03-01T09:00`, `2026-03-01 09:00`).
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
            return zone
                .from_local_datetime(&naive)
                .single()
                .map(|t| t.fixed_offset())
                .ok_or_else(|| format!("`{text}` does not exist or is ambiguous in {zone}"));
        }
    }
    Err(format!(
        "`{text}` is not a time: use RFC 3339 (2026-03-01T09:00:00+08:00) or local time (2026-03-01T09:00)"
    ))
}

/// RFC 3339 with the zone's numeric offset (`+08:00`), seconds included.
/// Never a zone abbreviation: Asia/Taipei's "CST" is ambiguous.
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
    pub level: u8,
    pub discovered: DateTime<FixedOffset>,
    /// Conditions that hold (`support-requested`, `portal-unreachable`).
    pub conditions: BTreeSet<String>,
    /// Actual times of events that already happened.
    pub actual: BTreeMap<String, DateTime<FixedOffset>>,
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
    /// The anchor's time was not given, so this chains from the anchor's own
    /// deadline: the latest this can fall due.
    pub assumed: bool,
    pub kind: EventKind,
    /// The actual time, when given with `--at`.
    #[serde(serialize_with = "ser_time")]
    pub actual: Option<DateTime<FixedOffset>>,
    pub source: String,
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

/// Computes every deadline of an incident.
///
/// Events are listed in graph order. Starting events (no anchor) are inputs,
/// not deadlines, and are not listed; the flow that starts at `discovered` is
/// always listed, and another flow (the national-security one) only when its
/// starting event has an actual time. An event whose condition does not hold,
/// or that the level does not have, is left out together with the events
/// timed from it.
pub fn compute(events: &[EventSpec], facts: &IncidentFacts) -> Vec<DueTime> {
    let order = topological_order(events);
    let mut known: BTreeMap<&str, Known> = BTreeMap::new();
    let mut out = Vec::new();
    for i in order {
        let e = &events[i];
        let actual = facts.actual.get(&e.id).copied();
        let Some(anchor) = &e.anchor else {
            let time = if e.id == "discovered" {
                Some(actual.unwrap_or(facts.discovered))
            } else {
                actual
            };
            if let Some(t) = time {
                known.insert(
                    &e.id,
                    Known {
                        actual: Some(t),
                        due: None,
                        assumed: false,
                    },
                );
            }
            continue;
        };
        let Some(within) = e.within.get(&facts.level).copied() else {
            continue;
        };
        if let Some(cond) = &e.when
            && !facts.conditions.contains(cond)
        {
            continue;
        }
        let Some(anchor_known) = known.get(anchor.as_str()).copied() else {
            continue;
        };
        let (base, assumed) = match (anchor_known.actual, anchor_known.due) {
            (Some(t), _) => (Some(t), false),
            (None, Some(t)) => (Some(t), true),
            (None, None) => (None, anchor_known.assumed),
        };
        let due = match (base, within.minutes()) {
            (Some(b), Some(m)) => Some(
                (b + Duration::minutes(m))
                    .with_timezone(&facts.zone)
                    .fixed_offset(),
            ),
            _ => None,
        };
        let assumed = assumed || (base.is_none() && due.is_none() && anchor_known.assumed);
        known.insert(
            &e.id,
            Known {
                actual,
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
            actual,
            source: e.source.clone(),
        });
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Known {
    actual: Option<DateTime<FixedOffset>>,
    due: Option<DateTime<FixedOffset>>,
    assumed: bool,
}

/// Events ordered so that every anchor comes before the events timed from
/// it; ties keep the policy's order. Events in a cycle (which `check` rejects)
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
            let ready = match &e.anchor {
                None => true,
                Some(a) => events
                    .iter()
                    .position(|x| &x.id == a)
                    .is_none_or(|j| placed[j]),
            };
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
pub fn offsets_from_start(events: &[EventSpec], level: u8) -> BTreeMap<String, Option<i64>> {
    let mut out: BTreeMap<String, Option<i64>> = BTreeMap::new();
    for i in topological_order(events) {
        let e = &events[i];
        let value = match &e.anchor {
            None => Some(0),
            Some(a) => {
                let base = out.get(a).copied().flatten();
                let within = e.within.get(&level).and_then(|w| w.minutes());
                match (base, within) {
                    (Some(b), Some(w)) => Some(b + w),
                    _ => None,
                }
            }
        };
        if e.anchor.is_none() || e.within.contains_key(&level) {
            out.insert(e.id.clone(), value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

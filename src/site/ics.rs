//! The one iCalendar (RFC 5545) writer: an incident's computed deadlines
//! (`handbook deadlines --format ics`) and the yearly drill calendars the
//! site ships (`drills-<year>.ics`, all-day events). `handbook.js` keeps its
//! own copy for the calculator's download, held to this one's escaping and
//! folding by `tests/input_safety.rs`.
//!
//! Times are written in UTC (`...Z`) rather than with `TZID` and a
//! `VTIMEZONE`: every calendar reads UTC without a zone block, while a
//! VTIMEZONE would have to be generated from the zone's rules (chrono-tz
//! exposes offsets at instants, not RRULEs) and a wrong one would move
//! deadlines silently in the reader's calendar. The description repeats the
//! time for people in the policy's zone, with its offset and the IANA name.
//! Output is deterministic: UIDs and DTSTAMP derive from the incident or the
//! year, not from the clock. Escaping and folding are `rfc_text`'s.
//!
//! It must never contain a reader-visible word: those come in
//! [`CalendarWords`], from the theme's locale (`[calendar]`).

use chrono::{DateTime, FixedOffset, Utc};

use super::locale::Locale;
use super::rfc_text::{escape_text as escape, fold_line as fold};
use crate::diagnostics::Diagnostic;
use crate::ruleset::deadlines::{DueTime, EventKind, IncidentFacts, format_time};
use crate::ruleset::{MonthDay, Ruleset, Text};

/// The words a calendar shows, from the `[calendar]` table of the theme's
/// locale ([`CalendarWords::new`]). Each is a template whose `{name}`
/// placeholders [`fill`] replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarWords {
    /// Summary of a deadline: `{name}`.
    pub deadline: String,
    /// Summary of a right that starts: `{name}`.
    pub start: String,
    /// First description line: `{actor}`, `{name}`.
    pub who: String,
    /// The due time of a deadline: `{time}`, `{zone}`.
    pub due_at: String,
    /// The time a right starts: `{time}`, `{zone}`.
    pub starts_at: String,
    /// Where the rule comes from: `{source}`.
    pub basis: String,
    /// Added when the time counts from a deadline, not a given time.
    pub assumed: String,
    /// A drill date: `{drill}`, `{text}`.
    pub entry: String,
    /// Summary of a drill date: `{summary}` (the entry).
    pub due: String,
    /// Description of a drill date: `{source}`, `{version}`.
    pub source: String,
}

impl CalendarWords {
    /// The words from the locale's `[calendar]` table; a missing key is the
    /// locale's located `locale` error naming it.
    pub fn new(locale: &Locale) -> Result<CalendarWords, Box<Diagnostic>> {
        let word = |key: &str| locale.get(&format!("calendar.{key}")).map(str::to_owned);
        Ok(CalendarWords {
            deadline: word("deadline")?,
            start: word("start")?,
            who: word("who")?,
            due_at: word("due_at")?,
            starts_at: word("starts_at")?,
            basis: word("basis")?,
            assumed: word("assumed")?,
            entry: word("entry")?,
            due: word("due")?,
            source: word("source")?,
        })
    }
}

/// `template` with each `{key}` replaced by its value, in one pass, so a
/// value containing `{...}` is never filled again.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let hit = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (close, *v))
        });
        match hit {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

fn begin(product: &str, language: &str) -> String {
    let mut s = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!(
            "PRODID:-//incident-handbook//{product}//{}",
            language.to_uppercase()
        ),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        s.push_str(&fold(line));
    }
    s
}

/// The policy's text in its language (`check` makes sure every text has
/// it; an empty string only if a caller passes an unchecked rule set).
fn text_in(t: Option<&Text>, language: &str) -> String {
    t.and_then(|t| t.get(language)).cloned().unwrap_or_default()
}

/// The calendar of one incident's deadlines: one event per known due time,
/// with a reminder 15 minutes before.
pub fn deadlines(
    ruleset: &Ruleset,
    facts: &IncidentFacts,
    due: &[DueTime],
    words: &CalendarWords,
) -> String {
    let language = ruleset.meta.language.as_str();
    let zone = facts.zone;
    let zone_name = zone.name();
    let stamp = utc(&facts.discovered);
    let mut s = begin("deadlines", language);
    for d in due {
        let Some(t) = d.due else { continue };
        let name = text_in(ruleset.event(&d.event).map(|e| &e.name), language);
        let actor = text_in(ruleset.actor_name(&d.actor), language);
        let time = format_time(&t, zone);
        let (summary, when) = match d.kind {
            EventKind::Right => (&words.start, &words.starts_at),
            EventKind::Deadline => (&words.deadline, &words.due_at),
        };
        let mut desc = [
            fill(&words.who, &[("actor", &actor), ("name", &name)]),
            fill(when, &[("time", &time), ("zone", zone_name)]),
            fill(&words.basis, &[("source", &d.source)]),
        ]
        .join("\n");
        if d.assumed {
            desc.push('\n');
            desc.push_str(&words.assumed);
        }
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!(
                "UID:{}-L{}-{}@incident-handbook",
                d.event, facts.level, stamp
            ),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}", utc(&t)),
            format!("DTEND:{}", utc(&t)),
            format!("SUMMARY:{}", escape(&fill(summary, &[("name", &name)]))),
            format!("DESCRIPTION:{}", escape(&desc)),
            "BEGIN:VALARM".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("DESCRIPTION:{}", escape(&name)),
            "TRIGGER:-PT15M".to_owned(),
            "END:VALARM".to_owned(),
            "END:VEVENT".to_owned(),
        ] {
            s.push_str(&fold(&line));
        }
    }
    s.push_str(&fold("END:VCALENDAR"));
    s
}

/// Where the drill calendar of `year` is published in the site.
pub fn drills_path(year: i32) -> String {
    format!("drills-{year}.ics")
}

/// The calendar of one year's drill deadlines: all-day events, a date
/// without a day falling on the month's last.
pub fn drills(r: &Ruleset, year: i32, words: &CalendarWords) -> String {
    let language = r.meta.language.as_str();
    let text = |t: &Text| text_in(Some(t), language);
    let mut s = begin("drills", language);
    let mut n = 0;
    for d in &r.drills {
        let drill = text(&d.name);
        // The dates as `ruleset::drills` places them in the year, the same
        // the drills page shows.
        let mut dates: Vec<(MonthDay, String, String)> = d
            .due
            .iter()
            .map(|x| (x.month_day(), text(&x.text), x.source.clone()))
            .collect();
        for rep in &d.report {
            if let Some(by) = rep.by {
                dates.push((by, text(&rep.text), rep.source.clone()));
            }
        }
        for (month_day, what, source) in dates {
            let Some(date) = month_day.date_in(year) else {
                continue;
            };
            let Some(next) = date.succ_opt() else {
                continue;
            };
            n += 1;
            let entry = fill(&words.entry, &[("drill", &drill), ("text", &what)]);
            let summary = fill(&words.due, &[("summary", &entry)]);
            let desc = fill(
                &words.source,
                &[("source", &source), ("version", &r.meta.version)],
            );
            for line in [
                "BEGIN:VEVENT".to_owned(),
                format!("UID:{}-{year}-{n}@incident-handbook", d.id),
                format!("DTSTAMP:{year}0101T000000Z"),
                format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")),
                format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
                format!("SUMMARY:{}", escape(&summary)),
                format!("DESCRIPTION:{}", escape(&desc)),
                "END:VEVENT".to_owned(),
            ] {
                s.push_str(&fold(&line));
            }
        }
    }
    s.push_str(&fold("END:VCALENDAR"));
    s
}

/// This year's and next year's drill calendars, as site files.
pub fn drill_files(r: &Ruleset, year: i32, words: &CalendarWords) -> Vec<(String, Vec<u8>)> {
    [year, year + 1]
        .iter()
        .map(|y| (drills_path(*y), drills(r, *y, words).into_bytes()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_each_placeholder_once() {
        assert_eq!(
            fill("{a} and {b}, {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2, {c}"
        );
        assert_eq!(fill("no { brace", &[("brace", "x")]), "no { brace");
    }

    #[test]
    fn last_days_of_months() {
        use crate::ruleset::drills::last_day_of_month as last_day;
        assert_eq!(last_day(2028, 2), Some(29));
        assert_eq!(last_day(2026, 2), Some(28));
        assert_eq!(last_day(2026, 4), Some(30));
        assert_eq!(last_day(2026, 13), None);
    }
}

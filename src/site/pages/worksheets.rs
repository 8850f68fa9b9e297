//! The hand-calculation worksheets (one static page per level and reader,
//! `worksheets/<level>-<reader>.html`, or per level when the policy has no
//! readers) and the report worksheet (`report.html`): what a reader needs
//! when JavaScript is off or the page is printed.
//!
//! A worksheet lists the reader's deadlines at a level in the order
//! `ruleset::deadlines::compute` gives, each as a line to fill in by hand,
//! and a worked example whose every due time comes from that same
//! `compute`, so the example can never disagree with the calculator or the
//! CLI. This module never phrases a sentence (the theme's `[worksheet]`
//! words do), never names an id of the policy, and never computes a time
//! itself.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use serde_json::{Value, json};

use super::{
    PageOut, classify_url, event_url, level_context, level_url, report_url, worksheet_url,
};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ruleset::deadlines::{self, EventKind, IncidentFacts, Within};
use crate::ruleset::{Level, Ruleset};
use crate::site::duration::DurationWords;
use crate::site::locale::Locale;

/// The worked example starts on this day of the build year at
/// `EXAMPLE_HOUR:EXAMPLE_MINUTE`, late enough that a one-hour deadline
/// falls on the next day (and the next month), which is where hand
/// calculation goes wrong.
const EXAMPLE_MONTH: u32 = 6;
const EXAMPLE_DAY: u32 = 30;
const EXAMPLE_HOUR: u32 = 23;
const EXAMPLE_MINUTE: u32 = 30;

/// A contact as the level result, the worksheets and the report worksheet
/// show it: its name, the value a reader dials or opens, its link (`None`
/// for a fax or a placeholder) and its section.
pub(super) fn contact_context(r: &Ruleset, id: &str) -> Option<Value> {
    let c = r.contacts.iter().find(|c| c.id == id)?;
    Some(json!({
        "name": r.text_of(&c.name),
        "value": c.value,
        "href": c.href,
        "placeholder": c.placeholder,
        "hours": c.hours.as_ref().map(|t| r.text_of(t)),
        "source": c.source,
    }))
}

/// The phone line and the portal (either may be missing), and the fax
/// numbers of the initial report's contacts: the channels of a first report.
pub(super) fn channels(r: &Ruleset) -> Value {
    let faxes: Vec<Value> = r
        .event(&r.handbook.initial_report)
        .into_iter()
        .flat_map(|e| &e.contacts)
        .filter(|id| r.contacts.iter().any(|c| &c.id == *id && c.kind == "fax"))
        .filter_map(|id| contact_context(r, id))
        .collect();
    json!({
        "phone_line": contact_context(r, &r.handbook.phone_line),
        "online": r.handbook.portal.as_deref().and_then(|p| contact_context(r, p)),
        "faxes": faxes,
    })
}

/// The worksheet links of a level: one per reader (their name and URL), or
/// the level's one worksheet when the policy has no readers.
pub(super) fn worksheet_links(r: &Ruleset, level: &Level) -> Vec<Value> {
    if r.handbook.readers.is_empty() {
        return vec![json!({"reader": Value::Null, "url": worksheet_url(&level.id, None)})];
    }
    r.handbook
        .readers
        .iter()
        .map(|id| {
            json!({
                "reader": r.actor_name(id).map(|t| r.text_of(t)),
                "url": worksheet_url(&level.id, Some(id)),
            })
        })
        .collect()
}

/// The words a worked-example time is written with, looked up once.
struct ClockWords {
    pattern: String,
    weekdays: Vec<String>,
    months: Vec<String>,
}

impl ClockWords {
    fn new(locale: &Locale) -> Result<ClockWords, Box<Diagnostic>> {
        let list = |prefix: &str, range: std::ops::RangeInclusive<u32>| {
            range
                .map(|i| locale.get(&format!("{prefix}{i}")).map(str::to_owned))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(ClockWords {
            pattern: locale.get("worksheet.time")?.to_owned(),
            weekdays: list("clock.weekdays.", 0..=6)?,
            months: list("content.month_names.m", 1..=12)?,
        })
    }

    /// `t` on the wall clock of `zone`: date, weekday and `HH:MM`.
    fn show(&self, t: &DateTime<FixedOffset>, zone: chrono_tz::Tz) -> String {
        let w = t.with_timezone(&zone);
        let weekday = w.weekday().num_days_from_sunday() as usize;
        let month = w.month0() as usize;
        self.pattern
            .replace("{year}", &w.year().to_string())
            .replace("{month}", &w.month().to_string())
            .replace(
                "{month_name}",
                self.months.get(month).map_or("", String::as_str),
            )
            .replace("{day}", &w.day().to_string())
            .replace(
                "{weekday}",
                self.weekdays.get(weekday).map_or("", String::as_str),
            )
            .replace("{time}", &format!("{:02}:{:02}", w.hour(), w.minute()))
    }
}

/// How a line of the worksheet is worked out by hand.
fn step_kind(w: Within) -> &'static str {
    match w {
        Within::Minutes(_) => "elapsed",
        Within::Days(_) => "days",
        Within::Months(_) => "months",
        Within::Immediately => "immediately",
        Within::Unspecified => "unspecified",
    }
}

/// The discovery of the worked example in the policy's zone.
fn example_start(r: &Ruleset, year: i32) -> Result<DateTime<FixedOffset>, Box<Diagnostic>> {
    NaiveDate::from_ymd_opt(year, EXAMPLE_MONTH, EXAMPLE_DAY)
        .and_then(|d| d.and_hms_opt(EXAMPLE_HOUR, EXAMPLE_MINUTE, 0))
        .and_then(|t| deadlines::resolve_local(t, r.zone()))
        .map(|t| t.fixed_offset())
        .ok_or_else(|| {
            Box::new(Diagnostic::error(
                Rule::Template,
                format!("the worksheet example has no time in the year {year}"),
            ))
        })
}

/// Every worksheet page: each level with each reader, or each level alone
/// when the policy has no readers.
pub fn pages(
    r: &Ruleset,
    locale: &Locale,
    year: i32,
    timings: &super::timing::Timings,
) -> Result<Vec<PageOut>, Box<Diagnostic>> {
    let durations = DurationWords::new(locale)?;
    let clock = ClockWords::new(locale)?;
    let specs = r.event_specs();
    let zone = r.zone();
    let start = example_start(r, year)?;
    let channels = channels(r);
    // Every condition holds on a worksheet: a line that applies only under
    // one says so, rather than being left off the paper.
    let conditions: BTreeSet<String> = r.conditions.iter().map(|c| c.id.clone()).collect();
    let name_of = |id: &str| r.event(id).map(|e| r.text_of(&e.name).to_owned());
    let readers: Vec<Option<&String>> = if r.handbook.readers.is_empty() {
        vec![None]
    } else {
        r.handbook.readers.iter().map(Some).collect()
    };
    let mut out = Vec::new();
    for level in &r.levels {
        let facts = IncidentFacts {
            zone,
            level: level.id.clone(),
            discovered: start,
            discovery: r.handbook.discovery.clone(),
            conditions: conditions.clone(),
            actual: Default::default(),
        };
        let rows = deadlines::compute(&specs, &facts);
        let starts = deadlines::start_times(&specs, &facts);
        for reader in &readers {
            let mine = rows
                .iter()
                .filter(|d| reader.is_none_or(|id| &d.actor == id));
            let lines: Vec<Value> = mine
                .filter_map(|d| {
                    // Every row `compute` lists has an anchor (starts are
                    // inputs, not rows).
                    let anchor = d.anchor.as_deref()?;
                    let anchor_actor = r.event(anchor).map(|e| e.actor.as_str());
                    let anchor_is_start = r.event(anchor).is_some_and(|e| e.anchor.is_none());
                    // Whose clock the anchor is: the reader's own start, the
                    // reader's own earlier step, or another body's event,
                    // whose time the reader learns when it reaches them.
                    let anchor_whose = match (reader, anchor_actor) {
                        (Some(me), Some(a)) if a != me.as_str() => "other",
                        _ if anchor_is_start => "start",
                        _ => "own",
                    };
                    let anchor_time = if d.if_anchor_missed {
                        rows.iter().find(|x| x.event == anchor).and_then(|x| x.due)
                    } else {
                        rows.iter()
                            .find(|x| x.event == anchor)
                            .and_then(|x| x.due)
                            .or_else(|| {
                                starts
                                    .iter()
                                    .find(|x| x.event == anchor)
                                    .and_then(|x| x.time)
                            })
                    };
                    let e = r.event(&d.event);
                    Some(json!({
                        "id": d.event,
                        "name": name_of(&d.event),
                        "url": event_url(&d.event),
                        "actor": r.actor_name(&d.actor).map(|t| r.text_of(t)),
                        "anchor": name_of(anchor),
                        "anchor_whose": anchor_whose,
                        // The one timing text of the event at this level
                        // (what it counts from, any condition, a right):
                        // the lines below only add the blanks to fill.
                        "timing": timings.at_level(&d.event, &level.id),
                        "step": step_kind(d.within),
                        "duration": durations.text(d.within),
                        "right": d.kind == EventKind::Right,
                        "if_anchor_missed": d.if_anchor_missed,
                        "condition": e.and_then(|e| e.when.as_deref())
                            .and_then(|c| r.conditions.iter().find(|x| x.id == c))
                            .map(|c| r.text_of(&c.text)),
                        "source": d.source,
                        "example_from": anchor_time.map(|t| clock.show(&t, zone)),
                        "example_due": d.due.map(|t| clock.show(&t, zone)),
                        "example_assumed": d.assumed,
                    }))
                })
                .collect();
            let reader_name = reader.and_then(|id| r.actor_name(id)).map(|t| r.text_of(t));
            let level_name = r.text_of(&level.name);
            let title = match reader_name {
                Some(name) => locale.fill(
                    "worksheet.title_reader",
                    &[("level", level_name), ("reader", name)],
                )?,
                None => locale.fill("worksheet.title", &[("level", level_name)])?,
            };
            out.push(PageOut {
                path: worksheet_url(&level.id, reader.map(String::as_str)),
                template: "worksheet.html",
                title: title.clone(),
                context: json!({
                    "heading": title,
                    "level": level_context(r, level),
                    "level_url": level_url(&level.id),
                    "reader": reader_name,
                    "lines": lines,
                    "start_name": name_of(&r.handbook.discovery),
                    "example_start": clock.show(&start, zone),
                    "channels": channels,
                    "report_url": report_url(),
                    "classify_url": classify_url(0),
                    "others": worksheet_links(r, level),
                }),
            });
        }
    }
    Ok(out)
}

/// The report worksheet: the policy's report items, the classification
/// questions, the levels, the readers, the times a report gives and the
/// channels, as a form that prints blank without JavaScript.
pub fn report_page(r: &Ruleset, locale: &Locale) -> Result<PageOut, Box<Diagnostic>> {
    let title = locale.get("report.title")?.to_owned();
    let questions: Vec<Value> = r
        .questions
        .iter()
        .map(|q| {
            json!({
                "id": q.id,
                "text": r.text_of(&q.text),
                "unsure": q.unsure.is_some(),
                "answers": q.answers.iter().map(|a| json!({"id": a.id, "text": r.text_of(&a.text)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    // The times a report gives: the discovery (the state's `d`), any start
    // that may be earlier than it (the occurrence), and the first steps.
    let starts = r
        .events
        .iter()
        .filter(|e| e.anchor.is_none() && e.not_after.as_deref() == Some(&r.handbook.discovery));
    let steps = r.handbook.first_steps.iter().filter_map(|id| r.event(id));
    let times: Vec<Value> = starts
        .chain(steps)
        .map(|e| json!({"id": e.id, "name": r.text_of(&e.name), "source": e.source}))
        .collect();
    Ok(PageOut {
        path: report_url(),
        template: "report.html",
        title,
        context: json!({
            "items": r.handbook.report_items.iter().map(|i| json!({"text": r.text_of(&i.text), "source": i.source})).collect::<Vec<_>>(),
            "questions": questions,
            "levels": r.levels.iter().map(|l| level_context(r, l)).collect::<Vec<_>>(),
            "readers": r.handbook.readers.iter().map(|id| json!({"id": id, "name": r.actor_name(id).map(|t| r.text_of(t))})).collect::<Vec<_>>(),
            "discovery": name_of_event(r, &r.handbook.discovery),
            "times": times,
            "channels": channels(r),
        }),
    })
}

fn name_of_event(r: &Ruleset, id: &str) -> Option<String> {
    r.event(id).map(|e| r.text_of(&e.name).to_owned())
}

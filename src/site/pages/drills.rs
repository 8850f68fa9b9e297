//! The drills page: each drill as the policy describes it, its dates in the
//! build year and the next as concrete days with weekdays, a worked example
//! of "held on this date → reports due then", and the data the page's
//! script (`drills.js`) needs to do the same for a date the reader enters.
//!
//! Every date comes from `ruleset::drills` (the one definition the script
//! mirrors); this module only phrases them in the theme's words. It never
//! reads the clock (the year is the build's) and never names a drill.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

use super::{PageOut, actor_url};
use crate::diagnostics::Diagnostic;
use crate::ruleset::drills::{DrillHeld, EXAMPLE_START, ReportDue};
use crate::ruleset::{Drill, DrillReport, Ruleset};
use crate::site::duration::DurationWords;
use crate::site::ics::fill;
use crate::site::locale::Locale;

/// The words a date or a due time is shown in, looked up once per build so
/// phrasing cannot fail halfway through the page.
pub struct DateWords {
    date: String,
    date_time: String,
    weekdays: Vec<String>,
    months: Vec<String>,
    needs_time: String,
    not_on_clock: String,
    unspecified: String,
}

impl DateWords {
    pub fn new(locale: &Locale) -> Result<Self, Box<Diagnostic>> {
        let get = |key: &str| locale.get(key).map(str::to_owned);
        Ok(DateWords {
            date: get("drills.date")?,
            date_time: get("drills.date_time")?,
            // `[clock.weekdays]`, numbered from Sunday (0), as
            // `num_days_from_sunday` and `Date.getUTCDay` count: the one
            // set of weekday names every page uses.
            weekdays: (0..7)
                .map(|d| get(&format!("clock.weekdays.{d}")))
                .collect::<Result<_, _>>()?,
            months: (1..=12)
                .map(|m| get(&format!("content.month_names.m{m}")))
                .collect::<Result<_, _>>()?,
            needs_time: get("drills.needs_time")?,
            not_on_clock: get("drills.time_not_on_clock")?,
            unspecified: get("drills.no_time_set")?,
        })
    }

    /// A date with its weekday, in the locale's `drills.date` pattern.
    pub fn date(&self, d: NaiveDate) -> String {
        let weekday = &self.weekdays[d.weekday().num_days_from_sunday() as usize];
        let month_name = &self.months[d.month0() as usize];
        fill(
            &self.date,
            &[
                ("year", &d.year().to_string()),
                ("month", &d.month().to_string()),
                ("day", &d.day().to_string()),
                ("month_name", month_name),
                ("weekday", weekday),
            ],
        )
    }

    /// A wall-clock time: its date and `HH:MM`.
    pub fn date_time(&self, t: NaiveDateTime) -> String {
        fill(
            &self.date_time,
            &[
                ("date", &self.date(t.date())),
                ("time", &t.format("%H:%M").to_string()),
            ],
        )
    }

    /// A report's due time as the reader sees it.
    pub fn due(&self, due: ReportDue) -> String {
        match due {
            ReportDue::On(d) => self.date(d),
            ReportDue::At(t) => self.date_time(t),
            ReportDue::NeedsTime => self.needs_time.clone(),
            ReportDue::TimeNotOnClock => self.not_on_clock.clone(),
            ReportDue::Unspecified => self.unspecified.clone(),
        }
    }
}

/// `<time datetime>` of a due time, or `None` when it is no time.
fn machine(due: ReportDue) -> Option<String> {
    match due {
        ReportDue::On(d) => Some(d.format("%Y-%m-%d").to_string()),
        ReportDue::At(t) => Some(t.format("%Y-%m-%dT%H:%M").to_string()),
        _ => None,
    }
}

/// What the page's script computes with: a report's time rules, as the
/// compiled rule set serialises them (`within` as in `data.js`, `by` a
/// month and a day, `null` for the month's end).
fn rule_json(x: &DrillReport) -> String {
    json!({"within": x.within, "by": x.by}).to_string()
}

/// The dates of `drill` in `year`, sorted (declared order on a tie): the
/// last day it may be held for each deadline (`due`), each report's yearly
/// date (`by`), and for a report counted in days or months after the drill,
/// the latest it can fall due: the drill held on a deadline itself
/// (`latest`, with `held`). A report counted in hours needs a start time,
/// so only the worked example and the script time it.
fn year_dates(r: &Ruleset, drill: &Drill, year: i32, words: &DateWords) -> Vec<(NaiveDate, Value)> {
    let mut out = Vec::new();
    let report = |kind: &str, x: &DrillReport| {
        json!({
            "kind": kind,
            "to": r.actor_name(&x.to).map(|t| r.text_of(t)),
            "to_url": actor_url(&x.to),
            "text": r.text_of(&x.text),
            "source": x.source,
        })
    };
    for (due, date) in drill.due_dates(year) {
        out.push((
            date,
            json!({"kind": "due", "text": r.text_of(&due.text), "source": due.source}),
        ));
    }
    for x in &drill.report {
        if let Some(date) = x.by.and_then(|b| b.date_in(year)) {
            out.push((date, report("by", x)));
        }
        for (_, held) in drill.due_dates(year) {
            let Some(ReportDue::On(date)) = x.due_within(
                DrillHeld {
                    date: held,
                    time: None,
                },
                r.zone(),
            ) else {
                continue;
            };
            let mut v = report("latest", x);
            if let Value::Object(m) = &mut v {
                m.insert("held".into(), json!(words.date(held)));
            }
            out.push((date, v));
        }
    }
    out.sort_by_key(|(date, _)| *date);
    out
}

/// The worked example: the drill held on [`Drill::example_date`] of `year`
/// (at [`EXAMPLE_START`] when a rule counts hours) and every report due
/// time that follows.
fn example(r: &Ruleset, drill: &Drill, year: i32, words: &DateWords) -> Option<Value> {
    if drill.report.is_empty() {
        return None;
    }
    let date = drill.example_date(year)?;
    let time = drill.needs_time().then_some(EXAMPLE_START);
    let held = DrillHeld { date, time };
    let held_text = match time {
        Some(t) => words.date_time(date.and_time(t)),
        None => words.date(date),
    };
    let reports = drill
        .report
        .iter()
        .map(|x| {
            let dues = x.dues(held, r.zone());
            json!({
                "to": r.actor_name(&x.to).map(|t| r.text_of(t)),
                "to_url": actor_url(&x.to),
                "text": r.text_of(&x.text),
                "dues": dues.iter().map(|d| json!({"text": words.due(*d), "datetime": machine(*d)})).collect::<Vec<_>>(),
            })
        })
        .collect::<Vec<_>>();
    Some(json!({
        "held": held_text,
        "held_datetime": date.format("%Y-%m-%d").to_string(),
        "reports": reports,
    }))
}

pub fn page(
    r: &Ruleset,
    locale: &Locale,
    year: i32,
    durations: &DurationWords,
) -> Result<PageOut, Box<Diagnostic>> {
    let title = |key: &str| locale.get(key).map(str::to_owned);
    let words = DateWords::new(locale)?;
    // The drill words, looked up once so the page below cannot fail halfway.
    let (by_day, by_month_end) = (
        title("drills.yearly_by_day")?,
        title("drills.yearly_by_month_end")?,
    );
    let month_day = |month: u32, day: Option<u32>| match day {
        Some(d) => by_day
            .replace("{month}", &month.to_string())
            .replace("{day}", &d.to_string()),
        None => by_month_end.replace("{month}", &month.to_string()),
    };
    let cadence_words = [
        title("drills.yearly_times")?,
        title("drills.yearly_once")?,
        title("drills.irregular")?,
        title("drills.per_plan")?,
    ];
    let report_after = title("drills.report_after")?;
    let year_heading = title("drills.year_heading")?;
    let mut drills = Vec::new();
    for d in &r.drills {
        let mut years = Vec::new();
        for y in [year, year + 1] {
            let dates = year_dates(r, d, y, &words);
            if dates.is_empty() {
                continue;
            }
            years.push(json!({
                "year": y,
                "heading": year_heading.replace("{year}", &y.to_string()),
                "dates": dates.into_iter().map(|(date, mut v)| {
                    if let Value::Object(m) = &mut v {
                        m.insert("date".into(), json!(words.date(date)));
                        m.insert("datetime".into(), json!(date.format("%Y-%m-%d").to_string()));
                    }
                    v
                }).collect::<Vec<_>>(),
            }));
        }
        drills.push(json!({
            "id": d.id,
            "name": r.text_of(&d.name),
            "organiser": r.actor_name(&d.organiser).map(|t| r.text_of(t)),
            "organiser_url": actor_url(&d.organiser),
            "cadence": match d.cadence.as_str() {
                "yearly" => match d.times_per_year { Some(n) if n > 1 => cadence_words[0].replace("{n}", &n.to_string()), _ => cadence_words[1].clone() },
                "irregular" => cadence_words[2].clone(),
                _ => cadence_words[3].clone(),
            },
            "purpose": d.purpose.iter().map(|t| r.text_of(t)).collect::<Vec<_>>(),
            "description": d.description.as_ref().map(|t| r.text_of(t)),
            "due": d.due.iter().map(|x| json!({"when": month_day(x.month, x.day), "text": r.text_of(&x.text), "source": x.source})).collect::<Vec<_>>(),
            "reports": d.report.iter().map(|x| json!({
                "when": match (&x.within, &x.by) {
                    (Some(w), _) => report_after.replace("{within}", &durations.text(*w)),
                    (None, Some(b)) => month_day(b.month, b.day),
                    _ => String::new(),
                },
                "to": r.actor_name(&x.to).map(|t| r.text_of(t)),
                "to_url": actor_url(&x.to),
                "text": r.text_of(&x.text),
                "rule": rule_json(x),
                "source": x.source,
            })).collect::<Vec<_>>(),
            "needs_time": d.needs_time(),
            "years": years,
            "example": example(r, d, year, &words),
            "participation": d.participation.iter().map(|p| json!({"share": p.share, "of": r.text_of(&p.of), "source": p.source})).collect::<Vec<_>>(),
            "scenarios": d.scenarios.as_ref().map(|s| json!({"min": s.min, "levels": s.levels.iter().filter_map(|l| super::level_label(r, l)).collect::<Vec<_>>(), "source": s.source})),
            "approval": d.approval.as_ref().map(|t| r.text_of(t)),
            "source": d.source,
        }));
    }
    Ok(PageOut {
        path: "drills.html".into(),
        template: "drills.html",
        title: title("nav.drills")?,
        context: json!({
            "drills": drills,
            "year": year,
            // The helper offers the drills that have reports to time.
            "helper": r.drills.iter().any(|d| !d.report.is_empty()),
            "helper_needs_time": r.drills.iter().any(Drill::needs_time),
            "timezone": r.meta.timezone,
            "calendars": ([year, year + 1].iter().map(|y| json!({"year": y, "url": crate::site::ics::drills_path(*y)})).collect::<Vec<_>>()),
        }),
    })
}

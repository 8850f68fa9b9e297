//! The drill calendar as dates: which day a yearly date (`[[drill.due]]`,
//! a report's `by`) falls on in a given year, and when each report of a
//! drill is due once the drill has been held. This is the one definition
//! of that arithmetic: the drills page (the year blocks and the worked
//! examples), the drill calendars (`site::ics`) and the page's script
//! (`drills.js`, held to it by `tests/drills_parity.rs`) all follow it.
//!
//! Pure functions of the compiled rule set and a date: this module never
//! reads the clock, never phrases a date for a reader (the theme's words do
//! that), and never guesses a time of day the reader did not give.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::deadlines::Within;
use super::{Drill, DrillReport, MonthDay, YearlyDue};

/// The last day of `month` in `year` (28 to 31); `None` for a month that
/// does not exist.
pub fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
}

impl MonthDay {
    /// The date this yearly date falls on in `year`: the month's last day
    /// for `"end"`, and also for a day the month lacks that year (29
    /// February in a common year, which `check` warns about). `None` only
    /// outside chrono's range or for a month `check` would have refused.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        let last = last_day_of_month(year, self.month)?;
        let day = self.day.map_or(last, |d| d.min(last));
        NaiveDate::from_ymd_opt(year, self.month, day)
    }

    /// The first date on or after `from` that this yearly date falls on:
    /// in `from`'s year, or the next year's when this year's has passed.
    pub fn on_or_after(self, from: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        let this_year = self.date_in(from.year())?;
        if this_year >= from {
            Some(this_year)
        } else {
            self.date_in(from.year().checked_add(1)?)
        }
    }
}

impl YearlyDue {
    /// The yearly date of this deadline.
    pub fn month_day(&self) -> MonthDay {
        MonthDay {
            month: self.month,
            day: self.day,
        }
    }

    /// The last day the drill may be held for this deadline in `year`.
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        self.month_day().date_in(year)
    }
}

/// When a drill was held: the date, and the time it started when the
/// reader gave one (on the policy zone's wall clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrillHeld {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

/// What a report's time rule gives for a drill held at a [`DrillHeld`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportDue {
    /// Due by the end of this date: a rule in days, weeks or months after
    /// the drill (a calendar step on the date: a month past the end of a
    /// month goes to its last day), at once, or by a yearly date.
    On(NaiveDate),
    /// Due at this wall-clock time in the policy's zone: a rule in hours or
    /// minutes, counted as elapsed time from the drill's start.
    At(NaiveDateTime),
    /// The rule counts hours or minutes, and no start time was given.
    NeedsTime,
    /// The start time given is shown twice or skipped by the zone's clock
    /// (a daylight-saving change), so it names no single instant.
    TimeNotOnClock,
    /// The rule sets no time (`within = "unspecified"`).
    Unspecified,
}

impl DrillReport {
    /// Whether working out this report's due time needs the drill's start
    /// time (a rule in hours or minutes).
    pub fn needs_time(&self) -> bool {
        matches!(self.within, Some(Within::Minutes(_)))
    }

    /// Every due time that follows from this report's rules for a drill
    /// held at `held`, in this order: `within` (after the drill), then `by`
    /// (the first such yearly date on or after the drill's date). A report
    /// with both has both; neither rule is dropped. A due time beyond
    /// chrono's calendar (the year 262 143) is left out.
    pub fn dues(&self, held: DrillHeld, zone: Tz) -> Vec<ReportDue> {
        self.due_within(held, zone)
            .into_iter()
            .chain(self.due_by(held))
            .collect()
    }

    /// The due time of the `within` rule, if the report has one.
    pub fn due_within(&self, held: DrillHeld, zone: Tz) -> Option<ReportDue> {
        due_after(self.within?, held, zone)
    }

    /// The due date of the `by` rule, if the report has one.
    pub fn due_by(&self, held: DrillHeld) -> Option<ReportDue> {
        self.by?.on_or_after(held.date).map(ReportDue::On)
    }
}

/// The due time `within` after a drill held at `held`.
fn due_after(within: Within, held: DrillHeld, zone: Tz) -> Option<ReportDue> {
    Some(match within {
        Within::Unspecified => ReportDue::Unspecified,
        Within::Immediately => ReportDue::On(held.date),
        Within::Days(d) => ReportDue::On(held.date.checked_add_signed(chrono::Duration::days(d))?),
        Within::Months(n) => ReportDue::On(
            held.date
                .checked_add_months(chrono::Months::new(u32::try_from(n).ok()?))?,
        ),
        Within::Minutes(_) => {
            let Some(time) = held.time else {
                return Some(ReportDue::NeedsTime);
            };
            // The same refusal as `deadlines::parse_time` (and the script's
            // `parseTime`): a wall time the clock shows twice or skips is no
            // start to count from.
            let Some(start) = zone.from_local_datetime(&held.date.and_time(time)).single() else {
                return Some(ReportDue::TimeNotOnClock);
            };
            let due = within.after(start.fixed_offset(), zone)?;
            ReportDue::At(due.with_timezone(&zone).naive_local())
        }
    })
}

impl Drill {
    /// Whether any report of this drill needs the drill's start time.
    pub fn needs_time(&self) -> bool {
        self.report.iter().any(DrillReport::needs_time)
    }

    /// The drill's deadlines in `year`, in declared order: the last day it
    /// may be held for each `[[drill.due]]`.
    pub fn due_dates(&self, year: i32) -> Vec<(&YearlyDue, NaiveDate)> {
        self.due
            .iter()
            .filter_map(|d| Some((d, d.date_in(year)?)))
            .collect()
    }

    /// The date the page's worked example holds the drill on in `year`: its
    /// earliest deadline that year (the last day it may be held, where the
    /// report dates matter most), or 1 January for a drill without one.
    pub fn example_date(&self, year: i32) -> Option<NaiveDate> {
        self.due_dates(year)
            .into_iter()
            .map(|(_, date)| date)
            .min()
            .or_else(|| NaiveDate::from_ymd_opt(year, 1, 1))
    }
}

/// The start time the worked example assumes when a report rule counts
/// hours: the start of a working day.
pub const EXAMPLE_START: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::Text;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn report(within: Option<Within>, by: Option<MonthDay>) -> DrillReport {
        DrillReport {
            text: Text::default(),
            to: "someone".into(),
            within,
            by,
            source: "1".into(),
        }
    }

    fn held(date: NaiveDate) -> DrillHeld {
        DrillHeld { date, time: None }
    }

    const TAIPEI: Tz = chrono_tz::Asia::Taipei;

    #[test]
    fn yearly_dates_follow_the_calendar() {
        let end_of = |month| MonthDay { month, day: None };
        assert_eq!(end_of(2).date_in(2028), Some(date(2028, 2, 29)));
        assert_eq!(end_of(2).date_in(2027), Some(date(2027, 2, 28)));
        assert_eq!(end_of(9).date_in(2026), Some(date(2026, 9, 30)));
        let leap_day = MonthDay {
            month: 2,
            day: Some(29),
        };
        assert_eq!(leap_day.date_in(2026), Some(date(2026, 2, 28)));
        assert_eq!(leap_day.date_in(2028), Some(date(2028, 2, 29)));
        assert_eq!(end_of(13).date_in(2026), None);
    }

    #[test]
    fn a_by_date_is_the_next_one_on_or_after_the_drill() {
        let by = MonthDay {
            month: 10,
            day: None,
        };
        assert_eq!(by.on_or_after(date(2026, 9, 30)), Some(date(2026, 10, 31)));
        assert_eq!(by.on_or_after(date(2026, 10, 31)), Some(date(2026, 10, 31)));
        assert_eq!(by.on_or_after(date(2026, 11, 1)), Some(date(2027, 10, 31)));
    }

    #[test]
    fn reports_after_a_drill_step_the_calendar() {
        let in_days = report(Some(Within::Days(14)), None);
        assert_eq!(
            in_days.dues(held(date(2026, 12, 25)), TAIPEI),
            (vec![ReportDue::On(date(2027, 1, 8))])
        );
        let in_a_month = report(Some(Within::Months(1)), None);
        assert_eq!(
            in_a_month.dues(held(date(2028, 1, 31)), TAIPEI),
            (vec![ReportDue::On(date(2028, 2, 29))])
        );
        let both = report(
            Some(Within::Immediately),
            Some(MonthDay {
                month: 3,
                day: Some(1),
            }),
        );
        assert_eq!(
            both.dues(held(date(2028, 2, 29)), TAIPEI),
            (vec![
                ReportDue::On(date(2028, 2, 29)),
                ReportDue::On(date(2028, 3, 1))
            ])
        );
        assert_eq!(
            report(Some(Within::Unspecified), None).dues(held(date(2026, 1, 1)), TAIPEI),
            (vec![ReportDue::Unspecified])
        );
    }

    #[test]
    fn hours_need_a_start_time_on_the_clock() {
        let in_hours = report(Some(Within::Minutes(36 * 60)), None);
        assert!(in_hours.needs_time());
        assert_eq!(
            in_hours.dues(held(date(2026, 2, 28)), TAIPEI),
            (vec![ReportDue::NeedsTime])
        );
        let at = |d, h, m| DrillHeld {
            date: d,
            time: NaiveTime::from_hms_opt(h, m, 0),
        };
        let due = |d: NaiveDate, h, m| ReportDue::At(d.and_hms_opt(h, m, 0).expect("a time"));
        assert_eq!(
            in_hours.dues(at(date(2026, 2, 28), 22, 30), TAIPEI),
            (vec![due(date(2026, 3, 2), 10, 30)])
        );
        // Elapsed hours across the end of summer time in Brussels: the wall
        // clock shows one hour less.
        let brussels = chrono_tz::Europe::Brussels;
        assert_eq!(
            in_hours.dues(at(date(2026, 10, 24), 12, 0), brussels),
            (vec![due(date(2026, 10, 25), 23, 0)])
        );
        assert_eq!(
            in_hours.dues(at(date(2026, 10, 25), 2, 30), brussels),
            (vec![ReportDue::TimeNotOnClock])
        );
        assert_eq!(
            in_hours.dues(at(date(2026, 3, 29), 2, 30), brussels),
            (vec![ReportDue::TimeNotOnClock])
        );
    }
}

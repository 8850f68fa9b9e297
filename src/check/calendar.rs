//! `calendar`: drill dates must exist, reports must be due after the drill
//! they report on, and participation shares must lie in (0, 1].

use toml::Spanned;

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::parse_share;
use crate::policy::{DayOfMonth, FileId, Policy};

/// The last day of a month in a leap year: the most a date may ever have.
fn max_day(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks one month/day pair and returns it as (month, day) with `end`
/// resolved to the month's last day in a common year.
fn date(
    file: FileId,
    month: &Spanned<i64>,
    day: &Spanned<DayOfMonth>,
    out: &mut Vec<Diagnostic>,
) -> Option<(u32, u32)> {
    let Some(m) = u32::try_from(*month.get_ref())
        .ok()
        .filter(|m| (1..=12).contains(m))
    else {
        out.push(
            Diagnostic::error(
                Rule::Calendar,
                format!("month {} does not exist", month.get_ref()),
            )
            .at(span_of(file, month), "expected 1 to 12")
            .hint("months are numbered 1 (January) to 12 (December)"),
        );
        return None;
    };
    match day.get_ref() {
        DayOfMonth::Named(name) if name == "end" => {
            // February's end moves; for ordering, its common-year end is
            // the earliest it can be.
            Some((m, if m == 2 { 28 } else { max_day(m) }))
        }
        DayOfMonth::Named(name) => {
            out.push(
                Diagnostic::error(Rule::Calendar, format!("`{name}` is not a day"))
                    .at(span_of(file, day), "expected 1-31 or \"end\"")
                    .hint("write the day number, or \"end\" for the last day of the month"),
            );
            None
        }
        DayOfMonth::Day(d) => {
            let ok = u32::try_from(*d)
                .ok()
                .filter(|d| *d >= 1 && *d <= max_day(m));
            match ok {
                Some(d) if m == 2 && d == 29 => {
                    out.push(
                        Diagnostic::warning(
                            Rule::Calendar,
                            "29 February exists only in leap years",
                        )
                        .at(span_of(file, day), "missing in three years out of four")
                        .hint("use day = \"end\" for the last day of February"),
                    );
                    Some((m, 28))
                }
                Some(d) => Some((m, d)),
                None => {
                    out.push(
                        Diagnostic::error(Rule::Calendar, format!("month {m} has no day {d}"))
                            .at(
                                span_of(file, day),
                                format!("month {m} has {} days at most", max_day(m)),
                            )
                            .hint("fix the day, or use \"end\" for the last day of the month"),
                    );
                    None
                }
            }
        }
    }
}

pub fn check(policy: &Policy, out: &mut Vec<Diagnostic>) {
    let Some(d) = &policy.drills else { return };
    let f = d.file;
    for drill in &d.value.drill {
        let dues: Vec<(u32, u32)> = drill
            .due
            .iter()
            .filter_map(|due| date(f, &due.month, &due.day, out))
            .collect();
        if let Some(times) = &drill.times_per_year {
            if *times.get_ref() < 1 {
                out.push(
                    Diagnostic::error(
                        Rule::Calendar,
                        format!("`times_per_year` is {}", times.get_ref()),
                    )
                    .at(span_of(f, times), "must be at least 1")
                    .hint("remove it for drills without a yearly count"),
                );
            } else if drill.due.len() as i64 > *times.get_ref() {
                out.push(
                    Diagnostic::error(
                        Rule::Calendar,
                        format!(
                            "drill `{}` has {} due dates but runs {} time(s) a year",
                            drill.id.get_ref(),
                            drill.due.len(),
                            times.get_ref()
                        ),
                    )
                    .at(span_of(f, times), "fewer runs than due dates")
                    .hint("each due date is the deadline of one run; raise times_per_year or remove a date")
                    .subject(drill.id.get_ref().clone()),
                );
            }
        }
        let last_due = dues.iter().max().copied();
        for report in &drill.report {
            if let Some(by) = &report.by
                && let Some(by_date) = date(f, &by.month, &by.day, out)
                && let Some(last) = last_due
                && by_date < last
            {
                out.push(
                    Diagnostic::error(
                        Rule::Calendar,
                        format!(
                            "the report of `{}` is due {}/{} but the drill may run until {}/{}",
                            drill.id.get_ref(),
                            by_date.0,
                            by_date.1,
                            last.0,
                            last.1
                        ),
                    )
                    .at(span_of(f, &by.month), "report due before the drill")
                    .hint("the report window must close after the last day the drill may be held")
                    .subject(drill.id.get_ref().clone()),
                );
            }
            if report.within.is_none() && report.by.is_none() {
                out.push(
                    Diagnostic::error(Rule::Calendar, format!("a report of `{}` has no due time", drill.id.get_ref()))
                        .at(span_of(f, &report.to), "when is it due?")
                        .hint("add within = \"2w\" (after the drill) or by = { month = 10, day = \"end\" }")
                        .subject(drill.id.get_ref().clone()),
                );
            }
        }
        for p in &drill.participation {
            match parse_share(p.share.get_ref()) {
                Some((n, dd)) if n > 0 && dd > 0 && n <= dd => {}
                Some(_) => out.push(
                    Diagnostic::error(Rule::Calendar, format!("share `{}` is outside (0, 1]", p.share.get_ref()))
                        .at(span_of(f, &p.share), "not a share of a whole")
                        .hint("a participation share is more than nothing and at most everyone: \"1/3\", \"1/4\", \"1/1\""),
                ),
                None => out.push(
                    Diagnostic::error(Rule::Calendar, format!("`{}` is not a fraction", p.share.get_ref()))
                        .at(span_of(f, &p.share), "expected a fraction such as \"1/3\"")
                        .hint("write the share as numerator/denominator"),
                ),
            }
        }
        if let Some(s) = &drill.scenarios
            && (*s.min.get_ref() < 1 || (*s.min.get_ref() as usize) < s.levels.len())
        {
            out.push(
                Diagnostic::error(
                    Rule::Calendar,
                    format!(
                        "at least {} scenario(s) cannot cover {} levels",
                        s.min.get_ref(),
                        s.levels.len()
                    ),
                )
                .at(span_of(f, &s.min), "too few scenarios")
                .hint("the minimum must be at least one scenario per level listed")
                .subject(drill.id.get_ref().clone()),
            );
        }
    }
}

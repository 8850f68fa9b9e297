//! Drill calendars: one `.ics` per year with every yearly due date of the
//! drills (all-day events), so a handling group can subscribe its planners.

use super::rfc_text::{escape_text as escape, fold_line as fold};
use crate::ruleset::Ruleset;

pub fn drills_path(year: i32) -> String {
    format!("drills-{year}.ics")
}

fn last_day(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| chrono::NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(28)
}

fn zh(t: &crate::ruleset::Text) -> String {
    t.get("zh-TW").cloned().unwrap_or_default()
}

/// The calendar of one year's drill deadlines.
pub fn drills(r: &Ruleset, year: i32) -> String {
    let mut s = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//incident-handbook//drills//ZH-TW",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        s.push_str(&fold(line));
    }
    let mut n = 0;
    for d in &r.drills {
        let mut dates: Vec<(u32, Option<u32>, String, String)> = d
            .due
            .iter()
            .map(|x| {
                (
                    x.month,
                    x.day,
                    format!("{}：{}", zh(&d.name), zh(&x.text)),
                    x.source.clone(),
                )
            })
            .collect();
        for rep in &d.report {
            if let Some(by) = &rep.by {
                dates.push((
                    by.month,
                    by.day,
                    format!("{}：{}", zh(&d.name), zh(&rep.text)),
                    rep.source.clone(),
                ));
            }
        }
        for (month, day, summary, source) in dates {
            let day = day
                .unwrap_or_else(|| last_day(year, month))
                .min(last_day(year, month));
            let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            let next = date.succ_opt().unwrap_or(date);
            n += 1;
            for line in [
                "BEGIN:VEVENT".to_owned(),
                format!("UID:{}-{year}-{n}@incident-handbook", d.id),
                format!("DTSTAMP:{year}0101T000000Z"),
                format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")),
                format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
                format!("SUMMARY:{}", escape(&format!("期限：{summary}"))),
                format!(
                    "DESCRIPTION:{}",
                    escape(&format!("依據：綱要 {source}（{} 版規則）", r.meta.version))
                ),
                "END:VEVENT".to_owned(),
            ] {
                s.push_str(&fold(&line));
            }
        }
    }
    s.push_str(&fold("END:VCALENDAR"));
    s
}

pub fn files(r: &Ruleset, year: i32) -> Vec<(String, Vec<u8>)> {
    [year, year + 1]
        .iter()
        .map(|y| (drills_path(*y), drills(r, *y).into_bytes()))
        .collect()
}

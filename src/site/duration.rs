//! Durations as the reader sees them: a deadline's [`Within`] phrased
//! through the locale's `[duration]` keys (`hours = "{n} 小時內"`), so no
//! unit word is written in Rust. This module only chooses the unit; the
//! words are the theme's.

use super::locale::Locale;
use crate::diagnostics::Diagnostic;
use crate::ruleset::deadlines::Within;

const HOUR: i64 = 60;
const WEEK_DAYS: i64 = 7;

/// The `[duration]` words of a locale, looked up once per build (a missing
/// key is a located error then), so phrasing a duration cannot fail.
#[derive(Debug, Clone)]
pub struct DurationWords {
    minutes: String,
    hours: String,
    days: String,
    weeks: String,
    months: String,
    immediately: String,
    unspecified: String,
}

impl DurationWords {
    pub fn new(locale: &Locale) -> Result<DurationWords, Box<Diagnostic>> {
        let get = |key: &str| locale.get(key).map(str::to_owned);
        Ok(DurationWords {
            minutes: get("duration.minutes")?,
            hours: get("duration.hours")?,
            days: get("duration.days")?,
            weeks: get("duration.weeks")?,
            months: get("duration.months")?,
            immediately: get("duration.immediately")?,
            unspecified: get("duration.unspecified")?,
        })
    }

    /// `w` in words: elapsed time in hours when whole, else minutes;
    /// calendar days in weeks when whole, else days; calendar months.
    pub fn text(&self, w: Within) -> String {
        let count = |words: &str, n: i64| words.replace("{n}", &n.to_string());
        match w {
            Within::Minutes(m) if m % HOUR == 0 => count(&self.hours, m / HOUR),
            Within::Minutes(m) => count(&self.minutes, m),
            Within::Days(d) if d % WEEK_DAYS == 0 => count(&self.weeks, d / WEEK_DAYS),
            Within::Days(d) => count(&self.days, d),
            Within::Months(n) => count(&self.months, n),
            Within::Immediately => self.immediately.clone(),
            Within::Unspecified => self.unspecified.clone(),
        }
    }
}

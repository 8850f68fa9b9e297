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
/// key is a located error then), so phrasing a duration cannot fail. Each
/// unit has a singular (`hours_one`, for 1) and a form for other counts.
#[derive(Debug, Clone)]
pub struct DurationWords {
    minutes: [String; 2],
    hours: [String; 2],
    days: [String; 2],
    weeks: [String; 2],
    months: [String; 2],
    immediately: String,
    unspecified: String,
}

impl DurationWords {
    pub fn new(locale: &Locale) -> Result<DurationWords, Box<Diagnostic>> {
        let get = |key: &str| locale.get(key).map(str::to_owned);
        let unit = |key: &str| -> Result<[String; 2], Box<Diagnostic>> {
            Ok([get(&format!("{key}_one"))?, get(key)?])
        };
        Ok(DurationWords {
            minutes: unit("duration.minutes")?,
            hours: unit("duration.hours")?,
            days: unit("duration.days")?,
            weeks: unit("duration.weeks")?,
            months: unit("duration.months")?,
            immediately: get("duration.immediately")?,
            unspecified: get("duration.unspecified")?,
        })
    }

    /// `w` in words: elapsed time in hours when whole, else minutes;
    /// calendar days in weeks when whole, else days; calendar months.
    pub fn text(&self, w: Within) -> String {
        let count =
            |words: &[String; 2], n: i64| words[usize::from(n != 1)].replace("{n}", &n.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> DurationWords {
        let w = |s: &str| [format!("{s} one"), format!("{{n}} {s}s")];
        DurationWords {
            minutes: w("minute"),
            hours: w("hour"),
            days: w("day"),
            weeks: w("week"),
            months: w("month"),
            immediately: "now".into(),
            unspecified: "open".into(),
        }
    }

    #[test]
    fn units_and_counts() {
        let w = words();
        assert_eq!(w.text(Within::Minutes(60)), "hour one");
        assert_eq!(w.text(Within::Minutes(36 * 60)), "36 hours");
        assert_eq!(w.text(Within::Minutes(3 * 24 * 60)), "72 hours");
        // Elapsed hours stay hours; calendar days and months are theirs.
        assert_eq!(w.text(Within::Minutes(14 * 24 * 60)), "336 hours");
        assert_eq!(w.text(Within::Days(14)), "2 weeks");
        assert_eq!(w.text(Within::Days(7)), "week one");
        assert_eq!(w.text(Within::Days(3)), "3 days");
        assert_eq!(w.text(Within::Months(1)), "month one");
        assert_eq!(w.text(Within::Months(2)), "2 months");
        assert_eq!(w.text(Within::Minutes(30)), "30 minutes");
        assert_eq!(w.text(Within::Immediately), "now");
        assert_eq!(w.text(Within::Unspecified), "open");
    }
}

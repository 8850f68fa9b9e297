//! Durations of the policy's `within` tables: what `"36h"`, `"3d"` or
//! `"1mo"` means, and the due time it gives after a base instant in the
//! policy's zone. Pure values and arithmetic: `check` parses and compares
//! them, `ruleset::deadlines` computes with them. This module never reads
//! the clock, assumes a zone, or phrases a duration for a reader (the
//! theme's words do that, `site::duration`).

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, Months, NaiveDateTime, Offset, TimeZone,
};
use chrono_tz::Tz;
use serde::Serialize;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_within("1h"), Ok(Within::Minutes(60)));
        assert_eq!(parse_within("36h"), Ok(Within::Minutes(36 * 60)));
        assert_eq!(parse_within("2w"), Ok(Within::Days(14)));
        assert_eq!(parse_within("3d"), Ok(Within::Days(3)));
        assert_eq!(parse_within("1mo"), Ok(Within::Months(1)));
        assert_eq!(parse_within("12mo"), Ok(Within::Months(12)));
        assert!(parse_within("13mo").is_err());
        assert!(parse_within("367d").is_err());
        assert!(parse_within("1y").is_err());
        for text in [
            "30m",
            "36h",
            "3d",
            "2w",
            "1mo",
            "immediately",
            "unspecified",
        ] {
            assert_eq!(parse_within(text).map(Within::label), Ok(text.to_owned()));
        }
        assert_eq!(parse_within("immediately"), Ok(Within::Immediately));
        assert!(parse_within("1 hour").is_err());
        assert!(parse_within("h").is_err());
        assert!(parse_within("0h").is_err());
        assert!(parse_within("99999999999999999999h").is_err());
    }
}

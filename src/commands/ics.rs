//! iCalendar (RFC 5545) export of computed deadlines.
//!
//! Times are written in UTC (`...Z`), which every calendar reads without a
//! VTIMEZONE block; the description repeats the time at `+08:00` for people.
//! Output is deterministic: UIDs and DTSTAMP derive from the incident, not
//! from the clock. Escaping and folding are `site::rfc_text`'s, shared with
//! the site's calendars and vCards.

use chrono::{DateTime, FixedOffset, Utc};

use crate::ruleset::Ruleset;
use crate::ruleset::deadlines::{DueTime, EventKind, IncidentFacts, format_time};
use crate::site::rfc_text::{escape_text as escape, fold_line as fold};

fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

pub fn calendar(ruleset: &Ruleset, facts: &IncidentFacts, due: &[DueTime]) -> String {
    let zone = ruleset.zone();
    let zh = |t: Option<&crate::ruleset::Text>| {
        t.and_then(|t| t.get("zh-TW")).cloned().unwrap_or_default()
    };
    let stamp = utc(&facts.discovered);
    let mut s = String::new();
    s.push_str(&fold("BEGIN:VCALENDAR"));
    s.push_str(&fold("VERSION:2.0"));
    s.push_str(&fold("PRODID:-//incident-handbook//deadlines//ZH-TW"));
    s.push_str(&fold("CALSCALE:GREGORIAN"));
    s.push_str(&fold("METHOD:PUBLISH"));
    for d in due {
        let Some(t) = d.due else { continue };
        let name = zh(ruleset.event(&d.event).map(|e| &e.name));
        let actor = zh(ruleset.actor_name(&d.actor));
        let prefix = if d.kind == EventKind::Right {
            "起始："
        } else {
            "期限："
        };
        let mut desc = format!(
            "{actor}：{name}\n{prefix}{}（UTC+8）\n依據：綱要 {}",
            format_time(&t, zone),
            d.source
        );
        if d.assumed {
            desc.push_str("\n此時間由前一事件的期限推算（實際時間未提供）。");
        }
        s.push_str(&fold("BEGIN:VEVENT"));
        s.push_str(&fold(&format!(
            "UID:{}-L{}-{}@incident-handbook",
            d.event, facts.level, stamp
        )));
        s.push_str(&fold(&format!("DTSTAMP:{stamp}")));
        s.push_str(&fold(&format!("DTSTART:{}", utc(&t))));
        s.push_str(&fold(&format!("DTEND:{}", utc(&t))));
        s.push_str(&fold(&format!(
            "SUMMARY:{}",
            escape(&format!("{prefix}{name}"))
        )));
        s.push_str(&fold(&format!("DESCRIPTION:{}", escape(&desc))));
        s.push_str(&fold("BEGIN:VALARM"));
        s.push_str(&fold("ACTION:DISPLAY"));
        s.push_str(&fold(&format!("DESCRIPTION:{}", escape(&name))));
        s.push_str(&fold("TRIGGER:-PT15M"));
        s.push_str(&fold("END:VALARM"));
        s.push_str(&fold("END:VEVENT"));
    }
    s.push_str(&fold("END:VCALENDAR"));
    s
}

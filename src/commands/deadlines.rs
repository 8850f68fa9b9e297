//! `handbook deadlines`: every deadline of one incident.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::{EXIT_OK, EXIT_POLICY, EXIT_USAGE, ruleset_or_exit};
use crate::domain::LevelId;
use crate::ruleset::Ruleset;
use crate::ruleset::deadlines::{
    Conflict, Contradiction, DueTime, EventKind, EventSpec, IncidentFacts, StartTime, compute,
    conflicts, format_time, parse_time, start_times,
};
use crate::site::ics;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeadlineFormat {
    #[default]
    Table,
    Json,
    Ics,
}

#[derive(Debug, Clone)]
pub struct DeadlinesOptions {
    pub root: PathBuf,
    pub level: LevelId,
    pub discovered: String,
    pub support: bool,
    pub portal_down: bool,
    /// `EVENT=TIME` pairs.
    pub at: Vec<String>,
    /// Only the deadlines of this reader (an actor of `[handbook] readers`).
    pub role: Option<String>,
    pub format: DeadlineFormat,
}

/// The facts of an incident from command-line words, or a usage error.
pub fn facts_from_options(
    ruleset: &Ruleset,
    opts: &DeadlinesOptions,
) -> Result<IncidentFacts, String> {
    let zone = ruleset.zone();
    if ruleset.level(&opts.level).is_none() {
        return Err(format!(
            "level {} does not exist: use one of {}",
            opts.level,
            ruleset.level_order().list()
        ));
    }
    let discovered =
        parse_time(&opts.discovered, zone).map_err(|e| format!("--discovered: {e}"))?;
    let mut actual = BTreeMap::new();
    for pair in &opts.at {
        let Some((event, time)) = pair.split_once('=') else {
            return Err(format!(
                "--at {pair}: expected EVENT=TIME, e.g. report=2026-03-01T09:40"
            ));
        };
        if ruleset.event(event).is_none() {
            let known: Vec<&str> = ruleset.events.iter().map(|e| e.id.as_str()).collect();
            return Err(format!(
                "--at {pair}: unknown event `{event}`; events are: {}",
                known.join(", ")
            ));
        }
        let t = parse_time(time, zone).map_err(|e| format!("--at {pair}: {e}"))?;
        actual.insert(event.to_owned(), t);
    }
    let mut conditions = BTreeSet::new();
    let roles = &ruleset.handbook;
    for (flag, on, role, id) in [
        (
            "--support",
            opts.support,
            "support_condition",
            &roles.support_condition,
        ),
        (
            "--portal-down",
            opts.portal_down,
            "portal_down_condition",
            &roles.portal_down_condition,
        ),
    ] {
        if !on {
            continue;
        }
        let Some(id) = id else {
            return Err(format!(
                "{flag} needs `{role}` in the [handbook] table of policy/policy.toml, naming a [[condition]] of policy/deadlines.toml, and this policy has none"
            ));
        };
        conditions.insert(id.clone());
    }
    let facts = IncidentFacts {
        zone,
        level: opts.level.clone(),
        discovered,
        discovery: ruleset.handbook.discovery.clone(),
        conditions,
        actual,
    };
    let specs = ruleset.event_specs();
    match conflicts(&specs, &facts).first() {
        Some(c) => Err(conflict_message(c, &specs, &facts)),
        None => Ok(facts),
    }
}

/// "`review` at ... (--at review) is before `report` at ... (--at report),
/// the event it is timed from", naming both times and where each came from
/// (for a deadline: what it counts from).
fn conflict_message(c: &Conflict, specs: &[EventSpec], facts: &IncidentFacts) -> String {
    let zone = facts.zone;
    let origin = |event: &str| {
        if facts.actual.contains_key(event) {
            return format!("--at {event}");
        }
        if event == facts.discovery {
            return "--discovered".to_owned();
        }
        // Done through another event that counts as it.
        match specs
            .iter()
            .find(|s| s.counts_as.as_deref() == Some(event) && facts.actual.contains_key(&s.id))
        {
            Some(s) => format!("--at {}, which counts as it", s.id),
            None => "not given".to_owned(),
        }
    };
    let this = format!(
        "`{}` at {} ({})",
        c.event,
        format_time(&c.time, zone),
        origin(&c.event)
    );
    let other = format!(
        "`{}` at {} ({})",
        c.other,
        format_time(&c.other_time, zone),
        origin(&c.other)
    );
    // The anchor's deadline and what it counts from, at this level.
    let deadline = || {
        let time = c
            .deadline
            .map(|by| format!(", {}", format_time(&by, zone)))
            .unwrap_or_default();
        let counted = specs.iter().find(|s| s.id == c.other).and_then(|s| {
            let within = s.within.get(&facts.level)?;
            let from = s.anchor.as_deref()?;
            Some(format!(
                " ({} after `{from}` at level {})",
                within.label(),
                facts.level
            ))
        });
        format!("{time}{}", counted.unwrap_or_default())
    };
    match c.relation {
        Contradiction::Before => format!(
            "the times contradict each other: {this} is before {other}, which it cannot precede; correct one of them"
        ),
        Contradiction::After => format!(
            "the times contradict each other: {this} is after {other}, which it cannot follow; correct one of them"
        ),
        Contradiction::BeforeDeadline => format!(
            "the times contradict each other: {this} is before the deadline of `{}`{}, and it arises only once that deadline has passed without `{}` done; correct one of them",
            c.other,
            deadline(),
            c.other
        ),
        Contradiction::AnchorOnTime => format!(
            "the times contradict each other: {this} arises only when `{}` misses its deadline{}, but {other} was done by then, so it never arose; correct one of them",
            c.other,
            deadline()
        ),
    }
}

/// The reader `--role` names, checked against `[handbook] readers`, or a
/// usage error listing the readers (or saying the policy declares none).
pub fn reader_from_options<'a>(
    ruleset: &Ruleset,
    role: Option<&'a str>,
) -> Result<Option<&'a str>, String> {
    let Some(role) = role else { return Ok(None) };
    let readers = &ruleset.handbook.readers;
    if readers.is_empty() {
        return Err(format!(
            "--role {role}: this policy declares no readers (`readers` in the [handbook] table of policy/policy.toml), so every deadline is everyone's; leave out --role"
        ));
    }
    if readers.iter().any(|r| r == role) {
        return Ok(Some(role));
    }
    let listed: Vec<String> = readers
        .iter()
        .map(|r| match ruleset.opt_text_of(ruleset.actor_name(r)) {
            Some(name) => format!("{r} ({name})"),
            None => r.clone(),
        })
        .collect();
    Err(format!(
        "--role {role} is not a reader of this policy: use one of {}",
        listed.join(", ")
    ))
}

/// The rows of `due` that are the reader's own (all of them without a
/// reader), in `compute`'s order: what the site's `splitByRole` calls mine.
pub fn rows_of_reader(due: Vec<DueTime>, reader: Option<&str>) -> Vec<DueTime> {
    match reader {
        Some(role) => due.into_iter().filter(|d| d.actor == role).collect(),
        None => due,
    }
}

pub fn deadlines(opts: &DeadlinesOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let ruleset = match ruleset_or_exit(&opts.root, err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let checked = facts_from_options(&ruleset, opts)
        .and_then(|f| Ok((f, reader_from_options(&ruleset, opts.role.as_deref())?)));
    let (facts, reader) = match checked {
        Ok(f) => f,
        Err(msg) => {
            let _ = writeln!(err, "error: {msg}");
            return EXIT_USAGE;
        }
    };
    let specs = ruleset.event_specs();
    let due = rows_of_reader(compute(&specs, &facts), reader);
    let starts = start_times(&specs, &facts);
    let text = match opts.format {
        DeadlineFormat::Json => json_output(&ruleset, &facts, reader, &starts, &due),
        DeadlineFormat::Table => table(&ruleset, &facts, reader, &starts, &due),
        DeadlineFormat::Ics => match calendar_words(&opts.root, err) {
            Ok(words) => ics::deadlines(&ruleset, &facts, &due, &words),
            Err(code) => return code,
        },
    };
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

/// The calendar's words from the theme's locale for the policy's language
/// (a project's `locales/` merged over it), or the exit code after
/// printing why they are missing.
fn calendar_words(root: &Path, err: &mut dyn Write) -> Result<ics::CalendarWords, u8> {
    let mut loaded = match crate::policy::load(root) {
        Ok(loaded) => loaded,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return Err(EXIT_USAGE);
        }
    };
    let located = crate::site::locale::load_into(root, &loaded.policy, &mut loaded.sources)
        .map_err(|ds| ds.into_iter().next().map(Box::new))
        .and_then(|locale| locale.ok_or(None))
        .and_then(|locale| ics::CalendarWords::new(&locale).map_err(Some));
    match located {
        Ok(words) => Ok(words),
        Err(d) => {
            if let Some(d) = d {
                let _ = write!(
                    err,
                    "{}",
                    crate::diagnostics::render_human(&[*d], &loaded.sources)
                );
            }
            Err(EXIT_POLICY)
        }
    }
}

/// `{"level":N,"discovered":"...","role":...,"starts":[...],"deadlines":[...]}`;
/// with a reader, `deadlines` holds only that reader's rows.
pub fn json_output(
    ruleset: &Ruleset,
    facts: &IncidentFacts,
    reader: Option<&str>,
    starts: &[StartTime],
    due: &[DueTime],
) -> String {
    let zone = ruleset.zone();
    let doc = json!({
        "level": facts.level,
        "discovered": format_time(&facts.discovered, zone),
        "timezone": ruleset.meta.timezone,
        "conditions": facts.conditions,
        "role": reader,
        "ruleset": {"version": ruleset.meta.version, "digest": ruleset.digest},
        "edition": ruleset.meta.edition,
        "starts": starts.iter().map(|s| json!({
            "event": s.event,
            "time": s.time.map(|t| format_time(&t, zone)),
            "assumed": s.assumed,
            "from": s.from,
        })).collect::<Vec<_>>(),
        "deadlines": due.iter().map(|d| json!({
            "event": d.event,
            "actor": d.actor,
            "due": d.due.map(|t| format_time(&t, zone)),
            "anchor": d.anchor,
            "within": d.within.label(),
            "assumed": d.assumed,
            "kind": d.kind,
            "if_anchor_missed": d.if_anchor_missed,
            "actual": d.actual.map(|t| format_time(&t, zone)),
            "source": d.source,
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn table(
    ruleset: &Ruleset,
    facts: &IncidentFacts,
    reader: Option<&str>,
    starts: &[StartTime],
    due: &[DueTime],
) -> String {
    let zone = ruleset.zone();
    // `compute` lists only the rule set's events, whose actors resolve, so
    // a name is always there; the handbook's language picks the text.
    let name =
        |t: Option<&crate::ruleset::Text>| ruleset.opt_text_of(t).unwrap_or_default().to_owned();
    let mut rows: Vec<[String; 6]> = vec![[
        "EVENT".into(),
        format!("DUE ({})", zone.name()),
        "WITHIN".into(),
        "FROM".into(),
        "ACTOR".into(),
        "SOURCE".into(),
    ]];
    let mut any_assumed = false;
    let mut missed: BTreeSet<String> = BTreeSet::new();
    for d in due {
        let mut when = match d.due {
            Some(t) => format_time(&t, zone),
            None => "-".into(),
        };
        if d.assumed {
            when.push('*');
            any_assumed = true;
        }
        if d.kind == EventKind::Right {
            when = format!("from {when}");
        }
        if let Some(a) = d.actual {
            when = format!("{when} (done {})", format_time(&a, zone));
        }
        rows.push([
            format!(
                "{} {}",
                d.event,
                name(ruleset.event(&d.event).map(|e| &e.name))
            ),
            when,
            d.within.label(),
            match (&d.anchor, d.if_anchor_missed) {
                (Some(a), true) => {
                    missed.insert(a.clone());
                    format!("{a} deadline, missed")
                }
                (a, _) => a.clone().unwrap_or_default(),
            },
            name(ruleset.actor_name(&d.actor)),
            d.source.clone(),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| {
            rows.iter()
                .map(|r| UnicodeWidthStr::width(r[c].as_str()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let level_name = name(ruleset.level(&facts.level).map(|l| &l.name));
    let mut s = format!(
        "{level_name} (level {}), discovered {}\n\n",
        facts.level,
        format_time(&facts.discovered, zone)
    );
    if let Some(role) = reader {
        s.push_str(&format!(
            "Only the deadlines of {role} {} (--role); other bodies' are left out.\n\n",
            name(ruleset.actor_name(role))
        ));
    }
    for st in starts {
        let Some(t) = st.time else { continue };
        let event_name = name(ruleset.event(&st.event).map(|e| &e.name));
        match (&st.from, st.assumed) {
            (Some(from), true) => s.push_str(&format!(
                "{} {event_name}: {}* (not given: taken as `{from}`, the latest it can be)\n",
                st.event,
                format_time(&t, zone)
            )),
            _ => s.push_str(&format!(
                "{} {event_name}: {}\n",
                st.event,
                format_time(&t, zone)
            )),
        }
        any_assumed |= st.assumed;
    }
    if starts.iter().any(|st| st.time.is_some()) {
        s.push('\n');
    }
    for r in &rows {
        let line: Vec<String> = r.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    if any_assumed {
        s.push_str("\n* assumed: a time was not given (--at EVENT=TIME), so this counts from the latest it can be (the anchor's own deadline, or the time it may not be later than)\n");
    } else {
        s.push('\n');
    }
    for a in &missed {
        s.push_str(&format!(
            "{a} deadline, missed: arises only because `{a}` was not done by its deadline; counted from that deadline, not from when `{a}` was done\n"
        ));
    }
    s.push_str("- no fixed time in the guideline; also shown when the anchor's time is unknown\n");
    s.push_str(&edition_lines(ruleset));
    s
}

/// Which text the deadlines come from, and the later rules that change some
/// of them.
fn edition_lines(ruleset: &Ruleset) -> String {
    let text = |t| ruleset.text_of(t);
    let e = &ruleset.meta.edition;
    let date = match &e.date {
        Some(d) => format!("dated {d}"),
        None => "the copy encoded carries no date".to_owned(),
    };
    let mut s = format!("\nBased on {} ({date}).\n", text(&e.title));
    if !e.later.is_empty() {
        let later: Vec<String> = e
            .later
            .iter()
            .map(|l| format!("{} (since {})", text(&l.name), l.since))
            .collect();
        s.push_str(&format!(
            "Later rules change some of these deadlines: {}. {}\n",
            later.join(", "),
            text(&e.note)
        ));
    }
    s
}

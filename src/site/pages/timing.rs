//! The timing of an event as text: what it counts from, when it arises at
//! all (only if its anchor misses its deadline, only under a condition),
//! what stands in for a start that is not known, and the time per level.
//!
//! Every page, the flow diagram and the search index print these strings,
//! rendered once per build from the theme's `timing.txt`, so a deadline
//! reads the same wherever staff look it up during an incident (the
//! calculator phrases the same facts from `deadlines.html`). This module
//! gathers the facts from the rule set; it must never phrase them itself:
//! the words are the theme's.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::diagnostics::Diagnostic;
use crate::domain::{EventId, LevelId, Levels};
use crate::ruleset::deadlines::{EventKind, Within};
use crate::ruleset::{Event, Ruleset};
use crate::site::duration::DurationWords;
use crate::site::locale::Locale;
use crate::site::theme::Theme;

/// The template that phrases one event's timing (plain text, not HTML).
pub const TIMING_TEMPLATE: &str = "timing.txt";

/// Which part of the timing a page prints.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// What it counts from, and when it arises: for tables that give the
    /// time of each level in a column of its own.
    From,
    /// The whole timing, every level.
    All,
    /// The whole timing for one level.
    Level(LevelId),
}

impl Part {
    fn name(&self) -> &'static str {
        match self {
            Part::From => "from",
            Part::All => "all",
            Part::Level(_) => "level",
        }
    }
}

/// The rendered timing of every event, by part.
#[derive(Debug, Default)]
pub struct Timings {
    texts: BTreeMap<(EventId, Part), String>,
}

impl Timings {
    /// Renders every event's timing through the theme.
    pub fn render(theme: &Theme, locale: &Locale, r: &Ruleset) -> Result<Timings, Box<Diagnostic>> {
        let mut texts = BTreeMap::new();
        let levels = r.level_order();
        let durations = DurationWords::new(locale)?;
        for e in &r.events {
            let parts = [Part::From, Part::All]
                .into_iter()
                .chain(
                    levels
                        .iter()
                        .filter(|l| e.within.contains_key(*l))
                        .cloned()
                        .map(Part::Level),
                )
                .collect::<Vec<_>>();
            for part in parts {
                let mut ctx = tera::Context::new();
                ctx.insert("timing", &facts(r, &levels, &durations, e, &part));
                ctx.insert("t", locale.table());
                let text = theme
                    .tera
                    .render(TIMING_TEMPLATE, &ctx)
                    .map_err(|err| Box::new(theme.render_error(&err, TIMING_TEMPLATE)))?;
                texts.insert((e.id.clone(), part), text.trim().to_owned());
            }
        }
        Ok(Timings { texts })
    }

    fn get(&self, event: &str, part: Part) -> Option<String> {
        self.texts.get(&(EventId::from(event), part)).cloned()
    }

    /// What the event counts from and when it arises, without the times.
    pub fn from(&self, event: &str) -> Option<String> {
        self.get(event, Part::From)
    }

    /// The whole timing, every level.
    pub fn all(&self, event: &str) -> Option<String> {
        self.get(event, Part::All)
    }

    /// The whole timing at one level; `None` when the event has no time
    /// for that level (the level does not have the event).
    pub fn at_level(&self, event: &str, level: &LevelId) -> Option<String> {
        self.get(event, Part::Level(level.clone()))
    }
}

/// Levels with equal times grouped, most severe first:
/// `[(["4", "3"], within), ...]`, and whether one time holds for every
/// level.
type Groups<'a> = Vec<(Vec<&'a LevelId>, Within)>;

fn groups<'a>(levels: &'a Levels, e: &Event, part: &Part) -> (Groups<'a>, bool) {
    let mut groups: Groups<'a> = Vec::new();
    for level in levels.iter() {
        if let Part::Level(l) = part
            && level != l
        {
            continue;
        }
        if let Some(w) = e.within.get(level) {
            match groups.iter_mut().find(|(_, x)| x == w) {
                Some((levels, _)) => levels.push(level),
                None => groups.push((vec![level], *w)),
            }
        }
    }
    let uniform = groups.len() == 1 && (groups[0].0.len() == levels.len() || *part != Part::All);
    (groups, uniform)
}

/// The facts `timing.txt` phrases for one event and part.
fn facts(r: &Ruleset, levels: &Levels, durations: &DurationWords, e: &Event, part: &Part) -> Value {
    let name = |id: Option<&str>| id.and_then(|a| r.event(a)).map(|a| r.text_of(&a.name));
    let anchor = e.anchor.as_deref().and_then(|a| r.event(a));
    let (groups, uniform) = groups(levels, e, part);
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(levels, w)| json!({"levels": levels.iter().filter_map(|l| super::level_label(r, l)).collect::<Vec<_>>(), "within": durations.text(w), "immediately": w == Within::Immediately}))
        .collect();
    json!({
        "part": part.name(),
        "start": e.anchor.is_none(),
        "discovery": e.id == r.handbook.discovery,
        "anchor": anchor.map(|a| r.text_of(&a.name)),
        "if_anchor_missed": e.if_anchor_missed,
        // The anchor is a start that may be unknown and then stands in for
        // by another event's time (the occurrence, by the discovery).
        "anchor_default": name(anchor.and_then(|a| a.not_after.as_deref())),
        "not_after": name(e.not_after.as_deref()),
        "counts_as": name(e.counts_as.as_deref()),
        "right": e.kind == EventKind::Right,
        "condition": e.when.as_deref().and_then(|c| r.conditions.iter().find(|x| x.id == c)).map(|c| r.text_of(&c.text)),
        "groups": groups,
        "uniform": uniform,
    })
}

/// The steps a level result lists: events of every incident that have a
/// time at `level` and no condition, in policy order.
pub fn level_steps<'a>(r: &'a Ruleset, level: &'a LevelId) -> impl Iterator<Item = &'a Event> {
    r.events.iter().filter(move |e| {
        e.anchor.is_some()
            && e.when.is_none()
            && e.within.contains_key(level)
            && in_every_incident(r, &e.id, r.events.len())
    })
}

/// The timings and level steps the browser script shows, as more keys of
/// `window.HANDBOOK_DATA` (appended after `data_script`), so the script
/// prints the very strings the static pages print.
pub fn data_script(r: &Ruleset, timings: &Timings) -> String {
    let per_event: BTreeMap<&str, Value> = r
        .events
        .iter()
        .map(|e| {
            let levels: BTreeMap<&LevelId, String> = r
                .levels
                .iter()
                .filter_map(|l| Some((&l.id, timings.at_level(&e.id, &l.id)?)))
                .collect();
            (
                e.id.as_str(),
                json!({"all": timings.all(&e.id), "from": timings.from(&e.id), "levels": levels}),
            )
        })
        .collect();
    let steps: BTreeMap<&LevelId, Vec<&str>> = r
        .levels
        .iter()
        .map(|l| {
            (
                &l.id,
                level_steps(r, &l.id).map(|e| e.id.as_str()).collect(),
            )
        })
        .collect();
    let json = serde_json::to_string(&json!({"timings": per_event, "levelSteps": steps}))
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    format!("Object.assign(window.HANDBOOK_DATA, {json});\n")
}

/// Whether an event belongs to every incident's flow: its anchors lead back
/// to the discovery (or to a start bounded by another event, which always
/// has a time), and so do its prerequisites. Events of a flow that needs its
/// own start time (the national-security one) are not steps of a level.
/// `depth` bounds the walk, since `check` rejects loops anyway.
pub fn in_every_incident(r: &Ruleset, id: &str, depth: usize) -> bool {
    let Some(e) = r.event(id) else { return false };
    if depth == 0 {
        return false;
    }
    match &e.anchor {
        None => id == r.handbook.discovery || e.not_after.is_some(),
        Some(a) => {
            in_every_incident(r, a, depth - 1)
                && e.after.iter().all(|p| in_every_incident(r, p, depth - 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::Text;

    fn event(within: &[(&str, Within)]) -> Event {
        Event {
            id: "e".into(),
            name: Text::new(),
            description: None,
            actor: "a".into(),
            anchor: Some("b".into()),
            within: within
                .iter()
                .map(|(l, w)| (LevelId::from(*l), *w))
                .collect(),
            kind: EventKind::Deadline,
            when: None,
            after: Vec::new(),
            if_anchor_missed: false,
            counts_as: None,
            not_after: None,
            contacts: Vec::new(),
            source: "1".into(),
        }
    }

    #[test]
    fn levels_with_equal_times_share_a_group_most_severe_first() {
        let (h1, h8) = (Within::Minutes(60), Within::Minutes(480));
        let e = event(&[("1", h8), ("2", h8), ("3", h1), ("4", h1)]);
        let levels = Levels::new(["4", "3", "2", "1"].map(LevelId::from).to_vec());
        let (g, uniform) = groups(&levels, &e, &Part::All);
        assert!(!uniform);
        assert_eq!(g[0].0, ["4", "3"]);
        assert_eq!(g[1].0, ["2", "1"]);
        // One level alone is always one time.
        let (g, uniform) = groups(&levels, &e, &Part::Level("2".into()));
        assert!(uniform);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].0, ["2"]);
        // Every level the same: one time; some levels missing: named.
        let all = event(&[("1", h1), ("2", h1), ("3", h1), ("4", h1)]);
        assert!(groups(&levels, &all, &Part::All).1);
        let some = event(&[("3", h1), ("4", h1)]);
        assert!(!groups(&levels, &some, &Part::All).1);
    }
}

//! `deadline-cycle`, `deadline-order`, `deadline-precedence`: the event graph
//! must be a forest timed from starting events, a more severe level never
//! gets more time, and no event falls due before what it depends on.

use std::collections::HashMap;

use super::specs::event_specs;
use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::LevelId;
use crate::domain::event::{EventKind, EventSpec};
use crate::policy::Policy;

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let Some(d) = &policy.deadlines else { return };
    let f = d.file;
    let events = &d.value.event;
    // Every rule here is linear in the number of events (plus their links):
    // ids are looked up in a map, never by scanning the list, and no path
    // is copied, so a policy of thousands of events checks in milliseconds.
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        // The first definition wins, as in the symbol table.
        position.entry(e.id.get_ref().as_str()).or_insert(i);
    }
    let edges: Vec<Vec<usize>> = events
        .iter()
        .map(|e| {
            e.anchor
                .iter()
                .chain(&e.after)
                .filter_map(|t| position.get(t.get_ref().as_str()).copied())
                .collect()
        })
        .collect();
    if report_cycles(events, &edges, f, out) {
        return;
    }
    let levels = &ix.level_order;
    let specs = event_specs(&d.value, levels);

    // A more severe level may not get longer for the same event.
    for (spec, e) in specs.iter().zip(events) {
        // (level, its severity, minutes); keys that name no declared level
        // are `schema` errors and have no severity to compare.
        let timed: Vec<(&LevelId, usize, i64)> = spec
            .within
            .iter()
            .filter_map(|(l, w)| Some((l, levels.severity(l)?, w.minutes()?)))
            .collect();
        for (severe, s_severe, m_severe) in &timed {
            for (mild, s_mild, m_mild) in &timed {
                if s_severe > s_mild && m_severe > m_mild {
                    let span = match e.within.as_ref().map(|w| w.get_ref()) {
                        Some(_) => e
                            .within
                            .as_ref()
                            .map(|w| span_of(f, w))
                            .unwrap_or_else(|| span_of(f, &e.id)),
                        None => span_of(f, &e.id),
                    };
                    out.push(
                        Diagnostic::error(
                            Rule::DeadlineOrder,
                            format!(
                                "`{}`: level {severe} gets {} but the less severe level {mild} gets {}",
                                spec.id,
                                fmt_minutes(*m_severe),
                                fmt_minutes(*m_mild)
                            ),
                        )
                        .at(span, format!("level {severe}: {}", fmt_minutes(*m_severe)))
                        .hint("a more severe incident must be handled at least as fast; shorten this time or lengthen the other")
                        .subject(spec.id.clone()),
                    );
                }
            }
        }
    }

    // An event due before its prerequisite must be done: one warning per
    // event and prerequisite, naming every level where it happens and the
    // figures of the level where the gap is widest.
    let anchor: Vec<Option<usize>> = specs
        .iter()
        .map(|s| s.anchor.as_deref().and_then(|a| position.get(a).copied()))
        .collect();
    let roots = roots(&specs, &anchor);
    // Most severe first, so the levels affected are named in that order.
    let offsets: Vec<(&LevelId, Vec<Option<i64>>)> = levels
        .iter()
        .map(|level| (level, offsets_at(&specs, &anchor, level)))
        .collect();
    for (i, (spec, e)) in specs.iter().zip(events).enumerate() {
        if spec.kind == EventKind::Right {
            continue;
        }
        for (prereq, prereq_span) in spec.after.iter().zip(&e.after) {
            let Some(&j) = position.get(prereq.as_str()) else {
                continue;
            };
            let (Some(root), true) = (roots[i], roots[i] == roots[j]) else {
                continue;
            };
            let late: Vec<(&LevelId, i64, i64)> = offsets
                .iter()
                .filter_map(|(level, at)| match (at[i], at[j]) {
                    (Some(mine), Some(theirs)) if mine < theirs => Some((*level, mine, theirs)),
                    _ => None,
                })
                .collect();
            let Some(&(worst, mine, theirs)) = late
                .iter()
                .reduce(|a, b| if b.2 - b.1 > a.2 - a.1 { b } else { a })
            else {
                continue;
            };
            let levels: Vec<String> = late.iter().map(|(l, _, _)| l.to_string()).collect();
            let msg = format!(
                "`{}` is due {} after `{}` starts, but its prerequisite `{prereq}` may take until {} (level {worst}; levels affected: {})",
                spec.id,
                fmt_minutes(mine),
                specs[root].id,
                fmt_minutes(theirs),
                levels.join(", ")
            );
            let diag = Diagnostic::warning(Rule::DeadlinePrecedence, msg)
                .at(span_of(f, prereq_span), "must be done first")
                .hint("shorten the prerequisite's time or lengthen this one; if the guideline really says so, acknowledge it in notes.toml")
                .subject(spec.id.clone())
                .related(span_of(f, &events[j].id), "prerequisite defined here");
            out.push(diag);
        }
    }
}

/// `deadline-cycle`: one diagnostic per loop over anchor and `after` links,
/// found by one depth-first walk (without recursion, so a long chain cannot
/// overflow the stack). Returns whether any loop was found.
fn report_cycles(
    events: &[crate::policy::Event],
    edges: &[Vec<usize>],
    f: crate::policy::FileId,
    out: &mut Vec<Diagnostic>,
) -> bool {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; events.len()];
    let mut place = vec![0usize; events.len()];
    let mut reported = vec![false; events.len()];
    let mut found = false;
    for start in 0..events.len() {
        if state[start] != NEW {
            continue;
        }
        // The current path, each node with the index of its next edge.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = ON_PATH;
        while let Some(&(node, next)) = path.last() {
            let Some(&to) = edges[node].get(next) else {
                state[node] = DONE;
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match state[to] {
                NEW => {
                    state[to] = ON_PATH;
                    place[to] = path.len();
                    path.push((to, 0));
                }
                ON_PATH => {
                    let mut cycle: Vec<usize> = path[place[to]..].iter().map(|p| p.0).collect();
                    if cycle.iter().any(|c| reported[*c]) {
                        continue;
                    }
                    for c in &cycle {
                        reported[*c] = true;
                    }
                    // Name the loop from its first event in the file, so the
                    // message does not depend on where the walk began.
                    if let Some(first) = (0..cycle.len()).min_by_key(|k| cycle[*k]) {
                        cycle.rotate_left(first);
                    }
                    found = true;
                    out.push(cycle_diagnostic(events, &cycle, f));
                }
                _ => {}
            }
        }
    }
    found
}

fn cycle_diagnostic(
    events: &[crate::policy::Event],
    cycle: &[usize],
    f: crate::policy::FileId,
) -> Diagnostic {
    let names: Vec<&str> = cycle
        .iter()
        .chain(cycle.first())
        .map(|i| events[*i].id.get_ref().as_str())
        .collect();
    let e = &events[cycle[0]];
    let mut diag = Diagnostic::error(
        Rule::DeadlineCycle,
        format!(
            "events are timed from each other in a loop: {}",
            names.join(" → ")
        ),
    )
    .at(span_of(f, &e.id), "this event is part of the loop")
    .hint("every chain of anchors must end at a starting event such as `discovered`")
    .subject(e.id.get_ref().clone());
    for p in cycle.iter().skip(1) {
        diag = diag.related(span_of(f, &events[*p].id), "also in the loop");
    }
    diag
}

/// The order in which each event's anchor comes before it: a walk up each
/// anchor chain that stops at the first event already placed. Assumes no
/// anchor loops (reported before this runs).
fn anchor_order(anchor: &[Option<usize>]) -> Vec<usize> {
    let mut placed = vec![false; anchor.len()];
    let mut order = Vec::with_capacity(anchor.len());
    let mut chain = Vec::new();
    for i in 0..anchor.len() {
        let mut current = Some(i);
        while let Some(c) = current.filter(|c| !placed[*c]) {
            placed[c] = true;
            chain.push(c);
            current = anchor[c];
        }
        order.extend(chain.drain(..).rev());
    }
    order
}

/// The starting event each event is timed from; `None` where an anchor
/// does not resolve.
fn roots(specs: &[EventSpec], anchor: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut root: Vec<Option<usize>> = vec![None; specs.len()];
    for i in anchor_order(anchor) {
        root[i] = match (&specs[i].anchor, anchor[i]) {
            (None, _) => Some(i),
            (Some(_), Some(a)) => root[a],
            (Some(_), None) => None,
        };
    }
    root
}

/// Minutes from the starting event at one level, the same figures as
/// `ruleset::deadlines::offsets_from_start`: `None` where the event has no
/// time at this level or a link of its chain has no fixed time.
fn offsets_at(specs: &[EventSpec], anchor: &[Option<usize>], level: &LevelId) -> Vec<Option<i64>> {
    let mut at: Vec<Option<i64>> = vec![None; specs.len()];
    for i in anchor_order(anchor) {
        let e = &specs[i];
        at[i] = match (&e.anchor, anchor[i]) {
            (None, _) => Some(0),
            (Some(_), Some(a)) => {
                let within = e.within.get(level).and_then(|w| w.minutes());
                at[a].zip(within).map(|(b, w)| b + w)
            }
            (Some(_), None) => None,
        };
    }
    at
}

fn fmt_minutes(m: i64) -> String {
    if m == 0 {
        "no time (immediately)".into()
    } else if m % 60 == 0 {
        format!("{} h", m / 60)
    } else {
        format!("{m} min")
    }
}

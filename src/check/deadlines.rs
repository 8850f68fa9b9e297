//! `deadline-cycle`, `deadline-order`, `deadline-precedence`: the event graph
//! must be a forest timed from starting events, a more severe level never
//! gets more time, and no event falls due before what it depends on.

use std::collections::BTreeMap;

use super::{Index, span_of};
use crate::diagnostics::Diagnostic;
use crate::policy::{Policy, Span};
use crate::ruleset::deadlines::{EventKind, offsets_from_start};
use crate::ruleset::event_specs;

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let Some(d) = &policy.deadlines else { return };
    let f = d.file;
    let events = &d.value.event;
    let spans: BTreeMap<&str, Span> = events
        .iter()
        .map(|e| (e.id.get_ref().as_str(), span_of(f, &e.id)))
        .collect();

    // Cycles over anchor and `after` edges.
    let edges = |i: usize| -> Vec<usize> {
        let e = &events[i];
        e.anchor
            .iter()
            .chain(&e.after)
            .filter_map(|t| events.iter().position(|x| x.id.get_ref() == t.get_ref()))
            .collect()
    };
    let mut reported: Vec<bool> = vec![false; events.len()];
    for start in 0..events.len() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start, vec![start])];
        let mut seen = vec![false; events.len()];
        while let Some((node, path)) = stack.pop() {
            for next in edges(node) {
                if next == start {
                    if path.iter().any(|p| reported[*p]) {
                        continue;
                    }
                    for p in &path {
                        reported[*p] = true;
                    }
                    let names: Vec<&str> = path
                        .iter()
                        .chain(std::iter::once(&start))
                        .map(|i| events[*i].id.get_ref().as_str())
                        .collect();
                    let e = &events[start];
                    let mut diag = Diagnostic::error(
                        "deadline-cycle",
                        format!(
                            "events are timed from each other in a loop: {}",
                            names.join(" → ")
                        ),
                    )
                    .at(span_of(f, &e.id), "this event is part of the loop")
                    .hint(
                        "every chain of anchors must end at a starting event such as `discovered`",
                    )
                    .subject(e.id.get_ref().clone());
                    for p in path.iter().skip(1) {
                        diag = diag.related(span_of(f, &events[*p].id), "also in the loop");
                    }
                    out.push(diag);
                } else if !seen[next] {
                    seen[next] = true;
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push((next, longer));
                }
            }
        }
    }
    if reported.iter().any(|r| *r) {
        return;
    }
    let _ = ix;

    let specs = event_specs(&d.value);

    // A more severe level may not get longer for the same event.
    for (spec, e) in specs.iter().zip(events) {
        let timed: Vec<(u8, i64)> = spec
            .within
            .iter()
            .filter_map(|(l, w)| w.minutes().map(|m| (*l, m)))
            .collect();
        for (severe, m_severe) in &timed {
            for (mild, m_mild) in &timed {
                if severe > mild && m_severe > m_mild {
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
                            "deadline-order",
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

    // An event due before its prerequisite must be done.
    for level in 1..=4u8 {
        let offsets = offsets_from_start(&specs, level);
        for (spec, e) in specs.iter().zip(events) {
            if spec.kind == EventKind::Right {
                continue;
            }
            let Some(Some(mine)) = offsets.get(&spec.id) else {
                continue;
            };
            for (prereq, prereq_span) in spec.after.iter().zip(&e.after) {
                let Some(Some(theirs)) = offsets.get(prereq) else {
                    continue;
                };
                if root_of(&specs, &spec.id) != root_of(&specs, prereq) || mine >= theirs {
                    continue;
                }
                let msg = format!(
                    "`{}` is due {} after `{}` starts, but its prerequisite `{prereq}` may take until {}",
                    spec.id,
                    fmt_minutes(*mine),
                    root_of(&specs, &spec.id).unwrap_or_default(),
                    fmt_minutes(*theirs)
                );
                if out
                    .iter()
                    .any(|d| d.rule == "deadline-precedence" && d.message == msg)
                {
                    continue;
                }
                let mut diag = Diagnostic::warning("deadline-precedence", msg)
                    .at(span_of(f, prereq_span), "must be done first")
                    .hint("shorten the prerequisite's time or lengthen this one; if the guideline really says so, acknowledge it in notes.toml")
                    .subject(spec.id.clone());
                if let Some(s) = spans.get(prereq.as_str()) {
                    diag = diag.related(s.clone(), "prerequisite defined here");
                }
                out.push(diag);
            }
        }
    }
}

fn root_of(specs: &[crate::ruleset::deadlines::EventSpec], id: &str) -> Option<String> {
    let mut current = id.to_owned();
    for _ in 0..=specs.len() {
        let e = specs.iter().find(|e| e.id == current)?;
        match &e.anchor {
            None => return Some(current),
            Some(a) => current = a.clone(),
        }
    }
    None
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

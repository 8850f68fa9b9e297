//! Reference pages: levels, the deadline calculator, duty checklists, drills
//! (built in `drills.rs`), rewards and penalties, and the known gaps of the
//! guideline.

use serde_json::{Value, json};

use super::timing::{Timings, in_every_incident};
use super::{PageOut, actor_url, classify_url, duty_url, event_url, tree_node_url};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;
use crate::ruleset::deadlines::{EventKind, Within};
use crate::site::duration::DurationWords;
use crate::site::locale::Locale;

/// One row per timed event, with the time for each level; `root` prefixes
/// links for pages not at the top.
/// A level without the event is `null`, which templates show as "not
/// applicable"; a starting event's cells say so with `start`.
pub fn deadline_rows(
    r: &Ruleset,
    root: &str,
    timings: &Timings,
    durations: &DurationWords,
) -> Vec<Value> {
    r.events
        .iter()
        .map(|e| {
            let start = e.anchor.is_none();
            json!({
                "id": e.id,
                "name": r.text_of(&e.name),
                "description": e.description.as_ref().map(|t| r.text_of(t)),
                "actor": r.actor_name(&e.actor).map(|t| r.text_of(t)),
                "actor_url": format!("{root}{}", actor_url(&e.actor)),
                "anchor": e.anchor.as_deref().and_then(|a| r.event(a)).map(|a| r.text_of(&a.name)),
                "right": e.kind == EventKind::Right,
                "if_anchor_missed": e.if_anchor_missed,
                "counts_as": e.counts_as.as_deref().and_then(|a| r.event(a)).map(|a| r.text_of(&a.name)),
                "not_after": e.not_after.as_deref().and_then(|a| r.event(a)).map(|a| r.text_of(&a.name)),
                "condition": e.when.as_deref().and_then(|c| r.conditions.iter().find(|x| x.id == c)).map(|c| r.text_of(&c.text)),
                "start": start,
                // One cell per declared level, in the policy's order (most
                // severe first), as the table's header lists them.
                "levels": (r.levels.iter().map(|l| if start { None } else { e.within.get(&l.id).map(|w| durations.text(*w)) }).collect::<Vec<_>>()),
                "from": timings.from(&e.id),
                "timing": timings.all(&e.id),
                "source": e.source,
            })
        })
        .collect()
}

/// Which text the handbook encodes (`[edition]`): its title, its date or the
/// statement that it has none, and the later rules that change some of it.
pub fn edition_context(r: &Ruleset) -> Value {
    let e = &r.meta.edition;
    json!({
        "title": r.text_of(&e.title),
        "date": e.date,
        "undated": e.undated.as_ref().map(|t| r.text_of(t)),
        "note": r.text_of(&e.note),
        "later": e.later.iter().map(|l| json!({"name": r.text_of(&l.name), "since": l.since, "note": r.text_of(&l.note)})).collect::<Vec<_>>(),
    })
}

pub fn pages(
    r: &Ruleset,
    locale: &Locale,
    year: i32,
    timings: &Timings,
) -> Result<Vec<PageOut>, Box<Diagnostic>> {
    let durations = DurationWords::new(locale)?;
    let title = |key: &str| locale.get(key).map(str::to_owned);
    let mut out = Vec::new();
    out.push(PageOut {
        path: "levels.html".into(),
        template: "levels.html",
        title: title("nav.levels")?,
        context: json!({
            "levels": r.levels.iter().map(|l| json!({
                "id": l.id,
                "name": r.text_of(&l.name),
                "label": super::level_label(r, &l.id),
                "sev": super::severity_class(r, &l.id),
                "summary": r.text_of(&l.summary),
                "source": l.source,
                "criteria": r.criteria.iter().filter(|c| c.level == l.id).map(|c| json!({
                    "text": r.text_of(&c.text),
                    "source": c.source,
                    "decision": c.decision,
                })).collect::<Vec<_>>(),
                // The events of every incident that have a time at this
                // level (the graph decides, not a list of ids).
                "deadlines": r.events.iter()
                    .filter(|e| e.anchor.is_some() && in_every_incident(r, &e.id, r.events.len()))
                    .filter(|e| e.within.get(&l.id).is_some_and(|w| *w != Within::Unspecified))
                    .filter_map(|e| timings.at_level(&e.id, &l.id).map(|timing| json!({
                        "id": e.id, "name": r.text_of(&e.name), "timing": timing, "url": event_url(&e.id), "source": e.source,
                    })))
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "questions": r.questions.iter().map(|q| json!({
                "text": r.text_of(&q.text),
                "answers": q.answers.iter().map(|a| r.text_of(&a.text)).collect::<Vec<_>>(),
                "source": q.source,
            })).collect::<Vec<_>>(),
            "classify_url": classify_url(0),
        }),
    });
    out.push(PageOut {
        path: "deadlines.html".into(),
        template: "deadlines.html",
        title: title("nav.deadlines")?,
        context: json!({
            "rows": deadline_rows(r, "", timings, &durations),
            // The zone every time on the page is in (the lead names it).
            "timezone": r.meta.timezone,
            "levels": r.levels.iter().map(|l| super::level_context(r, l)).collect::<Vec<_>>(),
            "conditions": r.conditions.iter().map(|c| json!({"id": c.id, "text": r.text_of(&c.text), "source": c.source})).collect::<Vec<_>>(),
            // The discovery has its own field; a start bounded by another
            // event (the occurrence) sits beside it, since it is usually
            // known (or not) at the outset.
            "events": r.events.iter().filter(|e| e.id != r.handbook.discovery && e.not_after.is_none()).map(|e| json!({"id": e.id, "name": r.text_of(&e.name)})).collect::<Vec<_>>(),
            "bounded_starts": r.events.iter().filter_map(|e| {
                let limit = r.event(e.not_after.as_deref()?)?;
                Some(json!({"id": e.id, "name": r.text_of(&e.name), "limit": r.text_of(&limit.name)}))
            }).collect::<Vec<_>>(),
        }),
    });
    out.push(PageOut {
        path: "duties.html".into(),
        template: "duties.html",
        title: title("nav.duties")?,
        context: json!({
            "phases": r.phases.iter().map(|p| json!({
                "id": p.id,
                "title": r.text_of(&p.title),
                "duties": r.duties.iter().filter(|d| d.phase == p.id).map(|d| json!({
                    "id": d.id,
                    "text": r.text_of(&d.text),
                    "actor": r.actor_name(&d.actor).map(|t| r.text_of(t)),
                    "actor_url": actor_url(&d.actor),
                    "events": d.events.iter().filter_map(|e| r.event(e)).map(|e| json!({"id": e.id, "name": r.text_of(&e.name), "url": event_url(&e.id), "timing": timings.all(&e.id)})).collect::<Vec<_>>(),
                    "source": d.source,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "indicators_tree_url": r.handbook.indicators_tree.as_deref().and_then(|id| r.trees.iter().find(|t| t.id == id)).map(|t| tree_node_url(&t.id, &t.start, &t.start)),
            "indicators": r.indicators.iter().map(|i| json!({"name": r.text_of(&i.name), "question": r.text_of(&i.question), "source": i.source})).collect::<Vec<_>>(),
        }),
    });
    out.push(super::drills::page(r, locale, year, &durations)?);
    let provisions = |v: &[crate::ruleset::Provision]| {
        v.iter()
            .map(|p| json!({
                "id": p.id,
                "text": r.text_of(&p.text),
                "applies_to": p.applies_to.iter().map(|a| json!({"name": r.actor_name(a).map(|t| r.text_of(t)), "url": actor_url(a)})).collect::<Vec<_>>(),
                "source": p.source,
            }))
            .collect::<Vec<_>>()
    };
    out.push(PageOut {
        path: "accountability.html".into(),
        template: "accountability.html",
        title: title("nav.accountability")?,
        context: json!({
            "rewards": provisions(&r.rewards),
            "penalties": provisions(&r.penalties),
            "mitigations": provisions(&r.mitigations),
        }),
    });
    out.push(PageOut {
        path: "gaps.html".into(),
        template: "gaps.html",
        title: title("nav.gaps")?,
        context: json!({
            "edition": edition_context(r),
            "decisions": r.decisions.iter().map(|d| json!({
                "id": d.id,
                "title": r.text_of(&d.title),
                "text": r.text_of(&d.text),
                "source": d.source,
                "criteria": r.criteria.iter().filter(|c| c.decision.as_deref() == Some(&d.id)).map(|c| r.text_of(&c.text)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "inconsistencies": r.inconsistencies.iter().map(|i| json!({
                "id": i.id,
                "title": r.text_of(&i.title),
                "reason": r.text_of(&i.reason),
                "readings": i.readings.iter().map(|x| json!({"source": x.source, "text": r.text_of(&x.text)})).collect::<Vec<_>>(),
                "rule": i.rule,
                // How many findings the note accepts, never their text: the
                // checker's messages are English words for policy editors,
                // and the note's own title and reason say it to readers.
                "detected_count": (!i.detected.is_empty()).then(|| i.detected.len().to_string()),
                "source": i.source,
            })).collect::<Vec<_>>(),
        }),
    });
    let _ = duty_url;
    Ok(out)
}

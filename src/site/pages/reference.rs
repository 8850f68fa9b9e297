//! Reference pages: levels, the deadline calculator, duty checklists, drills,
//! rewards and penalties, and the known gaps of the guideline.

use serde_json::{Value, json};

use super::timing::{Timings, in_every_incident};
use super::{PageOut, actor_url, classify_url, duty_url, event_url, tree_node_url, zh};
use crate::ruleset::Ruleset;
use crate::ruleset::deadlines::{EventKind, Within};

/// One row per timed event, with the time for each level; `root` prefixes
/// links for pages not at the top.
pub fn deadline_rows(r: &Ruleset, root: &str, timings: &Timings) -> Vec<Value> {
    r.events
        .iter()
        .map(|e| {
            let start = e.anchor.is_none();
            json!({
                "id": e.id,
                "name": zh(&e.name),
                "description": e.description.as_ref().map(zh),
                "actor": r.actor_name(&e.actor).map(zh),
                "actor_url": format!("{root}{}", actor_url(&e.actor)),
                "anchor": e.anchor.as_deref().and_then(|a| r.event(a)).map(|a| zh(&a.name)),
                "right": e.kind == EventKind::Right,
                "if_anchor_missed": e.if_anchor_missed,
                "counts_as": e.counts_as.as_deref().and_then(|a| r.event(a)).map(|a| zh(&a.name)),
                "not_after": e.not_after.as_deref().and_then(|a| r.event(a)).map(|a| zh(&a.name)),
                "condition": e.when.as_deref().and_then(|c| r.conditions.iter().find(|x| x.id == c)).map(|c| zh(&c.text)),
                // One cell per declared level, in the policy's order (most
                // severe first), as the table's header lists them.
                "levels": (r.levels.iter().map(|l| if start { "起點".to_owned() } else { e.within.get(&l.id).map(|w| w.label_zh()).unwrap_or_else(|| "不適用".into()) }).collect::<Vec<_>>()),
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
        "title": zh(&e.title),
        "date": e.date,
        "undated": e.undated.as_ref().map(zh),
        "note": zh(&e.note),
        "later": e.later.iter().map(|l| json!({"name": zh(&l.name), "since": l.since, "note": zh(&l.note)})).collect::<Vec<_>>(),
    })
}

fn month_day(month: u32, day: Option<u32>) -> String {
    match day {
        Some(d) => format!("每年 {month} 月 {d} 日前"),
        None => format!("每年 {month} 月底前"),
    }
}

pub fn pages(r: &Ruleset, year: i32, timings: &Timings) -> Vec<PageOut> {
    let mut out = Vec::new();
    out.push(PageOut {
        path: "levels.html".into(),
        template: "levels.html",
        title: "影響等級".into(),
        context: json!({
            "levels": r.levels.iter().map(|l| json!({
                "id": l.id,
                "name": zh(&l.name),
                "summary": zh(&l.summary),
                "source": l.source,
                "criteria": r.criteria.iter().filter(|c| c.level == l.id).map(|c| json!({
                    "text": zh(&c.text),
                    "source": c.source,
                    "decision": c.decision,
                })).collect::<Vec<_>>(),
                // The events of every incident that have a time at this
                // level (the graph decides, not a list of ids).
                "deadlines": r.events.iter()
                    .filter(|e| e.anchor.is_some() && in_every_incident(r, &e.id, r.events.len()))
                    .filter(|e| e.within.get(&l.id).is_some_and(|w| *w != Within::Unspecified))
                    .filter_map(|e| timings.at_level(&e.id, &l.id).map(|timing| json!({
                        "id": e.id, "name": zh(&e.name), "timing": timing, "url": event_url(&e.id), "source": e.source,
                    })))
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "questions": r.questions.iter().map(|q| json!({
                "text": zh(&q.text),
                "answers": q.answers.iter().map(|a| zh(&a.text)).collect::<Vec<_>>(),
                "source": q.source,
            })).collect::<Vec<_>>(),
            "classify_url": classify_url(0),
        }),
    });
    out.push(PageOut {
        path: "deadlines.html".into(),
        template: "deadlines.html",
        title: "期限計算".into(),
        context: json!({
            "rows": deadline_rows(r, "", timings),
            "levels": r.levels.iter().map(|l| json!({"id": l.id, "name": zh(&l.name)})).collect::<Vec<_>>(),
            "conditions": r.conditions.iter().map(|c| json!({"id": c.id, "text": zh(&c.text), "source": c.source})).collect::<Vec<_>>(),
            // The discovery has its own field; a start bounded by another
            // event (the occurrence) sits beside it, since it is usually
            // known (or not) at the outset.
            "events": r.events.iter().filter(|e| e.id != r.handbook.discovery && e.not_after.is_none()).map(|e| json!({"id": e.id, "name": zh(&e.name)})).collect::<Vec<_>>(),
            "bounded_starts": r.events.iter().filter_map(|e| {
                let limit = r.event(e.not_after.as_deref()?)?;
                Some(json!({"id": e.id, "name": zh(&e.name), "limit": zh(&limit.name)}))
            }).collect::<Vec<_>>(),
        }),
    });
    out.push(PageOut {
        path: "duties.html".into(),
        template: "duties.html",
        title: "應辦事項清單".into(),
        context: json!({
            "phases": r.phases.iter().map(|p| json!({
                "id": p.id,
                "title": zh(&p.title),
                "duties": r.duties.iter().filter(|d| d.phase == p.id).map(|d| json!({
                    "id": d.id,
                    "text": zh(&d.text),
                    "actor": r.actor_name(&d.actor).map(zh),
                    "actor_url": actor_url(&d.actor),
                    "events": d.events.iter().filter_map(|e| r.event(e)).map(|e| json!({"id": e.id, "name": zh(&e.name), "url": event_url(&e.id), "timing": timings.all(&e.id)})).collect::<Vec<_>>(),
                    "source": d.source,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "indicators_tree_url": r.handbook.indicators_tree.as_deref().and_then(|id| r.trees.iter().find(|t| t.id == id)).map(|t| tree_node_url(&t.id, &t.start, &t.start)),
            "indicators": r.indicators.iter().map(|i| json!({"name": zh(&i.name), "question": zh(&i.question), "source": i.source})).collect::<Vec<_>>(),
        }),
    });
    out.push(PageOut {
        path: "drills.html".into(),
        template: "drills.html",
        title: "演練".into(),
        context: json!({
            "drills": r.drills.iter().map(|d| json!({
                "id": d.id,
                "name": zh(&d.name),
                "organiser": r.actor_name(&d.organiser).map(zh),
                "organiser_url": actor_url(&d.organiser),
                "cadence": match d.cadence.as_str() {
                    "yearly" => match d.times_per_year { Some(n) if n > 1 => format!("每年至少 {n} 次"), _ => "每年 1 次".into() },
                    "irregular" => "不定期".into(),
                    _ => "依本會報年度計畫".into(),
                },
                "purpose": d.purpose.iter().map(zh).collect::<Vec<_>>(),
                "description": d.description.as_ref().map(zh),
                "due": d.due.iter().map(|x| json!({"when": month_day(x.month, x.day), "text": zh(&x.text), "source": x.source})).collect::<Vec<_>>(),
                "reports": d.report.iter().map(|x| json!({
                    "when": match (&x.within, &x.by) {
                        (Some(w), _) => format!("演練完成後 {}", w.label_zh()),
                        (None, Some(b)) => month_day(b.month, b.day),
                        _ => String::new(),
                    },
                    "to": r.actor_name(&x.to).map(zh),
                    "to_url": actor_url(&x.to),
                    "text": zh(&x.text),
                    "source": x.source,
                })).collect::<Vec<_>>(),
                "participation": d.participation.iter().map(|p| json!({"share": p.share, "of": zh(&p.of), "source": p.source})).collect::<Vec<_>>(),
                "scenarios": d.scenarios.as_ref().map(|s| json!({"min": s.min, "levels": s.levels, "source": s.source})),
                "approval": d.approval.as_ref().map(zh),
                "source": d.source,
            })).collect::<Vec<_>>(),
            "calendars": ([year, year + 1].iter().map(|y| json!({"year": y, "url": crate::site::calendar::drills_path(*y)})).collect::<Vec<_>>()),
        }),
    });
    let provisions = |v: &[crate::ruleset::Provision]| {
        v.iter()
            .map(|p| json!({
                "id": p.id,
                "text": zh(&p.text),
                "applies_to": p.applies_to.iter().map(|a| json!({"name": r.actor_name(a).map(zh), "url": actor_url(a)})).collect::<Vec<_>>(),
                "source": p.source,
            }))
            .collect::<Vec<_>>()
    };
    out.push(PageOut {
        path: "accountability.html".into(),
        template: "accountability.html",
        title: "獎懲及減責".into(),
        context: json!({
            "rewards": provisions(&r.rewards),
            "penalties": provisions(&r.penalties),
            "mitigations": provisions(&r.mitigations),
        }),
    });
    out.push(PageOut {
        path: "gaps.html".into(),
        template: "gaps.html",
        title: "已知缺漏與編輯決定".into(),
        context: json!({
            "edition": edition_context(r),
            "decisions": r.decisions.iter().map(|d| json!({
                "id": d.id,
                "title": zh(&d.title),
                "text": zh(&d.text),
                "source": d.source,
                "criteria": r.criteria.iter().filter(|c| c.decision.as_deref() == Some(&d.id)).map(|c| zh(&c.text)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "inconsistencies": r.inconsistencies.iter().map(|i| json!({
                "id": i.id,
                "title": zh(&i.title),
                "reason": zh(&i.reason),
                "readings": i.readings.iter().map(|x| json!({"source": x.source, "text": zh(&x.text)})).collect::<Vec<_>>(),
                "rule": i.rule,
                "detected": i.detected,
                "source": i.source,
            })).collect::<Vec<_>>(),
        }),
    });
    let _ = duty_url;
    out
}

//! The authored decision trees (reporting channel, support, escalation,
//! national-security screening): one page per question and per outcome,
//! each outcome showing its contacts (the visible number, a `tel:` or
//! `mailto:` link, a fax as plain text) right under its text and linking to
//! the events, duties and units it names.

use serde_json::json;

use super::timing::Timings;
use super::{
    PageOut, actor_url, contact_url, duty_url, event_url, level_url, tree_node_url,
    tree_outcome_url,
};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;
use crate::site::locale::Locale;

pub fn pages(
    r: &Ruleset,
    locale: &Locale,
    timings: &Timings,
) -> Result<Vec<PageOut>, Box<Diagnostic>> {
    // What each related link of an outcome is, in the theme's words.
    let kind = |key: &str| locale.get(key).map(str::to_owned);
    let (k_level, k_deadline, k_duty, k_unit, k_tree) = (
        kind("tree.kind_level")?,
        kind("tree.kind_deadline")?,
        kind("tree.kind_duty")?,
        kind("tree.kind_unit")?,
        kind("tree.kind_tree")?,
    );
    let outcome_title = kind("tree.outcome_title")?;
    let mut out = Vec::new();
    for tree in &r.trees {
        // Parent links for the "answers so far" trail.
        let mut parent: std::collections::BTreeMap<String, (String, String)> = Default::default();
        for n in &tree.nodes {
            for a in &n.answers {
                let target = a
                    .next
                    .clone()
                    .or_else(|| a.outcome.as_ref().map(|o| format!("outcome:{o}")));
                if let Some(t) = target {
                    parent
                        .entry(t)
                        .or_insert((n.id.clone(), r.text_of(&a.text).to_owned()));
                }
            }
        }
        let trail = |key: &str| {
            let mut steps = Vec::new();
            let mut at = key.to_owned();
            let mut guard = 0;
            while let Some((p, answer)) = parent.get(&at) {
                let q = tree.nodes.iter().find(|n| &n.id == p);
                steps.push(json!({
                    "question": q.map(|q| r.text_of(&q.question)),
                    "answer": answer,
                    "url": tree_node_url(&tree.id, p, &tree.start),
                }));
                at = p.clone();
                guard += 1;
                if guard > tree.nodes.len() {
                    break;
                }
            }
            steps.reverse();
            steps
        };
        let tree_info = json!({
            "id": tree.id,
            "title": r.text_of(&tree.title),
            "summary": r.text_of(&tree.summary),
            "source": tree.source,
            "start_url": tree_node_url(&tree.id, &tree.start, &tree.start),
        });
        for n in &tree.nodes {
            out.push(PageOut {
                path: tree_node_url(&tree.id, &n.id, &tree.start),
                template: "tree.html",
                title: r.text_of(&tree.title).to_owned(),
                context: json!({
                    "tree": tree_info,
                    "kind": "question",
                    "node_id": n.id,
                    "trail": trail(&n.id),
                    "question": r.text_of(&n.question),
                    "help": n.help.as_ref().map(|t| r.text_of(t)),
                    "source": n.source,
                    "answers": n.answers.iter().map(|a| json!({
                        "text": r.text_of(&a.text),
                        "url": match (&a.next, &a.outcome) {
                            (Some(next), _) => tree_node_url(&tree.id, next, &tree.start),
                            (None, Some(o)) => tree_outcome_url(&tree.id, o),
                            (None, None) => String::new(),
                        },
                    })).collect::<Vec<_>>(),
                }),
            });
        }
        for o in &tree.outcomes {
            let links: Vec<_> = o
                .levels
                .iter()
                .filter_map(|l| r.level(l))
                .map(|l| json!({"kind": k_level, "text": r.text_of(&l.name), "url": level_url(&l.id)}))
                .chain(o.events.iter().filter_map(|id| r.event(id)).map(|e| {
                    json!({"kind": k_deadline, "text": r.text_of(&e.name), "url": event_url(&e.id), "event": e.id, "timing": timings.all(&e.id), "source": e.source})
                }))
                .chain(o.duties.iter().filter_map(|id| r.duties.iter().find(|d| &d.id == id)).map(|d| {
                    json!({"kind": k_duty, "text": r.text_of(&d.text), "url": duty_url(&d.id), "source": d.source})
                }))
                .chain(o.units.iter().filter_map(|id| r.actor_name(id).map(|n| (id, n))).map(|(id, n)| {
                    json!({"kind": k_unit, "text": r.text_of(n), "url": actor_url(id)})
                }))
                .chain(o.trees.iter().filter_map(|id| r.trees.iter().find(|t| &t.id == id)).map(|t| {
                    json!({"kind": k_tree, "text": r.text_of(&t.title), "url": tree_node_url(&t.id, &t.start, &t.start)})
                }))
                .collect();
            // The outcome's channels themselves, shown right under its text:
            // a reader told to call or write needs the number there, not
            // further down among the related links.
            let contacts = o
                .contacts
                .iter()
                .filter_map(|id| r.contacts.iter().find(|c| &c.id == id))
                .map(|c| {
                    Ok(json!({
                        "id": c.id,
                        "name": r.text_of(&c.name),
                        "kind": c.kind,
                        "kind_label": locale.get(&format!("contact_kind.{}", c.kind))?,
                        "value": c.value,
                        "href": c.href,
                        "placeholder": c.placeholder,
                        "hours": c.hours.as_ref().map(|t| r.text_of(t)),
                        "url": contact_url(&c.id),
                        "source": c.source,
                    }))
                })
                .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
            out.push(PageOut {
                path: tree_outcome_url(&tree.id, &o.id),
                template: "tree.html",
                title: outcome_title
                    .replace("{tree}", r.text_of(&tree.title))
                    .replace("{outcome}", r.text_of(&o.title)),
                context: json!({
                    "tree": tree_info,
                    "kind": "outcome",
                    "node_id": format!("outcome:{}", o.id),
                    "trail": trail(&format!("outcome:{}", o.id)),
                    "outcome_title": r.text_of(&o.title),
                    "outcome_text": r.text_of(&o.text),
                    "source": o.source,
                    "contacts": contacts,
                    "links": links,
                }),
            });
        }
    }
    Ok(out)
}

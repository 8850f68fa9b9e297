//! The level decision tree as static pages: one page per node of the
//! compiled tree, so the tree works without JavaScript and every path is a
//! shareable URL. The script on the page enhances the same tree in place.

use serde_json::json;

use super::timing::{Timings, level_steps};
use super::{PageOut, classify_url, event_url, level_url, report_url, worksheets};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;
use crate::ruleset::classify::{Outcome, TreeNode};
use crate::site::locale::Locale;

/// Parent of each node and the answer that leads to it.
fn parents(tree: &[TreeNode]) -> Vec<Option<(usize, String)>> {
    let mut parent = vec![None; tree.len()];
    for (i, node) in tree.iter().enumerate() {
        if let TreeNode::Question { question, branches } = node {
            for b in branches {
                if let Some(p) = parent.get_mut(b.node) {
                    *p = Some((i, format!("{question}={}", b.answer)));
                }
            }
        }
    }
    parent
}

pub fn pages(
    r: &Ruleset,
    locale: &Locale,
    timings: &Timings,
) -> Result<Vec<PageOut>, Box<Diagnostic>> {
    let first_title = locale.get("nav.classify")?;
    let step_title = locale.get("classify.step_title")?;
    let tree = &r.level_tree;
    let parent = parents(tree);
    let classifier = r.classifier();
    let question = |id: &str| r.questions.iter().find(|q| q.id == id);
    let answer_text = |pair: &str| {
        let (q, a) = pair.split_once('=').unwrap_or((pair, ""));
        question(q).map(|q| {
            (
                r.text_of(&q.text),
                q.answers
                    .iter()
                    .find(|x| x.id == a)
                    .map(|x| r.text_of(&x.text))
                    .unwrap_or_default(),
            )
        })
    };
    let mut out = Vec::new();
    for (i, node) in tree.iter().enumerate() {
        // The answers given so far, from the root.
        let mut trail = Vec::new();
        let mut at = i;
        while let Some(Some((p, pair))) = parent.get(at) {
            if let Some((q, a)) = answer_text(pair) {
                trail.push(json!({"question": q, "answer": a, "url": classify_url(*p)}));
            }
            at = *p;
        }
        trail.reverse();
        let step = trail.len() + 1;
        let context = match node {
            TreeNode::Question {
                question: qid,
                branches,
            } => {
                let q = question(qid);
                // The level already certain from the answers so far.
                let mut slots = vec![None; classifier.questions.len()];
                let mut at = i;
                while let Some(Some((p, pair))) = parent.get(at) {
                    if let Some((qq, aa)) = pair.split_once('=')
                        && let Some(qi) = classifier.question_index(qq)
                    {
                        slots[qi] = classifier.questions[qi]
                            .answers
                            .iter()
                            .position(|x| x == aa);
                    }
                    at = *p;
                }
                let at_least = match classifier.evaluate(&slots) {
                    Outcome::NeedsAnswers { at_least, .. } => at_least,
                    _ => None,
                };
                json!({
                    "kind": "question",
                    "node": i,
                    "step": step,
                    "trail": trail,
                    "question": q.map(|q| r.text_of(&q.text)),
                    "help": q.and_then(|q| q.help.as_ref()).map(|t| r.text_of(t)),
                    "definition": q.and_then(|q| q.definition.as_ref()).map(|t| r.text_of(t)),
                    "examples": q.map(|q| q.examples.iter().map(|t| r.text_of(t)).collect::<Vec<_>>()).unwrap_or_default(),
                    // "Not sure" leads where the policy's `unsure` answer
                    // leads, and says which answer it counts as.
                    "unsure": q.and_then(|q| {
                        let id = q.unsure.as_deref()?;
                        let answer = q.answers.iter().find(|a| a.id == id)?;
                        let branch = branches.iter().find(|b| b.answer == id)?;
                        Some(json!({"text": r.text_of(&answer.text), "url": classify_url(branch.node)}))
                    }),
                    "at_least": at_least.as_ref().and_then(|l| r.level(l)).map(|l| json!({"id": l.id, "name": r.text_of(&l.name), "url": level_url(&l.id)})),
                    "source": q.map(|q| q.source.clone()),
                    "answers": branches.iter().map(|b| json!({
                        "text": q.and_then(|q| q.answers.iter().find(|a| a.id == b.answer)).map(|a| r.text_of(&a.text)),
                        "url": classify_url(b.node),
                    })).collect::<Vec<_>>(),
                })
            }
            TreeNode::Leaf { outcome } => {
                let (status, level, criteria) = match outcome {
                    Outcome::Level { level, criteria } => ("level", Some(level), criteria.clone()),
                    Outcome::NotAnIncident => ("not-an-incident", None, Vec::new()),
                    _ => ("unclassified", None, Vec::new()),
                };
                let next_steps: Vec<_> = level
                    .map(|l| {
                        level_steps(r, l)
                            .filter_map(|e| timings.at_level(&e.id, l).map(|t| (e, t)))
                            .map(|(e, timing)| {
                                json!({
                                    "id": e.id,
                                    "name": r.text_of(&e.name),
                                    "actor": r.actor_name(&e.actor).map(|t| r.text_of(t)),
                                    "timing": timing,
                                    "url": event_url(&e.id),
                                    "source": e.source,
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                json!({
                    "kind": "leaf",
                    "node": i,
                    "step": step,
                    "trail": trail,
                    "status": status,
                    "not_an_incident_decision": r.handbook.not_an_incident,
                    "level": level,
                    "level_name": level.and_then(|l| r.level(l)).map(|l| r.text_of(&l.name)),
                    "level_sev": level.and_then(|l| super::severity_class(r, l)),
                    "level_summary": level.and_then(|l| r.level(l)).map(|l| r.text_of(&l.summary)),
                    "level_url": level.map(level_url),
                    "criteria": criteria.iter().filter_map(|id| r.criteria.iter().find(|c| &c.id == id)).map(|c| json!({
                        "text": r.text_of(&c.text),
                        "source": c.source,
                        "decision": c.decision,
                    })).collect::<Vec<_>>(),
                    "next_steps": next_steps,
                    "channels": worksheets::channels(r),
                    "worksheets": level.and_then(|l| r.level(l)).map(|l| worksheets::worksheet_links(r, l)).unwrap_or_default(),
                    "report_url": report_url(),
                    "has_unsure": r.questions.iter().any(|q| q.unsure.is_some()),
                })
            }
        };
        out.push(PageOut {
            path: classify_url(i),
            template: "classify.html",
            title: if i == 0 {
                first_title.to_owned()
            } else {
                step_title
                    .replace("{title}", first_title)
                    .replace("{step}", &step.to_string())
            },
            context,
        });
    }
    Ok(out)
}

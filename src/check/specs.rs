//! The policy as the classifier and the deadline calculator read it: the
//! pure specs built straight from the loaded (spanned) files, for the rules
//! that walk every answer combination or the event graph, and for `compile`,
//! which builds the same specs once the policy passed. Values that do not
//! resolve or parse are left out: they are errors of their own rules.

use std::collections::BTreeMap;

use toml::Spanned;

use crate::domain::classify::{Classifier, CriterionSpec, QuestionSpec};
use crate::domain::duration::parse_within;
use crate::domain::event::{EventKind, EventSpec};
use crate::domain::{LevelId, Levels};
use crate::policy;

fn s(v: &Spanned<String>) -> String {
    v.get_ref().clone()
}

fn ids(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(s).collect()
}

/// The event graph as the deadline calculator needs it. Durations that do not
/// parse are left out (they are `schema` errors, so a checked policy has none).
pub fn event_specs(file: &policy::DeadlinesFile, levels: &Levels) -> Vec<EventSpec> {
    file.event
        .iter()
        .map(|e| {
            let mut within = BTreeMap::new();
            match e.within.as_ref().map(|w| w.get_ref()) {
                Some(policy::Within::Every(text)) => {
                    if let Ok(w) = parse_within(text) {
                        for level in levels.iter() {
                            within.insert(level.clone(), w);
                        }
                    }
                }
                Some(policy::Within::PerLevel(map)) => {
                    for (level, text) in map {
                        if let Ok(w) = parse_within(text) {
                            within.insert(LevelId::from(level.as_str()), w);
                        }
                    }
                }
                None => {}
            }
            EventSpec {
                id: s(&e.id),
                actor: s(&e.actor),
                anchor: e.anchor.as_ref().map(s),
                within,
                kind: match e.kind.as_ref().map(|k| k.get_ref().as_str()) {
                    Some("right") => EventKind::Right,
                    _ => EventKind::Deadline,
                },
                when: e.when.as_ref().map(s),
                after: ids(&e.after),
                if_anchor_missed: e.if_anchor_missed,
                counts_as: e.counts_as.as_ref().map(s),
                not_after: e.not_after.as_ref().map(s),
                source: s(&e.source),
            }
        })
        .collect()
}

/// The classifier for a levels file, with severity from the declared order.
/// References that do not resolve are dropped (they are `unknown-reference`
/// errors, and a criterion of an undeclared level likewise).
pub fn classifier(file: &policy::LevelsFile, levels: &Levels) -> Classifier {
    let questions: Vec<QuestionSpec> = file
        .question
        .iter()
        .map(|q| QuestionSpec {
            id: s(&q.id),
            answers: q.answer.iter().map(|a| s(&a.id)).collect(),
            nothing: q.answer.iter().map(|a| a.nothing).collect(),
        })
        .collect();
    let criteria = file
        .criterion
        .iter()
        .filter_map(|c| {
            let level = c.level.get_ref().clone();
            let severity = levels.severity(&level)?;
            let when = c
                .when
                .iter()
                .filter_map(|(q, answers)| {
                    let qi = questions.iter().position(|x| &x.id == q.get_ref())?;
                    let allowed: Vec<usize> = answers
                        .get_ref()
                        .items()
                        .iter()
                        .filter_map(|a| questions[qi].answers.iter().position(|x| x == *a))
                        .collect();
                    Some((qi, allowed))
                })
                .collect();
            Some(CriterionSpec {
                id: s(&c.id),
                level,
                severity,
                when,
            })
        })
        .collect();
    Classifier {
        questions,
        criteria,
    }
}

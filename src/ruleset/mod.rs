//! Stage 3: the compiled rule set, the model every consumer reads.
//!
//! [`compile`] turns a policy that passed `check` into a [`Ruleset`]: spans
//! are gone, references are resolved (agency aliases become agency ids), the
//! level decision tree is built, durations are parsed. The rule set is plain
//! data that serialises to canonical JSON (`handbook compile`) with a content
//! digest. It must never be built from a policy with errors, and it never
//! fills a gap with a guess: a value `check` should have guaranteed and did
//! not is `NotCompilable::Unchecked`, naming it. The types are in `model.rs`,
//! `compile` in `compile.rs`.

mod compile;
pub mod deadlines;
pub mod drills;
pub mod edition;
mod language;
mod model;
pub mod roles;

/// The classifier is pure domain logic (below `check`, which uses it too);
/// re-exported here where consumers of the rule set have always found it.
pub use crate::domain::classify;
pub use crate::domain::parse_share;
pub use crate::domain::phone;
pub use compile::{NotCompilable, compile};
pub use model::*;

use sha2::{Digest, Sha256};

use crate::domain::{LevelId, Levels};
use crate::policy::{self, Spanned};
use classify::{Classifier, CriterionSpec, QuestionSpec};
use deadlines::EventSpec;

/// Version of the JSON format. Raise it when a field changes meaning or goes
/// away; adding a field does not need a new version.
pub const FORMAT_VERSION: u32 = 2;

/// Helpers for `compile` and `edition`: spanned policy values to plain ones.
pub(crate) fn text(t: &policy::Text) -> Text {
    t.get_ref().clone()
}

pub(crate) fn opt_text(t: &Option<policy::Text>) -> Option<Text> {
    t.as_ref().map(text)
}

pub(crate) fn s(v: &Spanned<String>) -> String {
    v.get_ref().clone()
}

pub(crate) fn ids(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(s).collect()
}

impl Ruleset {
    pub fn classifier(&self) -> Classifier {
        let questions: Vec<QuestionSpec> = self
            .questions
            .iter()
            .map(|q| QuestionSpec {
                id: q.id.clone(),
                answers: q.answers.iter().map(|a| a.id.clone()).collect(),
                nothing: q.answers.iter().map(|a| a.nothing).collect(),
            })
            .collect();
        let criteria = self
            .criteria
            .iter()
            .map(|c| CriterionSpec {
                id: c.id.clone(),
                level: c.level.clone(),
                severity: c.severity,
                when: c
                    .when
                    .iter()
                    .filter_map(|(q, answers)| {
                        let qi = questions.iter().position(|x| &x.id == q)?;
                        let allowed = answers
                            .iter()
                            .filter_map(|a| questions[qi].answers.iter().position(|x| x == a))
                            .collect();
                        Some((qi, allowed))
                    })
                    .collect(),
            })
            .collect();
        Classifier {
            questions,
            criteria,
        }
    }

    pub fn event_specs(&self) -> Vec<EventSpec> {
        self.events
            .iter()
            .map(|e| EventSpec {
                id: e.id.to_string(),
                actor: e.actor.clone(),
                anchor: e.anchor.clone(),
                within: e.within.clone(),
                kind: e.kind,
                when: e.when.clone(),
                after: e.after.clone(),
                if_anchor_missed: e.if_anchor_missed,
                counts_as: e.counts_as.clone(),
                not_after: e.not_after.clone(),
                source: e.source.clone(),
            })
            .collect()
    }

    /// The time zone all times are read and shown in.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.meta.timezone.tz()
    }

    /// Canonical JSON: sorted keys, two-space indent, trailing newline.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
        out.push('\n');
        out
    }

    fn seal(mut self) -> Self {
        self.digest = String::new();
        let value = serde_json::to_value(&self).unwrap_or(serde_json::Value::Null);
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        let hash = Sha256::digest(&bytes);
        self.digest = format!(
            "sha256:{}",
            hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        self
    }

    pub fn level(&self, id: &LevelId) -> Option<&Level> {
        self.levels.iter().find(|l| &l.id == id)
    }

    /// The levels in order of severity, most severe first.
    pub fn level_order(&self) -> Levels {
        Levels::new(self.levels.iter().map(|l| l.id.clone()).collect())
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// The display name of an actor (unit or role).
    pub fn actor_name(&self, id: &str) -> Option<&Text> {
        self.units
            .iter()
            .find(|u| u.id == id)
            .map(|u| &u.name)
            .or_else(|| self.roles.iter().find(|r| r.id == id).map(|r| &r.name))
    }
}

/// Used by tests and `compile` callers that need the classifier to agree
/// with the tree: every full combination with its direct outcome.
pub fn all_outcomes(ruleset: &Ruleset) -> Vec<(Vec<usize>, classify::Outcome)> {
    let c = ruleset.classifier();
    c.combinations()
        .map(|combo| {
            let full: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
            let outcome = c.evaluate(&full);
            (combo, outcome)
        })
        .collect()
}

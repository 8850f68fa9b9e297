//! Stage 3: the compiled rule set, the model every consumer reads.
//!
//! [`compile`] turns a policy that passed `check` into a [`Ruleset`]: spans
//! are gone, references are resolved (agency aliases become agency ids), the
//! level decision tree is built, durations are parsed. The rule set is plain
//! data that serialises to canonical JSON (`handbook compile`) with a content
//! digest. It must never be built from a policy with errors: `compile` trusts
//! what `check` guarantees and would produce a wrong model otherwise.

pub mod classify;
pub mod deadlines;
pub mod edition;
mod language;
pub mod roles;

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::check::{Checked, Index};
use crate::policy::{self, Loaded, Spanned};
use classify::{Classifier, CriterionSpec, QuestionSpec, TreeNode};
use deadlines::{EventKind, EventSpec, Within, parse_within};

/// Version of the JSON format. Raise it when a field changes meaning or goes
/// away; adding a field does not need a new version.
pub const FORMAT_VERSION: u32 = 1;

pub type Text = BTreeMap<String, String>;

fn text(t: &policy::Text) -> Text {
    t.get_ref().clone()
}

fn opt_text(t: &Option<policy::Text>) -> Option<Text> {
    t.as_ref().map(text)
}

fn s(v: &Spanned<String>) -> String {
    v.get_ref().clone()
}

fn ids(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(s).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Ruleset {
    pub format_version: u32,
    /// `sha256:` and the hex SHA-256 of the compact JSON (sorted keys, no
    /// whitespace) of the whole rule set with this field set to `""`.
    pub digest: String,
    pub meta: Meta,
    /// Most severe first.
    pub levels: Vec<Level>,
    pub questions: Vec<Question>,
    pub criteria: Vec<Criterion>,
    /// The compiled level decision tree; node 0 is the root.
    pub level_tree: Vec<TreeNode>,
    pub conditions: Vec<Condition>,
    pub events: Vec<Event>,
    pub units: Vec<Unit>,
    pub roles: Vec<Role>,
    pub agencies: Vec<Agency>,
    pub contacts: Vec<Contact>,
    /// The phases of `duties`, in the policy's order.
    pub phases: Vec<Phase>,
    pub duties: Vec<Duty>,
    pub indicators: Vec<Indicator>,
    pub drills: Vec<Drill>,
    pub rewards: Vec<Provision>,
    pub penalties: Vec<Provision>,
    pub mitigations: Vec<Provision>,
    pub trees: Vec<Tree>,
    pub decisions: Vec<Decision>,
    pub inconsistencies: Vec<Inconsistency>,
    /// The ids the site and the CLI single out (`[handbook]`).
    pub handbook: roles::Roles,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: Text,
    pub guideline: Text,
    pub version: String,
    pub timezone: String,
    /// The BCP 47 tag every text has (`Ruleset::text_of` reads it).
    pub language: String,
    pub source: String,
    /// Which text this rule set encodes and the later rules that change it.
    pub edition: edition::Edition,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub id: u8,
    pub name: Text,
    pub summary: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub text: Text,
    pub help: Option<Text>,
    pub source: String,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub id: String,
    pub text: Text,
    pub nothing: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub id: String,
    pub level: u8,
    pub text: Text,
    pub when: BTreeMap<String, Vec<String>>,
    pub source: String,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub id: String,
    pub text: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: String,
    pub name: Text,
    pub description: Option<Text>,
    pub actor: String,
    pub anchor: Option<String>,
    /// Per level ("1" to "4"); a level missing here does not have the event.
    pub within: BTreeMap<String, Within>,
    pub kind: EventKind,
    pub when: Option<String>,
    pub after: Vec<String>,
    /// Arises only when the anchor is not done by its deadline, and counts
    /// from that deadline.
    pub if_anchor_missed: bool,
    /// Doing this event also does that one.
    pub counts_as: Option<String>,
    /// A starting event that is not later than that one, and is taken to be
    /// it when its own time is not given.
    pub not_after: Option<String>,
    pub contacts: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: Text,
    pub short: Option<Text>,
    pub kind: String,
    pub parent: Option<String>,
    pub children: Vec<String>,
    /// Agency ids, resolved from ids, names or aliases.
    pub lead: Vec<String>,
    pub lead_note: Option<Text>,
    pub jurisdiction: Option<Text>,
    pub remit: Option<Text>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub name: Text,
    pub part_of: Option<String>,
    pub remit: Option<Text>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    pub number: i64,
    pub id: String,
    pub name: Text,
    pub aliases: Vec<String>,
    /// Units this agency leads.
    pub leads: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub id: String,
    pub name: Text,
    pub kind: String,
    pub value: String,
    /// `tel:`, `mailto:` or the URL itself; `None` for a placeholder, which
    /// is never offered as a link.
    pub href: Option<String>,
    /// The value is a stand-in to replace (`placeholder = true`).
    pub placeholder: bool,
    /// Where the value comes from: a page or a guideline section.
    pub value_from: Option<String>,
    pub owner: String,
    pub hours: Option<Text>,
    pub purpose: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    pub id: String,
    pub phase: String,
    pub actor: String,
    pub text: Text,
    pub events: Vec<String>,
    pub contacts: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub id: String,
    pub title: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: Text,
    pub question: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Drill {
    pub id: String,
    pub name: Text,
    pub organiser: String,
    pub cadence: String,
    pub times_per_year: Option<i64>,
    pub purpose: Vec<Text>,
    pub description: Option<Text>,
    pub due: Vec<YearlyDue>,
    pub report: Vec<DrillReport>,
    pub participation: Vec<Participation>,
    pub scenarios: Option<Scenarios>,
    pub approval: Option<Text>,
    pub source: String,
}

/// A yearly date; `day` is `None` for the last day of the month.
#[derive(Debug, Clone, Serialize)]
pub struct YearlyDue {
    pub month: u32,
    pub day: Option<u32>,
    pub text: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    pub text: Text,
    pub to: String,
    pub within: Option<Within>,
    pub by: Option<MonthDay>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct MonthDay {
    pub month: u32,
    /// `None` for the last day of the month.
    pub day: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Participation {
    pub share: String,
    pub numerator: u32,
    pub denominator: u32,
    pub of: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scenarios {
    pub min: i64,
    pub levels: Vec<i64>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Provision {
    pub id: String,
    pub text: Text,
    pub applies_to: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tree {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub start: String,
    pub source: String,
    pub nodes: Vec<TreeQuestion>,
    pub outcomes: Vec<TreeOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreeQuestion {
    pub id: String,
    pub question: Text,
    pub help: Option<Text>,
    pub source: String,
    pub answers: Vec<TreeAnswer>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreeAnswer {
    pub text: Text,
    pub next: Option<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreeOutcome {
    pub id: String,
    pub title: Text,
    pub text: Text,
    pub levels: Vec<i64>,
    pub events: Vec<String>,
    pub contacts: Vec<String>,
    pub duties: Vec<String>,
    pub units: Vec<String>,
    pub trees: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: String,
    pub title: Text,
    pub text: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inconsistency {
    pub id: String,
    pub title: Text,
    pub reason: Text,
    pub readings: Vec<Reading>,
    /// The rule that detects it, when one does.
    pub rule: Option<String>,
    pub subject: Option<String>,
    /// What the rule reported, accepted by this note.
    pub detected: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    pub source: String,
    pub text: Text,
}

/// The event graph as the deadline calculator needs it. Durations that do not
/// parse are left out (they are `schema` errors, so a checked policy has none).
pub fn event_specs(file: &policy::DeadlinesFile) -> Vec<EventSpec> {
    file.event
        .iter()
        .map(|e| {
            let mut within = BTreeMap::new();
            match e.within.as_ref().map(|w| w.get_ref()) {
                Some(policy::Within::Every(text)) => {
                    if let Ok(w) = parse_within(text) {
                        for level in 1..=4 {
                            within.insert(level, w);
                        }
                    }
                }
                Some(policy::Within::PerLevel(map)) => {
                    for (level, text) in map {
                        if let (Ok(l), Ok(w)) = (level.parse::<u8>(), parse_within(text)) {
                            within.insert(l, w);
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

/// The classifier for a levels file. References that do not resolve are
/// dropped (they are `unknown-reference` errors).
pub fn classifier(file: &policy::LevelsFile) -> Classifier {
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
            let level = u8::try_from(*c.level.get_ref()).ok()?;
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
                when,
            })
        })
        .collect();
    Classifier {
        questions,
        criteria,
    }
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
                level: c.level,
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
                id: e.id.clone(),
                actor: e.actor.clone(),
                anchor: e.anchor.clone(),
                within: e
                    .within
                    .iter()
                    .filter_map(|(l, w)| Some((l.parse().ok()?, *w)))
                    .collect(),
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
        self.meta
            .timezone
            .parse()
            .unwrap_or(chrono_tz::Asia::Taipei)
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

    pub fn level(&self, id: u8) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
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

/// Why a rule set could not be compiled.
#[derive(Debug)]
pub struct NotCompilable {
    pub errors: usize,
}

impl std::fmt::Display for NotCompilable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the policy has {} error(s); run `handbook check`",
            self.errors
        )
    }
}

impl std::error::Error for NotCompilable {}

/// Compiles a checked policy. Refuses when `check` found errors.
pub fn compile(loaded: &Loaded, checked: &Checked) -> Result<Ruleset, NotCompilable> {
    let p = &loaded.policy;
    let (
        Some(meta),
        Some(levels),
        Some(deadlines),
        Some(org),
        Some(agencies),
        Some(contacts),
        Some(duties),
        Some(drills),
        Some(acc),
        Some(trees),
        Some(notes),
    ) = (
        &p.meta,
        &p.levels,
        &p.deadlines,
        &p.organisation,
        &p.agencies,
        &p.contacts,
        &p.duties,
        &p.drills,
        &p.accountability,
        &p.trees,
        &p.notes,
    )
    else {
        return Err(NotCompilable {
            errors: checked.errors().max(1),
        });
    };
    if checked.errors() > 0 {
        return Err(NotCompilable {
            errors: checked.errors(),
        });
    }
    // `check` reports a missing language; without errors it is there.
    let Some(language) = &meta.value.language else {
        return Err(NotCompilable { errors: 1 });
    };
    let ix: &Index = &checked.index;
    let Some(handbook) = meta
        .value
        .handbook
        .as_ref()
        .and_then(|h| roles::compile(h.get_ref()))
    else {
        return Err(NotCompilable {
            errors: checked.errors().max(1),
        });
    };

    let mut level_list: Vec<Level> = levels
        .value
        .level
        .iter()
        .map(|l| Level {
            id: u8::try_from(*l.id.get_ref()).unwrap_or(0),
            name: text(&l.name),
            summary: text(&l.summary),
            source: s(&l.source),
        })
        .collect();
    level_list.sort_by_key(|l| std::cmp::Reverse(l.id));

    let classifier = classifier(&levels.value);
    let level_tree = classifier.build_tree();

    let specs = event_specs(&deadlines.value);
    let events = deadlines
        .value
        .event
        .iter()
        .zip(&specs)
        .map(|(e, spec)| Event {
            id: spec.id.clone(),
            name: text(&e.name),
            description: opt_text(&e.description),
            actor: spec.actor.clone(),
            anchor: spec.anchor.clone(),
            within: spec
                .within
                .iter()
                .map(|(l, w)| (l.to_string(), *w))
                .collect(),
            kind: spec.kind,
            when: spec.when.clone(),
            after: spec.after.clone(),
            if_anchor_missed: spec.if_anchor_missed,
            counts_as: spec.counts_as.clone(),
            not_after: spec.not_after.clone(),
            contacts: ids(&e.contacts),
            source: spec.source.clone(),
        })
        .collect();

    let units: Vec<Unit> = org
        .value
        .unit
        .iter()
        .map(|u| Unit {
            id: s(&u.id),
            name: text(&u.name),
            short: opt_text(&u.short),
            kind: s(&u.kind),
            parent: u.parent.as_ref().map(s),
            children: org
                .value
                .unit
                .iter()
                .filter(|c| {
                    c.parent
                        .as_ref()
                        .is_some_and(|p| p.get_ref() == u.id.get_ref())
                })
                .map(|c| s(&c.id))
                .collect(),
            lead: u
                .lead
                .iter()
                .filter_map(|l| ix.agency(l.get_ref()).map(str::to_owned))
                .collect(),
            lead_note: opt_text(&u.lead_note),
            jurisdiction: opt_text(&u.jurisdiction),
            remit: opt_text(&u.remit),
            source: s(&u.source),
        })
        .collect();

    let agency_list = agencies
        .value
        .agency
        .iter()
        .map(|a| Agency {
            number: *a.number.get_ref(),
            id: s(&a.id),
            name: text(&a.name),
            aliases: ids(&a.aliases),
            leads: units
                .iter()
                .filter(|u| u.lead.iter().any(|l| l == a.id.get_ref()))
                .map(|u| u.id.clone())
                .collect(),
            source: s(&a.source),
        })
        .collect();

    let provision = |v: &[policy::Provision]| -> Vec<Provision> {
        v.iter()
            .map(|p| Provision {
                id: s(&p.id),
                text: text(&p.text),
                applies_to: ids(&p.applies_to),
                source: s(&p.source),
            })
            .collect()
    };

    let ruleset = Ruleset {
        format_version: FORMAT_VERSION,
        digest: String::new(),
        meta: Meta {
            title: text(&meta.value.title),
            guideline: text(&meta.value.guideline),
            version: s(&meta.value.version),
            timezone: s(&meta.value.timezone),
            language: s(language),
            source: s(&meta.value.source),
            edition: edition::compile(&meta.value.edition),
        },
        levels: level_list,
        questions: levels
            .value
            .question
            .iter()
            .map(|q| Question {
                id: s(&q.id),
                text: text(&q.text),
                help: opt_text(&q.help),
                source: s(&q.source),
                answers: q
                    .answer
                    .iter()
                    .map(|a| Answer {
                        id: s(&a.id),
                        text: text(&a.text),
                        nothing: a.nothing,
                    })
                    .collect(),
            })
            .collect(),
        criteria: levels
            .value
            .criterion
            .iter()
            .map(|c| Criterion {
                id: s(&c.id),
                level: u8::try_from(*c.level.get_ref()).unwrap_or(0),
                text: text(&c.text),
                when: c
                    .when
                    .iter()
                    .map(|(q, a)| (s(q), a.get_ref().items().into_iter().cloned().collect()))
                    .collect(),
                source: s(&c.source),
                decision: c.decision.as_ref().map(s),
            })
            .collect(),
        level_tree,
        conditions: deadlines
            .value
            .condition
            .iter()
            .map(|c| Condition {
                id: s(&c.id),
                text: text(&c.text),
                source: s(&c.source),
            })
            .collect(),
        events,
        units,
        roles: org
            .value
            .role
            .iter()
            .map(|r| Role {
                id: s(&r.id),
                name: text(&r.name),
                part_of: r.part_of.as_ref().map(s),
                remit: opt_text(&r.remit),
                source: s(&r.source),
            })
            .collect(),
        agencies: agency_list,
        contacts: contacts
            .value
            .contact
            .iter()
            .map(|c| Contact {
                id: s(&c.id),
                name: text(&c.name),
                kind: s(&c.kind),
                value: s(&c.value),
                href: (!is_placeholder(c))
                    .then(|| contact_href(c.kind.get_ref(), c.value.get_ref())),
                placeholder: is_placeholder(c),
                value_from: c.value_from.as_ref().map(s),
                owner: s(&c.owner),
                hours: opt_text(&c.hours),
                purpose: text(&c.purpose),
                source: s(&c.source),
            })
            .collect(),
        phases: duties
            .value
            .phase
            .iter()
            .map(|p| Phase {
                id: s(&p.id),
                title: text(&p.title),
            })
            .collect(),
        duties: duties
            .value
            .duty
            .iter()
            .map(|d| Duty {
                id: s(&d.id),
                phase: s(&d.phase),
                actor: s(&d.actor),
                text: text(&d.text),
                events: ids(&d.events),
                contacts: ids(&d.contacts),
                source: s(&d.source),
            })
            .collect(),
        indicators: duties
            .value
            .indicator
            .iter()
            .map(|i| Indicator {
                id: s(&i.id),
                name: text(&i.name),
                question: text(&i.question),
                source: s(&i.source),
            })
            .collect(),
        drills: drills.value.drill.iter().map(compile_drill).collect(),
        rewards: provision(&acc.value.reward),
        penalties: provision(&acc.value.penalty),
        mitigations: provision(&acc.value.mitigation),
        trees: trees
            .value
            .tree
            .iter()
            .map(|t| Tree {
                id: s(&t.id),
                title: text(&t.title),
                summary: text(&t.summary),
                start: s(&t.start),
                source: s(&t.source),
                nodes: t
                    .node
                    .iter()
                    .map(|n| TreeQuestion {
                        id: s(&n.id),
                        question: text(&n.question),
                        help: opt_text(&n.help),
                        source: s(&n.source),
                        answers: n
                            .answer
                            .iter()
                            .map(|a| TreeAnswer {
                                text: text(&a.text),
                                next: a.next.as_ref().map(s),
                                outcome: a.outcome.as_ref().map(s),
                            })
                            .collect(),
                    })
                    .collect(),
                outcomes: t
                    .outcome
                    .iter()
                    .map(|o| TreeOutcome {
                        id: s(&o.id),
                        title: text(&o.title),
                        text: text(&o.text),
                        levels: o.levels.iter().map(|l| *l.get_ref()).collect(),
                        events: ids(&o.events),
                        contacts: ids(&o.contacts),
                        duties: ids(&o.duties),
                        units: ids(&o.units),
                        trees: ids(&o.trees),
                        source: s(&o.source),
                    })
                    .collect(),
            })
            .collect(),
        decisions: notes
            .value
            .decision
            .iter()
            .map(|d| Decision {
                id: s(&d.id),
                title: text(&d.title),
                text: text(&d.text),
                source: s(&d.source),
            })
            .collect(),
        handbook,
        inconsistencies: notes
            .value
            .inconsistency
            .iter()
            .map(|i| Inconsistency {
                id: s(&i.id),
                title: text(&i.title),
                reason: text(&i.reason),
                readings: i
                    .reading
                    .iter()
                    .map(|r| Reading {
                        source: s(&r.source),
                        text: text(&r.text),
                    })
                    .collect(),
                rule: i.acknowledges.as_ref().map(|a| s(&a.rule)),
                subject: i.acknowledges.as_ref().map(|a| s(&a.subject)),
                detected: checked
                    .acknowledged
                    .iter()
                    .filter(|(note, _)| note == i.id.get_ref())
                    .map(|(_, d)| d.message.clone())
                    .collect(),
                source: s(&i.source),
            })
            .collect(),
    };
    Ok(ruleset.seal())
}

fn compile_drill(d: &policy::Drill) -> Drill {
    let day = |v: &Spanned<policy::DayOfMonth>| match v.get_ref() {
        policy::DayOfMonth::Day(n) => u32::try_from(*n).ok(),
        policy::DayOfMonth::Named(_) => None,
    };
    Drill {
        id: s(&d.id),
        name: text(&d.name),
        organiser: s(&d.organiser),
        cadence: s(&d.cadence),
        times_per_year: d.times_per_year.as_ref().map(|t| *t.get_ref()),
        purpose: d.purpose.iter().map(text).collect(),
        description: opt_text(&d.description),
        due: d
            .due
            .iter()
            .map(|due| YearlyDue {
                month: u32::try_from(*due.month.get_ref()).unwrap_or(1),
                day: day(&due.day),
                text: text(&due.text),
                source: s(&due.source),
            })
            .collect(),
        report: d
            .report
            .iter()
            .map(|r| DrillReport {
                text: text(&r.text),
                to: s(&r.to),
                within: r
                    .within
                    .as_ref()
                    .and_then(|w| parse_within(w.get_ref()).ok()),
                by: r.by.as_ref().map(|b| MonthDay {
                    month: u32::try_from(*b.month.get_ref()).unwrap_or(1),
                    day: day(&b.day),
                }),
                source: s(&r.source),
            })
            .collect(),
        participation: d
            .participation
            .iter()
            .map(|p| {
                let (numerator, denominator) = parse_share(p.share.get_ref()).unwrap_or((1, 1));
                Participation {
                    share: s(&p.share),
                    numerator,
                    denominator,
                    of: text(&p.of),
                    source: s(&p.source),
                }
            })
            .collect(),
        scenarios: d.scenarios.as_ref().map(|sc| Scenarios {
            min: *sc.min.get_ref(),
            levels: sc.levels.iter().map(|l| *l.get_ref()).collect(),
            source: s(&sc.source),
        }),
        approval: opt_text(&d.approval),
        source: s(&d.source),
    }
}

/// Reads a share written as a fraction (`"1/3"`).
pub fn parse_share(text: &str) -> Option<(u32, u32)> {
    let (n, d) = text.split_once('/')?;
    Some((n.trim().parse().ok()?, d.trim().parse().ok()?))
}

/// Whether a contact is a stand-in (`placeholder = true`).
fn is_placeholder(c: &crate::policy::Contact) -> bool {
    c.placeholder.as_ref().is_some_and(|p| *p.get_ref())
}

/// The link for a contact: `tel:` with digits only, `mailto:`, or the URL.
pub fn contact_href(kind: &str, value: &str) -> String {
    match kind {
        "phone" | "fax" => {
            let digits: String = value
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            // A global number (RFC 3966) dials from any phone, including a
            // foreign SIM: Taiwan's trunk 0 becomes +886.
            match digits.strip_prefix('0') {
                Some(rest) if !digits.starts_with('+') => format!("tel:+886{rest}"),
                _ => format!("tel:{digits}"),
            }
        }
        "email" => format!("mailto:{value}"),
        _ => value.to_owned(),
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

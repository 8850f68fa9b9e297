//! The compiled rule set's types: plain data, no spans, every reference
//! known to resolve. `compile` builds them; every later stage reads them.
//! Nothing here parses, checks or knows about TOML.

use std::collections::BTreeMap;

use serde::Serialize;

use super::classify::TreeNode;
use super::deadlines::{EventKind, Within};
use super::{edition, roles};
use crate::domain::{EventId, LevelId, TimeZone};

pub type Text = BTreeMap<String, String>;

#[derive(Debug, Clone, Serialize)]
pub struct Ruleset {
    pub format_version: u32,
    /// `sha256:` and the hex SHA-256 of the compact JSON (sorted keys, no
    /// whitespace) of the whole rule set with this field set to `""`.
    pub digest: String,
    pub meta: Meta,
    /// In the policy's order: most severe first.
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
    /// An IANA zone (`Asia/Taipei`), checked, so no consumer falls back to
    /// a guessed one; serialised as its name.
    pub timezone: TimeZone,
    /// The BCP 47 tag every text has (`Ruleset::text_of` reads it).
    pub language: String,
    pub source: String,
    /// Which text this rule set encodes and the later rules that change it.
    pub edition: edition::Edition,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub id: LevelId,
    pub name: Text,
    /// The short label of tables and lists; readers see `name` when absent.
    pub short: Option<Text>,
    pub summary: Text,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub text: Text,
    pub help: Option<Text>,
    /// What the question's terms mean.
    pub definition: Option<Text>,
    /// Short worked cases, in order.
    pub examples: Vec<Text>,
    /// The answer taken when the reader cannot tell yet (checked: one of
    /// `answers`, not a `nothing` one).
    pub unsure: Option<String>,
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
    pub level: LevelId,
    /// The level's place in the policy's order (larger is more severe), so
    /// that the script compares criteria without knowing what ids mean.
    pub severity: usize,
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
    pub id: EventId,
    pub name: Text,
    pub description: Option<Text>,
    pub actor: String,
    pub anchor: Option<String>,
    /// Per level id; a level missing here does not have the event.
    pub within: BTreeMap<LevelId, Within>,
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
    /// is never offered as a link, and for a fax (tapping one would start a
    /// phone call).
    pub href: Option<String>,
    /// A phone or fax number in E.164 (`+886227331655`), what a vCard
    /// carries; `None` for other kinds and for a placeholder.
    pub number: Option<String>,
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
    pub levels: Vec<LevelId>,
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
    pub levels: Vec<LevelId>,
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

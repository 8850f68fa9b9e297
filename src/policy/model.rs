//! The policy as written: one struct per TOML table, with spans.
//!
//! These types mirror the files under `policy/` one to one, so that serde can
//! reject unknown keys and wrong types with a position. Every identifier and
//! every reference keeps its [`Spanned`] byte range, because `check` must be
//! able to point at the exact text that is wrong. Nothing here resolves a
//! reference or judges a value: that is `check`'s job, and `ruleset` only ever
//! sees a policy that passed it.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::LevelId;

/// Text a person reads, keyed by language tag. Every text has the policy's
/// declared `language` (`zh-TW` for the bundled policy); translations may
/// stand beside it.
///
/// A table rather than a bare string so that a translation can be added beside
/// the original without changing any file's structure.
pub type Text = Spanned<BTreeMap<String, String>>;

pub type Id = Spanned<String>;

/// `policy.toml`: what this policy is and how its times are read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: Text,
    pub guideline: Text,
    pub version: Spanned<String>,
    pub timezone: Spanned<String>,
    /// BCP 47 tag of the language the handbook is written in: every text
    /// has it, and it selects the theme's `locales/<language>.toml`.
    /// Optional in the file so that `check` can say where to declare it.
    #[serde(default)]
    pub language: Option<Spanned<String>>,
    /// ISO 3166-1 alpha-2: the country whose national format the phone
    /// numbers use (others are written with `+`).
    pub country: Spanned<String>,
    pub source: Spanned<String>,
    /// Which text of the guideline this policy encodes, and the later rules
    /// that change some of what it says.
    pub edition: Edition,
    /// `[handbook]`: the ids the site and the CLI single out. Optional in
    /// the file so that `check` can say which role is missing and where to
    /// declare it, rather than serde's bare "missing field".
    #[serde(default)]
    pub handbook: Option<Spanned<Handbook>>,
    /// `[sections]`: how the guideline numbers its sections, so that every
    /// `source` can be checked against it. Optional in the file so that
    /// `check` can say what to write (and the rest of policy.toml is still
    /// checked), rather than serde's bare "missing field".
    #[serde(default)]
    pub sections: Option<Sections>,
}

/// `[sections]` of `policy.toml`: the guideline's section-numbering scheme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    /// A regular expression (the `regex` crate's syntax) every `source` must
    /// match, e.g. `'^(\d|第|附件)'`.
    pub pattern: Spanned<String>,
    /// Sources written the right way, quoted in the hint of a `source` that
    /// does not match.
    pub examples: Vec<Spanned<String>>,
}

/// `[handbook]` of `policy.toml`: the roles. Code never names a policy id;
/// whatever a page or a CLI flag must single out is named here and checked
/// like any other reference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handbook {
    /// The event of the first report (its time at the least severe level is quoted on the
    /// contacts page).
    pub initial_report: Option<Id>,
    /// The starting event every incident's clock counts from (`--discovered`).
    pub discovery: Option<Id>,
    /// The phone contact the home page offers when the portal is down.
    pub phone_line: Option<Id>,
    /// The `[[decision]]` that explains the classifier's "not an incident"
    /// outcome (linked from that result).
    pub not_an_incident: Option<Id>,
    /// The events listed as first steps on the home page, in order.
    pub first_steps: Option<Spanned<Vec<Id>>>,
    /// The decision tree that walks the screening indicators, linked from
    /// the indicator checklist of the duties page (optional).
    pub indicators_tree: Option<Id>,
    /// The condition `deadlines --support` sets (optional: without it the
    /// flag is refused).
    pub support_condition: Option<Id>,
    /// The condition `deadlines --portal-down` sets (optional likewise).
    pub portal_down_condition: Option<Id>,
    /// The reporting portal the home page links beside the phone line (a
    /// contact of kind `url`; optional).
    #[serde(default)]
    pub portal: Option<Id>,
    /// What the guideline itself says about a page, shown after the theme's
    /// generic lead (optional, each page alike).
    #[serde(default)]
    pub intro: Option<PageIntros>,
    /// The units a reader of the handbook can be in an incident ("who am
    /// I"), in the order the incident page offers them; their events are
    /// "mine", the rest another body's (optional: without it the site shows
    /// every deadline alike and `deadlines --role` is refused).
    #[serde(default)]
    pub readers: Option<Spanned<Vec<Id>>>,
    /// Prompts shown on an incident's result, each linking a decision tree
    /// (escalation, screening, other duties).
    #[serde(default)]
    pub follow_up: Vec<FollowUp>,
    /// What a first report must contain, as the guideline lists it (the
    /// report worksheet's items).
    #[serde(default)]
    pub report_item: Vec<ReportItem>,
}

/// `[[handbook.follow_up]]`: a short prompt on an incident's result that
/// links a decision tree, shown always or only after given answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// The tree the prompt links.
    pub tree: Id,
    pub prompt: Text,
    pub source: Spanned<String>,
    /// Show the prompt only when one of these answers was given (question id
    /// to answer ids); without it, after every classified incident.
    #[serde(default)]
    pub when: BTreeMap<Spanned<String>, Spanned<OneOrMany>>,
}

/// `[[handbook.report_item]]`: one thing a report must contain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportItem {
    pub text: Text,
    pub source: Spanned<String>,
}

/// `[handbook.intro]`: a sentence of the guideline's own per page, with the
/// section it comes from. The theme's leads are generic; facts of one
/// guideline belong here.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageIntros {
    #[serde(default)]
    pub contacts: Option<PageIntro>,
    #[serde(default)]
    pub org: Option<PageIntro>,
    #[serde(default)]
    pub flow: Option<PageIntro>,
    #[serde(default)]
    pub agencies: Option<PageIntro>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageIntro {
    pub text: Text,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// `[edition]` of `policy.toml`: the text this policy encodes. Either `date`
/// or `undated` says when that text was issued; `later` lists the rules
/// issued since that change some of its deadlines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// The title of the encoded text, as it reads.
    pub title: Text,
    /// The date of the encoded text (`YYYY-MM-DD`), when the copy carries one.
    #[serde(default)]
    pub date: Option<Spanned<String>>,
    /// Says that the copy carries no date, in place of `date`.
    #[serde(default)]
    pub undated: Option<Text>,
    /// A plain note on what the later rules mean for a reader.
    pub note: Text,
    #[serde(default)]
    pub later: Vec<LaterRule>,
}

/// A rule issued after the encoded text that changes some of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaterRule {
    pub name: Text,
    /// Since when it applies, as a year or date (`2019`, `2019-01-01`).
    pub since: Spanned<String>,
    /// What it changes, in plain words.
    pub note: Text,
}

/// `levels.toml`: impact levels, the factual questions, and the criteria.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelsFile {
    #[serde(default)]
    pub level: Vec<Level>,
    #[serde(default)]
    pub question: Vec<Question>,
    #[serde(default)]
    pub criterion: Vec<Criterion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Any id (`4` or `"significant"`); severity is the order of the
    /// `[[level]]` tables, most severe first.
    pub id: Spanned<LevelId>,
    pub name: Text,
    /// A short label for tables and lists (`4 級`); the name when absent.
    #[serde(default)]
    pub short: Option<Text>,
    pub summary: Text,
    pub source: Spanned<String>,
}

/// A factual question about the incident. Answers are listed from the most
/// severe to the least severe; `classification-monotonicity` relies on it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Id,
    pub text: Text,
    #[serde(default)]
    pub help: Option<Text>,
    /// What the question's terms mean, for a reader who is not sure.
    #[serde(default)]
    pub definition: Option<Text>,
    /// Short worked cases ("ransomware: tampering, and possibly a leak").
    #[serde(default)]
    pub examples: Vec<Text>,
    /// The answer a reader who cannot tell yet is taken to have given: the
    /// more severe branch, which the result then says was assumed.
    #[serde(default)]
    pub unsure: Option<Id>,
    pub source: Spanned<String>,
    #[serde(default)]
    pub answer: Vec<Answer>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub id: Id,
    pub text: Text,
    /// This answer means "nothing happened here". An incident where every
    /// question is answered with such an answer is not an incident at all and
    /// needs no level.
    #[serde(default)]
    pub nothing: bool,
}

/// One way an incident reaches a level: every listed question must have one
/// of the listed answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: Id,
    pub level: Spanned<LevelId>,
    pub text: Text,
    pub when: BTreeMap<Spanned<String>, Spanned<OneOrMany>>,
    pub source: Spanned<String>,
    /// Set when the guideline does not say this and the policy decided it:
    /// the id of the `[[decision]]` in `notes.toml` that explains why.
    #[serde(default)]
    pub decision: Option<Id>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "an answer id such as \"core\", or a list of answer ids"
)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<&String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v.iter().collect(),
        }
    }
}

/// `deadlines.toml`: the events of an incident and when each falls due.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinesFile {
    #[serde(default)]
    pub condition: Vec<Condition>,
    #[serde(default)]
    pub event: Vec<Event>,
}

/// A circumstance that switches events on, such as "support was requested".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: Id,
    pub text: Text,
    pub source: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Id,
    pub name: Text,
    #[serde(default)]
    pub description: Option<Text>,
    /// Who must act: an org unit or a role.
    pub actor: Id,
    /// The event this one is timed from. Absent only for starting events such
    /// as `discovered`.
    #[serde(default)]
    pub anchor: Option<Id>,
    /// How long after the anchor: a duration for every level, a table of
    /// level to duration, `"immediately"` or `"unspecified"`. Levels missing
    /// from a table do not have this event.
    #[serde(default)]
    pub within: Option<Spanned<Within>>,
    /// `deadline` (must happen by then) or `right` (may happen from then on).
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    /// The event only happens when this condition holds.
    #[serde(default)]
    pub when: Option<Id>,
    /// Events that must be done before this one can be, besides the anchor.
    /// An event whose prerequisite does not apply to an incident does not
    /// apply either.
    #[serde(default)]
    pub after: Vec<Id>,
    /// The event arises only when its anchor was not done by the anchor's
    /// deadline, and is then timed from that deadline (not from when the
    /// anchor was done late). Done on time: the event does not arise.
    #[serde(default)]
    pub if_anchor_missed: bool,
    /// Doing this event also does that one: its actual time stands for the
    /// other's when the other has none.
    #[serde(default)]
    pub counts_as: Option<Id>,
    /// A starting event that cannot be later than that event. When its own
    /// time is not given it is taken to be that event's time (the latest it
    /// can be), and what is timed from it is marked assumed.
    #[serde(default)]
    pub not_after: Option<Id>,
    /// Contacts used to do this.
    #[serde(default)]
    pub contacts: Vec<Id>,
    pub source: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "a duration such as \"1h\", \"immediately\", \"unspecified\", or a table of level = duration"
)]
pub enum Within {
    Every(String),
    PerLevel(BTreeMap<String, String>),
}

/// `organisation.toml`: the org tree and the generic roles that act in it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationFile {
    /// The words a unit's `kind` may take.
    #[serde(default)]
    pub unit_kind: Vec<UnitKind>,
    #[serde(default)]
    pub unit: Vec<Unit>,
    #[serde(default)]
    pub role: Vec<Role>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Id,
    pub name: Text,
    #[serde(default)]
    pub short: Option<Text>,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub parent: Option<Id>,
    /// Lead agencies, by agency id, name or alias.
    #[serde(default)]
    pub lead: Vec<Id>,
    #[serde(default)]
    pub lead_note: Option<Text>,
    #[serde(default)]
    pub jurisdiction: Option<Text>,
    #[serde(default)]
    pub remit: Option<Text>,
    pub source: Spanned<String>,
}

/// A kind of actor that exists in many places, such as "the competent
/// authority" or "the reporting agency".
/// A kind of unit (council, office, ...), declared so that no code needs a
/// closed list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitKind {
    pub id: Id,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Id,
    pub name: Text,
    #[serde(default)]
    pub part_of: Option<Id>,
    #[serde(default)]
    pub remit: Option<Text>,
    pub source: Spanned<String>,
}

/// `agencies.toml`: the competent authorities of the annex.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgenciesFile {
    #[serde(default)]
    pub agency: Vec<Agency>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub number: Spanned<i64>,
    pub id: Id,
    pub name: Text,
    /// Other names the guideline uses for this agency (研考會, 衛生署 ...).
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub source: Spanned<String>,
}

/// `contacts.toml`: phone, fax, e-mail and web channels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactsFile {
    #[serde(default)]
    pub contact: Vec<Contact>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: Id,
    pub name: Text,
    /// `phone`, `fax`, `email` or `url`.
    pub kind: Spanned<String>,
    pub value: Spanned<String>,
    /// Where the value comes from: the public page that lists it
    /// (`https://…`) or the guideline section that prints it. A real contact
    /// cites one; a placeholder cites none (`contact-source`).
    #[serde(default)]
    pub value_from: Option<Spanned<String>>,
    /// The value is a stand-in to replace: no public value could be cited.
    /// The site marks it and never offers it as a link.
    #[serde(default)]
    pub placeholder: Option<Spanned<bool>>,
    /// The org unit or role that answers this channel.
    pub owner: Id,
    #[serde(default)]
    pub hours: Option<Text>,
    pub purpose: Text,
    pub source: Spanned<String>,
}

/// `duties.toml`: what each actor must do before, during and after.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutiesFile {
    /// The phases duties are grouped by on the duties page, in this order.
    #[serde(default)]
    pub phase: Vec<Phase>,
    #[serde(default)]
    pub duty: Vec<Duty>,
    #[serde(default)]
    pub indicator: Vec<Indicator>,
}

/// A phase of the response (before, during, after, ...): a heading of the
/// duties page that each duty's `phase` names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: Id,
    pub title: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    pub id: Id,
    /// `before`, `during`, `after`, `review`, `escalation` or `reporting`.
    pub phase: Spanned<String>,
    pub actor: Id,
    pub text: Text,
    #[serde(default)]
    pub events: Vec<Id>,
    #[serde(default)]
    pub contacts: Vec<Id>,
    pub source: Spanned<String>,
}

/// A national-security screening indicator (§4.4(三)).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: Id,
    pub name: Text,
    pub question: Text,
    pub source: Spanned<String>,
}

/// `drills.toml`: exercises, when they are due and how they are reported.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillsFile {
    #[serde(default)]
    pub drill: Vec<Drill>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    pub id: Id,
    pub name: Text,
    pub organiser: Id,
    /// `yearly`, `irregular` or `per-plan`.
    pub cadence: Spanned<String>,
    #[serde(default)]
    pub times_per_year: Option<Spanned<i64>>,
    #[serde(default)]
    pub purpose: Vec<Text>,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub due: Vec<CalendarDue>,
    #[serde(default)]
    pub report: Vec<DrillReport>,
    #[serde(default)]
    pub participation: Vec<Participation>,
    #[serde(default)]
    pub scenarios: Option<Scenarios>,
    #[serde(default)]
    pub approval: Option<Text>,
    pub source: Spanned<String>,
}

/// A yearly date by which something must be done.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDue {
    pub month: Spanned<i64>,
    /// A day of the month, or `"end"` for its last day.
    pub day: Spanned<DayOfMonth>,
    pub text: Text,
    pub source: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a day of the month (1-31) or \"end\"")]
pub enum DayOfMonth {
    Day(i64),
    Named(String),
}

/// How a drill's results are reported: within a time after the drill, or by a
/// yearly date, to someone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillReport {
    pub text: Text,
    pub to: Id,
    #[serde(default)]
    pub within: Option<Spanned<String>>,
    #[serde(default)]
    pub by: Option<CalendarDate>,
    pub source: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDate {
    pub month: Spanned<i64>,
    pub day: Spanned<DayOfMonth>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// A fraction such as `"1/3"`, at least this share must take part.
    pub share: Spanned<String>,
    pub of: Text,
    pub source: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenarios {
    pub min: Spanned<i64>,
    pub levels: Vec<Spanned<LevelId>>,
    pub source: Spanned<String>,
}

/// `accountability.toml`: rewards, penalties and mitigation (chapter 6).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountabilityFile {
    #[serde(default)]
    pub reward: Vec<Provision>,
    #[serde(default)]
    pub penalty: Vec<Provision>,
    #[serde(default)]
    pub mitigation: Vec<Provision>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub id: Id,
    pub text: Text,
    #[serde(default)]
    pub applies_to: Vec<Id>,
    pub source: Spanned<String>,
}

/// `trees.toml`: decision trees staff walk, besides the level tree.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreesFile {
    #[serde(default)]
    pub tree: Vec<Tree>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    pub id: Id,
    pub title: Text,
    pub summary: Text,
    pub start: Id,
    pub source: Spanned<String>,
    #[serde(default)]
    pub node: Vec<TreeNode>,
    #[serde(default)]
    pub outcome: Vec<TreeOutcome>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeNode {
    pub id: Id,
    pub question: Text,
    #[serde(default)]
    pub help: Option<Text>,
    pub source: Spanned<String>,
    #[serde(default)]
    pub answer: Vec<TreeAnswer>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeAnswer {
    pub text: Text,
    /// Another node of the same tree.
    #[serde(default)]
    pub next: Option<Id>,
    /// An outcome of the same tree.
    #[serde(default)]
    pub outcome: Option<Id>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeOutcome {
    pub id: Id,
    pub title: Text,
    pub text: Text,
    #[serde(default)]
    pub levels: Vec<Spanned<LevelId>>,
    #[serde(default)]
    pub events: Vec<Id>,
    #[serde(default)]
    pub contacts: Vec<Id>,
    #[serde(default)]
    pub duties: Vec<Id>,
    #[serde(default)]
    pub units: Vec<Id>,
    #[serde(default)]
    pub trees: Vec<Id>,
    pub source: Spanned<String>,
}

/// `notes.toml`: editorial decisions and acknowledged inconsistencies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotesFile {
    #[serde(default)]
    pub decision: Vec<Decision>,
    #[serde(default)]
    pub inconsistency: Vec<Inconsistency>,
}

/// Something the guideline leaves open and the policy decides.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: Id,
    pub title: Text,
    pub text: Text,
    pub source: Spanned<String>,
}

/// A place where the guideline contradicts itself, with both readings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inconsistency {
    pub id: Id,
    pub title: Text,
    pub reason: Text,
    #[serde(default)]
    pub reading: Vec<Reading>,
    /// The diagnostic this note accepts, if a rule detects the problem.
    #[serde(default)]
    pub acknowledges: Option<Acknowledgement>,
    pub source: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub source: Spanned<String>,
    pub text: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    pub rule: Spanned<String>,
    /// The id the diagnostic is about (an event, a unit ...).
    pub subject: Id,
}

/// Everything under `policy/` that parsed. Files that failed to parse are
/// `None`, and their problems are already in the diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub meta: Option<Located<Meta>>,
    pub levels: Option<Located<LevelsFile>>,
    pub deadlines: Option<Located<DeadlinesFile>>,
    pub organisation: Option<Located<OrganisationFile>>,
    pub agencies: Option<Located<AgenciesFile>>,
    pub contacts: Option<Located<ContactsFile>>,
    pub duties: Option<Located<DutiesFile>>,
    pub drills: Option<Located<DrillsFile>>,
    pub accountability: Option<Located<AccountabilityFile>>,
    pub trees: Option<Located<TreesFile>>,
    pub notes: Option<Located<NotesFile>>,
}

/// A parsed file and where it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub file: crate::policy::FileId,
    pub value: T,
}

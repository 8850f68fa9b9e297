//! `compile`: a checked policy into the [`Ruleset`]. It trusts what
//! `check` guarantees (references resolve, durations parse, levels are
//! declared) and refuses a policy with errors; it must never fill a gap with
//! a guessed value.

use super::deadlines::parse_within;
use super::*;
use crate::check::{Checked, Index, specs};
use crate::domain::EventId;
use crate::policy::{self, Loaded, Spanned};

/// Why a rule set could not be compiled.
#[derive(Debug)]
pub enum NotCompilable {
    /// `check` found this many errors (a file that failed to load is one).
    Errors(usize),
    /// A value `check` guarantees is missing or malformed: a defect in
    /// `check`, named, rather than a guessed value in the rule set.
    Unchecked(String),
}

impl std::fmt::Display for NotCompilable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotCompilable::Errors(n) => {
                write!(f, "the policy has {n} error(s); run `handbook check`")
            }
            NotCompilable::Unchecked(what) => write!(
                f,
                "internal error: {what} passed `handbook check` but cannot be compiled; please report this"
            ),
        }
    }
}

fn unchecked(what: impl Into<String>) -> NotCompilable {
    NotCompilable::Unchecked(what.into())
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
        // A policy file that did not load: its error is among `checked`'s.
        return Err(NotCompilable::Errors(checked.errors()));
    };
    if checked.errors() > 0 {
        return Err(NotCompilable::Errors(checked.errors()));
    }
    // `check` reports a missing language; without errors it is there.
    let Some(language) = &meta.value.language else {
        return Err(unchecked("the policy language"));
    };
    let ix: &Index = &checked.index;
    let Some(handbook) = meta
        .value
        .handbook
        .as_ref()
        .and_then(|h| roles::compile(h.get_ref()))
    else {
        return Err(unchecked("a required role of [handbook]"));
    };
    let zone: chrono_tz::Tz = meta
        .value
        .timezone
        .get_ref()
        .parse()
        .map_err(|_| unchecked(format!("time zone `{}`", meta.value.timezone.get_ref())))?;

    // The policy's order is the order of severity (most severe first); a
    // checked policy has no duplicate level, so this is every level once.
    let level_order = &ix.level_order;
    let level_list: Vec<Level> = levels
        .value
        .level
        .iter()
        .map(|l| Level {
            id: l.id.get_ref().clone(),
            name: text(&l.name),
            short: opt_text(&l.short),
            summary: text(&l.summary),
            source: s(&l.source),
        })
        .collect();

    let classifier = specs::classifier(&levels.value, level_order);
    let level_tree = classifier.build_tree();

    let specs = specs::event_specs(&deadlines.value, level_order);
    let events = deadlines
        .value
        .event
        .iter()
        .zip(&specs)
        .map(|(e, spec)| Event {
            id: EventId::from(spec.id.as_str()),
            name: text(&e.name),
            description: opt_text(&e.description),
            actor: spec.actor.clone(),
            anchor: spec.anchor.clone(),
            within: spec.within.clone(),
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
            // Every reference resolves after `check`; one that does not is
            // left out here and refused right after the units are built.
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

    let unresolved_lead = org.value.unit.iter().find_map(|u| {
        u.lead
            .iter()
            .find(|l| ix.agency(l.get_ref()).is_none())
            .map(|l| format!("the lead `{}` of unit `{}`", l.get_ref(), u.id.get_ref()))
    });
    if let Some(what) = unresolved_lead {
        return Err(unchecked(what));
    }

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
            timezone: crate::domain::TimeZone(zone),
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
                definition: opt_text(&q.definition),
                examples: q.examples.iter().map(text).collect(),
                unsure: q.unsure.as_ref().map(s),
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
            .map(|c| {
                let level = c.level.get_ref().clone();
                let severity = level_order.severity(&level).ok_or_else(|| {
                    unchecked(format!(
                        "the level `{level}` of criterion `{}`",
                        c.id.get_ref()
                    ))
                })?;
                Ok(Criterion {
                    id: s(&c.id),
                    level,
                    severity,
                    text: text(&c.text),
                    when: c
                        .when
                        .iter()
                        .map(|(q, a)| (s(q), a.get_ref().items().into_iter().cloned().collect()))
                        .collect(),
                    source: s(&c.source),
                    decision: c.decision.as_ref().map(s),
                })
            })
            .collect::<Result<_, NotCompilable>>()?,
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
                    .then(|| {
                        crate::domain::phone::contact_href(
                            c.kind.get_ref(),
                            c.value.get_ref(),
                            meta.value.country.get_ref(),
                        )
                    })
                    .flatten(),
                number: (!is_placeholder(c))
                    .then(|| {
                        crate::domain::phone::contact_number(
                            c.kind.get_ref(),
                            c.value.get_ref(),
                            meta.value.country.get_ref(),
                        )
                    })
                    .flatten(),
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
        drills: drills
            .value
            .drill
            .iter()
            .map(compile_drill)
            .collect::<Result<_, _>>()?,
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
                        levels: o.levels.iter().map(|l| l.get_ref().clone()).collect(),
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

fn compile_drill(d: &policy::Drill) -> Result<Drill, NotCompilable> {
    let what = |field: &str| unchecked(format!("the {field} of drill `{}`", d.id.get_ref()));
    let month = |v: &Spanned<i64>| {
        u32::try_from(*v.get_ref())
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| what("month"))
    };
    // `None` is the month's last day (`"end"`), never a stand-in for a bad day.
    let day = |v: &Spanned<policy::DayOfMonth>| match v.get_ref() {
        policy::DayOfMonth::Day(n) => u32::try_from(*n).map(Some).map_err(|_| what("day")),
        policy::DayOfMonth::Named(name) if name == "end" => Ok(None),
        policy::DayOfMonth::Named(_) => Err(what("day")),
    };
    let due = d
        .due
        .iter()
        .map(|due| {
            Ok(YearlyDue {
                month: month(&due.month)?,
                day: day(&due.day)?,
                text: text(&due.text),
                source: s(&due.source),
            })
        })
        .collect::<Result<_, NotCompilable>>()?;
    let report = d
        .report
        .iter()
        .map(|r| {
            Ok(DrillReport {
                text: text(&r.text),
                to: s(&r.to),
                within: r
                    .within
                    .as_ref()
                    .map(|w| parse_within(w.get_ref()).map_err(|_| what("report time")))
                    .transpose()?,
                by: match &r.by {
                    Some(b) => Some(MonthDay {
                        month: month(&b.month)?,
                        day: day(&b.day)?,
                    }),
                    None => None,
                },
                source: s(&r.source),
            })
        })
        .collect::<Result<_, NotCompilable>>()?;
    let participation = d
        .participation
        .iter()
        .map(|p| {
            let (numerator, denominator) =
                parse_share(p.share.get_ref()).ok_or_else(|| what("participation share"))?;
            Ok(Participation {
                share: s(&p.share),
                numerator,
                denominator,
                of: text(&p.of),
                source: s(&p.source),
            })
        })
        .collect::<Result<_, NotCompilable>>()?;
    Ok(Drill {
        id: s(&d.id),
        name: text(&d.name),
        organiser: s(&d.organiser),
        cadence: s(&d.cadence),
        times_per_year: d.times_per_year.as_ref().map(|t| *t.get_ref()),
        purpose: d.purpose.iter().map(text).collect(),
        description: opt_text(&d.description),
        due,
        report,
        participation,
        scenarios: d.scenarios.as_ref().map(|sc| Scenarios {
            min: *sc.min.get_ref(),
            levels: sc.levels.iter().map(|l| l.get_ref().clone()).collect(),
            source: s(&sc.source),
        }),
        approval: opt_text(&d.approval),
        source: s(&d.source),
    })
}

/// Whether a contact is a stand-in (`placeholder = true`).
fn is_placeholder(c: &crate::policy::Contact) -> bool {
    c.placeholder.as_ref().is_some_and(|p| *p.get_ref())
}

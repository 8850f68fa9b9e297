//! `compile`: a checked policy into the [`Ruleset`]. It trusts what
//! `check` guarantees (references resolve, durations parse, levels are
//! declared) and refuses a policy with errors; it must never fill a gap with
//! a guessed value.

use super::deadlines::parse_within;
use super::*;
use crate::check::{Checked, Index, specs};
use crate::policy::{self, Loaded, Spanned};

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
            id: spec.id.clone(),
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
            .zip(&classifier.criteria)
            .map(|(c, spec)| Criterion {
                id: s(&c.id),
                level: c.level.get_ref().clone(),
                severity: spec.severity,
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
                href: contact_href(c.kind.get_ref(), c.value.get_ref()),
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
            levels: sc.levels.iter().map(|l| l.get_ref().clone()).collect(),
            source: s(&sc.source),
        }),
        approval: opt_text(&d.approval),
        source: s(&d.source),
    }
}

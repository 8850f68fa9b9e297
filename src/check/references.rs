//! `unknown-reference`: every id a policy file mentions must exist.
//!
//! References are checked against the [`Index`] built before, with a "did you
//! mean" hint from the nearest existing id. Tree-internal references (start,
//! next, outcome) are left to the `decision-tree` rule, which knows the tree.

use toml::Spanned;

use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::LevelId;
use crate::policy::{FileId, Policy, Span};

struct Refs<'a> {
    ix: &'a Index,
    out: &'a mut Vec<Diagnostic>,
    /// Which files loaded. A reference into a file that failed to load is
    /// not checked: that file's own error says what is wrong, and reporting
    /// every reference into it would bury that one message.
    loaded: Loaded,
}

#[derive(Clone, Copy)]
struct Loaded {
    levels: bool,
    events: bool,
    actors: bool,
    agencies: bool,
    contacts: bool,
    duties: bool,
    trees: bool,
    notes: bool,
}

impl Refs<'_> {
    fn require<'c>(
        &mut self,
        kind: &str,
        file: FileId,
        id: &Spanned<String>,
        exists: bool,
        candidates: impl Iterator<Item = &'c str>,
    ) {
        self.require_at(kind, id.get_ref(), span_of(file, id), exists, candidates);
    }

    fn require_at<'c>(
        &mut self,
        kind: &str,
        name: &String,
        span: Span,
        exists: bool,
        candidates: impl Iterator<Item = &'c str>,
    ) {
        let loaded = self.loaded;
        let target_loaded = match kind {
            k if k.starts_with("actor") || k == "unit" || k == "role" => loaded.actors,
            k if k.starts_with("answer") || k == "question" => loaded.levels,
            "event" | "condition" => loaded.events,
            k if k.starts_with("agency") => loaded.agencies,
            "contact" => loaded.contacts,
            "duty" | "phase" => loaded.duties,
            "tree" => loaded.trees,
            "decision" => loaded.notes,
            _ => true,
        };
        if exists || !target_loaded {
            return;
        }
        let mut d = Diagnostic::error(Rule::UnknownReference, format!("unknown {kind} `{name}`"))
            .at(span, format!("no {kind} has this id"))
            .subject(name.clone());
        d = match nearest(name, candidates) {
            Some(best) => d.hint(format!("did you mean `{best}`?")),
            None => d.hint(format!("define the {kind} first, or fix the id")),
        };
        self.out.push(d);
    }

    fn actor(&mut self, file: FileId, id: &Spanned<String>) {
        let ix = self.ix;
        self.require(
            "actor (unit or role)",
            file,
            id,
            ix.is_actor(id.get_ref()),
            ix.units.ids().chain(ix.roles.ids()),
        );
    }

    fn event(&mut self, file: FileId, id: &Spanned<String>) {
        let ix = self.ix;
        self.require(
            "event",
            file,
            id,
            ix.events.contains(id.get_ref()),
            ix.events.ids(),
        );
    }

    fn contact(&mut self, file: FileId, id: &Spanned<String>) {
        let ix = self.ix;
        self.require(
            "contact",
            file,
            id,
            ix.contacts.contains(id.get_ref()),
            ix.contacts.ids(),
        );
    }

    fn level(&mut self, file: FileId, level: &Spanned<LevelId>) {
        if self.loaded.levels && !self.ix.levels.contains_key(level.get_ref()) {
            let declared = self.ix.level_order.list();
            // No "did you mean": level ids are often single digits, all
            // one edit apart, so the nearest one says nothing.
            self.out.push(
                Diagnostic::error(
                    Rule::UnknownReference,
                    format!("unknown level {}", level.get_ref()),
                )
                .at(span_of(file, level), "no level has this id")
                .hint(format!(
                    "the levels declared in levels.toml are: {declared}"
                ))
                .subject(level.get_ref().to_string()),
            );
        }
    }
}

/// The closest id by edit distance, when it is close enough to be a typo.
pub(crate) fn nearest<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= (name.chars().count().max(c.chars().count()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let loaded = Loaded {
        levels: policy.levels.is_some(),
        events: policy.deadlines.is_some(),
        actors: policy.organisation.is_some(),
        agencies: policy.agencies.is_some(),
        contacts: policy.contacts.is_some(),
        duties: policy.duties.is_some(),
        trees: policy.trees.is_some(),
        notes: policy.notes.is_some(),
    };
    let mut r = Refs { ix, out, loaded };
    if let Some(l) = &policy.levels {
        let f = l.file;
        for c in &l.value.criterion {
            r.level(f, &c.level);
            for (question, answers) in &c.when {
                r.require(
                    "question",
                    f,
                    question,
                    ix.questions.contains(question.get_ref()),
                    ix.questions.ids(),
                );
                if let Some(known) = ix.answers.get(question.get_ref()) {
                    for a in answers.get_ref().items() {
                        r.require_at(
                            &format!("answer of `{}`", question.get_ref()),
                            a,
                            span_of(f, answers),
                            known.contains(a),
                            known.ids(),
                        );
                    }
                }
            }
            if let Some(d) = &c.decision {
                r.require(
                    "decision",
                    f,
                    d,
                    ix.decisions.contains(d.get_ref()),
                    ix.decisions.ids(),
                );
            }
        }
    }
    if let Some(d) = &policy.deadlines {
        let f = d.file;
        for e in &d.value.event {
            r.actor(f, &e.actor);
            if let Some(a) = &e.anchor {
                r.event(f, a);
            }
            for a in &e.after {
                r.event(f, a);
            }
            if let Some(c) = &e.when {
                r.require(
                    "condition",
                    f,
                    c,
                    ix.conditions.contains(c.get_ref()),
                    ix.conditions.ids(),
                );
            }
            for c in &e.contacts {
                r.contact(f, c);
            }
        }
    }
    if let Some(o) = &policy.organisation {
        let f = o.file;
        for u in &o.value.unit {
            if let Some(p) = &u.parent {
                r.require("unit", f, p, ix.units.contains(p.get_ref()), ix.units.ids());
            }
            for lead in &u.lead {
                r.require(
                    "agency (id, name or alias)",
                    f,
                    lead,
                    ix.agency(lead.get_ref()).is_some(),
                    ix.agencies
                        .ids()
                        .chain(ix.agency_names.keys().map(String::as_str)),
                );
            }
        }
        for role in &o.value.role {
            if let Some(p) = &role.part_of {
                r.require("role", f, p, ix.roles.contains(p.get_ref()), ix.roles.ids());
            }
        }
    }
    if let Some(c) = &policy.contacts {
        for contact in &c.value.contact {
            r.actor(c.file, &contact.owner);
        }
    }
    if let Some(d) = &policy.duties {
        for duty in &d.value.duty {
            r.require(
                "phase",
                d.file,
                &duty.phase,
                ix.phases.contains(duty.phase.get_ref()),
                ix.phases.ids(),
            );
            r.actor(d.file, &duty.actor);
            for e in &duty.events {
                r.event(d.file, e);
            }
            for c in &duty.contacts {
                r.contact(d.file, c);
            }
        }
    }
    if let Some(d) = &policy.drills {
        for drill in &d.value.drill {
            r.actor(d.file, &drill.organiser);
            for report in &drill.report {
                r.actor(d.file, &report.to);
            }
            if let Some(s) = &drill.scenarios {
                for level in &s.levels {
                    r.level(d.file, level);
                }
            }
        }
    }
    if let Some(a) = &policy.accountability {
        let v = &a.value;
        for p in v.reward.iter().chain(&v.penalty).chain(&v.mitigation) {
            for actor in &p.applies_to {
                r.actor(a.file, actor);
            }
        }
    }
    if let Some(t) = &policy.trees {
        let f = t.file;
        for tree in &t.value.tree {
            for o in &tree.outcome {
                for level in &o.levels {
                    r.level(f, level);
                }
                for e in &o.events {
                    r.event(f, e);
                }
                for c in &o.contacts {
                    r.contact(f, c);
                }
                for d in &o.duties {
                    r.require(
                        "duty",
                        f,
                        d,
                        ix.duties.contains(d.get_ref()),
                        ix.duties.ids(),
                    );
                }
                for u in &o.units {
                    r.actor(f, u);
                }
                for other in &o.trees {
                    r.require(
                        "tree",
                        f,
                        other,
                        ix.trees.contains(other.get_ref()),
                        ix.trees.ids(),
                    );
                }
            }
        }
    }
}

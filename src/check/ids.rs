//! The symbol table of a policy, and the `duplicate-id` rule.
//!
//! Every later rule looks identifiers up here instead of walking the policy
//! again, so that "what exists" is decided once. The first definition of an
//! id wins; later ones are reported and otherwise ignored.

use std::collections::BTreeMap;

use toml::Spanned;

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::{LevelId, Levels};
use crate::policy::{FileId, Policy, Span};

/// Ids of one kind, with where each was defined.
#[derive(Debug, Clone, Default)]
pub struct IdTable {
    entries: BTreeMap<String, Span>,
}

impl IdTable {
    pub fn contains(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    pub fn span(&self, id: &str) -> Option<&Span> {
        self.entries.get(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    fn define(
        &mut self,
        kind: &str,
        file: FileId,
        id: &Spanned<String>,
        out: &mut Vec<Diagnostic>,
    ) {
        let span = span_of(file, id);
        if !is_slug(id.get_ref()) {
            // Ids become file names and URLs of the handbook, which travels
            // on USB sticks and in zip files to machines that mangle
            // non-ASCII names.
            out.push(
                Diagnostic::error(Rule::Schema, format!("{kind} id `{}` is not lowercase ASCII", id.get_ref()))
                    .at(span.clone(), "ids become file names")
                    .hint("use lowercase letters, digits and hyphens, such as \"report-fallback\"; put the Chinese name in `name`")
                    .subject(id.get_ref().clone()),
            );
        }
        if let Some(first) = self.entries.get(id.get_ref()) {
            out.push(
                Diagnostic::error(
                    Rule::DuplicateId,
                    format!("{kind} `{}` is defined twice", id.get_ref()),
                )
                .at(span, "second definition")
                .related(first.clone(), "first defined here")
                .hint("give each entry its own id; references use ids, so they must be unique")
                .subject(id.get_ref().clone()),
            );
        } else {
            self.entries.insert(id.get_ref().clone(), span);
        }
    }
}

/// `report`, `l3-core-down`, `2026-plan`: lowercase ASCII letters, digits
/// and inner hyphens.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Everything a policy defines.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Each declared level, where it is defined.
    pub levels: BTreeMap<LevelId, Span>,
    /// The declared levels in the policy's order, most severe first (first
    /// definitions only).
    pub level_order: Levels,
    pub questions: IdTable,
    /// Answers per question id.
    pub answers: BTreeMap<String, IdTable>,
    pub criteria: IdTable,
    pub conditions: IdTable,
    pub events: IdTable,
    pub units: IdTable,
    pub roles: IdTable,
    pub agencies: IdTable,
    /// Every name and alias of an agency, to its agency id.
    pub agency_names: BTreeMap<String, String>,
    pub contacts: IdTable,
    pub duties: IdTable,
    pub phases: IdTable,
    pub indicators: IdTable,
    pub drills: IdTable,
    pub provisions: IdTable,
    pub trees: IdTable,
    pub decisions: IdTable,
    pub inconsistencies: IdTable,
}

impl Index {
    /// An actor is an org unit or a role.
    pub fn is_actor(&self, id: &str) -> bool {
        self.units.contains(id) || self.roles.contains(id)
    }

    /// Resolves an agency reference (id, full name or alias) to its id.
    pub fn agency(&self, reference: &str) -> Option<&str> {
        if self.agencies.contains(reference) {
            return self
                .agencies
                .entries
                .get_key_value(reference)
                .map(|(k, _)| k.as_str());
        }
        self.agency_names.get(reference).map(String::as_str)
    }
}

pub fn build(policy: &Policy, out: &mut Vec<Diagnostic>) -> Index {
    let mut ix = Index::default();
    if let Some(levels) = &policy.levels {
        let f = levels.file;
        let mut order = Vec::new();
        for level in &levels.value.level {
            let span = span_of(f, &level.id);
            if !is_slug(level.id.get_ref().as_str()) {
                // A level id becomes a URL (`levels/<id>/`) and a key of
                // every `within` table, like any other id.
                out.push(
                    Diagnostic::error(Rule::Schema, format!("level id `{}` is not lowercase ASCII", level.id.get_ref()))
                        .at(span.clone(), "ids become file names")
                        .hint("use a number (id = 4) or lowercase letters, digits and hyphens (id = \"significant\")")
                        .subject(level.id.get_ref().to_string()),
                );
            }
            if let Some(first) = ix.levels.get(level.id.get_ref()) {
                out.push(
                    Diagnostic::error(
                        Rule::DuplicateId,
                        format!("level {} is defined twice", level.id.get_ref()),
                    )
                    .at(span, "second definition")
                    .related(first.clone(), "first defined here")
                    .hint("each level is defined once; give the other one its own id")
                    .subject(level.id.get_ref().to_string()),
                );
            } else {
                ix.levels.insert(level.id.get_ref().clone(), span);
                order.push(level.id.get_ref().clone());
            }
        }
        ix.level_order = Levels::new(order);
        for q in &levels.value.question {
            ix.questions.define("question", f, &q.id, out);
            let answers = ix.answers.entry(q.id.get_ref().clone()).or_default();
            for a in &q.answer {
                answers.define("answer", f, &a.id, out);
            }
        }
        for c in &levels.value.criterion {
            ix.criteria.define("criterion", f, &c.id, out);
        }
    }
    if let Some(d) = &policy.deadlines {
        for c in &d.value.condition {
            ix.conditions.define("condition", d.file, &c.id, out);
        }
        for e in &d.value.event {
            ix.events.define("event", d.file, &e.id, out);
        }
    }
    if let Some(o) = &policy.organisation {
        for u in &o.value.unit {
            ix.units.define("unit", o.file, &u.id, out);
        }
        for r in &o.value.role {
            if let Some(unit) = ix.units.span(r.id.get_ref()) {
                out.push(
                    Diagnostic::error(
                        Rule::DuplicateId,
                        format!("`{}` is both a unit and a role", r.id.get_ref()),
                    )
                    .at(span_of(o.file, &r.id), "role")
                    .related(unit.clone(), "unit")
                    .hint("actors are named by id, so units and roles share one set of ids")
                    .subject(r.id.get_ref().clone()),
                );
            }
            ix.roles.define("role", o.file, &r.id, out);
        }
    }
    if let Some(a) = &policy.agencies {
        let f = a.file;
        let mut numbers: BTreeMap<i64, Span> = BTreeMap::new();
        let mut names: BTreeMap<String, Span> = BTreeMap::new();
        for agency in &a.value.agency {
            ix.agencies.define("agency", f, &agency.id, out);
            let span = span_of(f, &agency.number);
            if let Some(first) = numbers.get(agency.number.get_ref()) {
                out.push(
                    Diagnostic::error(
                        Rule::DuplicateId,
                        format!("agency number {} is used twice", agency.number.get_ref()),
                    )
                    .at(span, "second use")
                    .related(first.clone(), "first used here")
                    .hint("numbers follow the annex: 1 to 62, each once")
                    .subject(agency.number.get_ref().to_string()),
                );
            } else {
                numbers.insert(*agency.number.get_ref(), span);
            }
            // The full name in the declared language; when policy.toml
            // declares none (reported by `language::check`) or did not load,
            // every language's name, so references to the agency by name
            // do not fail in a cascade.
            let names_of = agency.name.get_ref();
            let full: Vec<&String> = match super::language::declared(policy) {
                Some(lang) => names_of.get(lang).into_iter().collect(),
                None => names_of.values().collect(),
            };
            let mut all: Vec<(String, Span)> = full
                .into_iter()
                .map(|n| (n.clone(), span_of(f, &agency.name)))
                .collect();
            all.dedup_by(|a, b| a.0 == b.0);
            all.extend(
                agency
                    .aliases
                    .iter()
                    .map(|al| (al.get_ref().clone(), span_of(f, al))),
            );
            for (name, span) in all {
                if name.is_empty() {
                    continue;
                }
                if let Some(first) = names.get(&name) {
                    out.push(
                        Diagnostic::error(
                            Rule::DuplicateId,
                            format!("agency name or alias `{name}` is used twice"),
                        )
                        .at(span, "second use")
                        .related(first.clone(), "first used here")
                        .hint("a name or alias must point at exactly one agency")
                        .subject(name.clone()),
                    );
                } else {
                    names.insert(name.clone(), span);
                    ix.agency_names.insert(name, agency.id.get_ref().clone());
                }
            }
        }
    }
    if let Some(c) = &policy.contacts {
        for contact in &c.value.contact {
            ix.contacts.define("contact", c.file, &contact.id, out);
        }
    }
    if let Some(d) = &policy.duties {
        for phase in &d.value.phase {
            ix.phases.define("phase", d.file, &phase.id, out);
        }
        for duty in &d.value.duty {
            ix.duties.define("duty", d.file, &duty.id, out);
        }
        for i in &d.value.indicator {
            ix.indicators.define("indicator", d.file, &i.id, out);
        }
    }
    if let Some(d) = &policy.drills {
        for drill in &d.value.drill {
            ix.drills.define("drill", d.file, &drill.id, out);
        }
    }
    if let Some(a) = &policy.accountability {
        let v = &a.value;
        for p in v.reward.iter().chain(&v.penalty).chain(&v.mitigation) {
            ix.provisions.define("provision", a.file, &p.id, out);
        }
    }
    if let Some(t) = &policy.trees {
        for tree in &t.value.tree {
            ix.trees.define("tree", t.file, &tree.id, out);
        }
    }
    if let Some(n) = &policy.notes {
        for d in &n.value.decision {
            ix.decisions.define("decision", n.file, &d.id, out);
        }
        for i in &n.value.inconsistency {
            ix.inconsistencies
                .define("inconsistency", n.file, &i.id, out);
        }
    }
    ix
}

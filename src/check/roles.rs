//! `missing-role` and `unknown-reference` for `[handbook]` of `policy.toml`:
//! every role the site or the CLI singles out is declared there, names an id
//! of the right kind, and the discovery is a starting event.
//!
//! It only reads the policy and the [`Index`]; it must never fall back to an
//! id of the bundled policy, since no code may name one.

use toml::Spanned;

use super::ids::IdTable;
use super::references::nearest;
use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{FileId, Policy};

const WHERE: &str = "policy/policy.toml";

fn missing((role, kind, example): Role) -> Diagnostic {
    Diagnostic::error(
        Rule::MissingRole,
        format!("no `{role}` role in `[handbook]`"),
    )
    .in_file(WHERE)
    .hint(format!(
        "declare it in the `[handbook]` table of {WHERE}: {role} = {example} (the id of {kind})"
    ))
    .subject(role.to_owned())
}

fn reference(
    f: FileId,
    kind: &str,
    id: &Spanned<String>,
    table: &IdTable,
    loaded: bool,
    out: &mut Vec<Diagnostic>,
) {
    if !loaded || table.contains(id.get_ref()) {
        return;
    }
    let name = id.get_ref();
    let d = Diagnostic::error(Rule::UnknownReference, format!("unknown {kind} `{name}`"))
        .at(span_of(f, id), format!("no {kind} has this id"))
        .subject(name.clone());
    out.push(match nearest(name, table.ids()) {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None => d.hint(format!("define the {kind} first, or fix the id")),
    });
}

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let Some(meta) = &policy.meta else { return };
    let f = meta.file;
    let events = policy.deadlines.is_some();
    let contacts = policy.contacts.is_some();
    let Some(h) = &meta.value.handbook else {
        for role in [
            INITIAL_REPORT,
            DISCOVERY,
            PHONE_LINE,
            FIRST_STEPS,
            NOT_AN_INCIDENT,
        ] {
            out.push(missing(role));
        }
        return;
    };
    let table = span_of(f, h);
    let h = h.get_ref();
    let one = |role: Role, id: &Option<Spanned<String>>, out: &mut Vec<Diagnostic>| {
        if id.is_none() {
            out.push(missing(role).at(table.clone(), format!("no `{}` here", role.0)));
        }
    };
    one(INITIAL_REPORT, &h.initial_report, out);
    one(DISCOVERY, &h.discovery, out);
    one(PHONE_LINE, &h.phone_line, out);
    one(NOT_AN_INCIDENT, &h.not_an_incident, out);
    if let Some(id) = &h.initial_report {
        reference(f, "event", id, &ix.events, events, out);
    }
    if let Some(id) = &h.discovery {
        reference(f, "event", id, &ix.events, events, out);
        let anchored = policy.deadlines.as_ref().and_then(|d| {
            d.value
                .event
                .iter()
                .find(|e| e.id.get_ref() == id.get_ref())
                .filter(|e| e.anchor.is_some())
        });
        if anchored.is_some() {
            out.push(
                Diagnostic::error(Rule::Schema, format!("`{}` must be a starting event", id.get_ref()))
                    .at(span_of(f, id), "the discovery role names an event with an anchor")
                    .hint("name an event without `anchor` and `within`: the discovery is when the clock starts"),
            );
        }
    }
    if let Some(id) = &h.phone_line {
        reference(f, "contact", id, &ix.contacts, contacts, out);
    }
    if let Some(id) = &h.portal {
        reference(f, "contact", id, &ix.contacts, contacts, out);
        portal_is_a_url(policy, f, id, out);
    }
    if let Some(id) = &h.not_an_incident {
        reference(
            f,
            "decision",
            id,
            &ix.decisions,
            policy.notes.is_some(),
            out,
        );
    }
    match &h.first_steps {
        None => one(FIRST_STEPS, &None, out),
        Some(steps) => {
            for id in steps.get_ref() {
                reference(f, "event", id, &ix.events, events, out);
            }
        }
    }
    if let Some(id) = &h.indicators_tree {
        reference(f, "tree", id, &ix.trees, policy.trees.is_some(), out);
    }
    for id in [&h.support_condition, &h.portal_down_condition]
        .into_iter()
        .flatten()
    {
        reference(f, "condition", id, &ix.conditions, events, out);
    }
    if let Some(readers) = &h.readers {
        readers_are_units(f, readers, ix, policy.organisation.is_some(), out);
    }
    let levels = policy.levels.is_some();
    for follow_up in &h.follow_up {
        reference(
            f,
            "tree",
            &follow_up.tree,
            &ix.trees,
            policy.trees.is_some(),
            out,
        );
        for (question, answers) in &follow_up.when {
            if !levels {
                continue;
            }
            let Some(known) = ix.answers.get(question.get_ref()) else {
                reference(f, "question", question, &ix.questions, levels, out);
                continue;
            };
            for answer in answers.get_ref().items() {
                if !known.contains(answer) {
                    out.push(
                        Diagnostic::error(
                            Rule::UnknownReference,
                            format!(
                                "unknown answer `{answer}` of question `{}`",
                                question.get_ref()
                            ),
                        )
                        .at(
                            span_of(f, answers),
                            "the question has no answer with this id",
                        )
                        .hint(format!(
                            "use one of: {}",
                            known.ids().collect::<Vec<_>>().join(", ")
                        ))
                        .subject(answer.clone()),
                    );
                }
            }
        }
    }
}

/// `readers`: each a unit or role of the organisation, listed once (the incident
/// page offers them as "who am I"; `deadlines --role` accepts them).
fn readers_are_units(
    f: FileId,
    readers: &Spanned<Vec<Spanned<String>>>,
    ix: &Index,
    loaded: bool,
    out: &mut Vec<Diagnostic>,
) {
    if readers.get_ref().is_empty() {
        out.push(
            Diagnostic::error(Rule::Schema, "`readers` lists no unit")
                .at(span_of(f, readers), "an empty list offers the reader no role")
                .hint("list the units a reader can be, e.g. readers = [\"<unit id>\", ...], or remove the key"),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for id in readers.get_ref() {
        // A reader is an actor of events: a unit or a role of the organisation.
        if !ix.roles.contains(id.get_ref()) {
            reference(f, "unit or role", id, &ix.units, loaded, out);
        }
        if !seen.insert(id.get_ref()) {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    format!("`{}` is listed twice in `readers`", id.get_ref()),
                )
                .at(span_of(f, id), "listed again here")
                .hint("list each unit once"),
            );
        }
    }
}

/// The portal role links a web page: its contact must be of kind `url`.
fn portal_is_a_url(policy: &Policy, f: FileId, id: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let contact = policy.contacts.as_ref().and_then(|c| {
        c.value
            .contact
            .iter()
            .find(|c| c.id.get_ref() == id.get_ref())
    });
    let Some(contact) = contact else { return };
    let kind = contact.kind.get_ref();
    if kind != "url" {
        out.push(
            Diagnostic::error(
                Rule::Schema,
                format!("the portal `{}` is a `{kind}` contact", id.get_ref()),
            )
            .at(
                span_of(f, id),
                "the portal role names a contact that is not a web page",
            )
            .hint("name a contact with kind = \"url\": the home page links the reporting portal"),
        );
    }
}

/// A required role: its key, what it names, an example value.
type Role = (&'static str, &'static str, &'static str);

const INITIAL_REPORT: Role = (
    "initial_report",
    "the event of the first report",
    "\"<event id>\"",
);
const DISCOVERY: Role = (
    "discovery",
    "the starting event deadlines count from",
    "\"<event id>\"",
);
const PHONE_LINE: Role = (
    "phone_line",
    "the phone contact offered when the portal is down",
    "\"<contact id>\"",
);
const FIRST_STEPS: Role = (
    "first_steps",
    "the events the home page lists first",
    "[\"<event id>\", ...]",
);
const NOT_AN_INCIDENT: Role = (
    "not_an_incident",
    "the decision that explains the \"not an incident\" outcome",
    "\"<decision id>\"",
);

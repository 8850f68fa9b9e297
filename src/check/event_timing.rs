//! The timing fields of an event beyond anchor and `within`:
//! `if_anchor_missed`, `counts_as` and `not_after` (reported as
//! `unknown-reference` and `schema`).
//!
//! `ruleset::deadlines::compute` relies on what this guarantees: every id
//! resolves, `if_anchor_missed` has an anchor to miss, `counts_as` names
//! another event, and `not_after` sits on a starting event and names a
//! starting event without a `not_after` of its own, so these links can never
//! form a loop. It only reads the policy.

use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{Event, FileId, Policy};

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let Some(d) = &policy.deadlines else { return };
    let f = d.file;
    let events = &d.value.event;
    let find = |id: &str| events.iter().find(|e| e.id.get_ref() == id);
    for e in events {
        if e.if_anchor_missed && e.anchor.is_none() {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    format!(
                        "event `{}` has `if_anchor_missed` but no anchor",
                        e.id.get_ref()
                    ),
                )
                .at(span_of(f, &e.id), "no anchor to miss")
                .hint("add the anchor whose deadline this event waits for, or remove `if_anchor_missed`")
                .subject(e.id.get_ref().clone()),
            );
        }
        if let Some(target) = &e.counts_as
            && known(ix, f, target, out)
            && target.get_ref() == e.id.get_ref()
        {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    format!("event `{}` counts as itself", e.id.get_ref()),
                )
                .at(span_of(f, target), "names its own event")
                .hint("`counts_as` names another event that doing this one also does")
                .subject(e.id.get_ref().clone()),
            );
        }
        if let Some(limit) = &e.not_after {
            if e.anchor.is_some() {
                out.push(
                    Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "event `{}` has an anchor and `not_after`",
                            e.id.get_ref()
                        ),
                    )
                    .at(span_of(f, limit), "only for starting events")
                    .hint("`not_after` bounds a starting event (no anchor); an anchored event is already bounded by its anchor")
                    .subject(e.id.get_ref().clone()),
                );
            }
            if known(ix, f, limit, out) {
                let target: Option<&Event> = find(limit.get_ref());
                let unfit = target.is_some_and(|t| {
                    t.anchor.is_some() || t.not_after.is_some() || t.id.get_ref() == e.id.get_ref()
                });
                if unfit {
                    out.push(
                        Diagnostic::error(
                            Rule::Schema,
                            format!(
                                "`not_after` of `{}` names `{}`, which is not a plain starting event",
                                e.id.get_ref(),
                                limit.get_ref()
                            ),
                        )
                        .at(span_of(f, limit), "must be a starting event without `not_after`")
                        .hint("name a starting event (no anchor, no `not_after`), such as the discovery")
                        .subject(e.id.get_ref().clone()),
                    );
                }
            }
        }
    }
}

/// Reports an unknown event id; true when it resolves.
fn known(ix: &Index, f: FileId, id: &toml::Spanned<String>, out: &mut Vec<Diagnostic>) -> bool {
    if ix.events.contains(id.get_ref()) {
        return true;
    }
    let mut d = Diagnostic::error(
        Rule::UnknownReference,
        format!("unknown event `{}`", id.get_ref()),
    )
    .at(span_of(f, id), "no event has this id")
    .subject(id.get_ref().clone());
    d = match super::references::nearest(id.get_ref(), ix.events.ids()) {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None => d.hint("define the event first, or fix the id"),
    };
    out.push(d);
    false
}

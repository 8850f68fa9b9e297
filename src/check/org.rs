//! `org-tree`: units form exactly one tree (one root, no cycles), and roles
//! nest without cycles.

use super::{Index, span_of};
use crate::diagnostics::Diagnostic;
use crate::policy::Policy;

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let Some(o) = &policy.organisation else {
        return;
    };
    let f = o.file;
    let units = &o.value.unit;
    let roots: Vec<_> = units.iter().filter(|u| u.parent.is_none()).collect();
    if units.is_empty() {
        out.push(
            Diagnostic::error("org-tree", "the organisation has no units")
                .in_file("policy/organisation.toml")
                .hint("add [[unit]] entries, starting with the council as the root"),
        );
    } else if roots.is_empty() {
        out.push(
            Diagnostic::error(
                "org-tree",
                "the organisation has no root: every unit has a parent",
            )
            .at(span_of(f, &units[0].id), "has a parent too")
            .hint("remove `parent` from the top unit (the council)"),
        );
    }
    for extra in roots.iter().skip(1) {
        out.push(
            Diagnostic::error(
                "org-tree",
                format!(
                    "unit `{}` has no parent, but `{}` is already the root",
                    extra.id.get_ref(),
                    roots[0].id.get_ref()
                ),
            )
            .at(span_of(f, &extra.id), "orphan unit")
            .related(span_of(f, &roots[0].id), "the root")
            .hint("give this unit a `parent`; the organisation has exactly one root")
            .subject(extra.id.get_ref().clone()),
        );
    }
    // Cycles: follow parents; a chain longer than the number of units loops.
    let mut reported = vec![false; units.len()];
    for (i, u) in units.iter().enumerate() {
        let mut chain = vec![i];
        let mut current = u;
        while let Some(p) = &current.parent {
            let Some(j) = units.iter().position(|x| x.id.get_ref() == p.get_ref()) else {
                break; // unknown-reference reports it
            };
            if let Some(pos) = chain.iter().position(|c| *c == j) {
                let cycle = &chain[pos..];
                if !cycle.iter().any(|c| reported[*c]) {
                    for c in cycle {
                        reported[*c] = true;
                    }
                    let names: Vec<&str> = cycle
                        .iter()
                        .map(|c| units[*c].id.get_ref().as_str())
                        .collect();
                    let first = &units[cycle[0]];
                    out.push(
                        Diagnostic::error(
                            "org-tree",
                            format!("units are each other's parents: {}", names.join(" → ")),
                        )
                        .at(span_of(f, &first.id), "part of a loop")
                        .hint("a unit's parent chain must end at the root")
                        .subject(first.id.get_ref().clone()),
                    );
                }
                break;
            }
            chain.push(j);
            current = &units[j];
        }
    }
    let roles = &o.value.role;
    for (i, r) in roles.iter().enumerate() {
        let mut seen = vec![i];
        let mut current = r;
        while let Some(p) = &current.part_of {
            let Some(j) = roles.iter().position(|x| x.id.get_ref() == p.get_ref()) else {
                break;
            };
            if seen.contains(&j) {
                if j == i {
                    out.push(
                        Diagnostic::error(
                            "org-tree",
                            format!("role `{}` is part of itself", r.id.get_ref()),
                        )
                        .at(span_of(f, &r.id), "part_of chain loops back here")
                        .hint("a role's `part_of` chain must end at a role without `part_of`")
                        .subject(r.id.get_ref().clone()),
                    );
                }
                break;
            }
            seen.push(j);
            current = &roles[j];
        }
    }
    let _ = ix;
}

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
    // Role loops: follow `part_of`; each loop is reported once, at its
    // first role in the file, however many roles lead into it.
    let roles = &o.value.role;
    let mut position: std::collections::HashMap<&str, usize> = Default::default();
    for (i, r) in roles.iter().enumerate() {
        position.entry(r.id.get_ref().as_str()).or_insert(i);
    }
    let mut done = vec![false; roles.len()];
    for i in 0..roles.len() {
        let mut chain: Vec<usize> = Vec::new();
        let mut current = Some(i);
        while let Some(c) = current.filter(|c| !done[*c]) {
            if let Some(pos) = chain.iter().position(|x| *x == c) {
                let mut cycle = chain[pos..].to_vec();
                if let Some(first) = (0..cycle.len()).min_by_key(|k| cycle[*k]) {
                    cycle.rotate_left(first);
                }
                out.push(role_loop(roles, &cycle, f));
                break;
            }
            chain.push(c);
            current = roles[c]
                .part_of
                .as_ref()
                .and_then(|p| position.get(p.get_ref().as_str()).copied());
        }
        for c in chain {
            done[c] = true;
        }
    }
    let _ = ix;
}

fn role_loop(
    roles: &[crate::policy::Role],
    cycle: &[usize],
    f: crate::policy::FileId,
) -> Diagnostic {
    let first = &roles[cycle[0]];
    let message = match cycle {
        [_] => format!("role `{}` is part of itself", first.id.get_ref()),
        _ => {
            let names: Vec<&str> = cycle
                .iter()
                .chain(cycle.first())
                .map(|c| roles[*c].id.get_ref().as_str())
                .collect();
            format!("roles are part of each other: {}", names.join(" → "))
        }
    };
    let mut d = Diagnostic::error("org-tree", message)
        .at(span_of(f, &first.id), "part_of chain loops back here")
        .hint("a role's `part_of` chain must end at a role without `part_of`")
        .subject(first.id.get_ref().clone());
    for c in cycle.iter().skip(1) {
        d = d.related(span_of(f, &roles[*c].id), "also in the loop");
    }
    d
}

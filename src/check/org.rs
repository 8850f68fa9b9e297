//! `org-tree`: units form exactly one tree (one root, no cycles), and roles
//! nest without cycles.

use std::collections::HashMap;

use toml::Spanned;

use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule};
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
            Diagnostic::error(Rule::OrgTree, "the organisation has no units")
                .in_file("policy/organisation.toml")
                .hint("add [[unit]] entries, starting with the council as the root"),
        );
    } else if roots.is_empty() {
        out.push(
            Diagnostic::error(
                Rule::OrgTree,
                "the organisation has no root: every unit has a parent",
            )
            .at(span_of(f, &units[0].id), "has a parent too")
            .hint("remove `parent` from the top unit (the council)"),
        );
    }
    for extra in roots.iter().skip(1) {
        out.push(
            Diagnostic::error(
                Rule::OrgTree,
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
    // Loops: each is reported once, at its first entry in the file, however
    // many units or roles lead into it.
    let unit_parent = links(units.iter().map(|u| (&u.id, u.parent.as_ref())));
    for cycle in loops(&unit_parent) {
        let names: Vec<&str> = cycle
            .iter()
            .map(|c| units[*c].id.get_ref().as_str())
            .collect();
        let first = &units[cycle[0]];
        let mut d = Diagnostic::error(
            Rule::OrgTree,
            format!("units are each other's parents: {}", names.join(" → ")),
        )
        .at(span_of(f, &first.id), "part of a loop")
        .hint("a unit's parent chain must end at the root")
        .subject(first.id.get_ref().clone());
        for c in cycle.iter().skip(1) {
            d = d.related(span_of(f, &units[*c].id), "also in the loop");
        }
        out.push(d);
    }
    let roles = &o.value.role;
    let role_part_of = links(roles.iter().map(|r| (&r.id, r.part_of.as_ref())));
    for cycle in loops(&role_part_of) {
        out.push(role_loop(roles, &cycle, f));
    }
    let _ = ix;
}

/// For each entry, the index of the entry its link (`parent`, `part_of`)
/// names: `None` for no link or one that does not resolve (reported by
/// `unknown-reference`). The first definition of an id wins.
fn links<'a>(
    entries: impl Iterator<Item = (&'a Spanned<String>, Option<&'a Spanned<String>>)>,
) -> Vec<Option<usize>> {
    let entries: Vec<_> = entries.collect();
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for (i, (id, _)) in entries.iter().enumerate() {
        position.entry(id.get_ref().as_str()).or_insert(i);
    }
    entries
        .iter()
        .map(|(_, link)| link.and_then(|l| position.get(l.get_ref().as_str()).copied()))
        .collect()
}

/// Every loop of a graph where each entry links to at most one other, each
/// rotated to start at its first entry; one pass, so linear in the entries.
fn loops(next: &[Option<usize>]) -> Vec<Vec<usize>> {
    const NEW: usize = usize::MAX;
    const DONE: usize = usize::MAX - 1;
    // NEW, DONE, or the index of the walk that is visiting the entry.
    let mut state = vec![NEW; next.len()];
    let mut place = vec![0usize; next.len()];
    let mut found = Vec::new();
    for start in 0..next.len() {
        let mut chain = Vec::new();
        let mut current = Some(start);
        while let Some(c) = current {
            if state[c] == start {
                let mut cycle = chain[place[c]..].to_vec();
                if let Some(first) = (0..cycle.len()).min_by_key(|k| cycle[*k]) {
                    cycle.rotate_left(first);
                }
                found.push(cycle);
                break;
            }
            if state[c] != NEW {
                break;
            }
            state[c] = start;
            place[c] = chain.len();
            chain.push(c);
            current = next[c];
        }
        for c in chain {
            state[c] = DONE;
        }
    }
    found
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
    let mut d = Diagnostic::error(Rule::OrgTree, message)
        .at(span_of(f, &first.id), "part_of chain loops back here")
        .hint("a role's `part_of` chain must end at a role without `part_of`")
        .subject(first.id.get_ref().clone());
    for c in cycle.iter().skip(1) {
        d = d.related(span_of(f, &roles[*c].id), "also in the loop");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::loops;

    #[test]
    fn each_loop_is_found_once_from_its_first_entry() {
        // 0 → 1 → 2 → 1, 3 → 3, 4 → 0, 5 (no link)
        let next = [Some(1), Some(2), Some(1), Some(3), Some(0), None];
        assert_eq!(loops(&next), vec![vec![1, 2], vec![3]]);
        // A long chain without a loop, walked once.
        let chain: Vec<Option<usize>> = (0..100_000)
            .map(|i| if i == 0 { None } else { Some(i - 1) })
            .collect();
        assert!(loops(&chain).is_empty());
    }
}

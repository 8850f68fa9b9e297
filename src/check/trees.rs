//! `decision-tree`: every authored tree starts at one of its nodes, every
//! answer leads to exactly one node or outcome of the same tree, nothing
//! loops, and every node and outcome can be reached.

use std::collections::BTreeMap;

use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule, Severity};
use crate::policy::{Policy, Span};

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let _ = ix;
    let Some(t) = &policy.trees else { return };
    let f = t.file;
    for tree in &t.value.tree {
        let tid = tree.id.get_ref();
        let mut nodes: BTreeMap<&str, (usize, Span)> = BTreeMap::new();

        let mut outcomes: BTreeMap<&str, Span> = BTreeMap::new();
        for (id, what) in tree
            .node
            .iter()
            .map(|n| (&n.id, "node"))
            .chain(tree.outcome.iter().map(|o| (&o.id, "outcome")))
        {
            if !super::ids::is_slug(id.get_ref()) {
                out.push(
                    Diagnostic::error(
                        Rule::Schema,
                        format!("{what} id `{}` is not lowercase ASCII", id.get_ref()),
                    )
                    .at(span_of(f, id), "ids become file names")
                    .hint("use lowercase letters, digits and hyphens")
                    .subject(id.get_ref().clone()),
                );
            }
        }
        // Reachability follows every answer; once one is reported as broken
        // (or an id is defined twice), "cannot be reached" would only repeat
        // that error for everything behind it.
        let before = out.len();
        for (i, n) in tree.node.iter().enumerate() {
            let span = span_of(f, &n.id);
            if let Some((_, first)) = nodes.get(n.id.get_ref().as_str()) {
                out.push(
                    Diagnostic::error(
                        Rule::DuplicateId,
                        format!("tree `{tid}` has two nodes `{}`", n.id.get_ref()),
                    )
                    .at(span, "second definition")
                    .related(first.clone(), "first defined here")
                    .hint("node ids are unique within a tree")
                    .subject(n.id.get_ref().clone()),
                );
            } else {
                nodes.insert(n.id.get_ref(), (i, span));
            }
        }
        for o in &tree.outcome {
            let span = span_of(f, &o.id);
            if let Some(first) = outcomes.get(o.id.get_ref().as_str()) {
                out.push(
                    Diagnostic::error(
                        Rule::DuplicateId,
                        format!("tree `{tid}` has two outcomes `{}`", o.id.get_ref()),
                    )
                    .at(span, "second definition")
                    .related(first.clone(), "first defined here")
                    .hint("outcome ids are unique within a tree")
                    .subject(o.id.get_ref().clone()),
                );
            } else if nodes.contains_key(o.id.get_ref().as_str()) {
                out.push(
                    Diagnostic::error(
                        Rule::DuplicateId,
                        format!(
                            "`{}` is both a node and an outcome of `{tid}`",
                            o.id.get_ref()
                        ),
                    )
                    .at(span, "outcome")
                    .hint("give nodes and outcomes different ids")
                    .subject(o.id.get_ref().clone()),
                );
            } else {
                outcomes.insert(o.id.get_ref(), span);
            }
        }
        let Some((start, _)) = nodes.get(tree.start.get_ref().as_str()).cloned() else {
            out.push(
                Diagnostic::error(
                    Rule::DecisionTree,
                    format!(
                        "tree `{tid}` starts at `{}`, which is not one of its nodes",
                        tree.start.get_ref()
                    ),
                )
                .at(span_of(f, &tree.start), "no such node in this tree")
                .hint("set `start` to the id of the first [[tree.node]]")
                .subject(tid.clone()),
            );
            continue;
        };
        // Edges, with answer problems reported as we go.
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); tree.node.len()];
        let outcome_target = outcomes.clone();
        let mut outcome_edges: Vec<Vec<&str>> = vec![Vec::new(); tree.node.len()];
        for (i, n) in tree.node.iter().enumerate() {
            for a in &n.answer {
                match (&a.next, &a.outcome) {
                    (Some(next), None) => match nodes.get(next.get_ref().as_str()) {
                        Some((j, _)) => edges[i].push(*j),
                        None => out.push(
                            Diagnostic::error(
                                Rule::DecisionTree,
                                format!(
                                    "answer leads to `{}`, which is not a node of `{tid}`",
                                    next.get_ref()
                                ),
                            )
                            .at(span_of(f, next), "no such node")
                            .hint(
                                match super::references::nearest(
                                    next.get_ref(),
                                    nodes.keys().copied(),
                                ) {
                                    Some(best) => format!("did you mean `{best}`?"),
                                    None => "point `next` at a node of the same tree".to_owned(),
                                },
                            )
                            .subject(next.get_ref().clone()),
                        ),
                    },
                    (None, Some(o)) => match outcome_target.get(o.get_ref().as_str()) {
                        Some(_) => outcome_edges[i].push(o.get_ref().as_str()),
                        None => out.push(
                            Diagnostic::error(
                                Rule::DecisionTree,
                                format!(
                                    "answer leads to `{}`, which is not an outcome of `{tid}`",
                                    o.get_ref()
                                ),
                            )
                            .at(span_of(f, o), "no such outcome")
                            .hint(
                                match super::references::nearest(
                                    o.get_ref(),
                                    outcomes.keys().copied(),
                                ) {
                                    Some(best) => format!("did you mean `{best}`?"),
                                    None => {
                                        "point `outcome` at a [[tree.outcome]] of the same tree"
                                            .to_owned()
                                    }
                                },
                            )
                            .subject(o.get_ref().clone()),
                        ),
                    },
                    (Some(next), Some(_)) => out.push(
                        Diagnostic::error(
                            Rule::DecisionTree,
                            "answer has both `next` and `outcome`",
                        )
                        .at(span_of(f, next), "leads two ways")
                        .hint("an answer leads to one place: keep `next` or `outcome`")
                        .subject(n.id.get_ref().clone()),
                    ),
                    (None, None) => out.push(
                        Diagnostic::error(
                            Rule::DecisionTree,
                            format!("an answer of `{}` leads nowhere", n.id.get_ref()),
                        )
                        .at(span_of(f, &a.text), "dead end")
                        .hint("add next = \"<node>\" or outcome = \"<outcome>\"")
                        .subject(n.id.get_ref().clone()),
                    ),
                }
            }
        }
        let broken = out[before..].iter().any(|d| d.severity == Severity::Error);
        for n in &tree.node {
            if n.answer.len() < 2 {
                out.push(
                    Diagnostic::error(
                        Rule::DecisionTree,
                        format!("node `{}` offers fewer than two answers", n.id.get_ref()),
                    )
                    .at(span_of(f, &n.id), "a question needs a choice")
                    .hint("add [[tree.node.answer]] entries, or turn the node into an outcome")
                    .subject(n.id.get_ref().clone()),
                );
            }
        }
        if broken {
            continue;
        }
        // Reachability and cycles from the start node.
        let (reached, cycle_at) = visit(start, &edges);
        if let Some(i) = cycle_at {
            let n = &tree.node[i];
            out.push(
                Diagnostic::error(Rule::DecisionTree, format!("tree `{tid}` loops back to `{}`", n.id.get_ref()))
                    .at(span_of(f, &n.id), "reached again from its own answers")
                    .hint("a decision tree never asks the same question twice on one path; end the loop in an outcome")
                    .subject(n.id.get_ref().clone()),
            );
        }
        // Report where an unreachable part begins, not everything behind it:
        // a node or outcome that only unreachable nodes lead to is fixed
        // with them.
        let mut led_to_by_unreachable = vec![false; tree.node.len()];
        let mut outcome_behind: std::collections::BTreeSet<&str> = Default::default();
        for i in (0..tree.node.len()).filter(|i| !reached[*i]) {
            for &j in &edges[i] {
                led_to_by_unreachable[j] = true;
            }
            outcome_behind.extend(outcome_edges[i].iter().copied());
        }
        for (i, n) in tree.node.iter().enumerate() {
            if !reached[i] && !led_to_by_unreachable[i] {
                out.push(
                    Diagnostic::error(
                        Rule::DecisionTree,
                        format!(
                            "node `{}` of `{tid}` cannot be reached from `{}`",
                            n.id.get_ref(),
                            tree.start.get_ref()
                        ),
                    )
                    .at(span_of(f, &n.id), "unreachable")
                    .hint("lead an answer to it, or remove it")
                    .subject(n.id.get_ref().clone()),
                );
            }
        }
        let outcome_reached: std::collections::BTreeSet<&str> = outcome_edges
            .iter()
            .enumerate()
            .filter(|(i, _)| reached[*i])
            .flat_map(|(_, targets)| targets.iter().copied())
            .collect();
        for (id, span) in &outcomes {
            if !outcome_reached.contains(id) && !outcome_behind.contains(id) {
                out.push(
                    Diagnostic::error(
                        Rule::DecisionTree,
                        format!("outcome `{id}` of `{tid}` is never reached"),
                    )
                    .at(span.clone(), "no answer leads here")
                    .hint("lead an answer to it, or remove it")
                    .subject((*id).to_owned()),
                );
            }
        }
    }
}

/// Depth-first walk from `start` without recursion (a generated tree may be
/// deep): which nodes are reached, and the first node found again on the
/// current path, if any.
fn visit(start: usize, edges: &[Vec<usize>]) -> (Vec<bool>, Option<usize>) {
    let mut reached = vec![false; edges.len()];
    let mut on_path = vec![false; edges.len()];
    let mut cycle_at = None;
    // (node, index of the next edge to follow)
    let mut stack = vec![(start, 0usize)];
    reached[start] = true;
    on_path[start] = true;
    while let Some((i, next)) = stack.last_mut() {
        let i = *i;
        match edges[i].get(*next) {
            Some(&j) => {
                *next += 1;
                if on_path[j] {
                    cycle_at.get_or_insert(j);
                } else if !reached[j] {
                    reached[j] = true;
                    on_path[j] = true;
                    stack.push((j, 0));
                }
            }
            None => {
                on_path[i] = false;
                stack.pop();
            }
        }
    }
    (reached, cycle_at)
}

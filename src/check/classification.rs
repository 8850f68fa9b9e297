//! `classification-gap`, `classification-overlap`,
//! `classification-monotonicity`, `level-unreachable`: the criteria must give
//! every incident exactly one level, sensibly.
//!
//! These rules enumerate every combination of answers (a few hundred for the
//! bundled policy), so what they say holds for all incidents, not a sample.
//! A gap the policy closes with an editorial criterion disappears here; take
//! the criterion away and the gap is reported again.

use std::collections::BTreeSet;

use super::specs::classifier;
use super::{Index, span_of};
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::LevelId;
use crate::domain::classify::{Classifier, Outcome};
use crate::policy::{Policy, Span};

/// Above this many combinations the exhaustive rules cannot run in the
/// time `check` may take (well under a second), so they are not attempted.
pub const MAX_COMBINATIONS: u128 = 200_000;

/// A level with its severity in the policy's order (larger is more severe).
type RankedLevel = (LevelId, usize);

pub fn check(policy: &Policy, ix: &Index, out: &mut Vec<Diagnostic>) {
    let Some(levels) = &policy.levels else { return };
    let f = levels.file;
    let v = &levels.value;
    unsure_answers(f, v, out);
    // A criterion naming an unknown question or answer has already been
    // reported; evaluating without it would report false gaps.
    let unresolved = v.criterion.iter().any(|c| {
        c.when.iter().any(|(q, answers)| {
            ix.answers
                .get(q.get_ref())
                .is_none_or(|known| answers.get_ref().items().iter().any(|a| !known.contains(a)))
        }) || !ix.levels.contains_key(c.level.get_ref())
    });
    if unresolved || v.question.iter().any(|q| q.answer.is_empty()) || v.question.is_empty() {
        return;
    }
    let levels = &ix.level_order;
    let c = classifier(v, levels);
    let file_span = Span::new(f, 0..0);
    match c.combination_count() {
        Some(n) if n <= MAX_COMBINATIONS => {}
        count => {
            // Every rule below, and the level tree `compile` builds, walks
            // every combination: refuse rather than hang.
            let count = match count {
                Some(n) => n.to_string(),
                None => format!("more than {}", u128::MAX),
            };
            let mut d = Diagnostic::error(
                Rule::ClassificationSize,
                format!(
                    "the {} questions have {count} combinations of answers, more than the {MAX_COMBINATIONS} that can be checked",
                    v.question.len()
                ),
            )
            .at(span_of(f, &v.question[0].id), "first question")
            .hint("merge questions or answers (the count is the product of each question's number of answers); every combination is checked so that no incident is left without a level")
;
            if let Some(last) = v.question.last().filter(|_| v.question.len() > 1) {
                d = d.related(span_of(f, &last.id), "last question");
            }
            out.push(d);
            return;
        }
    }
    let question_span = |qi: usize| span_of(f, &v.question[qi].id);
    let criterion_span = |id: &str| {
        v.criterion
            .iter()
            .find(|x| x.id.get_ref() == id)
            .map(|x| span_of(f, &x.id))
            .unwrap_or_else(|| file_span.clone())
    };

    // Per combination: the level with its severity, and whether it is a gap.
    let outcomes: Vec<(Vec<usize>, Option<RankedLevel>, bool)> = c
        .combinations()
        .map(|combo| {
            let full: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
            let o = c.evaluate(&full);
            let gap = matches!(o, Outcome::Unclassified);
            let level = o
                .level()
                .and_then(|l| Some((l.clone(), levels.severity(l)?)));
            (combo, level, gap)
        })
        .collect();

    // Gaps, with answers that do not matter folded into `*`.
    let mut gaps: BTreeSet<Vec<Option<usize>>> = BTreeSet::new();
    for (combo, _, gap) in &outcomes {
        if !gap {
            continue;
        }
        let mut pattern: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
        for q in 0..combo.len() {
            let all_gap = (0..c.questions[q].answers.len()).all(|a| {
                let mut other = combo.clone();
                other[q] = a;
                let full: Vec<Option<usize>> = other.iter().map(|x| Some(*x)).collect();
                matches!(c.evaluate(&full), Outcome::Unclassified)
            });
            if all_gap {
                pattern[q] = None;
            }
        }
        gaps.insert(pattern);
    }
    for pattern in &gaps {
        let described = describe(&c, pattern);
        let first = pattern.iter().position(|a| a.is_some()).unwrap_or(0);
        out.push(
            Diagnostic::error(Rule::ClassificationGap, format!("no level for: {described}"))
                .at(question_span(first), "an incident can answer this way and get no level")
                .hint("add a [[criterion]] that covers this combination; if the guideline is silent, record the choice as a [[decision]] in notes.toml and reference it with `decision`")
                .subject(described.clone()),
        );
    }

    // Levels no combination reaches.
    let reached: BTreeSet<&LevelId> = outcomes
        .iter()
        .filter_map(|(_, l, _)| l.as_ref().map(|(id, _)| id))
        .collect();
    for level in &v.level {
        let id = level.id.get_ref();
        if !reached.contains(id) {
            out.push(
                Diagnostic::error(Rule::LevelUnreachable, format!("no combination of answers reaches level {id}"))
                    .at(span_of(f, &level.id), "unreachable level")
                    .hint("add a criterion for this level, or check that a more severe criterion does not always win")
                    .subject(id.to_string()),
            );
        }
    }

    // Conflicts: the same conditions at two levels.
    let mut same_as_another: BTreeSet<&str> = BTreeSet::new();
    for (i, a) in c.criteria.iter().enumerate() {
        for b in &c.criteria[i + 1..] {
            if a.level != b.level && same_conditions(&a.when, &b.when) {
                same_as_another.insert(&a.id);
                same_as_another.insert(&b.id);
                out.push(
                    Diagnostic::error(
                        Rule::ClassificationOverlap,
                        format!(
                            "criteria `{}` (level {}) and `{}` (level {}) have the same conditions",
                            a.id, a.level, b.id, b.level
                        ),
                    )
                    .at(criterion_span(&b.id), "same conditions as another criterion")
                    .related(criterion_span(&a.id), "this one")
                    .hint("one incident cannot be two levels for the same reason; remove one or make the conditions differ")
                    .subject(b.id.clone()),
                );
            }
        }
    }
    // Shadowed: a criterion that never decides, because every combination it
    // matches is already a more severe level through another criterion.
    // A criterion with the same conditions as another is already reported;
    // that the milder one never decides follows from it.
    for crit in c
        .criteria
        .iter()
        .filter(|x| !same_as_another.contains(x.id.as_str()))
    {
        let matches_any = outcomes
            .iter()
            .any(|(combo, _, _)| matches_combo(crit, combo));
        let decides = outcomes.iter().any(|(combo, level, _)| {
            matches_combo(crit, combo) && level.as_ref().is_some_and(|(l, _)| *l == crit.level)
        });
        if matches_any && !decides {
            out.push(
                Diagnostic::warning(
                    Rule::ClassificationOverlap,
                    format!(
                        "criterion `{}` (level {}) never decides a level: a more severe criterion always matches too",
                        crit.id, crit.level
                    ),
                )
                .at(criterion_span(&crit.id), "never decides")
                .hint("remove it, or narrow the more severe criterion")
                .subject(crit.id.clone()),
            );
        } else if !matches_any {
            out.push(
                Diagnostic::warning(
                    Rule::ClassificationOverlap,
                    format!("criterion `{}` matches no combination of answers", crit.id),
                )
                .at(criterion_span(&crit.id), "matches nothing")
                .hint("a condition lists no answer; fix or remove it")
                .subject(crit.id.clone()),
            );
        }
    }

    // Monotonicity: a more severe answer to one question never lowers the level.
    let index_of = |combo: &[usize]| -> usize {
        combo
            .iter()
            .zip(&c.questions)
            .fold(0, |acc, (a, q)| acc * q.answers.len() + a)
    };
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (combo, level, _) in &outcomes {
        let Some((level, severity)) = level else {
            continue;
        };
        for q in 0..combo.len() {
            for more_severe in 0..combo[q] {
                let mut other = combo.clone();
                other[q] = more_severe;
                let Some((other_level, other_severity)) = &outcomes[index_of(&other)].1 else {
                    continue;
                };
                if other_severity < severity && seen.insert((q, combo[q])) {
                    let qid = &c.questions[q].id;
                    out.push(
                        Diagnostic::error(
                            Rule::ClassificationMonotonicity,
                            format!(
                                "answering `{qid}` with the more severe `{}` instead of `{}` lowers the level from {level} to {other_level} (with {})",
                                c.questions[q].answers[more_severe],
                                c.questions[q].answers[combo[q]],
                                describe(&c, &combo.iter().map(|a| Some(*a)).collect::<Vec<_>>())
                            ),
                        )
                        .at(question_span(q), "answers are listed most severe first")
                        .hint("reorder the answers, or fix the criteria so that a worse answer never gives a milder level")
                        .subject(qid.clone()),
                    );
                }
            }
        }
    }
}

fn same_conditions(a: &[(usize, Vec<usize>)], b: &[(usize, Vec<usize>)]) -> bool {
    let norm = |v: &[(usize, Vec<usize>)]| -> BTreeSet<(usize, BTreeSet<usize>)> {
        v.iter()
            .map(|(q, a)| (*q, a.iter().copied().collect()))
            .collect()
    };
    norm(a) == norm(b)
}

fn matches_combo(c: &crate::domain::classify::CriterionSpec, combo: &[usize]) -> bool {
    c.when
        .iter()
        .all(|(q, allowed)| combo.get(*q).is_some_and(|a| allowed.contains(a)))
}

fn describe(c: &Classifier, pattern: &[Option<usize>]) -> String {
    c.questions
        .iter()
        .zip(pattern)
        .filter_map(|(q, a)| a.map(|a| format!("{}={}", q.id, q.answers[a])))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `unsure-answer`: a question's `unsure` is one of its own answers, and not
/// one meaning "nothing happened" (not knowing must never clear a question).
fn unsure_answers(
    f: crate::policy::FileId,
    v: &crate::policy::LevelsFile,
    out: &mut Vec<Diagnostic>,
) {
    for q in &v.question {
        let Some(unsure) = &q.unsure else { continue };
        let span = Span::new(f, unsure.span());
        match q.answer.iter().find(|a| a.id.get_ref() == unsure.get_ref()) {
            None => out.push(
                Diagnostic::error(
                    Rule::UnsureAnswer,
                    format!("question `{}` has no answer `{}`", q.id.get_ref(), unsure.get_ref()),
                )
                .at(span, "`unsure` must name an answer of this question")
                .hint(format!(
                    "use one of: {}",
                    q.answer.iter().map(|a| a.id.get_ref().as_str()).collect::<Vec<_>>().join(", ")
                ))
                .subject(q.id.get_ref().clone()),
            ),
            Some(a) if a.nothing => out.push(
                Diagnostic::error(
                    Rule::UnsureAnswer,
                    format!("`unsure` of question `{}` names an answer meaning nothing happened", q.id.get_ref()),
                )
                .at(span, "`nothing = true` answer")
                .hint("a reader who cannot tell yet must be taken down the more severe branch: name an answer that is not `nothing = true`")
                .subject(q.id.get_ref().clone()),
            ),
            Some(_) => {}
        }
    }
}

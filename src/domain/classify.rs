//! Classification: from answers to factual questions to an impact level.
//!
//! A level applies when any of its criteria holds, and the result is the most
//! severe level that applies. [`Classifier`] evaluates that directly; it also
//! compiles the criteria into a decision tree that asks one question at a
//! time and stops as soon as the level is certain. Both live here so that the
//! tree can be tested against direct evaluation over every combination of
//! answers. Nothing here knows about TOML or spans.

use serde::Serialize;

use crate::domain::LevelId;

/// A question as the classifier sees it: answer ids in order of severity,
/// most severe first.
#[derive(Debug, Clone)]
pub struct QuestionSpec {
    pub id: String,
    pub answers: Vec<String>,
    /// Per answer: "nothing happened here".
    pub nothing: Vec<bool>,
}

/// One criterion: for each listed question, the answers that satisfy it.
#[derive(Debug, Clone)]
pub struct CriterionSpec {
    pub id: String,
    pub level: LevelId,
    /// The level's place in the policy's order: larger is more severe.
    pub severity: usize,
    pub when: Vec<(usize, Vec<usize>)>,
}

#[derive(Debug, Clone)]
pub struct Classifier {
    pub questions: Vec<QuestionSpec>,
    pub criteria: Vec<CriterionSpec>,
}

/// The result for a full or partial set of answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// The level is certain; `criteria` are the matched criteria of that level.
    Level {
        level: LevelId,
        criteria: Vec<String>,
    },
    /// Every answer says nothing happened: this is not an incident.
    NotAnIncident,
    /// No criterion matches although something happened: the policy has a gap.
    Unclassified,
    /// More answers are needed; `questions` are the ones that can still change
    /// the result, in the order they should be asked. `at_least` is the level
    /// already certain, when one is: staff can start on its deadlines while
    /// they find out the rest.
    NeedsAnswers {
        questions: Vec<String>,
        at_least: Option<LevelId>,
    },
}

impl Outcome {
    /// The level, when one is certain.
    pub fn level(&self) -> Option<&LevelId> {
        match self {
            Outcome::Level { level, .. } => Some(level),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Yes,
    No,
    Unknown,
}

impl Classifier {
    fn criterion_match(&self, c: &CriterionSpec, answers: &[Option<usize>]) -> Match {
        let mut unknown = false;
        for (q, allowed) in &c.when {
            match answers.get(*q).copied().flatten() {
                Some(a) if allowed.contains(&a) => {}
                Some(_) => return Match::No,
                None => unknown = true,
            }
        }
        if unknown { Match::Unknown } else { Match::Yes }
    }

    /// Evaluates a full or partial set of answers (one slot per question).
    pub fn evaluate(&self, answers: &[Option<usize>]) -> Outcome {
        let statuses: Vec<Match> = self
            .criteria
            .iter()
            .map(|c| self.criterion_match(c, answers))
            .collect();
        // The most severe matched criterion (the first of equals, so the
        // level is the same whichever criterion of it matched).
        let best: Option<&CriterionSpec> = self
            .criteria
            .iter()
            .zip(&statuses)
            .filter(|(_, m)| **m == Match::Yes)
            .map(|(c, _)| c)
            .fold(None, |best: Option<&CriterionSpec>, c| match best {
                Some(b) if b.severity >= c.severity => Some(b),
                _ => Some(c),
            });
        let still_possible: Vec<&CriterionSpec> = self
            .criteria
            .iter()
            .zip(&statuses)
            .filter(|(c, m)| **m == Match::Unknown && best.is_none_or(|b| c.severity > b.severity))
            .map(|(c, _)| c)
            .collect();
        if still_possible.is_empty() {
            if let Some(best) = best {
                let criteria = self
                    .criteria
                    .iter()
                    .zip(&statuses)
                    .filter(|(c, m)| **m == Match::Yes && c.severity == best.severity)
                    .map(|(c, _)| c.id.clone())
                    .collect();
                return Outcome::Level {
                    level: best.level.clone(),
                    criteria,
                };
            }
            // Only questions that can say "nothing happened" decide whether
            // there is an incident at all; the others (how bad, restored in
            // time) qualify an answer and mean nothing on their own.
            let decides = |spec: &QuestionSpec| spec.nothing.iter().any(|n| *n);
            let something = self.questions.iter().enumerate().any(|(q, spec)| {
                decides(spec)
                    && answers
                        .get(q)
                        .copied()
                        .flatten()
                        .is_some_and(|a| !spec.nothing.get(a).copied().unwrap_or(false))
            });
            if something {
                return Outcome::Unclassified;
            }
            let unanswered: Vec<String> = self
                .questions
                .iter()
                .enumerate()
                .filter(|(q, spec)| decides(spec) && answers.get(*q).copied().flatten().is_none())
                .map(|(_, spec)| spec.id.clone())
                .collect();
            if unanswered.is_empty() {
                return Outcome::NotAnIncident;
            }
            return Outcome::NeedsAnswers {
                questions: unanswered,
                at_least: None,
            };
        }
        let mut needed: Vec<usize> = still_possible
            .iter()
            .flat_map(|c| c.when.iter().map(|(q, _)| *q))
            .filter(|q| answers.get(*q).copied().flatten().is_none())
            .collect();
        needed.sort_unstable();
        needed.dedup();
        Outcome::NeedsAnswers {
            questions: needed
                .into_iter()
                .map(|q| self.questions[q].id.clone())
                .collect(),
            at_least: best.map(|b| b.level.clone()),
        }
    }

    /// How many full combinations of answers there are, or `None` when the
    /// count does not even fit in a `u128` (more than about 128 yes/no
    /// questions). Counted with checked arithmetic: 70 yes/no questions are
    /// 2^70 combinations, which overflows a `usize`.
    pub fn combination_count(&self) -> Option<u128> {
        self.questions.iter().try_fold(1u128, |count, q| {
            count.checked_mul(u128::try_from(q.answers.len()).ok()?)
        })
    }

    /// Every full combination of answers, in a fixed order.
    pub fn combinations(&self) -> Combinations<'_> {
        Combinations {
            sizes: self.questions.iter().map(|q| q.answers.len()).collect(),
            next: if self.questions.iter().any(|q| q.answers.is_empty()) {
                None
            } else {
                Some(vec![0; self.questions.len()])
            },
            _classifier: self,
        }
    }

    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    /// Compiles the decision tree: each node asks the first question that
    /// can still change the result, and each leaf holds the certain outcome.
    pub fn build_tree(&self) -> Vec<TreeNode> {
        let mut nodes = Vec::new();
        let start = vec![None; self.questions.len()];
        self.grow(&start, &mut nodes);
        nodes
    }

    fn grow(&self, answers: &[Option<usize>], nodes: &mut Vec<TreeNode>) -> usize {
        let index = nodes.len();
        match self.evaluate(answers) {
            Outcome::NeedsAnswers { questions, .. } => {
                let q = questions
                    .first()
                    .and_then(|id| self.question_index(id))
                    .unwrap_or(0);
                nodes.push(TreeNode::Question {
                    question: self.questions[q].id.clone(),
                    branches: Vec::new(),
                });
                let mut branches = Vec::new();
                for (a, answer) in self.questions[q].answers.iter().enumerate() {
                    let mut next = answers.to_vec();
                    next[q] = Some(a);
                    let child = self.grow(&next, nodes);
                    branches.push(Branch {
                        answer: answer.clone(),
                        node: child,
                    });
                }
                if let TreeNode::Question { branches: b, .. } = &mut nodes[index] {
                    *b = branches;
                }
            }
            outcome => nodes.push(TreeNode::Leaf { outcome }),
        }
        index
    }
}

/// A node of the compiled level tree. Node 0 is the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum TreeNode {
    Question {
        question: String,
        branches: Vec<Branch>,
    },
    Leaf {
        outcome: Outcome,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branch {
    pub answer: String,
    pub node: usize,
}

/// Iterator over full answer combinations (an odometer over answer indices).
pub struct Combinations<'a> {
    sizes: Vec<usize>,
    next: Option<Vec<usize>>,
    _classifier: &'a Classifier,
}

impl Iterator for Combinations<'_> {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let mut following = current.clone();
        let mut i = following.len();
        loop {
            if i == 0 {
                self.next = None;
                break;
            }
            i -= 1;
            following[i] += 1;
            if following[i] < self.sizes[i] {
                self.next = Some(following);
                break;
            }
            following[i] = 0;
        }
        Some(current)
    }
}

/// Walks the tree with a full set of answers and returns the leaf reached.
pub fn walk<'a>(
    tree: &'a [TreeNode],
    classifier: &Classifier,
    answers: &[usize],
) -> Option<&'a Outcome> {
    let mut node = 0;
    loop {
        match tree.get(node)? {
            TreeNode::Leaf { outcome } => return Some(outcome),
            TreeNode::Question { question, branches } => {
                let q = classifier.question_index(question)?;
                let answer = &classifier.questions[q].answers[*answers.get(q)?];
                node = branches.iter().find(|b| &b.answer == answer)?.node;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Classifier {
        Classifier {
            questions: vec![
                QuestionSpec {
                    id: "exposed".into(),
                    answers: vec!["confidential".into(), "nothing".into()],
                    nothing: vec![false, true],
                },
                QuestionSpec {
                    id: "halted".into(),
                    answers: vec!["lengthy".into(), "brief".into(), "nothing".into()],
                    nothing: vec![false, false, true],
                },
            ],
            criteria: vec![
                CriterionSpec {
                    id: "a".into(),
                    level: "4".into(),
                    severity: 3,
                    when: vec![(0, vec![0])],
                },
                CriterionSpec {
                    id: "b".into(),
                    level: "2".into(),
                    severity: 1,
                    when: vec![(1, vec![0])],
                },
                CriterionSpec {
                    id: "c".into(),
                    level: "1".into(),
                    severity: 0,
                    when: vec![(1, vec![1])],
                },
            ],
        }
    }

    #[test]
    fn most_severe_level_wins() {
        let c = sample();
        assert_eq!(
            c.evaluate(&[Some(0), Some(1)]),
            Outcome::Level {
                level: "4".into(),
                criteria: vec!["a".into()]
            }
        );
        assert_eq!(
            c.evaluate(&[Some(1), Some(1)]),
            Outcome::Level {
                level: "1".into(),
                criteria: vec!["c".into()]
            }
        );
    }

    #[test]
    fn stops_asking_once_level_is_certain() {
        let c = sample();
        assert_eq!(
            c.evaluate(&[Some(0), None]),
            Outcome::Level {
                level: "4".into(),
                criteria: vec!["a".into()]
            }
        );
        assert_eq!(
            c.evaluate(&[None, None]),
            Outcome::NeedsAnswers {
                questions: vec!["exposed".into(), "halted".into()],
                at_least: None,
            }
        );
        // Short downtime already makes it level 1; a leak could still make it 4.
        assert_eq!(
            c.evaluate(&[None, Some(1)]),
            Outcome::NeedsAnswers {
                questions: vec!["exposed".into()],
                at_least: Some("1".into()),
            }
        );
    }

    #[test]
    fn all_nothing_is_not_an_incident() {
        let c = sample();
        assert_eq!(c.evaluate(&[Some(1), Some(2)]), Outcome::NotAnIncident);
    }

    #[test]
    fn tree_agrees_with_direct_evaluation() {
        let c = sample();
        let tree = c.build_tree();
        let mut seen = 0;
        for combo in c.combinations() {
            let full: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
            let leaf = walk(&tree, &c, &combo).map(|o| o.level().cloned());
            assert_eq!(leaf, Some(c.evaluate(&full).level().cloned()));
            seen += 1;
        }
        assert_eq!(seen, 6);
    }

    #[test]
    fn counts_combinations_without_overflow() {
        assert_eq!(sample().combination_count(), Some(6));
        let yes_no = |i: usize| QuestionSpec {
            id: format!("q{i}"),
            answers: vec!["yes".into(), "no".into()],
            nothing: vec![false, true],
        };
        let many = |n: usize| Classifier {
            questions: (0..n).map(yes_no).collect(),
            criteria: Vec::new(),
        };
        // 2^70 does not fit a u64; it must be counted, not wrapped.
        assert_eq!(many(70).combination_count(), Some(1u128 << 70));
        assert_eq!(many(128).combination_count(), None);
    }
}

//! `handbook classify`: the level of an incident from answers to the factual
//! questions, or which questions still need an answer.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use super::{EXIT_OK, EXIT_USAGE, ruleset_or_exit};
use crate::ruleset::Ruleset;
use crate::ruleset::classify::Outcome;

#[derive(Debug, Clone)]
pub struct ClassifyOptions {
    pub root: PathBuf,
    /// `QUESTION=ANSWER` pairs.
    pub answers: Vec<String>,
    pub list: bool,
    pub json: bool,
}

/// Answer indices (one slot per question) from `QUESTION=ANSWER` words.
pub fn parse_answers(ruleset: &Ruleset, pairs: &[String]) -> Result<Vec<Option<usize>>, String> {
    let mut answers = vec![None; ruleset.questions.len()];
    for pair in pairs {
        let Some((q, a)) = pair.split_once('=') else {
            return Err(format!(
                "--answer {pair}: expected QUESTION=ANSWER, e.g. leak=classified"
            ));
        };
        let Some(qi) = ruleset.questions.iter().position(|x| x.id == q) else {
            let known: Vec<&str> = ruleset.questions.iter().map(|x| x.id.as_str()).collect();
            return Err(format!(
                "--answer {pair}: unknown question `{q}`; questions are: {}",
                known.join(", ")
            ));
        };
        let question = &ruleset.questions[qi];
        let Some(ai) = question.answers.iter().position(|x| x.id == a) else {
            let known: Vec<&str> = question.answers.iter().map(|x| x.id.as_str()).collect();
            return Err(format!(
                "--answer {pair}: `{a}` is not an answer of `{q}`; answers are: {}",
                known.join(", ")
            ));
        };
        if answers[qi].is_some_and(|prev| prev != ai) {
            return Err(format!("--answer {pair}: `{q}` is answered twice"));
        }
        answers[qi] = Some(ai);
    }
    Ok(answers)
}

pub fn classify(opts: &ClassifyOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let ruleset = match ruleset_or_exit(&opts.root, err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if opts.list {
        let _ = out.write_all(list(&ruleset, opts.json).as_bytes());
        return EXIT_OK;
    }
    let answers = match parse_answers(&ruleset, &opts.answers) {
        Ok(a) => a,
        Err(msg) => {
            let _ = writeln!(err, "error: {msg}");
            return EXIT_USAGE;
        }
    };
    let outcome = ruleset.classifier().evaluate(&answers);
    let text = if opts.json {
        let criteria: Vec<_> = match &outcome {
            Outcome::Level { criteria, .. } => criteria
                .iter()
                .filter_map(|id| ruleset.criteria.iter().find(|c| &c.id == id))
                .map(|c| json!({"id": c.id, "text": c.text, "source": c.source, "decision": c.decision}))
                .collect(),
            _ => Vec::new(),
        };
        let doc = json!({
            "status": match &outcome {
                Outcome::Level { .. } => "level",
                Outcome::NotAnIncident => "not-an-incident",
                Outcome::Unclassified => "unclassified",
                Outcome::NeedsAnswers { .. } => "needs-answers",
            },
            "level": outcome.level(),
            "criteria": criteria,
            "needs": match &outcome { Outcome::NeedsAnswers { questions, .. } => questions.clone(), _ => Vec::new() },
            "at_least": match &outcome { Outcome::NeedsAnswers { at_least, .. } => at_least.as_ref(), _ => outcome.level() },
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    } else {
        describe(&ruleset, &outcome)
    };
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

fn describe(ruleset: &Ruleset, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Level { level, criteria } => {
            let name = ruleset
                .level(level)
                .map(|l| ruleset.text_of(&l.name))
                .unwrap_or("");
            let mut s = format!("level {level}: {name}\n");
            for id in criteria {
                if let Some(c) = ruleset.criteria.iter().find(|c| &c.id == id) {
                    s.push_str(&format!(
                        "  matched {} ({}): {}\n",
                        c.id,
                        c.source,
                        ruleset.text_of(&c.text)
                    ));
                }
            }
            s
        }
        Outcome::NotAnIncident => "not an incident: every answer says nothing happened\n".into(),
        Outcome::Unclassified => {
            "no level: the policy has no criterion for these answers (run `handbook check`)\n"
                .into()
        }
        Outcome::NeedsAnswers {
            questions,
            at_least,
        } => {
            let mut s = String::from("needs more answers:\n");
            if let Some(l) = at_least {
                let name = ruleset
                    .level(l)
                    .map(|x| ruleset.text_of(&x.name))
                    .unwrap_or("");
                s = format!("at least level {l} ({name}) so far; its deadlines apply already\n{s}");
            }
            for id in questions {
                if let Some(q) = ruleset.questions.iter().find(|q| &q.id == id) {
                    let answers: Vec<&str> = q.answers.iter().map(|a| a.id.as_str()).collect();
                    s.push_str(&format!(
                        "  --answer {}=<{}>  {}\n",
                        q.id,
                        answers.join("|"),
                        ruleset.text_of(&q.text)
                    ));
                }
            }
            s
        }
    }
}

fn list(ruleset: &Ruleset, as_json: bool) -> String {
    if as_json {
        let doc = json!({
            "questions": ruleset.questions.iter().map(|q| json!({
                "id": q.id,
                "text": q.text,
                "help": q.help,
                "source": q.source,
                "answers": q.answers.iter().map(|a| json!({"id": a.id, "text": a.text})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let mut s = String::new();
    for q in &ruleset.questions {
        s.push_str(&format!(
            "{}  {} ({})\n",
            q.id,
            ruleset.text_of(&q.text),
            q.source
        ));
        for a in &q.answers {
            s.push_str(&format!("    {}  {}\n", a.id, ruleset.text_of(&a.text)));
        }
    }
    s
}

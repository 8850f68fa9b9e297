//! `rename_file`: for each policy file, which keys of which tables hold an
//! id, mirroring `src/policy/model.rs` table by table.

use toml::Spanned;
use toml::de::DeValue;

use super::{Editor, id, known, parse, string, table, tables};
use crate::rename_support::{Kind, Renames, apply};

/// The file with every id renamed.
pub fn rename_file(name: &str, text: &str, renames: &Renames) -> String {
    let doc = parse(name, text);
    let mut ed = Editor {
        text,
        renames,
        edits: Vec::new(),
    };
    let f = name;
    match name {
        "policy.toml" => {
            known(
                &doc,
                f,
                "",
                &[
                    "title",
                    "guideline",
                    "version",
                    "timezone",
                    "language",
                    "country",
                    "sections",
                    "source",
                    "edition",
                    "handbook",
                ],
            );
            if let Some(h) = table(&doc, "handbook") {
                known(
                    h,
                    f,
                    "handbook",
                    &[
                        "initial_report",
                        "discovery",
                        "phone_line",
                        "not_an_incident",
                        "first_steps",
                        "indicators_tree",
                        "support_condition",
                        "portal_down_condition",
                        "portal",
                        // Texts and sections per page, no id.
                        "intro",
                        "readers",
                        "follow_up",
                        // Texts and sections, no id.
                        "report_item",
                    ],
                );
                ed.actors(h, "readers");
                for follow_up in tables(h, "follow_up") {
                    known(
                        follow_up,
                        f,
                        "handbook.follow_up",
                        &["tree", "prompt", "source", "when"],
                    );
                    ed.one(follow_up, "tree", Kind::Tree, "");
                    if let Some(when) = table(follow_up, "when") {
                        rename_when(&mut ed, renames, when);
                    }
                }
                ed.one(h, "initial_report", Kind::Event, "");
                ed.one(h, "discovery", Kind::Event, "");
                ed.one(h, "phone_line", Kind::Contact, "");
                ed.one(h, "not_an_incident", Kind::Decision, "");
                ed.list(h, "first_steps", Kind::Event, "");
                ed.one(h, "indicators_tree", Kind::Tree, "");
                ed.one(h, "support_condition", Kind::Condition, "");
                ed.one(h, "portal_down_condition", Kind::Condition, "");
                ed.one(h, "portal", Kind::Contact, "");
            }
        }
        "levels.toml" => {
            known(&doc, f, "", &["level", "question", "criterion"]);
            for level in tables(&doc, "level") {
                known(
                    level,
                    f,
                    "level",
                    &["id", "name", "short", "summary", "source"],
                );
                ed.level_value(level.get("id").expect("level id"));
            }
            for q in tables(&doc, "question") {
                known(
                    q,
                    f,
                    "question",
                    &[
                        "id",
                        "text",
                        "help",
                        "definition",
                        "examples",
                        "unsure",
                        "source",
                        "answer",
                    ],
                );
                let qid = id(q, "question");
                ed.one(q, "id", Kind::Question, "");
                ed.one(q, "unsure", Kind::Answer, qid);
                for a in tables(q, "answer") {
                    known(a, f, "question.answer", &["id", "text", "nothing"]);
                    ed.one(a, "id", Kind::Answer, qid);
                }
            }
            for c in tables(&doc, "criterion") {
                known(
                    c,
                    f,
                    "criterion",
                    &["id", "level", "text", "when", "source", "decision"],
                );
                ed.one(c, "id", Kind::Criterion, "");
                ed.level_value(c.get("level").expect("criterion level"));
                ed.one(c, "decision", Kind::Decision, "");
                rename_when(&mut ed, renames, table(c, "when").expect("criterion when"));
            }
        }
        "deadlines.toml" => {
            known(&doc, f, "", &["condition", "event"]);
            for c in tables(&doc, "condition") {
                known(c, f, "condition", &["id", "text", "source"]);
                ed.one(c, "id", Kind::Condition, "");
            }
            for e in tables(&doc, "event") {
                known(
                    e,
                    f,
                    "event",
                    &[
                        "id",
                        "name",
                        "description",
                        "actor",
                        "anchor",
                        "within",
                        "kind",
                        "when",
                        "after",
                        "if_anchor_missed",
                        "counts_as",
                        "not_after",
                        "contacts",
                        "source",
                    ],
                );
                ed.one(e, "id", Kind::Event, "");
                ed.actor(e, "actor");
                ed.one(e, "anchor", Kind::Event, "");
                ed.one(e, "when", Kind::Condition, "");
                ed.list(e, "after", Kind::Event, "");
                ed.one(e, "counts_as", Kind::Event, "");
                ed.one(e, "not_after", Kind::Event, "");
                ed.list(e, "contacts", Kind::Contact, "");
                if let Some(DeValue::Table(per_level)) = e.get("within").map(Spanned::get_ref) {
                    for level in per_level.keys() {
                        let new = renames.get(Kind::Level, "", level.get_ref()).to_owned();
                        ed.key(level, &new);
                    }
                }
            }
        }
        "organisation.toml" => {
            known(&doc, f, "", &["unit_kind", "unit", "role"]);
            for k in tables(&doc, "unit_kind") {
                known(k, f, "unit_kind", &["id"]);
                ed.one(k, "id", Kind::UnitType, "");
            }
            for u in tables(&doc, "unit") {
                known(
                    u,
                    f,
                    "unit",
                    &[
                        "id",
                        "name",
                        "short",
                        "kind",
                        "parent",
                        "lead",
                        "lead_note",
                        "jurisdiction",
                        "remit",
                        "source",
                    ],
                );
                ed.one(u, "id", Kind::Unit, "");
                ed.one(u, "kind", Kind::UnitType, "");
                ed.actor(u, "parent");
                if let Some(DeValue::Array(leads)) = u.get("lead").map(Spanned::get_ref) {
                    for v in leads.iter() {
                        if let Some(new) = renames.agency_reference(string(v)) {
                            let new = new.to_owned();
                            ed.replace(v, &new);
                        }
                    }
                }
            }
            for role in tables(&doc, "role") {
                known(
                    role,
                    f,
                    "role",
                    &["id", "name", "part_of", "remit", "source"],
                );
                ed.one(role, "id", Kind::Role, "");
                ed.actor(role, "part_of");
            }
        }
        "agencies.toml" => {
            known(&doc, f, "", &["agency"]);
            for a in tables(&doc, "agency") {
                known(
                    a,
                    f,
                    "agency",
                    &["number", "id", "name", "aliases", "source"],
                );
                ed.one(a, "id", Kind::Agency, "");
            }
        }
        "contacts.toml" => {
            known(&doc, f, "", &["contact"]);
            for c in tables(&doc, "contact") {
                known(
                    c,
                    f,
                    "contact",
                    &[
                        "id",
                        "name",
                        "kind",
                        "value",
                        "owner",
                        "hours",
                        "purpose",
                        "placeholder",
                        "value_from",
                        "source",
                    ],
                );
                ed.one(c, "id", Kind::Contact, "");
                ed.actor(c, "owner");
            }
        }
        "duties.toml" => {
            known(&doc, f, "", &["phase", "duty", "indicator"]);
            for p in tables(&doc, "phase") {
                known(p, f, "phase", &["id", "title"]);
                ed.one(p, "id", Kind::Phase, "");
            }
            for d in tables(&doc, "duty") {
                known(
                    d,
                    f,
                    "duty",
                    &[
                        "id", "phase", "actor", "text", "events", "contacts", "source",
                    ],
                );
                ed.one(d, "id", Kind::Duty, "");
                ed.one(d, "phase", Kind::Phase, "");
                ed.actor(d, "actor");
                ed.list(d, "events", Kind::Event, "");
                ed.list(d, "contacts", Kind::Contact, "");
            }
            for i in tables(&doc, "indicator") {
                known(i, f, "indicator", &["id", "name", "question", "source"]);
                ed.one(i, "id", Kind::Indicator, "");
            }
        }
        "drills.toml" => {
            known(&doc, f, "", &["drill"]);
            for d in tables(&doc, "drill") {
                known(
                    d,
                    f,
                    "drill",
                    &[
                        "id",
                        "name",
                        "organiser",
                        "cadence",
                        "times_per_year",
                        "purpose",
                        "description",
                        "due",
                        "report",
                        "participation",
                        "scenarios",
                        "approval",
                        "source",
                    ],
                );
                ed.one(d, "id", Kind::Drill, "");
                ed.actor(d, "organiser");
                for due in tables(d, "due") {
                    known(due, f, "drill.due", &["month", "day", "text", "source"]);
                }
                for report in tables(d, "report") {
                    known(
                        report,
                        f,
                        "drill.report",
                        &["text", "to", "within", "by", "source"],
                    );
                    ed.actor(report, "to");
                }
                for p in tables(d, "participation") {
                    known(p, f, "drill.participation", &["share", "of", "source"]);
                }
                if let Some(s) = table(d, "scenarios") {
                    known(s, f, "drill.scenarios", &["min", "levels", "source"]);
                    ed.levels(s, "levels");
                }
            }
        }
        "accountability.toml" => {
            known(&doc, f, "", &["reward", "penalty", "mitigation"]);
            for key in ["reward", "penalty", "mitigation"] {
                for p in tables(&doc, key) {
                    known(p, f, key, &["id", "text", "applies_to", "source"]);
                    ed.one(p, "id", Kind::Provision, "");
                    ed.actors(p, "applies_to");
                }
            }
        }
        "trees.toml" => {
            known(&doc, f, "", &["tree"]);
            for t in tables(&doc, "tree") {
                known(
                    t,
                    f,
                    "tree",
                    &[
                        "id", "title", "summary", "start", "source", "node", "outcome",
                    ],
                );
                let tid = id(t, "tree");
                ed.one(t, "id", Kind::Tree, "");
                ed.one(t, "start", Kind::Node, tid);
                for n in tables(t, "node") {
                    known(
                        n,
                        f,
                        "tree.node",
                        &["id", "question", "help", "source", "answer"],
                    );
                    ed.one(n, "id", Kind::Node, tid);
                    for a in tables(n, "answer") {
                        known(a, f, "tree.node.answer", &["text", "next", "outcome"]);
                        ed.one(a, "next", Kind::Node, tid);
                        ed.one(a, "outcome", Kind::Outcome, tid);
                    }
                }
                for o in tables(t, "outcome") {
                    known(
                        o,
                        f,
                        "tree.outcome",
                        &[
                            "id", "title", "text", "levels", "events", "contacts", "duties",
                            "units", "trees", "source",
                        ],
                    );
                    ed.one(o, "id", Kind::Outcome, tid);
                    ed.levels(o, "levels");
                    ed.list(o, "events", Kind::Event, "");
                    ed.list(o, "contacts", Kind::Contact, "");
                    ed.list(o, "duties", Kind::Duty, "");
                    ed.actors(o, "units");
                    ed.list(o, "trees", Kind::Tree, "");
                }
            }
        }
        "notes.toml" => {
            known(&doc, f, "", &["decision", "inconsistency"]);
            for d in tables(&doc, "decision") {
                known(d, f, "decision", &["id", "title", "text", "source"]);
                ed.one(d, "id", Kind::Decision, "");
            }
            for i in tables(&doc, "inconsistency") {
                known(
                    i,
                    f,
                    "inconsistency",
                    &["id", "title", "reason", "reading", "acknowledges", "source"],
                );
                ed.one(i, "id", Kind::Inconsistency, "");
                if let Some(ack) = table(i, "acknowledges") {
                    known(ack, f, "inconsistency.acknowledges", &["rule", "subject"]);
                    let subject = ack.get("subject").expect("acknowledged subject");
                    let old = string(subject);
                    let candidates: Vec<&str> = renames
                        .pairs()
                        .filter(|(_, o, _)| *o == old)
                        .map(|(_, _, n)| n)
                        .collect();
                    assert_eq!(
                        candidates.len(),
                        1,
                        "{f}: the acknowledged subject `{old}` is ambiguous or unknown"
                    );
                    let new = candidates[0].to_owned();
                    ed.replace(subject, &new);
                }
            }
        }
        other => panic!("policy/{other}: unknown to tests/rename_support/policy.rs"),
    }
    apply(text, ed.edits)
}

/// A `when` table of question ids to one answer id or a list of them (a
/// criterion's, a follow-up's): the keys and the answers, each answer in its
/// question's scope.
fn rename_when(ed: &mut Editor<'_>, renames: &Renames, when: &toml::de::DeTable<'_>) {
    for (question, answers) in when {
        let q = question.get_ref().as_ref();
        let new = renames.get(Kind::Question, "", q).to_owned();
        ed.key(question, &new);
        match answers.get_ref() {
            DeValue::Array(items) => {
                for v in items.iter() {
                    let new = renames.get(Kind::Answer, q, string(v)).to_owned();
                    ed.replace(v, &new);
                }
            }
            _ => {
                let new = renames.get(Kind::Answer, q, string(answers)).to_owned();
                ed.replace(answers, &new);
            }
        }
    }
}

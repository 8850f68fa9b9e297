//! The policy half of the rename: which key of which table holds an id (a
//! definition or a reference, and of which kind), mirroring
//! `src/policy/model.rs`.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Edit, Kind, Renames, apply};

type Value<'a> = Spanned<DeValue<'a>>;

fn parse<'a>(name: &str, text: &'a str) -> DeTable<'a> {
    DeTable::parse(text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_inner()
}

/// The tables of an array of tables (`[[event]]`), none when absent.
fn tables<'a>(t: &'a DeTable<'a>, key: &str) -> Vec<&'a DeTable<'a>> {
    match t.get(key).map(Spanned::get_ref) {
        None => Vec::new(),
        Some(DeValue::Array(items)) => items
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::Table(t) => t,
                other => panic!("`{key}` holds {other:?}, not tables"),
            })
            .collect(),
        Some(other) => panic!("`{key}` holds {other:?}, not an array of tables"),
    }
}

fn table<'a>(t: &'a DeTable<'a>, key: &str) -> Option<&'a DeTable<'a>> {
    match t.get(key).map(Spanned::get_ref) {
        None => None,
        Some(DeValue::Table(t)) => Some(t),
        Some(other) => panic!("`{key}` holds {other:?}, not a table"),
    }
}

fn string<'a>(v: &'a Value<'a>) -> &'a str {
    match v.get_ref() {
        DeValue::String(s) => s,
        other => panic!("expected a string id, found {other:?}"),
    }
}

/// A level id as written: `4` or `"significant"`.
fn level_id(text: &str, v: &Value<'_>) -> String {
    match v.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(_) => text[v.span()].trim().to_owned(),
        other => panic!("expected a level id, found {other:?}"),
    }
}

fn id<'a>(t: &'a DeTable<'a>, what: &str) -> &'a str {
    string(
        t.get("id")
            .unwrap_or_else(|| panic!("{what} without an id")),
    )
}

/// Fails on a key this walker does not know: a new key may hold an id.
fn known(t: &DeTable<'_>, file: &str, table: &str, keys: &[&str]) {
    for key in t.keys() {
        assert!(
            keys.contains(&key.get_ref().as_ref()),
            "{file}: [{table}] has the key `{}`, unknown to tests/rename_support/policy.rs: \
             say whether it holds an id",
            key.get_ref()
        );
    }
}

/// Collects every definition of every file, so references in any file can be
/// renamed afterwards.
pub fn define_all(files: &BTreeMap<String, String>, r: &mut Renames) {
    for (name, text) in files {
        let doc = parse(name, text);
        match name.as_str() {
            "levels.toml" => {
                for level in tables(&doc, "level") {
                    let v = level.get("id").expect("a level id");
                    r.define(Kind::Level, "", &level_id(text, v));
                }
                for q in tables(&doc, "question") {
                    let qid = id(q, "question");
                    r.define(Kind::Question, "", qid);
                    for a in tables(q, "answer") {
                        r.define(Kind::Answer, qid, id(a, "answer"));
                    }
                }
                for c in tables(&doc, "criterion") {
                    r.define(Kind::Criterion, "", id(c, "criterion"));
                }
            }
            "deadlines.toml" => {
                for c in tables(&doc, "condition") {
                    r.define(Kind::Condition, "", id(c, "condition"));
                }
                for e in tables(&doc, "event") {
                    r.define(Kind::Event, "", id(e, "event"));
                }
            }
            "organisation.toml" => {
                for k in tables(&doc, "unit_kind") {
                    r.define(Kind::UnitKind, "", id(k, "unit kind"));
                }
                for u in tables(&doc, "unit") {
                    r.define(Kind::Unit, "", id(u, "unit"));
                }
                for role in tables(&doc, "role") {
                    r.define(Kind::Role, "", id(role, "role"));
                }
            }
            "agencies.toml" => {
                for a in tables(&doc, "agency") {
                    r.define(Kind::Agency, "", id(a, "agency"));
                    if let Some(DeValue::Table(names)) = a.get("name").map(Spanned::get_ref) {
                        for n in names.values() {
                            r.agency_names.insert(string(n).to_owned());
                        }
                    }
                    if let Some(DeValue::Array(aliases)) = a.get("aliases").map(Spanned::get_ref) {
                        for alias in aliases.iter() {
                            r.agency_names.insert(string(alias).to_owned());
                        }
                    }
                }
            }
            "contacts.toml" => {
                for c in tables(&doc, "contact") {
                    r.define(Kind::Contact, "", id(c, "contact"));
                }
            }
            "duties.toml" => {
                for p in tables(&doc, "phase") {
                    r.define(Kind::Phase, "", id(p, "phase"));
                }
                for d in tables(&doc, "duty") {
                    r.define(Kind::Duty, "", id(d, "duty"));
                }
                for i in tables(&doc, "indicator") {
                    r.define(Kind::Indicator, "", id(i, "indicator"));
                }
            }
            "drills.toml" => {
                for d in tables(&doc, "drill") {
                    r.define(Kind::Drill, "", id(d, "drill"));
                }
            }
            "accountability.toml" => {
                for key in ["reward", "penalty", "mitigation"] {
                    for p in tables(&doc, key) {
                        r.define(Kind::Provision, "", id(p, "provision"));
                    }
                }
            }
            "trees.toml" => {
                for t in tables(&doc, "tree") {
                    let tid = id(t, "tree");
                    r.define(Kind::Tree, "", tid);
                    for n in tables(t, "node") {
                        r.define(Kind::Node, tid, id(n, "tree node"));
                    }
                    for o in tables(t, "outcome") {
                        r.define(Kind::Outcome, tid, id(o, "tree outcome"));
                    }
                }
            }
            "notes.toml" => {
                for d in tables(&doc, "decision") {
                    r.define(Kind::Decision, "", id(d, "decision"));
                }
                for i in tables(&doc, "inconsistency") {
                    r.define(Kind::Inconsistency, "", id(i, "inconsistency"));
                }
            }
            "policy.toml" => {}
            other => panic!("policy/{other}: unknown to tests/rename_support/policy.rs"),
        }
    }
}

/// The edits of one file.
struct Editor<'a> {
    text: &'a str,
    renames: &'a Renames,
    edits: Vec<Edit>,
}

impl Editor<'_> {
    /// Replaces a string value with the new id (quoted).
    fn replace(&mut self, v: &Value<'_>, new: &str) {
        let old = &self.text[v.span()];
        assert!(
            old.starts_with('"') || old.starts_with('\''),
            "the span of a string id is its literal: {old}"
        );
        if old[1..old.len() - 1] != *new {
            self.edits.push(Edit {
                range: v.span(),
                text: format!("\"{new}\""),
            });
        }
    }

    fn one(&mut self, t: &DeTable<'_>, key: &str, kind: Kind, scope: &str) {
        if let Some(v) = t.get(key) {
            let new = self.renames.get(kind, scope, string(v)).to_owned();
            self.replace(v, &new);
        }
    }

    fn list(&mut self, t: &DeTable<'_>, key: &str, kind: Kind, scope: &str) {
        match t.get(key).map(Spanned::get_ref) {
            None => {}
            Some(DeValue::Array(items)) => {
                for v in items.iter() {
                    let new = self.renames.get(kind, scope, string(v)).to_owned();
                    self.replace(v, &new);
                }
            }
            Some(other) => panic!("`{key}` holds {other:?}, not a list of ids"),
        }
    }

    fn actor(&mut self, t: &DeTable<'_>, key: &str) {
        if let Some(v) = t.get(key) {
            let new = self.renames.actor(string(v)).to_owned();
            self.replace(v, &new);
        }
    }

    fn actors(&mut self, t: &DeTable<'_>, key: &str) {
        if let Some(DeValue::Array(items)) = t.get(key).map(Spanned::get_ref) {
            for v in items.iter() {
                let new = self.renames.actor(string(v)).to_owned();
                self.replace(v, &new);
            }
        }
    }

    /// A level id as a value (`level = 4`) becomes a string.
    fn level_value(&mut self, v: &Value<'_>) {
        let old = level_id(self.text, v);
        let new = self.renames.get(Kind::Level, "", &old).to_owned();
        if new != old {
            self.edits.push(Edit {
                range: v.span(),
                text: format!("\"{new}\""),
            });
        }
    }

    fn levels(&mut self, t: &DeTable<'_>, key: &str) {
        match t.get(key).map(Spanned::get_ref) {
            None => {}
            Some(DeValue::Array(items)) => {
                for v in items.iter() {
                    self.level_value(v);
                }
            }
            Some(other) => panic!("`{key}` holds {other:?}, not a list of levels"),
        }
    }

    /// A table key that is an id (`within = { 4 = "1h" }`, `when = { leak =
    /// ... }`): written bare, which a slug always may be.
    fn key(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, new: &str) {
        let span = key.span();
        let written = &self.text[span.clone()];
        assert!(
            written == key.get_ref().as_ref()
                || written.trim_matches(|c| c == '"' || c == '\'') == key.get_ref().as_ref(),
            "the span of key `{}` is `{written}`",
            key.get_ref()
        );
        if written != new {
            self.edits.push(Edit {
                range: span,
                text: new.to_owned(),
            });
        }
    }
}

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
                    ],
                );
                ed.one(h, "initial_report", Kind::Event, "");
                ed.one(h, "discovery", Kind::Event, "");
                ed.one(h, "phone_line", Kind::Contact, "");
                ed.one(h, "not_an_incident", Kind::Decision, "");
                ed.list(h, "first_steps", Kind::Event, "");
                ed.one(h, "indicators_tree", Kind::Tree, "");
                ed.one(h, "support_condition", Kind::Condition, "");
                ed.one(h, "portal_down_condition", Kind::Condition, "");
            }
        }
        "levels.toml" => {
            known(&doc, f, "", &["level", "question", "criterion"]);
            for level in tables(&doc, "level") {
                known(level, f, "level", &["id", "name", "summary", "source"]);
                ed.level_value(level.get("id").expect("level id"));
            }
            for q in tables(&doc, "question") {
                known(
                    q,
                    f,
                    "question",
                    &["id", "text", "help", "source", "answer"],
                );
                let qid = id(q, "question");
                ed.one(q, "id", Kind::Question, "");
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
                for (question, answers) in table(c, "when").expect("criterion when") {
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
                ed.one(k, "id", Kind::UnitKind, "");
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
                ed.one(u, "kind", Kind::UnitKind, "");
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

//! The policy half of the rename: which key of which table holds an id (a
//! definition or a reference, and of which kind), mirroring
//! `src/policy/model.rs`.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Edit, Kind, Renames};

mod files;
pub use files::rename_file;

pub(crate) type Value<'a> = Spanned<DeValue<'a>>;

pub(crate) fn parse<'a>(name: &str, text: &'a str) -> DeTable<'a> {
    DeTable::parse(text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_inner()
}

/// The tables of an array of tables (`[[event]]`), none when absent.
pub(crate) fn tables<'a>(t: &'a DeTable<'a>, key: &str) -> Vec<&'a DeTable<'a>> {
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

pub(crate) fn table<'a>(t: &'a DeTable<'a>, key: &str) -> Option<&'a DeTable<'a>> {
    match t.get(key).map(Spanned::get_ref) {
        None => None,
        Some(DeValue::Table(t)) => Some(t),
        Some(other) => panic!("`{key}` holds {other:?}, not a table"),
    }
}

pub(crate) fn string<'a>(v: &'a Value<'a>) -> &'a str {
    match v.get_ref() {
        DeValue::String(s) => s,
        other => panic!("expected a string id, found {other:?}"),
    }
}

/// A level id as written: `4` or `"significant"`.
pub(crate) fn level_id(text: &str, v: &Value<'_>) -> String {
    match v.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(_) => text[v.span()].trim().to_owned(),
        other => panic!("expected a level id, found {other:?}"),
    }
}

pub(crate) fn id<'a>(t: &'a DeTable<'a>, what: &str) -> &'a str {
    string(
        t.get("id")
            .unwrap_or_else(|| panic!("{what} without an id")),
    )
}

/// Fails on a key this walker does not know: a new key may hold an id.
pub(crate) fn known(t: &DeTable<'_>, file: &str, table: &str, keys: &[&str]) {
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
                    r.define(Kind::UnitType, "", id(k, "unit kind"));
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
pub(crate) struct Editor<'a> {
    pub(crate) text: &'a str,
    pub(crate) renames: &'a Renames,
    pub(crate) edits: Vec<Edit>,
}

impl Editor<'_> {
    /// Replaces a string value with the new id (quoted).
    pub(crate) fn replace(&mut self, v: &Value<'_>, new: &str) {
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

    pub(crate) fn one(&mut self, t: &DeTable<'_>, key: &str, kind: Kind, scope: &str) {
        if let Some(v) = t.get(key) {
            let new = self.renames.get(kind, scope, string(v)).to_owned();
            self.replace(v, &new);
        }
    }

    pub(crate) fn list(&mut self, t: &DeTable<'_>, key: &str, kind: Kind, scope: &str) {
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

    pub(crate) fn actor(&mut self, t: &DeTable<'_>, key: &str) {
        if let Some(v) = t.get(key) {
            let new = self.renames.actor(string(v)).to_owned();
            self.replace(v, &new);
        }
    }

    pub(crate) fn actors(&mut self, t: &DeTable<'_>, key: &str) {
        if let Some(DeValue::Array(items)) = t.get(key).map(Spanned::get_ref) {
            for v in items.iter() {
                let new = self.renames.actor(string(v)).to_owned();
                self.replace(v, &new);
            }
        }
    }

    /// A level id as a value (`level = 4`) becomes a string.
    pub(crate) fn level_value(&mut self, v: &Value<'_>) {
        let old = level_id(self.text, v);
        let new = self.renames.get(Kind::Level, "", &old).to_owned();
        if new != old {
            self.edits.push(Edit {
                range: v.span(),
                text: format!("\"{new}\""),
            });
        }
    }

    pub(crate) fn levels(&mut self, t: &DeTable<'_>, key: &str) {
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
    pub(crate) fn key(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, new: &str) {
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

//! The edition of the encoded text: which guideline text the rule set
//! encodes, whether it is dated, and the later rules that change some of it.
//!
//! Compiled from `[edition]` in `policy.toml` so that the handbook, the
//! `compile` JSON and the deadline output can say what they are based on.
//! It must never invent a date: an undated copy says so in its own words.

use serde::Serialize;

use super::{Text, s, text};
use crate::policy;

#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub title: Text,
    /// `YYYY-MM-DD`, when the encoded copy carries a date.
    pub date: Option<String>,
    /// The statement that the copy is undated, in place of `date`.
    pub undated: Option<Text>,
    pub note: Text,
    pub later: Vec<LaterRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaterRule {
    pub name: Text,
    pub since: String,
    pub note: Text,
}

pub fn compile(e: &policy::Edition) -> Edition {
    Edition {
        title: text(&e.title),
        date: e.date.as_ref().map(s),
        undated: e.undated.as_ref().map(text),
        note: text(&e.note),
        later: e
            .later
            .iter()
            .map(|l| LaterRule {
                name: text(&l.name),
                since: s(&l.since),
                note: text(&l.note),
            })
            .collect(),
    }
}

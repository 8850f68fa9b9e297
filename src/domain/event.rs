//! The event graph of `deadlines.toml` as plain specs: an event, its
//! anchor and its duration per level. `check` builds them from the loaded
//! files and walks them; `ruleset` compiles them once more and
//! `ruleset::deadlines::compute` walks them for an incident. This module
//! never computes a time.

use std::collections::BTreeMap;

use serde::Serialize;

use super::LevelId;
use super::duration::Within;

/// Whether the due time is an obligation or the start of a right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Deadline,
    Right,
}

/// An event of the compiled deadline graph.
#[derive(Debug, Clone, Serialize)]
pub struct EventSpec {
    pub id: String,
    pub actor: String,
    pub anchor: Option<String>,
    /// Per level. A level missing here does not have this event.
    pub within: BTreeMap<LevelId, Within>,
    pub kind: EventKind,
    pub when: Option<String>,
    pub after: Vec<String>,
    /// Arises only when the anchor misses its deadline; timed from that
    /// deadline.
    pub if_anchor_missed: bool,
    /// Doing this event also does that one.
    pub counts_as: Option<String>,
    /// A starting event no later than that one, and taken to be it when its
    /// own time is not given.
    pub not_after: Option<String>,
    pub source: String,
}

//! Stage 2: find every problem in a loaded policy.
//!
//! Each rule family lives in its own file and only pushes [`Diagnostic`]s;
//! no rule prints, stops early, or changes the policy. [`run`] runs them all,
//! then lets acknowledged inconsistencies in `notes.toml` accept the
//! diagnostics they name. A policy with no errors left can be compiled by
//! `ruleset`, which relies on what these rules guarantee (every reference
//! resolves, no cycles, durations parse).

mod calendar;
mod classification;
mod contact_source;
mod contacts;
mod deadlines;
mod edition;
mod event_timing;
mod ids;
pub mod language;
mod notes;
mod org;
mod references;
mod roles;
mod schema;
pub mod specs;
mod trees;

pub use ids::Index;

use toml::Spanned;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::policy::{FileId, Loaded, Span};

/// Every rule id, with its summary and help text: the registry lives with
/// the diagnostics (so chapter and template rules are in it too); adding a
/// rule is one line there and one row in docs/policy.md.
pub use crate::diagnostics::rules::RULES;

/// The outcome of checking: the diagnostics (sorted) and the index of ids
/// that `ruleset` compiles from.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub index: Index,
    /// Diagnostics accepted by an acknowledgement, kept so the rule set can
    /// show them as known inconsistencies.
    pub acknowledged: Vec<(String, Diagnostic)>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        diagnostics::counts(&self.diagnostics).0
    }

    pub fn warnings(&self) -> usize {
        diagnostics::counts(&self.diagnostics).1
    }
}

/// Runs every rule over a loaded policy.
pub fn run(loaded: &Loaded) -> Checked {
    let mut out = loaded.diagnostics.clone();
    let index = ids::build(&loaded.policy, &mut out);
    schema::check(&loaded.policy, &mut out);
    language::check(&loaded.policy, &mut out);
    references::check(&loaded.policy, &index, &mut out);
    roles::check(&loaded.policy, &index, &mut out);
    // The graph and classification rules need every reference they follow to
    // resolve; where one does not, they would only repeat that error.
    deadlines::check(&loaded.policy, &index, &mut out);
    event_timing::check(&loaded.policy, &index, &mut out);
    edition::check(&loaded.policy, &mut out);
    classification::check(&loaded.policy, &index, &mut out);
    org::check(&loaded.policy, &index, &mut out);
    contacts::check(&loaded.policy, &mut out);
    contact_source::check(&loaded.policy, &mut out);
    calendar::check(&loaded.policy, &mut out);
    trees::check(&loaded.policy, &index, &mut out);
    let acknowledged = notes::apply(&loaded.policy, &mut out);
    diagnostics::sort(&mut out, &loaded.sources);
    Checked {
        diagnostics: out,
        index,
        acknowledged,
    }
}

/// Treats warnings as errors (`--deny-warnings`).
pub fn deny_warnings(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        d.severity = Severity::Error;
    }
}

/// The span of a spanned value in a file.
pub(crate) fn span_of<T>(file: FileId, value: &Spanned<T>) -> Span {
    Span::new(file, value.span())
}

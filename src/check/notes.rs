//! Acknowledgements: an `[[inconsistency]]` in `notes.toml` may accept the
//! warnings of one rule about one subject, because the guideline itself says
//! so. Errors cannot be acknowledged. Accepted diagnostics leave the report but are kept for the rule
//! set; an acknowledgement that accepts nothing is itself reported, so a
//! fixed inconsistency cannot leave a stale excuse behind.

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule, Severity};
use crate::policy::Policy;

pub fn apply(policy: &Policy, out: &mut Vec<Diagnostic>) -> Vec<(String, Diagnostic)> {
    let mut accepted = Vec::new();
    let Some(n) = &policy.notes else {
        // notes.toml did not load (its error is reported): any warning
        // might be one it acknowledges, so reporting them would only be
        // noise caused by that error. They come back once the file loads.
        out.retain(|d| d.severity == Severity::Error);
        return accepted;
    };
    for note in &n.value.inconsistency {
        let Some(ack) = &note.acknowledges else {
            continue;
        };
        let rule = ack.rule.get_ref();
        let subject = ack.subject.get_ref();
        let before = out.len();
        let mut kept = Vec::with_capacity(out.len());
        for d in out.drain(..) {
            // Only warnings can be accepted: an error means the rule set
            // would be wrong, and no note can make it right.
            if d.severity == Severity::Warning
                && d.rule == rule.as_str()
                && d.subject.as_deref() == Some(subject.as_str())
            {
                accepted.push((note.id.get_ref().clone(), d));
            } else {
                kept.push(d);
            }
        }
        *out = kept;
        // With errors present some rules did not run (or ran on part of the
        // policy), so "nothing matched" would be a false alarm.
        let has_errors = out.iter().any(|d| d.severity == Severity::Error);
        if out.len() == before && !has_errors {
            out.push(
                Diagnostic::warning(
                    Rule::Acknowledgement,
                    format!(
                        "`{}` acknowledges `{rule}` about `{subject}`, but check reports no such problem",
                        note.id.get_ref()
                    ),
                )
                .at(span_of(n.file, &ack.subject), "nothing to acknowledge")
                .hint("the inconsistency may be fixed: remove `acknowledges`, or correct the rule or subject")
                .subject(note.id.get_ref().clone()),
            );
        }
    }
    accepted
}

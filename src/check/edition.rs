//! `schema` for `[edition]` in `policy.toml`: the encoded text is either
//! dated (`date = "YYYY-MM-DD"`, a real calendar date) or says it is undated,
//! never both or neither; a later rule's `since` is a year or a date; every
//! text has the declared language. It only reads the policy.

use chrono::NaiveDate;

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::Policy;

pub fn check(policy: &Policy, out: &mut Vec<Diagnostic>) {
    let Some(meta) = &policy.meta else { return };
    let f = meta.file;
    let e = &meta.value.edition;
    let lang = super::language::declared(policy);
    super::schema::text(f, lang, &e.title, out);
    super::schema::text(f, lang, &e.note, out);
    match (&e.date, &e.undated) {
        (Some(date), Some(_)) => out.push(
            Diagnostic::error(Rule::Schema, "`[edition]` has both `date` and `undated`")
                .at(span_of(f, date), "dated here")
                .hint("keep `date` when the text carries one, `undated` when it does not"),
        ),
        (None, None) => out.push(
            Diagnostic::error(Rule::Schema, "`[edition]` says neither `date` nor `undated`")
                .at(span_of(f, &e.title), "which text, of when?")
                .hint(format!("add date = \"YYYY-MM-DD\" from the text, or undated = {{ {} = \"...\" }} saying it carries no date", lang.unwrap_or("<language>"))),
        ),
        _ => {}
    }
    if let Some(date) = &e.date
        && NaiveDate::parse_from_str(date.get_ref(), "%Y-%m-%d").is_err()
    {
        out.push(
            Diagnostic::error(Rule::Schema, format!("`{}` is not a date", date.get_ref()))
                .at(span_of(f, date), "expected YYYY-MM-DD")
                .hint("write the date the text carries, such as \"2019-01-01\""),
        );
    }
    if let Some(u) = &e.undated {
        super::schema::text(f, lang, u, out);
    }
    for l in &e.later {
        super::schema::text(f, lang, &l.name, out);
        super::schema::text(f, lang, &l.note, out);
        let since = l.since.get_ref();
        let year = since.len() == 4 && since.chars().all(|c| c.is_ascii_digit());
        if !year && NaiveDate::parse_from_str(since, "%Y-%m-%d").is_err() {
            out.push(
                Diagnostic::error(Rule::Schema, format!("`{since}` is not a year or a date"))
                    .at(span_of(f, &l.since), "expected YYYY or YYYY-MM-DD")
                    .hint("write when the rule took effect, such as \"2019\" or \"2019-01-01\""),
            );
        }
    }
}

//! `contact-format`: phone and fax numbers, e-mail addresses and URLs must be
//! usable as written, because staff dial and click them under stress.
//!
//! Phone and fax numbers are read by the `phonenumber` crate
//! (`domain::phone`) for the policy's `country` (policy.toml): national
//! format for that country, or international with `+`. On top of that a
//! number may hold only what people dial or group digits with (digits,
//! spaces, `-`, `.`, `(`, `)`, a leading `+`), so a note pasted into the
//! value (which the crate would skip) is still an error. E-mail and URL
//! shapes are narrow on purpose (https only) and a few lines each.
//! `country-unknown`-style problems with the key itself are `schema` errors
//! here too, at the key, so one bad code is reported once and the numbers
//! are not judged against a guess.

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::phone;
use crate::policy::Policy;

/// Only characters people dial or group digits with, and at most a
/// leading `+`.
fn dialable(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || "()-. +".contains(c))
        && s.matches('+').count() <= usize::from(s.trim_start().starts_with('+'))
}

/// A number usable in `region`: dialable characters, and valid for the
/// crate nationally or internationally.
pub fn valid_phone(region: phonenumber::country::Id, s: &str) -> bool {
    dialable(s) && phone::parse(region, s).is_some()
}

pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && valid_host(domain)
}

fn valid_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

pub fn valid_https_url(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    valid_host(host) && !s.chars().any(|c| c.is_whitespace())
}

pub fn check(policy: &Policy, out: &mut Vec<Diagnostic>) {
    // The region phone numbers are read in; `None` when policy.toml did not
    // load or names no country the crate knows (reported here, once).
    let region = policy.meta.as_ref().and_then(|m| {
        let country = &m.value.country;
        let region = phone::region(country.get_ref());
        if region.is_none() {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    format!("unknown country `{}`", country.get_ref()),
                )
                .at(span_of(m.file, country), "not a region phone numbers know")
                .hint("write an ISO 3166-1 alpha-2 code in capitals, such as \"TW\" or \"BE\": the country whose national format the policy's phone numbers use"),
            );
        }
        region
    });
    let Some(c) = &policy.contacts else { return };
    for contact in &c.value.contact {
        let value = contact.value.get_ref();
        let (ok, expected, hint) = match contact.kind.get_ref().as_str() {
            "phone" | "fax" => {
                let Some(region) = region else { continue };
                let country = region.as_ref();
                let hint = match phone::example(region) {
                    Some(example) => format!(
                        "write the number as dialled within {country} (the `country` of policy.toml), such as \"{example}\", or internationally starting with +"
                    ),
                    None => format!(
                        "write the number as dialled within {country} (the `country` of policy.toml), or internationally starting with +"
                    ),
                };
                (valid_phone(region, value), "a phone number", hint)
            }
            "email" => (
                valid_email(value),
                "an e-mail address",
                "write it as name@example.gov.tw".to_owned(),
            ),
            "url" => (
                valid_https_url(value),
                "an https URL",
                "write the full address starting with https:// (plain http can be tampered with)"
                    .to_owned(),
            ),
            _ => continue, // `schema` reports an unknown kind
        };
        if !ok {
            out.push(
                Diagnostic::error(
                    Rule::ContactFormat,
                    format!(
                        "contact `{}`: `{value}` is not {expected}",
                        contact.id.get_ref()
                    ),
                )
                .at(
                    span_of(c.file, &contact.value),
                    format!("expected {expected}"),
                )
                .hint(hint)
                .subject(contact.id.get_ref().clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let tw = phone::region("TW").expect("known");
        assert!(valid_phone(tw, "(02)2733-9922"));
        assert!(valid_phone(tw, "02-2733-1655"));
        assert!(valid_phone(tw, "0912-345-678"));
        assert!(valid_phone(tw, "+886-2-2733-9922"));
        assert!(valid_phone(tw, "+32 2 793 02 00"));
        assert!(!valid_phone(tw, "2733-9922"));
        assert!(!valid_phone(tw, "(02)2733-99x2"));
        assert!(!valid_phone(tw, "(02)2733-9922（24 小時專線）"));
        assert!(!valid_phone(tw, "886+2-2733-9922"));
        let be = phone::region("BE").expect("known");
        assert!(valid_phone(be, "02 793 02 00"));
        assert!(!valid_phone(be, "(02)2733-9922"));
    }

    #[test]
    fn emails_and_urls() {
        assert!(valid_email("service@icst.org.tw"));
        assert!(!valid_email("service.icst.org.tw"));
        assert!(!valid_email("a@b"));
        assert!(valid_https_url("https://www.ncert.nat.gov.tw"));
        assert!(valid_https_url("https://www.ncert.nat.gov.tw/path?q=1"));
        assert!(!valid_https_url("http://www.ncert.nat.gov.tw"));
        assert!(!valid_https_url("https://"));
    }
}

//! `contact-source`: every contact either cites where its value comes from
//! (`value_from`) or says it is a stand-in (`placeholder = true`), never both
//! and never neither, so that a reader can trust every number the handbook
//! offers as a link, and a placeholder can never reach a stranger.
//!
//! A placeholder's e-mail or web address must use a domain reserved for
//! examples (RFC 2606, RFC 6761): a copied stand-in then bounces instead of
//! mailing someone. Telephone numbers have no such reserved range, so a
//! placeholder number is only format-checked (`contact-format`); the site
//! never makes any placeholder a link. A `value_from` that is a guideline
//! section is checked like every `source` (`schema`); one that is a page
//! must be an `https://` address.

use super::contacts::{valid_email, valid_https_url};
use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{Contact, FileId, Policy};

/// Second-level domains and top-level domains reserved for examples and
/// tests: RFC 2606 §2-3 and RFC 6761 §6.
const RESERVED_SECOND_LEVEL: [&str; 3] = ["example.com", "example.net", "example.org"];
const RESERVED_TOP_LEVEL: [&str; 3] = ["example", "invalid", "test"];

/// Whether `host` is, or lies under, a domain reserved for examples.
pub fn reserved_domain(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    RESERVED_SECOND_LEVEL.iter().any(|d| under(d)) || RESERVED_TOP_LEVEL.iter().any(|d| under(d))
}

/// The host a placeholder e-mail or URL would reach, if the kind has one.
fn host_of<'a>(kind: &str, value: &'a str) -> Option<&'a str> {
    match kind {
        "email" => value.rsplit_once('@').map(|(_, d)| d),
        "url" => value
            .strip_prefix("https://")
            .and_then(|rest| rest.split(['/', '?', '#']).next())
            .and_then(|h| h.split(':').next()),
        _ => None,
    }
}

pub fn check(policy: &Policy, out: &mut Vec<Diagnostic>) {
    let Some(c) = &policy.contacts else { return };
    for contact in &c.value.contact {
        one(c.file, contact, out);
    }
}

fn one(f: FileId, contact: &Contact, out: &mut Vec<Diagnostic>) {
    let id = contact.id.get_ref();
    let placeholder = contact.placeholder.as_ref().filter(|p| *p.get_ref());
    match (placeholder, &contact.value_from) {
        (None, None) => out.push(
            Diagnostic::error(
                Rule::ContactSource,
                format!("contact `{id}` does not say where its value comes from"),
            )
            .at(span_of(f, &contact.value), "no `value_from` and not a placeholder")
            .hint("add `value_from` with the public page that lists this value (`https://…`) or the guideline section that prints it; if no public value can be cited, mark it `placeholder = true`")
            .subject(id.clone()),
        ),
        (Some(p), Some(_)) => out.push(
            Diagnostic::error(
                Rule::ContactSource,
                format!("contact `{id}` is a placeholder but cites where its value comes from"),
            )
            .at(span_of(f, p), "a placeholder has no source")
            .hint("a cited value is real: remove `placeholder`; or remove `value_from` if the value is a stand-in")
            .subject(id.clone()),
        ),
        (Some(_), None) => {
            let kind = contact.kind.get_ref();
            let value = contact.value.get_ref();
            // A malformed value is `contact-format`'s to report.
            let well_formed = match kind.as_str() {
                "email" => valid_email(value),
                "url" => valid_https_url(value),
                _ => false,
            };
            if well_formed
                && let Some(host) = host_of(kind, value)
                && !reserved_domain(host)
            {
                out.push(
                    Diagnostic::error(
                        Rule::ContactSource,
                        format!("placeholder `{id}` uses `{host}`, a domain that may belong to someone"),
                    )
                    .at(span_of(f, &contact.value), "not a domain reserved for examples")
                    .hint("write the stand-in on a reserved domain (`name@authority.example`, `https://status.example.com`: RFC 2606), or cite the real value with `value_from`")
                    .subject(id.clone()),
                );
            }
        }
        (None, Some(from)) => {
            // A section is `schema`'s to check, like every `source`.
            let from_text = from.get_ref().trim();
            if from_text.starts_with("http") && !valid_https_url(from_text) {
                out.push(
                    Diagnostic::error(
                        Rule::ContactSource,
                        format!("contact `{id}`: `{from_text}` is not an https page address"),
                    )
                    .at(span_of(f, from), "expected a full https:// address or a guideline section")
                    .hint("cite the public page that lists the value by its https:// address (plain http can be tampered with)")
                    .subject(id.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_domains() {
        assert!(reserved_domain("example.com"));
        assert!(reserved_domain("status.example.com"));
        assert!(reserved_domain("authority.example"));
        assert!(reserved_domain("x.invalid"));
        assert!(reserved_domain("Example.ORG."));
        assert!(!reserved_domain("ccb.belgium.be"));
        assert!(!reserved_domain("notexample.com"));
        assert!(!reserved_domain("example.com.evil.be"));
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("email", "a@b.example"), Some("b.example"));
        assert_eq!(
            host_of("url", "https://status.example.com:8443/x?y"),
            Some("status.example.com")
        );
        assert_eq!(host_of("phone", "+32 2 501 05 60"), None);
    }
}

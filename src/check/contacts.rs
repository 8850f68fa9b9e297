//! `contact-format`: phone and fax numbers, e-mail addresses and URLs must be
//! usable as written, because staff dial and click them under stress.
//!
//! Hand-written rather than a validation crate: the accepted shapes are
//! narrow on purpose (Taiwan numbers, https only) and a few lines each.

use super::span_of;
use crate::diagnostics::Diagnostic;
use crate::policy::Policy;

/// `(02)2733-9922`, `02-2733-9922`, `0912-345-678`, `+886-2-2733-9922`.
pub fn valid_phone(s: &str) -> bool {
    if !s.chars().all(|c| c.is_ascii_digit() || "()-+ ".contains(c)) {
        return false;
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let balanced = s.matches('(').count() == s.matches(')').count() && s.matches('(').count() <= 1;
    let plus_ok = !s.contains('+') || (s.starts_with('+') && s.matches('+').count() == 1);
    let local = s.starts_with('0') || s.starts_with('(');
    let length_ok = if s.starts_with('+') {
        (8..=15).contains(&digits.len())
    } else {
        local && (9..=10).contains(&digits.len()) && digits.starts_with('0')
    };
    balanced && plus_ok && length_ok
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
    let Some(c) = &policy.contacts else { return };
    for contact in &c.value.contact {
        let value = contact.value.get_ref();
        let (ok, expected, hint) = match contact.kind.get_ref().as_str() {
            "phone" | "fax" => (
                valid_phone(value),
                "a phone number",
                "write a Taiwan number such as \"(02)2733-9922\" or \"+886-2-2733-9922\"",
            ),
            "email" => (
                valid_email(value),
                "an e-mail address",
                "write it as name@example.gov.tw",
            ),
            "url" => (
                valid_https_url(value),
                "an https URL",
                "write the full address starting with https:// (plain http can be tampered with)",
            ),
            _ => continue, // `schema` reports an unknown kind
        };
        if !ok {
            out.push(
                Diagnostic::error(
                    "contact-format",
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
        assert!(valid_phone("(02)2733-9922"));
        assert!(valid_phone("02-2733-1655"));
        assert!(valid_phone("0912-345-678"));
        assert!(valid_phone("+886-2-2733-9922"));
        assert!(!valid_phone("2733-9922"));
        assert!(!valid_phone("(02)2733-99x2"));
        assert!(!valid_phone("((02)2733-9922"));
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

//! Phone and fax numbers, read with the `phonenumber` crate (Google's
//! libphonenumber metadata) for the region the policy declares
//! (`country = "TW"` in policy.toml): a number written in that country's
//! national format (`(02)2733-9922`) or internationally with `+`.
//!
//! `check` (`contact-format`) asks [`parse`] whether a number is usable and
//! [`example`] for its hint; `compile` asks [`contact_href`] for the link
//! and [`contact_number`] for the number a vCard carries.
//! The number a reader sees stays as the policy writes it; only the link is
//! normalised. This module must never know a country's rules itself.

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

/// The region of a policy's `country` code (ISO 3166-1 alpha-2, as the
/// crate's metadata knows it), or `None` for a code it does not know.
pub fn region(country: &str) -> Option<Id> {
    // The crate also knows non-geographic ids ("001"); a policy names a
    // country.
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    country.parse().ok()
}

/// The number, when it is a valid number written internationally with `+`,
/// or nationally for `region` with exactly the digits of the region's
/// national format (its trunk prefix included: `2733-9922` without the
/// area code's `0` would be read by the crate as another number).
pub fn parse(region: Id, value: &str) -> Option<PhoneNumber> {
    let number = phonenumber::parse(Some(region), value).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let national = number.format().mode(Mode::National).to_string();
    let as_written = value.trim_start().starts_with('+') || digits(value) == digits(&national);
    as_written.then_some(number)
}

/// An example fixed-line number of the region in its national format, as
/// the crate formats it (`02 2123 4567`), for hints.
pub fn example(region: Id) -> Option<String> {
    let meta = phonenumber::metadata::DATABASE.by_id(region.as_ref())?;
    let digits = meta.descriptors().fixed_line()?.example()?;
    let number = phonenumber::parse(Some(region), digits).ok()?;
    Some(number.format().mode(Mode::National).to_string())
}

/// A phone or fax number in E.164 (`+886227339922`), which dials from any
/// phone, a foreign SIM included, and is what a vCard carries. A number
/// that does not parse (only a rule set `check` refused could hold one)
/// keeps its digits (and `+`) as written.
pub fn e164(value: &str, country: &str) -> String {
    match region(country).and_then(|r| parse(r, value)) {
        Some(number) => number.format().mode(Mode::E164).to_string(),
        None => value
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
    }
}

/// The number a contact of `kind` carries in a vCard: [`e164`] for a phone
/// or a fax, `None` for an e-mail or web address.
pub fn contact_number(kind: &str, value: &str, country: &str) -> Option<String> {
    matches!(kind, "phone" | "fax").then(|| e164(value, country))
}

/// The link for a contact: for a phone a global `tel:` number (RFC 3966,
/// [`e164`]); `mailto:` for an e-mail address; the URL itself for a web
/// address. A fax number is no link: a reader who taps it starts a phone
/// call to a fax machine.
pub fn contact_href(kind: &str, value: &str, country: &str) -> Option<String> {
    match kind {
        "phone" => Some(format!("tel:{}", e164(value, country))),
        "fax" => None,
        "email" => Some(format!("mailto:{value}")),
        _ => Some(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_numbers_for_the_region() {
        let tw = region("TW").expect("known");
        for ok in [
            "(02)2733-9922",
            "02-2733-1655",
            "0912-345-678",
            "+886-2-2733-9922",
        ] {
            assert!(parse(tw, ok).is_some(), "{ok}");
        }
        for bad in ["2733-9922", "(02)2733-99x2", "02-27", "hello"] {
            assert!(parse(tw, bad).is_none(), "{bad}");
        }
        let be = region("BE").expect("known");
        assert!(parse(be, "02 793 02 00").is_some());
        assert!(parse(be, "+32 2 793 02 00").is_some());
        // A Taiwanese national number is not Belgian.
        assert!(parse(be, "(02)2733-9922").is_none());
        assert!(region("XX").is_none());
        assert!(region("tw").is_none());
        assert!(region("001").is_none());
    }

    #[test]
    fn links_are_e164_whatever_the_written_form() {
        let href = |kind, value, country| contact_href(kind, value, country);
        assert_eq!(
            href("phone", "(02)2733-9922", "TW").as_deref(),
            Some("tel:+886227339922")
        );
        assert_eq!(
            href("phone", "+886-2-2733-9922", "TW").as_deref(),
            Some("tel:+886227339922")
        );
        assert_eq!(
            href("phone", "02 793 02 00", "BE").as_deref(),
            Some("tel:+3227930200")
        );
        assert_eq!(
            href("email", "a@example.org", "TW").as_deref(),
            Some("mailto:a@example.org")
        );
        assert_eq!(
            href("url", "https://example.org/", "TW").as_deref(),
            Some("https://example.org/")
        );
    }

    #[test]
    fn a_fax_is_no_link_but_keeps_its_e164_number() {
        assert_eq!(contact_href("fax", "(02)2733-1655", "TW"), None);
        assert_eq!(e164("(02)2733-1655", "TW"), "+886227331655");
        assert_eq!(e164("+32 2 793 02 00", "BE"), "+3227930200");
        assert_eq!(
            contact_number("fax", "(02)2733-1655", "TW").as_deref(),
            Some("+886227331655")
        );
        assert_eq!(contact_number("email", "a@example.org", "TW"), None);
    }

    #[test]
    fn examples_are_formatted_by_the_crate() {
        let tw = example(region("TW").expect("known")).expect("example");
        assert!(tw.starts_with('0'), "{tw}");
        assert!(parse(region("TW").expect("known"), &tw).is_some(), "{tw}");
    }
}

//! Phone and fax numbers, read with the `phonenumber` crate (Google's
//! libphonenumber metadata) for the region the policy declares
//! (`country = "TW"` in policy.toml): a number written in that country's
//! national format (`(02)2733-9922`) or internationally with `+`.
//!
//! `check` (`contact-format`) asks [`parse`] whether a number is usable and
//! [`example`] for its hint; `compile` asks [`contact_href`] for the link.
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

/// The link for a contact: for a phone a global `tel:` number (RFC 3966)
/// in E.164, which dials from any phone, a foreign SIM included;
/// `mailto:` for an e-mail address; the URL itself otherwise. A number that
/// does not parse (only a rule set `check` refused could hold one) links
/// its digits as written.
pub fn contact_href(kind: &str, value: &str, country: &str) -> String {
    match kind {
        "phone" | "fax" => match region(country).and_then(|r| parse(r, value)) {
            Some(number) => format!("tel:{}", number.format().mode(Mode::E164)),
            None => format!(
                "tel:{}",
                value
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect::<String>()
            ),
        },
        "email" => format!("mailto:{value}"),
        _ => value.to_owned(),
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
        assert_eq!(
            contact_href("phone", "(02)2733-9922", "TW"),
            "tel:+886227339922"
        );
        assert_eq!(
            contact_href("phone", "+886-2-2733-9922", "TW"),
            "tel:+886227339922"
        );
        assert_eq!(
            contact_href("phone", "02 793 02 00", "BE"),
            "tel:+3227930200"
        );
        assert_eq!(
            contact_href("email", "a@example.org", "TW"),
            "mailto:a@example.org"
        );
    }

    #[test]
    fn examples_are_formatted_by_the_crate() {
        let tw = example(region("TW").expect("known")).expect("example");
        assert!(tw.starts_with('0'), "{tw}");
        assert!(parse(region("TW").expect("known"), &tw).is_some(), "{tw}");
    }
}

//! `schema` for `language` in `policy.toml`: the language the handbook is
//! written in. It must be declared and be a BCP 47 tag, because every text
//! must have it (see `schema::text`) and the site picks its interface text
//! (`locales/<language>.toml`) by it. This module only reads the policy.

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::Policy;

/// Whether `tag` is a language tag as BCP 47 writes them: a primary subtag
/// of two or three lowercase letters, then subtags of ASCII letters and
/// digits joined by `-` (`zh-TW`, `en`, `pt-BR`). Nothing else can become a
/// locale file name, so a tag can never name a path.
pub fn is_language_tag(tag: &str) -> bool {
    tag.split('-').enumerate().all(|(i, part)| {
        !part.is_empty()
            && part.len() <= 8
            && part.chars().all(|c| c.is_ascii_alphanumeric())
            && (i > 0
                || (2..=3).contains(&part.len()) && part.chars().all(|c| c.is_ascii_lowercase()))
    })
}

/// The declared language, when it is declared and a valid tag; `None`
/// otherwise ([`check`] reports why).
pub fn declared(policy: &Policy) -> Option<&str> {
    let tag = policy.meta.as_ref()?.value.language.as_ref()?.get_ref();
    is_language_tag(tag).then_some(tag.as_str())
}

pub fn check(policy: &Policy, out: &mut Vec<Diagnostic>) {
    let Some(meta) = &policy.meta else { return };
    match &meta.value.language {
        None => out.push(
            Diagnostic::error(Rule::Schema, "policy.toml declares no `language`")
                .at(span_of(meta.file, &meta.value.timezone), "declare the language after this line")
                .hint("add language = \"zh-TW\" (a BCP 47 tag) after `timezone`: every text must have it, and it selects the theme's locales/<language>.toml"),
        ),
        Some(tag) if !is_language_tag(tag.get_ref()) => out.push(
            Diagnostic::error(Rule::Schema, format!("`{}` is not a language tag", tag.get_ref()))
                .at(span_of(meta.file, tag), "not a BCP 47 tag")
                .hint("use a BCP 47 tag such as \"zh-TW\" or \"en\""),
        ),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::is_language_tag;

    #[test]
    fn language_tags() {
        for ok in ["zh-TW", "en", "pt-BR", "zh-Hant-TW", "gsw"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "EN",
            "e",
            "zh_TW",
            "zh-",
            "../en",
            "en/x",
            "zh-TW.toml",
            "english",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}

//! `content-link`: chapter links and images must not run code.
//!
//! A `javascript:` link in a chapter would run in every reader's browser
//! when clicked; `data:` and `vbscript:` URLs can do the same. Browsers find
//! the scheme after dropping leading spaces and control characters and every
//! tab or newline, and compare it case-insensitively; this check does the
//! same, on the destinations pulldown-cmark resolves (inline, reference and
//! autolinks, images; entities and escapes already decoded). It must never
//! rewrite a link: a refused link is an error the author fixes.

use pulldown_cmark::{Event, Parser, Tag};

use super::Page;
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::Span;

/// Schemes a chapter link or image may not use.
pub const FORBIDDEN_SCHEMES: &[&str] = &["javascript", "data", "vbscript"];

/// The forbidden scheme a URL uses, read the way a browser reads it.
pub fn forbidden_scheme(url: &str) -> Option<&'static str> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    FORBIDDEN_SCHEMES
        .iter()
        .copied()
        .find(|s| s.eq_ignore_ascii_case(scheme))
}

/// Reports every link or image of a chapter with a forbidden scheme.
pub fn check(page: &Page, text: &str, out: &mut Vec<Diagnostic>) {
    let body = &text[page.body_start.min(text.len())..];
    for (event, range) in Parser::new_ext(body, super::markdown_options()).into_offset_iter() {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        let Some(scheme) = forbidden_scheme(&dest_url) else {
            continue;
        };
        let start = page.body_start + range.start;
        out.push(
            Diagnostic::error(
                Rule::ContentLink,
                format!("a chapter link uses the `{scheme}:` scheme"),
            )
            .at(Span::new(page.file, start..page.body_start + range.end), "runs code when opened")
            .hint("link to a page (https://, mailto:, tel: or a relative path); chapters may not run scripts or embed data URLs"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_like_browsers_read_them() {
        assert_eq!(forbidden_scheme("javascript:alert(1)"), Some("javascript"));
        assert_eq!(forbidden_scheme("  \u{1}JaVaScRiPt:x"), Some("javascript"));
        assert_eq!(forbidden_scheme("java\tscr\nipt:x"), Some("javascript"));
        assert_eq!(forbidden_scheme("DATA:text/html,x"), Some("data"));
        assert_eq!(forbidden_scheme("vbscript:x"), Some("vbscript"));
        assert_eq!(forbidden_scheme("https://example.org/javascript:"), None);
        assert_eq!(forbidden_scheme("../chapters/a.html"), None);
        assert_eq!(forbidden_scheme("mailto:a@b.tw"), None);
    }
}

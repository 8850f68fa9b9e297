//! Markdown rendering of chapters (after their shortcodes are replaced):
//! tables, footnotes, heading anchors that keep the heading's own words, and
//! wide tables in keyboard-reachable regions. Raw HTML in a chapter is shown
//! as text, never passed through: chapters are data. The words it adds (a
//! table's accessible name) are the locale's ([`Words`]). This module must
//! never look at the rule set.

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::words::Words;

/// A heading of a rendered chapter, for the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Rendered Markdown.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// The text without markup, for search.
    pub plain: String,
}

/// An anchor that keeps the heading's own words (Chinese stays Chinese):
/// letters and digits of any script, spaces become `-`.
pub fn anchor(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() { "section".into() } else { id }
}

/// The Markdown extensions chapters use; checks parse with the same ones.
pub(super) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown with tables, footnotes and heading anchors. Raw HTML in
/// a chapter is shown as text, never passed through: chapters are data.
pub fn render(markdown: &str, words: &Words) -> Rendered {
    render_with_prefix(markdown, "", words)
}

/// As [`render`], with every heading id prefixed, so several chapters can
/// share one page (the print version) without clashing ids.
pub fn render_with_prefix(markdown: &str, prefix: &str, words: &Words) -> Rendered {
    let events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
    let mut headings = Vec::new();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut out_events = Vec::with_capacity(events.len());
    let mut plain = String::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let base = id
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| anchor(&text));
                let n = used.entry(base.clone()).or_insert(0);
                *n += 1;
                let unique = if *n == 1 {
                    format!("{prefix}{base}")
                } else {
                    format!("{prefix}{base}-{n}")
                };
                headings.push(Heading {
                    level: heading_number(*level),
                    id: unique.clone(),
                    text,
                });
                out_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Html(h) | Event::InlineHtml(h) => out_events.push(Event::Text(h.clone())),
            Event::Start(Tag::Table(_)) => {
                // Wide tables scroll inside their box on a phone; the box
                // must be reachable by keyboard even without JavaScript.
                let mut headers: Vec<String> = Vec::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::TableHead)) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        headers.push(t.to_string());
                    }
                    j += 1;
                }
                let label = words.table(&headers);
                out_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
                    escape_attr(&label)
                ))));
                out_events.push(events[i].clone());
            }
            Event::End(TagEnd::Table) => {
                out_events.push(events[i].clone());
                out_events.push(Event::Html(CowStr::from("</div>")));
            }
            other => out_events.push(other.clone()),
        }
        if let Event::Text(t) | Event::Code(t) = &events[i] {
            plain.push_str(t);
        }
        if matches!(
            events[i],
            Event::End(_) | Event::SoftBreak | Event::HardBreak
        ) {
            plain.push(' ');
        }
        i += 1;
    }
    let mut html_out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut html_out, out_events.into_iter());
    Rendered {
        html: html_out,
        headings,
        plain,
    }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_keep_chinese() {
        assert_eq!(anchor("第一個小時 要做的事"), "第一個小時-要做的事");
        assert_eq!(anchor("Step 1: Call"), "step-1-call");
        assert_eq!(anchor("（）"), "section");
    }

    #[test]
    fn renders_tables_footnotes_and_escapes_html() {
        let r = render(
            "# 標題\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n文字[^1]\n\n[^1]: 註\n\n<script>x</script>\n",
            &Words::for_tests(),
        );
        assert!(r.html.contains("<h1 id=\"標題\">"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("aria-label=\"表格：a、b\""), "{}", r.html);
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<script>"));
        assert_eq!(r.headings[0].id, "標題");
    }
}

//! rustc-style text for people: the message, the file and position, the
//! snippet with the problem underlined, and a hint.
//!
//! miette draws the snippet; it measures characters by display width, so the
//! underline stays under the right character in lines full of CJK text.

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MietteSeverity};

use super::snippet::{FileSource, Snippet};
use super::{Diagnostic, Locator, Severity};
use crate::policy::SourceMap;

/// Renders every diagnostic, then a summary line. Never uses colour, so the
/// text is the same in a terminal, a log file and a snapshot.
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false);
    let locator = Locator::new(sources);
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_one(d, sources, &locator, &handler));
        out.push('\n');
    }
    let (errors, warnings) = super::counts(diagnostics);
    let _ = writeln!(out, "{}", summary(errors, warnings));
    out
}

/// The closing line of a run, in the same words for `check` and `build`.
pub fn summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => "policy ok: no errors, no warnings".to_owned(),
        (e, w) => format!(
            "{} {}, {} {}",
            e,
            if e == 1 { "error" } else { "errors" },
            w,
            if w == 1 { "warning" } else { "warnings" }
        ),
    }
}

fn render_one(
    d: &Diagnostic,
    sources: &SourceMap,
    locator: &Locator,
    handler: &GraphicalReportHandler,
) -> String {
    let loc = d.location_in(sources, locator);
    let mut header = format!("{}[{}]: {}", d.severity.as_str(), d.rule, d.message);
    let Some(span) = &d.span else {
        if let Some(file) = &loc.file {
            let _ = write!(header, "\n  --> {file}");
        }
        if let Some(hint) = &d.hint {
            let _ = write!(header, "\n  help: {hint}");
        }
        header.push('\n');
        return header;
    };
    let (text, line_starts) = locator.file(span.file);
    let _ = write!(
        header,
        "\n  --> {}:{}:{}",
        loc.file.as_deref().unwrap_or(""),
        loc.line,
        loc.column
    );

    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(d.label.clone()).filter(|l| !l.is_empty()),
        clamp(span.range.clone(), text.len()),
    )];
    let mut elsewhere = Vec::new();
    for rel in &d.related {
        if rel.span.file == span.file {
            labels.push(LabeledSpan::new_with_span(
                Some(rel.label.clone()),
                clamp(rel.span.range.clone(), text.len()),
            ));
        } else {
            let (line, column) = locator.line_col(&rel.span);
            elsewhere.push(format!(
                "  note: {}:{}:{}: {}",
                super::slash_path(&sources.get(rel.span.file).path),
                line,
                column,
                rel.label
            ));
        }
    }
    if let Some(line) = overlong_line(text, line_starts, &d.related, span) {
        return excerpt(header, d, loc.line, line, text, span.range.start);
    }
    let report = Snippet {
        message: d.message.clone(),
        severity: match d.severity {
            Severity::Error => MietteSeverity::Error,
            Severity::Warning => MietteSeverity::Warning,
        },
        help: d.hint.clone(),
        labels,
        source: FileSource {
            name: loc.file.clone().unwrap_or_default(),
            text,
            line_starts,
        },
    };
    let mut snippet = String::new();
    if handler.render_report(&mut snippet, &report).is_err() {
        snippet = format!("  {}\n", d.message);
    }
    // miette repeats the message (wrapped when long) before the snippet; the
    // header already has it with the rule id, so start at the snippet box.
    let body: Vec<&str> = snippet.lines().skip_while(|l| !l.contains("╭─[")).collect();
    let mut out = header;
    out.push('\n');
    for line in body {
        match box_header(line) {
            // miette counts the column of a box header in bytes; put the
            // column every format reports (characters) there instead. The
            // first box is at the diagnostic's own position; later boxes
            // (related spans further away) are converted the same way.
            Some((indent, line_no, byte_column)) => {
                let column = line_starts
                    .get(line_no.saturating_sub(1))
                    .map(|start| {
                        let end = text[*start..].find('\n').map_or(text.len(), |i| start + i);
                        char_column(&text[*start..end], byte_column)
                    })
                    .unwrap_or(byte_column);
                let _ = write!(
                    out,
                    "{indent}╭─[{}:{line_no}:{column}]",
                    loc.file.as_deref().unwrap_or("")
                );
            }
            None => out.push_str(line.trim_end()),
        }
        out.push('\n');
    }
    for line in elsewhere {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Lines longer than this (in bytes) are not drawn by miette: it pads the
/// underline with a formatting width, and a width beyond `u16::MAX` panics
/// ("Formatting argument out of range"). Such a line is shown as an excerpt
/// around the span instead; nobody reads a 70,000-character line anyway.
const MAX_DRAWN_LINE: usize = 4096;
/// Characters shown on each side of the span in an excerpt.
const EXCERPT_CONTEXT: usize = 40;

/// The text of the first line a snippet would draw that is too long for
/// miette, if any: the primary span's line or a related span's in the same
/// file.
fn overlong_line<'t>(
    text: &'t str,
    line_starts: &[usize],
    related: &[super::Related],
    span: &crate::policy::Span,
) -> Option<&'t str> {
    let line_of = |offset: usize| {
        let offset = offset.min(text.len());
        let i = line_starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = line_starts.get(i).copied().unwrap_or(0).min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        &text[start..end]
    };
    std::iter::once(span.range.clone())
        .chain(
            related
                .iter()
                .filter(|r| r.span.file == span.file)
                .map(|r| r.span.range.clone()),
        )
        .flat_map(|r| [r.start, r.end])
        .map(line_of)
        .find(|line| line.len() > MAX_DRAWN_LINE)
}

/// A diagnostic on an overlong line: the header, the line number and a short
/// excerpt around the span with a caret under its start, then the help.
fn excerpt(
    mut out: String,
    d: &Diagnostic,
    line_no: usize,
    line: &str,
    text: &str,
    offset: usize,
) -> String {
    // Byte offset of the line in `text` (it is a sub-slice of it).
    let line_start = line.as_ptr() as usize - text.as_ptr() as usize;
    let mut at = offset.saturating_sub(line_start).min(line.len());
    while at > 0 && !line.is_char_boundary(at) {
        at -= 1;
    }
    let before: Vec<char> = line[..at].chars().collect();
    let after: Vec<char> = line[at..].chars().collect();
    let shown_before = &before[before.len().saturating_sub(EXCERPT_CONTEXT)..];
    let shown_after = &after[..after.len().min(EXCERPT_CONTEXT)];
    let lead = if shown_before.len() < before.len() {
        "…"
    } else {
        ""
    };
    let tail = if shown_after.len() < after.len() {
        "…"
    } else {
        ""
    };
    let prefix: String = shown_before.iter().collect();
    let gutter = line_no.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = write!(
        out,
        "\n{pad} │\n{gutter} │ {lead}{prefix}{}{tail}\n{pad} │ {}^ {}",
        shown_after.iter().collect::<String>(),
        " ".repeat(
            unicode_width::UnicodeWidthStr::width(lead)
                + unicode_width::UnicodeWidthStr::width(prefix.as_str())
        ),
        d.label
    );
    let _ = write!(
        out,
        "\n{pad} │ (line of {} characters, shown around the problem)",
        line.chars().count()
    );
    if let Some(hint) = &d.hint {
        let _ = write!(out, "\n  help: {hint}");
    }
    out.push('\n');
    out
}

/// Splits miette's `  ╭─[name:line:col]` into the indent, line and column.
fn box_header(line: &str) -> Option<(&str, usize, usize)> {
    let (indent, rest) = line.split_once("╭─[")?;
    let inner = rest.trim_end().strip_suffix(']')?;
    let (before, column) = inner.rsplit_once(':')?;
    let (_, line_no) = before.rsplit_once(':')?;
    Some((indent, line_no.parse().ok()?, column.parse().ok()?))
}

/// The 1-based character column of a 1-based byte column in one line; a
/// `\r` is not counted, as in `SourceFile::line_col`.
fn char_column(line: &str, byte_column: usize) -> usize {
    let mut end = byte_column.saturating_sub(1).min(line.len());
    while end > 0 && !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].chars().filter(|c| *c != '\r').count() + 1
}

fn clamp(range: std::ops::Range<usize>, len: usize) -> (usize, usize) {
    let start = range.start.min(len);
    let end = range.end.clamp(start, len);
    (start, end - start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Rule;

    #[test]
    fn box_headers_are_read_and_converted_to_characters() {
        assert_eq!(
            box_header("    ╭─[policy/levels.toml:11:138]"),
            Some(("    ", 11, 138))
        );
        assert_eq!(box_header(" 11 │ text"), None);
        // 發現 is two characters, six bytes: byte column 7 is character 3.
        assert_eq!(char_column("發現x", 7), 3);
        assert_eq!(char_column("ab", 1), 1);
    }

    #[test]
    fn a_span_far_into_a_very_long_line_is_an_excerpt_not_a_panic() {
        let text = format!("ok\n{}{{{{ nope() }}}}\n", "a".repeat(70_000));
        let mut sources = SourceMap::default();
        let file = sources.add("content/long.md".into(), text);
        let start = 3 + 70_000;
        let d = Diagnostic::error(Rule::ContentReference, "unknown shortcode nope").at(
            crate::policy::Span::new(file, start..start + 12),
            "not a shortcode",
        );
        let out = render_human(&[d], &sources);
        assert!(out.contains("content/long.md:2:70001"), "{out}");
        assert!(out.contains("…aaaa"), "{out}");
        assert!(out.contains("^ not a shortcode"), "{out}");
        assert!(out.contains("line of 70012 characters"), "{out}");
    }
}

//! Problems found in a policy, as plain data, and the ways to print them.
//!
//! Rules build [`Diagnostic`] values and never print; the renderers in this
//! module turn a list of them into text for people (rustc-style snippets),
//! JSON for scripts, SARIF for code-scanning tools and GitHub workflow
//! commands. A renderer must never drop or reorder diagnostics: what `check`
//! found is exactly what every format shows.

mod human;
pub use human::summary;
mod machine;
pub mod rules;
mod snippet;

pub use human::render_human;
pub use machine::{render_github, render_json, render_sarif};
pub use rules::{RULES, Rule, RuleInfo};

use std::path::PathBuf;

use crate::policy::{FileId, SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A labelled place in a file that explains a diagnostic further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

/// One problem, with everything needed to show and locate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The id of the [`Rule`] (such as `deadline-order`).
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is. `None` for problems with no file to point at
    /// (a missing folder).
    pub span: Option<Span>,
    /// A file named without a position (a missing file).
    pub path: Option<PathBuf>,
    /// Short text under the highlighted snippet.
    pub label: String,
    /// How to fix it.
    pub hint: Option<String>,
    pub related: Vec<Related>,
    /// The id the problem is about, so that an acknowledgement in
    /// `notes.toml` can accept it.
    pub subject: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: rule.id(),
            severity: Severity::Error,
            message: message.into(),
            span: None,
            path: None,
            label: String::new(),
            hint: None,
            related: Vec::new(),
            subject: None,
        }
    }

    pub fn warning(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The file, line and column this diagnostic points at, for sorting and
    /// for the machine formats. Paths use `/` on every platform.
    pub fn location(&self, sources: &SourceMap) -> Location {
        self.located(sources, |span| {
            sources.get(span.file).line_col(span.range.start)
        })
    }

    /// Like [`Diagnostic::location`], through a [`Locator`]: for the
    /// renderers and `sort`, which place many diagnostics in the same files.
    pub fn location_in(&self, sources: &SourceMap, locator: &Locator) -> Location {
        self.located(sources, |span| locator.line_col(span))
    }

    fn located(&self, sources: &SourceMap, line_col: impl Fn(&Span) -> (usize, usize)) -> Location {
        match &self.span {
            Some(span) => {
                let (line, column) = line_col(span);
                Location {
                    file: Some(slash_path(&sources.get(span.file).path)),
                    line,
                    column,
                }
            }
            None => Location {
                file: self.path.as_deref().map(slash_path),
                line: 0,
                column: 0,
            },
        }
    }
}

/// Where each line of every file starts, so that a position is found by a
/// binary search instead of counting lines from the top of the file: with
/// thousands of diagnostics in a large file, counting made rendering
/// quadratic. Gives exactly the positions of `SourceFile::line_col`: lines
/// end at `\n`, columns count characters, a `\r` is not counted.
pub struct Locator<'s> {
    files: Vec<(&'s str, Vec<usize>)>,
}

impl<'s> Locator<'s> {
    pub fn new(sources: &'s SourceMap) -> Self {
        let files = sources
            .files()
            .map(|(_, f)| {
                let text = f.text.as_str();
                let starts = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
                (text, starts)
            })
            .collect();
        Locator { files }
    }

    /// The text of a file and the byte offset where each of its lines starts.
    pub fn file(&self, file: FileId) -> (&'s str, &[usize]) {
        let (text, starts) = &self.files[file.0];
        (text, starts)
    }

    /// 1-based line and column (in characters) of where a span starts.
    pub fn line_col(&self, span: &Span) -> (usize, usize) {
        let (text, starts) = self.file(span.file);
        let mut offset = span.range.start.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line starting at or before the offset.
        let line = starts.partition_point(|s| *s <= offset);
        let line_start = starts[line.saturating_sub(1)];
        let column = text[line_start..offset]
            .chars()
            .filter(|c| *c != '\r')
            .count()
            + 1;
        (line, column)
    }
}

/// Where a diagnostic points. `line` and `column` are 1-based; 0 means the
/// diagnostic has no position inside a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
}

fn slash_path(path: &std::path::Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A string as a TOML basic string (`"1h"`), the way a policy editor wrote
/// it. Messages quote values like this, never as Rust `Debug` output.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Counts of a run's diagnostics by severity.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

/// Puts diagnostics in the order a person fixes them: by file, then position,
/// then rule. Sorting here keeps every output format deterministic no matter
/// in which order rules ran.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    let locator = Locator::new(sources);
    diagnostics.sort_by_cached_key(|d| {
        let loc = d.location_in(sources, &locator);
        (loc, d.rule, d.message.clone())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locator_agrees_with_line_col_everywhere() {
        let mut sources = SourceMap::default();
        let text = "a = 1\r\n名稱 = \"資安\" x\n\n\rz\r\nlast";
        let file = sources.add("x.toml".into(), text.to_owned());
        let locator = Locator::new(&sources);
        for offset in 0..=text.len() + 2 {
            let span = Span::new(file, offset..offset);
            assert_eq!(
                locator.line_col(&span),
                sources.get(file).line_col(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn strings_are_quoted_as_toml() {
        assert_eq!(toml_string("1h"), r#""1h""#);
        assert_eq!(toml_string("a \"b\"\\\n"), r#""a \"b\"\\\n""#);
        assert_eq!(toml_string("資安\u{7}"), r#""資安\u0007""#);
    }
}

//! What miette reads to draw one snippet: only the lines around the spans,
//! found through the [`Locator`]'s line index.
//!
//! miette's own `SourceCode` for a string scans the text from the top for
//! every label, and a `Report` needs its own copy of the text; with thousands
//! of diagnostics in a large policy file both made `check` quadratic. This
//! module must never change what is drawn: the lines, line numbers and
//! labels are those miette would show reading the whole file.

use std::fmt;

use miette::{
    LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

/// One file as miette sees it: its name, its text and where its lines start.
pub(super) struct FileSource<'s> {
    pub name: String,
    pub text: &'s str,
    pub line_starts: &'s [usize],
}

impl FileSource<'_> {
    /// 0-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let len = self.text.len();
        let start = span.offset().min(len);
        let end = (span.offset() + span.len()).clamp(start, len);
        // A window of whole lines: the context before, the span, and a
        // margin after it so miette finds its context lines there too.
        let first_line = self.line_of(start).saturating_sub(context_lines_before);
        let after_line = self.line_of(end) + context_lines_after + 2;
        let window_start = self.line_starts[first_line];
        let window_end = self.line_starts.get(after_line).copied().unwrap_or(len);
        let window = &self.text[window_start..window_end];
        let inner = window.read_span(
            &(start - window_start, end - start).into(),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (inner.span().offset() + window_start, inner.span().len()).into(),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

/// A diagnostic for miette that borrows its source instead of owning a copy.
pub(super) struct Snippet<'s> {
    pub message: String,
    pub severity: Severity,
    pub help: Option<String>,
    pub labels: Vec<LabeledSpan>,
    pub source: FileSource<'s>,
}

impl fmt::Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snippet")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Snippet<'_> {}

impl miette::Diagnostic for Snippet<'_> {
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window gives exactly what miette reads from the whole text.
    #[test]
    fn a_window_reads_the_same_as_the_whole_file() {
        let text: String = (1..=40)
            .map(|i| format!("line {i} = \"資安 {i}\"\r\n"))
            .collect();
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let source = FileSource {
            name: "x.toml".into(),
            text: &text,
            line_starts: &line_starts,
        };
        for offset in [0, 5, 17, 300, text.len() - 3, text.len()] {
            for len in [0, 1, 40] {
                let span: SourceSpan = (offset, len.min(text.len() - offset)).into();
                let whole = text.as_str().read_span(&span, 1, 1).expect("whole");
                let part = source.read_span(&span, 1, 1).expect("window");
                assert_eq!(part.data(), whole.data(), "{offset}+{len}");
                assert_eq!(part.span(), whole.span(), "{offset}+{len}");
                assert_eq!(
                    (part.line(), part.column(), part.line_count()),
                    (whole.line(), whole.column(), whole.line_count()),
                    "{offset}+{len}"
                );
            }
        }
    }
}

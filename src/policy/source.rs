//! The policy files as text, and positions inside them.
//!
//! Every later stage points back into these files, so this module owns the
//! mapping from byte offsets to the line and column a person sees in an editor.
//! It must never interpret TOML: it only reads bytes and rejects what is not
//! usable text (non-UTF-8, a BOM, oversized files).

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A byte range inside one policy file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// One file that was read, with its path relative to the project root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    ///
    /// A `\r` before `\n` is not counted as a column, so CRLF files report the
    /// same positions as LF files.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = before[line_start..].chars().filter(|c| *c != '\r').count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// All files read for one run, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile { path, text });
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(FileId)
    }
}

/// Largest policy file we accept. The whole guideline fits in a few dozen
/// kilobytes; anything this large is a mistake (a pasted log, a binary) and
/// would only make every later stage slow.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Why a file's bytes are not usable as policy text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodingProblem {
    TooLarge { bytes: usize },
    ByteOrderMark,
    NotUtf8 { offset: usize },
}

/// Turns raw bytes into text, or says exactly what is wrong with them.
pub fn decode(bytes: &[u8]) -> Result<String, EncodingProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(EncodingProblem::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(EncodingProblem::ByteOrderMark);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(EncodingProblem::NotUtf8 {
            offset: e.valid_up_to(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile {
            path: "x.toml".into(),
            text: "a = 1\nname = \"資安\" x\n".into(),
        };
        let off = f.text.find('x').unwrap_or(0);
        assert_eq!(f.line_col(off), (2, 13));
    }

    #[test]
    fn line_col_ignores_carriage_returns() {
        let f = SourceFile {
            path: "x.toml".into(),
            text: "a = 1\r\nb = 2\r\n".into(),
        };
        let off = f.text.find('b').unwrap_or(0);
        assert_eq!(f.line_col(off), (2, 1));
        let off = f.text.find('2').unwrap_or(0);
        assert_eq!(f.line_col(off), (2, 5));
    }

    #[test]
    fn decode_rejects_bom_and_bad_bytes() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa=1"),
            Err(EncodingProblem::ByteOrderMark)
        );
        assert_eq!(
            decode(b"a = \"\xff\""),
            Err(EncodingProblem::NotUtf8 { offset: 5 })
        );
        assert!(decode("名 = 1".as_bytes()).is_ok());
    }
}

//! The policy files as text, and positions inside them.
//!
//! Every later stage points back into these files, so this module owns the
//! mapping from byte offsets to the line and column a person sees in an editor.
//! It must never interpret TOML: it only reads bytes and rejects what is not
//! usable text (non-UTF-8, a BOM, oversized files). [`read_regular_file`] is
//! the one way the tool reads an input file (policy, chapter, template,
//! static file): a FIFO or a device would block or never end, so only
//! regular files are opened, and no read goes past its size limit.

use std::io::Read as _;
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

/// Why an input file could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    /// A FIFO, socket, device or folder where a file was expected.
    NotRegular {
        kind: &'static str,
    },
    /// More than `limit` bytes; `bytes` is the size seen (at least `limit + 1`).
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "no such file"),
            ReadError::NotRegular { kind } => {
                write!(
                    f,
                    "not a regular file but {kind}; only regular files are read"
                )
            }
            ReadError::TooLarge { bytes, limit } => {
                write!(
                    f,
                    "file is {bytes} bytes or more; the limit is {limit} bytes"
                )
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            ReadError::NotFound => std::io::ErrorKind::NotFound.into(),
            other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Reads a regular file (following symlinks) of at most `limit` bytes.
///
/// The type is checked before opening, because opening a FIFO blocks until
/// someone writes to it, and checked again on the open handle in case the
/// path was swapped in between. The read goes through `take(limit + 1)`, so
/// even a file whose metadata lies about its size (procfs, a growing log)
/// cannot make us read more.
pub fn read_regular_file(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(e)
        }
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(meta.file_type()),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(meta.file_type()),
        });
    }
    let claimed = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if claimed > limit {
        return Err(ReadError::TooLarge {
            bytes: claimed,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(claimed.min(limit) + 1);
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge {
            bytes: bytes.len(),
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular_file(&file, 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular_file(&file, 4),
            Err(ReadError::TooLarge { bytes: 5, limit: 4 })
        ));
        assert!(matches!(
            read_regular_file(dir.path(), 5),
            Err(ReadError::NotRegular { kind: "a folder" })
        ));
        assert!(matches!(
            read_regular_file(&dir.path().join("missing"), 5),
            Err(ReadError::NotFound)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_blocking() {
        assert!(matches!(
            read_regular_file(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular { kind: "a device" })
        ));
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("levels.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_regular_file(&link, 10),
            Err(ReadError::NotRegular { .. })
        ));
        let fifo = dir.path().join("fifo.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_regular_file(&fifo, 10),
                Err(ReadError::NotRegular {
                    kind: "a FIFO (named pipe)"
                })
            ));
        }
    }

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

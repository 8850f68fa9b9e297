//! Stage 1: read `policy/*.toml` into the spanned model.
//!
//! The loader reads every policy file, decodes it, and deserialises it into
//! the types of [`model`]. Problems with one file (bad bytes, bad TOML, an
//! unknown key) become diagnostics and the other files still load, so one
//! run reports as much as it can. It must never resolve references or judge
//! values: a file that parses is handed to `check` as written.

mod model;
mod source;

pub use model::*;
pub use source::{EncodingProblem, FileId, MAX_FILE_BYTES, SourceFile, SourceMap, Span, decode};
pub use source::{ReadError, read_regular_file};

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
pub use toml::Spanned;

use crate::diagnostics::{Diagnostic, Rule};

/// The policy files a project has, in the order they are read and listed.
pub const POLICY_FILES: &[&str] = &[
    "policy.toml",
    "levels.toml",
    "deadlines.toml",
    "organisation.toml",
    "agencies.toml",
    "contacts.toml",
    "duties.toml",
    "drills.toml",
    "accountability.toml",
    "trees.toml",
    "notes.toml",
];

/// What loading produced: the files read, the parts that parsed, and the
/// problems found on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub policy: Policy,
    pub diagnostics: Vec<Diagnostic>,
}

/// A problem that stops loading before any file could be looked at. These are
/// usage or environment problems, not problems of the policy.
#[derive(Debug)]
pub enum LoadError {
    MissingFolder(PathBuf),
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::MissingFolder(p) => write!(
                f,
                "no policy folder at {}: run in a project folder or pass --root DIR",
                p.display()
            ),
            LoadError::Unreadable { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Encoding problems in words, for messages about any file (policy or
/// chapter): never the Rust names of the variants.
impl std::fmt::Display for EncodingProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncodingProblem::TooLarge { bytes } => {
                write!(
                    f,
                    "file is {bytes} bytes; at most {MAX_FILE_BYTES} bytes are read"
                )
            }
            EncodingProblem::ByteOrderMark => write!(f, "file starts with a UTF-8 byte-order mark"),
            EncodingProblem::NotUtf8 { offset } => {
                write!(f, "file is not valid UTF-8 (bad byte at offset {offset})")
            }
        }
    }
}

/// Loads `<root>/policy/`.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    let dir = root.join("policy");
    if !dir.is_dir() {
        return Err(LoadError::MissingFolder(dir));
    }
    let mut loaded = Loaded::default();
    let entries = std::fs::read_dir(&dir).map_err(|error| LoadError::Unreadable {
        path: dir.clone(),
        error,
    })?;
    let mut unknown: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| LoadError::Unreadable {
            path: dir.clone(),
            error,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") && !POLICY_FILES.contains(&name.as_str()) {
            unknown.push(Path::new("policy").join(name));
        }
    }
    unknown.sort();
    for path in unknown {
        loaded.diagnostics.push(
            Diagnostic::error(
                Rule::Schema,
                format!("unknown policy file `{}`", path.display()),
            )
            .in_file(path)
            .hint(format!(
                "policy files are: {}; rename the file or move its tables into one of them",
                POLICY_FILES.join(", ")
            )),
        );
    }

    let p = &mut loaded.policy;
    let (s, d) = (&mut loaded.sources, &mut loaded.diagnostics);
    p.meta = read(root, "policy.toml", s, d)?;
    p.levels = read(root, "levels.toml", s, d)?;
    p.deadlines = read(root, "deadlines.toml", s, d)?;
    p.organisation = read(root, "organisation.toml", s, d)?;
    p.agencies = read(root, "agencies.toml", s, d)?;
    p.contacts = read(root, "contacts.toml", s, d)?;
    p.duties = read(root, "duties.toml", s, d)?;
    p.drills = read(root, "drills.toml", s, d)?;
    p.accountability = read(root, "accountability.toml", s, d)?;
    p.trees = read(root, "trees.toml", s, d)?;
    p.notes = read(root, "notes.toml", s, d)?;
    Ok(loaded)
}

fn read<T: DeserializeOwned>(
    root: &Path,
    name: &str,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Located<T>>, LoadError> {
    let rel = Path::new("policy").join(name);
    let path = root.join(&rel);
    let bytes = match read_regular_file(&path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(ReadError::TooLarge { bytes, .. }) => {
            let id = sources.add(rel, String::new());
            diagnostics.push(
                Diagnostic::error(
                    Rule::Encoding,
                    format!("file is {bytes} bytes or more; policy files may be at most {MAX_FILE_BYTES} bytes"),
                )
                .at(Span::new(id, 0..0), "here")
                .hint("split the content or remove what was pasted by mistake"),
            );
            return Ok(None);
        }
        Err(ReadError::NotFound) => {
            diagnostics.push(
                Diagnostic::error(Rule::Schema, format!("missing policy file `{}`", rel.display()))
                    .in_file(rel)
                    .hint("every policy needs all of its files; copy the file from the bundled policy and edit it"),
            );
            return Ok(None);
        }
        Err(error) => {
            return Err(LoadError::Unreadable {
                path,
                error: error.into(),
            });
        }
    };
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(problem) => {
            // Keep the readable part so the diagnostic can show where the
            // bad bytes start.
            let (text, offset, message, hint) = match problem {
                EncodingProblem::TooLarge { bytes } => (
                    String::new(),
                    0,
                    format!(
                        "file is {bytes} bytes; policy files may be at most {MAX_FILE_BYTES} bytes"
                    ),
                    "split the content or remove what was pasted by mistake",
                ),
                EncodingProblem::ByteOrderMark => (
                    String::from_utf8_lossy(&bytes[3..]).into_owned(),
                    0,
                    "file starts with a UTF-8 byte-order mark".to_owned(),
                    "save the file as UTF-8 without BOM (in most editors: encoding \"UTF-8\", not \"UTF-8 with BOM\")",
                ),
                EncodingProblem::NotUtf8 { offset } => (
                    String::from_utf8_lossy(&bytes[..offset]).into_owned(),
                    offset,
                    format!("file is not valid UTF-8 (bad byte at offset {offset})"),
                    "save the file as UTF-8; Big5 or other legacy encodings are not read",
                ),
            };
            let id = sources.add(rel, text);
            diagnostics.push(
                Diagnostic::error(Rule::Encoding, message)
                    .at(Span::new(id, offset..offset), "here")
                    .hint(hint),
            );
            return Ok(None);
        }
    };
    let id = sources.add(rel, text);
    let original = &sources.get(id).text;
    // serde stops at the first unknown key. To report every misspelt key of
    // a file in one run, blank out the line of each unknown key (offsets stay
    // the same, so positions still point into the real file) and read again.
    // Other shape errors end the recovery: guessing past them would report
    // problems that are not there.
    let mut attempt = original.clone();
    for _ in 0..MAX_RECOVERIES {
        match toml::from_str::<T>(&attempt) {
            // After a recovery the file still has errors: leave it out, so
            // no rule works on a guess of what the file meant.
            Ok(value) => {
                return Ok((attempt == *original).then_some(Located { file: id, value }));
            }
            Err(e) => {
                let unknown_key = e.message().starts_with("unknown field");
                if !unknown_key && attempt != *original {
                    // Most likely caused by the blanking (a misspelt
                    // required key is now missing); already reported.
                    return Ok(None);
                }
                diagnostics.push(toml_error(id, &attempt, &e));
                let Some(span) = e.span().filter(|_| unknown_key) else {
                    return Ok(None);
                };
                let line_start = attempt[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = attempt[span.start..]
                    .find('\n')
                    .map_or(attempt.len(), |i| span.start + i);
                // One space per byte keeps every offset; CRs stay, so CRLF
                // files keep their line endings.
                let blank: String = attempt[line_start..line_end]
                    .chars()
                    .flat_map(|c| {
                        let spaces = if c == '\r' { 0 } else { c.len_utf8() };
                        std::iter::repeat_n(' ', spaces).chain((c == '\r').then_some('\r'))
                    })
                    .collect();
                let next = format!("{}{blank}{}", &attempt[..line_start], &attempt[line_end..]);
                if next.parse::<toml::Table>().is_err() {
                    // The key's value spans several lines; stop rather than
                    // report the syntax error blanking made.
                    return Ok(None);
                }
                attempt = next;
            }
        }
    }
    Ok(None)
}

/// How many unknown keys one file may report before the loader gives up.
const MAX_RECOVERIES: usize = 50;

/// Turns a `toml` error into a `parse` (syntax) or `schema` (shape)
/// diagnostic. The two are told apart by re-reading the text as untyped TOML:
/// if that works, the syntax is fine and the shape is wrong.
fn toml_error(file: FileId, text: &str, e: &toml::de::Error) -> Diagnostic {
    let syntax_ok = text.parse::<toml::Table>().is_ok();
    let span = e.span().unwrap_or(0..0);
    let message = toml_words(e.message().trim());
    let first_line = message.lines().next().unwrap_or("").to_owned();
    if !syntax_ok {
        return Diagnostic::error(Rule::Parse, format!("invalid TOML: {first_line}"))
            .at(Span::new(file, span), first_line)
            .hint("fix the TOML syntax; strings need double quotes, tables need `[name]` headers");
    }
    let (label, hint) = if message.starts_with("unknown field") {
        (
            "unknown key".to_owned(),
            format!(
                "{}; check the spelling or see docs/policy.md",
                message.replace('`', "'")
            ),
        )
    } else if message.starts_with("missing field") {
        (
            message.clone(),
            "add the missing key to this table".to_owned(),
        )
    } else {
        (
            "wrong type or value".to_owned(),
            "see docs/policy.md for the expected shape".to_owned(),
        )
    };
    Diagnostic::error(Rule::Schema, first_line)
        .at(Span::new(file, span), label)
        .hint(hint)
}

/// serde names the expected type the Rust way (`expected i64`, `expected a
/// sequence`); a policy editor reads TOML, so say it in TOML's words.
fn toml_words(message: &str) -> String {
    let mut out = message.to_owned();
    for rust in ["i64", "i32", "u64", "u32", "u16", "u8", "usize"] {
        out = out.replace(&format!("expected {rust}"), "expected an integer");
    }
    out.replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected a table")
        .replace("expected a borrowed string", "expected a string")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_type_names_become_toml_words() {
        assert_eq!(
            toml_words("invalid type: string \"2\", expected i64"),
            "invalid type: string \"2\", expected an integer"
        );
        assert_eq!(
            toml_words("invalid type: integer `1`, expected a sequence"),
            "invalid type: integer `1`, expected an array"
        );
    }
}

//! Why the output folder was refused or could not be written. Every message
//! names the folder and says how to proceed; none of these is a policy
//! problem, so `build` exits 2 on each.

use std::path::PathBuf;

use super::MARKER;

/// How the output folder stands to a folder the build must not replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The output folder is that folder.
    Is,
    /// The output folder contains that folder.
    Contains,
    /// The output folder lies inside that folder.
    Inside,
}

impl Relation {
    fn verb(self) -> &'static str {
        match self {
            Relation::Is => "is",
            Relation::Contains => "contains",
            Relation::Inside => "lies inside",
        }
    }
}

/// Why the output could not be written. `out` is always the path as given
/// (`--out`); `folder` what it resolved to.
#[derive(Debug)]
pub enum OutputError {
    /// The project root cannot be resolved.
    Root {
        root: PathBuf,
        error: std::io::Error,
    },
    /// `--out` cannot be resolved (a part of it cannot be read).
    Unresolvable { out: PathBuf, error: std::io::Error },
    /// A part of `--out` is a symbolic link that points nowhere.
    DanglingLink { out: PathBuf, link: PathBuf },
    /// The output folder is or contains the project root (`relation` is
    /// `Is` or `Contains`); `--force` does not change this.
    ProjectRoot {
        out: PathBuf,
        folder: PathBuf,
        root: PathBuf,
        relation: Relation,
    },
    /// The output folder is, contains or lies inside a folder the build
    /// reads; `--force` does not change this.
    Input {
        out: PathBuf,
        folder: PathBuf,
        input: PathBuf,
        relation: Relation,
    },
    /// `--out`, or a folder on its way, exists and is not a folder.
    NotAFolder { out: PathBuf, path: PathBuf },
    /// The folder has files and no marker: it may be the user's.
    NotOurs { out: PathBuf, folder: PathBuf },
    /// A staging or old folder name this build needs is taken by a folder
    /// without the marker.
    Leftover { path: PathBuf },
    /// Reading or writing failed.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const CHOOSE: &str =
            "choose another --out, such as `public` (--force does not change this)";
        match self {
            OutputError::Root { root, error } => {
                write!(
                    f,
                    "cannot resolve the project root {}: {error}",
                    root.display()
                )
            }
            OutputError::Unresolvable { out, error } => write!(
                f,
                "--out {}: cannot resolve the path: {error}; choose another --out",
                out.display()
            ),
            OutputError::DanglingLink { out, link } => write!(
                f,
                "--out {}: {} is a symbolic link that points nowhere; nothing was written; \
                 fix or remove the link, or choose another --out",
                out.display(),
                link.display()
            ),
            OutputError::ProjectRoot {
                out,
                root,
                relation: Relation::Is,
                ..
            } => write!(
                f,
                "--out {}: that is the project root {}; building there would replace the \
                 project, so nothing was written; {CHOOSE}",
                out.display(),
                root.display()
            ),
            OutputError::ProjectRoot {
                out,
                folder,
                root,
                relation,
            } => write!(
                f,
                "--out {}: the folder {} {} the project root {}; building there would \
                 replace the project, so nothing was written; {CHOOSE}",
                out.display(),
                folder.display(),
                relation.verb(),
                root.display()
            ),
            OutputError::Input {
                out,
                folder,
                input,
                relation,
            } => write!(
                f,
                "--out {}: the folder {} {} the input folder {}, which the build reads; \
                 nothing was written; {CHOOSE}",
                out.display(),
                folder.display(),
                relation.verb(),
                input.display()
            ),
            OutputError::NotAFolder { out, path } => write!(
                f,
                "--out {}: {} exists and is not a folder; it was left untouched; \
                 choose another --out",
                out.display(),
                path.display()
            ),
            OutputError::NotOurs { out, folder } => write!(
                f,
                "--out {}: the folder {} is not empty and has no {MARKER} marker, so it was \
                 not made by `handbook build` and replacing it could delete your files; it \
                 was left untouched; choose another --out, or pass --force to replace it",
                out.display(),
                folder.display()
            ),
            OutputError::Leftover { path } => write!(
                f,
                "{} is in the way: its name is one an interrupted build would leave, but it \
                 has no {MARKER} marker, so it was left untouched; move or delete it yourself",
                path.display()
            ),
            OutputError::Io { path, error } => {
                write!(f, "cannot write {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for OutputError {}

//! Where the site may go: `--out` resolved against the project root and
//! checked before anything is written.
//!
//! The root is canonicalised once; `--out` (relative paths are taken from
//! the root) is resolved one component at a time: parts that exist are
//! canonicalised (so `..` and symbolic links mean what the file system says),
//! parts that do not yet exist are taken lexically. The result must not be
//! the project root, contain it, or be, contain or lie inside an input
//! folder; `--force` never changes that. This module only reads the file
//! system.

use std::path::{Component, Path, PathBuf};

use super::carries_marker;
use super::error::{OutputError, Relation};

/// A checked output folder: absolute, canonical where it exists.
#[derive(Debug, Clone)]
pub struct OutputTarget {
    /// `--out` as given, for messages.
    given: PathBuf,
    path: PathBuf,
    /// Replace an existing folder without the marker.
    force: bool,
}

/// What is at the output path now.
enum Existing {
    Missing,
    Empty,
    Marked,
    Unmarked,
}

impl OutputTarget {
    /// Resolves `out` against `root` and refuses it if it is the root,
    /// contains the root, is, contains or lies inside one of `inputs`
    /// (folder names under the root, whether or not they exist), is not a
    /// folder, or is a non-empty folder without the marker (unless `force`).
    pub fn resolve(
        root: &Path,
        inputs: &[&str],
        out: &Path,
        force: bool,
    ) -> Result<OutputTarget, OutputError> {
        let root = std::fs::canonicalize(root).map_err(|error| OutputError::Root {
            root: root.to_path_buf(),
            error,
        })?;
        let path = resolve_path(&root.join(out), out)?;
        let given = out.to_path_buf();
        if let Some(relation) = relation(&path, &root).filter(|r| *r != Relation::Inside) {
            return Err(OutputError::ProjectRoot {
                out: given,
                folder: path,
                root,
                relation,
            });
        }
        for name in inputs {
            // An input that cannot be resolved (a link that points nowhere)
            // still reserves its place under the root.
            let input = resolve_path(&root.join(name), out).unwrap_or_else(|_| root.join(name));
            if let Some(relation) = relation(&path, &input) {
                return Err(OutputError::Input {
                    out: given,
                    folder: path,
                    input,
                    relation,
                });
            }
        }
        let target = OutputTarget { given, path, force };
        target.check_existing()?;
        Ok(target)
    }

    /// The resolved output folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refuses what is at the output path now if the build may not replace
    /// it: anything but a folder, or a folder with files and no marker
    /// (unless forced).
    pub fn check_existing(&self) -> Result<(), OutputError> {
        match self.existing()? {
            Existing::Missing | Existing::Empty | Existing::Marked => Ok(()),
            Existing::Unmarked if self.force => Ok(()),
            Existing::Unmarked => Err(OutputError::NotOurs {
                out: self.given.clone(),
                folder: self.path.clone(),
            }),
        }
    }

    fn existing(&self) -> Result<Existing, OutputError> {
        let io = |error| OutputError::Io {
            path: self.path.clone(),
            error,
        };
        let meta = match std::fs::symlink_metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Missing),
            Err(e) => return Err(io(e)),
        };
        if !meta.is_dir() {
            return Err(OutputError::NotAFolder {
                out: self.given.clone(),
                path: self.path.clone(),
            });
        }
        let mut entries = std::fs::read_dir(&self.path).map_err(io)?;
        Ok(if entries.next().is_none() {
            Existing::Empty
        } else if carries_marker(&self.path) {
            Existing::Marked
        } else {
            Existing::Unmarked
        })
    }
}

/// `path` made absolute and canonical as far as it exists, lexical beyond:
/// each part that exists is canonicalised (resolving links and `..`
/// physically), each that does not is appended as written.
fn resolve_path(path: &Path, out: &Path) -> Result<PathBuf, OutputError> {
    let mut resolved = PathBuf::new();
    // Whether `resolved` exists (then it is canonical).
    let mut exists = true;
    for part in path.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => resolved.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
                exists = exists || std::fs::symlink_metadata(&resolved).is_ok();
            }
            Component::Normal(name) => {
                if exists && !resolved.is_dir() {
                    return Err(OutputError::NotAFolder {
                        out: out.to_path_buf(),
                        path: resolved,
                    });
                }
                resolved.push(name);
                match std::fs::symlink_metadata(&resolved) {
                    Ok(_) => match std::fs::canonicalize(&resolved) {
                        Ok(canonical) => {
                            resolved = canonical;
                            exists = true;
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                            return Err(OutputError::DanglingLink {
                                out: out.to_path_buf(),
                                link: resolved,
                            });
                        }
                        Err(error) => {
                            return Err(OutputError::Unresolvable {
                                out: out.to_path_buf(),
                                error,
                            });
                        }
                    },
                    Err(_) => exists = false,
                }
            }
        }
    }
    Ok(resolved)
}

/// How `out` stands to `other`, if they overlap at all.
fn relation(out: &Path, other: &Path) -> Option<Relation> {
    if same_folder(out, other) {
        Some(Relation::Is)
    } else if out.ancestors().skip(1).any(|a| same_folder(a, other)) {
        Some(Relation::Inside)
    } else if other.ancestors().skip(1).any(|a| same_folder(a, out)) {
        Some(Relation::Contains)
    } else {
        None
    }
}

/// Equal paths, or (on Unix) two existing paths to one folder, which also
/// catches what spelling cannot: a case-insensitive file system, a bind
/// mount.
fn same_folder(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::MARKER;
    use super::*;

    const INPUTS: &[&str] = &["policy", "content", "themes", "static", "templates"];

    /// A project root with the given folders, canonicalised.
    fn project(folders: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("project");
        for f in folders {
            std::fs::create_dir_all(root.join(f)).expect("mkdir");
        }
        std::fs::create_dir_all(&root).expect("mkdir");
        let root = std::fs::canonicalize(&root).expect("canonical");
        (tmp, root)
    }

    fn resolve(root: &Path, out: &str, force: bool) -> Result<OutputTarget, OutputError> {
        OutputTarget::resolve(root, INPUTS, Path::new(out), force)
    }

    #[test]
    fn dots_and_trailing_slashes_resolve_to_one_folder() {
        let (_tmp, root) = project(&["policy", "content"]);
        for out in [
            "public",
            "./public",
            "public/",
            "./public/../public",
            "x/../public",
        ] {
            let t = resolve(&root, out, false).expect(out);
            assert_eq!(t.path(), root.join("public"), "{out}");
        }
        std::fs::create_dir(root.join("public")).expect("mkdir");
        for out in ["./public/../public/", "content/../public"] {
            let t = resolve(&root, out, false).expect(out);
            assert_eq!(t.path(), root.join("public"), "{out}");
        }
    }

    #[test]
    fn the_root_and_its_ancestors_are_refused_even_with_force() {
        let (_tmp, root) = project(&["policy"]);
        for (out, expected) in [
            (".", Relation::Is),
            ("./", Relation::Is),
            ("policy/..", Relation::Is),
            ("..", Relation::Contains),
            ("/", Relation::Contains),
        ] {
            for force in [false, true] {
                match resolve(&root, out, force) {
                    Err(OutputError::ProjectRoot { relation, .. }) => {
                        assert_eq!(relation, expected, "{out}")
                    }
                    other => panic!("{out}: expected ProjectRoot, got {other:?}"),
                }
            }
        }
    }

    #[test]
    fn inputs_are_refused_whether_they_exist_or_not() {
        let (_tmp, root) = project(&["policy", "content", "themes/default"]);
        for (out, expected) in [
            ("content", Relation::Is),
            ("policy/", Relation::Is),
            ("content/../policy/", Relation::Is),
            ("policy/sub", Relation::Inside),
            ("themes/default/templates", Relation::Inside),
            ("static", Relation::Is),
            ("templates/x/y", Relation::Inside),
        ] {
            match resolve(&root, out, true) {
                Err(OutputError::Input { relation, .. }) => assert_eq!(relation, expected, "{out}"),
                other => panic!("{out}: expected Input, got {other:?}"),
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_before_judging() {
        let (tmp, root) = project(&["policy", "content"]);
        std::os::unix::fs::symlink(root.join("content"), root.join("link")).expect("link");
        assert!(matches!(
            resolve(&root, "link", true),
            Err(OutputError::Input {
                relation: Relation::Is,
                ..
            })
        ));
        // A link to a folder that contains the whole project.
        std::os::unix::fs::symlink(tmp.path(), root.join("up")).expect("link");
        assert!(matches!(
            resolve(&root, "up/", true),
            Err(OutputError::ProjectRoot {
                relation: Relation::Contains,
                ..
            })
        ));
        // An input that is itself a link elsewhere: its target is an input.
        let shared = tmp.path().join("shared-static");
        std::fs::create_dir(&shared).expect("mkdir");
        std::os::unix::fs::symlink(&shared, root.join("static")).expect("link");
        let out = shared.join("site");
        assert!(matches!(
            OutputTarget::resolve(&root, INPUTS, &out, true),
            Err(OutputError::Input {
                relation: Relation::Inside,
                ..
            })
        ));
        // A link that points nowhere.
        std::os::unix::fs::symlink(tmp.path().join("gone"), root.join("dangling")).expect("link");
        assert!(matches!(
            resolve(&root, "dangling", true),
            Err(OutputError::DanglingLink { .. })
        ));
    }

    #[test]
    fn files_are_never_a_target() {
        let (_tmp, root) = project(&["policy"]);
        std::fs::write(root.join("notes.txt"), "mine").expect("file");
        for out in ["notes.txt", "notes.txt/", "notes.txt/sub"] {
            for force in [false, true] {
                match resolve(&root, out, force) {
                    Err(OutputError::NotAFolder { path, .. }) => {
                        assert_eq!(path, root.join("notes.txt"), "{out}")
                    }
                    other => panic!("{out}: expected NotAFolder, got {other:?}"),
                }
            }
        }
    }

    #[test]
    fn existing_folders_empty_marked_or_forced() {
        let (_tmp, root) = project(&["policy"]);
        let docs = root.join("docs");
        std::fs::create_dir(&docs).expect("mkdir");
        resolve(&root, "docs", false).expect("an empty folder is used");
        std::fs::write(docs.join("mine.txt"), "x").expect("file");
        assert!(matches!(
            resolve(&root, "docs", false),
            Err(OutputError::NotOurs { .. })
        ));
        resolve(&root, "docs", true).expect("forced");
        std::fs::create_dir(docs.join(MARKER)).expect("a folder is not the marker");
        assert!(matches!(
            resolve(&root, "docs", false),
            Err(OutputError::NotOurs { .. })
        ));
        std::fs::remove_dir(docs.join(MARKER)).expect("rmdir");
        std::fs::write(docs.join(MARKER), "").expect("marker");
        resolve(&root, "docs", false).expect("marked");
    }

    #[test]
    fn messages_name_the_folder_and_the_way_out() {
        let (_tmp, root) = project(&["policy"]);
        let docs = root.join("docs");
        std::fs::create_dir(&docs).expect("mkdir");
        std::fs::write(docs.join("mine.txt"), "x").expect("file");
        let Err(e) = resolve(&root, "docs", false) else {
            panic!("refused")
        };
        let text = e.to_string();
        assert!(text.contains(&docs.display().to_string()), "{text}");
        assert!(text.contains("--force"), "{text}");
        assert!(text.contains(MARKER), "{text}");
        let Err(e) = resolve(&root, "policy", true) else {
            panic!("refused")
        };
        let text = e.to_string();
        assert!(
            text.contains(&root.join("policy").display().to_string()),
            "{text}"
        );
        assert!(text.contains("--force does not change this"), "{text}");
    }
}

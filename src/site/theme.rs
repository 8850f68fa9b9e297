//! The theme: Tera templates and static files, bundled into the binary and
//! overridable per project.
//!
//! Lookup order for a template `NAME.html`: `<root>/templates/NAME.html`,
//! then `<root>/themes/default/templates/NAME.html`, then the copy built into
//! the binary. Static files likewise from `<root>/static/`,
//! `<root>/themes/default/static/`, then the bundled copy. A project thus
//! needs only `policy/` and `content/`; anything it wants to change it copies
//! and edits. This module must never render: it only finds and loads.
//!
//! Templates are the project's code, so loading is where their safety is
//! enforced: only regular files inside the project are read (a symlink
//! leaving the project is refused), `get_env` is not available, and macro or
//! include recursion (which would overflow the stack: Tera has no depth
//! limit) is found by [`scan`] before anything renders. Every template error
//! points into the template file, like any other diagnostic.

mod errors;
mod scan;

use errors::{load_error, relocate};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{FileId, SourceMap, Span, decode, read_regular_file};

macro_rules! bundled {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// Templates built into the binary (the bundled `themes/default`).
pub const TEMPLATES: &[(&str, &str)] = bundled!("templates":
    "base.html",
    "macros.html",
    "index.html",
    "chapter.html",
    "levels.html",
    "classify.html",
    "tree.html",
    "deadlines.html",
    "contacts.html",
    "unit.html",
    "org.html",
    "flow.html",
    "agencies.html",
    "duties.html",
    "drills.html",
    "accountability.html",
    "gaps.html",
    "search.html",
    "print.html",
    "incident.html",
    "worksheet.html",
    "report.html",
    "timing.txt",
);

/// Static files built into the binary, copied to `assets/`.
pub const STATIC: &[(&str, &str)] = bundled!("static":
    "style.css",
    "logic.js",
    "incident-state.js",
    "handbook.js",
    "incident.js",
    "report.js",
    "drills.js",
);

/// Largest template or static file read from a project.
pub const MAX_THEME_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The theme as loaded for one build.
pub struct Theme {
    pub tera: tera::Tera,
    pub assets: BTreeMap<String, String>,
    /// Every template's text under the path it was read from (bundled
    /// copies under `themes/default/templates/`), for locating errors.
    pub sources: SourceMap,
    files: BTreeMap<String, FileId>,
    /// The same templates in the source map given to [`load_into`] (empty
    /// after [`load`]), so render errors can point into it.
    in_caller: BTreeMap<String, FileId>,
}

impl Theme {
    /// Sets up the filters that depend on the handbook's language (the
    /// policy's, known only once it is compiled).
    pub fn use_language(&mut self, language: &str) {
        super::filters::register(&mut self.tera, language);
    }
}

/// Problems that stopped loading, with the template texts they point into.
struct ThemeErrors {
    diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
}

/// Loads the theme, adding every template text to `sources`: problems at
/// load time and later render errors point into it, so the snippet can be
/// drawn. Render errors must then be shown with that same `sources`.
pub fn load_into(root: &Path, sources: &mut SourceMap) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = load_theme(root).map_err(|e| {
        e.diagnostics
            .into_iter()
            .map(|d| relocate(d, &e.sources, sources))
            .collect::<Vec<_>>()
    })?;
    for (name, id) in &theme.files {
        let file = theme.sources.get(*id);
        let caller = sources.add(file.path.clone(), file.text.clone());
        theme.in_caller.insert(name.clone(), caller);
    }
    Ok(theme)
}

/// The template functions Tera offers that a theme must not have. A call is
/// already refused by [`scan`]; the replacement only makes sure nothing
/// slips through at render time.
fn refuse_environment(
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Err(tera::Error::msg(
        "`get_env` is not available: templates cannot read the environment of the machine that builds",
    ))
}

/// Reads project files for the theme (templates, static files, locales),
/// refusing what lies outside the project.
pub(super) struct Reader {
    root: PathBuf,
    canonical_root: PathBuf,
}

impl Reader {
    /// A reader for the project at `root`, which must resolve.
    pub(super) fn new(root: &Path) -> Result<Reader, Box<Diagnostic>> {
        let canonical_root = std::fs::canonicalize(root).map_err(|e| {
            Box::new(Diagnostic::error(
                Rule::Io,
                format!("cannot resolve the project folder {}: {e}", root.display()),
            ))
        })?;
        Ok(Reader {
            root: root.to_path_buf(),
            canonical_root,
        })
    }

    /// The first of `dirs/name` that exists, as (path relative to the root,
    /// text).
    pub(super) fn find(
        &self,
        dirs: &[&str],
        name: &str,
    ) -> Result<Option<(PathBuf, String)>, Box<Diagnostic>> {
        for dir in dirs {
            let rel = Path::new(dir).join(name);
            let path = self.root.join(&rel);
            let io = |message: String| {
                Box::new(
                    Diagnostic::error(
                        Rule::Io,
                        format!("cannot read {}: {message}", rel.display()),
                    )
                    .in_file(rel.clone()),
                )
            };
            // Only a file that is not there falls back to the next place; an
            // unreadable folder must not silently swap in the bundled copy.
            match std::fs::symlink_metadata(&path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(e.to_string())),
            }
            let canonical = std::fs::canonicalize(&path)
                .map_err(|e| io(format!("{e} (a symbolic link that points nowhere?)")))?;
            if !canonical.starts_with(&self.canonical_root) {
                let d = io(format!(
                    "it is a symbolic link (or lies in a linked folder) that leads outside the project, to {}",
                    canonical.display()
                ));
                return Err(Box::new(d.hint(
                    "copy the file into the project: the site may only contain files of the project",
                )));
            }
            let bytes =
                read_regular_file(&path, MAX_THEME_FILE_BYTES).map_err(|e| io(e.to_string()))?;
            let text = decode(&bytes).map_err(|p| {
                Box::new(
                    Diagnostic::error(
                        Rule::Encoding,
                        format!("{} is not usable text: {p:?}", rel.display()),
                    )
                    .in_file(rel.clone())
                    .hint("save the file as UTF-8 without BOM"),
                )
            })?;
            return Ok(Some((rel, text)));
        }
        Ok(None)
    }
}

fn load_theme(root: &Path) -> Result<Theme, ThemeErrors> {
    let fail = |d: Diagnostic, sources: SourceMap| ThemeErrors {
        diagnostics: vec![d],
        sources,
    };
    let canonical_root = std::fs::canonicalize(root).map_err(|e| {
        fail(
            Diagnostic::error(
                Rule::Io,
                format!("cannot resolve the project folder {}: {e}", root.display()),
            ),
            SourceMap::default(),
        )
    })?;
    let reader = Reader {
        root: root.to_path_buf(),
        canonical_root,
    };
    let mut sources = SourceMap::default();
    let mut files = BTreeMap::new();
    let mut texts = BTreeMap::new();
    for (name, bundled) in TEMPLATES {
        let (rel, text) = match reader.find(&["templates", "themes/default/templates"], name) {
            Ok(Some(found)) => found,
            Ok(None) => (
                Path::new("themes/default/templates").join(name),
                (*bundled).to_owned(),
            ),
            Err(d) => return Err(fail(*d, sources)),
        };
        files.insert(name.to_string(), sources.add(rel, text.clone()));
        texts.insert(name.to_string(), text);
    }
    // Tera's parser recurses per nesting level: bound it before parsing.
    let deep: Vec<Diagnostic> = texts
        .iter()
        .filter_map(|(name, text)| {
            let d = scan::too_deep(text)?;
            Some(
                Diagnostic::error(Rule::Template, format!("{name} is too deeply nested: {}", d.what))
                    .at(Span::new(*files.get(name)?, d.range), "too deep")
                    .hint("Tera recurses once per level, so deep templates would crash the build; split the template into macros or pass flatter data"),
            )
        })
        .collect();
    if !deep.is_empty() {
        return Err(ThemeErrors {
            diagnostics: deep,
            sources,
        });
    }
    let parsed = parse(&texts);
    let tera = match parsed {
        Ok(Ok(tera)) => tera,
        Ok(Err(e)) => {
            let d = load_error(&e, &files, &sources);
            return Err(fail(d, sources));
        }
        Err(e) => {
            let d = Diagnostic::error(
                Rule::Template,
                format!("cannot start the template parser: {e}"),
            );
            return Err(fail(d, sources));
        }
    };
    let problems = safety_problems(&texts, &files);
    if !problems.is_empty() {
        return Err(ThemeErrors {
            diagnostics: problems,
            sources,
        });
    }
    let mut assets = BTreeMap::new();
    for (name, bundled) in STATIC {
        let text = match reader.find(&["static", "themes/default/static"], name) {
            Ok(Some((_, text))) => text,
            Ok(None) => (*bundled).to_owned(),
            Err(d) => return Err(fail(*d, sources)),
        };
        assets.insert(name.to_string(), text);
    }
    Ok(Theme {
        tera,
        assets,
        sources,
        files,
        in_caller: BTreeMap::new(),
    })
}

/// Stack of the thread that parses templates: Tera's parser recurses per
/// nesting level, and the caller's thread may be small (the dev server's).
const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Parses every template on a thread with a stack that fits the deepest
/// template [`scan::too_deep`] lets through.
fn parse(texts: &BTreeMap<String, String>) -> std::io::Result<tera::Result<tera::Tera>> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || {
                let mut tera = tera::Tera::default();
                tera.autoescape_on(vec![".html"]);
                tera.register_function("get_env", refuse_environment);
                tera.add_raw_templates(texts.iter()).map(|()| tera)
            })?;
        handle
            .join()
            .map_err(|_| std::io::Error::other("the template parser crashed"))
    })
}

/// Recursion and forbidden functions, found statically.
fn safety_problems(
    texts: &BTreeMap<String, String>,
    files: &BTreeMap<String, FileId>,
) -> Vec<Diagnostic> {
    let found = scan::scan(texts);
    let mut out = Vec::new();
    for f in &found.forbidden {
        let Some(&file) = files.get(&f.template) else {
            continue;
        };
        out.push(
            Diagnostic::error(Rule::Template, format!("`{}` is not available in templates", f.name))
                .at(Span::new(file, f.range.clone()), "reads the environment of the build machine")
                .hint("templates cannot read environment variables or files: put what the page needs into the policy or the theme"),
        );
    }
    let cycles = scan::cycles(&found.edges);
    if cycles.is_empty()
        && let Some(e) = scan::call_depth(&found.edges)
        && let Some(&file) = files.get(&e.from.template)
    {
        out.push(
            Diagnostic::error(
                Rule::Template,
                format!(
                    "calls, includes and extends chain more than {} deep",
                    scan::MAX_CALL_DEPTH
                ),
            )
            .at(Span::new(file, e.range.clone()), "the chain gets too long here")
            .hint("Tera recurses once per call, so long chains would crash the build; call fewer macros from macros"),
        );
    }
    for cycle in cycles {
        let e = &cycle.closing;
        let Some(&file) = files.get(&e.from.template) else {
            continue;
        };
        let message = if cycle.path.len() == 1 {
            format!("{} calls itself", cycle.path[0])
        } else {
            let names: Vec<String> = cycle.path.iter().map(ToString::to_string).collect();
            format!(
                "templates call each other in a loop: {} → back to the first",
                names.join(" → ")
            )
        };
        out.push(
            Diagnostic::error(Rule::Template, message)
                .at(Span::new(file, e.range.clone()), "recursive call")
                .hint("recursion in templates is not allowed (Tera has no depth limit, so it would crash the build); have the page builder pass the data flat, e.g. a list with depths, and loop over it"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_templates_pass_the_safety_scan() {
        let texts: BTreeMap<String, String> = TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        let files: BTreeMap<String, FileId> = texts
            .keys()
            .enumerate()
            .map(|(i, n)| (n.clone(), FileId(i)))
            .collect();
        assert_eq!(safety_problems(&texts, &files), Vec::new());
    }

    fn project_with(name: &str, text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates").join(name), text).unwrap();
        dir
    }

    #[test]
    fn a_recursive_macro_is_a_located_error() {
        let text = "{% extends \"base.html\" %}\n{% macro node(n) %}\n  {{ self::node(n=n) }}\n{% endmacro node %}\n{% block content %}{{ self::node(n=1) }}{% endblock content %}\n";
        let dir = project_with("flow.html", text);
        let mut sources = SourceMap::default();
        let Err(ds) = load_into(dir.path(), &mut sources) else {
            panic!("loaded")
        };
        assert_eq!(ds.len(), 1, "{ds:?}");
        let loc = ds[0].location(&sources);
        assert_eq!(
            (loc.file.as_deref(), loc.line, loc.column),
            (Some("templates/flow.html"), 3, 6)
        );
        assert_eq!(ds[0].rule, "template");
    }

    #[test]
    fn render_errors_point_into_the_template() {
        let text = "<h1>流程</h1>\n\n\n<p>{{ missing.name }}</p>\n";
        let dir = project_with("flow.html", text);
        let fails = |theme: &Theme| {
            let e = theme.tera.render("flow.html", &tera::Context::new());
            theme.render_error(&e.expect_err("fails"), "flow.html")
        };
        let mut sources = SourceMap::default();
        let Ok(theme) = load_into(dir.path(), &mut sources) else {
            panic!("loads")
        };
        let d = fails(&theme);
        let loc = d.location(&sources);
        assert_eq!(
            (loc.file.as_deref(), loc.line, loc.column),
            (Some("templates/flow.html"), 4, 7)
        );
    }

    #[test]
    fn a_syntax_error_points_at_its_line_and_column() {
        let dir = project_with(
            "flow.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ x + }}</p>\n{% endblock content %}\n",
        );
        let mut sources = SourceMap::default();
        let Err(ds) = load_into(dir.path(), &mut sources) else {
            panic!("loaded")
        };
        let loc = ds[0].location(&sources);
        assert_eq!(
            (loc.file.as_deref(), loc.line),
            (Some("templates/flow.html"), 3)
        );
    }
}

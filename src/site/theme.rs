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

mod scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Related};
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
);

/// Static files built into the binary, copied to `assets/`.
pub const STATIC: &[(&str, &str)] = bundled!("static":
    "style.css",
    "logic.js",
    "handbook.js",
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
}

/// Problems that stopped loading, with the template texts they point into.
struct ThemeErrors {
    diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
}

/// Loads the theme for a caller that has no [`SourceMap`] to add the
/// templates to (the dev server): the first problem, with its position
/// written into the message instead of a snippet.
pub fn load(root: &Path) -> Result<Theme, Box<Diagnostic>> {
    load_theme(root).map_err(|e| {
        let first = e
            .diagnostics
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("template", "the theme could not be loaded"));
        Box::new(inline_location(first, &e.sources))
    })
}

/// Loads the theme; on failure, every problem, pointing into template texts
/// that are added to `sources` so the snippet can be drawn.
pub fn load_into(root: &Path, sources: &mut SourceMap) -> Result<Theme, Vec<Diagnostic>> {
    load_theme(root).map_err(|e| {
        e.diagnostics
            .into_iter()
            .map(|d| relocate(d, &e.sources, sources))
            .collect()
    })
}

/// Moves a diagnostic's spans from one source map into another, adding the
/// files it points into.
fn relocate(mut d: Diagnostic, from: &SourceMap, to: &mut SourceMap) -> Diagnostic {
    let mut import = |span: &mut Span| {
        let file = from.get(span.file);
        span.file = match to.find(&file.path) {
            Some(id) if to.get(id).text == file.text => id,
            _ => to.add(file.path.clone(), file.text.clone()),
        };
    };
    if let Some(span) = d.span.as_mut() {
        import(span);
    }
    for Related { span, .. } in &mut d.related {
        import(span);
    }
    d
}

/// Replaces a diagnostic's span by its file and a `line:column` in the
/// message, for renderers that have no source map.
fn inline_location(mut d: Diagnostic, sources: &SourceMap) -> Diagnostic {
    if let Some(span) = d.span.take() {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.range.start);
        d.message = format!("{} (line {line}, column {column})", d.message);
        d.path = Some(file.path.clone());
        d.related.clear();
    }
    d
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

/// Reads project files for the theme, refusing what lies outside the
/// project.
struct Reader {
    root: PathBuf,
    canonical_root: PathBuf,
}

impl Reader {
    /// The first of `dirs/name` that exists, as (path relative to the root,
    /// text).
    fn find(
        &self,
        dirs: &[&str],
        name: &str,
    ) -> Result<Option<(PathBuf, String)>, Box<Diagnostic>> {
        for dir in dirs {
            let rel = Path::new(dir).join(name);
            let path = self.root.join(&rel);
            if std::fs::symlink_metadata(&path).is_err() {
                continue;
            }
            let io = |message: String| {
                Box::new(
                    Diagnostic::error("io", format!("cannot read {}: {message}", rel.display()))
                        .in_file(rel.clone()),
                )
            };
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
                        "encoding",
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
                "io",
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
                Diagnostic::error("template", format!("{name} is too deeply nested: {}", d.what))
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
    let mut tera = match parsed {
        Ok(Ok(tera)) => tera,
        Ok(Err(e)) => {
            let d = load_error(&e, &files, &sources);
            return Err(fail(d, sources));
        }
        Err(e) => {
            let d = Diagnostic::error("template", format!("cannot start the template parser: {e}"));
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
    super::filters::register(&mut tera);
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
            Diagnostic::error("template", format!("`{}` is not available in templates", f.name))
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
                "template",
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
            Diagnostic::error("template", message)
                .at(Span::new(file, e.range.clone()), "recursive call")
                .hint("recursion in templates is not allowed (Tera has no depth limit, so it would crash the build); have the page builder pass the data flat, e.g. a list with depths, and loop over it"),
        );
    }
    out
}

/// The messages of an error and its causes, outermost first.
fn chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

/// Texts between quotes (`'x'` or backticks) in a message, in order.
fn quoted(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(['\'', '`']) {
        let q = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        let Some(j) = after.find(q) else { break };
        out.push(&after[..j]);
        rest = &after[j + 1..];
    }
    out
}

/// Byte offset of a 1-based line and (character) column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// A load-time Tera error (syntax, a missing parent or macro file, a loop
/// of `extends`) as a diagnostic in the template it is about.
fn load_error(
    e: &tera::Error,
    files: &BTreeMap<String, FileId>,
    sources: &SourceMap,
) -> Diagnostic {
    let messages = chain(e);
    let hint = "fix the template (the originals are in themes/default/templates/)";
    let template = messages
        .iter()
        .flat_map(|m| quoted(m))
        .find_map(|q| files.get_key_value(q));
    let Some((name, &file)) = template else {
        return Diagnostic::error("template", messages.join(": ").replace('\n', " ")).hint(hint);
    };
    let text = &sources.get(file).text;
    // Syntax errors come from pest, whose message has ` --> line:col` and
    // `= expected ...` lines.
    let detail = messages.last().map(String::as_str).unwrap_or("");
    let position = detail.lines().find_map(|l| {
        let (line, col) = l.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((
            line.trim().parse::<usize>().ok()?,
            col.trim().parse::<usize>().ok()?,
        ))
    });
    if let Some((line, column)) = position {
        let expected = detail
            .lines()
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or("syntax error")
            .to_owned();
        let at = offset_of(text, line, column);
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        return Diagnostic::error(
            "template",
            format!("template syntax error in {name}: {expected}"),
        )
        .at(Span::new(file, at..end), expected)
        .hint(hint);
    }
    // Other load errors name another template (the missing parent or macro
    // file); point at where this one names it.
    let message = messages.join(": ").replace('\n', " ");
    let other = messages
        .iter()
        .flat_map(|m| quoted(m))
        .filter(|q| *q != name.as_str())
        .find_map(|q| text.find(&format!("\"{q}\"")).map(|i| i..i + q.len() + 2));
    match other {
        Some(range) => Diagnostic::error("template", message)
            .at(Span::new(file, range), "named here")
            .hint(hint),
        None => Diagnostic::error("template", message)
            .at(Span::new(file, 0..0), "in this template")
            .hint(hint),
    }
}

/// Is `offset` inside a `{{ }}` or `{% %}` tag of `text`?
fn in_tag(text: &str, offset: usize) -> bool {
    let before = &text[..offset];
    let open = before.rfind("{{").max(before.rfind("{%"));
    let close = before.rfind("}}").max(before.rfind("%}"));
    match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

impl Theme {
    /// A render-time Tera error as a diagnostic naming the template file and,
    /// where the failing expression can be found, its line and column
    /// (written into the message, since the caller's source map does not
    /// hold templates).
    pub fn render_error(&self, e: &tera::Error, page_template: &str) -> Diagnostic {
        let messages = chain(e);
        let message = messages.join(": ").replace('\n', " ");
        // Tera names the template the error happened in when it is a
        // parent, and the macro when it happened in one.
        let mut candidates: Vec<&str> = Vec::new();
        for m in &messages {
            if let Some(i) = m.find("(error happened in '") {
                if let Some(q) = quoted(&m[i..]).first() {
                    candidates.push(q);
                }
            }
            if let Some(i) = m.find("while rendering macro `") {
                let macro_name = quoted(&m[i..])
                    .first()
                    .and_then(|q| q.split("::").nth(1))
                    .unwrap_or("");
                let def = format!("macro {macro_name}(");
                candidates.extend(
                    self.files
                        .iter()
                        .filter(|(_, id)| self.sources.get(**id).text.contains(&def))
                        .map(|(n, _)| n.as_str()),
                );
            }
        }
        candidates.push(page_template);
        candidates.extend(self.files.keys().map(String::as_str));
        let needle = messages.iter().find_map(|m| {
            if let Some(rest) = m.strip_prefix("Variable `") {
                return rest.split('`').next().map(str::to_owned);
            }
            for (prefix, suffix) in [
                ("Function call '", "("),
                ("Filter call '", ""),
                ("Test call '", ""),
            ] {
                if let Some(rest) = m.strip_prefix(prefix) {
                    return rest.split('\'').next().map(|n| format!("{n}{suffix}"));
                }
            }
            None
        });
        let located = needle.as_deref().and_then(|needle| {
            candidates.iter().find_map(|name| {
                let id = *self.files.get(*name)?;
                let file = self.sources.get(id);
                let at = file
                    .text
                    .match_indices(needle)
                    .map(|(i, _)| i)
                    .find(|&i| in_tag(&file.text, i))?;
                Some((file, at))
            })
        });
        let hint = "fix the template named here (the originals are in themes/default/templates/)";
        match located {
            Some((file, at)) => {
                let (line, column) = file.line_col(at);
                Diagnostic::error(
                    "template",
                    format!("{message} (line {line}, column {column})"),
                )
                .in_file(file.path.clone())
                .hint(hint)
            }
            None => {
                let path = candidates
                    .first()
                    .and_then(|n| self.files.get(*n))
                    .map(|id| self.sources.get(*id).path.clone())
                    .unwrap_or_else(|| Path::new("templates").join(page_template));
                Diagnostic::error("template", message)
                    .in_file(path)
                    .hint(hint)
            }
        }
    }
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
        let Err(d) = load(dir.path()) else {
            panic!("loaded")
        };
        assert!(d.message.contains("(line 3, column"), "{}", d.message);
        assert_eq!(d.path.as_deref(), Some(Path::new("templates/flow.html")));
    }

    #[test]
    fn offsets_of_lines_and_columns_count_characters() {
        assert_eq!(offset_of("ab\n資安x", 2, 3), 3 + 6);
        assert_eq!(quoted("a 'b' and `c`"), vec!["b", "c"]);
    }
}

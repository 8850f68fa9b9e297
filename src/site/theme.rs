//! The theme: Tera templates and static files, bundled into the binary and
//! overridable per project.
//!
//! Lookup order for a template `NAME.html`: `<root>/templates/NAME.html`,
//! then `<root>/themes/default/templates/NAME.html`, then the copy built into
//! the binary. Static files likewise from `<root>/static/`,
//! `<root>/themes/default/static/`, then the bundled copy. A project thus
//! needs only `policy/` and `content/`; anything it wants to change it copies
//! and edits. This module must never render: it only finds and loads.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;

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

/// The theme as loaded for one build.
pub struct Theme {
    pub tera: tera::Tera,
    pub assets: BTreeMap<String, String>,
}

fn read_override(root: &Path, dirs: &[&str], name: &str) -> std::io::Result<Option<String>> {
    for dir in dirs {
        let path = root.join(dir).join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => return Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Loads templates and static files for `root`, with overrides.
pub fn load(root: &Path) -> Result<Theme, Box<Diagnostic>> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    let mut sources = Vec::new();
    for (name, bundled) in TEMPLATES {
        let text = read_override(root, &["templates", "themes/default/templates"], name)
            .map_err(|e| {
                Box::new(
                    Diagnostic::error("template", format!("cannot read template {name}: {e}"))
                        .in_file(format!("templates/{name}")),
                )
            })?
            .unwrap_or_else(|| (*bundled).to_owned());
        sources.push((name.to_string(), text));
    }
    tera.add_raw_templates(sources)
        .map_err(|e| template_error(&e))?;
    super::filters::register(&mut tera);
    let mut assets = BTreeMap::new();
    for (name, bundled) in STATIC {
        let text = read_override(root, &["static", "themes/default/static"], name)
            .map_err(|e| {
                Box::new(
                    Diagnostic::error("template", format!("cannot read static file {name}: {e}"))
                        .in_file(format!("static/{name}")),
                )
            })?
            .unwrap_or_else(|| (*bundled).to_owned());
        assets.insert(name.to_string(), text);
    }
    Ok(Theme { tera, assets })
}

/// A Tera error with its whole cause chain, which is where Tera puts the
/// template name and line.
pub fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error("template", message.replace('\n', " ")).hint(
        "fix the template named in the message (see themes/default/templates/ for the originals)",
    )
}

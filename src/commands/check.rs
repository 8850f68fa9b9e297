//! `handbook check`: report every problem of a project that `build` would
//! refuse before rendering: the policy, the chapters and the theme.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_POLICY, EXIT_USAGE, load_and_check};
use crate::diagnostics::{self, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagnosticFormat {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub format: DiagnosticFormat,
    pub deny_warnings: bool,
}

/// Human output goes to `err` (like a compiler's); machine formats go to
/// `out` so they can be piped.
pub fn check(opts: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (loaded, checked) = match load_and_check(&opts.root) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_USAGE;
        }
    };
    // The chapters and the theme are checked too: a shortcode naming an
    // unknown id is as much a broken reference as one in the policy, and a
    // template `build` would refuse must not pass here. `build` reports
    // through the same `check_project`.
    let mut project = crate::site::check_project(&opts.root, &loaded, &checked);
    if opts.deny_warnings {
        crate::check::deny_warnings(&mut project.diagnostics);
    }
    let ds = &project.diagnostics;
    let s = &project.sources;
    let text = match opts.format {
        DiagnosticFormat::Human => {
            let _ = write!(err, "{}", diagnostics::render_human(ds, s));
            String::new()
        }
        DiagnosticFormat::Json => diagnostics::render_json(ds, s),
        DiagnosticFormat::Sarif => diagnostics::render_sarif(ds, s),
        DiagnosticFormat::Github => diagnostics::render_github(ds, s),
    };
    let _ = out.write_all(text.as_bytes());
    if ds.iter().any(|d| d.severity == Severity::Error) {
        EXIT_POLICY
    } else {
        EXIT_OK
    }
}

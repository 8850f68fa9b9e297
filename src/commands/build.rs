//! `handbook build`: check, then render the handbook site atomically.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_POLICY, EXIT_USAGE};
use crate::diagnostics;
use crate::site::{self, BuildError, BuildOptions};

#[derive(Debug, Clone)]
pub struct BuildCommand {
    pub root: PathBuf,
    /// Output folder; relative paths are taken from `root`.
    pub out: PathBuf,
    /// Replace an existing folder that lacks the output marker (still never
    /// the root, an input folder or a file).
    pub force: bool,
}

pub fn build(opts: &BuildCommand, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = site::build(&BuildOptions {
        root: opts.root.clone(),
        out: opts.out.clone(),
        force: opts.force,
        year: None,
    });
    match result {
        Ok(report) => {
            if !report.warnings.is_empty() {
                let _ = write!(
                    err,
                    "{}",
                    diagnostics::render_human(&report.warnings, &report.sources)
                );
            }
            let _ = writeln!(
                out,
                "built {} pages ({} files, {} KiB) into {} in {:.1} ms; rule set {}",
                report.pages,
                report.files,
                report.bytes / 1024,
                report.out.display(),
                report.elapsed.as_secs_f64() * 1000.0,
                report.digest
            );
            EXIT_OK
        }
        Err(BuildError::Load(e)) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
        Err(BuildError::Diagnostics {
            diagnostics: ds,
            sources,
        }) => {
            let _ = write!(err, "{}", diagnostics::render_human(&ds, &sources));
            let _ = writeln!(
                err,
                "build stopped: the previous output (if any) is unchanged"
            );
            EXIT_POLICY
        }
        // The message names the folder and what to do; nothing was replaced.
        Err(BuildError::Write { error, .. }) => {
            let _ = writeln!(err, "error: {error}");
            EXIT_USAGE
        }
    }
}

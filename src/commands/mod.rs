//! The subcommands, as library functions the binary calls.
//!
//! Each command takes its options as a plain struct and writes to the given
//! output streams, returning the process exit code, so integration tests and
//! `main.rs` drive the same code. Exit codes: 0 clean, 1 the policy has
//! errors, 2 usage or I/O problem.

mod build;
mod check;
mod classify;
mod compile;
mod deadlines;
mod serve;

pub use build::{BuildCommand, build};
pub use check::{CheckOptions, DiagnosticFormat, check};
pub use classify::{ClassifyOptions, classify};
pub use compile::{CompileOptions, compile};
pub use deadlines::{DeadlineFormat, DeadlinesOptions, deadlines, facts_from_options, json_output};
pub use serve::serve;

use std::io::Write;
use std::path::Path;

use crate::check::Checked;
use crate::diagnostics::{self, Diagnostic};
use crate::policy::{self, Loaded};
use crate::ruleset::{self, Ruleset};

pub const EXIT_OK: u8 = 0;
pub const EXIT_POLICY: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Loads and checks a project's policy.
pub fn load_and_check(root: &Path) -> Result<(Loaded, Checked), policy::LoadError> {
    let loaded = policy::load(root)?;
    let checked = crate::check::run(&loaded);
    Ok((loaded, checked))
}

/// Loads, checks and compiles; on errors, prints them the human way to `err`
/// and returns the exit code to use.
pub fn ruleset_or_exit(root: &Path, err: &mut dyn Write) -> Result<Ruleset, u8> {
    let (loaded, checked) = match load_and_check(root) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return Err(EXIT_USAGE);
        }
    };
    match ruleset::compile(&loaded, &checked) {
        Ok(r) => Ok(r),
        Err(_) => {
            let errors: Vec<Diagnostic> = checked.diagnostics.clone();
            let _ = write!(
                err,
                "{}",
                diagnostics::render_human(&errors, &loaded.sources)
            );
            Err(EXIT_POLICY)
        }
    }
}

//! `handbook compile`: the checked rule set as canonical JSON.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE, ruleset_or_exit};

#[derive(Debug, Clone)]
pub struct CompileOptions {
    pub root: PathBuf,
    /// Write here instead of standard output.
    pub out: Option<PathBuf>,
}

pub fn compile(opts: &CompileOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let ruleset = match ruleset_or_exit(&opts.root, err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let json = ruleset.to_json();
    match &opts.out {
        None => {
            let _ = out.write_all(json.as_bytes());
        }
        Some(path) => {
            // Write beside the target and rename, so a reader never sees a
            // half-written rule set.
            let tmp = path.with_extension("json.tmp");
            let written =
                std::fs::write(&tmp, json.as_bytes()).and_then(|_| std::fs::rename(&tmp, path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
                return EXIT_USAGE;
            }
            let _ = writeln!(
                err,
                "wrote {} (format {}, {})",
                path.display(),
                ruleset.format_version,
                ruleset.digest
            );
        }
    }
    EXIT_OK
}

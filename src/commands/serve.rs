//! `handbook serve`: the live preview ([`crate::serve`], a library module)
//! with the CLI's message and exit code when it cannot start.

use std::io::Write;

use super::{EXIT_OK, EXIT_USAGE};
use crate::serve::{self, ServeOptions};

pub fn serve(opts: &ServeOptions, open: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match serve::run(opts, open, out, err) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}

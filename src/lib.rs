//! incident-handbook: a policy compiler and offline handbook for Taiwan's
//! national cyber-security incident reporting and response guideline.
//!
//! The pipeline runs one way: [`policy`] loads the TOML with spans, [`check`]
//! finds every problem as [`diagnostics`], and [`ruleset`] compiles a policy
//! that passed into a resolved model that the CLI and the site read.

pub mod check;
pub mod commands;
pub mod diagnostics;
pub mod domain;
pub mod policy;
pub mod ruleset;
pub mod serve;
pub mod site;

//! Stage 4: the handbook site, built from the rule set and `content/`.
//!
//! `build` checks the policy, the chapters and the theme (errors stop it;
//! `check` reports the same, see [`check_project`]), compiles the rule set,
//! renders every page into memory, and only then writes the output
//! atomically. The site reads the compiled [`Ruleset`], never the TOML, and
//! its scripts read the same compiled data (inlined as classic scripts, since
//! `fetch` and modules fail under `file://`). Every link is relative, so the
//! folder works from a USB stick. Nothing here may fetch from the network or
//! emit a non-ASCII file name.

pub mod cache;
pub mod cards;
pub mod content;
pub mod diagrams;
pub mod duration;
mod filters;
pub mod ics;
pub mod locale;
pub mod output;
pub mod pages;
pub mod rfc_text;
pub mod search;
pub mod synonyms;
pub mod theme;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check::Checked;
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{self, SourceMap};
use crate::ruleset::{self, Ruleset};

pub use output::Files;

/// The folders under the root a build reads: `policy/` (`policy::load`),
/// `content/` (`content::load`), `templates/`, `static/` and `themes/`
/// (`theme::load`), `locales/` (`locale::load_into`). The output may not be, contain or lie inside any of them.
pub const INPUT_FOLDERS: &[&str] = &[
    "policy",
    "content",
    "templates",
    "static",
    "themes",
    "locales",
];

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// The output folder; a relative path is taken from `root`.
    pub out: PathBuf,
    /// Replace an existing output folder even without the
    /// [`output::MARKER`] (never the root, an input folder or a file).
    pub force: bool,
    /// The year the drill calendars start at; `None` for [`current_year`]
    /// in the policy's time zone, which is known only once it has compiled.
    pub year: Option<i32>,
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The output folder, resolved.
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub digest: String,
    pub warnings: Vec<Diagnostic>,
    /// The files the warnings point into.
    pub sources: SourceMap,
}

/// Why a build stopped. The previous output is untouched in every case.
#[derive(Debug)]
pub enum BuildError {
    /// Loading could not start (missing policy folder ...): exit 2.
    Load(policy::LoadError),
    /// The policy, the chapters or the templates have errors: exit 1.
    Diagnostics {
        diagnostics: Vec<Diagnostic>,
        sources: SourceMap,
    },
    /// The output folder was refused (it may hold the user's files or the
    /// project), or writing it failed: exit 2. `path` is `--out` as given.
    Write {
        path: PathBuf,
        error: output::OutputError,
    },
}

/// Everything a render needs, checked and compiled.
pub struct Prepared {
    pub ruleset: Ruleset,
    /// The chapters, every shortcode resolved by [`check_project`].
    pub pages: Vec<content::ResolvedPage>,
    /// The theme [`check_project`] loaded and scanned: `render` uses this
    /// one, so it is the theme that was checked.
    pub theme: theme::Theme,
    /// The interface text of the policy's language.
    pub locale: locale::Locale,
    /// The search's synonym table (`content/synonyms.toml`; empty without one).
    pub synonyms: synonyms::Synonyms,
    /// Policy, chapters and template texts: warnings and render errors point
    /// into it.
    pub sources: SourceMap,
    pub warnings: Vec<Diagnostic>,
}

/// What a project is before rendering: its chapters, its theme and every
/// diagnostic of the policy, the chapters and the templates together.
/// `check` and `build` both report exactly these (`build` through
/// [`prepare`]), so `check` passes only where `build` gets to rendering.
/// What only rendering finds (a template using a variable or a filter that
/// does not exist) is `build`'s alone.
pub struct ProjectCheck {
    pub pages: Vec<content::Page>,
    /// The rule set, when the policy has no errors: the chapters' shortcodes
    /// were resolved against it, and `prepare` renders from it.
    pub ruleset: Option<Ruleset>,
    /// The chapters with their shortcodes resolved, when the rule set
    /// compiled and every shortcode resolved.
    pub resolved: Option<Vec<content::ResolvedPage>>,
    /// The theme, when it loaded; `None` when it has errors, which are in
    /// `diagnostics`.
    pub theme: Option<theme::Theme>,
    /// The interface text, when the policy declares a language and its
    /// locale files load; otherwise the reason is in `diagnostics`.
    pub locale: Option<locale::Locale>,
    /// The synonym table, when it has no errors.
    pub synonyms: Option<synonyms::Synonyms>,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the chapters against a checked policy, and loads the theme (the
/// static scan of the templates and Tera's parse; `theme::load_into` adds
/// the template texts to the sources, so its errors show their snippet) and
/// the interface text of the policy's language (`locale::load_into`).
/// Shortcodes are parsed as the chapters load; once the policy has no
/// errors (and its locale loaded), the rule set is compiled and every
/// shortcode resolved against it by the same function the pages print with
/// (`content::resolve_pages`).
/// The theme does not depend on the policy, so its problems are reported
/// even when the policy has errors; nothing is rendered here, so a broken
/// policy cannot set off render errors in the templates.
pub fn check_project(root: &Path, loaded: &policy::Loaded, checked: &Checked) -> ProjectCheck {
    let mut sources = loaded.sources.clone();
    let mut diagnostics = checked.diagnostics.clone();
    let pages = content::load(root, &mut sources, &mut diagnostics);
    content::check_links(&pages, &sources, &mut diagnostics);
    // A policy with errors does not compile; its own errors are reported,
    // and chapter references into it wait until it is fixed.
    let theme = match theme::load_into(root, &mut sources) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let locale = match locale::load_into(root, &loaded.policy, &mut sources) {
        Ok(locale) => locale,
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let table = synonyms::load_into(root, &mut sources, &mut diagnostics);
    let ruleset = ruleset::compile(loaded, checked).ok();
    if let (Some(table), Some(r), Some(text)) = (&table, &ruleset, &locale) {
        let haystack = synonyms::haystack(&table.synonyms, r, text, &pages, &sources);
        synonyms::check_used(table, &haystack, &mut diagnostics);
    }
    let resolved = ruleset.as_ref().zip(locale.as_ref()).and_then(|(r, text)| {
        let known = pages::known_paths(&loaded.policy, &pages);
        content::resolve_pages(&pages, r, text, &known, &mut diagnostics)
    });
    crate::diagnostics::sort(&mut diagnostics, &sources);
    ProjectCheck {
        pages,
        ruleset,
        resolved,
        theme,
        locale,
        synonyms: table.map(|t| t.synonyms),
        sources,
        diagnostics,
    }
}

/// Loads and checks the policy, the chapters and the theme
/// ([`check_project`], exactly what `check` reports), and compiles the rule
/// set.
pub fn prepare(root: &Path) -> Result<Prepared, BuildError> {
    let loaded = policy::load(root).map_err(BuildError::Load)?;
    let checked: Checked = crate::check::run(&loaded);
    let ProjectCheck {
        ruleset,
        resolved,
        theme,
        locale,
        synonyms,
        sources,
        diagnostics,
        ..
    } = check_project(root, &loaded, &checked);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    // A theme or locale that did not load (a policy without a language is
    // a `schema` error), a policy that did not compile and a shortcode that
    // did not resolve always left an error in `diagnostics`.
    let (false, Some(mut theme), Some(locale), Some(ruleset), Some(pages), Some(synonyms)) =
        (failed, theme, locale, ruleset, resolved, synonyms)
    else {
        return Err(BuildError::Diagnostics {
            diagnostics,
            sources,
        });
    };
    theme.use_language(&ruleset.meta.language);
    Ok(Prepared {
        ruleset,
        pages,
        theme,
        locale,
        synonyms,
        sources,
        warnings: diagnostics,
    })
}

/// Renders the whole site into memory with the theme [`prepare`] checked.
pub fn render(prepared: &Prepared, year: i32) -> Result<Files, BuildError> {
    // Render errors point into the templates `load_into` added to `sources`.
    pages::render_all(prepared, year, None)
        .map(|(files, _)| files)
        .map_err(|d| BuildError::Diagnostics {
            diagnostics: vec![*d],
            sources: prepared.sources.clone(),
        })
}

/// Checks, renders and writes the site.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let prepared = prepare(&opts.root)?;
    let refused = |error| BuildError::Write {
        path: opts.out.clone(),
        error,
    };
    // Checked before rendering, so a refused folder costs no rendering; checked
    // again just before the swap.
    let target = output::OutputTarget::resolve(&opts.root, INPUT_FOLDERS, &opts.out, opts.force)
        .map_err(refused)?;
    let year = match opts.year {
        Some(year) => year,
        None => current_year(prepared.ruleset.zone()),
    };
    let files = render(&prepared, year)?;
    output::write_atomically(&target, &files).map_err(refused)?;
    Ok(BuildReport {
        out: target.path().to_path_buf(),
        pages: files.keys().filter(|k| k.ends_with(".html")).count(),
        files: files.len(),
        bytes: files.values().map(Vec::len).sum(),
        elapsed: start.elapsed(),
        digest: prepared.ruleset.digest.clone(),
        warnings: prepared.warnings,
        sources: prepared.sources,
    })
}

/// The year drill calendars start at: the year in `zone` (the policy's) at
/// `SOURCE_DATE_EPOCH` (for reproducible builds) or now.
pub fn current_year(zone: chrono_tz::Tz) -> i32 {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now);
    year_at(now, zone)
}

/// The calendar year an instant falls in on `zone`'s wall clock: on New
/// Year's Eve one zone may already be in the next year.
fn year_at(instant: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> i32 {
    use chrono::Datelike;
    instant.with_timezone(&zone).year()
}

#[cfg(test)]
mod tests {
    use super::year_at;

    #[test]
    fn the_year_is_the_policy_zones() {
        let eve = chrono::DateTime::parse_from_rfc3339("2026-12-31T20:00:00Z")
            .expect("time")
            .to_utc();
        assert_eq!(year_at(eve, chrono_tz::Europe::Brussels), 2026);
        assert_eq!(year_at(eve, chrono_tz::Asia::Tokyo), 2027);
        assert_eq!(year_at(eve, chrono_tz::America::New_York), 2026);
    }
}

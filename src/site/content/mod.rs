//! Handbook chapters: `content/**/*.md` with TOML front matter, shortcodes
//! that pull facts from the rule set, and Markdown rendering.
//!
//! Prose must never repeat a fact the policy owns: a chapter writes
//! `{{ within(event="<event id>", level=3) }}` and the number comes from the rule
//! set, so editing the TOML changes the prose. Each call is parsed once,
//! when the chapter is loaded, into a typed [`Shortcode`] ([`shortcode`]);
//! [`resolve_pages`] resolves every one with the one [`resolve::resolve`]
//! against the compiled rule set, reporting what it refuses
//! (`content-reference`), and [`expand`] prints exactly what it returned.
//! So `check` and the pages cannot disagree. This module must never repeat
//! a fact the policy owns or drop a file it cannot read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod links;
mod markdown;
pub mod resolve;
pub mod shortcode;
mod walk;
pub mod words;

use markdown::markdown_options;
pub use markdown::{Heading, Rendered, anchor, render, render_with_prefix};
pub use resolve::{Fact, resolve};
pub use shortcode::{Placed, Shortcode};
pub use words::Words;

use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{FileId, MAX_FILE_BYTES, SourceMap, Span, decode, read_regular_file};
use crate::ruleset::Ruleset;
use crate::site::locale::Locale;

/// Zola's front-matter keys.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    /// Printed in full on `print.html` (what a reader needs in an incident);
    /// the other chapters are listed there by title and address.
    #[serde(default)]
    pub print: bool,
    /// The policy's events this chapter explains (ids), so the incident
    /// workspace can link the chapter for the stage a reader is at.
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// One chapter as read: front matter, where its body starts, its slug.
#[derive(Debug, Clone)]
pub struct Page {
    pub file: FileId,
    pub path: PathBuf,
    pub front: FrontMatter,
    pub slug: String,
    /// Byte offset of the body in the file, for shortcode positions.
    pub body_start: usize,
    /// The front matter's text and its byte range in the file, to locate
    /// what is wrong with a key's value once the rule set is known.
    pub front_source: String,
    pub front_range: std::ops::Range<usize>,
    /// Every well-formed shortcode of the body, parsed once (the malformed
    /// ones are reported as the page is read).
    pub shortcodes: Vec<Placed<Shortcode>>,
}

/// Reads every chapter under `<root>/content`, sorted by weight then path.
/// A missing folder is an empty handbook, not an error.
pub fn load(root: &Path, sources: &mut SourceMap, out: &mut Vec<Diagnostic>) -> Vec<Page> {
    let dir = root.join("content");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    walk::chapter_files(root, &dir, &mut files, out);
    let mut pages = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let bytes = match read_regular_file(&path, MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(e) => {
                out.push(
                    Diagnostic::error(Rule::Io, format!("cannot read {}: {e}", rel.display()))
                        .in_file(rel)
                        .hint("chapters must be regular, readable files of the project"),
                );
                continue;
            }
        };
        let text = match decode(&bytes) {
            Ok(t) => t,
            Err(problem) => {
                out.push(
                    Diagnostic::error(
                        Rule::Encoding,
                        format!("{} is not usable text: {problem}", rel.display()),
                    )
                    .in_file(rel)
                    .hint("save the chapter as UTF-8 without BOM"),
                );
                continue;
            }
        };
        let file = sources.add(rel.clone(), text);
        if let Some(page) = parse_page(file, &rel, &sources.get(file).text, out) {
            pages.push(page);
        }
    }
    pages.retain(|p| !p.front.draft);
    let mut seen: BTreeMap<String, FileId> = BTreeMap::new();
    for p in &pages {
        if let Some(first) = seen.get(&p.slug) {
            out.push(
                Diagnostic::error(
                    Rule::DuplicateId,
                    format!("two chapters have the slug `{}`", p.slug),
                )
                .at(Span::new(p.file, 0..3), "second chapter")
                .related(Span::new(*first, 0..3), "first chapter")
                .hint("set a different `slug` in one front matter; slugs become file names")
                .subject(p.slug.clone()),
            );
        } else {
            seen.insert(p.slug.clone(), p.file);
        }
    }
    pages.sort_by(|a, b| (a.front.weight, &a.path).cmp(&(b.front.weight, &b.path)));
    pages
}

fn parse_page(file: FileId, rel: &Path, text: &str, out: &mut Vec<Diagnostic>) -> Option<Page> {
    let fm_error = |message: String, range: std::ops::Range<usize>, label: &str, hint: &str| {
        Diagnostic::error(Rule::ContentFrontMatter, message)
            .at(Span::new(file, range), label)
            .hint(hint)
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        out.push(fm_error(
            "chapter has no front matter".into(),
            0..first_line_end,
            "expected `+++`",
            "start the file with a `+++` line, `title = \"...\"`, and another `+++` line",
        ));
        return None;
    }
    let fm_start = (first_line_end + 1).min(text.len());
    let mut close = None;
    let mut pos = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((fm_end, body_start)) = close else {
        out.push(fm_error(
            "front matter is not closed".into(),
            0..first_line_end,
            "opened here",
            "end the front matter with a `+++` line",
        ));
        return None;
    };
    let front: FrontMatter = match toml::from_str(&text[fm_start..fm_end]) {
        Ok(f) => f,
        Err(e) => {
            let span = e
                .span()
                .map(|s| s.start + fm_start..s.end + fm_start)
                .unwrap_or(fm_start..fm_end);
            let msg = e
                .message()
                .lines()
                .next()
                .unwrap_or("bad front matter")
                .to_owned();
            out.push(fm_error(
                format!("front matter: {msg}"),
                span,
                "here",
                "front matter keys are title, description, weight, slug, draft, print, events and [extra]",
            ));
            return None;
        }
    };
    let slug = match &front.slug {
        Some(s) => s.clone(),
        None => rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        let range = text[..fm_end]
            .find("slug")
            .map(|i| i..i + 4)
            .unwrap_or(0..3);
        out.push(fm_error(
            format!("slug `{slug}` is not ASCII kebab-case"),
            range,
            "used as a file name",
            "set slug = \"like-this\": output names stay ASCII so the site survives USB sticks and zip files on Windows",
        ));
        return None;
    }
    let mut shortcodes = Vec::new();
    for found in shortcode::parse_all(&text[body_start..], body_start) {
        match found.value {
            Ok(sc) => shortcodes.push(Placed {
                range: found.range,
                value: sc,
            }),
            Err(m) => {
                let mut d = Diagnostic::error(Rule::ContentReference, m.message)
                    .at(Span::new(file, found.range), m.label)
                    .hint(m.hint);
                if let Some(subject) = m.subject {
                    d = d.subject(subject);
                }
                out.push(d);
            }
        }
    }
    Some(Page {
        file,
        path: rel.to_path_buf(),
        front,
        slug,
        body_start,
        front_source: text[fm_start..fm_end].to_owned(),
        front_range: fm_start..fm_end,
        shortcodes,
    })
}

/// `content-link`: no link or image of a chapter runs code (see [`links`]).
/// Needs no policy, so it runs even when the policy has errors.
pub fn check_links(pages: &[Page], sources: &SourceMap, out: &mut Vec<Diagnostic>) {
    for page in pages {
        links::check(page, &sources.get(page.file).text, out);
    }
}

/// A chapter whose shortcodes all resolved: what each prints, in order.
#[derive(Debug, Clone)]
pub struct ResolvedPage {
    pub page: Page,
    pub facts: Vec<Placed<Fact>>,
    /// The locale's words for what rendering adds (a table's name).
    pub words: Words,
}

/// `content-reference`: resolves every shortcode of every chapter against
/// the rule set (`pages_known`: the site's pages, for `url`; `locale`: the
/// words of dates) with the one [`resolve()`], reporting each it refuses.
/// The chapters come back resolved only when every shortcode resolved, so
/// nothing unresolved can render.
pub fn resolve_pages(
    pages: &[Page],
    ruleset: &Ruleset,
    locale: &Locale,
    pages_known: &[String],
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<ResolvedPage>> {
    let words = match Words::from_locale(locale) {
        Ok(words) => words,
        Err(missing) => {
            out.push(*missing);
            return None;
        }
    };
    let mut resolved = Vec::with_capacity(pages.len());
    let mut complete = true;
    for page in pages {
        if !check_front_events(page, ruleset, out) {
            complete = false;
        }
        let mut facts = Vec::with_capacity(page.shortcodes.len());
        for sc in &page.shortcodes {
            match resolve(&sc.value, ruleset, &words, pages_known) {
                Ok(fact) => facts.push(Placed {
                    range: sc.range.clone(),
                    value: fact,
                }),
                Err(problem) => {
                    complete = false;
                    out.push(
                        Diagnostic::error(Rule::ContentReference, problem.message)
                            .at(Span::new(page.file, sc.range.clone()), problem.label)
                            .hint(problem.hint)
                            .subject(problem.subject),
                    );
                }
            }
        }
        resolved.push(ResolvedPage {
            page: page.clone(),
            facts,
            words: words.clone(),
        });
    }
    complete.then_some(resolved)
}

/// `content-reference` for each id of the front matter's `events` that is
/// not an event of the rule set, located at the id in the front matter.
/// Returns whether all resolved.
fn check_front_events(page: &Page, ruleset: &Ruleset, out: &mut Vec<Diagnostic>) -> bool {
    let mut all = true;
    for id in &page.front.events {
        if ruleset.events.iter().any(|e| &e.id == id) {
            continue;
        }
        all = false;
        // The id as written (quoted) inside the front matter; the
        // front-matter opening when it cannot be found (an escaped spelling).
        let quoted = format!("\"{id}\"");
        let range = match page.front_source.find(&quoted) {
            Some(i) => {
                let at = page.front_range.start + i + 1;
                at..at + id.len()
            }
            None => page.front_range.clone(),
        };
        out.push(
            Diagnostic::error(
                Rule::ContentReference,
                format!("front matter names event `{id}`, which the policy does not have"),
            )
            .at(Span::new(page.file, range), "unknown event")
            .hint("`events` lists ids of `[[event]]` entries in policy/deadlines.toml")
            .subject(id.clone()),
        );
    }
    all
}

/// The chapter's Markdown with every shortcode replaced by what
/// [`resolve_pages`] resolved it to; `text` is the chapter file's text and
/// `root` the relative path from the page to the site root (`../` for a
/// chapter), put in front of every `url`.
pub fn expand(chapter: &ResolvedPage, text: &str, root: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = chapter.page.body_start;
    for fact in &chapter.facts {
        out.push_str(&text[last..fact.range.start]);
        last = fact.range.end;
        match &fact.value {
            Fact::Markdown(md) => out.push_str(md),
            Fact::Page(path) => {
                out.push_str(root);
                out.push_str(path);
            }
        }
    }
    out.push_str(&text[last..]);
    out
}

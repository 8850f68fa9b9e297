//! Handbook chapters: `content/**/*.md` with TOML front matter, shortcodes
//! that pull facts from the rule set, and Markdown rendering.
//!
//! Prose must never repeat a fact the policy owns: a chapter writes
//! `{{ within(event="<event id>", level=3) }}` and the number comes from the rule
//! set, so editing the TOML changes the prose. Shortcodes are checked against
//! the policy's [`Index`] (rule `content-reference`) before anything is
//! rendered; expansion later trusts that check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::{Deserialize, Serialize};

mod links;
mod walk;

use crate::check::Index;
use crate::diagnostics::Diagnostic;
use crate::domain::LevelId;
use crate::policy::{FileId, MAX_FILE_BYTES, SourceMap, Span, decode, read_regular_file};
use crate::ruleset::Ruleset;

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
                    Diagnostic::error("io", format!("cannot read {}: {e}", rel.display()))
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
                        "encoding",
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
                    "duplicate-id",
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
        Diagnostic::error("content-front-matter", message)
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
                "front matter keys are title, description, weight, slug, draft and [extra]",
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
    Some(Page {
        file,
        path: rel.to_path_buf(),
        front,
        slug,
        body_start,
    })
}

/// A `{{ name(key="value", key=3) }}` call in a chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    pub name: String,
    pub args: BTreeMap<String, ArgValue>,
    /// Byte range of the whole `{{ ... }}` in the file.
    pub range: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    Str(String),
    Int(i64),
}

impl ArgValue {
    fn as_str(&self) -> Option<&str> {
        match self {
            ArgValue::Str(s) => Some(s),
            ArgValue::Int(_) => None,
        }
    }

    /// The value as written in TOML (`1`, `"1h"`), for messages; an
    /// argument that is not there shows as `(none)`.
    fn show(value: Option<&ArgValue>) -> String {
        match value {
            Some(ArgValue::Str(s)) => crate::diagnostics::toml_string(s),
            Some(ArgValue::Int(i)) => i.to_string(),
            None => "(none)".to_owned(),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            ArgValue::Int(i) => Some(*i),
            ArgValue::Str(s) => s.parse().ok(),
        }
    }

    /// The value as a level id: `level = 4` and `level = "significant"`.
    fn as_level(&self) -> LevelId {
        match self {
            ArgValue::Int(i) => LevelId::new(i.to_string()),
            ArgValue::Str(s) => LevelId::from(s.as_str()),
        }
    }
}

/// Finds every shortcode in a body; `offset` is the body's position in its
/// file. Malformed calls are returned as errors with their range.
pub fn shortcodes(
    body: &str,
    offset: usize,
) -> Vec<Result<Shortcode, (String, std::ops::Range<usize>)>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("{{").map(|i| i + from) {
        let Some(end) = body[start..].find("}}").map(|i| i + start + 2) else {
            found.push(Err((
                "`{{` is never closed with `}}`".to_owned(),
                offset + start..offset + start + 2,
            )));
            break;
        };
        let range = offset + start..offset + end;
        found.push(
            parse_call(body[start + 2..end - 2].trim())
                .map(|(name, args)| Shortcode {
                    name,
                    args,
                    range: range.clone(),
                })
                .map_err(|m| (m, range)),
        );
        from = end;
    }
    found
}

fn parse_call(inner: &str) -> Result<(String, BTreeMap<String, ArgValue>), String> {
    let open = inner.find('(').ok_or("expected name(arguments)")?;
    if !inner.ends_with(')') {
        return Err("expected `)` at the end of the call".into());
    }
    let name = inner[..open].trim().to_owned();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("`{name}` is not a shortcode name"));
    }
    let mut args = BTreeMap::new();
    let mut rest = inner[open + 1..inner.len() - 1].trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or("expected key=value")?;
        let key = rest[..eq].trim().to_owned();
        rest = rest[eq + 1..].trim_start();
        let value = if let Some(stripped) = rest.strip_prefix('"') {
            let close = stripped.find('"').ok_or("string is not closed")?;
            let v = ArgValue::Str(stripped[..close].to_owned());
            rest = stripped[close + 1..].trim_start();
            v
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let raw = rest[..end].trim();
            rest = &rest[end..];
            ArgValue::Int(
                raw.parse()
                    .map_err(|_| format!("`{raw}` is neither a \"string\" nor a number"))?,
            )
        };
        if args.insert(key.clone(), value).is_some() {
            return Err(format!("argument `{key}` is given twice"));
        }
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Ok((name, args))
}

/// The shortcodes a chapter may use, with their arguments.
pub const SHORTCODES: &[(&str, &[&str])] = &[
    ("within", &["event", "level"]),
    ("event", &["id"]),
    ("level", &["id"]),
    ("contact", &["id"]),
    ("unit", &["id"]),
    ("agency", &["id"]),
    ("duty", &["id"]),
    ("url", &["path"]),
    ("hours", &["id"]),
    ("indicator", &["id"]),
    ("indicator_question", &["id"]),
    ("drill_due", &["id", "n"]),
    ("drill_report", &["id", "n"]),
    ("drill_share", &["id", "n"]),
    ("drill_scenarios", &["id"]),
    ("drill_times", &["id"]),
];

/// `content-reference`: every shortcode is known, has its arguments, and
/// names ids that exist in the policy. `content-link`: no link or image runs
/// code (see [`links`]).
pub fn check(
    pages: &[Page],
    sources: &SourceMap,
    ix: &Index,
    policy: &crate::policy::Policy,
    pages_known: &[String],
    out: &mut Vec<Diagnostic>,
) {
    // Which levels each event has a time for, so that `within` never
    // expands to nothing.
    // The levels an event lists count even when a duration is malformed:
    // that is a `schema` error of its own, not a missing time limit.
    let event_levels: std::collections::BTreeMap<String, Vec<LevelId>> = policy
        .deadlines
        .as_ref()
        .map(|d| {
            d.value
                .event
                .iter()
                .map(|e| {
                    let levels = match e.within.as_ref().map(|w| w.get_ref()) {
                        Some(crate::policy::Within::Every(_)) => {
                            ix.level_order.iter().cloned().collect()
                        }
                        Some(crate::policy::Within::PerLevel(map)) => {
                            map.keys().map(|l| LevelId::from(l.as_str())).collect()
                        }
                        None => Vec::new(),
                    };
                    (e.id.get_ref().clone(), levels)
                })
                .collect()
        })
        .unwrap_or_default();
    for page in pages {
        let text = &sources.get(page.file).text;
        links::check(page, text, out);
        for found in shortcodes(&text[page.body_start..], page.body_start) {
            let sc = match found {
                Ok(sc) => sc,
                Err((msg, range)) => {
                    out.push(
                        Diagnostic::error(
                            "content-reference",
                            format!("malformed shortcode: {msg}"),
                        )
                        .at(Span::new(page.file, range), "here")
                        .hint("write shortcodes as {{ name(key=\"value\") }}"),
                    );
                    continue;
                }
            };
            let span = Span::new(page.file, sc.range.clone());
            let Some((_, params)) = SHORTCODES.iter().find(|(n, _)| *n == sc.name) else {
                let names: Vec<&str> = SHORTCODES.iter().map(|(n, _)| *n).collect();
                out.push(
                    Diagnostic::error(
                        "content-reference",
                        format!("unknown shortcode `{}`", sc.name),
                    )
                    .at(span, "not a shortcode")
                    .hint(format!("shortcodes are: {}", names.join(", ")))
                    .subject(sc.name.clone()),
                );
                continue;
            };
            let missing: Vec<&str> = params
                .iter()
                .copied()
                .filter(|p| !sc.args.contains_key(*p))
                .collect();
            let extra: Vec<&String> = sc
                .args
                .keys()
                .filter(|k| !params.contains(&k.as_str()))
                .collect();
            if !missing.is_empty() || !extra.is_empty() {
                out.push(
                    Diagnostic::error(
                        "content-reference",
                        format!("`{}` takes {}", sc.name, params.join(", ")),
                    )
                    .at(span, "wrong arguments")
                    .hint(format!(
                        "write {{{{ {}({}) }}}}",
                        sc.name,
                        params
                            .iter()
                            .map(|p| format!("{p}=..."))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                continue;
            }
            let arg = |k: &str| sc.args.get(k).and_then(ArgValue::as_str).unwrap_or("");
            // An id as the chapter wrote it: a string as is, anything else
            // as in TOML (`5`), so a number given for an id is not shown as ``.
            let shown = |k: &str| match sc.args.get(k) {
                Some(ArgValue::Str(s)) => s.clone(),
                other => ArgValue::show(other),
            };
            let level_ok = |k: &str| {
                sc.args
                    .get(k)
                    .map(ArgValue::as_level)
                    .is_some_and(|l| ix.levels.contains_key(&l))
            };
            // A policy file that failed to load has its own error; checking
            // shortcodes against its (missing) ids would bury it.
            let source_loaded = match sc.name.as_str() {
                "within" => policy.deadlines.is_some() && policy.levels.is_some(),
                "event" => policy.deadlines.is_some(),
                "level" => policy.levels.is_some(),
                "contact" | "hours" => policy.contacts.is_some(),
                "unit" => policy.organisation.is_some(),
                "agency" => policy.agencies.is_some(),
                "duty" | "indicator" | "indicator_question" => policy.duties.is_some(),
                name if name.starts_with("drill_") => policy.drills.is_some(),
                "url" => policy.trees.is_some(),
                _ => true,
            };
            if !source_loaded {
                continue;
            }
            let problem: Option<(String, String)> = match sc.name.as_str() {
                "within" if !ix.events.contains(arg("event")) => {
                    Some(("event".into(), shown("event")))
                }
                "within" if !level_ok("level") => {
                    Some(("level".into(), ArgValue::show(sc.args.get("level"))))
                }
                "event" if !ix.events.contains(arg("id")) => Some(("event".into(), shown("id"))),
                "level" if !level_ok("id") => {
                    Some(("level".into(), ArgValue::show(sc.args.get("id"))))
                }
                "contact" if !ix.contacts.contains(arg("id")) => {
                    Some(("contact".into(), shown("id")))
                }
                "unit" if !ix.is_actor(arg("id")) => Some(("unit or role".into(), shown("id"))),
                "agency" if ix.agency(arg("id")).is_none() => Some(("agency".into(), shown("id"))),
                "duty" if !ix.duties.contains(arg("id")) => Some(("duty".into(), shown("id"))),
                "url" if !pages_known.iter().any(|p| p == arg("path")) => {
                    Some(("page".into(), shown("path")))
                }
                "indicator" | "indicator_question" if !ix.indicators.contains(arg("id")) => {
                    Some(("indicator".into(), shown("id")))
                }
                "hours" if !ix.contacts.contains(arg("id")) => {
                    Some(("contact".into(), shown("id")))
                }
                name if name.starts_with("drill_") && !ix.drills.contains(arg("id")) => {
                    Some(("drill".into(), shown("id")))
                }
                _ => None,
            };
            if problem.is_none()
                && let Some(missing) = missing_fact(policy, &sc)
            {
                out.push(
                    Diagnostic::error("content-reference", missing)
                        .at(span, "this would print nothing")
                        .hint(
                            "point the shortcode at a fact the policy has, or add it to the policy",
                        )
                        .subject(arg("id").to_owned()),
                );
                continue;
            }
            if problem.is_none() && sc.name == "within" {
                let level = sc
                    .args
                    .get("level")
                    .map(ArgValue::as_level)
                    .unwrap_or_else(|| LevelId::from("(none)"));
                let has = event_levels
                    .get(arg("event"))
                    .is_some_and(|levels| levels.contains(&level));
                if !has && event_levels.contains_key(arg("event")) {
                    out.push(
                        Diagnostic::error(
                            "content-reference",
                            format!("event `{}` has no time limit at level {level}", arg("event")),
                        )
                        .at(span, "this would print nothing")
                        .hint("the event's `within` in policy/deadlines.toml does not list this level; pick a level it has")
                        .subject(arg("event").to_owned()),
                    );
                    continue;
                }
            }
            if let Some((kind, id)) = problem {
                out.push(
                    Diagnostic::error(
                        "content-reference",
                        format!("unknown {kind} `{id}` in `{}`", sc.name),
                    )
                    .at(span, format!("no {kind} has this id"))
                    .hint("use an id defined in policy/ (see `handbook compile`), or fix the spelling")
                    .subject(id),
                );
            }
        }
    }
}

/// For shortcodes that read one fact of an entity (a drill's n-th due date,
/// a contact's hours), says what is missing when the entity lacks it.
fn missing_fact(policy: &crate::policy::Policy, sc: &Shortcode) -> Option<String> {
    let id = sc.args.get("id").and_then(ArgValue::as_str).unwrap_or("");
    let n = sc.args.get("n").and_then(ArgValue::as_int).unwrap_or(1);
    if sc.name == "hours" {
        let contact = policy
            .contacts
            .as_ref()?
            .value
            .contact
            .iter()
            .find(|c| c.id.get_ref() == id)?;
        return contact
            .hours
            .is_none()
            .then(|| format!("contact `{id}` has no `hours`"));
    }
    let drill = policy
        .drills
        .as_ref()?
        .value
        .drill
        .iter()
        .find(|d| d.id.get_ref() == id)?;
    let count = match sc.name.as_str() {
        "drill_due" => drill.due.len(),
        "drill_report" => drill.report.len(),
        "drill_share" => drill.participation.len(),
        "drill_scenarios" => usize::from(drill.scenarios.is_some()),
        "drill_times" => usize::from(drill.times_per_year.is_some()),
        _ => return None,
    };
    let wanted = if sc.args.contains_key("n") { n } else { 1 };
    (wanted < 1 || wanted as usize > count).then(|| {
        format!(
            "drill `{id}` has {count} value(s) for `{}`, not number {wanted}",
            sc.name
        )
    })
}

/// "4 月底前", "9 月 15 日前".
fn month_day_zh(month: u32, day: Option<u32>) -> String {
    match day {
        Some(d) => format!("{month} 月 {d} 日前"),
        None => format!("{month} 月底前"),
    }
}

/// Escapes text so Markdown shows it as written.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()#+-.!|<>&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn zh(t: &crate::ruleset::Text) -> &str {
    t.get("zh-TW").map(String::as_str).unwrap_or("")
}

/// Replaces every shortcode with Markdown; `root` is the relative path from
/// the page to the site root (`../` for a chapter).
pub fn expand(body: &str, ruleset: &Ruleset, root: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    for sc in shortcodes(body, 0).into_iter().flatten() {
        out.push_str(&body[last..sc.range.start]);
        last = sc.range.end;
        let arg = |k: &str| {
            sc.args
                .get(k)
                .and_then(ArgValue::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let int = |k: &str| sc.args.get(k).and_then(ArgValue::as_int).unwrap_or(0);
        let level = |k: &str| sc.args.get(k).map(ArgValue::as_level);
        let text = match sc.name.as_str() {
            "within" => ruleset
                .event(&arg("event"))
                .and_then(|e| e.within.get(&level("level")?))
                .map(|w| md_escape(&w.label_zh()))
                .unwrap_or_default(),
            "event" => ruleset
                .event(&arg("id"))
                .map(|e| md_escape(zh(&e.name)))
                .unwrap_or_default(),
            "level" => level("id")
                .and_then(|l| ruleset.level(&l))
                .map(|l| md_escape(zh(&l.name)))
                .unwrap_or_default(),
            "contact" => ruleset
                .contacts
                .iter()
                .find(|c| c.id == arg("id"))
                .map(|c| format!("[{}]({})", md_escape(&c.value), c.href))
                .unwrap_or_default(),
            "unit" => ruleset
                .actor_name(&arg("id"))
                .map(|n| md_escape(zh(n)))
                .unwrap_or_default(),
            "agency" => {
                let id = arg("id");
                ruleset
                    .agencies
                    .iter()
                    .find(|a| a.id == id || a.aliases.contains(&id))
                    .map(|a| md_escape(zh(&a.name)))
                    .unwrap_or_default()
            }
            "duty" => ruleset
                .duties
                .iter()
                .find(|d| d.id == arg("id"))
                .map(|d| md_escape(zh(&d.text)))
                .unwrap_or_default(),
            "url" => format!("{root}{}", arg("path")),
            "indicator" | "indicator_question" => ruleset
                .indicators
                .iter()
                .find(|i| i.id == arg("id"))
                .map(|i| {
                    md_escape(zh(if sc.name == "indicator" {
                        &i.name
                    } else {
                        &i.question
                    }))
                })
                .unwrap_or_default(),
            "hours" => ruleset
                .contacts
                .iter()
                .find(|c| c.id == arg("id"))
                .and_then(|c| c.hours.as_ref())
                .map(|h| md_escape(zh(h)))
                .unwrap_or_default(),
            name if name.starts_with("drill_") => {
                let nth = usize::try_from(int("n").max(1) - 1).unwrap_or(0);
                ruleset
                    .drills
                    .iter()
                    .find(|d| d.id == arg("id"))
                    .and_then(|d| match name {
                        "drill_due" => d.due.get(nth).map(|x| month_day_zh(x.month, x.day)),
                        "drill_report" => d.report.get(nth).map(|x| match (&x.within, &x.by) {
                            (Some(w), _) => format!("演練完成後 {}", w.label_zh()),
                            (None, Some(b)) => month_day_zh(b.month, b.day),
                            _ => String::new(),
                        }),
                        "drill_share" => d.participation.get(nth).map(|p| p.share.clone()),
                        "drill_scenarios" => d.scenarios.as_ref().map(|s| s.min.to_string()),
                        "drill_times" => d.times_per_year.map(|t| t.to_string()),
                        _ => None,
                    })
                    .map(|t| md_escape(&t))
                    .unwrap_or_default()
            }
            _ => String::new(),
        };
        out.push_str(&text);
    }
    out.push_str(&body[last..]);
    out
}

/// A heading of a rendered chapter, for the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Rendered Markdown.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// The text without markup, for search.
    pub plain: String,
}

/// An anchor that keeps the heading's own words (Chinese stays Chinese):
/// letters and digits of any script, spaces become `-`.
pub fn anchor(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() { "section".into() } else { id }
}

/// The Markdown extensions chapters use; checks parse with the same ones.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown with tables, footnotes and heading anchors. Raw HTML in
/// a chapter is shown as text, never passed through: chapters are data.
pub fn render(markdown: &str) -> Rendered {
    render_with_prefix(markdown, "")
}

/// As [`render`], with every heading id prefixed, so several chapters can
/// share one page (the print version) without clashing ids.
pub fn render_with_prefix(markdown: &str, prefix: &str) -> Rendered {
    let events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
    let mut headings = Vec::new();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut out_events = Vec::with_capacity(events.len());
    let mut plain = String::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let base = id
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| anchor(&text));
                let n = used.entry(base.clone()).or_insert(0);
                *n += 1;
                let unique = if *n == 1 {
                    format!("{prefix}{base}")
                } else {
                    format!("{prefix}{base}-{n}")
                };
                headings.push(Heading {
                    level: heading_number(*level),
                    id: unique.clone(),
                    text,
                });
                out_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Html(h) | Event::InlineHtml(h) => out_events.push(Event::Text(h.clone())),
            Event::Start(Tag::Table(_)) => {
                // Wide tables scroll inside their box on a phone; the box
                // must be reachable by keyboard even without JavaScript.
                let mut label = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::TableHead)) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        if !label.is_empty() {
                            label.push('、');
                        }
                        label.push_str(t);
                    }
                    j += 1;
                }
                out_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"表格：{}\">",
                    escape_attr(&label)
                ))));
                out_events.push(events[i].clone());
            }
            Event::End(TagEnd::Table) => {
                out_events.push(events[i].clone());
                out_events.push(Event::Html(CowStr::from("</div>")));
            }
            other => out_events.push(other.clone()),
        }
        if let Event::Text(t) | Event::Code(t) = &events[i] {
            plain.push_str(t);
        }
        if matches!(
            events[i],
            Event::End(_) | Event::SoftBreak | Event::HardBreak
        ) {
            plain.push(' ');
        }
        i += 1;
    }
    let mut html_out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut html_out, out_events.into_iter());
    Rendered {
        html: html_out,
        headings,
        plain,
    }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shortcodes() {
        let body = "a {{ within(event=\"review\", level=3) }} b {{ url(path=\"x.html\") }}";
        let found: Vec<_> = shortcodes(body, 10)
            .into_iter()
            .map(|r| r.map(|s| (s.name, s.range)))
            .collect();
        assert_eq!(
            found,
            vec![Ok(("within".into(), 12..49)), Ok(("url".into(), 52..76))]
        );
        assert!(shortcodes("{{ within(event=\"x\" }}", 0)[0].is_err());
        assert!(shortcodes("{{ oops", 0)[0].is_err());
    }

    #[test]
    fn anchors_keep_chinese() {
        assert_eq!(anchor("第一個小時 要做的事"), "第一個小時-要做的事");
        assert_eq!(anchor("Step 1: Call"), "step-1-call");
        assert_eq!(anchor("（）"), "section");
    }

    #[test]
    fn renders_tables_footnotes_and_escapes_html() {
        let r = render(
            "# 標題\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n文字[^1]\n\n[^1]: 註\n\n<script>x</script>\n",
        );
        assert!(r.html.contains("<h1 id=\"標題\">"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<script>"));
        assert_eq!(r.headings[0].id, "標題");
    }
}

//! The one resolution of a [`Shortcode`] against the compiled rule set.
//! `check` (through `site::check_project`) reports every call [`resolve`]
//! refuses, and rendering prints exactly what it returned, so whatever
//! `check` accepts prints a non-empty fact and whatever prints was checked.
//! This module must never phrase a fact the policy owns nor print a value
//! as Rust `Debug`: messages show values as TOML and ids as written.

use super::shortcode::{LevelArg, Shortcode};
use super::words::Words;
use crate::ruleset::{Level, Ruleset};

/// What a shortcode prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// Markdown, escaped where it holds policy text.
    Markdown(String),
    /// A page of the site, relative to the site root; the page it is printed
    /// on puts its own way to the root in front.
    Page(String),
}

/// Why a shortcode cannot print: becomes a `content-reference` diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub message: String,
    pub label: String,
    pub hint: String,
    /// The id the problem is about.
    pub subject: String,
}

fn unknown(kind: &str, shown: String, sc: &Shortcode, subject: &str) -> Unresolved {
    Unresolved {
        message: format!("unknown {kind} {shown} in `{}`", sc.name()),
        label: format!("no {kind} has this id"),
        hint: "use an id defined in policy/ (see `handbook compile`), or fix the spelling".into(),
        subject: subject.to_owned(),
    }
}

fn unknown_id(kind: &str, id: &str, sc: &Shortcode) -> Unresolved {
    unknown(kind, format!("`{id}`"), sc, id)
}

fn lacks(message: String, subject: &str) -> Unresolved {
    Unresolved {
        message,
        label: "this would print nothing".into(),
        hint: "point the shortcode at a fact the policy has, or add it to the policy".into(),
        subject: subject.to_owned(),
    }
}

/// The level a chapter names: `level=3` or `level="3"` for `id = 3`,
/// `level="significant"` for `id = "significant"`. Both spellings of a
/// number are accepted on purpose, for `check` and the page alike (both
/// come here): a level id is one word however TOML writes it, as in
/// deadlines.toml, whose `within` keys are always strings (`"3" = "1h"`).
fn level<'r>(r: &'r Ruleset, arg: &LevelArg, sc: &Shortcode) -> Result<&'r Level, Unresolved> {
    let wanted = arg.as_level();
    r.level(&wanted).ok_or_else(|| {
        let mut problem = unknown("level", format!("`{}`", arg.show()), sc, wanted.as_str());
        problem.hint = format!("the levels are {}", r.level_order().list());
        problem
    })
}

/// Escapes text so Markdown shows it as written.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()#+-.!|<>&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Resolves one shortcode: what it prints (never empty), or why it cannot.
/// `pages` are the site's pages (`known_paths`), for `url`; `words` the
/// locale's words for dates.
pub fn resolve(
    sc: &Shortcode,
    r: &Ruleset,
    words: &Words,
    pages: &[String],
) -> Result<Fact, Unresolved> {
    let fact = resolve_fact(sc, r, words, pages)?;
    match &fact {
        Fact::Markdown(m) | Fact::Page(m) if m.trim().is_empty() => Err(lacks(
            format!("`{}` would print nothing here", sc.name()),
            &sc.subject(),
        )),
        _ => Ok(fact),
    }
}

fn resolve_fact(
    sc: &Shortcode,
    r: &Ruleset,
    words: &Words,
    pages: &[String],
) -> Result<Fact, Unresolved> {
    let text = |t| r.text_of(t);
    let due = |id: &str, month: u32, day: Option<u32>| {
        words
            .due(month, day)
            .ok_or_else(|| lacks(format!("drill `{id}` has no month {month}"), id))
    };
    let event = |id: &str| r.event(id).ok_or_else(|| unknown_id("event", id, sc));
    let contact = |id: &str| {
        r.contacts
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| unknown_id("contact", id, sc))
    };
    let indicator = |id: &str| {
        r.indicators
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| unknown_id("indicator", id, sc))
    };
    let drill = |id: &str| {
        r.drills
            .iter()
            .find(|d| d.id == id)
            .ok_or_else(|| unknown_id("drill", id, sc))
    };
    let nth = |id: &str, count: usize, n: usize| {
        lacks(
            format!(
                "drill `{id}` has {count} value(s) for `{}`, not number {n}",
                sc.name()
            ),
            id,
        )
    };
    let md = |s: &str| Ok(Fact::Markdown(md_escape(s)));
    match sc {
        Shortcode::Within {
            event: id,
            level: l,
        } => {
            let e = event(id)?;
            let level = level(r, l, sc)?;
            match e.within.get(&level.id) {
                Some(w) => md(&words.within(*w)),
                None => Err(Unresolved {
                    hint: "the event's `within` in policy/deadlines.toml does not list this level; pick a level it has".into(),
                    ..lacks(
                        format!("event `{id}` has no time limit at level {}", level.id),
                        id,
                    )
                }),
            }
        }
        Shortcode::Event { id } => md(text(&event(id)?.name)),
        Shortcode::Level { id } => md(text(&level(r, id, sc)?.name)),
        Shortcode::Contact { id } => {
            let c = contact(id)?;
            Ok(Fact::Markdown(match (&c.href, c.placeholder) {
                // A placeholder is never a link, and says what it is, as
                // the contact pages show it.
                (_, true) => format!(
                    "*{}* **{}**",
                    md_escape(&c.value),
                    md_escape(words.placeholder())
                ),
                (Some(href), false) => format!("[{}]({href})", md_escape(&c.value)),
                // A real value that is no link (a fax number: tapping it
                // would start a call) is printed as it is written.
                (None, false) => md_escape(&c.value),
            }))
        }
        Shortcode::Hours { id } => match &contact(id)?.hours {
            Some(h) => md(text(h)),
            None => Err(lacks(format!("contact `{id}` has no `hours`"), id)),
        },
        Shortcode::Unit { id } => match r.actor_name(id) {
            Some(name) => md(text(name)),
            None => Err(unknown_id("unit or role", id, sc)),
        },
        Shortcode::Agency { id } => {
            if let Some(a) = r
                .agencies
                .iter()
                .find(|a| a.id == *id || a.aliases.contains(id))
            {
                return md(text(&a.name));
            }
            let mut problem = unknown_id("agency", id, sc);
            if let Some(a) = r.agencies.iter().find(|a| a.name.values().any(|n| n == id)) {
                problem.message = format!("`{id}` is an agency's full name, not its id or alias");
                problem.label = "an agency's full name".into();
                problem.hint = format!(
                    "name an agency by its id or an alias: write id=\"{}\"",
                    a.id
                );
            }
            Err(problem)
        }
        Shortcode::Duty { id } => match r.duties.iter().find(|d| d.id == *id) {
            Some(d) => md(text(&d.text)),
            None => Err(unknown_id("duty", id, sc)),
        },
        Shortcode::Url { path } => {
            if pages.iter().any(|p| p == path) {
                Ok(Fact::Page(path.clone()))
            } else {
                let mut problem = unknown_id("page", path, sc);
                problem.label = "no page has this path".into();
                problem.hint = "link a page the site has: a fixed page (`deadlines.html`), `chapters/<slug>.html` or `trees/<tree id>/index.html`".into();
                Err(problem)
            }
        }
        Shortcode::Indicator { id } => md(text(&indicator(id)?.name)),
        Shortcode::IndicatorQuestion { id } => md(text(&indicator(id)?.question)),
        Shortcode::DrillDue { id, n } => {
            let d = drill(id)?;
            match d.due.get(n - 1) {
                Some(d) => md(&due(id, d.month, d.day)?),
                None => Err(nth(id, d.due.len(), *n)),
            }
        }
        Shortcode::DrillReport { id, n } => {
            let d = drill(id)?;
            match d.report.get(n - 1) {
                Some(report) => match (&report.within, &report.by) {
                    (Some(w), _) => md(&words.after_drill(*w)),
                    (None, Some(b)) => md(&due(id, b.month, b.day)?),
                    (None, None) => Err(lacks(
                        format!("report number {n} of drill `{id}` has no due time"),
                        id,
                    )),
                },
                None => Err(nth(id, d.report.len(), *n)),
            }
        }
        Shortcode::DrillShare { id, n } => {
            let d = drill(id)?;
            match d.participation.get(n - 1) {
                Some(p) => md(&p.share),
                None => Err(nth(id, d.participation.len(), *n)),
            }
        }
        Shortcode::DrillScenarios { id } => match &drill(id)?.scenarios {
            Some(s) => md(&s.min.to_string()),
            None => Err(nth(id, 0, 1)),
        },
        Shortcode::DrillTimes { id } => match drill(id)?.times_per_year {
            Some(t) => md(&t.to_string()),
            None => Err(nth(id, 0, 1)),
        },
    }
}

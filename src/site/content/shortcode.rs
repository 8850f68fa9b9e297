//! Shortcodes: the `{{ name(key="value", key=3) }}` calls of a chapter,
//! parsed once into a typed [`Shortcode`] (one variant per shortcode, its
//! arguments as ids, levels and counts). Parsing needs no policy: a call that
//! does not parse, names no shortcode or has the wrong arguments is reported
//! here; whether its ids exist is [`super::resolve`]'s question. This module
//! must never look at the rule set.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::domain::LevelId;

/// An argument as written: a `"string"` or an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    Str(String),
    Int(i64),
}

impl ArgValue {
    /// The value as written in TOML (`1`, `"1h"`), for messages.
    pub fn show(&self) -> String {
        match self {
            ArgValue::Str(s) => crate::diagnostics::toml_string(s),
            ArgValue::Int(i) => i.to_string(),
        }
    }

    /// The value as a level id: `level=4` and `level="4"` name the level
    /// `id = 4`, `level="significant"` the level `id = "significant"`.
    pub fn as_level(&self) -> LevelId {
        match self {
            ArgValue::Int(i) => LevelId::new(i.to_string()),
            ArgValue::Str(s) => LevelId::from(s.as_str()),
        }
    }
}

/// A level as a chapter names it: an integer (`level=3`) or a string
/// (`level="3"`, `level="significant"`); both spellings of a number name
/// the same level (see [`super::resolve`]).
pub type LevelArg = ArgValue;

/// One shortcode with its typed arguments. Ids are the policy's ids as the
/// chapter wrote them; `n` counts from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortcode {
    /// An event's time limit at a level.
    Within { event: String, level: LevelArg },
    /// An event's name.
    Event { id: String },
    /// A level's name.
    Level { id: LevelArg },
    /// A contact's value, as a link.
    Contact { id: String },
    /// A contact's `hours`.
    Hours { id: String },
    /// A unit's or role's name.
    Unit { id: String },
    /// An agency's name, by id or alias.
    Agency { id: String },
    /// A duty's text.
    Duty { id: String },
    /// A page of the site, as a link target relative to the page.
    Url { path: String },
    /// An indicator's name.
    Indicator { id: String },
    /// An indicator's question.
    IndicatorQuestion { id: String },
    /// A drill's n-th due date.
    DrillDue { id: String, n: usize },
    /// A drill's n-th report deadline.
    DrillReport { id: String, n: usize },
    /// A drill's n-th participation share.
    DrillShare { id: String, n: usize },
    /// A drill's minimum number of scenarios.
    DrillScenarios { id: String },
    /// How many times a year a drill runs.
    DrillTimes { id: String },
}

impl Shortcode {
    /// The name a chapter writes (`within`).
    pub fn name(&self) -> &'static str {
        match self {
            Shortcode::Within { .. } => "within",
            Shortcode::Event { .. } => "event",
            Shortcode::Level { .. } => "level",
            Shortcode::Contact { .. } => "contact",
            Shortcode::Hours { .. } => "hours",
            Shortcode::Unit { .. } => "unit",
            Shortcode::Agency { .. } => "agency",
            Shortcode::Duty { .. } => "duty",
            Shortcode::Url { .. } => "url",
            Shortcode::Indicator { .. } => "indicator",
            Shortcode::IndicatorQuestion { .. } => "indicator_question",
            Shortcode::DrillDue { .. } => "drill_due",
            Shortcode::DrillReport { .. } => "drill_report",
            Shortcode::DrillShare { .. } => "drill_share",
            Shortcode::DrillScenarios { .. } => "drill_scenarios",
            Shortcode::DrillTimes { .. } => "drill_times",
        }
    }

    /// The id the shortcode is about (an acknowledgement's `subject`).
    pub fn subject(&self) -> String {
        match self {
            Shortcode::Within { event, .. } => event.clone(),
            Shortcode::Level { id } => id.show(),
            Shortcode::Url { path } => path.clone(),
            Shortcode::Event { id }
            | Shortcode::Contact { id }
            | Shortcode::Hours { id }
            | Shortcode::Unit { id }
            | Shortcode::Agency { id }
            | Shortcode::Duty { id }
            | Shortcode::Indicator { id }
            | Shortcode::IndicatorQuestion { id }
            | Shortcode::DrillDue { id, .. }
            | Shortcode::DrillReport { id, .. }
            | Shortcode::DrillShare { id, .. }
            | Shortcode::DrillScenarios { id }
            | Shortcode::DrillTimes { id } => id.clone(),
        }
    }
}

/// What an argument must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An id: a string.
    Id,
    /// A level: as levels.toml writes its ids.
    Level,
    /// A count from 1, optional (1 when left out).
    Nth,
}

/// Every shortcode with its arguments, in the order the hint lists them.
const SIGNATURES: &[(&str, &[(&str, Kind)])] = &[
    ("within", &[("event", Kind::Id), ("level", Kind::Level)]),
    ("event", &[("id", Kind::Id)]),
    ("level", &[("id", Kind::Level)]),
    ("contact", &[("id", Kind::Id)]),
    ("unit", &[("id", Kind::Id)]),
    ("agency", &[("id", Kind::Id)]),
    ("duty", &[("id", Kind::Id)]),
    ("url", &[("path", Kind::Id)]),
    ("hours", &[("id", Kind::Id)]),
    ("indicator", &[("id", Kind::Id)]),
    ("indicator_question", &[("id", Kind::Id)]),
    ("drill_due", &[("id", Kind::Id), ("n", Kind::Nth)]),
    ("drill_report", &[("id", Kind::Id), ("n", Kind::Nth)]),
    ("drill_share", &[("id", Kind::Id), ("n", Kind::Nth)]),
    ("drill_scenarios", &[("id", Kind::Id)]),
    ("drill_times", &[("id", Kind::Id)]),
];

/// The names of every shortcode.
pub fn names() -> impl Iterator<Item = &'static str> {
    SIGNATURES.iter().map(|(name, _)| *name)
}

/// Why a call is not a shortcode: the message and the hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub message: String,
    pub label: String,
    pub hint: String,
    /// The shortcode's name, when the call got that far.
    pub subject: Option<String>,
}

impl Malformed {
    fn syntax(message: impl Into<String>) -> Malformed {
        Malformed {
            message: format!("malformed shortcode: {}", message.into()),
            label: "here".into(),
            hint: "write shortcodes as {{ name(key=\"value\") }}".into(),
            subject: None,
        }
    }
}

/// A call found in a body: its byte range in the file and what it parsed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<T> {
    pub range: Range<usize>,
    pub value: T,
}

/// Finds every `{{ ... }}` in a body and parses it; `offset` is the body's
/// position in its file.
pub fn parse_all(body: &str, offset: usize) -> Vec<Placed<Result<Shortcode, Malformed>>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("{{").map(|i| i + from) {
        let Some(end) = body[start..].find("}}").map(|i| i + start + 2) else {
            found.push(Placed {
                range: offset + start..offset + start + 2,
                value: Err(Malformed::syntax("`{{` is never closed with `}}`")),
            });
            break;
        };
        found.push(Placed {
            range: offset + start..offset + end,
            value: parse_call(body[start + 2..end - 2].trim())
                .map_err(Malformed::syntax)
                .and_then(|(name, args)| typed(&name, args)),
        });
        from = end;
    }
    found
}

/// `name(key=value, ...)` into its name and arguments.
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

/// The typed shortcode of a parsed call.
fn typed(name: &str, mut args: BTreeMap<String, ArgValue>) -> Result<Shortcode, Malformed> {
    let Some((_, params)) = SIGNATURES.iter().find(|(n, _)| *n == name) else {
        return Err(Malformed {
            message: format!("unknown shortcode `{name}`"),
            label: "not a shortcode".into(),
            hint: format!("shortcodes are: {}", names().collect::<Vec<_>>().join(", ")),
            subject: Some(name.to_owned()),
        });
    };
    let usage = format!(
        "write {{{{ {name}({}) }}}}",
        params
            .iter()
            .map(|(p, kind)| match kind {
                Kind::Id => format!("{p}=\"...\""),
                Kind::Level | Kind::Nth => format!("{p}=..."),
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let wrong = |message: String| Malformed {
        message,
        label: "wrong arguments".into(),
        hint: usage.clone(),
        subject: Some(name.to_owned()),
    };
    let missing = params
        .iter()
        .any(|(p, kind)| *kind != Kind::Nth && !args.contains_key(*p));
    let extra = args.keys().any(|k| !params.iter().any(|(p, _)| p == k));
    if missing || extra {
        let list: Vec<&str> = params.iter().map(|(p, _)| *p).collect();
        return Err(wrong(format!("`{name}` takes {}", list.join(", "))));
    }
    // Every parameter is either given or optional (`n`), checked above.
    let mut id = |key: &str| match args.remove(key) {
        Some(ArgValue::Str(s)) => Ok(s),
        Some(other) => Err(wrong(format!(
            "`{key}` of `{name}` is an id, written as a string: {key}=\"{}\", not {key}={}",
            match &other {
                ArgValue::Int(i) => i.to_string(),
                ArgValue::Str(s) => s.clone(),
            },
            other.show()
        ))),
        None => Err(wrong(format!("`{name}` needs `{key}`"))),
    };
    let sc = match name {
        "within" => {
            let event = id("event")?;
            Shortcode::Within {
                event,
                level: take(&mut args, "level", &wrong)?,
            }
        }
        "event" => Shortcode::Event { id: id("id")? },
        "contact" => Shortcode::Contact { id: id("id")? },
        "hours" => Shortcode::Hours { id: id("id")? },
        "unit" => Shortcode::Unit { id: id("id")? },
        "agency" => Shortcode::Agency { id: id("id")? },
        "duty" => Shortcode::Duty { id: id("id")? },
        "url" => Shortcode::Url { path: id("path")? },
        "indicator" => Shortcode::Indicator { id: id("id")? },
        "indicator_question" => Shortcode::IndicatorQuestion { id: id("id")? },
        "drill_scenarios" => Shortcode::DrillScenarios { id: id("id")? },
        "drill_times" => Shortcode::DrillTimes { id: id("id")? },
        "level" => Shortcode::Level {
            id: take(&mut args, "id", &wrong)?,
        },
        "drill_due" | "drill_report" | "drill_share" => {
            let drill = id("id")?;
            let n = nth(args.remove("n"), name, &wrong)?;
            match name {
                "drill_due" => Shortcode::DrillDue { id: drill, n },
                "drill_report" => Shortcode::DrillReport { id: drill, n },
                _ => Shortcode::DrillShare { id: drill, n },
            }
        }
        _ => return Err(wrong(format!("`{name}` has no typed form"))),
    };
    Ok(sc)
}

fn take(
    args: &mut BTreeMap<String, ArgValue>,
    key: &str,
    wrong: &dyn Fn(String) -> Malformed,
) -> Result<ArgValue, Malformed> {
    args.remove(key)
        .ok_or_else(|| wrong(format!("needs `{key}`")))
}

/// `n`: a whole number from 1; 1 when left out.
fn nth(
    value: Option<ArgValue>,
    name: &str,
    wrong: &dyn Fn(String) -> Malformed,
) -> Result<usize, Malformed> {
    match value {
        None => Ok(1),
        Some(ArgValue::Int(i)) if i >= 1 => {
            usize::try_from(i).map_err(|_| wrong(format!("`n` of `{name}` is too large: {i}")))
        }
        Some(other) => Err(wrong(format!(
            "`n` of `{name}` counts from 1, written as a number (n=2), not n={}",
            other.show()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Shortcode, Malformed> {
        let mut all = parse_all(text, 0);
        assert_eq!(all.len(), 1, "{text}");
        all.remove(0).value
    }

    #[test]
    fn finds_calls_with_their_ranges() {
        let body = "a {{ within(event=\"x\", level=3) }} b {{ url(path=\"x.html\") }}";
        let found: Vec<_> = parse_all(body, 10)
            .into_iter()
            .map(|p| (p.range, p.value.is_ok()))
            .collect();
        assert_eq!(found, vec![(12..44, true), (47..71, true)]);
        assert!(one("{{ within(event=\"x\" }}").is_err());
        assert!(one("{{ oops").is_err());
    }

    #[test]
    fn arguments_are_typed() {
        assert_eq!(
            one("{{ within(event=\"e\", level=3) }}"),
            Ok(Shortcode::Within {
                event: "e".into(),
                level: ArgValue::Int(3)
            })
        );
        assert_eq!(
            one("{{ level(id=\"significant\") }}"),
            Ok(Shortcode::Level {
                id: ArgValue::Str("significant".into())
            })
        );
        assert_eq!(
            one("{{ drill_due(id=\"d\") }}"),
            Ok(Shortcode::DrillDue {
                id: "d".into(),
                n: 1
            })
        );
        assert_eq!(
            one("{{ drill_share(id=\"d\", n=2) }}"),
            Ok(Shortcode::DrillShare {
                id: "d".into(),
                n: 2
            })
        );
    }

    #[test]
    fn wrong_arguments_say_what_to_write_in_toml_words() {
        let e = one("{{ event(id=5) }}").expect_err("a number is no event id");
        assert_eq!(
            e.message,
            "`id` of `event` is an id, written as a string: id=\"5\", not id=5"
        );
        let e = one("{{ drill_due(id=\"d\", n=0) }}").expect_err("n counts from 1");
        assert!(e.message.ends_with("not n=0"), "{}", e.message);
        let e = one("{{ drill_due(id=\"d\", n=\"2\") }}").expect_err("n is a number");
        assert!(e.message.ends_with("not n=\"2\""), "{}", e.message);
        let e = one("{{ contact(id=\"a\", level=1) }}").expect_err("extra argument");
        assert_eq!(e.message, "`contact` takes id");
        assert_eq!(e.hint, "write {{ contact(id=\"...\") }}");
        let e = one("{{ nope(id=\"a\") }}").expect_err("unknown shortcode");
        assert_eq!(e.message, "unknown shortcode `nope`");
        for m in [&e.message, &e.hint] {
            assert!(!m.contains("Some(") && !m.contains("Int("), "{m}");
        }
    }
}

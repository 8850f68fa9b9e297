//! The chapter half of the rename: every `{{ name(key=value, ...) }}` call is
//! parsed and the arguments that name an id get the new id. The text around
//! the calls is never touched.

use super::{Edit, Kind, Renames, apply};

/// One argument of a call: its key, its value as written, and where the value
/// is in the chapter.
struct Arg<'a> {
    key: &'a str,
    value: &'a str,
    quoted: bool,
    range: std::ops::Range<usize>,
}

/// The arguments of the call `inner`, which starts at byte `at`.
fn parse_call(inner: &str, at: usize) -> Result<(&str, Vec<Arg<'_>>), String> {
    let open = inner.find('(').ok_or("expected name(arguments)")?;
    let close = inner.rfind(')').ok_or("expected `)`")?;
    let name = inner[..open].trim();
    let mut args = Vec::new();
    let mut pos = open + 1;
    while pos < close {
        let rest = &inner[pos..close];
        let skipped = rest.len() - rest.trim_start_matches([' ', ',']).len();
        pos += skipped;
        if pos >= close {
            break;
        }
        let eq = inner[pos..close].find('=').ok_or("expected key=value")? + pos;
        let key = inner[pos..eq].trim();
        let mut start = eq + 1;
        start += inner[start..close].len() - inner[start..close].trim_start().len();
        let (value, quoted, end) = if inner[start..].starts_with('"') {
            let len = inner[start + 1..close]
                .find('"')
                .ok_or("string is not closed")?;
            (&inner[start + 1..start + 1 + len], true, start + len + 2)
        } else {
            let len = inner[start..close].find(',').unwrap_or(close - start);
            (inner[start..start + len].trim(), false, start + len)
        };
        args.push(Arg {
            key,
            value,
            quoted,
            range: at + start..at + end,
        });
        pos = end;
    }
    Ok((name, args))
}

/// The chapter with every id argument renamed.
pub fn rename_chapter(text: &str, renames: &Renames) -> Result<String, String> {
    let mut edits = front_matter_events(text, renames)?;
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let end = text[start..]
            .find("}}")
            .map(|i| i + start)
            .ok_or("`{{` is never closed")?;
        let (name, args) = parse_call(&text[start + 2..end], start + 2)?;
        for arg in args {
            let new = new_value(name, &arg, renames)?;
            if let Some(new) = new {
                edits.push(Edit {
                    range: arg.range,
                    text: format!("\"{new}\""),
                });
            }
        }
        from = end + 2;
    }
    Ok(apply(text, edits))
}

/// The front matter's `events = ["<event>", ...]` (one line), each id
/// renamed.
fn front_matter_events(text: &str, renames: &Renames) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    let Some(rest) = text.strip_prefix("+++\n") else {
        return Ok(edits);
    };
    let end = rest.find("\n+++").ok_or("front matter is never closed")?;
    let mut at = 4;
    for line in rest[..end].split_inclusive('\n') {
        if let Some(list) = line.trim_end().strip_prefix("events = [") {
            let list = list.strip_suffix(']').ok_or("`events` must be one line")?;
            let base = at + "events = [".len();
            let mut offset = 0;
            for item in list.split(',') {
                let lead = item.len() - item.trim_start().len();
                let id = item.trim();
                let bare = id
                    .strip_prefix('"')
                    .and_then(|x| x.strip_suffix('"'))
                    .ok_or("`events` ids must be quoted")?;
                let start = base + offset + lead;
                edits.push(Edit {
                    range: start..start + id.len(),
                    text: format!("\"{}\"", renames.get(Kind::Event, "", bare)),
                });
                offset += item.len() + 1;
            }
        }
        at += line.len();
    }
    Ok(edits)
}

/// The new value of one argument, or `None` when it names no id (or the id
/// keeps its name).
fn new_value(name: &str, arg: &Arg<'_>, r: &Renames) -> Result<Option<String>, String> {
    let v = arg.value;
    let new = match (name, arg.key) {
        ("within", "event") | ("event", "id") => r.get(Kind::Event, "", v).to_owned(),
        ("within", "level") | ("level", "id") => {
            let new = r.get(Kind::Level, "", v);
            if new == v {
                return Ok(None);
            }
            new.to_owned()
        }
        ("contact" | "hours", "id") => r.get(Kind::Contact, "", v).to_owned(),
        ("unit", "id") => r.actor(v).to_owned(),
        ("agency", "id") => match r.agency_reference(v) {
            Some(new) => new.to_owned(),
            None => return Ok(None),
        },
        ("duty", "id") => r.get(Kind::Duty, "", v).to_owned(),
        ("indicator" | "indicator_question", "id") => r.get(Kind::Indicator, "", v).to_owned(),
        (drill, "id") if drill.starts_with("drill_") => r.get(Kind::Drill, "", v).to_owned(),
        (drill, "n") if drill.starts_with("drill_") => return Ok(None),
        ("url", "path") => {
            let (path, fragment) = match v.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (v, None),
            };
            if fragment.is_some() {
                return Err(format!("url(path=\"{v}\"): fragments are not renamed yet"));
            }
            let new = r.site_path(path);
            if new == path {
                return Ok(None);
            }
            new
        }
        (name, key) => {
            return Err(format!(
                "the shortcode argument {name}({key}=...) is unknown to \
                 tests/rename_support/shortcodes.rs: say whether it names an id"
            ));
        }
    };
    if !arg.quoted && new == v {
        return Ok(None);
    }
    Ok(Some(new))
}

//! `schema`: values that parse as TOML and deserialise, but are not allowed.
//!
//! serde already rejected unknown keys, wrong types and missing fields while
//! loading. This rule checks what types cannot say: enumerated words, level
//! numbers, duration syntax, the time zone, section references, and that
//! every text has the declared language (`language.rs` checks that key).

use toml::Spanned;

use super::span_of;
use crate::diagnostics::Diagnostic;
use crate::policy::{FileId, Policy, Text, Within};
use crate::ruleset::deadlines::parse_within;

fn one_of(
    file: FileId,
    what: &str,
    value: &Spanned<String>,
    allowed: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    if allowed.contains(&value.get_ref().as_str()) {
        return;
    }
    let mut d = Diagnostic::error(
        "schema",
        format!("`{}` is not a valid {what}", value.get_ref()),
    )
    .at(
        span_of(file, value),
        format!("expected one of: {}", allowed.join(", ")),
    )
    .subject(value.get_ref().clone());
    d = match super::references::nearest(value.get_ref(), allowed.iter().copied()) {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None => d.hint(format!("use one of: {}", allowed.join(", "))),
    };
    out.push(d);
}

fn source(file: FileId, value: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let s = value.get_ref().trim();
    let ok =
        s.starts_with(|c: char| c.is_ascii_digit()) || s.starts_with('第') || s.starts_with("附件");
    if !ok {
        out.push(
            Diagnostic::error("schema", format!("`{s}` is not a section of the guideline"))
                .at(span_of(file, value), "expected a section such as \"3.2(二)\"")
                .hint("write the guideline section this rule comes from: \"3.1(一)\", \"2.1 表 1\", \"第 6 章\" or \"附件\""),
        );
    }
}

/// Checks a text: it has the policy's declared language `lang` (`None`
/// when that is missing or invalid, which `language::check` reports once),
/// no translation is empty, and every key is a language tag.
pub(super) fn text(file: FileId, lang: Option<&str>, value: &Text, out: &mut Vec<Diagnostic>) {
    let map = value.get_ref();
    let text_span = span_of(file, value);
    if let Some(lang) = lang {
        match map.get(lang) {
            Some(t) if !t.trim().is_empty() => {}
            Some(_) => out.push(
                Diagnostic::error("schema", "text is empty")
                    .at(span_of(file, value), format!("empty {lang} text"))
                    .hint("write the text, or remove the optional key"),
            ),
            None => out.push(
                Diagnostic::error("schema", format!("text has no `{lang}` version"))
                    .at(span_of(file, value), format!("{lang} missing"))
                    .hint(format!(
                        "write it as {{ {lang} = \"...\" }} (the policy's `language`); other languages go beside it"
                    )),
            ),
        }
    }
    for (tag, value) in map {
        if Some(tag.as_str()) != lang && value.trim().is_empty() {
            out.push(
                Diagnostic::error("schema", format!("`{tag}` text is empty"))
                    .at(text_span.clone(), "empty translation")
                    .hint("write the translation, or leave the language out until it exists"),
            );
        }
        if !super::language::is_language_tag(tag) {
            out.push(
                Diagnostic::error("schema", format!("`{tag}` is not a language tag"))
                    .at(text_span.clone(), "bad language key")
                    .hint("use a BCP 47 tag such as zh-TW or en"),
            );
        }
    }
}

fn opt_text(file: FileId, lang: Option<&str>, value: &Option<Text>, out: &mut Vec<Diagnostic>) {
    if let Some(t) = value {
        text(file, lang, t, out);
    }
}

pub fn check(policy: &Policy, out: &mut Vec<Diagnostic>) {
    let lang = super::language::declared(policy);
    if let Some(m) = &policy.meta {
        let f = m.file;
        let v = &m.value;
        text(f, lang, &v.title, out);
        text(f, lang, &v.guideline, out);
        source(f, &v.source, out);
        if v.timezone.get_ref().parse::<chrono_tz::Tz>().is_err() {
            out.push(
                Diagnostic::error(
                    "schema",
                    format!("unknown time zone `{}`", v.timezone.get_ref()),
                )
                .at(span_of(f, &v.timezone), "not an IANA time zone")
                .hint(
                    "write an IANA time zone name, such as \"Asia/Taipei\" or \"Europe/Brussels\"",
                ),
            );
        }
        if v.version.get_ref().trim().is_empty() {
            out.push(
                Diagnostic::error("schema", "version is empty")
                    .at(span_of(f, &v.version), "empty")
                    .hint("set a version such as \"2026.1\" and raise it when a rule changes"),
            );
        }
    }
    if let Some(l) = &policy.levels {
        let f = l.file;
        let v = &l.value;
        for level in &v.level {
            if !(1..=4).contains(level.id.get_ref()) {
                out.push(
                    Diagnostic::error(
                        "schema",
                        format!("level {} does not exist", level.id.get_ref()),
                    )
                    .at(span_of(f, &level.id), "expected 1, 2, 3 or 4")
                    .hint("the guideline has four levels, 1 (least severe) to 4 (most severe)"),
                );
            }
            text(f, lang, &level.name, out);
            text(f, lang, &level.summary, out);
            source(f, &level.source, out);
        }
        for id in 1..=4 {
            if !v.level.iter().any(|l| *l.id.get_ref() == id) {
                out.push(
                    Diagnostic::error("schema", format!("level {id} is not defined"))
                        .in_file("policy/levels.toml")
                        .hint(format!("add a [[level]] with id = {id}")),
                );
            }
        }
        for q in &v.question {
            text(f, lang, &q.text, out);
            opt_text(f, lang, &q.help, out);
            source(f, &q.source, out);
            if q.answer.len() < 2 {
                out.push(
                    Diagnostic::error(
                        "schema",
                        format!("question `{}` has fewer than two answers", q.id.get_ref()),
                    )
                    .at(span_of(f, &q.id), "needs [[question.answer]] entries")
                    .hint("a question offers at least two answers, most severe first"),
                );
            }
            for a in &q.answer {
                text(f, lang, &a.text, out);
            }
        }
        for c in &v.criterion {
            text(f, lang, &c.text, out);
            source(f, &c.source, out);
            if c.when.is_empty() {
                out.push(
                    Diagnostic::error(
                        "schema",
                        format!("criterion `{}` has no conditions", c.id.get_ref()),
                    )
                    .at(span_of(f, &c.id), "`when` is empty")
                    .hint("list at least one question = answer in `when`"),
                );
            }
        }
    }
    if let Some(d) = &policy.deadlines {
        let f = d.file;
        for c in &d.value.condition {
            text(f, lang, &c.text, out);
            source(f, &c.source, out);
        }
        for e in &d.value.event {
            text(f, lang, &e.name, out);
            opt_text(f, lang, &e.description, out);
            source(f, &e.source, out);
            if let Some(kind) = &e.kind {
                one_of(f, "event kind", kind, &["deadline", "right"], out);
            }
            match (&e.anchor, &e.within) {
                (Some(_), None) => out.push(
                    Diagnostic::error("schema", format!("event `{}` has an anchor but no `within`", e.id.get_ref()))
                        .at(span_of(f, &e.id), "when is this due?")
                        .hint("add within = \"1h\", a table of level = duration, \"immediately\" or \"unspecified\""),
                ),
                (None, Some(w)) => out.push(
                    Diagnostic::error("schema", format!("event `{}` has `within` but no anchor", e.id.get_ref()))
                        .at(span_of(f, w), "timed from what?")
                        .hint("add anchor = \"<event id>\", or remove `within` for a starting event"),
                ),
                _ => {}
            }
            if let Some(w) = &e.within {
                match w.get_ref() {
                    Within::Every(s) => {
                        if let Err(msg) = parse_within(s) {
                            out.push(
                                Diagnostic::error("schema", msg)
                                    .at(span_of(f, w), "not a duration")
                                    .hint("use minutes, hours, days or weeks: \"30m\", \"1h\", \"3d\", \"2w\"; or \"immediately\" / \"unspecified\""),
                            );
                        }
                    }
                    Within::PerLevel(map) => {
                        if map.is_empty() {
                            out.push(
                                Diagnostic::error("schema", "`within` table is empty")
                                    .at(span_of(f, w), "no level has this event")
                                    .hint("list the levels that have the event: { 4 = \"1h\", 3 = \"1h\" }"),
                            );
                        }
                        for (level, value) in map {
                            if !matches!(level.as_str(), "1" | "2" | "3" | "4") {
                                out.push(
                                    Diagnostic::error(
                                        "schema",
                                        format!("`{level}` is not a level"),
                                    )
                                    .at(span_of(f, w), "key must be 1, 2, 3 or 4")
                                    .hint("keys of a `within` table are level numbers"),
                                );
                            }
                            if let Err(msg) = parse_within(value) {
                                out.push(
                                    Diagnostic::error("schema", msg)
                                        .at(span_of(f, w), "not a duration")
                                        .hint("use \"30m\", \"1h\", \"3d\", \"2w\", \"immediately\" or \"unspecified\""),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(o) = &policy.organisation {
        let f = o.file;
        let mut undeclared_reported = false;
        let kinds: Vec<&str> = o
            .value
            .unit_kind
            .iter()
            .map(|k| k.id.get_ref().as_str())
            .collect();
        for u in &o.value.unit {
            text(f, lang, &u.name, out);
            opt_text(f, lang, &u.short, out);
            opt_text(f, lang, &u.lead_note, out);
            opt_text(f, lang, &u.jurisdiction, out);
            opt_text(f, lang, &u.remit, out);
            source(f, &u.source, out);
            if kinds.is_empty() {
                // Once: every unit lacks the same declaration.
                if std::mem::replace(&mut undeclared_reported, true) {
                    continue;
                }
                out.push(
                    Diagnostic::error("schema", format!("unit kind `{}` is not declared", u.kind.get_ref()))
                        .at(span_of(f, &u.kind), "organisation.toml declares no [[unit_kind]]")
                        .hint(format!("declare the kinds units may have in organisation.toml: [[unit_kind]] with id = \"{}\"", u.kind.get_ref()))
                        .subject(u.kind.get_ref().clone()),
                );
            } else {
                one_of(f, "unit kind", &u.kind, &kinds, out);
            }
        }
        for r in &o.value.role {
            text(f, lang, &r.name, out);
            opt_text(f, lang, &r.remit, out);
            source(f, &r.source, out);
        }
    }
    if let Some(a) = &policy.agencies {
        for agency in &a.value.agency {
            if *agency.number.get_ref() < 1 {
                out.push(
                    Diagnostic::error(
                        "schema",
                        format!("agency number {} is not positive", agency.number.get_ref()),
                    )
                    .at(span_of(a.file, &agency.number), "expected 1 or more")
                    .hint("agencies are numbered as in the annex, from 1"),
                );
            }
            text(a.file, lang, &agency.name, out);
            source(a.file, &agency.source, out);
        }
    }
    if let Some(c) = &policy.contacts {
        for contact in &c.value.contact {
            text(c.file, lang, &contact.name, out);
            text(c.file, lang, &contact.purpose, out);
            opt_text(c.file, lang, &contact.hours, out);
            source(c.file, &contact.source, out);
            // A `value_from` that is not a page is a section (`contact-source`
            // checks pages).
            if let Some(from) = &contact.value_from
                && !from.get_ref().trim().starts_with("http")
            {
                source(c.file, from, out);
            }
            one_of(
                c.file,
                "contact kind",
                &contact.kind,
                &["phone", "fax", "email", "url"],
                out,
            );
        }
    }
    if let Some(d) = &policy.duties {
        let f = d.file;
        for phase in &d.value.phase {
            text(f, lang, &phase.title, out);
        }
        for duty in &d.value.duty {
            text(f, lang, &duty.text, out);
            source(f, &duty.source, out);
        }
        for i in &d.value.indicator {
            text(f, lang, &i.name, out);
            text(f, lang, &i.question, out);
            source(f, &i.source, out);
        }
    }
    if let Some(d) = &policy.drills {
        let f = d.file;
        for drill in &d.value.drill {
            text(f, lang, &drill.name, out);
            opt_text(f, lang, &drill.description, out);
            opt_text(f, lang, &drill.approval, out);
            for p in &drill.purpose {
                text(f, lang, p, out);
            }
            source(f, &drill.source, out);
            one_of(
                f,
                "drill cadence",
                &drill.cadence,
                &["yearly", "irregular", "per-plan"],
                out,
            );
            for due in &drill.due {
                text(f, lang, &due.text, out);
                source(f, &due.source, out);
            }
            for r in &drill.report {
                text(f, lang, &r.text, out);
                source(f, &r.source, out);
                if let Some(w) = &r.within
                    && let Err(msg) = parse_within(w.get_ref())
                {
                    out.push(
                        Diagnostic::error("schema", msg)
                            .at(span_of(f, w), "not a duration")
                            .hint("use \"2w\", \"10d\" ..."),
                    );
                }
            }
            for p in &drill.participation {
                text(f, lang, &p.of, out);
                source(f, &p.source, out);
            }
            if let Some(s) = &drill.scenarios {
                source(f, &s.source, out);
            }
        }
    }
    if let Some(a) = &policy.accountability {
        let v = &a.value;
        for p in v.reward.iter().chain(&v.penalty).chain(&v.mitigation) {
            text(a.file, lang, &p.text, out);
            source(a.file, &p.source, out);
        }
    }
    if let Some(t) = &policy.trees {
        let f = t.file;
        for tree in &t.value.tree {
            text(f, lang, &tree.title, out);
            text(f, lang, &tree.summary, out);
            source(f, &tree.source, out);
            for n in &tree.node {
                text(f, lang, &n.question, out);
                opt_text(f, lang, &n.help, out);
                source(f, &n.source, out);
                for a in &n.answer {
                    text(f, lang, &a.text, out);
                }
            }
            for o in &tree.outcome {
                text(f, lang, &o.title, out);
                text(f, lang, &o.text, out);
                source(f, &o.source, out);
            }
        }
    }
    if let Some(n) = &policy.notes {
        let f = n.file;
        for d in &n.value.decision {
            text(f, lang, &d.title, out);
            text(f, lang, &d.text, out);
            source(f, &d.source, out);
        }
        for i in &n.value.inconsistency {
            text(f, lang, &i.title, out);
            text(f, lang, &i.reason, out);
            source(f, &i.source, out);
            for r in &i.reading {
                text(f, lang, &r.text, out);
                source(f, &r.source, out);
            }
            if let Some(ack) = &i.acknowledges {
                let rules: Vec<&str> = super::RULES.iter().map(|r| r.id).collect();
                one_of(f, "rule id", &ack.rule, &rules, out);
            }
        }
    }
}

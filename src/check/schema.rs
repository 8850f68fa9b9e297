//! `schema`: values that parse as TOML and deserialise, but are not allowed.
//!
//! serde already rejected unknown keys, wrong types and missing fields while
//! loading. This rule checks what types cannot say: enumerated words, that
//! levels are declared and `within` keys name them, duration syntax, the
//! time zone, section references against the policy's `[sections]` pattern,
//! and that every text has the declared language (`language.rs` checks that
//! key).

use toml::Spanned;

use super::span_of;
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::duration::parse_within;
use crate::policy::{FileId, Policy, Text, Within};

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
        Rule::Schema,
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

/// The guideline's section-numbering scheme, from `[sections]` of
/// `policy.toml`. `None` when that file did not load or its pattern does not
/// compile (reported once, at the pattern): sources then go unchecked rather
/// than being judged against a guess.
struct SectionScheme {
    pattern: regex::Regex,
    examples: Vec<String>,
}

fn section_scheme(policy: &Policy, out: &mut Vec<Diagnostic>) -> Option<SectionScheme> {
    let meta = policy.meta.as_ref()?;
    let Some(sections) = &meta.value.sections else {
        out.push(
            Diagnostic::error(Rule::Schema, "policy.toml has no `[sections]` table")
                .in_file("policy/policy.toml")
                .hint("declare how the guideline numbers its sections, after the top-level keys: [sections] with pattern = '^(\\d|第|附件)' (a regular expression every `source` must match) and examples = [\"3.1(一)\", \"第 6 章\"]"),
        );
        return None;
    };
    let pattern = match regex::Regex::new(sections.pattern.get_ref()) {
        Ok(p) => p,
        Err(e) => {
            // The regex crate's message names the position in the pattern;
            // its first line is the summary, the rest a drawing of it.
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("invalid pattern").trim();
            out.push(
                Diagnostic::error(Rule::Schema, "the section pattern is not a valid regular expression")
                    .at(span_of(meta.file, &sections.pattern), last.to_owned())
                    .hint("write a regular expression in the syntax of the Rust regex crate, such as '^(\\d|第|附件)'; in a TOML literal string '...' a backslash needs no escaping"),
            );
            return None;
        }
    };
    if sections.examples.is_empty() {
        out.push(
            Diagnostic::error(Rule::Schema, "`[sections]` has no examples")
                .at(span_of(meta.file, &sections.pattern), "no example of a section")
                .hint("list a few sources written the right way: examples = [\"3.1(一)\", \"第 6 章\"]; they are shown when a source does not match"),
        );
    }
    for example in &sections.examples {
        if !pattern.is_match(example.get_ref().trim()) {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    format!(
                        "the section example `{}` does not match the pattern",
                        example.get_ref()
                    ),
                )
                .at(span_of(meta.file, example), "does not match `pattern`")
                .hint("fix the example or the pattern: every example must be a valid source"),
            );
        }
    }
    Some(SectionScheme {
        pattern,
        examples: sections
            .examples
            .iter()
            .map(|e| e.get_ref().clone())
            .collect(),
    })
}

fn source(
    sections: &Option<SectionScheme>,
    file: FileId,
    value: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(scheme) = sections else { return };
    let s = value.get_ref().trim();
    if scheme.pattern.is_match(s) {
        return;
    }
    let examples: Vec<String> = scheme.examples.iter().map(|e| format!("\"{e}\"")).collect();
    out.push(
        Diagnostic::error(Rule::Schema, format!("`{s}` is not a section of the guideline"))
            .at(
                span_of(file, value),
                format!("does not match the section pattern `{}`", scheme.pattern.as_str()),
            )
            .hint(format!(
                "write the guideline section this rule comes from, such as {} (the scheme is `[sections]` in policy.toml)",
                examples.join(", ")
            )),
    );
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
                Diagnostic::error(Rule::Schema, "text is empty")
                    .at(span_of(file, value), format!("empty {lang} text"))
                    .hint("write the text, or remove the optional key"),
            ),
            None => out.push(
                Diagnostic::error(Rule::Schema, format!("text has no `{lang}` version"))
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
                Diagnostic::error(Rule::Schema, format!("`{tag}` text is empty"))
                    .at(text_span.clone(), "empty translation")
                    .hint("write the translation, or leave the language out until it exists"),
            );
        }
        if !super::language::is_language_tag(tag) {
            out.push(
                Diagnostic::error(Rule::Schema, format!("`{tag}` is not a language tag"))
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
    let sec = section_scheme(policy, out);
    let lang = super::language::declared(policy);
    if let Some(m) = &policy.meta {
        let f = m.file;
        let v = &m.value;
        text(f, lang, &v.title, out);
        text(f, lang, &v.guideline, out);
        source(&sec, f, &v.source, out);
        // The page intros of `[handbook.intro]`: text and section alike.
        let intros = v.handbook.as_ref().and_then(|h| h.get_ref().intro.as_ref());
        for intro in intros
            .into_iter()
            .flat_map(|i| [&i.contacts, &i.org, &i.flow, &i.agencies])
            .flatten()
        {
            text(f, lang, &intro.text, out);
            if let Some(s) = &intro.source {
                source(&sec, f, s, out);
            }
        }
        if let Some(h) = &v.handbook {
            for follow_up in &h.get_ref().follow_up {
                text(f, lang, &follow_up.prompt, out);
                source(&sec, f, &follow_up.source, out);
            }
            for item in &h.get_ref().report_item {
                text(f, lang, &item.text, out);
                source(&sec, f, &item.source, out);
            }
        }
        if v.timezone.get_ref().parse::<chrono_tz::Tz>().is_err() {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
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
                Diagnostic::error(Rule::Schema, "version is empty")
                    .at(span_of(f, &v.version), "empty")
                    .hint("set a version such as \"2026.1\" and raise it when a rule changes"),
            );
        }
    }
    if let Some(l) = &policy.levels {
        let f = l.file;
        let v = &l.value;
        for level in &v.level {
            text(f, lang, &level.name, out);
            opt_text(f, lang, &level.short, out);
            text(f, lang, &level.summary, out);
            source(&sec, f, &level.source, out);
        }
        if v.level.is_empty() {
            out.push(
                Diagnostic::error(Rule::Schema, "no level is declared")
                    .in_file("policy/levels.toml")
                    .hint("declare at least one [[level]] with an id, a name and a summary; list them most severe first"),
            );
        }
        for q in &v.question {
            text(f, lang, &q.text, out);
            opt_text(f, lang, &q.help, out);
            opt_text(f, lang, &q.definition, out);
            for e in &q.examples {
                text(f, lang, e, out);
            }
            source(&sec, f, &q.source, out);
            if q.answer.len() < 2 {
                out.push(
                    Diagnostic::error(
                        Rule::Schema,
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
            source(&sec, f, &c.source, out);
            if c.when.is_empty() {
                out.push(
                    Diagnostic::error(
                        Rule::Schema,
                        format!("criterion `{}` has no conditions", c.id.get_ref()),
                    )
                    .at(span_of(f, &c.id), "`when` is empty")
                    .hint("list at least one question = answer in `when`"),
                );
            }
        }
    }
    // The declared levels, for the keys of `within` tables; unknown when
    // levels.toml did not load (its own error), and then keys go unchecked.
    let declared: Option<Vec<String>> = policy.levels.as_ref().map(|l| {
        l.value
            .level
            .iter()
            .map(|level| level.id.get_ref().to_string())
            .collect()
    });
    if let Some(d) = &policy.deadlines {
        let f = d.file;
        for c in &d.value.condition {
            text(f, lang, &c.text, out);
            source(&sec, f, &c.source, out);
        }
        for e in &d.value.event {
            text(f, lang, &e.name, out);
            opt_text(f, lang, &e.description, out);
            source(&sec, f, &e.source, out);
            if let Some(kind) = &e.kind {
                one_of(f, "event kind", kind, &["deadline", "right"], out);
            }
            match (&e.anchor, &e.within) {
                (Some(_), None) => out.push(
                    Diagnostic::error(Rule::Schema, format!("event `{}` has an anchor but no `within`", e.id.get_ref()))
                        .at(span_of(f, &e.id), "when is this due?")
                        .hint("add within = \"1h\", a table of level = duration, \"immediately\" or \"unspecified\""),
                ),
                (None, Some(w)) => out.push(
                    Diagnostic::error(Rule::Schema, format!("event `{}` has `within` but no anchor", e.id.get_ref()))
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
                                Diagnostic::error(Rule::Schema, msg)
                                    .at(span_of(f, w), "not a duration")
                                    .hint("use minutes, hours, days or weeks: \"30m\", \"1h\", \"3d\", \"2w\"; or \"immediately\" / \"unspecified\""),
                            );
                        }
                    }
                    Within::PerLevel(map) => {
                        if map.is_empty() {
                            out.push(
                                Diagnostic::error(Rule::Schema, "`within` table is empty")
                                    .at(span_of(f, w), "no level has this event")
                                    .hint("list the levels that have the event, by their ids in levels.toml: { <level> = \"1h\" }"),
                            );
                        }
                        for (level, value) in map {
                            if let Some(levels) = &declared
                                && !levels.contains(level)
                            {
                                out.push(
                                    Diagnostic::error(
                                        Rule::Schema,
                                        format!("`{level}` is not a level"),
                                    )
                                    .at(span_of(f, w), format!("key must be one of: {}", levels.join(", ")))
                                    .hint(format!(
                                        "keys of a `within` table are the ids of the [[level]] entries in levels.toml: {}",
                                        levels.join(", ")
                                    )),
                                );
                            }
                            if let Err(msg) = parse_within(value) {
                                out.push(
                                    Diagnostic::error(Rule::Schema, msg)
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
            source(&sec, f, &u.source, out);
            if kinds.is_empty() {
                // Once: every unit lacks the same declaration.
                if std::mem::replace(&mut undeclared_reported, true) {
                    continue;
                }
                out.push(
                    Diagnostic::error(Rule::Schema, format!("unit kind `{}` is not declared", u.kind.get_ref()))
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
            source(&sec, f, &r.source, out);
        }
    }
    if let Some(a) = &policy.agencies {
        for agency in &a.value.agency {
            if *agency.number.get_ref() < 1 {
                out.push(
                    Diagnostic::error(
                        Rule::Schema,
                        format!("agency number {} is not positive", agency.number.get_ref()),
                    )
                    .at(span_of(a.file, &agency.number), "expected 1 or more")
                    .hint("agencies are numbered as in the annex, from 1"),
                );
            }
            text(a.file, lang, &agency.name, out);
            source(&sec, a.file, &agency.source, out);
        }
    }
    if let Some(c) = &policy.contacts {
        for contact in &c.value.contact {
            text(c.file, lang, &contact.name, out);
            text(c.file, lang, &contact.purpose, out);
            opt_text(c.file, lang, &contact.hours, out);
            source(&sec, c.file, &contact.source, out);
            // A `value_from` that is not a page is a section (`contact-source`
            // checks pages).
            if let Some(from) = &contact.value_from
                && !from.get_ref().trim().starts_with("http")
            {
                source(&sec, c.file, from, out);
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
            source(&sec, f, &duty.source, out);
        }
        for i in &d.value.indicator {
            text(f, lang, &i.name, out);
            text(f, lang, &i.question, out);
            source(&sec, f, &i.source, out);
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
            source(&sec, f, &drill.source, out);
            one_of(
                f,
                "drill cadence",
                &drill.cadence,
                &["yearly", "irregular", "per-plan"],
                out,
            );
            for due in &drill.due {
                text(f, lang, &due.text, out);
                source(&sec, f, &due.source, out);
            }
            for r in &drill.report {
                text(f, lang, &r.text, out);
                source(&sec, f, &r.source, out);
                if let Some(w) = &r.within
                    && let Err(msg) = parse_within(w.get_ref())
                {
                    out.push(
                        Diagnostic::error(Rule::Schema, msg)
                            .at(span_of(f, w), "not a duration")
                            .hint("use \"2w\", \"10d\" ..."),
                    );
                }
            }
            for p in &drill.participation {
                text(f, lang, &p.of, out);
                source(&sec, f, &p.source, out);
            }
            if let Some(s) = &drill.scenarios {
                source(&sec, f, &s.source, out);
            }
        }
    }
    if let Some(a) = &policy.accountability {
        let v = &a.value;
        for p in v.reward.iter().chain(&v.penalty).chain(&v.mitigation) {
            text(a.file, lang, &p.text, out);
            source(&sec, a.file, &p.source, out);
        }
    }
    if let Some(t) = &policy.trees {
        let f = t.file;
        for tree in &t.value.tree {
            text(f, lang, &tree.title, out);
            text(f, lang, &tree.summary, out);
            source(&sec, f, &tree.source, out);
            for n in &tree.node {
                text(f, lang, &n.question, out);
                opt_text(f, lang, &n.help, out);
                source(&sec, f, &n.source, out);
                for a in &n.answer {
                    text(f, lang, &a.text, out);
                }
            }
            for o in &tree.outcome {
                text(f, lang, &o.title, out);
                text(f, lang, &o.text, out);
                source(&sec, f, &o.source, out);
            }
        }
    }
    if let Some(n) = &policy.notes {
        let f = n.file;
        for d in &n.value.decision {
            text(f, lang, &d.title, out);
            text(f, lang, &d.text, out);
            source(&sec, f, &d.source, out);
        }
        for i in &n.value.inconsistency {
            text(f, lang, &i.title, out);
            text(f, lang, &i.reason, out);
            source(&sec, f, &i.source, out);
            for r in &i.reading {
                text(f, lang, &r.text, out);
                source(&sec, f, &r.source, out);
            }
            if let Some(ack) = &i.acknowledges {
                let rules: Vec<&str> = super::RULES.iter().map(|r| r.id).collect();
                one_of(f, "rule id", &ack.rule, &rules, out);
            }
        }
    }
}

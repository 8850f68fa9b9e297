//! Shortcodes: `check` and the pages agree. Every shortcode is parsed once
//! and resolved by one function (`site::content::resolve`); these tests hold
//! the property on the bundled chapters and on a table of good and bad calls
//! built from the bundled rule set (no id is assumed: levels, events and the
//! rest are taken from it): a call `check` accepts prints non-empty text in
//! the page, and a call that cannot print is one `check` reported, with
//! values shown as TOML, never as Rust `Debug`.

mod common;

use std::path::Path;

use incident_handbook::commands::load_and_check;
use incident_handbook::diagnostics::Diagnostic;
use incident_handbook::ruleset::Ruleset;
use incident_handbook::site::content::{self, Fact, Words, shortcode};
use incident_handbook::site::{self, BuildOptions};

fn fact_text(fact: &Fact) -> &str {
    match fact {
        Fact::Markdown(m) | Fact::Page(m) => m,
    }
}

#[test]
fn every_shortcode_of_the_bundled_chapters_resolves_to_what_the_page_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = site::prepare(root).unwrap_or_else(|_| panic!("the bundled handbook prepares"));
    let (loaded, _) = load_and_check(root).expect("loads");
    let pages: Vec<_> = prepared.pages.iter().map(|p| p.page.clone()).collect();
    let known = site::pages::known_paths(&loaded.policy, &pages);
    let words = Words::from_locale(&prepared.locale).unwrap_or_else(|_| panic!("words"));
    let mut count = 0;
    for chapter in &prepared.pages {
        let text = &prepared.sources.get(chapter.page.file).text;
        let body = &text[chapter.page.body_start..];
        assert_eq!(
            body.matches("{{").count(),
            chapter.page.shortcodes.len(),
            "{}: every call parses",
            chapter.page.slug
        );
        assert_eq!(chapter.facts.len(), chapter.page.shortcodes.len());
        let expanded = content::expand(chapter, text, "../");
        assert!(!expanded.contains("{{"), "{}", chapter.page.slug);
        for (sc, fact) in chapter.page.shortcodes.iter().zip(&chapter.facts) {
            assert_eq!(sc.range, fact.range);
            // The page prints what the one resolution gives, and it is not empty.
            let again = content::resolve(&sc.value, &prepared.ruleset, &words, &known);
            assert_eq!(again.as_ref(), Ok(&fact.value), "{:?}", sc.value);
            assert!(!fact_text(&fact.value).trim().is_empty(), "{:?}", sc.value);
            assert!(expanded.contains(fact_text(&fact.value)), "{:?}", sc.value);
            count += 1;
        }
    }
    assert!(count > 20, "the bundled chapters use shortcodes ({count})");
}

/// A whole number that is no level's id.
fn unknown_level_number(r: &Ruleset) -> i64 {
    (1000..)
        .find(|n: &i64| !r.levels.iter().any(|l| l.id.to_string() == n.to_string()))
        .expect("a free number")
}

/// Calls built from the rule set, each with whether `check` must accept it.
fn table(r: &Ruleset) -> Vec<(String, bool)> {
    let mut calls: Vec<(String, bool)> = Vec::new();
    let q = |s: &str| format!("\"{s}\"");
    let event = &r.events[0];
    calls.push((format!("event(id={})", q(&event.id)), true));
    // A level as levels.toml writes its id; a numeric id may be written as
    // a number or as a string (one id, as deadlines.toml's keys are).
    let spell = |id: &str| match id.parse::<i64>() {
        Ok(n) => vec![n.to_string(), format!("\"{id}\"")],
        Err(_) => vec![format!("\"{id}\"")],
    };
    for l in &r.levels {
        for spelt in spell(l.id.as_str()) {
            calls.push((format!("level(id={spelt})"), true));
        }
    }
    let unknown_level = unknown_level_number(r);
    calls.push((format!("level(id={unknown_level})"), false));
    calls.push((format!("level(id=\"{unknown_level}\")"), false));
    calls.push(("level(id=\"no-such-level\")".into(), false));
    calls.push((
        format!("within(event={}, level={unknown_level})", q(&event.id)),
        false,
    ));
    let mut within_calls = 0;
    for e in &r.events {
        for l in &r.levels {
            let has = e.within.contains_key(l.id.to_string().as_str());
            if within_calls < 6 {
                let spelt = spell(l.id.as_str()).remove(0);
                calls.push((format!("within(event={}, level={spelt})", q(&e.id)), has));
                within_calls += 1;
            }
        }
    }
    if let Some(e) = r.events.iter().find(|e| e.within.len() < r.levels.len()) {
        let missing = r
            .levels
            .iter()
            .find(|l| !e.within.contains_key(l.id.to_string().as_str()))
            .expect("a level the event lacks");
        for spelt in spell(missing.id.as_str()) {
            calls.push((format!("within(event={}, level={spelt})", q(&e.id)), false));
        }
    }
    calls.push(("event(id=\"no-such-event\")".into(), false));
    calls.push(("event(id=5)".into(), false));
    calls.push(("nope(id=\"x\")".into(), false));
    calls.push(("within(event=\"x\"".into(), false));
    calls.push(("contact(id=\"x\", level=1)".into(), false));
    let contact = &r.contacts[0];
    calls.push((format!("contact(id={})", q(&contact.id)), true));
    for c in r.contacts.iter().take(8) {
        calls.push((format!("hours(id={})", q(&c.id)), c.hours.is_some()));
    }
    calls.push((format!("unit(id={})", q(&r.units[0].id)), true));
    if let Some(role) = r.roles.first() {
        calls.push((format!("unit(id={})", q(&role.id)), true));
    }
    let agency = &r.agencies[0];
    calls.push((format!("agency(id={})", q(&agency.id)), true));
    // The review's bug: an agency by its full name passed check and
    // printed nothing. It is refused now, by both.
    let full_name = agency.name.values().next().expect("a name");
    calls.push((format!("agency(id={})", q(full_name)), false));
    if let Some((a, alias)) = r
        .agencies
        .iter()
        .find_map(|a| a.aliases.first().map(|al| (a, al)))
    {
        assert_ne!(&a.id, alias);
        calls.push((format!("agency(id={})", q(alias)), true));
    }
    calls.push(("agency(id=\"no-such-agency\")".into(), false));
    calls.push((format!("duty(id={})", q(&r.duties[0].id)), true));
    calls.push(("url(path=\"deadlines.html\")".into(), true));
    calls.push(("url(path=\"no-such-page.html\")".into(), false));
    let indicator = &r.indicators[0];
    calls.push((format!("indicator(id={})", q(&indicator.id)), true));
    calls.push((format!("indicator_question(id={})", q(&indicator.id)), true));
    for d in &r.drills {
        calls.push((format!("drill_due(id={})", q(&d.id)), !d.due.is_empty()));
        calls.push((
            format!("drill_due(id={}, n={})", q(&d.id), d.due.len() + 1),
            false,
        ));
        calls.push((format!("drill_due(id={}, n=0)", q(&d.id)), false));
        calls.push((
            format!("drill_report(id={}, n=1)", q(&d.id)),
            !d.report.is_empty(),
        ));
        calls.push((
            format!("drill_share(id={}, n=1)", q(&d.id)),
            !d.participation.is_empty(),
        ));
        calls.push((
            format!("drill_scenarios(id={})", q(&d.id)),
            d.scenarios.is_some(),
        ));
        calls.push((
            format!("drill_times(id={})", q(&d.id)),
            d.times_per_year.is_some(),
        ));
    }
    calls
}

fn chapter(calls: &[&str]) -> String {
    let mut text = String::from("+++\ntitle = \"calls\"\nslug = \"calls\"\n+++\n\n");
    for call in calls {
        text.push_str(&format!("- {{{{ {call} }}}}\n"));
    }
    text
}

#[test]
fn check_accepts_exactly_the_calls_that_print_and_the_page_prints_them() {
    let r = common::bundled();
    let calls = table(&r);
    assert!(calls.iter().any(|(_, ok)| *ok) && calls.iter().any(|(_, ok)| !*ok));
    let tmp = tempfile::tempdir().expect("tmp");
    let root = common::small_site(tmp.path());
    let texts: Vec<&str> = calls.iter().map(|(c, _)| c.as_str()).collect();
    let file_text = chapter(&texts);
    std::fs::write(root.join("content/calls.md"), &file_text).expect("write");

    let (loaded, checked) = load_and_check(&root).expect("loads");
    let project = site::check_project(&root, &loaded, &checked);
    let reported: Vec<&Diagnostic> = project
        .diagnostics
        .iter()
        .filter(|d| d.location(&project.sources).file.as_deref() == Some("content/calls.md"))
        .collect();
    assert!(
        reported.iter().all(|d| d.rule == "content-reference"),
        "{reported:#?}"
    );
    let ruleset = project.ruleset.as_ref().expect("the policy compiles");
    let pages: Vec<_> = project.pages.clone();
    let known = site::pages::known_paths(&loaded.policy, &pages);
    let locale = project.locale.as_ref().expect("the locale loads");
    let words = Words::from_locale(locale).unwrap_or_else(|_| panic!("words"));

    let mut accepted = Vec::new();
    for (call, expected) in &calls {
        let start = file_text
            .find(&format!("{{{{ {call} }}}}"))
            .expect("placed");
        let by_check: Vec<&&Diagnostic> = reported
            .iter()
            .filter(|d| d.span.as_ref().is_some_and(|s| s.range.start == start))
            .collect();
        assert!(by_check.len() <= 1, "one report per call: {by_check:#?}");
        let rejected = !by_check.is_empty();
        assert_eq!(!rejected, *expected, "{call}: {by_check:#?}");
        for d in &by_check {
            for text in [&d.message, &d.label, d.hint.as_deref().unwrap_or("")] {
                for debug in ["Some(", "None", "Int(", "Str(", "\\\""] {
                    assert!(!text.contains(debug), "{call}: Rust Debug in {text:?}");
                }
            }
        }
        // The same verdict from the one resolution the page prints with.
        let body = format!("{{{{ {call} }}}}");
        let parsed = shortcode::parse_all(&body, 0).remove(0).value;
        let resolved = parsed
            .as_ref()
            .ok()
            .map(|sc| content::resolve(sc, ruleset, &words, &known));
        match resolved {
            Some(Ok(fact)) => {
                assert!(!rejected, "{call}: resolves but check refused it");
                assert!(!fact_text(&fact).trim().is_empty(), "{call}");
                accepted.push((call.as_str(), fact));
            }
            _ => assert!(rejected, "{call}: does not resolve but check accepted it"),
        }
    }
    assert_eq!(
        reported.len(),
        calls.iter().filter(|(_, ok)| !*ok).count(),
        "every refused call reported once, nothing else: {reported:#?}"
    );

    // The accepted calls alone: check passes, the build prints each fact.
    let good: Vec<&str> = accepted.iter().map(|(c, _)| *c).collect();
    std::fs::write(root.join("content/calls.md"), chapter(&good)).expect("write");
    let prepared = site::prepare(&root).unwrap_or_else(|_| panic!("accepted calls build"));
    let page = prepared
        .pages
        .iter()
        .find(|p| p.page.slug == "calls")
        .expect("the calls chapter");
    let text = &prepared.sources.get(page.page.file).text;
    let expanded = content::expand(page, text, "../");
    for (call, fact) in &accepted {
        assert!(expanded.contains(fact_text(fact)), "{call} prints {fact:?}");
    }
    let out = tmp.path().join("out");
    site::build(&BuildOptions {
        root: root.clone(),
        out: out.clone(),
        force: false,
        year: Some(2026),
    })
    .unwrap_or_else(|_| panic!("builds"));
    let html = std::fs::read_to_string(out.join("chapters/calls.html")).expect("page");
    assert!(!html.contains("{{"), "no call is left in the page");
    assert!(
        html.matches("<li>").count() >= good.len(),
        "every call is a list item"
    );
}

#[test]
fn messages_name_levels_and_agencies_as_toml_and_ids() {
    let r = common::bundled();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = site::prepare(root).unwrap_or_else(|_| panic!("prepares"));
    let words = Words::from_locale(&prepared.locale).unwrap_or_else(|_| panic!("words"));
    let known = vec!["deadlines.html".to_owned()];
    let unknown = unknown_level_number(&r);
    let parse = |call: &str| {
        shortcode::parse_all(&format!("{{{{ {call} }}}}"), 0)
            .remove(0)
            .value
            .expect("parses")
    };
    let e = content::resolve(&parse(&format!("level(id={unknown})")), &r, &words, &known)
        .expect_err("unknown level");
    assert_eq!(e.message, format!("unknown level `{unknown}` in `level`"));
    let quoted = format!("level(id=\"{unknown}\")");
    let e = content::resolve(&parse(&quoted), &r, &words, &known).expect_err("unknown level");
    assert_eq!(
        e.message,
        format!("unknown level `\"{unknown}\"` in `level`")
    );
    let ids: Vec<String> = r.levels.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(e.hint, format!("the levels are {}", ids.join(", ")));
    // A numeric id written as a string is the same level, in check and page.
    for l in &r.levels {
        let id = l.id.to_string();
        let as_string =
            content::resolve(&parse(&format!("level(id=\"{id}\")")), &r, &words, &known);
        assert!(as_string.is_ok(), "{id}: {as_string:?}");
        if id.parse::<i64>().is_ok() {
            let as_number =
                content::resolve(&parse(&format!("level(id={id})")), &r, &words, &known);
            assert_eq!(as_number, as_string, "{id}");
        }
    }
    let agency = &r.agencies[0];
    let name = agency.name.values().next().expect("name");
    let e = content::resolve(
        &parse(&format!("agency(id=\"{name}\")")),
        &r,
        &words,
        &known,
    )
    .expect_err("a full name");
    assert!(
        e.hint.contains(&format!("id=\"{}\"", agency.id)),
        "{}",
        e.hint
    );
}

/// What an editor sees for the calls the review found: an agency by its
/// full name, unknown levels (as a string and as a number), a number for an
/// id.
#[test]
fn refused_calls_read_well_in_check_output() {
    let r = common::bundled();
    let tmp = tempfile::tempdir().expect("tmp");
    let root = common::small_site(tmp.path());
    let agency = &r.agencies[0];
    let name = agency.name.values().next().expect("name");
    let unknown = unknown_level_number(&r);
    let calls = [
        format!("agency(id=\"{name}\")"),
        format!("level(id=\"{unknown}\")"),
        format!("level(id={unknown})"),
        "event(id=5)".to_owned(),
    ];
    let texts: Vec<&str> = calls.iter().map(String::as_str).collect();
    std::fs::write(root.join("content/calls.md"), chapter(&texts)).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&*root.to_string_lossy(), "[ROOT]");
    insta::assert_snapshot!(stderr);
}

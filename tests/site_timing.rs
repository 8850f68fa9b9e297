//! Every place of the built handbook that shows when an event falls due says
//! the same thing the calculator says: a right that arises only when its
//! anchor misses its deadline (the direct re-check) is never shown as a
//! plain "immediately", and an event timed from a start that may be unknown
//! (the protection meeting, from the occurrence) names that start and what
//! stands in for it. The events are found in the compiled rule set, not by
//! id, so the test follows the policy.

mod common;
use common::bundled;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use incident_handbook::ruleset::deadlines::Within;
use incident_handbook::ruleset::{Event, Ruleset};
use incident_handbook::site::{self, BuildOptions};
use serde_json::Value;

fn zh(t: &BTreeMap<String, String>) -> String {
    t.get("zh-TW").cloned().expect("zh-TW text")
}

fn name_of(r: &Ruleset, id: &str) -> String {
    zh(&r.event(id).expect("event").name)
}

/// The built bundled handbook: path → text of every text file.
fn built_site() -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    site::build(&BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        out: out.clone(),
        force: false,
        year: Some(2026),
    })
    .expect("the bundled handbook builds");
    let mut files = BTreeMap::new();
    let mut stack = vec![out.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("ls") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let rel = p
                    .strip_prefix(&out)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, text);
            }
        }
    }
    files
}

/// The page without the editors' prose: chapter pages, the chapters inside
/// the print page, and `gaps.html` (editorial decisions and quotations of
/// the guideline, written in the policy) name events in sentences, which
/// the content and policy reviews own.
fn generated_part(path: &str, html: &str) -> Option<String> {
    if path.starts_with("chapters/") || path == "gaps.html" || !path.ends_with(".html") {
        return None;
    }
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<article class=\"chapter") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</article>").expect("closed article");
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    Some(out)
}

/// Text without tags.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The entries of a page that mention `name`: each table row, list item or
/// box of a diagram around an occurrence (other occurrences, such as a form
/// label or a heading, do not show a time). As (kind, text without tags).
fn entries(html: &str, name: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(name).map(|i| i + from) {
        from = at + name.len();
        let before = &html[..at];
        let in_svg = before
            .rfind("<svg")
            .is_some_and(|s| before[s..].find("</svg>").is_none());
        let candidates: &[(&'static str, &str, &str)] = if in_svg {
            &[("diagram box", "<a ", "</a>")]
        } else {
            &[("table row", "<tr", "</tr>"), ("list item", "<li", "</li>")]
        };
        // The innermost of the candidate elements that encloses the name.
        let best = candidates
            .iter()
            .filter_map(|(kind, open, close)| {
                let start = before.rfind(open)?;
                // Still open at the name: no close between start and name.
                if before[start..].contains(close) {
                    return None;
                }
                let end = html[at..].find(close)? + at;
                Some((start, kind, &html[start..end]))
            })
            .max_by_key(|(start, _, _)| *start);
        if let Some((_, kind, element)) = best {
            found.push((*kind, text_of(element)));
        }
    }
    found
}

/// Events that arise only when their anchor misses its deadline: (event,
/// anchor name).
fn missed_events(r: &Ruleset) -> Vec<(&Event, String)> {
    r.events
        .iter()
        .filter(|e| e.if_anchor_missed)
        .map(|e| {
            (
                e,
                name_of(r, e.anchor.as_deref().expect("an anchor to miss")),
            )
        })
        .collect()
}

/// Events timed from a start that may be unknown and then stands in for by
/// another event: (event, the start's name, the stand-in's name).
fn events_from_bounded_starts(r: &Ruleset) -> Vec<(&Event, String, String)> {
    r.events
        .iter()
        .filter_map(|e| {
            let start = r.event(e.anchor.as_deref()?)?;
            let stand_in = start.not_after.as_deref()?;
            Some((e, zh(&start.name), name_of(r, stand_in)))
        })
        .collect()
}

/// What a timing text must say for the event: `Err` with the reason if it
/// does not.
type Rule<'a> = Box<dyn Fn(&str) -> Result<(), String> + 'a>;

fn missed_rule(anchor: &str) -> Rule<'_> {
    Box::new(move |text: &str| {
        let quoted = format!("「{anchor}」");
        if text.contains(&quoted) && text.contains("沒有在期限內完成") && text.contains("期限屆滿")
        {
            Ok(())
        } else {
            Err(format!(
                "does not say it arises only when {quoted} misses its deadline, counting from that deadline"
            ))
        }
    })
}

fn bounded_rule<'a>(start: &'a str, stand_in: &'a str) -> Rule<'a> {
    Box::new(move |text: &str| {
        let (s, d) = (format!("從「{start}」起算"), format!("「{stand_in}」"));
        if text.contains(&s) && text.contains(&d) && text.contains("推定") {
            Ok(())
        } else {
            Err(format!(
                "does not say it counts {s}, taken as {d} (assumed) when unknown"
            ))
        }
    })
}

/// Checks every entry of every generated page that mentions the event, and
/// returns the pages where it was shown.
fn check_pages(
    files: &BTreeMap<String, String>,
    event: &Event,
    rule: &Rule<'_>,
    problems: &mut Vec<String>,
) -> BTreeSet<String> {
    let name = zh(&event.name);
    let mut shown = BTreeSet::new();
    for (path, html) in files {
        let Some(part) = generated_part(path, html) else {
            continue;
        };
        for (kind, text) in entries(&part, &name) {
            shown.insert(path.clone());
            if let Err(why) = rule(&text) {
                problems.push(format!("{path}: a {kind} naming {name} {why}: {text}"));
            }
        }
    }
    shown
}

/// The JSON of a script's last statement `PREFIX{...}SUFFIX` (data.js adds
/// several objects with the same `Object.assign` prefix; the timings are
/// written last).
fn script_json(script: &str, prefix: &str) -> Value {
    let start = script.rfind(prefix).expect("prefix") + prefix.len();
    let end = script.rfind('}').expect("object") + 1;
    serde_json::from_str(&script[start..end]).expect("JSON")
}

/// The pages that must show the event's timing, whatever else does: the
/// tables, the flow, the actor's card, and every level it has a time for.
fn must_show(r: &Ruleset, e: &Event) -> Vec<String> {
    let mut pages: Vec<String> = ["deadlines.html", "flow.html", "print.html"]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    if r.units.iter().any(|u| u.id == e.actor) || r.roles.iter().any(|x| x.id == e.actor) {
        pages.push(format!("org/{}.html", e.actor));
    }
    pages
}

fn check_search_and_script(
    files: &BTreeMap<String, String>,
    e: &Event,
    rule: &Rule<'_>,
    problems: &mut Vec<String>,
) {
    let index = script_json(
        &files["assets/search-index.js"],
        "window.HANDBOOK_SEARCH = ",
    );
    let url = format!("deadlines.html#event-{}", e.id);
    let doc = index["docs"]
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d[0] == url.as_str());
    match doc.and_then(|d| d[2].as_str()) {
        Some(text) => {
            if let Err(why) = rule(text) {
                problems.push(format!("search index entry {url} {why}: {text}"));
            }
        }
        None => problems.push(format!("no search index entry {url}")),
    }
    let data = script_json(
        &files["assets/data.js"],
        "Object.assign(window.HANDBOOK_DATA, ",
    );
    let timing = &data["timings"][e.id.as_str()];
    let mut texts: Vec<&str> = timing["levels"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    texts.extend(timing["all"].as_str());
    if texts.len() < 2 {
        problems.push(format!("data.js has no timing texts for {}", e.id));
    }
    for text in texts {
        if let Err(why) = rule(text) {
            problems.push(format!("data.js timing of {} {why}: {text}", e.id));
        }
    }
}

#[test]
fn every_page_times_the_special_events_as_the_calculator_does() {
    let r = bundled();
    let files = built_site();
    let missed = missed_events(&r);
    let bounded = events_from_bounded_starts(&r);
    assert!(
        !missed.is_empty(),
        "the bundled policy has an if_anchor_missed event"
    );
    assert!(
        !bounded.is_empty(),
        "the bundled policy has an event timed from a not_after start"
    );

    let mut problems = Vec::new();
    let mut checks: Vec<(&Event, Rule<'_>)> = Vec::new();
    for (e, anchor) in &missed {
        checks.push((e, missed_rule(anchor)));
    }
    for (e, start, stand_in) in &bounded {
        checks.push((e, bounded_rule(start, stand_in)));
    }
    for (e, rule) in &checks {
        let shown = check_pages(&files, e, rule, &mut problems);
        for page in must_show(&r, e) {
            if !shown.contains(&page) {
                problems.push(format!("{page} does not show the timing of {}", e.id));
            }
        }
        // A step of a level result with a set time is a main deadline of
        // that level's card too.
        let data = script_json(
            &files["assets/data.js"],
            "Object.assign(window.HANDBOOK_DATA, ",
        );
        let on_a_level = r.levels.iter().any(|l| {
            let key = l.id.to_string();
            let listed = data["levelSteps"][&key]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| id == e.id.as_str()));
            listed
                && e.within
                    .get(key.as_str())
                    .is_some_and(|w| *w != Within::Unspecified)
        });
        if on_a_level && !shown.contains("levels.html") {
            problems.push(format!("levels.html does not show {}", e.id));
        }
        check_search_and_script(&files, e, rule, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The no-JS result of each level and the script's list for that level
/// (`levelSteps` and `timings` in data.js) name the same events with the
/// same words, so the page reads the same with and without JavaScript.
#[test]
fn level_results_and_the_script_show_the_same_steps() {
    let r = bundled();
    let files = built_site();
    let data = script_json(
        &files["assets/data.js"],
        "Object.assign(window.HANDBOOK_DATA, ",
    );
    let mut seen_levels = BTreeSet::new();
    for (path, html) in files.iter().filter(|(p, _)| p.starts_with("classify/n")) {
        let Some(level) = html
            .find("deadlines.html?level=")
            .map(|i| &html[i + 21..i + 22])
        else {
            continue;
        };
        let mut static_steps = Vec::new();
        let mut rest = html.as_str();
        const SPAN: &str = "<span class=\"timing\" data-event=\"";
        while let Some(i) = rest.find(SPAN) {
            rest = &rest[i + SPAN.len()..];
            let id = &rest[..rest.find('"').expect("id ends")];
            let text =
                &rest[rest.find('>').expect("tag ends") + 1..rest.find("</span>").expect("closed")];
            static_steps.push((id.to_owned(), text.to_owned()));
        }
        let script_steps: Vec<(String, String)> = data["levelSteps"][level]
            .as_array()
            .expect("steps of the level")
            .iter()
            .filter_map(Value::as_str)
            .map(|id| {
                let text = data["timings"][id]["levels"][level]
                    .as_str()
                    .expect("timing");
                (
                    id.to_owned(),
                    text.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;"),
                )
            })
            .collect();
        assert_eq!(static_steps, script_steps, "{path} (level {level})");
        seen_levels.insert(level.to_owned());
    }
    let levels: BTreeSet<String> = r.levels.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(seen_levels, levels, "a result page for every level");
}

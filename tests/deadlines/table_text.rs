//! The `deadlines` table shows the policy's texts in the handbook's
//! language, whatever that is: the level, every event and actor, and the
//! edition the deadlines come from (an English policy once got blanks).

use std::path::Path;

use super::common::{compiled, handbook};

use incident_handbook::commands::{DeadlineFormat, DeadlinesOptions, facts_from_options};
use incident_handbook::ruleset::deadlines::{compute, start_times};

/// `handbook deadlines` as a table for `root` at `level`: the first line
/// names the level, every row its event and actor, every start its event,
/// and the edition and its later rules are named.
fn assert_table_names_everything(root: &str, level: &str, discovered: &str) {
    let r = compiled(&Path::new(env!("CARGO_MANIFEST_DIR")).join(root));
    let (code, out, err) = handbook(&[
        "deadlines",
        "--root",
        root,
        "--level",
        level,
        "--discovered",
        discovered,
    ]);
    assert_eq!(code, 0, "{err}");
    let opts = DeadlinesOptions {
        root: root.into(),
        level: level.into(),
        discovered: discovered.into(),
        support: false,
        portal_down: false,
        at: Vec::new(),
        role: None,
        format: DeadlineFormat::Table,
    };
    let facts = facts_from_options(&r, &opts).expect("valid options");
    let text = |t| {
        let s = r.text_of(t);
        assert!(!s.is_empty(), "a text without {}", r.language());
        s
    };
    let level_name = text(&r.level(&facts.level).expect("level").name);
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.starts_with(level_name)),
        "the first line names the level {level_name:?}:\n{out}"
    );
    let events = r.event_specs();
    let due = compute(&events, &facts);
    assert!(!due.is_empty(), "{root}: no deadlines");
    for d in &due {
        let row = out
            .lines()
            .find(|l| l.starts_with(&format!("{} ", d.event)))
            .unwrap_or_else(|| panic!("no row for {}:\n{out}", d.event));
        let event = text(&r.event(&d.event).expect("event").name);
        let actor = text(r.actor_name(&d.actor).expect("actor"));
        assert!(
            row.contains(event),
            "{row:?} lacks the event's name {event:?}"
        );
        assert!(row.contains(actor), "{row:?} lacks the actor {actor:?}");
    }
    for st in start_times(&events, &facts) {
        let name = text(&r.event(&st.event).expect("event").name);
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("{} {name}: ", st.event))),
            "the start {} is not named {name:?}:\n{out}",
            st.event
        );
    }
    let title = text(&r.meta.edition.title);
    assert!(
        out.contains(&format!("Based on {title} (")),
        "the edition title {title:?} is missing:\n{out}"
    );
    for later in &r.meta.edition.later {
        let name = text(&later.name);
        assert!(out.contains(name), "the later rule {name:?} is missing");
    }
}

#[test]
fn an_english_policy_s_table_names_levels_events_actors_and_edition() {
    // Across the end of summer time in Brussels, as the browser gate does.
    assert_table_names_everything("examples/nis2", "significant", "2026-10-25T01:30");
}

#[test]
fn the_bundled_zh_tw_table_names_them_too() {
    assert_table_names_everything(".", "1", "2026-03-01T09:00");
}

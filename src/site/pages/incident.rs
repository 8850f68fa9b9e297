//! The incident workspace (`incident.html`) and what it needs beyond the
//! compiled rule set: the home page's start form (who can be a reader), and
//! the data `incident.js` links to (chapters by the events they explain,
//! contacts with their links, tree and worksheet URLs).
//!
//! The page itself is a short path that works without JavaScript (write the
//! discovery time down, then the static level tree, whose result links the
//! worksheets); `incident.js` replaces it with the workspace. This module
//! must never name an id of the policy or hold a word of interface text.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Chapter, PageOut, chapter_url, classify_url, tree_node_url};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;
use crate::site::locale::Locale;

/// The page's output path, which the home page's start form submits to.
pub const INCIDENT_PATH: &str = "incident.html";

/// The incident page: its static fallback links the level tree.
pub fn page(locale: &Locale) -> Result<PageOut, Box<Diagnostic>> {
    Ok(PageOut {
        path: INCIDENT_PATH.into(),
        template: "incident.html",
        title: locale.get("incident.title")?.to_owned(),
        context: json!({ "classify_url": classify_url(0) }),
    })
}

/// The home page's start form: where it submits and the readers (id and
/// the actor's name) in the policy's order; no readers means one start
/// button and no role.
pub fn start_form(r: &Ruleset) -> Value {
    json!({
        "action": INCIDENT_PATH,
        "readers": r.handbook.readers.iter().map(|id| json!({
            "id": id,
            "name": r.actor_name(id).map(|t| r.text_of(t)),
        })).collect::<Vec<_>>(),
    })
}

/// What `incident.js` links to, added to `HANDBOOK_DATA`: `chapters`
/// (url, title, the events each explains), `contacts` (what a reader sees
/// and the link, none for a fax or a placeholder), `treeUrls` (each
/// authored tree's first page) and `worksheets` (level → reader → URL).
pub fn data_script(r: &Ruleset, chapters: &[Chapter]) -> String {
    let chapters: Vec<Value> = chapters
        .iter()
        .map(|c| json!({"url": chapter_url(&c.slug), "title": c.title, "events": c.events}))
        .collect();
    let contacts: Vec<Value> = r
        .contacts
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": r.text_of(&c.name),
                "kind": c.kind,
                "value": c.value,
                "href": c.href,
                "placeholder": c.placeholder,
            })
        })
        .collect();
    let trees: BTreeMap<&str, String> = r
        .trees
        .iter()
        .map(|t| (t.id.as_str(), tree_node_url(&t.id, &t.start, &t.start)))
        .collect();
    let worksheets: BTreeMap<String, BTreeMap<&str, String>> = r
        .levels
        .iter()
        .map(|l| {
            // Keyed by reader; a policy without readers has one sheet per
            // level, under the empty key (the workspace has no role then).
            let readers = if r.handbook.readers.is_empty() {
                BTreeMap::from([("", super::worksheet_url(&l.id, None))])
            } else {
                r.handbook
                    .readers
                    .iter()
                    .map(|reader| (reader.as_str(), super::worksheet_url(&l.id, Some(reader))))
                    .collect()
            };
            (l.id.to_string(), readers)
        })
        .collect();
    // Plain data always serialises; `</` is escaped as in `data_script`.
    // One object on one line, as every statement of data.js.
    let extra = json!({
        "chapters": chapters,
        "contacts": contacts,
        "treeUrls": trees,
        "worksheets": worksheets,
        "reportUrl": super::report_url(),
    });
    let json = serde_json::to_string(&extra)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    format!("Object.assign(window.HANDBOOK_DATA, {json});\n")
}

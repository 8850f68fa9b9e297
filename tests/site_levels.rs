//! How the built site shows levels, for any policy: a reader sees a level's
//! name or short label, never its id (`severe`, `4`), and its colour follows
//! its rank in the policy's order (`sev-1` most severe ... `sev-5` least),
//! never its id. Also the `portal` role on the home page and the guideline's
//! own page intros of `[handbook.intro]`.
//!
//! The three-level fixture (`tests/fixtures/levels-three`: ids `severe`,
//! `moderate`, `minor`) is built through the real binary; its pages are
//! Chinese, so an ASCII level id in the visible text is a level shown by id.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{compiled, fixture_project, handbook_at, small_site};

/// The visible text of a page: element text and the attributes a reader
/// sees or hears (`title`, `alt`, `aria-label`, `placeholder`), without
/// scripts, styles and inline SVG markup.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..tag_end];
        for attr in ["title=\"", "alt=\"", "aria-label=\"", "placeholder=\""] {
            if let Some(a) = tag.find(&format!(" {attr}")) {
                let v = &tag[a + attr.len() + 1..];
                out.push_str(&v[..v.find('"').unwrap_or(v.len())]);
                out.push(' ');
            }
        }
        rest = &rest[tag_end..];
        for raw in ["script", "style"] {
            if tag.starts_with(&format!("<{raw}")) {
                let close = format!("</{raw}>");
                rest = rest.find(&close).map_or("", |c| &rest[c + close.len()..]);
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&quot;", "\"")
}

/// The pages (path → text) where one of `ids` shows as a word.
fn pages_showing(site: &BTreeMap<String, String>, ids: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for (path, html) in site {
        let text = visible_text(html);
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .collect();
        for id in ids {
            if words.contains(id) {
                hits.push(format!("{path}: `{id}`"));
            }
        }
    }
    hits
}

fn html_pages(out: &Path) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                let rel = p.strip_prefix(out).expect("inside").display().to_string();
                pages.insert(rel, std::fs::read_to_string(&p).expect("utf-8 page"));
            }
        }
    }
    pages
}

fn build(root: &Path, out: &Path) -> BTreeMap<String, String> {
    let out_arg = out.display().to_string();
    let (code, _, err) = handbook_at(root, &["build", "--out", &out_arg]);
    assert_eq!(code, 0, "{err}");
    html_pages(out)
}

#[test]
fn the_finder_sees_a_planted_level_id() {
    let site = BTreeMap::from([
        ("a.html".to_owned(), "<p>重大事件 1 小時內</p>".to_owned()),
        ("b.html".to_owned(), "<th>severe 級</th>".to_owned()),
        (
            "c.html".to_owned(),
            "<a title=\"minor\" href=\"#level-minor\">x</a>".to_owned(),
        ),
        (
            "d.html".to_owned(),
            "<script>var l = 'moderate';</script><p>ok</p>".to_owned(),
        ),
    ]);
    assert_eq!(
        pages_showing(&site, &["severe", "moderate", "minor"]),
        ["b.html: `severe`", "c.html: `minor`"],
        "text and shown attributes count; links, ids and scripts do not"
    );
}

#[test]
fn three_levels_show_names_and_rank_colours_never_ids() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = fixture_project(tmp.path(), "levels-three");
    let r = compiled(&root);
    let ids: Vec<String> = r.levels.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(ids, ["severe", "moderate", "minor"], "the fixture's levels");
    let site = build(&root, &tmp.path().join("out"));
    assert!(site.len() > 50, "the whole site");

    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let shown = pages_showing(&site, &ids);
    assert!(shown.is_empty(), "level ids shown as words: {shown:#?}");

    // The names are there instead, in the per-level table headings.
    let names: Vec<&str> = r.levels.iter().map(|l| l.name["zh-TW"].as_str()).collect();
    for page in ["index.html", "deadlines.html", "print.html"] {
        let text = visible_text(&site[page]);
        let mut at = 0;
        for name in &names {
            let found = text[at..]
                .find(&format!(" {name} "))
                .unwrap_or_else(|| panic!("{page} heads a column with {name}, in order"));
            at += found + 1 + name.len();
        }
    }
    // Colours by rank: most severe sev-1, least sev-5, the middle one between.
    let levels = &site["levels.html"];
    let ranks: Vec<&str> = ["sev-1", "sev-3", "sev-5"]
        .into_iter()
        .filter(|c| levels.contains(&format!("class=\"level-card {c}\"")))
        .collect();
    assert_eq!(ranks, ["sev-1", "sev-3", "sev-5"], "levels.html");
    // (`id="level-severe"` is the anchor; a class would follow a space.)
    for (page, html) in &site {
        for id in &ids {
            for class in [format!(" level-{id}\""), format!(" level-{id} ")] {
                assert!(
                    !html.contains(&class),
                    "{page} keys a colour to the id `{id}`"
                );
            }
        }
    }
}

#[test]
fn a_short_label_is_shown_in_tables_and_the_portal_and_intros_come_from_the_policy() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let site = build(&root, &tmp.path().join("out"));
    let r = compiled(&root);

    // The bundled levels declare `short` labels (`4 級`): table headings use
    // them, the level cards the full name.
    let index = visible_text(&site["index.html"]);
    for l in &r.levels {
        let short = l
            .short
            .as_ref()
            .expect("the bundled levels have short labels");
        assert!(
            index.contains(&format!(" {} ", short["zh-TW"])),
            "{short:?} heads a column"
        );
        assert!(
            index.contains(l.name["zh-TW"].as_str()),
            "{} is listed",
            l.name["zh-TW"]
        );
    }

    // The portal role: a link to the portal contact on the home page.
    let portal_id = r
        .handbook
        .portal
        .as_deref()
        .expect("the bundled portal role");
    let portal = r
        .contacts
        .iter()
        .find(|c| c.id == portal_id)
        .expect("portal contact");
    let href = portal.href.as_deref().expect("the portal is a link");
    // Tera escapes `/` in attribute values.
    let escaped = href.replace('/', "&#x2F;");
    assert!(
        site["index.html"].contains(&format!("<a href=\"{escaped}\">")),
        "the home page links the portal {href}"
    );

    // Each `[handbook.intro]` text shows on its page with its section.
    let intros = [
        ("contacts/index.html", &r.handbook.intro.contacts),
        ("org/index.html", &r.handbook.intro.org),
        ("flow.html", &r.handbook.intro.flow),
        ("agencies.html", &r.handbook.intro.agencies),
    ];
    for (page, intro) in intros {
        let intro = intro.as_ref().expect("the bundled policy has the intro");
        let lead = site[page]
            .split("<p class=\"lead\">")
            .nth(1)
            .and_then(|s| s.split("</p>").next())
            .unwrap_or_else(|| panic!("{page} has a lead"));
        assert!(
            lead.contains(intro.text["zh-TW"].as_str()),
            "{page}: {lead}"
        );
        let source = intro.source.as_deref().expect("a section");
        assert!(lead.contains(source), "{page} cites {source}: {lead}");
    }
}

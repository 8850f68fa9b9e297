//! Policies with three and five levels (tests/fixtures/levels-three,
//! levels-five: the bundled policy with its levels, criteria, `within`
//! tables, drill scenarios and chapter shortcodes adapted) pass `check`,
//! build, and classify to the right level through the CLI and the static
//! level tree. The three-level policy names its levels by words; the
//! five-level one numbers them the other way round (1 is the most severe),
//! so nothing may read severity from an id.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{compiled, fixture_project, handbook_at};

/// Representative answers and the level each fixture gives them.
const CASES: &[(&[&str], &str, &str)] = &[
    (&["leak=state-secret"], "severe", "1"),
    (
        &[
            "leak=none",
            "tamper-target=critical-infrastructure",
            "tamper-severity=serious",
        ],
        "severe",
        "2",
    ),
    (
        &["leak=classified", "tamper-target=none", "operations=none"],
        "severe",
        "3",
    ),
    (
        &["leak=core", "tamper-target=none", "operations=none"],
        "moderate",
        "4",
    ),
    (
        &["leak=non-core", "tamper-target=none", "operations=none"],
        "minor",
        "5",
    ),
];

fn classify(root: &Path, answers: &[&str]) -> serde_json::Value {
    let mut args = vec!["classify", "--format", "json"];
    for a in answers {
        args.extend(["--answer", a]);
    }
    let (code, out, err) = handbook_at(root, &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

#[test]
fn three_and_five_levels_check_clean() {
    let tmp = tempfile::tempdir().expect("tmp");
    for fixture in ["levels-three", "levels-five"] {
        let root = fixture_project(tmp.path(), fixture);
        let (code, out, err) = handbook_at(&root, &["check", "--deny-warnings"]);
        assert_eq!(code, 0, "{fixture}: {out}{err}");
        let r = compiled(&root);
        let ids: Vec<&str> = r.levels.iter().map(|l| l.id.as_str()).collect();
        let expected: &[&str] = match fixture {
            "levels-three" => &["severe", "moderate", "minor"],
            _ => &["1", "2", "3", "4", "5"],
        };
        assert_eq!(ids, expected, "{fixture}: levels in the policy's order");
    }
}

#[test]
fn the_cli_classifies_by_the_policys_order_of_severity() {
    let tmp = tempfile::tempdir().expect("tmp");
    let three = fixture_project(tmp.path(), "levels-three");
    let five = fixture_project(tmp.path(), "levels-five");
    for (answers, in_three, in_five) in CASES {
        for (root, want) in [(&three, in_three), (&five, in_five)] {
            let v = classify(root, answers);
            assert_eq!(v["status"], "level", "{answers:?}: {v}");
            assert_eq!(v["level"], *want, "{answers:?} in {}", root.display());
        }
    }
    // Nothing happened: not an incident, whatever the levels.
    let none = ["leak=none", "tamper-target=none", "operations=none"];
    assert_eq!(classify(&five, &none)["status"], "not-an-incident");
    // A leak of core data is level 4 at least in five levels (partial answers).
    let v = classify(&five, &["leak=core"]);
    assert_eq!(v["status"], "needs-answers");
    assert_eq!(v["at_least"], "4");
    // A deadline at a named level, and an unknown level naming the declared.
    let (code, out, err) = handbook_at(
        &three,
        &[
            "deadlines",
            "--level",
            "moderate",
            "--discovered",
            "2026-03-02T09:00",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("中度事件"), "{out}");
    let (code, _, err) = handbook_at(
        &three,
        &[
            "deadlines",
            "--level",
            "4",
            "--discovered",
            "2026-03-02T09:00",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("severe, moderate, minor"), "{err}");
}

fn read_tree(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
    for e in std::fs::read_dir(dir).expect("ls") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            read_tree(&p, base, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            let rel = p.strip_prefix(base).expect("inside");
            let text = std::fs::read_to_string(&p).expect("utf-8 page");
            out.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
}

fn decode(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// `classify/n3.html` + `n7.html` → `classify/n7.html` (the tree's links
/// stay in its folder or go up with `../`).
fn resolve(from: &str, link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn the_static_level_tree_reaches_the_classifiers_level_on_every_path() {
    let tmp = tempfile::tempdir().expect("tmp");
    for fixture in ["levels-three", "levels-five"] {
        let root = fixture_project(tmp.path(), fixture);
        let out = tmp.path().join(format!("{fixture}-site"));
        let out_arg = out.to_str().expect("UTF-8 temp path");
        let (code, _, err) = handbook_at(&root, &["build", "--out", out_arg]);
        assert_eq!(code, 0, "{fixture}: {err}");
        let mut pages = BTreeMap::new();
        read_tree(&out, &out, &mut pages);
        let r = compiled(&root);
        let c = r.classifier();
        let mut reached = BTreeSet::new();
        for combo in c.combinations() {
            let full: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
            let outcome = c.evaluate(&full);
            let expected = outcome.level();
            let mut path = "classify/index.html".to_owned();
            for _ in 0..=r.questions.len() {
                let page = &pages[&path];
                if page.contains("class=\"result ") {
                    let got = r.levels.iter().map(|l| &l.id).find(|l| {
                        page.contains("class=\"result result-level sev-")
                            && page.contains(&format!(" data-level=\"{l}\""))
                    });
                    assert_eq!(got, expected, "{fixture}: {combo:?} ends at {path}");
                    if let Some(l) = got {
                        let name = &r.level(l).expect("declared").name["zh-TW"];
                        assert!(page.contains(name.as_str()), "{path} names {name}");
                        reached.insert(l.to_string());
                    }
                    break;
                }
                let q = r
                    .questions
                    .iter()
                    .position(|q| {
                        page.contains(&format!("<h2 id=\"q-title\">{}</h2>", q.text["zh-TW"]))
                    })
                    .unwrap_or_else(|| panic!("{path} asks no known question"));
                let marker = format!("\">{}</a>", r.questions[q].answers[combo[q]].text["zh-TW"]);
                let at = page.find(&marker).expect("answer link");
                let href = page[..at].rfind("href=\"").expect("href") + 6;
                path = resolve(&path, &decode(&page[href..at]));
            }
        }
        let declared: BTreeSet<String> = r.levels.iter().map(|l| l.id.to_string()).collect();
        assert_eq!(reached, declared, "{fixture}: every level is reachable");
        // The levels page lists them most severe first, and the chapter's
        // level shortcode printed the level's name.
        let levels_page = &pages["levels.html"];
        let positions: Vec<usize> = r
            .levels
            .iter()
            .map(|l| {
                levels_page
                    .find(&format!("id=\"level-{}\"", l.id))
                    .unwrap_or_else(|| panic!("{fixture}: levels.html has no level {}", l.id))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{fixture}: order"
        );
        let most_severe = &r.levels[0].name["zh-TW"];
        assert!(
            pages["chapters/first.html"].contains(most_severe.as_str()),
            "{fixture}: the chapter's level shortcode names {most_severe}"
        );
    }
}

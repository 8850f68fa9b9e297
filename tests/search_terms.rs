//! The search finds what readers type: each of the issue's words (NCC,
//! 勒索軟體, email, 戶政, 誤寄, 個資外洩, 衛生福利部, 國發會, 台北市) finds
//! the page and heading that answers it among its first results. The real
//! binary builds the bundled handbook; the built `assets/search-index.js`
//! and the theme's `logic.js` answer the queries under Node, as the search
//! page does. Also: a bad synonym table stops `check` with located
//! diagnostics, and a project without one builds.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// (url, title, heading) of the first results of each query.
fn search(site: &Path, queries: &[&str]) -> BTreeMap<String, Vec<(String, String, String)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = site.join("queries.json");
    std::fs::write(&list, serde_json::to_vec(queries).expect("json")).expect("write");
    let out = Command::new("node")
        .arg(root.join("tests/search/query.js"))
        .arg(site)
        .arg(root.join("themes/default/static/logic.js"))
        .arg(&list)
        .output()
        .expect("Node.js runs (the search test needs `node` on PATH)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: BTreeMap<String, Vec<Value>> =
        serde_json::from_slice(&out.stdout).expect("query.js prints JSON");
    parsed
        .into_iter()
        .map(|(q, hits)| {
            let hits = hits
                .iter()
                .map(|h| {
                    let s = |k: &str| h[k].as_str().unwrap_or_default().to_owned();
                    (s("url"), s("title"), s("heading"))
                })
                .collect();
            (q, hits)
        })
        .collect()
}

fn build(root: &Path, out: &Path) {
    let (code, _, stderr) = common::handbook_at(
        root,
        &["build", "--out", out.to_str().expect("UTF-8"), "--force"],
    );
    assert_eq!(code, 0, "{stderr}");
}

/// Each query, the address (page#heading) that must be among its first
/// `within` results, and what that result must show.
const EXPECTED: &[(&str, &str, usize)] = &[
    ("NCC", "agencies.html#agency-36", 3),
    ("勒索軟體", "chapters/what-is-an-incident.html#幾個例子", 3),
    ("勒索軟體", "levels.html#questions-title", 3),
    ("email", "contacts/index.html#contact-email", 5),
    ("email", "trees/reporting-channel/email.html#q-title", 5),
    ("戶政", "agencies.html#agency-2", 1),
    ("誤寄", "trees/personal-data/index.html#q-title", 2),
    ("誤寄", "levels.html#questions-title", 2),
    ("個資外洩", "trees/personal-data/index.html#q-title", 3),
    ("個資外洩", "levels.html#questions-title", 3),
    ("衛生福利部", "agencies.html#agency-17", 1),
    ("國發會", "agencies.html#agency-22", 2),
    ("國發會", "agencies.html#agency-27", 2),
    ("台北市", "agencies.html#agency-43", 1),
];

#[test]
fn the_issue_words_find_their_page_and_heading() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path().join("out");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &site);
    let mut queries: Vec<&str> = EXPECTED.iter().map(|(q, _, _)| *q).collect();
    queries.dedup();
    let hits = search(&site, &queries);
    let mut problems = Vec::new();
    for (query, url, within) in EXPECTED {
        let first: Vec<&str> = hits[*query]
            .iter()
            .take(*within)
            .map(|(u, _, _)| u.as_str())
            .collect();
        if !first.contains(url) {
            problems.push(format!(
                "{query}: {url} not in the first {within}: {first:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // A chapter section's result names its page and its heading.
    let (_, title, heading) = hits["勒索軟體"]
        .iter()
        .find(|(u, _, _)| u.starts_with("chapters/what-is-an-incident.html#"))
        .expect("the chapter's section");
    assert_eq!(heading, "幾個例子");
    assert!(title.starts_with("什麼是資安事件"), "{title}");
    // Every anchor a result opens at exists on its page.
    for (url, _, _) in hits.values().flatten() {
        if let Some((page, id)) = url.split_once('#') {
            let html = std::fs::read_to_string(site.join(page)).expect(page);
            assert!(html.contains(&format!("id=\"{id}\"")), "{url}");
        }
    }
}

/// The agency page shows today's names next to the annex's (as aliases),
/// and data.js carries the synonym table the filter expands queries with.
#[test]
fn agencies_show_current_names_and_the_filter_gets_the_table() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path().join("out");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &site);
    let html = std::fs::read_to_string(site.join("agencies.html")).expect("agencies");
    for (annex, today) in [
        ("行政院衛生署", "衛生福利部"),
        ("行政院經濟建設委員會", "國家發展委員會"),
        ("行政院勞工委員會", "勞動部"),
    ] {
        let row = html
            .lines()
            .find(|l| l.contains(annex))
            .unwrap_or_else(|| panic!("{annex}"));
        assert!(row.contains(today), "{row}");
    }
    let data = std::fs::read_to_string(site.join("assets/data.js")).expect("data");
    assert!(data.contains("window.HANDBOOK_DATA.synonyms = {\"fold\":{\"台\":\"臺\"}"));
}

fn project_with(tmp: &Path, synonyms: Option<&str>) -> std::path::PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tmp.join("project");
    common::copy_dir(&manifest.join("policy"), &root.join("policy"));
    common::copy_dir(&manifest.join("content"), &root.join("content"));
    let file = root.join("content/synonyms.toml");
    match synonyms {
        Some(text) => std::fs::write(&file, text).expect("write"),
        None => std::fs::remove_file(&file).expect("rm"),
    }
    root
}

#[test]
fn a_bad_synonym_table_is_reported_where_it_is_wrong() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project_with(
        tmp.path(),
        Some(
            "[[group]]\nterms = [\"NCC\"]\n\n[[group]]\nterms = [\"email\", \"電子郵件\"]\n\n[[group]]\nterms = [\"E-mail\", \"EMAIL\"]\n",
        ),
    );
    let (code, stdout, _) = common::handbook_at(&root, &["check", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let found: Vec<(String, String, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let file = "content/synonyms.toml".to_owned();
    assert_eq!(
        found,
        vec![
            ("synonyms".to_owned(), file.clone(), 1),
            ("synonyms".to_owned(), file, 8),
        ]
    );
}

#[test]
fn a_group_the_handbook_never_uses_is_a_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project_with(
        tmp.path(),
        Some(
            "[[group]]\nterms = [\"NCC\", \"通傳會\"]\n\n[[group]]\nterms = [\"量子糾纏\", \"quantum entanglement\"]\n",
        ),
    );
    let (code, stdout, _) = common::handbook_at(&root, &["check", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let d = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(d.len(), 1, "{stdout}");
    assert_eq!(d[0]["rule"], "synonyms");
    assert_eq!(d[0]["severity"], "warning");
    assert_eq!(d[0]["line"], 4);
}

#[test]
fn without_a_table_the_handbook_builds_and_searches_words_as_written() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project_with(tmp.path(), None);
    let site = tmp.path().join("out");
    build(&root, &site);
    let hits = search(&site, &["衛生福利部", "通傳會"]);
    // The agency's alias still finds it; no expansion happens.
    assert_eq!(hits["衛生福利部"][0].0, "agencies.html#agency-17");
    assert!(
        hits["通傳會"]
            .iter()
            .any(|(u, _, _)| u == "agencies.html#agency-36")
    );
}

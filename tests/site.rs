//! The handbook site, built for real: the bundled handbook and a small
//! fixture site (`tests/fixtures/site-small/`, whose policy is the bundled
//! one). Asserts what staff depend on: every link works, the no-JS decision
//! tree reaches the classifier's level on every path, every policy entity is
//! shown, builds are atomic and reproducible, and text is escaped.

mod common;
use common::{bundled, small_site};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use incident_handbook::site::{self, BuildError, BuildOptions};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `root` into a fresh folder and reads every file back.
fn build(root: &Path, out: &Path) -> Result<BTreeMap<String, Vec<u8>>, BuildError> {
    site::build(&BuildOptions {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        force: false,
        year: Some(2026),
    })?;
    Ok(read_tree(out))
}

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(dir) {
        let rel = entry
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(rel, std::fs::read(&entry).expect("read"));
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("ls") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn html(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .expect("utf-8")
}

fn decode(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Every `href`/`src` value of a page.
fn links(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = page;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(decode(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn ids(page: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = page;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.insert(decode(&rest[..end]));
    }
    out
}

/// Resolves `link` from the page at `from` to a site path and fragment.
fn resolve(from: &str, link: &str) -> (String, Option<String>) {
    let (no_frag, frag) = match link.split_once('#') {
        Some((a, b)) => (a, Some(b.to_owned())),
        None => (link, None),
    };
    let no_query = no_frag.split('?').next().unwrap_or("");
    if no_query.is_empty() {
        return (from.to_owned(), frag);
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in no_query.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    (parts.join("/"), frag)
}

fn assert_links_resolve(files: &BTreeMap<String, Vec<u8>>) {
    let mut broken = Vec::new();
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = String::from_utf8_lossy(bytes);
        for link in links(&page) {
            if link.starts_with("tel:") || link.starts_with("mailto:") || link.starts_with("data:")
            {
                continue;
            }
            if link.starts_with("http://") || link.starts_with("https://") {
                // Only the reporting portal may be linked outside the site.
                if !link.starts_with("https://www.ncert.nat.gov.tw") {
                    broken.push(format!("{path}: external link {link}"));
                }
                continue;
            }
            checked += 1;
            let (target, frag) = resolve(path, &link);
            let Some(target_bytes) = files.get(&target) else {
                broken.push(format!("{path}: {link} → missing {target}"));
                continue;
            };
            if let Some(f) = frag
                && target.ends_with(".html")
                && !ids(&String::from_utf8_lossy(target_bytes)).contains(&f)
            {
                broken.push(format!("{path}: {link} → no id `{f}` in {target}"));
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn bundled_handbook_builds_with_every_link_resolving() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = build(manifest(), &tmp.path().join("public")).expect("bundled handbook builds");
    assert_links_resolve(&files);
    for (name, bytes) in &files {
        assert!(name.is_ascii(), "non-ASCII output name {name}");
        assert!(
            !String::from_utf8_lossy(bytes).contains("__handbook"),
            "{name}: the live-reload script belongs to `serve` only"
        );
    }
    // Every page declares the language and shows the rule set's version and digest.
    let r = bundled();
    let short = &r.digest["sha256:".len().."sha256:".len() + 12];
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = String::from_utf8_lossy(bytes);
        // The policy's `language` (zh-TW for the bundled handbook).
        let lang = format!("<html lang=\"{}\">", r.meta.language);
        assert!(page.contains(&lang), "{path}");
        assert!(page.contains(short), "{path} does not show the digest");
        assert!(
            page.contains(&r.meta.version),
            "{path} does not show the version"
        );
        assert!(
            !page.contains("href=\"http://"),
            "{path} links over plain http"
        );
    }
}

#[test]
fn no_js_level_tree_reaches_the_classifier_level_on_every_path() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = build(manifest(), &tmp.path().join("public")).expect("builds");
    let r = bundled();
    let c = r.classifier();
    let mut levels_reached = BTreeSet::new();
    for combo in c.combinations() {
        let full: Vec<Option<usize>> = combo.iter().map(|a| Some(*a)).collect();
        let outcome = c.evaluate(&full);
        let expected = outcome.level();
        let mut path = "classify/index.html".to_owned();
        let mut steps = 0;
        loop {
            let page = html(&files, &path);
            if page.contains("class=\"result ") {
                let got = r.levels.iter().map(|l| &l.id).find(|l| {
                    page.contains("class=\"result result-level sev-")
                        && page.contains(&format!(" data-level=\"{l}\""))
                });
                assert_eq!(got, expected, "answers {combo:?} end at {path}");
                if let Some(l) = got {
                    let name = r.level(l).and_then(|x| x.name.get("zh-TW")).expect("name");
                    assert!(
                        page.contains(&format!("結果：{name}")),
                        "{path} names its level"
                    );
                    levels_reached.insert(l.to_string());
                }
                break;
            }
            // Which question is this page asking?
            let q = r
                .questions
                .iter()
                .position(|q| {
                    page.contains(&format!("<h2 id=\"q-title\">{}</h2>", q.text["zh-TW"]))
                })
                .unwrap_or_else(|| panic!("{path} asks no known question"));
            let answer_text = &r.questions[q].answers[combo[q]].text["zh-TW"];
            let marker = format!("\">{answer_text}</a>");
            let at = page
                .find(&marker)
                .unwrap_or_else(|| panic!("{path} has no answer {answer_text}"));
            let href_start = page[..at].rfind("href=\"").expect("href") + 6;
            let (next, _) = resolve(&path, &decode(&page[href_start..at]));
            path = next;
            steps += 1;
            assert!(steps <= r.questions.len(), "too many steps for {combo:?}");
        }
    }
    assert_eq!(
        levels_reached.into_iter().collect::<Vec<_>>(),
        vec!["1", "2", "3", "4"]
    );
}

#[test]
fn every_policy_entity_appears_on_some_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = build(manifest(), &tmp.path().join("public")).expect("builds");
    let all: String = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let all = decode(&all);
    let r = bundled();
    let zh = |t: &incident_handbook::ruleset::Text| t["zh-TW"].clone();
    let mut missing = Vec::new();
    let mut expect = |what: &str, text: String| {
        if !all.contains(&text) {
            missing.push(format!("{what}: {text}"));
        }
    };
    for l in &r.levels {
        expect("level", zh(&l.name));
    }
    for e in &r.events {
        expect("event", zh(&e.name));
    }
    for c in &r.contacts {
        expect("contact", c.value.clone());
    }
    for u in &r.units {
        expect("unit", zh(&u.name));
    }
    for x in &r.roles {
        expect("role", zh(&x.name));
    }
    for a in &r.agencies {
        expect("agency", zh(&a.name));
    }
    for d in &r.duties {
        expect("duty", zh(&d.text));
    }
    for i in &r.inconsistencies {
        expect("inconsistency", zh(&i.title));
    }
    for d in &r.decisions {
        expect("decision", zh(&d.title));
    }
    assert!(
        missing.is_empty(),
        "not on any page:\n{}",
        missing.join("\n")
    );
}

#[test]
fn fixture_site_builds_twice_identically_and_escapes_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    // Put HTML-special characters into the policy too.
    let contacts = root.join("policy/contacts.toml");
    let text = std::fs::read_to_string(&contacts).expect("read");
    let text = text.replacen(
        "name = { zh-TW = \"",
        "name = { zh-TW = \"<b>粗體</b> & ",
        1,
    );
    std::fs::write(&contacts, text).expect("write");

    let first = build(&root, &root.join("public")).expect("fixture builds");
    let second = build(&root, &tmp.path().join("again")).expect("fixture builds again");
    assert_eq!(first, second, "two builds give identical bytes");
    assert_links_resolve(&first);

    let chapter = html(&first, "chapters/first.html");
    assert!(
        chapter.contains("&lt;script&gt;alert("),
        "raw HTML in a chapter is shown as text"
    );
    assert!(!chapter.contains("<script>alert"), "never passed through");
    assert!(chapter.contains("a &lt; b &amp; c"));
    assert!(
        chapter.contains("&lt;特殊&gt; &amp; &quot;字元&quot;"),
        "front-matter title escaped"
    );
    // Shortcodes became the rule set's facts.
    assert!(chapter.contains("發現後1 小時內通報"), "{chapter}");
    assert!(chapter.contains("8 小時內"));
    assert!(chapter.contains("href=\"tel:+886227339922\""));
    assert!(chapter.contains("36 小時內"));
    assert!(
        chapter.contains("<h2 id=\"通報時限\">"),
        "Chinese heading anchor kept"
    );
    assert!(chapter.contains("footnote"));
    let contacts_page = html(&first, "contacts/index.html");
    assert!(
        contacts_page.contains("&lt;b&gt;粗體&lt;&#x2F;b&gt; &amp;"),
        "policy text escaped"
    );
    assert!(!contacts_page.contains("<b>粗體"));
    let second_chapter = html(&first, "chapters/second.html");
    assert!(second_chapter.contains("行政院研究發展考核委員會"));
    assert!(
        second_chapter.contains("社交工程演練第 2 次：9 月底前；報告：演練完成後 2 週內；參加：1/3；狀況至少 10 種；專線 24 小時。"),
        "drill and contact facts come from the policy: {second_chapter}"
    );
}

#[test]
fn a_broken_content_reference_fails_the_build_and_keeps_the_previous_site() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let out = root.join("public");
    let before = build(&root, &out).expect("first build");

    let chapter = root.join("content/first.md");
    let text = std::fs::read_to_string(&chapter).expect("read");
    std::fs::write(
        &chapter,
        text.replace("event=\"report\", level=3", "event=\"reprot\", level=3"),
    )
    .expect("write");
    match build(&root, &out) {
        Err(BuildError::Diagnostics {
            diagnostics,
            sources,
        }) => {
            let d = diagnostics
                .iter()
                .find(|d| d.rule == "content-reference")
                .expect("content-reference");
            let loc = d.location(&sources);
            assert_eq!(loc.file.as_deref(), Some("content/first.md"));
            assert_eq!(loc.line, 10, "{d:?}");
            assert!(d.message.contains("reprot"));
        }
        other => panic!("expected diagnostics, got {other:?}"),
    }
    assert_eq!(
        read_tree(&out),
        before,
        "the previous output is byte-identical"
    );

    // The same error through the binary: exit 1, file:line on stderr, and
    // `check` reports it too.
    for cmd in ["build", "check"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args([cmd, "--root"])
            .arg(&root)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("content/first.md:10:"), "{cmd}: {err}");
        assert!(err.contains("content-reference"), "{cmd}: {err}");
    }
    assert_eq!(read_tree(&out), before);
}

#[test]
fn a_deadline_shortcode_for_a_level_without_that_event_is_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    // level-review exists only for levels 3 and 4; the report drill has one
    // due date, not three.
    std::fs::write(
        root.join("content/third.md"),
        "+++\ntitle = \"x\"\nslug = \"third\"\n+++\n\n審核：{{ within(event=\"level-review\", level=1) }}\n\n{{ drill_due(id=\"group-report-drill\", n=3) }}\n",
    )
    .expect("write");
    match build(&root, &root.join("public")) {
        Err(BuildError::Diagnostics { diagnostics, .. }) => {
            assert!(
                diagnostics.iter().any(|d| d.rule == "content-reference"
                    && d.message.contains("no time limit at level 1")),
                "{diagnostics:?}"
            );
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.rule == "content-reference" && d.message.contains("not number 3")),
                "{diagnostics:?}"
            );
        }
        other => panic!("expected diagnostics, got {other:?}"),
    }
}

#[test]
fn bad_front_matter_and_non_ascii_slugs_are_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    std::fs::write(
        root.join("content/中文.md"),
        "+++\ntitle = \"x\"\n+++\nbody\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/bad.md"),
        "+++\ntitle = \"x\"\ncolour = 1\n+++\n",
    )
    .expect("write");
    match build(&root, &root.join("public")) {
        Err(BuildError::Diagnostics { diagnostics, .. }) => {
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.rule == "content-front-matter" && d.message.contains("slug"))
            );
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.rule == "content-front-matter" && d.message.contains("colour"))
            );
        }
        other => panic!("expected diagnostics, got {other:?}"),
    }
    assert!(!root.join("public").exists(), "nothing half-written");
}

#[test]
fn a_policy_file_that_fails_to_load_does_not_bury_its_error_under_chapter_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    std::fs::write(root.join("policy/deadlines.toml"), "this is = not toml [").expect("write");
    match build(&root, &root.join("public")) {
        Err(BuildError::Diagnostics { diagnostics, .. }) => {
            assert!(
                diagnostics.iter().any(|d| d.rule == "parse"),
                "{diagnostics:?}"
            );
            assert!(
                !diagnostics.iter().any(|d| d.rule == "content-reference"),
                "no knock-on shortcode errors: {diagnostics:?}"
            );
        }
        other => panic!("expected diagnostics, got {other:?}"),
    }
}

/// A fax number is shown as text, never a `tel:` link (a reader who taps it
/// calls a fax machine) and never marked as a placeholder; the vCard keeps
/// it as a fax number, and the compiled contact has no `href`.
#[test]
fn a_fax_is_shown_and_carded_but_never_a_link_or_a_placeholder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let r = common::compiled(&root);
    let files = build(&root, &root.join("public")).expect("fixture builds");
    let faxes: Vec<_> = r
        .contacts
        .iter()
        .filter(|c| c.kind == "fax" && !c.placeholder)
        .collect();
    assert!(!faxes.is_empty(), "the fixture has a real fax contact");
    let contacts_page = html(&files, "contacts/index.html");
    for fax in faxes {
        assert_eq!(fax.href, None, "{}: a fax has no link", fax.id);
        let number = fax.number.as_deref().expect("a fax has its E.164 number");
        assert!(number.starts_with('+'), "{number}");
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(&format!("tel:{number}")),
                "{path} offers the fax {} as a tel: link",
                fax.id
            );
        }
        let start = contacts_page
            .find(&format!("id=\"contact-{}\"", fax.id))
            .expect("the fax has a card");
        let card = &contacts_page[start..];
        let card = &card[..card.find("</li>").expect("card end")];
        assert!(card.contains(&fax.value), "the number is shown: {card}");
        assert!(!card.contains("<a href=\"tel:"), "no link: {card}");
        assert!(
            !card.contains("placeholder"),
            "a real fax is not marked as a placeholder: {card}"
        );
        let unit_page = html(&files, &format!("org/{}.html", fax.owner));
        assert!(
            unit_page.contains(&fax.value),
            "the unit page shows the fax"
        );
        assert!(
            !unit_page.contains("placeholder-mark"),
            "the unit page marks no placeholder"
        );
        let vcard = String::from_utf8_lossy(
            files
                .get(&format!("contacts/{}.vcf", fax.owner))
                .expect("the owner's vCard"),
        )
        .replace("\r\n ", "");
        assert!(
            vcard.contains(&format!("TEL;TYPE=WORK,FAX:{number}")),
            "the vCard keeps the fax: {vcard}"
        );
    }
    let print = html(&files, "print.html");
    assert!(
        !print.contains("placeholder-mark"),
        "the print page marks no real contact as a placeholder"
    );
}

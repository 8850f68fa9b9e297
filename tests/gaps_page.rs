//! The gaps page speaks the handbook's language: an inconsistency that
//! acknowledges a checker finding says so in the locale's words, never in
//! the checker's English message (which is for policy editors).

mod common;
use common::{compiled, copy_dir};

use std::path::Path;

use incident_handbook::site;

/// The bundled project with the §3.4 meeting timed from the same start as
/// the task force it follows (so `deadline-precedence` fires), and the
/// inconsistency about it acknowledging that finding.
fn acknowledged_project(tmp: &Path) -> std::path::PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tmp.join("project");
    copy_dir(&manifest.join("policy"), &root.join("policy"));
    copy_dir(&manifest.join("content"), &root.join("content"));
    let deadlines = root.join("policy/deadlines.toml");
    let text = std::fs::read_to_string(&deadlines).expect("read");
    let old = "anchor = \"intel-analysed\"\nwithin = \"6h\"";
    assert!(text.contains(old), "the task force's timing");
    std::fs::write(
        &deadlines,
        text.replace(old, "anchor = \"occurred\"\nwithin = \"6h\""),
    )
    .expect("write");
    let notes = root.join("policy/notes.toml");
    let text = std::fs::read_to_string(&notes).expect("read");
    let old = "[[inconsistency]]\nid = \"office-abbreviation\"";
    assert!(text.contains(old));
    let ack = "[inconsistency.acknowledges]\nrule = \"deadline-precedence\"\nsubject = \"security-meeting\"\n\n";
    std::fs::write(&notes, text.replace(old, &format!("{ack}{old}"))).expect("write");
    root
}

#[test]
fn an_acknowledged_finding_is_told_in_the_handbooks_words() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = acknowledged_project(tmp.path());
    let r = compiled(&root);
    let note = r
        .inconsistencies
        .iter()
        .find(|i| !i.detected.is_empty())
        .expect("the acknowledgement matches a finding");
    let prepared = site::prepare(&root).expect("prepares");
    let files = site::render(&prepared, 2026).expect("renders");
    let page = String::from_utf8(files["gaps.html"].clone()).expect("UTF-8");
    for message in &note.detected {
        // The message as Tera would escape it, and a distinctive piece of it.
        assert!(message.contains("is due"), "the checker's words: {message}");
        assert!(!page.contains("is due"), "English checker text on the page");
        assert!(!page.contains(&message.replace('`', "&#x60;")));
    }
    let article = &page[page
        .find(&format!(r#"id="inconsistency-{}""#, note.id))
        .expect("the note's article")..];
    let article = &article[..article.find("</article>").expect("end")];
    let p = &article[article.find(r#"<p class="detected""#).expect("detected")..];
    let p = &p[p.find('>').expect("tag") + 1..p.find("</p>").expect("end")];
    let expected = prepared
        .locale
        .fill(
            "gaps.detected",
            &[("count", &note.detected.len().to_string())],
        )
        .expect("locale");
    assert_eq!(p, expected);
    assert!(
        !p.chars().any(|c| c.is_ascii_alphabetic()),
        "no Latin words in a zh-TW sentence: {p}"
    );
}

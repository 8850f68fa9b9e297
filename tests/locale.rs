//! Interface text through the real binary: a project changes a word with its
//! own `locales/<language>.toml`, the bundled English locale renders every
//! page, and locale mistakes are located errors of `check` and `build`.

mod common;

use std::path::Path;
use std::process::Command;

fn run(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("binary runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The small project with every policy text and the language switched to
/// `tag` (the words stay Chinese: only the interface changes).
fn in_language(root: &Path, tag: &str) {
    for entry in std::fs::read_dir(root.join("policy")).expect("ls") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text
            .replace("zh-TW = ", &format!("{tag} = "))
            .replace("language = \"zh-TW\"", &format!("language = \"{tag}\""));
        std::fs::write(&path, text).expect("write");
    }
}

#[test]
fn a_project_changes_one_word_and_every_page_follows() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = common::small_site(tmp.path());
    write(
        &root,
        "locales/zh-TW.toml",
        "[nav]\ncontacts = \"緊急聯絡\"\n",
    );
    let out = tmp.path().join("out");
    let (code, text) = run(&root, &["build", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{text}");
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(
        home.contains(">緊急聯絡</a>"),
        "the navigation uses the project's word"
    );
    assert!(
        home.contains(">期限計算</a>"),
        "other words stay the theme's"
    );
    let contacts = std::fs::read_to_string(out.join("contacts/index.html")).expect("contacts");
    assert!(
        contacts.contains("<title>緊急聯絡｜"),
        "the page title follows"
    );
}

#[test]
fn the_bundled_english_text_renders_every_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = common::small_site(tmp.path());
    in_language(&root, "en");
    let out = tmp.path().join("out");
    let (code, text) = run(&root, &["build", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{text}");
    let page = std::fs::read_to_string(out.join("deadlines.html")).expect("deadlines");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<h1>Deadline calculator</h1>"));
    assert!(
        page.contains(">within 1 hour</td>"),
        "durations in English, singular"
    );
    assert!(
        !page.contains("期限計算"),
        "no Chinese interface word is left"
    );
    let data = std::fs::read_to_string(out.join("assets/data.js")).expect("data.js");
    assert!(data.contains("window.HANDBOOK_DATA.language = \"en\";"));
    assert!(data.contains("\"calc_title\":\"Your deadlines\""));
}

#[test]
fn locale_mistakes_are_located_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = common::small_site(tmp.path());
    write(
        &root,
        "locales/zh-TW.toml",
        "[nav]\ncontacts = \"緊急聯絡\"\ncontact = \"錯字\"\n",
    );
    let (code, text) = run(&root, &["check"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("error[locale]: the theme has no interface text `nav.contact`"),
        "{text}"
    );
    assert!(text.contains("locales/zh-TW.toml:3:1"), "{text}");
    assert!(text.contains("did you mean `nav.contacts`?"), "{text}");

    write(
        &root,
        "locales/zh-TW.toml",
        "[nav]\ncontacts = \"緊急聯絡\n",
    );
    let (code, text) = run(
        &root,
        &[
            "build",
            "--out",
            tmp.path().join("out").to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[locale]: invalid TOML"), "{text}");
    assert!(text.contains("locales/zh-TW.toml:2:"), "{text}");
}

#[test]
fn a_language_without_a_locale_file_is_an_error_at_the_policy_key() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = common::small_site(tmp.path());
    in_language(&root, "fr");
    let (code, text) = run(&root, &["check", "--format", "json"]);
    assert_eq!(code, 1, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let found: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_owned(),
                d["file"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("locale".to_owned(), "policy/policy.toml".to_owned(), 9)]
    );
}

//! Placeholder contacts (`placeholder = true`): the site marks them with the
//! theme locale's words and never offers them as a link, a QR code or a vCard
//! property, and `check` keeps real and placeholder values apart
//! (`contact-source`, whose fixtures are in tests/fixtures/policy-bad).

mod common;

use std::path::Path;
use std::process::Command;

use common::small_site;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The bundled theme's words for `contacts.<key>` in zh-TW.
fn words(key: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/locales/zh-TW.toml");
    let text = std::fs::read_to_string(path).expect("read locale");
    let table: toml::Table = text.parse().expect("locale parses");
    table["contacts"][key]
        .as_str()
        .expect("contacts key is a string")
        .to_owned()
}

/// The small site with its phone line (the bundled hotline) turned into a
/// placeholder: same number, no `value_from`, `placeholder = true`.
fn placeholder_site(tmp: &Path) -> std::path::PathBuf {
    let root = small_site(tmp);
    let file = root.join("policy/contacts.toml");
    let text = std::fs::read_to_string(&file).expect("read contacts");
    let changed = text.replacen(
        "value = \"(02)2733-9922\"\nvalue_from = \"3.1(二)1\"\n",
        "value = \"(02)2733-9922\"\nplaceholder = true\n",
        1,
    );
    assert_ne!(changed, text, "the hotline entry was found and changed");
    std::fs::write(&file, changed).expect("write contacts");
    root
}

#[test]
fn a_placeholder_is_marked_and_never_dialable() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = placeholder_site(tmp.path());
    let out = tmp.path().join("out");
    let root_s = root.to_str().expect("utf-8 path");
    let (code, _, err) = run(&["check", "--root", root_s, "--deny-warnings"]);
    assert_eq!(
        code, 0,
        "a placeholder without value_from passes check: {err}"
    );
    let (code, _, err) = run(&[
        "build",
        "--root",
        root_s,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "build: {err}");

    let mark = words("placeholder");
    let page = std::fs::read_to_string(out.join("contacts/index.html")).expect("contacts page");
    let card_start = page.find("id=\"contact-hotline\"").expect("hotline card");
    let card = &page[card_start..card_start + page[card_start..].find("</li>").expect("card end")];
    assert!(
        !card.contains("tel:"),
        "no tel: link on the placeholder card: {card}"
    );
    assert!(
        card.contains(&mark),
        "the card carries the placeholder words: {card}"
    );
    assert!(
        card.contains("(02)2733-9922"),
        "the stand-in value is still shown"
    );
    // The real fax is shown, but is no link (tests/site.rs) and no placeholder.
    let fax_start = page.find("id=\"contact-fax\"").expect("fax card");
    let fax = &page[fax_start..fax_start + page[fax_start..].find("</li>").expect("card end")];
    assert!(fax.contains("(02)2733-1655"), "the fax is shown: {fax}");
    assert!(!fax.contains(&mark), "the fax is no placeholder: {fax}");

    let home = std::fs::read_to_string(out.join("index.html")).expect("home page");
    assert!(
        !home.contains("tel:+886227339922"),
        "the home page's phone line is no link"
    );
    assert!(home.contains(&mark), "the home page marks the phone line");

    assert!(
        !out.join("contacts/hotline-qr.svg").exists(),
        "no QR code dials a placeholder"
    );
    let vcf = std::fs::read_to_string(out.join("contacts/security-group.vcf")).expect("vCard");
    let unfolded = vcf.replace("\r\n ", "");
    assert!(
        !unfolded.contains("TEL;TYPE=WORK,VOICE"),
        "no TEL for the placeholder: {vcf}"
    );
    assert!(
        unfolded.contains("TEL;TYPE=WORK,FAX:+886227331655"),
        "the fax stays: {vcf}"
    );
    let note_words = words("placeholder_note");
    // The note's own words: the longest stretch outside the `{name}` slots.
    let mut outside = String::new();
    let mut depth = 0;
    for ch in note_words.chars() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                outside.push('\u{0}');
            }
            _ if depth == 0 => outside.push(ch),
            _ => {}
        }
    }
    let marker = outside
        .split('\u{0}')
        .max_by_key(|w| w.chars().count())
        .expect("the note has words of its own");
    assert!(
        marker.chars().count() > 4,
        "the note has words of its own: {note_words}"
    );
    assert!(
        unfolded.contains(marker),
        "the vCard note marks the placeholder ({marker}): {vcf}"
    );

    let (code, json, err) = run(&["compile", "--root", root_s]);
    assert_eq!(code, 0, "compile: {err}");
    let r: serde_json::Value = serde_json::from_str(&json).expect("rule set JSON");
    let hotline = r["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .find(|c| c["id"] == "hotline")
        .expect("hotline in the rule set");
    assert_eq!(hotline["placeholder"], true);
    assert!(
        hotline["href"].is_null(),
        "a placeholder has no href: {hotline}"
    );
    assert!(hotline["value_from"].is_null());
}

/// The `contact` shortcode prints a placeholder as the contact pages show
/// it: the stand-in value with the locale's marking, never a link; a real
/// contact in the same chapter stays a link.
#[test]
fn a_chapter_shows_a_placeholder_marked_and_unlinked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = placeholder_site(tmp.path());
    std::fs::write(
        root.join("content/contact-calls.md"),
        "+++\ntitle = \"calls\"\nslug = \"contact-calls\"\n+++\n\n\
         - {{ contact(id=\"hotline\") }}\n- {{ contact(id=\"email\") }}\n- {{ contact(id=\"fax\") }}\n",
    )
    .expect("write chapter");
    let out = tmp.path().join("out");
    let root_s = root.to_str().expect("utf-8 path");
    let (code, _, err) = run(&["check", "--root", root_s, "--deny-warnings"]);
    assert_eq!(code, 0, "check: {err}");
    let (code, _, err) = run(&[
        "build",
        "--root",
        root_s,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "build: {err}");
    let page =
        std::fs::read_to_string(out.join("chapters/contact-calls.html")).expect("chapter page");
    let items: Vec<&str> = page
        .split("<li>")
        .skip(1)
        .filter_map(|s| s.split("</li>").next())
        .filter(|s| {
            s.contains("(02)2733-9922")
                || s.contains("service@icst.org.tw")
                || s.contains("(02)2733-1655")
        })
        .collect();
    assert_eq!(items.len(), 3, "every call prints: {page}");
    let placeholder = items[0];
    assert!(
        !placeholder.contains("<a") && !placeholder.contains("tel:"),
        "a placeholder is no link: {placeholder}"
    );
    assert!(
        placeholder.contains("(02)2733-9922") && placeholder.contains(&words("placeholder")),
        "the stand-in value with its marking: {placeholder}"
    );
    assert!(
        items[1].contains("href=\"mailto:service@icst.org.tw\"")
            && !items[1].contains(&words("placeholder")),
        "the real contact stays a link, unmarked: {}",
        items[1]
    );
    assert!(
        !items[2].contains("<a")
            && !items[2].contains(&words("placeholder"))
            && !items[2].contains("<em>"),
        "a fax is plain text, neither a link nor marked: {}",
        items[2]
    );
}

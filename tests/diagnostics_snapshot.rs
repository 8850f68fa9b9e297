//! Snapshots of the human `check` output for a few broken-policy fixtures of
//! `tests/fixtures/policy-bad/`: the snippet, the underline under the right
//! characters (also in CJK lines), the labels and the hints.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    #[serde(default)]
    remove: Vec<String>,
    exit: i32,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the fixture's policy in a temp dir, runs `handbook check` with the
/// default (human) format and returns its stderr, with the temp dir replaced
/// by `[ROOT]`.
fn human_output(fixture: &str) -> String {
    output(fixture, "human")
}

/// Like [`human_output`], for any `--format`; machine formats go to stdout.
fn output(fixture: &str, format: &str) -> String {
    let dir = manifest_dir()
        .join("tests/fixtures/policy-bad")
        .join(fixture);
    let expected_path = dir.join("expected.toml");
    let text = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", expected_path.display()));
    let expected: Expected =
        toml::from_str(&text).unwrap_or_else(|e| panic!("bad {}: {e}", expected_path.display()));

    let tmp = tempfile::tempdir().expect("create a temp dir");
    let policy = tmp.path().join("policy");
    std::fs::create_dir(&policy).expect("create <tmp>/policy");
    copy_files(&manifest_dir().join("policy"), &policy);
    for name in &expected.remove {
        std::fs::remove_file(policy.join(name))
            .unwrap_or_else(|e| panic!("{fixture}: cannot remove {name}: {e}"));
    }
    let overlay = dir.join("policy");
    if overlay.is_dir() {
        copy_files(&overlay, &policy);
    }

    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .arg("check")
        .arg("--root")
        .arg(tmp.path())
        .args(["--format", format])
        .output()
        .expect("run handbook");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if format != "human" {
        assert_eq!(
            output.status.code(),
            Some(expected.exit),
            "{fixture}: {stderr}"
        );
        return String::from_utf8_lossy(&output.stdout).into_owned();
    }
    assert_eq!(
        output.status.code(),
        Some(expected.exit),
        "{fixture}: unexpected exit code; stderr:\n{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "{fixture}: human output belongs on stderr, but stdout has:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let root = tmp.path().to_string_lossy().into_owned();
    stderr.replace(&root, "[ROOT]")
}

fn copy_files(from: &Path, to: &Path) {
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("read a directory entry");
        std::fs::copy(entry.path(), to.join(entry.file_name()))
            .unwrap_or_else(|e| panic!("cannot copy {}: {e}", entry.path().display()));
    }
}

#[test]
fn unknown_reference() {
    insta::assert_snapshot!(
        "unknown_reference",
        human_output("unknown-event-anchor-typo")
    );
}

#[test]
fn schema_unknown_key() {
    insta::assert_snapshot!(
        "schema_unknown_key",
        human_output("unknown-key-in-policy-meta")
    );
}

#[test]
fn classification_gap() {
    insta::assert_snapshot!(
        "classification_gap",
        human_output("classification-gap-infrastructure-restored")
    );
}

#[test]
fn contact_format_under_cjk_text() {
    insta::assert_snapshot!(
        "contact_format_cjk",
        human_output("contact-phone-with-chinese-note")
    );
}

#[test]
fn cjk_text_before_the_span() {
    insta::assert_snapshot!("cjk_before_span", human_output("cjk-text-before-the-error"));
}

/// Every format counts columns in characters (Unicode scalar values): with
/// 36 CJK characters before the error on its line, the column is 66, not the
/// byte column (138) nor a display width.
#[test]
fn every_format_reports_the_same_character_column() {
    let fixture = "cjk-text-before-the-error";
    let expected = (11, 66);
    let json: serde_json::Value =
        serde_json::from_str(&output(fixture, "json")).expect("json report");
    let first = &json["diagnostics"][0];
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(expected.0), Some(expected.1)),
        "json: {first}"
    );

    let human = human_output(fixture);
    let at = format!("policy/levels.toml:{}:{}", expected.0, expected.1);
    assert!(
        human.contains(&format!("--> {at}\n")),
        "human header:\n{human}"
    );
    assert!(
        human.contains(&format!("╭─[{at}]")),
        "human snippet box:\n{human}"
    );

    let github = output(fixture, "github");
    assert!(
        github.contains(&format!("line={},col={},", expected.0, expected.1)),
        "github: {github}"
    );

    let sarif: serde_json::Value =
        serde_json::from_str(&output(fixture, "sarif")).expect("sarif log");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["columnKind"], "unicodeCodePoints",
        "SARIF declares its unit"
    );
    // Each rule is described from the registry.
    let rule = &run["tool"]["driver"]["rules"][0];
    let registered = incident_handbook::check::RULES
        .iter()
        .find(|r| r.id == "schema")
        .expect("schema is registered");
    assert_eq!(rule["id"], "schema");
    assert_eq!(rule["help"]["text"], registered.help, "{rule}");
    assert_eq!(
        rule["shortDescription"]["text"], registered.summary,
        "{rule}"
    );
    let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(expected.0), Some(expected.1)),
        "sarif: {region}"
    );
}

/// A number where a chapter expects an id string is refused as an argument
/// of the wrong type, shown as written (`5`) with the string to write, not
/// as an empty id.
#[test]
fn a_number_given_as_an_id_is_shown_as_written() {
    let tmp = tempfile::tempdir().expect("create a temp dir");
    let policy = tmp.path().join("policy");
    std::fs::create_dir(&policy).expect("create <tmp>/policy");
    copy_files(&manifest_dir().join("policy"), &policy);
    let content = tmp.path().join("content");
    std::fs::create_dir(&content).expect("create <tmp>/content");
    std::fs::write(
        content.join("bad.md"),
        "+++\ntitle = \"測試\"\n+++\n\n{{ event(id=5) }} {{ within(event=1, level=3) }} {{ contact(id=7) }}\n",
    )
    .expect("write the chapter");
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .arg("check")
        .arg("--root")
        .arg(tmp.path())
        .args(["--format", "json"])
        .output()
        .expect("run handbook");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "`id` of `event` is an id, written as a string: id=\"5\", not id=5",
            "`event` of `within` is an id, written as a string: event=\"1\", not event=1",
            "`id` of `contact` is an id, written as a string: id=\"7\", not id=7"
        ],
        "{json}"
    );
}

/// Values in messages are written as in TOML (`9`, `"9"`), never as Rust
/// debug output (`Some(Int(9))`), and a chapter's CJK text before a
/// shortcode does not shift its column between formats.
#[test]
fn chapter_values_print_as_toml_and_columns_agree() {
    let tmp = tempfile::tempdir().expect("create a temp dir");
    let policy = tmp.path().join("policy");
    std::fs::create_dir(&policy).expect("create <tmp>/policy");
    copy_files(&manifest_dir().join("policy"), &policy);
    let content = tmp.path().join("content");
    std::fs::create_dir(&content).expect("create <tmp>/content");
    std::fs::write(
        content.join("bad.md"),
        "+++\ntitle = \"測試\"\n+++\n\n發現事件後 {{ within(event=\"report\", level=9) }} 與 {{ level(id=\"9\") }}\n",
    )
    .expect("write the chapter");
    let run = |format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .arg("check")
            .arg("--root")
            .arg(tmp.path())
            .args(["--format", format])
            .output()
            .expect("run handbook");
        assert_eq!(output.status.code(), Some(1), "{format}: {output:?}");
        let text = if format == "human" {
            output.stderr
        } else {
            output.stdout
        };
        String::from_utf8_lossy(&text).into_owned()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("json report");
    let items = json["diagnostics"].as_array().expect("a list");
    let messages: Vec<&str> = items.iter().filter_map(|d| d["message"].as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown level `9` in `within`",
            "unknown level `\"9\"` in `level`"
        ],
        "{json}"
    );
    // Columns in characters: 發現事件後 is five characters (15 bytes).
    assert_eq!(
        (items[0]["line"].as_u64(), items[0]["column"].as_u64()),
        (Some(5), Some(7))
    );
    let human = run("human");
    assert!(!human.contains("Some("), "{human}");
    for d in items {
        let at = format!(
            "content/bad.md:{}:{}",
            d["line"].as_u64().unwrap_or(0),
            d["column"].as_u64().unwrap_or(0)
        );
        assert!(human.contains(&format!("--> {at}\n")), "{at} in:\n{human}");
        assert!(human.contains(&format!("╭─[{at}]")), "{at} in:\n{human}");
    }
}

#[test]
fn classification_too_large_to_enumerate() {
    insta::assert_snapshot!(
        "classification_size",
        human_output("classification-size-70-questions")
    );
}

//! The new policy fields through `check`, and the edition on the site.

use super::common;
use super::common::handbook;

/// `handbook check --format json` on a copy of the project with one file
/// edited: (rule, line) of every diagnostic.
fn check_edited(file: &str, from: &str, to: &str) -> Vec<(String, u64)> {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&root.join("policy"), &tmp.path().join("policy"));
    let path = tmp.path().join("policy").join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["check", "--format", "json", "--root"])
        .arg(tmp.path())
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn the_new_timing_and_edition_fields_are_checked() {
    let line_of = |file: &str, needle: &str| -> u64 {
        let text = std::fs::read_to_string(format!("{}/policy/{file}", env!("CARGO_MANIFEST_DIR")))
            .expect("read");
        text.lines().position(|l| l.contains(needle)).expect("line") as u64 + 1
    };
    let counts_as = line_of("deadlines.toml", "counts_as = \"recheck\"");
    assert_eq!(
        check_edited(
            "deadlines.toml",
            "counts_as = \"recheck\"",
            "counts_as = \"rechek\""
        ),
        [("unknown-reference".to_owned(), counts_as)]
    );
    let not_after = line_of("deadlines.toml", "not_after = \"discovered\"");
    assert_eq!(
        check_edited(
            "deadlines.toml",
            "not_after = \"discovered\"",
            "not_after = \"report\""
        ),
        [("schema".to_owned(), not_after)]
    );
    let undated = line_of("policy.toml", "undated = ");
    assert_eq!(
        check_edited(
            "policy.toml",
            "undated = ",
            "date = \"2026-02-30\"\nundated = "
        ),
        [
            ("schema".to_owned(), undated),
            ("schema".to_owned(), undated)
        ],
        "both date and undated, and the date does not exist"
    );
    let title = line_of("policy.toml", "[edition]") + 1;
    let without: Vec<(String, u64)> = check_edited("policy.toml", "undated = ", "# undated = ");
    assert_eq!(without, [("schema".to_owned(), title)]);
}

#[test]
fn the_site_names_the_encoded_text_on_the_home_page_and_in_the_gaps() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let (code, _, err) = handbook(&["build", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    for page in ["index.html", "gaps.html"] {
        let html = std::fs::read_to_string(out.join(page)).expect("page");
        for text in [
            "《國家資通安全通報應變作業綱要》",
            "沒有載明訂定或修正日期",
            "資通安全管理法",
            "資通安全事件通報及應變辦法",
            "自 2019 年起",
        ] {
            assert!(html.contains(text), "{page} lacks {text}");
        }
    }
    let calculator = std::fs::read_to_string(out.join("deadlines.html")).expect("page");
    assert!(
        calculator.contains("id=\"calc-at-occurred\""),
        "the occurrence sits beside the discovery"
    );
    // A phrase for every kind of contradiction the calculator can show.
    use incident_handbook::ruleset::deadlines::Contradiction;
    for relation in [
        Contradiction::Before,
        Contradiction::After,
        Contradiction::BeforeDeadline,
        Contradiction::AnchorOnTime,
    ] {
        let name = serde_json::to_value(relation).expect("json");
        let attribute = format!("data-conflict-{}=", name.as_str().expect("name"));
        assert!(calculator.contains(&attribute), "{attribute}");
    }
}

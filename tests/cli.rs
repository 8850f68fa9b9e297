//! The command line as users and CI meet it: help, exit codes, and the
//! compiled rule set.

mod common;
use common::handbook;

#[test]
fn every_subcommand_has_help_with_root() {
    for sub in [
        "check",
        "compile",
        "deadlines",
        "classify",
        "build",
        "serve",
    ] {
        let (code, out, _) = handbook(&[sub, "--help"]);
        assert_eq!(code, 0, "{sub}");
        assert!(out.contains("--root <DIR>"), "{sub} --help: {out}");
    }
    let (code, _, _) = handbook(&["no-such-command"]);
    assert_eq!(code, 2);
}

#[test]
fn bundled_policy_checks_clean_in_every_format() {
    let (code, _, err) = handbook(&["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no errors, no warnings"), "{err}");

    let (code, out, _) = handbook(&["check", "--format", "json", "--deny-warnings"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 0);

    let (code, out, _) = handbook(&["check", "--format", "sarif"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("sarif");
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn compile_is_canonical_and_deterministic() {
    let (code, first, err) = handbook(&["compile"]);
    assert_eq!(code, 0, "{err}");
    let (_, second, _) = handbook(&["compile"]);
    assert_eq!(first, second, "two compiles give identical bytes");
    let v: serde_json::Value = serde_json::from_str(&first).expect("json");
    assert_eq!(v["format_version"], 2);
    let digest = v["digest"].as_str().expect("digest");
    assert!(
        digest.starts_with("sha256:") && digest.len() == 7 + 64,
        "{digest}"
    );
    assert_eq!(v["levels"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["agencies"].as_array().map(Vec::len), Some(62));
    for key in [
        "level_tree",
        "events",
        "units",
        "contacts",
        "duties",
        "drills",
        "trees",
        "inconsistencies",
        "decisions",
    ] {
        assert!(
            v[key].as_array().is_some_and(|a| !a.is_empty()),
            "{key} missing or empty"
        );
    }
    // Keys are sorted at every level: re-serialising the parsed value (a
    // sorted map) reproduces the bytes.
    let mut again = serde_json::to_string_pretty(&v).expect("json");
    again.push('\n');
    assert_eq!(again, first);
    // It states which text it encodes, and that later rules change it.
    assert!(v["meta"]["edition"]["title"]["zh-TW"].is_string());
    assert!(
        v["meta"]["edition"]["later"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    );
}

#[test]
fn an_acknowledged_inconsistency_keeps_what_the_rule_detected() {
    // The bundled policy acknowledges nothing any more (§3.4's two times now
    // count from different anchors, which no rule compares), so time the
    // protection meeting from the intelligence again, as an older policy
    // did, and acknowledge the warning that gives.
    let tmp = tempfile::tempdir().expect("tmp");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&root.join("policy"), &tmp.path().join("policy"));
    let edit = |file: &str, from: &str, to: &str| {
        let path = tmp.path().join("policy").join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    edit(
        "deadlines.toml",
        "anchor = \"occurred\"\nwithin = \"4h\"",
        "anchor = \"intel-received\"\nwithin = \"4h\"",
    );
    edit(
        "deadlines.toml",
        "anchor = \"intel-analysed\"\nwithin = \"6h\"",
        "anchor = \"intel-received\"\nwithin = \"6h\"",
    );
    edit(
        "notes.toml",
        "id = \"security-meeting-before-taskforce\"",
        "id = \"security-meeting-before-taskforce\"\nacknowledges = { rule = \"deadline-precedence\", subject = \"security-meeting\" }",
    );
    let root_arg = tmp.path().to_string_lossy().into_owned();
    let (code, out, err) = handbook(&["compile", "--root", &root_arg]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let ack = v["inconsistencies"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["rule"] == "deadline-precedence"))
        .expect("acknowledged precedence note");
    assert!(ack["detected"].as_array().is_some_and(|d| !d.is_empty()));
}

#[test]
fn compile_out_writes_the_same_json_to_a_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("ruleset.json");
    let file_arg = file.to_string_lossy().into_owned();
    let (code, _, err) = handbook(&["compile", "--out", &file_arg]);
    assert_eq!(code, 0, "{err}");
    let (_, stdout, _) = handbook(&["compile"]);
    assert_eq!(std::fs::read_to_string(&file).expect("written"), stdout);
    assert!(err.contains("sha256:"), "{err}");
}

#[test]
fn agencies_resolve_aliases_used_by_the_guideline() {
    let (_, out, _) = handbook(&["compile"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let agencies = v["agencies"].as_array().expect("agencies");
    let numbers: Vec<i64> = agencies
        .iter()
        .filter_map(|a| a["number"].as_i64())
        .collect();
    assert_eq!(numbers, (1..=62).collect::<Vec<_>>());
    let by_alias = |alias: &str| {
        agencies
            .iter()
            .find(|a| {
                a["aliases"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|x| x == alias))
            })
            .map(|a| a["number"].as_i64())
    };
    assert_eq!(by_alias("研考會"), Some(Some(27)));
    assert_eq!(by_alias("衛生署"), Some(Some(17)));
    assert_eq!(by_alias("金管會"), Some(Some(35)));
    // The administrative group of Table 1 is led by 研考會, resolved to its id.
    let units = v["units"].as_array().expect("units");
    let lead_of = |id: &str| {
        units
            .iter()
            .find(|u| u["id"] == id)
            .map(|u| u["lead"].clone())
    };
    let rdec = agencies
        .iter()
        .find(|a| a["number"] == 27)
        .map(|a| a["id"].clone());
    assert_eq!(lead_of("defence-executive").map(|l| l[0].clone()), rdec);
}

//! The rule table of docs/policy.md and the rule list of README.md are
//! generated from the registry (`src/diagnostics/rules.rs`): each lies
//! between a `<!-- rules:begin -->` and a `<!-- rules:end -->` comment, and
//! this test fails when what is committed differs from what the registry
//! gives. `UPDATE_DOCS=1 cargo test --test rules_docs` rewrites both blocks.

use std::path::Path;

use incident_handbook::diagnostics::rules;

const BEGIN: &str = "<!-- rules:begin";
const END: &str = "<!-- rules:end -->";

/// The file with its generated block replaced by `block`, or why it cannot be.
fn regenerate(text: &str, block: &str) -> Result<String, String> {
    let begin = text.find(BEGIN).ok_or("no `<!-- rules:begin` marker")?;
    let body = text[begin..]
        .find('\n')
        .ok_or("nothing after the begin marker")?
        + begin
        + 1;
    let end = text[body..]
        .find(END)
        .ok_or("no `<!-- rules:end -->` marker")?
        + body;
    Ok(format!("{}{}{}", &text[..body], block, &text[end..]))
}

fn check_generated(file: &str, block: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let wanted = regenerate(&text, block).unwrap_or_else(|e| panic!("{file}: {e}"));
    if wanted == text {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, wanted).unwrap_or_else(|e| panic!("{file}: {e}"));
        return;
    }
    panic!(
        "{file}: the generated rules block differs from src/diagnostics/rules.rs; \
         run `UPDATE_DOCS=1 cargo test --test rules_docs` and commit the result"
    );
}

#[test]
fn the_policy_docs_rule_table_is_generated_from_the_registry() {
    check_generated("docs/policy.md", &rules::docs_table());
}

#[test]
fn the_readme_rule_list_is_generated_from_the_registry() {
    check_generated("README.md", &rules::readme_list());
}

/// GitHub's heading anchors: lower case, spaces to `-`, other punctuation
/// dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn every_rule_points_at_a_section_of_the_policy_docs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/policy.md");
    let text = std::fs::read_to_string(&path).expect("docs/policy.md");
    let anchors: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| anchor(l.trim_start_matches('#')))
        .collect();
    for rule in rules::RULES {
        let wanted = rule.docs.trim_start_matches('#');
        assert!(
            anchors.iter().any(|a| a == wanted),
            "rule `{}` points at {}, which is no heading of docs/policy.md",
            rule.id,
            rule.docs
        );
    }
}

#[test]
fn regenerating_replaces_only_the_block() {
    let text = "a\n<!-- rules:begin x -->\nold\n<!-- rules:end -->\nb\n";
    assert_eq!(
        regenerate(text, "new\n").as_deref(),
        Ok("a\n<!-- rules:begin x -->\nnew\n<!-- rules:end -->\nb\n")
    );
    assert!(regenerate("no markers", "x").is_err());
}

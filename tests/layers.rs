//! The modules depend one way: domain at the bottom, then policy (with the
//! diagnostics it reports in, one layer: each names the other's types),
//! check, ruleset, site, serve (a library module: it returns its errors,
//! and `commands::serve` turns them into the CLI's exit code), and commands
//! on top. A file may name its own layer and any layer below it, never one
//! above: this test reads every `crate::` path in `src/` and fails on one
//! that runs upward. There are no exceptions.

use std::path::Path;

/// Layers, bottom first. Modules on one line are one layer.
const LAYERS: &[&[&str]] = &[
    &["domain"],
    &["policy", "diagnostics"],
    &["check"],
    &["ruleset"],
    &["site"],
    &["serve"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `crate::<module>...` path in a text (the whole path, so that a
/// known exception can be matched by prefix), skipping `//` comments.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let tail = &rest[i..];
            // `use crate::{check::Index, policy};`: each name in the group.
            if let Some(group) = tail.strip_prefix("crate::{") {
                let end = group.find('}').unwrap_or(group.len());
                for name in group[..end].split(',') {
                    let name = name.trim();
                    if !name.is_empty() {
                        out.push(format!("crate::{name}"));
                    }
                }
                rest = &group[end..];
                continue;
            }
            let end = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            out.push(tail[..end].trim_end_matches(':').to_owned());
            rest = &tail[end..];
        }
    }
    out
}

/// The upward paths of one file of `module`: (path, its module).
fn upward(module: &str, text: &str) -> Vec<String> {
    let Some(own) = layer_of(module) else {
        return Vec::new();
    };
    crate_paths(text)
        .into_iter()
        .filter(|p| {
            let target = p
                .trim_start_matches("crate::")
                .split("::")
                .next()
                .unwrap_or("");
            layer_of(target).is_some_and(|l| l > own)
        })
        .collect()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("ls") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(&manifest.join("src"), &mut all);
    let mut problems = Vec::new();
    for path in &all {
        let rel = path
            .strip_prefix(manifest)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        // src/<module>/... or src/<module>.rs; lib.rs and main.rs sit on top.
        let module = rel
            .trim_start_matches("src/")
            .split('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_owned();
        let text = std::fs::read_to_string(path).expect("source");
        for p in upward(&module, &text) {
            problems.push(format!("{rel}: `{p}` runs up from `{module}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_finds_upward_paths_and_ignores_comments() {
    let text = "use crate::ruleset::Ruleset;\n// use crate::site::x;\nfn f(t: &crate::site::Files) {}\nuse crate::policy::Span;\nuse crate::{domain::LevelId, commands::EXIT_OK};\n";
    assert_eq!(
        upward("check", text),
        vec![
            "crate::ruleset::Ruleset",
            "crate::site::Files",
            "crate::commands::EXIT_OK"
        ]
    );
    assert_eq!(upward("site", text), vec!["crate::commands::EXIT_OK"]);
    assert_eq!(upward("serve", text), vec!["crate::commands::EXIT_OK"]);
    assert!(upward("commands", text).is_empty());
    assert_eq!(
        upward(
            "check",
            "use crate::ruleset::deadlines::{EventKind, EventSpec};"
        ),
        vec!["crate::ruleset::deadlines"]
    );
    assert_eq!(
        upward("domain", "pub use crate::policy::Text;"),
        vec!["crate::policy::Text"]
    );
}

//! Running the real binary on project copies, for `tests/rename_ids.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::compare::{element, page};
use crate::common::copy_dir;

/// A copy of the bundled policy and chapters under `tmp/name`.
pub fn project(tmp: &Path, name: &str) -> PathBuf {
    let root = tmp.join(name);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["policy", "content"] {
        copy_dir(&manifest.join(dir), &root.join(dir));
    }
    root
}

pub fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `check --format json`: (exit code, the diagnostics as JSON).
pub fn check(root: &Path) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = run(root, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check --format json: {e}\n{stdout}{stderr}"));
    (code, json)
}

/// Builds `root` into `out`; returns the rule-set digest the site carries
/// (`digest` in `assets/data.js`).
pub fn build(root: &Path, out: &Path) -> String {
    let (code, stdout, stderr) = run(root, &["build", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "build of {}:\n{stdout}{stderr}", root.display());
    let data = std::fs::read_to_string(out.join("assets/data.js")).expect("assets/data.js");
    let at = data.find("sha256:").expect("the site carries the digest");
    data[at..at + 7 + 64].to_owned()
}

pub fn html<'a>(site: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    std::str::from_utf8(site.get(path).unwrap_or_else(|| panic!("no {path}"))).expect("utf-8")
}

/// The text a reader sees in the element with id `id` of a page.
pub fn shown(site: &BTreeMap<String, Vec<u8>>, path: &str, id: &str) -> String {
    let page_html = html(site, path);
    let inner = element(page_html, id).unwrap_or_else(|| panic!("{path} has no #{id}"));
    page(inner).text
}

/// A page's text without the footer's rule-set digest, which changes with
/// any byte of the policy.
pub fn without_digest(text: &str, digest: &str) -> String {
    let hex = digest.trim_start_matches("sha256:");
    text.replace(hex, "DIGEST").replace(&hex[..12], "DIGEST")
}

/// The JSON with every list of strings sorted.
pub fn ids_as_sets(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let mut items = items;
            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            Value::Array(items)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(ids_as_sets).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, ids_as_sets(v))).collect())
        }
        Value::String(s) => Value::String(without_digests(&s)),
        other => other,
    }
}

/// The text with every `sha256:<hex>` rule-set digest blanked (it changes
/// with any byte of the policy).
pub fn without_digests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        out.push_str(&rest[..at + 7]);
        rest = &rest[at + 7..];
        let hex = rest
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        out.push_str("DIGEST");
        rest = &rest[hex..];
    }
    out.push_str(rest);
    out
}

/// `handbook ARGS --root root`: stdout, asserting exit 0.
pub fn answer(root: &Path, args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(root, &args);
    assert_eq!(code, 0, "{args:?}:\n{stdout}{stderr}");
    stdout
}

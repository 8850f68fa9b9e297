//! Diagnostics for machines: JSON, SARIF 2.1.0 and GitHub workflow commands.
//!
//! The JSON shape is a public contract (`docs/ruleset.md` and CI scripts read
//! it): add fields, never rename or remove them.

use serde_json::{Value, json};

use super::{Diagnostic, Locator, Severity};
use crate::policy::{SourceMap, Span};

/// `{"errors":N,"warnings":M,"diagnostics":[...]}`.
pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let (errors, warnings) = super::counts(diagnostics);
    let locator = Locator::new(sources);
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let loc = d.location_in(sources, &locator);
            let mut v = json!({
                "rule": d.rule,
                "severity": d.severity.as_str(),
                "file": loc.file,
                "line": loc.line,
                "column": loc.column,
                "message": d.message,
            });
            if let Some(obj) = v.as_object_mut() {
                if let Some(hint) = &d.hint {
                    obj.insert("hint".into(), json!(hint));
                }
                if !d.label.is_empty() {
                    obj.insert("label".into(), json!(d.label));
                }
                if let Some(subject) = &d.subject {
                    obj.insert("subject".into(), json!(subject));
                }
            }
            v
        })
        .collect();
    let doc = json!({"errors": errors, "warnings": warnings, "diagnostics": items});
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A SARIF 2.1.0 log with one run. Columns count Unicode scalar values, like
/// every other format, and the run says so (`columnKind`), so that no
/// consumer has to guess the unit.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut rules: Vec<&str> = diagnostics.iter().map(|d| d.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    let locator = Locator::new(sources);
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let loc = d.location_in(sources, &locator);
            let mut message = d.message.clone();
            if let Some(hint) = &d.hint {
                message.push_str("\nhelp: ");
                message.push_str(hint);
            }
            let mut result = json!({
                "ruleId": d.rule,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": {"text": message},
            });
            if let (Some(file), Some(obj)) = (loc.file, result.as_object_mut()) {
                let mut physical = json!({"artifactLocation": {"uri": file}});
                if loc.line > 0 {
                    let mut region = json!({"startLine": loc.line, "startColumn": loc.column});
                    if let Some(span) = &d.span {
                        let end = Span::new(span.file, span.range.end..span.range.end);
                        let (end_line, end_column) = locator.line_col(&end);
                        region["endLine"] = json!(end_line);
                        region["endColumn"] = json!(end_column);
                    }
                    physical["region"] = region;
                }
                obj.insert(
                    "locations".into(),
                    json!([{ "physicalLocation": physical }]),
                );
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "handbook",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A SARIF `reportingDescriptor`: the id, and the registry's summary and
/// help where the rule is registered (every emitted rule is, by test).
fn sarif_rule(id: &str) -> Value {
    match super::rules::lookup(id) {
        Some(rule) => json!({
            "id": id,
            "shortDescription": {"text": rule.summary},
            "help": {"text": rule.help},
        }),
        None => json!({"id": id}),
    }
}

/// `::error file=F,line=L,col=C,title=RULE::message` lines for GitHub Actions.
pub fn render_github(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    let locator = Locator::new(sources);
    for d in diagnostics {
        let loc = d.location_in(sources, &locator);
        let mut props = Vec::new();
        if let Some(file) = &loc.file {
            props.push(format!("file={}", escape_property(file)));
        }
        if loc.line > 0 {
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
        props.push(format!("title={}", escape_property(d.rule)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            d.severity.as_str(),
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

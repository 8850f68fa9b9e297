//! The registry of rule ids: every id a [`Diagnostic`](super::Diagnostic) can
//! carry, with a one-line summary, the severities it is reported at and the
//! help text. `docs/policy.md` ("Rule reference") shows each entry as one
//! table row, and SARIF output describes its rules from here.
//!
//! Adding a rule is one entry in [`RULES`] plus its row in the docs; the
//! tests below fail if a rule id passed to `Diagnostic::error`/`warning`
//! anywhere in `src/` has no entry, if an entry is never emitted, or if the
//! docs row is missing or differs. This module must never hold a rule's
//! logic: it only names and explains rules.

/// One rule: a stable id (what `--format json` prints as `rule`, and what an
/// acknowledgement names) and the words that explain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// What the rule detects, in one line.
    pub summary: &'static str,
    /// The severities it is reported at: "error", "warning" or both.
    pub severity: &'static str,
    /// How to fix what it reports.
    pub help: &'static str,
}

const fn rule(
    id: &'static str,
    summary: &'static str,
    severity: &'static str,
    help: &'static str,
) -> Rule {
    Rule {
        id,
        summary,
        severity,
        help,
    }
}

/// Every rule id, in the order the docs list them.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    rule("io", "A file or folder of the project cannot be read, is not a regular file (a FIFO, a device), or is a symbolic link leading outside the project (a chapter, a template, a static file, a `content/` folder).", "error", "Check the path and its permissions, and replace links that leave the project with copies. A policy file that cannot be read (or is not a regular file) stops `check` with exit code 2 and a message instead."),
    rule("encoding", "A file is not UTF-8 text, starts with a byte-order mark, or is larger than 2 MiB.", "error", "Save the file as \"UTF-8\" (not \"UTF-8 with BOM\", not Big5), and remove what was pasted by mistake."),
    rule("parse", "A policy file is not valid TOML.", "error", "Fix the TOML syntax: quote strings with `\"`, close tables and arrays, write headers as `[name]` or `[[name]]`."),
    rule("schema", "An unknown key, a wrong type or a missing key; a missing or unknown policy file; a value outside its word list; a bad duration, level, time zone, language tag, id or `source`; no `language` in policy.toml; a text without the policy's `language`.", "error", "Follow the hint: it names the allowed keys or words and suggests the nearest one. A file with a schema error is left out, so rules that need it stay silent until it is fixed."),
    rule("duplicate-id", "Two entries share an id, an agency number or name, a node or outcome id of a tree, or a chapter slug.", "error", "Rename one: references use ids, so ids must be unique."),
    rule("unknown-reference", "A reference in the policy names nothing that exists.", "error", "Fix the typo (see the \"did you mean\" hint) or define the target. Fix errors in the target's file first."),
    rule("missing-role", "`[handbook]` in policy.toml lacks a role the site or the CLI needs (`initial_report`, `discovery`, `phone_line`, `first_steps`, `not_an_incident`).", "error", "Add the role to the `[handbook]` table of policy/policy.toml, naming an id the policy defines; the hint says what kind of id."),
    rule("deadline-cycle", "Events are timed from each other, through `anchor` or `after`, in a loop.", "error", "Every chain of anchors must end at a starting event (one without `anchor`)."),
    rule("deadline-order", "A more severe level gets more time for the same event.", "error", "Shorten the severe level's time or lengthen the milder one's."),
    rule("deadline-precedence", "An event falls due before a prerequisite in its `after` must be done (one warning per event and prerequisite, naming the levels).", "warning", "Adjust the times. If the guideline really says so, acknowledge it in notes.toml."),
    rule("classification-gap", "A combination of answers gets no level although something happened.", "error", "Add a criterion that covers it. If the guideline is silent, record a `[[decision]]` and set `decision` on the criterion."),
    rule("classification-overlap", "Two criteria with the same conditions give different levels (error); a criterion never decides or matches nothing (warning).", "error / warning", "Remove one, or make the conditions differ or narrower."),
    rule("classification-monotonicity", "A more severe answer gives a lower level.", "error", "List answers most severe first, or fix the criteria so that a worse answer never gives a milder level."),
    rule("classification-size", "The questions have more combinations of answers than can be checked one by one (more than 200 000).", "error", "Merge questions or answers: the count is the product of each question's number of answers. Every combination is checked so that no incident is left without a level."),
    rule("level-unreachable", "No combination of answers reaches a level.", "error", "Add a criterion for the level, or check that a more severe criterion does not always win."),
    rule("org-tree", "The organisation is not a single tree: no units, no root, several roots, a `parent` loop, or a role that is `part_of` itself.", "error", "Give every unit but the root a `parent`, and break loops."),
    rule("contact-format", "A phone or fax number, e-mail address or URL is malformed.", "error", "Write a phone or fax number as the policy's `country` writes it nationally, trunk prefix included (`(02)2733-9922` for `TW`, `02 793 02 00` for `BE`), or with `+` and the country code; an e-mail address as `name@example.org`; a URL as `https://…`; put notes in `hours` or `purpose`, not in the value."),
    rule("contact-source", "A contact neither cites where its value comes from (`value_from`) nor is marked `placeholder = true`, or does both; a placeholder e-mail or web address is not on a domain reserved for examples; a cited page is not an https address.", "error", "Cite the public page (`value_from = \"https://…\"`) or the guideline section that lists the value; if none can be cited, mark the contact `placeholder = true` and write its e-mail or URL on a reserved domain such as `authority.example` or `example.com`."),
    rule("calendar", "An impossible date, a drill report due before the drill or without a due time, a share outside (0, 1], too few scenarios; 29 February (warning).", "error / warning", "Fix the date (`day = \"end\"` for month ends), add a due time, or fix the fraction."),
    rule("decision-tree", "A tree's `start` is not a node; a node has fewer than 2 answers; an answer leads nowhere, two ways or outside the tree; a loop; an unreachable node or outcome (only where it begins).", "error", "Lead every answer to exactly one node or outcome of the same tree, and remove orphans."),
    rule("acknowledgement", "An `[[inconsistency]]` acknowledges a problem that no longer occurs.", "warning", "Remove `acknowledges`, or correct its `rule` or `subject`."),
    rule("content-front-matter", "A chapter has no `+++` front matter, or its front matter is not valid or has an unknown key.", "error", "Start the chapter with a `+++` block holding `title` (and optionally `slug`, `weight`, `draft`), closed by `+++`."),
    rule("content-reference", "A shortcode in a chapter is malformed, names an id the policy does not define, or asks for a fact the entity lacks (such as a level an event has no time for).", "error", "Use an id defined in policy/ (see `handbook compile`) and the shortcode's arguments; shortcodes whose policy file failed to load are not checked."),
    rule("locale", "A locale file of the theme or the project (`locales/<language>.toml`) is not valid TOML, holds something other than text, names a key the theme does not have, lacks a key the site needs, or no locale file exists for the policy's `language`.", "error", "Fix the file at the reported place; a project's `locales/<language>.toml` changes single keys of the theme's file, and a new language is a whole file (translate `themes/default/locales/en.toml`)."),
    rule("template", "A theme template or static file cannot be read; a template fails to parse or render, calls itself (directly or through others), nests too deeply, or calls `get_env`.", "error", "Fix the template at the reported place; a project template overrides the theme's file of the same name. Recursion is not allowed (Tera has no depth limit): loop over a flat list instead."),
    rule("content-link", "A chapter link, autolink, reference link or image uses a `javascript:`, `data:` or `vbscript:` URL (read as browsers read it: any case, leading spaces and control characters and inner tabs or newlines ignored).", "error", "Link to a page (`https://`, `mailto:`, `tel:` or a relative path): chapters cannot run scripts or embed data URLs."),
];

/// The registry entry of a rule id.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The row `docs/policy.md` shows for a rule.
pub fn docs_row(rule: &Rule) -> String {
    format!(
        "| `{}` | {} | {} | {} |",
        rule.id, rule.summary, rule.severity, rule.help
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    /// Every rule id passed as a literal to a `Diagnostic` constructor in
    /// `src/`, and every call site that passes something else.
    fn emitted_rule_ids() -> (BTreeSet<String>, Vec<String>) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        // Built from parts so this file's own patterns are not call sites.
        let constructors = [
            ["Diagnostic::", "error("].concat(),
            ["Diagnostic::", "warning("].concat(),
        ];
        let mut ids = BTreeSet::new();
        let mut not_literal = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            for constructor in &constructors {
                for (at, _) in text.match_indices(constructor.as_str()) {
                    let rest = text[at + constructor.len()..].trim_start();
                    let literal = rest
                        .strip_prefix('"')
                        .and_then(|r| r.split_once('"'))
                        .map(|(id, _)| id.to_owned());
                    match literal {
                        Some(id) => {
                            ids.insert(id);
                        }
                        // The constructor itself forwards its parameter.
                        None if file.ends_with("diagnostics/mod.rs") => {}
                        None => not_literal.push(format!(
                            "{}: {}",
                            file.display(),
                            rest.lines().next().unwrap_or("")
                        )),
                    }
                }
            }
        }
        (ids, not_literal)
    }

    #[test]
    fn every_emitted_rule_id_is_registered_and_every_entry_is_emitted() {
        let (emitted, not_literal) = emitted_rule_ids();
        assert!(
            not_literal.is_empty(),
            "pass the rule id to Diagnostic::error/warning as a string literal, so this test can see it: {not_literal:#?}"
        );
        let registered: BTreeSet<String> = RULES.iter().map(|r| r.id.to_owned()).collect();
        let unregistered: Vec<&String> = emitted.difference(&registered).collect();
        assert!(
            unregistered.is_empty(),
            "rule ids emitted in src/ without an entry in RULES (src/diagnostics/rules.rs): {unregistered:?}"
        );
        let unused: Vec<&String> = registered.difference(&emitted).collect();
        assert!(
            unused.is_empty(),
            "RULES entries that no code emits (remove them): {unused:?}"
        );
        assert_eq!(
            registered.len(),
            RULES.len(),
            "a rule id is registered twice"
        );
    }

    #[test]
    fn the_docs_list_every_rule_with_its_help_text() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/policy.md");
        let docs = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let missing: Vec<String> = RULES
            .iter()
            .map(docs_row)
            .filter(|row| !docs.lines().any(|l| l.trim() == row))
            .collect();
        assert!(
            missing.is_empty(),
            "docs/policy.md (Rule reference) lacks these rows, or they differ from RULES:\n{}",
            missing.join("\n")
        );
        // And no row for a rule that does not exist (other tables of the
        // file list keys, so look only at the rule reference).
        let section = docs
            .split("\n## ")
            .find(|s| s.starts_with("Rule reference"))
            .unwrap_or_else(|| panic!("docs/policy.md has no \"## Rule reference\""));
        let documented: Vec<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once("` |").map(|(id, _)| id))
            .filter(|id| !id.contains(' '))
            .collect();
        let stale: Vec<&&str> = documented
            .iter()
            .filter(|id| lookup(id).is_none())
            .collect();
        assert!(stale.is_empty(), "docs rows for unknown rules: {stale:?}");
    }

    #[test]
    fn the_readme_names_every_rule() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let list = readme
            .split("\nRules (")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap_or_else(|| panic!("README.md has no \"Rules (\" paragraph"));
        let missing: Vec<&str> = RULES
            .iter()
            .map(|r| r.id)
            .filter(|id| !list.contains(&format!("`{id}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "README.md's rule list lacks {missing:?}"
        );
    }

    #[test]
    fn texts_are_single_lines_that_fit_a_table_cell() {
        for r in RULES {
            for text in [r.summary, r.help, r.severity] {
                assert!(
                    !text.contains('\n') && !text.contains('|') && !text.trim().is_empty(),
                    "{}: {text:?}",
                    r.id
                );
            }
        }
    }
}

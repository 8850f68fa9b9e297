//! The registry of rules: every rule a [`Diagnostic`](super::Diagnostic) can
//! carry, as the enum [`Rule`], each with its id, a one-line summary, the
//! severities it is reported at, the help text and the section of
//! `docs/policy.md` that explains it. The "Rule reference" table of
//! `docs/policy.md` and the rule list of `README.md` are generated from here
//! (`tests/rules_docs.rs`; `UPDATE_DOCS=1 cargo test --test rules_docs`
//! rewrites them), and SARIF output describes its rules from here.
//!
//! Adding a rule is one line in the [`rules!`] list below (variant, id,
//! severity, docs anchor, summary, help), then `UPDATE_DOCS=1 cargo test
//! --test rules_docs`. Code passes `Rule::Variant` to `Diagnostic::error`, so
//! a rule without an entry cannot compile (the constructors take a [`Rule`],
//! never an id string); the tests below also fail if an entry is never
//! emitted, or if a rule is emitted at a severity its entry does not allow. This module must never hold a rule's logic: it only names
//! and explains rules.

use super::Severity;

/// The severities a rule is reported at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Error,
    Warning,
    ErrorOrWarning,
}

impl Reported {
    /// As the docs' "Severity" column shows it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reported::Error => "error",
            Reported::Warning => "warning",
            Reported::ErrorOrWarning => "error / warning",
        }
    }

    pub fn allows(self, severity: Severity) -> bool {
        matches!(
            (self, severity),
            (Reported::Error | Reported::ErrorOrWarning, Severity::Error)
                | (
                    Reported::Warning | Reported::ErrorOrWarning,
                    Severity::Warning
                )
        )
    }
}

/// A rule's registry entry: the stable id (what `--format json` prints as
/// `rule`, and what an acknowledgement names) and the words that explain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub rule: Rule,
    pub id: &'static str,
    /// What the rule detects, in one line.
    pub summary: &'static str,
    /// The severities it is reported at, as the docs show them.
    pub severity: &'static str,
    pub reported: Reported,
    /// How to fix what it reports.
    pub help: &'static str,
    /// The section of docs/policy.md that explains it (`#anchor`).
    pub docs: &'static str,
}

/// One line per rule: `Variant = "id", Reported, "#docs-anchor", "summary", "help";`
/// in the order the docs list them.
macro_rules! rules {
    ($($variant:ident = $id:literal, $reported:ident, $docs:literal, $summary:literal, $help:literal;)*) => {
        /// Every rule a diagnostic can carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(#[doc = $summary] $variant,)*
        }

        /// Every rule's entry, in the order the docs list them.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                id: $id,
                summary: $summary,
                severity: Reported::$reported.as_str(),
                reported: Reported::$reported,
                help: $help,
                docs: $docs,
            },)*
        ];

        impl Rule {
            /// The variant's name as written in code (`Rule::ContentReference`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => stringify!($variant),)*
                }
            }
        }
    };
}

#[rustfmt::skip]
rules! {
    Io = "io", Error, "#what-check-covers-and-what-only-build-finds", "A file or folder of the project cannot be read, is not a regular file (a FIFO, a device), or is a symbolic link leading outside the project (a chapter, a template, a static file, a `content/` folder).", "Check the path and its permissions, and replace links that leave the project with copies. A policy file that cannot be read (or is not a regular file) stops `check` with exit code 2 and a message instead.";
    Encoding = "encoding", Error, "#general-rules", "A file is not UTF-8 text, starts with a byte-order mark, or is larger than 2 MiB.", "Save the file as \"UTF-8\" (not \"UTF-8 with BOM\", not Big5), and remove what was pasted by mistake.";
    Parse = "parse", Error, "#general-rules", "A policy file is not valid TOML.", "Fix the TOML syntax: quote strings with `\"`, close tables and arrays, write headers as `[name]` or `[[name]]`.";
    Schema = "schema", Error, "#general-rules", "An unknown key, a wrong type or a missing key; a missing or unknown policy file; a value outside its word list; a bad duration, level, time zone, language tag, id or `source`; no `language` in policy.toml; a text without the policy's `language`.", "Follow the hint: it names the allowed keys or words and suggests the nearest one. A file with a schema error is left out, so rules that need it stay silent until it is fixed.";
    DuplicateId = "duplicate-id", Error, "#ids-and-references", "Two entries share an id, an agency number or name, a node or outcome id of a tree, or a chapter slug.", "Rename one: references use ids, so ids must be unique.";
    UnknownReference = "unknown-reference", Error, "#ids-and-references", "A reference in the policy names nothing that exists.", "Fix the typo (see the \"did you mean\" hint) or define the target. Fix errors in the target's file first.";
    UnsureAnswer = "unsure-answer", Error, "#levelstoml", "A question's `unsure` names no answer of that question, or an answer meaning \"nothing happened\".", "Name one of the question's own answers that is not `nothing = true`: a reader who cannot tell yet is taken to have given it, so it should be the more severe branch.";
    MissingRole = "missing-role", Error, "#policytoml", "`[handbook]` in policy.toml lacks a role the site or the CLI needs (`initial_report`, `discovery`, `phone_line`, `first_steps`, `not_an_incident`).", "Add the role to the `[handbook]` table of policy/policy.toml, naming an id the policy defines; the hint says what kind of id.";
    DeadlineCycle = "deadline-cycle", Error, "#deadline-semantics", "Events are timed from each other, through `anchor` or `after`, in a loop.", "Every chain of anchors must end at a starting event (one without `anchor`).";
    DeadlineOrder = "deadline-order", Error, "#deadline-semantics", "A more severe level gets more time for the same event.", "Shorten the severe level's time or lengthen the milder one's.";
    DeadlinePrecedence = "deadline-precedence", Warning, "#deadline-semantics", "An event falls due before a prerequisite in its `after` must be done (one warning per event and prerequisite, naming the levels).", "Adjust the times. If the guideline really says so, acknowledge it in notes.toml.";
    ClassificationGap = "classification-gap", Error, "#classification-semantics", "A combination of answers gets no level although something happened.", "Add a criterion that covers it. If the guideline is silent, record a `[[decision]]` and set `decision` on the criterion.";
    ClassificationOverlap = "classification-overlap", ErrorOrWarning, "#classification-semantics", "Two criteria with the same conditions give different levels (error); a criterion never decides or matches nothing (warning).", "Remove one, or make the conditions differ or narrower.";
    ClassificationMonotonicity = "classification-monotonicity", Error, "#classification-semantics", "A more severe answer gives a lower level.", "List answers most severe first, or fix the criteria so that a worse answer never gives a milder level.";
    ClassificationSize = "classification-size", Error, "#classification-semantics", "The questions have more combinations of answers than can be checked one by one (more than 200 000).", "Merge questions or answers: the count is the product of each question's number of answers. Every combination is checked so that no incident is left without a level.";
    LevelUnreachable = "level-unreachable", Error, "#classification-semantics", "No combination of answers reaches a level.", "Add a criterion for the level, or check that a more severe criterion does not always win.";
    OrgTree = "org-tree", Error, "#organisationtoml", "The organisation is not a single tree: no units, no root, several roots, a `parent` loop, or a role that is `part_of` itself.", "Give every unit but the root a `parent`, and break loops.";
    ContactFormat = "contact-format", Error, "#contactstoml", "A phone or fax number, e-mail address or URL is malformed.", "Write a phone or fax number as the policy's `country` writes it nationally, trunk prefix included (`(02)2733-9922` for `TW`, `02 793 02 00` for `BE`), or with `+` and the country code; an e-mail address as `name@example.org`; a URL as `https://…`; put notes in `hours` or `purpose`, not in the value.";
    ContactSource = "contact-source", Error, "#contactstoml", "A contact neither cites where its value comes from (`value_from`) nor is marked `placeholder = true`, or does both; a placeholder e-mail or web address is not on a domain reserved for examples; a cited page is not an https address.", "Cite the public page (`value_from = \"https://…\"`) or the guideline section that lists the value; if none can be cited, mark the contact `placeholder = true` and write its e-mail or URL on a reserved domain such as `authority.example` or `example.com`.";
    Calendar = "calendar", ErrorOrWarning, "#drillstoml", "An impossible date, a drill report due before the drill or without a due time, a share outside (0, 1], too few scenarios; 29 February (warning).", "Fix the date (`day = \"end\"` for month ends), add a due time, or fix the fraction.";
    DecisionTree = "decision-tree", Error, "#treestoml", "A tree's `start` is not a node; a node has fewer than 2 answers; an answer leads nowhere, two ways or outside the tree; a loop; an unreachable node or outcome (only where it begins).", "Lead every answer to exactly one node or outcome of the same tree, and remove orphans.";
    Acknowledgement = "acknowledgement", Warning, "#acknowledging-an-inconsistency", "An `[[inconsistency]]` acknowledges a problem that no longer occurs.", "Remove `acknowledges`, or correct its `rule` or `subject`.";
    ContentFrontMatter = "content-front-matter", Error, "#chapters-and-shortcodes", "A chapter has no `+++` front matter, or its front matter is not valid or has an unknown key.", "Start the chapter with a `+++` block holding `title` (and optionally `slug`, `weight`, `draft`), closed by `+++`.";
    ContentReference = "content-reference", Error, "#chapters-and-shortcodes", "A shortcode in a chapter is malformed, has an argument of the wrong type, names an id the policy does not define (an agency by its full name instead of its id), or asks for a fact the entity lacks (such as a level an event has no time for): anything it could not print.", "Use an id defined in policy/ (see `handbook compile`) and the shortcode's arguments; ids are resolved once the policy has no errors, so fix those first.";
    Template = "template", Error, "#what-check-covers-and-what-only-build-finds", "A theme template or static file cannot be read; a template fails to parse or render, calls itself (directly or through others), nests too deeply, or calls `get_env`.", "Fix the template at the reported place; a project template overrides the theme's file of the same name. Recursion is not allowed (Tera has no depth limit): loop over a flat list instead.";
    ContentLink = "content-link", Error, "#chapters-and-shortcodes", "A chapter link, autolink, reference link or image uses a `javascript:`, `data:` or `vbscript:` URL (read as browsers read it: any case, leading spaces and control characters and inner tabs or newlines ignored).", "Link to a page (`https://`, `mailto:`, `tel:` or a relative path): chapters cannot run scripts or embed data URLs.";
    Locale = "locale", Error, "#text-tables-and-languages", "A locale file of the theme or the project (`locales/<language>.toml`) is not valid TOML, holds something other than text, names a key the theme does not have, lacks a key the site needs, or no locale file exists for the policy's `language`.", "Fix the file at the reported place; a project's `locales/<language>.toml` changes single keys of the theme's file, and a new language is a whole file (translate `themes/default/locales/en.toml`).";
    Synonyms = "synonyms", ErrorOrWarning, "#search-synonyms", "`content/synonyms.toml` is not valid TOML or has an unknown key; a synonym group has fewer than two words or an empty one; a word is in two groups, or is both a term and a `finds` word of its group; a variant is not one character or is in two sets (errors); no word of a group occurs in the chapters, the policy or the interface text (warning).", "Give each `[[group]]` two or more `terms` (or one term and `finds`), each word in one group only, each variant one character in one set; remove a group the handbook never uses.";
}

impl Rule {
    /// Every rule, in the order of [`RULES`].
    pub fn all() -> impl Iterator<Item = Rule> {
        RULES.iter().map(|r| r.rule)
    }

    /// The registry entry (the macro lists the variants in [`RULES`]'s order).
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.info().id
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The registry entry of a rule id.
pub fn lookup(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// The row `docs/policy.md` shows for a rule.
pub fn docs_row(rule: &RuleInfo) -> String {
    format!(
        "| [`{}`]({}) | {} | {} | {} |",
        rule.id, rule.docs, rule.summary, rule.severity, rule.help
    )
}

/// The generated rule table of docs/policy.md (between its markers).
pub fn docs_table() -> String {
    let mut out = String::from("| Rule | Detects | Severity | Help |\n|---|---|---|---|\n");
    for rule in RULES {
        out.push_str(&docs_row(rule));
        out.push('\n');
    }
    out
}

/// The generated rule list of README.md (between its markers): every id,
/// with its severity where a rule is not only an error.
pub fn readme_list() -> String {
    let items: Vec<String> = RULES
        .iter()
        .map(|r| match r.reported {
            Reported::Error => format!("`{}`", r.id),
            other => format!("`{}` ({})", r.id, other.as_str()),
        })
        .collect();
    let mut out = String::new();
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 == items.len() {
            format!("{item}.")
        } else {
            format!("{item},")
        };
        if !line.is_empty() && line.len() + 1 + piece.len() > 76 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    out.push_str(&line);
    out.push('\n');
    out
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

    /// Every rule passed to a `Diagnostic` constructor in `src/`, with the
    /// severity of the constructor, and every call site that passes
    /// something this test cannot read.
    fn emitted_rules() -> (Vec<(String, Severity, String)>, Vec<String>) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        // Built from parts so this file's own patterns are not call sites.
        let constructors = [
            (["Diagnostic::", "error("].concat(), Severity::Error),
            (["Diagnostic::", "warning("].concat(), Severity::Warning),
        ];
        let mut found = Vec::new();
        let mut unreadable = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            for (constructor, severity) in &constructors {
                for (at, _) in text.match_indices(constructor.as_str()) {
                    let rest = text[at + constructor.len()..].trim_start();
                    let place =
                        format!("{}: {}", file.display(), rest.lines().next().unwrap_or(""));
                    let path: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    match path.rsplit_once("Rule::") {
                        Some((_, variant)) if !variant.is_empty() && !variant.contains(':') => {
                            found.push((variant.to_owned(), *severity, place));
                        }
                        // The constructor itself forwards its parameter.
                        _ if file.ends_with("diagnostics/mod.rs") => {}
                        _ => unreadable.push(place),
                    }
                }
            }
        }
        (found, unreadable)
    }

    #[test]
    fn every_emitted_rule_is_registered_at_its_severity_and_every_entry_is_emitted() {
        let (found, unreadable) = emitted_rules();
        assert!(
            unreadable.is_empty(),
            "pass the rule to Diagnostic::error/warning as `Rule::Variant`, so this test can see it: {unreadable:#?}"
        );
        let mut emitted = BTreeSet::new();
        let mut problems = Vec::new();
        for (variant, severity, place) in &found {
            match RULES.iter().find(|r| r.rule.name() == variant) {
                None => problems.push(format!(
                    "no entry in rules! (src/diagnostics/rules.rs): {place}"
                )),
                Some(info) if !info.reported.allows(*severity) => problems.push(format!(
                    "`{}` is registered as {}, emitted as {}: {place}",
                    info.id,
                    info.severity,
                    severity.as_str()
                )),
                Some(info) => {
                    emitted.insert(info.id);
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
        let unused: Vec<&str> = RULES
            .iter()
            .map(|r| r.id)
            .filter(|id| !emitted.contains(id))
            .collect();
        assert!(
            unused.is_empty(),
            "registry entries that no code emits (remove them): {unused:?}"
        );
        // The ids the review found emitted without an entry.
        for id in ["content-reference", "content-front-matter", "template"] {
            assert!(emitted.contains(id) && lookup(id).is_some(), "{id}");
        }
    }

    #[test]
    fn ids_are_unique_and_entries_are_in_variant_order() {
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len(), "a rule id is registered twice");
        for (i, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, i, "{}", info.id);
            assert_eq!(info.rule.info(), info);
            assert_eq!(info.rule.to_string(), info.id);
        }
    }

    /// `content-reference` is `Rule::ContentReference`: a call site's id
    /// literal converts to its variant mechanically.
    #[test]
    fn variants_are_their_ids_in_camel_case() {
        for r in RULES {
            let camel: String =
                r.id.split('-')
                    .map(|part| {
                        let mut chars = part.chars();
                        chars
                            .next()
                            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                            .unwrap_or_default()
                    })
                    .collect();
            assert_eq!(r.rule.name(), camel, "{}", r.id);
        }
    }

    #[test]
    fn texts_are_single_lines_that_fit_a_table_cell() {
        for r in RULES {
            for text in [r.summary, r.help, r.severity, r.docs] {
                assert!(
                    !text.contains('\n') && !text.contains('|') && !text.trim().is_empty(),
                    "{}: {text:?}",
                    r.id
                );
            }
            assert!(
                r.docs.starts_with('#'),
                "{}: docs is an anchor in docs/policy.md",
                r.id
            );
        }
    }

    #[test]
    fn severities_allow_what_they_say() {
        assert!(Reported::Error.allows(Severity::Error));
        assert!(!Reported::Error.allows(Severity::Warning));
        assert!(!Reported::Warning.allows(Severity::Error));
        assert!(Reported::ErrorOrWarning.allows(Severity::Warning));
    }
}

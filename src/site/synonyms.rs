//! The search's synonym table, `content/synonyms.toml` (optional: a project
//! without it searches its words as written).
//!
//! Two kinds of entry. `variants`: characters written two ways that mean
//! the same (臺 and 台); the index and every query fold each to the first of
//! its set before cutting text into tokens, so they are one character to
//! search. `[[group]]`: words that mean the same (`terms`, each found by
//! any other), optionally with `finds`, words a query for any term should
//! also find but that do not find the group back (a unit's task word
//! leading to the unit, a merged agency's predecessors).
//!
//! Every problem is a located `synonyms` diagnostic: a group with fewer than
//! two words, an empty word, a term in two groups, a variant that is not a
//! single character or is folded twice (errors); a group none of whose words
//! occurs anywhere in the handbook's text (a warning: it can never lead to a
//! result). This module holds no word itself and must never decide how a
//! query is ranked: `logic.js` does, from the table written into the index.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::content::Page;
use super::locale::Locale;
use super::theme::Reader;
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{FileId, SourceMap, Span};
use crate::ruleset::Ruleset;

/// Where the table lives, under the project root.
pub const DIR: &str = "content";
pub const FILE: &str = "synonyms.toml";

/// The checked table: plain data the index and `data.js` carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Synonyms {
    /// Character → the character it is searched as.
    pub fold: BTreeMap<char, char>,
    pub groups: Vec<Group>,
}

/// Words that mean the same, and the words they also find.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub terms: Vec<String>,
    pub finds: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    variants: Vec<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    group: Vec<Spanned<GroupToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupToml {
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    finds: Vec<Spanned<String>>,
}

/// A checked table with the spans its "unused" check points at.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub synonyms: Synonyms,
    /// The span of each group (same order as `synonyms.groups`).
    spans: Vec<Span>,
}

impl Synonyms {
    /// A character as the index and queries see it: full-width ASCII to
    /// ASCII, lower case, then the table's variant folding.
    pub fn normalise_char(&self, c: char) -> char {
        let c = match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let c = c.to_ascii_lowercase();
        self.fold.get(&c).copied().unwrap_or(c)
    }

    /// A text as the index and queries see it (see [`Self::normalise_char`]).
    pub fn normalise(&self, text: &str) -> String {
        text.chars().map(|c| self.normalise_char(c)).collect()
    }
}

/// Reads and checks `content/synonyms.toml` when it exists, adding it to
/// `sources`. `None` when it had errors (they are in `out`).
pub fn load_into(
    root: &Path,
    sources: &mut SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Option<Loaded> {
    let reader = match Reader::new(root) {
        Ok(r) => r,
        Err(d) => {
            out.push(*d);
            return None;
        }
    };
    match reader.find(&[DIR], FILE) {
        Ok(None) => Some(Loaded::default()),
        Ok(Some((path, text))) => {
            let file = sources.add(path, text.clone());
            parse(file, &text, out)
        }
        Err(d) => {
            out.push(*d);
            None
        }
    }
}

/// Parses and checks the table's text (`file` is its id in the sources).
pub fn parse(file: FileId, text: &str, out: &mut Vec<Diagnostic>) -> Option<Loaded> {
    let at = |range: std::ops::Range<usize>| Span::new(file, range);
    let before = out.len();
    let raw: FileToml = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let message = e.message().trim().to_owned();
            let first = message.lines().next().unwrap_or("invalid TOML").to_owned();
            out.push(
                Diagnostic::error(Rule::Synonyms, format!("the synonym table is not usable: {first}"))
                    .at(at(e.span().unwrap_or(0..0)), first)
                    .hint("write `variants = [[\"a\", \"b\"]]` and `[[group]]` tables with `terms = [...]` and optionally `finds = [...]`"),
            );
            return None;
        }
    };
    let mut synonyms = Synonyms::default();
    let mut folded_at: HashMap<char, Span> = HashMap::new();
    for set in &raw.variants {
        let mut chars = Vec::new();
        for v in set.get_ref() {
            let mut it = v.get_ref().chars();
            match (it.next(), it.next()) {
                (Some(c), None) => chars.push((c, at(v.span()))),
                _ => out.push(
                    Diagnostic::error(
                        Rule::Synonyms,
                        format!("`{}` is not a single character", v.get_ref()),
                    )
                    .at(at(v.span()), "a variant is one character")
                    .hint("list the ways of writing one character, one character per string"),
                ),
            }
        }
        if chars.len() < 2 {
            out.push(
                Diagnostic::error(
                    Rule::Synonyms,
                    "a variant set needs at least two characters",
                )
                .at(at(set.span()), "fewer than two characters")
                .hint("list the character and the other way of writing it"),
            );
            continue;
        }
        let target = chars[0].0.to_ascii_lowercase();
        for (c, span) in chars {
            let c = c.to_ascii_lowercase();
            if let Some(first) = folded_at.get(&c) {
                out.push(
                    Diagnostic::error(
                        Rule::Synonyms,
                        format!("the character `{c}` is in two variant sets"),
                    )
                    .at(span.clone(), "listed again")
                    .related(first.clone(), "first listed here")
                    .hint("put every way of writing a character in one set"),
                );
                continue;
            }
            folded_at.insert(c, span);
            if c != target {
                synonyms.fold.insert(c, target);
            }
        }
    }
    let mut spans = Vec::new();
    let mut term_at: HashMap<String, Span> = HashMap::new();
    for group in &raw.group {
        let g = group.get_ref();
        let span = at(group.span());
        let mut words = 0;
        let mut clean = |list: &[Spanned<String>], out: &mut Vec<Diagnostic>| -> Vec<String> {
            let mut kept = Vec::new();
            for w in list {
                let word = w.get_ref().trim();
                if word.is_empty() {
                    out.push(
                        Diagnostic::error(Rule::Synonyms, "an empty word in a synonym group")
                            .at(at(w.span()), "empty")
                            .hint("remove it or write the word"),
                    );
                    continue;
                }
                words += 1;
                kept.push((word.to_owned(), at(w.span())));
            }
            kept.into_iter()
                .map(|(word, span)| {
                    let key = synonyms.normalise(&word);
                    if let Some(first) = term_at.get(&key) {
                        out.push(
                            Diagnostic::error(Rule::Synonyms, format!("`{word}` is in two places of the synonym table"))
                                .at(span.clone(), "listed again")
                                .related(first.clone(), "first listed here")
                                .hint("a word belongs to one group: merge the groups, or remove one of the two"),
                        );
                    }
                    term_at.entry(key).or_insert(span);
                    word
                })
                .collect()
        };
        let terms = clean(&g.terms, out);
        // `finds` may repeat across groups (two groups may lead to one
        // word), but never name a term: only a group's own words are keyed.
        let mut finds = Vec::new();
        for w in &g.finds {
            let word = w.get_ref().trim();
            if word.is_empty() {
                out.push(
                    Diagnostic::error(Rule::Synonyms, "an empty word in a synonym group")
                        .at(at(w.span()), "empty")
                        .hint("remove it or write the word"),
                );
                continue;
            }
            if terms
                .iter()
                .any(|t| synonyms.normalise(t) == synonyms.normalise(word))
            {
                out.push(
                    Diagnostic::error(
                        Rule::Synonyms,
                        format!("`{word}` is both a term and a `finds` word of one group"),
                    )
                    .at(at(w.span()), "already a term")
                    .hint("a group's terms already find each other: remove it from `finds`"),
                );
                continue;
            }
            words += 1;
            finds.push(word.to_owned());
        }
        if words < 2 || terms.is_empty() {
            out.push(
                Diagnostic::error(Rule::Synonyms, "a synonym group needs at least two words")
                    .at(span.clone(), "fewer than two words")
                    .hint("list two or more `terms` that mean the same, or one term and the `finds` it should lead to"),
            );
        }
        spans.push(span);
        synonyms.groups.push(Group { terms, finds });
    }
    (out.len() == before).then_some(Loaded { synonyms, spans })
}

/// The handbook's text as [`check_used`] searches it: every chapter's
/// source, every text of the rule set and the interface text, normalised.
pub fn haystack(
    synonyms: &Synonyms,
    ruleset: &Ruleset,
    locale: &Locale,
    pages: &[Page],
    sources: &SourceMap,
) -> String {
    let mut text = String::new();
    for page in pages {
        text.push_str(&sources.get(page.file).text);
        text.push('\n');
    }
    // The compiled JSON holds every text of the policy (serde_json writes
    // non-ASCII characters as they are).
    text.push_str(&serde_json::to_string(ruleset).unwrap_or_default());
    text.push_str(&locale.table().to_string());
    synonyms.normalise(&text)
}

/// Warns about each group none of whose words occurs in `haystack` (the
/// handbook's text, normalised by [`Synonyms::normalise`]): it can never
/// lead a reader to a result.
pub fn check_used(loaded: &Loaded, haystack: &str, out: &mut Vec<Diagnostic>) {
    let s = &loaded.synonyms;
    for (group, span) in s.groups.iter().zip(&loaded.spans) {
        let used = group
            .terms
            .iter()
            .chain(&group.finds)
            .any(|w| haystack.contains(&s.normalise(w)));
        if !used {
            out.push(
                Diagnostic::warning(
                    Rule::Synonyms,
                    format!(
                        "no word of the synonym group `{}` occurs in the handbook",
                        group.terms.join(" = ")
                    ),
                )
                .at(span.clone(), "finds nothing")
                .hint("add a word the chapters or the policy use, or remove the group"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<Loaded>, Vec<(String, usize)>) {
        let mut sources = SourceMap::default();
        let file = sources.add(FILE.into(), text.to_owned());
        let mut out = Vec::new();
        let loaded = parse(file, text, &mut out);
        let found = out
            .iter()
            .map(|d| {
                let line = d.location(&sources).line;
                (d.message.clone(), line)
            })
            .collect();
        (loaded, found)
    }

    #[test]
    fn a_good_table_folds_variants_and_keeps_groups() {
        let (loaded, found) = run(
            "variants = [[\"臺\", \"台\"]]\n[[group]]\nterms = [\"NCC\", \"國家通訊傳播委員會\"]\n[[group]]\nterms = [\"戶政\"]\nfinds = [\"內政部\"]\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let s = loaded.expect("loads").synonyms;
        assert_eq!(s.normalise("台北ＮＣＣ"), "臺北ncc");
        assert_eq!(s.groups.len(), 2);
        assert_eq!(s.groups[1].finds, vec!["內政部"]);
    }

    #[test]
    fn a_group_needs_two_words() {
        let (loaded, found) = run("[[group]]\nterms = [\"NCC\"]\n");
        assert!(loaded.is_none());
        assert_eq!(
            found,
            vec![("a synonym group needs at least two words".to_owned(), 1)]
        );
        let (_, found) = run("[[group]]\nterms = [\"NCC\", \" \"]\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], ("an empty word in a synonym group".to_owned(), 2));
    }

    #[test]
    fn a_term_in_two_groups_is_an_error_where_it_repeats() {
        let (loaded, found) = run(
            "[[group]]\nterms = [\"email\", \"電子郵件\"]\n\n[[group]]\nterms = [\"EMAIL\", \"e-mail\"]\n",
        );
        assert!(loaded.is_none());
        assert_eq!(
            found,
            vec![(
                "`EMAIL` is in two places of the synonym table".to_owned(),
                5
            )]
        );
    }

    #[test]
    fn a_find_that_is_its_own_term_and_bad_variants_are_errors() {
        let (_, found) = run("[[group]]\nterms = [\"a\", \"b\"]\nfinds = [\"A\"]\n");
        assert_eq!(
            found,
            vec![(
                "`A` is both a term and a `finds` word of one group".to_owned(),
                3
            )]
        );
        let (_, found) = run("variants = [[\"臺灣\", \"台\"], [\"台\", \"檯\"], [\"x\"]]\n");
        let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "`臺灣` is not a single character",
                "a variant set needs at least two characters",
                "a variant set needs at least two characters",
            ]
        );
        let (_, found) = run("variants = [[\"臺\", \"台\"], [\"台\", \"檯\"]]\n");
        assert_eq!(
            found,
            vec![("the character `台` is in two variant sets".to_owned(), 1)]
        );
    }

    #[test]
    fn unknown_keys_and_bad_toml_are_located() {
        let (_, found) = run("[[group]]\nterms = [\"a\", \"b\"]\nwords = []\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("unknown field"), "{found:?}");
        assert_eq!(found[0].1, 3);
        let (_, found) = run("[[group]\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, 1);
    }

    #[test]
    fn a_group_no_word_of_which_occurs_is_a_warning() {
        let (loaded, _) = run(
            "variants = [[\"臺\", \"台\"]]\n[[group]]\nterms = [\"NCC\", \"通傳會\"]\n[[group]]\nterms = [\"台北\", \"北市\"]\n[[group]]\nterms = [\"zzz\", \"yyy\"]\n",
        );
        let loaded = loaded.expect("loads");
        let haystack = loaded.synonyms.normalise("向 ncc 通報；臺北市政府");
        let mut out = Vec::new();
        check_used(&loaded, &haystack, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].message,
            "no word of the synonym group `zzz = yyy` occurs in the handbook"
        );
        assert_eq!(out[0].severity, crate::diagnostics::Severity::Warning);
    }
}

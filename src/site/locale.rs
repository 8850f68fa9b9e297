//! The interface text of the site: every word a reader sees that is not the
//! policy's or a chapter's (navigation, headings, button labels, units of
//! time) lives in the theme's `locales/<language>.toml`, selected by the
//! policy's `language`.
//!
//! Lookup order, as for templates (see `theme.rs`): the theme's file
//! `<root>/themes/default/locales/<language>.toml`, else the copy built into
//! the binary; then the project's own `<root>/locales/<language>.toml` is
//! merged over it key by key, so a project can change one word without
//! copying the file. A project may also add a language the theme lacks by
//! writing the whole file there.
//!
//! A locale file is nested tables of strings; `{name}` marks a value the
//! site fills in ([`Locale::fill`], or Tera's `replace` in templates).
//! Templates get the whole table as `t` (`{{ t.nav.home }}`), `assets/data.js`
//! carries it as `text` for `handbook.js`, and Rust code that must produce
//! words (page titles, search entries, cards, diagrams) asks [`Locale::get`].
//! Every problem is a diagnostic located in the locale file (or at the
//! policy's `language` key when no file exists). This module must never hold
//! a word itself, nor fall back to another language for a missing key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use toml::de::{DeTable, DeValue};

use super::theme::Reader;
use crate::diagnostics::{Diagnostic, Rule};
use crate::policy::{FileId, Policy, SourceMap, Span};

/// Locale files built into the binary (the bundled `themes/default`).
pub const LOCALES: &[(&str, &str)] = &[
    (
        "en.toml",
        include_str!("../../themes/default/locales/en.toml"),
    ),
    (
        "zh-TW.toml",
        include_str!("../../themes/default/locales/zh-TW.toml"),
    ),
];

/// Largest locale file read from a project.
pub const MAX_LOCALE_FILE_BYTES: usize = 1024 * 1024;

/// The folder of a project's own locale files, merged over the theme's.
pub const PROJECT_DIR: &str = "locales";
/// The theme's locale folder inside a project.
pub const THEME_DIR: &str = "themes/default/locales";

/// The interface text of one language, merged from the theme and the
/// project.
#[derive(Debug, Clone)]
pub struct Locale {
    language: String,
    /// The file a missing key should be added to (the theme's, or the
    /// project's when the theme has no such language).
    file: PathBuf,
    /// Dotted key (`nav.home`) → text.
    entries: BTreeMap<String, String>,
    /// The same entries as nested tables, as templates and scripts see them.
    table: Value,
}

impl Locale {
    /// The BCP 47 tag of this text (the policy's `language`).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The text at a dotted key such as `"nav.home"`.
    pub fn get(&self, key: &str) -> Result<&str, Box<Diagnostic>> {
        self.entries
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| self.missing(key))
    }

    /// The text at `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> Result<String, Box<Diagnostic>> {
        let mut text = self.get(key)?.to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        Ok(text)
    }

    /// Every entry as nested tables: `t` in templates, `text` in `data.js`.
    pub fn table(&self) -> &Value {
        &self.table
    }

    /// Every dotted key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    fn missing(&self, key: &str) -> Box<Diagnostic> {
        let (table, name) = key.rsplit_once('.').unwrap_or(("", key));
        Box::new(
            Diagnostic::error(
                Rule::Locale,
                format!(
                    "the interface text `{key}` is missing for language `{}`",
                    self.language
                ),
            )
            .in_file(self.file.clone())
            .hint(format!(
                "add {name} = \"...\" to the [{table}] table of {} (or of the project's {PROJECT_DIR}/{}.toml)",
                self.file.display(),
                self.language
            )),
        )
    }
}

/// Loads the interface text of the policy's language, adding every locale
/// file read to `sources` so its errors show their snippet. `Ok(None)` when
/// the policy declares no usable language: `check` has reported that already.
pub fn load_into(
    root: &Path,
    policy: &Policy,
    sources: &mut SourceMap,
) -> Result<Option<Locale>, Vec<Diagnostic>> {
    let Some(language) = crate::check::language::declared(policy) else {
        return Ok(None);
    };
    let name = format!("{language}.toml");
    let reader = Reader::new(root).map_err(|d| vec![*d])?;
    let theme = match reader.find(&[THEME_DIR], &name) {
        Ok(Some(found)) => Some(found),
        Ok(None) => LOCALES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (Path::new(THEME_DIR).join(&name), (*text).to_owned())),
        Err(d) => return Err(vec![*d]),
    };
    let project = reader.find(&[PROJECT_DIR], &name).map_err(|d| vec![*d])?;
    let mut diagnostics = Vec::new();
    let mut parse = |found: Option<(PathBuf, String)>, sources: &mut SourceMap| {
        found.map(|(path, text)| {
            let id = sources.add(path.clone(), text.clone());
            (path, flatten(id, &text, &mut diagnostics))
        })
    };
    let theme = parse(theme, sources);
    let project = parse(project, sources);
    let (file, entries) = match (theme, project) {
        (None, None) => {
            let mut d = Diagnostic::error(
                Rule::Locale,
                format!("there is no interface text for language `{language}`"),
            );
            if let Some(tag) = policy.meta.as_ref().and_then(|m| {
                m.value
                    .language
                    .as_ref()
                    .map(|t| Span::new(m.file, t.span()))
            }) {
                d = d.at(tag, "no locale file for this language");
            }
            let known: Vec<&str> = LOCALES
                .iter()
                .map(|(n, _)| n.trim_end_matches(".toml"))
                .collect();
            return Err(vec![d.hint(format!(
                "the theme has {}; to add a language, translate themes/default/locales/en.toml into {PROJECT_DIR}/{name}",
                known.join(", ")
            ))]);
        }
        (Some((path, theme)), project) => {
            let mut entries: BTreeMap<String, String> =
                theme.into_iter().map(|(k, (v, _))| (k, v)).collect();
            for (key, (value, span)) in project.map(|(_, p)| p).unwrap_or_default() {
                if let Some(text) = entries.get_mut(&key) {
                    *text = value;
                } else {
                    let mut d = Diagnostic::error(
                        Rule::Locale,
                        format!("the theme has no interface text `{key}`"),
                    )
                    .at(span, "unknown key");
                    d = match nearest(&key, entries.keys()) {
                        Some(best) => d.hint(format!("did you mean `{best}`?")),
                        None => d.hint(format!(
                            "a project's {PROJECT_DIR}/{name} only changes keys of the theme's {path}",
                            path = path.display()
                        )),
                    };
                    diagnostics.push(d);
                }
            }
            (path, entries)
        }
        (None, Some((path, project))) => (
            path,
            project.into_iter().map(|(k, (v, _))| (k, v)).collect(),
        ),
    };
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let table = nest(&entries);
    Ok(Some(Locale {
        language: language.to_owned(),
        file,
        entries,
        table,
    }))
}

/// The known key closest to a mistyped one, if any is close.
fn nearest<'k>(key: &str, known: impl Iterator<Item = &'k String>) -> Option<&'k str> {
    known
        .map(|k| (strsim::levenshtein(key, k), k.as_str()))
        .filter(|(d, k)| *d <= (key.len().max(k.len()) / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

/// Whether `key` may name a table or a text: Tera reads `t.a.b`, so only
/// ASCII letters, digits and `_`.
fn is_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses a locale file into dotted key → (text, span of the key), reporting
/// TOML errors and values that are not text, located in the file.
fn flatten(
    file: FileId,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> BTreeMap<String, (String, Span)> {
    let mut entries = BTreeMap::new();
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let message = e.message().trim().to_owned();
            let first = message.lines().next().unwrap_or("invalid TOML").to_owned();
            out.push(
                Diagnostic::error(Rule::Locale, format!("invalid TOML: {first}"))
                    .at(Span::new(file, e.span().unwrap_or(0..0)), first)
                    .hint("a locale file is tables of strings: `[nav]` then `home = \"...\"`"),
            );
            return entries;
        }
    };
    // Iterative, so a deeply nested file cannot overflow the stack.
    let mut stack: Vec<(String, &DeTable)> = vec![(String::new(), root.get_ref())];
    while let Some((prefix, table)) = stack.pop() {
        for (key, value) in table {
            let span = Span::new(file, key.span());
            let name = key.get_ref();
            if !is_key(name) {
                out.push(
                    Diagnostic::error(Rule::Locale, format!("`{name}` is not a usable key"))
                        .at(span, "templates read keys as t.table.key")
                        .hint("use ASCII letters, digits and `_` in keys"),
                );
                continue;
            }
            let dotted = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            match value.get_ref() {
                DeValue::String(s) => {
                    entries.insert(dotted, (s.to_string(), span));
                }
                DeValue::Table(t) => stack.push((dotted, t)),
                _ => out.push(
                    Diagnostic::error(Rule::Locale, format!("`{dotted}` is not text"))
                        .at(
                            Span::new(file, value.span()),
                            "expected a string or a table",
                        )
                        .hint("write the text in quotes: key = \"...\""),
                ),
            }
        }
    }
    entries
}

/// Dotted entries as nested JSON objects.
fn nest(entries: &BTreeMap<String, String>) -> Value {
    let mut root = Map::new();
    'entries: for (key, text) in entries {
        let mut parts: Vec<&str> = key.split('.').collect();
        let Some(last) = parts.pop() else { continue };
        let mut table = &mut root;
        for part in parts {
            let next = table
                .entry(part.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            // A TOML table and a string cannot share a key, so every step
            // is an object.
            let Value::Object(next) = next else {
                continue 'entries;
            };
            table = next;
        }
        table.insert(last.to_owned(), Value::String(text.clone()));
    }
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy_in(language: &str) -> (tempfile::TempDir, Policy, SourceMap) {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let copy = dir.path().join("policy");
        std::fs::create_dir_all(&copy).unwrap();
        for entry in std::fs::read_dir(root.join("policy")).unwrap() {
            let path = entry.unwrap().path();
            let mut text = std::fs::read_to_string(&path).unwrap();
            if path.ends_with("policy.toml") {
                text = text.replace(
                    "language = \"zh-TW\"",
                    &format!("language = \"{language}\""),
                );
            }
            std::fs::write(copy.join(path.file_name().unwrap()), text).unwrap();
        }
        let loaded = crate::policy::load(dir.path()).unwrap();
        (dir, loaded.policy, loaded.sources)
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn the_bundled_language_loads_from_the_binary() {
        let (dir, policy, mut sources) = policy_in("zh-TW");
        let locale = load_into(dir.path(), &policy, &mut sources)
            .unwrap()
            .unwrap();
        assert_eq!(locale.language(), "zh-TW");
        let bundled = LOCALES.iter().find(|(n, _)| *n == "zh-TW.toml").unwrap().1;
        let (mut out, mut probe) = (Vec::new(), SourceMap::default());
        let id = probe.add("x".into(), bundled.to_owned());
        let keys: Vec<String> = flatten(id, bundled, &mut out).into_keys().collect();
        assert_eq!(locale.keys().collect::<Vec<_>>(), keys);
    }

    #[test]
    fn a_project_file_overrides_single_keys_and_fills_placeholders() {
        let (dir, policy, mut sources) = policy_in("xx");
        write(
            dir.path(),
            "themes/default/locales/xx.toml",
            "[nav]\nhome = \"Home\"\nsearch = \"Find {what}\"\n",
        );
        write(dir.path(), "locales/xx.toml", "[nav]\nhome = \"Start\"\n");
        let locale = load_into(dir.path(), &policy, &mut sources)
            .unwrap()
            .unwrap();
        assert_eq!(locale.get("nav.home").unwrap(), "Start");
        assert_eq!(
            locale.fill("nav.search", &[("what", "it")]).unwrap(),
            "Find it"
        );
        assert_eq!(locale.table()["nav"]["home"], "Start");
        let missing = locale.get("nav.nothing").unwrap_err();
        assert_eq!(missing.rule, "locale");
    }

    #[test]
    fn problems_are_located_in_the_locale_file() {
        let (dir, policy, mut sources) = policy_in("xx");
        write(
            dir.path(),
            "themes/default/locales/xx.toml",
            "[nav]\nhome = \"Home\"\ncount = 3\n",
        );
        write(
            dir.path(),
            "locales/xx.toml",
            "[nav]\nhome = \"Start\"\nhone = \"typo\"\n",
        );
        let ds = load_into(dir.path(), &policy, &mut sources).unwrap_err();
        let found: Vec<(String, Option<String>, usize, usize)> = ds
            .iter()
            .map(|d| {
                let l = d.location(&sources);
                (d.message.clone(), l.file, l.line, l.column)
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "`nav.count` is not text".to_owned(),
                    Some("themes/default/locales/xx.toml".to_owned()),
                    3,
                    9
                ),
                (
                    "the theme has no interface text `nav.hone`".to_owned(),
                    Some("locales/xx.toml".to_owned()),
                    3,
                    1
                ),
            ]
        );
        assert!(
            ds[1].hint.as_deref().unwrap().contains("nav.home"),
            "{:?}",
            ds[1].hint
        );
    }

    #[test]
    fn invalid_toml_is_located() {
        let (dir, policy, mut sources) = policy_in("xx");
        write(dir.path(), "locales/xx.toml", "[nav]\nhome = \"Home\n");
        let ds = load_into(dir.path(), &policy, &mut sources).unwrap_err();
        let l = ds[0].location(&sources);
        assert_eq!(
            (l.file.as_deref(), l.line),
            (Some("locales/xx.toml"), 2),
            "{ds:?}"
        );
    }

    #[test]
    fn a_language_without_a_file_is_an_error_at_the_policy_key() {
        let (dir, policy, mut sources) = policy_in("fr");
        let ds = load_into(dir.path(), &policy, &mut sources).unwrap_err();
        let l = ds[0].location(&sources);
        assert_eq!(ds[0].rule, "locale");
        assert_eq!(
            (l.file.as_deref(), l.line, l.column),
            (Some("policy/policy.toml"), 9, 12)
        );
    }
}

#[cfg(test)]
mod bundled {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        let (mut out, mut sources) = (Vec::new(), SourceMap::default());
        let id = sources.add("bundled".into(), text.to_owned());
        let keys = flatten(id, text, &mut out).into_keys().collect();
        assert_eq!(out, Vec::new());
        keys
    }

    #[test]
    fn every_bundled_language_has_the_same_keys() {
        let (first, text) = LOCALES[0];
        let reference = keys(text);
        for (name, text) in &LOCALES[1..] {
            let these = keys(text);
            let lacking: Vec<&String> = reference.iter().filter(|k| !these.contains(k)).collect();
            let extra: Vec<&String> = these.iter().filter(|k| !reference.contains(k)).collect();
            assert!(
                lacking.is_empty() && extra.is_empty(),
                "{name} lacks {lacking:?} of {first} and has {extra:?} that {first} lacks"
            );
        }
    }

    /// Every `T("key")` of the browser script names a key of every bundled
    /// language (the script would otherwise show the key itself).
    #[test]
    fn every_key_the_script_reads_exists() {
        let (_, script) = crate::site::theme::STATIC
            .iter()
            .find(|(n, _)| *n == "handbook.js")
            .unwrap();
        let used: Vec<&str> = script
            .split("T(\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(key, _)| key))
            .collect();
        assert!(used.len() > 50, "{}", used.len());
        for (name, text) in LOCALES {
            let have = keys(text);
            let missing: Vec<&&str> = used
                .iter()
                .filter(|k| !have.iter().any(|h| h == *k) && !k.ends_with('.'))
                .collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
        }
    }

    #[test]
    fn no_bundled_text_is_empty() {
        for (name, text) in LOCALES {
            let (mut out, mut sources) = (Vec::new(), SourceMap::default());
            let id = sources.add("bundled".into(), (*text).to_owned());
            for (key, (value, _)) in flatten(id, text, &mut out) {
                assert!(!value.trim().is_empty(), "{name}: {key} is empty");
            }
        }
    }
}

//! Renames every id of a project (policy and chapters) on the parsed
//! structure, for `tests/rename_ids.rs`.
//!
//! The policy files are parsed with toml's spanned document parser and only
//! the byte ranges of ids (where they are defined and where they are
//! referenced, known from the key that holds them) are replaced, so comments,
//! layout and every text stay as written. Chapters are rewritten by parsing
//! each `{{ name(key=value) }}` call and replacing the arguments that name an
//! id. Prose is never touched: `report` is an event id and a word.
//!
//! Every table key of every file must be known here, either as holding an id
//! or as plain data. A key this walker does not know fails the test, so a new
//! reference in the policy model cannot be skipped silently.

#![allow(dead_code)] // each test uses a different subset

pub mod compare;
mod data;
mod html;
mod policy;
pub mod project;
mod shortcodes;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The kinds of id the symbol table (`src/check/ids.rs`) knows, plus the ids
/// that are scoped to one entry (answers, tree nodes and outcomes) and the
/// unit kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Level,
    Question,
    /// Scoped by its question.
    Answer,
    Criterion,
    Condition,
    Event,
    Unit,
    Role,
    /// `[[unit_kind]]` of organisation.toml, named by a unit's `kind`.
    UnitType,
    Agency,
    Contact,
    Duty,
    Phase,
    Indicator,
    Drill,
    Provision,
    Tree,
    /// Scoped by its tree.
    Node,
    /// Scoped by its tree.
    Outcome,
    Decision,
    Inconsistency,
}

impl Kind {
    /// The prefix of the new ids: one per kind, so that code confusing two
    /// kinds (the contact `portal` and the tree node `portal`) shows. The
    /// prefixes start with `x` so that none is a word the site itself puts
    /// before an id (`duty-` in `duties.html#duty-...`).
    fn tag(self) -> &'static str {
        match self {
            Kind::Level => "sev",
            Kind::Question => "xq",
            Kind::Answer => "xa",
            Kind::Criterion => "xcr",
            Kind::Condition => "xcd",
            Kind::Event => "xev",
            Kind::Unit => "xu",
            Kind::Role => "xr",
            Kind::UnitType => "xuk",
            Kind::Agency => "xag",
            Kind::Contact => "xch",
            Kind::Duty => "xdu",
            Kind::Phase => "xph",
            Kind::Indicator => "xin",
            Kind::Drill => "xdr",
            Kind::Provision => "xpv",
            Kind::Tree => "xtr",
            Kind::Node => "xnd",
            Kind::Outcome => "xoc",
            Kind::Decision => "xdc",
            Kind::Inconsistency => "xic",
        }
    }
}

/// Every old id, by kind and scope, and its new id.
#[derive(Debug, Default)]
pub struct Renames {
    /// (kind, scope, old) → new. The scope is the question of an answer, the
    /// tree of a node or outcome, and empty otherwise. Level ids are kept in
    /// their TOML spelling (`4`).
    map: BTreeMap<(Kind, String, String), String>,
    /// Whether level ids are renamed too (they need a core that accepts any
    /// level id; without it they map to themselves).
    pub rename_levels: bool,
    /// Names and aliases of agencies, which `lead` and `agency(id=...)` may
    /// use instead of an id.
    agency_names: BTreeSet<String>,
}

impl Renames {
    fn define(&mut self, kind: Kind, scope: &str, old: &str) {
        let new = match kind {
            Kind::Level if !self.rename_levels => old.to_owned(),
            Kind::Level => {
                // Most severe first: `sev-a`, `sev-b`, ... (the order of the
                // letters runs against the numbers, so nothing can lean on
                // sorting ids).
                let n = self.map.keys().filter(|k| k.0 == Kind::Level).count();
                let letter = char::from(b'a' + u8::try_from(n).expect("few levels"));
                format!("{}-{letter}", kind.tag())
            }
            _ => format!("{}-{old}", kind.tag()),
        };
        let key = (kind, scope.to_owned(), old.to_owned());
        assert!(
            self.map.insert(key, new).is_none(),
            "{kind:?} `{old}` defined twice"
        );
    }

    /// Numbers the new ids of each kind (and scope) so that they sort the
    /// other way round from the old ones (`xev-17-backfill` ... `xev-01-taskforce`):
    /// a page that lists entries by id rather than in the policy's order
    /// shows them in another order after the rename.
    fn reverse_order(&mut self) {
        let mut groups: BTreeMap<(Kind, String), Vec<String>> = BTreeMap::new();
        for (kind, scope, old) in self.map.keys() {
            if *kind != Kind::Level {
                groups
                    .entry((*kind, scope.clone()))
                    .or_default()
                    .push(old.clone());
            }
        }
        for ((kind, scope), olds) in groups {
            // `olds` is sorted (it comes from a BTreeMap).
            let width = olds.len().to_string().len();
            for (i, old) in olds.iter().enumerate() {
                let rank = olds.len() - i;
                let new = format!("{}-{rank:0width$}-{old}", kind.tag());
                self.map.insert((kind, scope.clone(), old.clone()), new);
            }
        }
    }

    /// The new id of a reference; panics on an id the policy does not define
    /// (the walker or the project is wrong, and the test must say so).
    pub fn get(&self, kind: Kind, scope: &str, old: &str) -> &str {
        self.map
            .get(&(kind, scope.to_owned(), old.to_owned()))
            .unwrap_or_else(|| panic!("{kind:?} `{old}` (scope `{scope}`) is not defined"))
    }

    pub fn try_get(&self, kind: Kind, scope: &str, old: &str) -> Option<&str> {
        self.map
            .get(&(kind, scope.to_owned(), old.to_owned()))
            .map(String::as_str)
    }

    /// A unit or a role.
    pub fn actor(&self, old: &str) -> &str {
        self.try_get(Kind::Unit, "", old)
            .or_else(|| self.try_get(Kind::Role, "", old))
            .unwrap_or_else(|| panic!("actor `{old}` is not defined"))
    }

    /// An agency id becomes the new id; a name or alias stays.
    pub fn agency_reference(&self, old: &str) -> Option<&str> {
        if let Some(new) = self.try_get(Kind::Agency, "", old) {
            return Some(new);
        }
        assert!(
            self.agency_names.contains(old),
            "agency reference `{old}` is neither an id nor a name or alias"
        );
        None
    }

    /// The old id of a new one (new ids are unique across kinds: each kind
    /// has its own prefix).
    pub fn reverse(&self) -> BTreeMap<String, String> {
        let mut reverse = BTreeMap::new();
        for ((kind, _, old), new) in &self.map {
            if old == new {
                continue;
            }
            if let Some(other) = reverse.insert(new.clone(), old.clone()) {
                // Answers of different questions (and nodes of different
                // trees) share an old id, and so a new one.
                assert_eq!(&other, old, "{kind:?}: `{new}` stands for two ids");
            }
        }
        reverse
    }

    /// Every (kind, old, new), for reports and checks.
    pub fn pairs(&self) -> impl Iterator<Item = (Kind, &str, &str)> {
        self.map
            .iter()
            .map(|((k, _, old), new)| (*k, old.as_str(), new.as_str()))
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.map.keys().filter(|k| k.0 == kind).count()
    }

    /// Where a page of the original site is in the renamed one (the URL
    /// helpers of `src/site/pages/mod.rs` put ids into these paths).
    pub fn site_path(&self, old: &str) -> String {
        let segments: Vec<&str> = old.split('/').collect();
        match segments.as_slice() {
            ["org", file] if *file != "index.html" => match file.strip_suffix(".html") {
                Some(actor) => format!("org/{}.html", self.actor(actor)),
                None => old.to_owned(),
            },
            ["trees", tree, file] => {
                let new_tree = self.get(Kind::Tree, "", tree);
                let new_file = if *file == "index.html" {
                    file.to_string()
                } else if let Some(outcome) = file
                    .strip_prefix("outcome-")
                    .and_then(|f| f.strip_suffix(".html"))
                {
                    format!("outcome-{}.html", self.get(Kind::Outcome, tree, outcome))
                } else {
                    let node = file.strip_suffix(".html").expect("a tree page");
                    format!("{}.html", self.get(Kind::Node, tree, node))
                };
                format!("trees/{new_tree}/{new_file}")
            }
            ["contacts", file] => {
                if let Some(contact) = file.strip_suffix("-qr.svg") {
                    format!("contacts/{}-qr.svg", self.get(Kind::Contact, "", contact))
                } else if let Some(owner) = file.strip_suffix(".vcf") {
                    format!("contacts/{}.vcf", self.actor(owner))
                } else {
                    old.to_owned()
                }
            }
            // `worksheets/<level>-<reader>.html` or `worksheets/<level>.html`.
            ["worksheets", file] => {
                let stem = file.strip_suffix(".html").expect("a worksheet page");
                let level = |l: &str| self.try_get(Kind::Level, "", l).map(str::to_owned);
                if let Some(new) = level(stem) {
                    return format!("worksheets/{new}.html");
                }
                let (new_level, reader) = self
                    .pairs()
                    .filter(|(k, _, _)| *k == Kind::Level)
                    .find_map(|(_, l, new)| {
                        let reader = stem.strip_prefix(l)?.strip_prefix('-')?;
                        Some((new.to_owned(), reader))
                    })
                    .unwrap_or_else(|| panic!("{old}: no level of the policy"));
                format!("worksheets/{new_level}-{}.html", self.actor(reader))
            }
            _ => old.to_owned(),
        }
    }
}

/// Renames every id in `root/policy/*.toml` and `root/content/**/*.md` in
/// place and returns the renames.
pub fn rename_project(root: &Path, rename_levels: bool) -> Renames {
    let mut renames = Renames {
        rename_levels,
        ..Renames::default()
    };
    let policy_dir = root.join("policy");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&policy_dir).expect("policy folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            files.insert(name, std::fs::read_to_string(&path).expect("policy file"));
        }
    }
    policy::define_all(&files, &mut renames);
    renames.reverse_order();
    for (name, text) in &files {
        let renamed = policy::rename_file(name, text, &renames);
        std::fs::write(policy_dir.join(name), renamed).expect("write policy file");
    }
    rename_chapters(&root.join("content"), &renames);
    renames
}

/// Every id the policy under `root` defines, by kind (levels as written).
pub fn defined_ids(root: &Path) -> Vec<(Kind, String)> {
    let mut renames = Renames::default();
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("policy")).expect("policy folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            files.insert(name, std::fs::read_to_string(&path).expect("policy file"));
        }
    }
    policy::define_all(&files, &mut renames);
    renames
        .map
        .into_keys()
        .map(|(kind, _, old)| (kind, old))
        .collect()
}

fn rename_chapters(dir: &Path, renames: &Renames) {
    for entry in std::fs::read_dir(dir).expect("content folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rename_chapters(&path, renames);
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("chapter");
            let renamed = shortcodes::rename_chapter(&text, renames)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            std::fs::write(&path, renamed).expect("write chapter");
        }
    }
}

/// A replacement of the bytes `range` of a file.
#[derive(Debug)]
struct Edit {
    range: std::ops::Range<usize>,
    text: String,
}

fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len() + edits.len() * 8);
    let mut last = 0;
    for edit in edits {
        assert!(
            edit.range.start >= last,
            "overlapping edits at {:?}",
            edit.range
        );
        out.push_str(&text[last..edit.range.start]);
        out.push_str(&edit.text);
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    out
}

//! What a long-running process (`handbook serve`) keeps between rebuilds so
//! that a change re-renders only what depends on it.
//!
//! Dependencies are not declared by hand: a page is re-rendered exactly when
//! the data it is rendered from changes. Each page's full template context is
//! hashed; an equal hash with the same theme means identical output, so the
//! previous bytes are reused. Chapters are keyed by their text and the rule
//! set's digest (shortcodes read the rule set), search documents by their
//! text. A theme change must call [`RenderCache::clear`]. `build` uses no
//! cache, so its output can never depend on a previous run.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::pages::Chapter;
use super::search::Doc;

#[derive(Default)]
pub struct RenderCache {
    pub(crate) chapters: HashMap<String, (u64, Chapter)>,
    pub(crate) pages: HashMap<String, (u64, String, Vec<Doc>)>,
    pub(crate) terms: super::search::TermCache,
}

impl RenderCache {
    pub fn clear(&mut self) {
        self.chapters.clear();
        self.pages.clear();
        self.terms.clear();
    }
}

/// A stable hash for cache keys (SipHash with fixed keys: the same input
/// gives the same value in every process).
pub fn hash_of(parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// How much of the site a render actually rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub pages_rendered: usize,
    pub pages_reused: usize,
    pub chapters_rendered: usize,
}

//! The handbook's language: which entry of a [`Text`] a reader sees. Every
//! consumer (pages, search, cards, the CLI) reads texts through here instead
//! of naming a language tag. It must never pick another language when the
//! declared one is missing: `check` guarantees every text has it.

use super::{Ruleset, Text};

impl Ruleset {
    /// The BCP 47 tag of the language the handbook is written in.
    pub fn language(&self) -> &str {
        &self.meta.language
    }

    /// `t` in the handbook's language. `check` refuses a text without it, so
    /// in a compiled rule set this is never empty.
    pub fn text_of<'a>(&self, t: &'a Text) -> &'a str {
        t.get(&self.meta.language).map_or("", String::as_str)
    }

    /// [`Ruleset::text_of`] for an optional text.
    pub fn opt_text_of<'a>(&self, t: Option<&'a Text>) -> Option<&'a str> {
        t.map(|t| self.text_of(t))
    }
}

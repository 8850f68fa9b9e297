//! Impact levels: an id the policy chooses and the order of severity the
//! policy lists them in (most severe first). Nothing here knows how many
//! levels there are or that an id looks like a number.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A level's id as the policy writes it: `id = 4` or `id = "significant"`.
/// Both spellings of the same word are one id (`4` and `"4"`), because a
/// `within` table's keys are TOML keys and so always strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct LevelId(String);

impl LevelId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LevelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for LevelId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl From<String> for LevelId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl AsRef<str> for LevelId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// So that a map keyed by level can be asked with a plain `&str` (a URL
/// segment, a form value); ordering and equality are the string's.
impl std::borrow::Borrow<str> for LevelId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for LevelId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl<'de> Deserialize<'de> for LevelId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = LevelId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a level id (an integer such as 4 or a string such as \"significant\")")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<LevelId, E> {
                Ok(LevelId(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<LevelId, E> {
                Ok(LevelId(v.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LevelId, E> {
                Ok(LevelId(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The declared levels in order of severity, most severe first (as listed
/// in `levels.toml`). Severity is a position in this list, never a property
/// of the id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Levels {
    order: Vec<LevelId>,
}

impl Levels {
    /// Levels listed most severe first.
    pub fn new(most_severe_first: Vec<LevelId>) -> Self {
        Self {
            order: most_severe_first,
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LevelId> + ExactSizeIterator {
        self.order.iter()
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn contains(&self, id: &LevelId) -> bool {
        self.order.contains(id)
    }

    /// How severe a level is: larger is more severe, the least severe level
    /// is 0. `None` for an id the policy does not declare.
    pub fn severity(&self, id: &LevelId) -> Option<usize> {
        let at = self.order.iter().position(|l| l == id)?;
        Some(self.order.len() - 1 - at)
    }

    /// The most severe level, the first listed.
    pub fn most_severe(&self) -> Option<&LevelId> {
        self.order.first()
    }

    /// The least severe level, the last listed.
    pub fn least_severe(&self) -> Option<&LevelId> {
        self.order.last()
    }

    /// The ids joined for a diagnostic: `4, 3, 2, 1`.
    pub fn list(&self) -> String {
        self.order
            .iter()
            .map(LevelId::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(ids: &[&str]) -> Levels {
        Levels::new(ids.iter().map(|s| LevelId::from(*s)).collect())
    }

    #[test]
    fn severity_is_the_listed_order_not_the_id() {
        let l = levels(&["low", "9", "high"]);
        assert_eq!(l.severity(&"low".into()), Some(2));
        assert_eq!(l.severity(&"high".into()), Some(0));
        assert_eq!(l.severity(&"other".into()), None);
        assert_eq!(l.least_severe().map(LevelId::as_str), Some("high"));
        assert_eq!(l.most_severe().map(LevelId::as_str), Some("low"));
        assert_eq!(l.list(), "low, 9, high");
    }

    #[test]
    fn integer_and_string_ids_read_alike() {
        #[derive(Deserialize)]
        struct T {
            a: LevelId,
            b: LevelId,
        }
        let t: T = toml::from_str("a = 4\nb = \"4\"").expect("valid TOML");
        assert_eq!(t.a, t.b);
        assert!(toml::from_str::<T>("a = 1.5\nb = 1").is_err());
    }
}

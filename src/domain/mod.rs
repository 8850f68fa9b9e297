//! The typed domain: the nouns of a policy as types rather than strings.
//!
//! This is the lowest layer of the crate. Every other module (policy,
//! check, ruleset, site, commands) may use these types; this module must
//! never import any of them. A
//! value here says what it is (`LevelId`, `EventId`, `Anchor`), so a level
//! cannot be passed where an event is expected, and nothing assumes how many
//! levels a policy has or what their ids look like: the order of severity is
//! the policy's, carried by [`Levels`].

pub mod classify;
pub mod duration;
pub mod event;
mod level;
pub mod phone;

pub use level::{LevelId, Levels};

/// Reads a share written as a fraction (`"1/3"`): numerator, denominator.
pub fn parse_share(text: &str) -> Option<(u32, u32)> {
    let (n, d) = text.split_once('/')?;
    Some((n.trim().parse().ok()?, d.trim().parse().ok()?))
}

pub use duration::Within;

use std::fmt;

use serde::Serialize;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        /// Read as the id's text where a `&str` is wanted (a URL, a lookup).
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// The policy's time zone (an IANA name such as `Asia/Taipei`), known to
/// exist: serialised and shown as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub chrono_tz::Tz);

impl TimeZone {
    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

impl Serialize for TimeZone {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(self.0.name())
    }
}

string_id!(
    /// The id of an event of `deadlines.toml` (a report, a notification, the
    /// discovery...).
    EventId
);

string_id!(
    /// The fragment a page gives an entry (`level-4`, `event-notify`): the one
    /// spelling that links and the page it points into agree on.
    Anchor
);

impl Anchor {
    /// The anchor of a level's entry on the levels page.
    pub fn level(id: &LevelId) -> Self {
        Self(format!("level-{id}"))
    }

    /// The anchor of an event's entry on the deadlines page.
    pub fn event(id: &str) -> Self {
        Self(format!("event-{id}"))
    }
}

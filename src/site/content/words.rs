//! The words `content/` itself puts into a chapter (a drill's due date, the
//! accessible name of a wide table, the marking of a placeholder contact): read once from the theme's locale
//! (`[content]` in `locales/<language>.toml`), so a missing key is a
//! `locale` error of `check`, not a gap in a page. This module must never
//! hold a word itself.

use crate::diagnostics::Diagnostic;
use crate::ruleset::deadlines::Within;
use crate::site::duration::DurationWords;
use crate::site::locale::Locale;

/// The `[content]` texts of the handbook's language, and its durations.
#[derive(Debug, Clone)]
pub struct Words {
    durations: DurationWords,
    due_by_day: String,
    due_by_month_end: String,
    after_drill: String,
    table_label: String,
    header_separator: String,
    /// The marking of a contact the policy marks `placeholder = true`, as
    /// the contact pages show it (`contacts.placeholder`).
    placeholder: String,
    /// January first.
    month_names: Vec<String>,
}

/// `template` with each `{name}` replaced, as [`Locale::fill`] does.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

impl Words {
    pub fn from_locale(locale: &Locale) -> Result<Words, Box<Diagnostic>> {
        let get = |key: &str| locale.get(&format!("content.{key}")).map(str::to_owned);
        let mut month_names = Vec::with_capacity(12);
        for m in 1..=12 {
            month_names.push(get(&format!("month_names.m{m}"))?);
        }
        Ok(Words {
            durations: DurationWords::new(locale)?,
            due_by_day: get("due_by_day")?,
            due_by_month_end: get("due_by_month_end")?,
            after_drill: get("after_drill")?,
            table_label: get("table_label")?,
            header_separator: get("header_separator")?,
            placeholder: locale.get("contacts.placeholder")?.to_owned(),
            month_names,
        })
    }

    /// "9 月 15 日前", or "4 月底前" without a day. `None` for a month that
    /// is not 1 to 12 (`check` refuses those in drills.toml).
    pub fn due(&self, month: u32, day: Option<u32>) -> Option<String> {
        let index = usize::try_from(month).ok()?.checked_sub(1)?;
        let name = self.month_names.get(index)?;
        let month = month.to_string();
        Some(match day {
            Some(d) => fill(
                &self.due_by_day,
                &[
                    ("month", &month),
                    ("day", &d.to_string()),
                    ("month_name", name),
                ],
            ),
            None => fill(
                &self.due_by_month_end,
                &[("month", &month), ("month_name", name)],
            ),
        })
    }

    /// A time limit (`1 小時內`).
    pub fn within(&self, within: Within) -> String {
        self.durations.text(within)
    }

    /// A report due `within` after the drill.
    pub fn after_drill(&self, within: Within) -> String {
        fill(&self.after_drill, &[("within", &self.within(within))])
    }

    /// What a placeholder contact says beside its value.
    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The accessible name of a wide table, from its column headers.
    pub fn table(&self, headers: &[String]) -> String {
        fill(
            &self.table_label,
            &[("caption", &headers.join(&self.header_separator))],
        )
    }
}

#[cfg(test)]
impl Words {
    /// The words of the bundled theme in the bundled policy's language.
    pub fn for_tests() -> Words {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::policy::load(root).expect("the bundled policy loads");
        let mut sources = loaded.sources.clone();
        let locale = crate::site::locale::load_into(root, &loaded.policy, &mut sources)
            .ok()
            .flatten()
            .expect("the bundled locale loads");
        Words::from_locale(&locale).unwrap_or_else(|d| panic!("{}", d.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_tables_are_the_locales_words() {
        let w = Words::for_tests();
        assert_eq!(w.due(9, Some(15)).as_deref(), Some("9 月 15 日前"));
        assert_eq!(w.due(4, None).as_deref(), Some("4 月底前"));
        assert_eq!(w.due(13, None), None);
        assert_eq!(w.due(0, None), None);
        assert_eq!(w.after_drill(Within::Days(14)), "演練完成後 2 週內");
        assert_eq!(w.table(&["a".into(), "b".into()]), "表格：a、b");
    }
}

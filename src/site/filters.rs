//! Tera filters the templates use. Kept tiny: the page builders prepare data
//! in the shape templates need, so templates only choose a language and
//! space CJK from numbers where words and values are joined (`cjk_space`,
//! `cjk_gap`).

use std::collections::HashMap;

use tera::{Tera, Value};

/// `{{ thing.name | t }}`: the text of a `{ "zh-TW": ..., "en": ... }` table
/// in the handbook's language; a plain string passes through. (The
/// interface words are the `t` variable, the locale table, instead.)
fn text_in(language: String) -> impl tera::Filter {
    move |value: &Value, _args: &HashMap<String, Value>| -> tera::Result<Value> {
        Ok(match value {
            Value::Object(map) => map
                .get(&language)
                .cloned()
                .ok_or_else(|| tera::Error::msg(format!("the text has no `{language}` version")))?,
            Value::Null => Value::String(String::new()),
            other => other.clone(),
        })
    }
}

/// A CJK character: Han (with extensions and compatibility ideographs),
/// kana, Bopomofo. Full-width punctuation is not one.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3005..=0x3007
        | 0x3040..=0x30FF
        | 0x3100..=0x312F
        | 0x31A0..=0x31BF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Whether `a` followed by `b` is CJK touching an ASCII letter or digit
/// (either order), which Taiwanese typography separates with a space.
pub fn needs_gap(a: char, b: char) -> bool {
    (is_cjk(a) && b.is_ascii_alphanumeric()) || (a.is_ascii_alphanumeric() && is_cjk(b))
}

/// `s` with a space wherever CJK touches an ASCII letter or digit: for a
/// sentence of the locale filled with a value (「發現後{within}」 with
/// 「1 小時」), whose words cannot know what the value starts with.
pub fn space_cjk(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if prev.is_some_and(|p| needs_gap(p, c)) {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// `{{ text | cjk_space }}`: [`space_cjk`].
fn cjk_space_filter(value: &Value, _args: &HashMap<String, Value>) -> tera::Result<Value> {
    match value {
        Value::String(s) => Ok(Value::String(space_cjk(s))),
        other => Ok(other.clone()),
    }
}

/// `{{ cjk_gap(a=before, b=after) }}`: a space when the end of `a` and the
/// start of `b` need one ([`needs_gap`]), for words joined across markup
/// (「至少是」<a>「2 級事件」</a>).
fn cjk_gap(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let end = |k: &str| {
        args.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg(format!("cjk_gap needs `{k}`, a string")))
    };
    let gap = match (end("a")?.chars().last(), end("b")?.chars().next()) {
        (Some(a), Some(b)) if needs_gap(a, b) => " ",
        _ => "",
    };
    Ok(Value::String(gap.to_owned()))
}

/// Registers the filters for a site in `language` (the policy's).
pub fn register(tera: &mut Tera, language: &str) {
    tera.register_filter("t", text_in(language.to_owned()));
    tera.register_filter("cjk_space", cjk_space_filter);
    tera.register_function("cjk_gap", cjk_gap);
}

#[cfg(test)]
mod tests {
    use super::space_cjk;

    #[test]
    fn spaces_cjk_from_ascii_words_only() {
        // 後1h內 -> 後 1h 內
        assert_eq!(space_cjk("\u{5f8c}1h\u{5167}"), "\u{5f8c} 1h \u{5167}");
        // Punctuation, spaces and plain ASCII are left alone: 3.1(一), （24）.
        assert_eq!(space_cjk("3.1(\u{4e00})"), "3.1(\u{4e00})");
        assert_eq!(space_cjk("\u{5f8c} 1 \u{5167}"), "\u{5f8c} 1 \u{5167}");
        assert_eq!(space_cjk("\u{ff08}24\u{ff09}"), "\u{ff08}24\u{ff09}");
        assert_eq!(space_cjk("within 1 hour"), "within 1 hour");
    }
}

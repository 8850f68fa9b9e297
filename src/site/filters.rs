//! Tera filters the templates use. Kept tiny: the page builders prepare data
//! in the shape templates need, so templates only choose a language.

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

/// Registers the filters for a site in `language` (the policy's).
pub fn register(tera: &mut Tera, language: &str) {
    tera.register_filter("t", text_in(language.to_owned()));
}

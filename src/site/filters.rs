//! Tera filters the templates use. Kept tiny: the page builders prepare data
//! in the shape templates need, so templates only choose a language.

use std::collections::HashMap;

use tera::{Tera, Value};

/// `{{ thing.name | t }}`: the zh-TW text of a `{ "zh-TW": ... }` table; a
/// plain string passes through. An English edition will choose `en` here.
fn t(value: &Value, _args: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(match value {
        Value::Object(map) => map
            .get("zh-TW")
            .cloned()
            .unwrap_or_else(|| Value::String(String::new())),
        Value::Null => Value::String(String::new()),
        other => other.clone(),
    })
}

pub fn register(tera: &mut Tera) {
    tera.register_filter("t", t);
}

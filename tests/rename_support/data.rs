//! The data scripts (`assets/data.js`, `assets/search-index.js`) as JSON,
//! compared with the renamed ids mapped back.

use std::collections::BTreeMap;

use serde_json::Value;

use super::compare::{Allowances, sorted_words, unrename};

/// The JSON values a data script assigns (`window.X = {...};`, one
/// statement a line).
pub fn js_values(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|line| {
            let (start, end) = (line.find('{')?, line.rfind('}')?);
            Some(serde_json::from_str(&line[start..=end]).expect("a JSON object"))
        })
        .collect()
}

/// The value with every new id in its strings and keys mapped back.
pub fn unrename_json(v: Value, reverse: &BTreeMap<String, String>) -> Value {
    match v {
        Value::String(s) => Value::String(unrename(&s, reverse)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| unrename_json(i, reverse))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (unrename(&k, reverse), unrename_json(v, reverse)))
                .collect(),
        ),
        other => other,
    }
}

/// The search index with documents keyed by page rather than by position:
/// documents are listed by URL, so renamed URLs reorder them. The texts of
/// the `order_free` pages are compared as sorted words, all of them with
/// the shown ids mapped back, and the terms those ids make are left out.
pub fn search_by_page(v: Value, allow: &Allowances<'_>) -> Value {
    let (Some(Value::Array(docs)), Some(Value::Object(terms))) = (v.get("docs"), v.get("terms"))
    else {
        return v;
    };
    let url_of = |i: &Value| -> Value {
        let i = usize::try_from(i.as_u64().expect("a document number")).expect("small");
        docs[i][0].clone()
    };
    let mut by_page = serde_json::Map::new();
    for doc in docs {
        let url = doc[0].as_str().expect("url");
        let mut doc = doc.clone();
        if allow.order_free.contains(&url) {
            let text = doc[2].as_str().expect("document text");
            let words = sorted_words(&text.split_whitespace().collect::<Vec<_>>().join(" "));
            doc[2] = Value::String(words);
        }
        let text = doc[2].as_str().expect("document text");
        doc[2] = Value::String(unrename(text, &allow.shown));
        by_page.insert(url.to_owned(), doc);
    }
    let mut postings = serde_json::Map::new();
    // The words the shown ids make, as the index splits them (`sev-a` is
    // `sev` and `a`), and their old ids.
    let shown_terms: Vec<&str> = allow
        .shown
        .iter()
        .flat_map(|(new, old)| new.split('-').chain([old.as_str()]))
        .collect();
    for (term, list) in terms {
        if shown_terms.contains(&term.as_str()) {
            continue;
        }
        let flat = list.as_array().expect("postings");
        let mut pairs: Vec<(String, Value)> = flat
            .chunks(2)
            .map(|p| (url_of(&p[0]), p[1].clone()))
            .map(|(u, n)| (u.to_string(), n))
            .collect();
        pairs.sort_by(|x, y| x.0.cmp(&y.0));
        if pairs.is_empty() {
            continue;
        }
        postings.insert(
            term.clone(),
            Value::Array(
                pairs
                    .into_iter()
                    .map(|(u, n)| Value::Array(vec![Value::String(u), n]))
                    .collect(),
            ),
        );
    }
    let mut out = v.as_object().expect("an object").clone();
    out.insert("docs".into(), Value::Object(by_page));
    out.insert("terms".into(), Value::Object(postings));
    Value::Object(out)
}

/// The first place two JSON documents part, as a path of keys.
pub fn json_difference(path: &str, a: &[Value], b: &[Value]) -> String {
    fn first(a: &Value, b: &Value, at: String) -> String {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) if w != v => return first(v, w, format!("{at}.{k}")),
                        None => return format!("{at}.{k} is missing"),
                        _ => {}
                    }
                }
                match y.keys().find(|k| !x.contains_key(*k)) {
                    Some(k) => format!("{at}.{k} is new"),
                    None => at,
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() && x.len() > 2 => {
                match x.iter().zip(y).position(|(v, w)| v != w) {
                    Some(i) => first(&x[i], &y[i], format!("{at}[{i}]")),
                    None => at,
                }
            }
            _ => {
                let show = |v: &Value| {
                    let s = v.to_string();
                    s.chars().take(300).collect::<String>()
                };
                format!("{at}: {} vs {}", show(a), show(b))
            }
        }
    }
    if a.len() != b.len() {
        return format!("{path}: {} vs {} statements", a.len(), b.len());
    }
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .map_or(String::new(), |i| first(&a[i], &b[i], format!("[{i}]")));
    format!("{path}: the data differs beyond the ids at {at}")
}

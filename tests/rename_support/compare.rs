//! Comparing two built sites: what a reader sees on each page (text, with
//! tags stripped and whitespace normalised), and where its links and anchors
//! point once the renamed ids are mapped back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// Every file of a built site, by its path in the site.
pub fn read_site(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("ls site") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tag's attributes: (name, decoded value).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    // Skip the tag name.
    rest = rest.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let Some(after_eq) = rest.strip_prefix('=') else {
            out.push((name, String::new()));
            continue;
        };
        rest = after_eq.trim_start();
        let (value, next) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = rest[1..].find(q).map_or(rest.len(), |i| i + 1);
                (&rest[1..close], (close + 1).min(rest.len()))
            }
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..end], end)
            }
        };
        out.push((name, decode_entities(value)));
        rest = &rest[next..];
    }
    out
}

/// Attributes whose values a reader sees or hears.
const SHOWN_ATTRIBUTES: &[&str] = &["title", "alt", "aria-label", "placeholder"];
/// Attributes that point at a place: they follow the rename.
const LINK_ATTRIBUTES: &[&str] = &["href", "src", "id", "for", "aria-controls", "action"];

/// What a page shows (text and the attributes a reader sees, scripts and
/// styles left out, whitespace normalised) and where it links.
pub struct Page {
    pub text: String,
    pub links: Vec<String>,
}

pub fn page(html: &str) -> Page {
    let mut text = String::new();
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |i| &comment[i + 3..]);
            continue;
        }
        let gt = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..gt];
        rest = &rest[gt..];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        text.push(' ');
        for (attr, value) in attributes(tag) {
            if SHOWN_ATTRIBUTES.contains(&attr.as_str()) {
                text.push_str(&value);
                text.push(' ');
            }
            if LINK_ATTRIBUTES.contains(&attr.as_str()) {
                links.push(format!("{attr}={value}"));
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
        }
    }
    text.push_str(&decode_entities(rest));
    Page {
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        links,
    }
}

/// The inner HTML of the element whose `id` is `id`.
pub fn element<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let at = html.find(&format!(" id=\"{id}\""))?;
    let start = html[..at].rfind('<')?;
    let name: String = html[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let body = html[at..].find('>')? + at + 1;
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 1;
    let mut pos = body;
    while depth > 0 {
        let next_close = html[pos..].find(&close)? + pos;
        let next_open = html[pos..].find(&open).map(|i| i + pos);
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                pos = o + open.len();
            }
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(&html[body..next_close]);
                }
                pos = next_close + close.len();
            }
        }
    }
    None
}

/// Maps every new id in `s` back to its old id. Ids are found as runs of
/// hyphen-separated parts of a slug (`event-ev-report`, `org/unit-office.html`,
/// `drl-group-drill-2026-1@...`), longest first.
pub fn unrename(s: &str, reverse: &BTreeMap<String, String>) -> String {
    let is_slug = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let start = rest.find(is_slug).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_slug(c)).unwrap_or(rest.len());
        out.push_str(&unrename_slug(&rest[..end], reverse));
        rest = &rest[end..];
    }
    out
}

fn unrename_slug(token: &str, reverse: &BTreeMap<String, String>) -> String {
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(token.match_indices('-').map(|(i, _)| i + 1))
        .collect();
    for &start in &bounds {
        let mut ends: Vec<usize> = token[start..]
            .match_indices('-')
            .map(|(i, _)| start + i)
            .collect();
        ends.push(token.len());
        for &end in ends.iter().rev() {
            if let Some(old) = reverse.get(&token[start..end]) {
                return format!(
                    "{}{old}{}",
                    &token[..start],
                    unrename_slug(&token[end..], reverse)
                );
            }
        }
    }
    token.to_owned()
}

/// Whether `s` contains a new id as a slug part (the original site must not:
/// otherwise mapping back would be unsound).
pub fn mentions_new_id(s: &str, reverse: &BTreeMap<String, String>) -> bool {
    unrename(s, reverse) != s
}

/// Unfolded content lines of a vCard or iCalendar file.
fn content_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split("\r\n").flat_map(|l| l.split('\n')) {
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some(last) = lines.last_mut() {
                last.push_str(cont);
                continue;
            }
        }
        lines.push(line.to_owned());
    }
    lines
}

/// The problems found comparing the original site `old` with the renamed
/// `new`: missing or extra pages, text that differs, links that do not
/// follow the rename. `path_of` gives a page's path in the renamed site.
pub fn compare_sites(
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
    path_of: &dyn Fn(&str) -> String,
    reverse: &BTreeMap<String, String>,
    digests: (&str, &str),
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expected_new = BTreeSet::new();
    let normalise = |s: &str, digest: &str| {
        let full = digest.trim_start_matches("sha256:");
        s.replace(full, "DIGEST").replace(&full[..12], "DIGEST")
    };
    for (path, old_bytes) in old {
        let new_path = path_of(path);
        expected_new.insert(new_path.clone());
        let Some(new_bytes) = new.get(&new_path) else {
            problems.push(format!("{path}: no page {new_path} in the renamed site"));
            continue;
        };
        let (Ok(old_text), Ok(new_text)) = (
            std::str::from_utf8(old_bytes),
            std::str::from_utf8(new_bytes),
        ) else {
            if old_bytes != new_bytes {
                problems.push(format!("{path}: the bytes differ"));
            }
            continue;
        };
        let old_text = normalise(old_text, digests.0);
        let new_text = normalise(new_text, digests.1);
        if mentions_new_id(&old_text, reverse) {
            problems.push(format!("{path}: the original already uses a new id"));
        }
        if path.ends_with(".html") {
            let (a, b) = (page(&old_text), page(&new_text));
            if a.text != b.text {
                problems.push(text_difference(path, &a.text, &b.text, reverse));
            }
            let mapped: Vec<String> = b.links.iter().map(|l| unrename(l, reverse)).collect();
            if a.links != mapped {
                let first = a
                    .links
                    .iter()
                    .zip(&mapped)
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.links.len().min(mapped.len()));
                problems.push(format!(
                    "{path}: links do not follow the rename ({} vs {} links; first difference: {:?} vs {:?} (renamed: {:?}))",
                    a.links.len(),
                    b.links.len(),
                    a.links.get(first),
                    mapped.get(first),
                    b.links.get(first),
                ));
            }
        } else if path.ends_with(".vcf") || path.ends_with(".ics") {
            // Everything a calendar or address book shows is compared as is;
            // only a UID (never shown) may carry the renamed id.
            let (a, b) = (content_lines(&old_text), content_lines(&new_text));
            let b: Vec<String> = b
                .into_iter()
                .map(|l| {
                    if l.starts_with("UID:") {
                        unrename(&l, reverse)
                    } else {
                        l
                    }
                })
                .collect();
            if a != b {
                let first = a.iter().zip(&b).position(|(x, y)| x != y);
                problems.push(format!(
                    "{path}: content lines differ (first: {:?} vs {:?})",
                    first.and_then(|i| a.get(i)),
                    first.and_then(|i| b.get(i))
                ));
            }
        } else if path == "assets/data.js" || path == "assets/search-index.js" {
            // Data the scripts show: ids are data there, so compare with the
            // new ids mapped back (object keys in any order).
            let a: Vec<Value> = js_values(&old_text)
                .into_iter()
                .map(search_by_page)
                .collect();
            let b: Vec<Value> = js_values(&new_text)
                .into_iter()
                .map(|v| search_by_page(unrename_json(v, reverse)))
                .collect();
            if a != b {
                problems.push(json_difference(path, &a, &b));
            }
        } else if old_text != new_text {
            problems.push(format!("{path}: differs"));
        }
    }
    problems.extend(broken_links(new));
    for path in new.keys() {
        if !expected_new.contains(path) {
            problems.push(format!("{path}: only in the renamed site"));
        }
    }
    problems
}

/// Where two page texts part, with some words around it; says whether the
/// difference is only renamed ids shown as text.
fn text_difference(path: &str, old: &str, new: &str, reverse: &BTreeMap<String, String>) -> String {
    let a: Vec<&str> = old.split(' ').collect();
    let b: Vec<&str> = new.split(' ').collect();
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let window = |w: &[&str]| w[first.saturating_sub(8)..(first + 8).min(w.len())].join(" ");
    let only_ids = unrename(new, reverse) == old;
    format!(
        "{path}: the text differs{} at word {first}:\n  original: …{}…\n  renamed:  …{}…",
        if only_ids {
            " (only by renamed ids shown as text)"
        } else {
            ""
        },
        window(&a),
        window(&b)
    )
}

/// The JSON values a data script assigns (`window.X = {...};`, one
/// statement a line).
fn js_values(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|line| {
            let (start, end) = (line.find('{')?, line.rfind('}')?);
            Some(serde_json::from_str(&line[start..=end]).expect("a JSON object"))
        })
        .collect()
}

/// The value with every new id in its strings and keys mapped back; a level
/// id that was a number is a number again.
fn unrename_json(v: Value, reverse: &BTreeMap<String, String>) -> Value {
    match v {
        Value::String(s) => match reverse.get(&s) {
            Some(old) if old.parse::<i64>().is_ok() => {
                Value::Number(old.parse::<i64>().expect("digits").into())
            }
            _ => Value::String(unrename(&s, reverse)),
        },
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
/// documents are listed by URL, so renamed URLs reorder them.
fn search_by_page(v: Value) -> Value {
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
        by_page.insert(doc[0].as_str().expect("url").to_owned(), doc.clone());
    }
    let mut postings = serde_json::Map::new();
    for (term, list) in terms {
        let flat = list.as_array().expect("postings");
        let mut pairs: Vec<(String, Value)> = flat
            .chunks(2)
            .map(|p| (url_of(&p[0]).to_string(), p[1].clone()))
            .collect();
        pairs.sort_by(|x, y| x.0.cmp(&y.0));
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
fn json_difference(path: &str, a: &[Value], b: &[Value]) -> String {
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
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
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

/// Links of the renamed site's pages that lead nowhere: a file that is not
/// there or a fragment its page lacks (a link that kept an old id).
fn broken_links(site: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let pages: BTreeMap<&str, Page> = site
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), page(std::str::from_utf8(b).expect("utf-8"))))
        .collect();
    let anchors = |p: &Page| -> BTreeSet<String> {
        p.links
            .iter()
            .filter_map(|l| l.strip_prefix("id="))
            .map(str::to_owned)
            .collect()
    };
    let mut problems = Vec::new();
    for (path, p) in &pages {
        for link in &p.links {
            let Some(target) = link.strip_prefix("href=").or(link.strip_prefix("src=")) else {
                continue;
            };
            if target.contains(':') || target.starts_with("//") || target.is_empty() {
                continue;
            }
            let target = target.split_once('?').map_or(target, |(t, _)| t);
            let (file, fragment) = match target.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (target, None),
            };
            let resolved = if file.is_empty() {
                path.to_string()
            } else {
                let mut parts: Vec<&str> = path.split('/').collect();
                parts.pop();
                for seg in file.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        "." | "" => {}
                        s => parts.push(s),
                    }
                }
                let joined = parts.join("/");
                if joined.is_empty() || target.ends_with('/') {
                    format!("{joined}/index.html")
                        .trim_start_matches('/')
                        .to_owned()
                } else {
                    joined
                }
            };
            if !site.contains_key(&resolved) {
                problems.push(format!("{path}: the link {target} leads to no page"));
                continue;
            }
            if let (Some(frag), Some(target_page)) = (fragment, pages.get(resolved.as_str())) {
                if !frag.is_empty() && !anchors(target_page).contains(frag) {
                    problems.push(format!("{path}: the link {target} leads to no anchor"));
                }
            }
        }
    }
    problems
}

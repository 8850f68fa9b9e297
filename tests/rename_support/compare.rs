//! Comparing two built sites: what a reader sees on each page (text, with
//! tags stripped and whitespace normalised), and where its links and anchors
//! point once the renamed ids are mapped back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::data::{js_values, search_by_page};
pub use super::data::{json_difference, unrename_json};
pub use super::html::{Page, element, page};

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

/// The words of a text in sorted order.
pub fn sorted_words(text: &str) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
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

/// Known faults the comparison lets off, page by page (original paths), so
/// that the rest of the site is still held to the strict comparison.
#[derive(Default)]
pub struct Allowances<'a> {
    /// Pages whose words and links are compared, not their order.
    pub order_free: Vec<&'a str>,
    /// New ids (→ old) that may show as words anywhere: every text is
    /// compared with them mapped back, and the search index without the
    /// terms they and their old ids make.
    pub shown: BTreeMap<String, String>,
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
    allow: &Allowances<'_>,
) -> Vec<String> {
    let order_free = &allow.order_free;
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
            let (mut a, mut b) = (page(&old_text), page(&new_text));
            let mut mapped: Vec<String> = b.links.iter().map(|l| unrename(l, reverse)).collect();
            if order_free.contains(&path.as_str()) {
                a.text = sorted_words(&a.text);
                b.text = sorted_words(&b.text);
                a.links.sort();
                mapped.sort();
            }
            b.text = unrename(&b.text, &allow.shown);
            if a.text != b.text {
                problems.push(text_difference(path, &a.text, &b.text, reverse));
            }
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
                .map(|v| search_by_page(v, allow))
                .collect();
            let b: Vec<Value> = js_values(&new_text)
                .into_iter()
                .map(|v| search_by_page(unrename_json(v, reverse), allow))
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

//! The offline search index.
//!
//! Chinese has no spaces between words, so text is indexed by overlapping
//! character pairs (bigrams) within runs of CJK characters, plus whole ASCII
//! words; the query is cut the same way in `logic.js` (`tokenize`), so index
//! and query always agree. No dictionary segmenter: a segmenter that cuts the
//! index one way and a query another is a known cause of missed zh-TW
//! results. The index ships as a classic script (`fetch` fails under
//! `file://`).

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use super::locale::Locale;
use super::pages::{actor_url, agency_url, contact_url, duty_url, event_url, level_url};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;

/// A searchable document: a page or an entity on a page.
#[derive(Debug, Clone)]
pub struct Doc {
    pub url: String,
    pub title: String,
    pub text: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF | 0x3100..=0x312F | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Full-width ASCII (Ａ, １) to ASCII, then lower case.
fn normalise(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Bigrams of CJK runs (a lone CJK character stands for itself) and ASCII
/// words of letters and digits.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, tokens: &mut Vec<String>| {
        if run.len() == 1 {
            tokens.push(run[0].to_string());
        }
        for pair in run.windows(2) {
            tokens.push(pair.iter().collect());
        }
        run.clear();
    };
    for c in text.chars().map(normalise) {
        if is_cjk(c) {
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            run.push(c);
        } else if c.is_ascii_alphanumeric() {
            flush_run(&mut run, &mut tokens);
            word.push(c);
        } else {
            flush_run(&mut run, &mut tokens);
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
        }
    }
    flush_run(&mut run, &mut tokens);
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

impl Doc {
    /// The text of a rendered page's `<main>`, without markup.
    pub fn from_html(url: &str, title: &str, html: &str) -> Doc {
        let main = html
            .find("<main")
            .and_then(|s| html[s..].find("</main>").map(|e| &html[s..s + e]))
            .unwrap_or(html);
        Doc {
            url: url.to_owned(),
            title: title.to_owned(),
            text: strip_tags(main),
        }
    }
}

/// Removes tags and `<script>`/`<style>` contents, decodes the entities Tera
/// writes, and folds white space.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let after = &rest[lt..];
        let skip_to = if after.starts_with("<script") {
            after.find("</script>").map(|i| i + 9)
        } else if after.starts_with("<style") {
            after.find("</style>").map(|i| i + 8)
        } else if after.starts_with("<svg") {
            after.find("</svg>").map(|i| i + 6)
        } else {
            after.find('>').map(|i| i + 1)
        };
        rest = &after[skip_to.unwrap_or(after.len())..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every policy entity as its own document, pointing at its anchor.
pub fn entity_docs(
    r: &Ruleset,
    locale: &Locale,
    timings: &super::pages::Timings,
) -> Result<Vec<Doc>, Box<Diagnostic>> {
    let agency_text = locale.get("search.agency_text")?;
    let duty_title = locale.get("search.duty_title")?;
    let mut docs = Vec::new();
    for l in &r.levels {
        docs.push(Doc {
            url: level_url(&l.id),
            title: r.text_of(&l.name).to_owned(),
            text: r.text_of(&l.summary).to_owned(),
        });
    }
    for e in r.events.iter().filter(|e| e.anchor.is_some()) {
        docs.push(Doc {
            url: event_url(&e.id),
            title: r.text_of(&e.name).to_owned(),
            text: format!(
                "{} {}",
                e.description
                    .as_ref()
                    .map(|t| r.text_of(t))
                    .unwrap_or_default(),
                timings.all(&e.id).unwrap_or_default()
            ),
        });
    }
    for c in &r.contacts {
        docs.push(Doc {
            url: contact_url(&c.id),
            title: r.text_of(&c.name).to_owned(),
            text: format!("{} {}", c.value, r.text_of(&c.purpose)),
        });
    }
    for u in &r.units {
        let text = [u.short.as_ref(), u.remit.as_ref(), u.jurisdiction.as_ref()]
            .iter()
            .flatten()
            .map(|t| r.text_of(t))
            .collect::<Vec<_>>()
            .join(" ");
        docs.push(Doc {
            url: actor_url(&u.id),
            title: r.text_of(&u.name).to_owned(),
            text,
        });
    }
    for x in &r.roles {
        docs.push(Doc {
            url: actor_url(&x.id),
            title: r.text_of(&x.name).to_owned(),
            text: x
                .remit
                .as_ref()
                .map(|t| r.text_of(t))
                .unwrap_or_default()
                .to_owned(),
        });
    }
    for a in &r.agencies {
        docs.push(Doc {
            url: agency_url(a.number),
            title: r.text_of(&a.name).to_owned(),
            text: agency_text
                .replace("{number}", &a.number.to_string())
                .replace("{aliases}", &a.aliases.join(" ")),
        });
    }
    for d in &r.duties {
        docs.push(Doc {
            url: duty_url(&d.id),
            title: duty_title.replace("{source}", &d.source),
            text: r.text_of(&d.text).to_owned(),
        });
    }
    Ok(docs)
}

/// `window.HANDBOOK_SEARCH = {docs: [[url, title, text]], terms: {token:
/// [doc, count, doc, count, ...]}}`.
/// Term counts per document URL, kept by a long-running process.
pub type TermCache = HashMap<String, (u64, Vec<(String, usize)>)>;

pub fn index_script(docs: &[Doc], mut cache: Option<&mut TermCache>) -> String {
    // Hash maps while counting, sorted once at the end (serde_json writes
    // map keys sorted), so the index is identical on every build.
    let count = |d: &Doc| -> Vec<(String, usize)> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for t in tokenize(&format!("{} {}", d.title, d.text)) {
            *counts.entry(t).or_insert(0) += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_unstable();
        counts
    };
    // Tokenising is the expensive part: reuse what a long-running process
    // counted before, and do the rest on every core.
    let keys: Vec<u64> = docs
        .iter()
        .map(|d| crate::site::cache::hash_of(&[&d.title, &d.text]))
        .collect();
    let mut per_doc: Vec<Option<Vec<(String, usize)>>> = docs
        .iter()
        .zip(&keys)
        .map(|(d, k)| {
            cache
                .as_deref()
                .and_then(|c| c.get(&d.url))
                .filter(|(ck, _)| ck == k)
                .map(|(_, counts)| counts.clone())
        })
        .collect();
    let todo: Vec<usize> = (0..docs.len()).filter(|i| per_doc[*i].is_none()).collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = todo.len().div_ceil(threads).max(1);
    let counted: Vec<(usize, Vec<(String, usize)>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&i| (i, count(&docs[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, counts) in counted {
        if let Some(c) = cache.as_deref_mut() {
            c.insert(docs[i].url.clone(), (keys[i], counts.clone()));
        }
        per_doc[i] = Some(counts);
    }
    let per_doc: Vec<Vec<(String, usize)>> =
        per_doc.into_iter().map(Option::unwrap_or_default).collect();
    let mut terms: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, counts) in per_doc.into_iter().enumerate() {
        for (t, n) in counts {
            let postings = terms.entry(t).or_default();
            postings.push(i);
            postings.push(n);
        }
    }
    let terms: BTreeMap<String, Vec<usize>> = terms.into_iter().collect();
    let data = json!({
        "docs": docs.iter().map(|d| json!([d.url, d.title, d.text])).collect::<Vec<_>>(),
        "terms": terms,
    });
    let text = serde_json::to_string(&data)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    format!("window.HANDBOOK_SEARCH = {text};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_chinese_into_bigrams_and_keeps_ascii_words() {
        assert_eq!(tokenize("資安事件"), vec!["資安", "安事", "事件"]);
        assert_eq!(tokenize("通報 NCERT 網站"), vec!["通報", "ncert", "網站"]);
        assert_eq!(tokenize("４級"), vec!["4", "級"]);
        assert_eq!(tokenize("36小時"), vec!["36", "小時"]);
    }

    #[test]
    fn strips_markup_and_scripts() {
        let text = strip_tags("<p>資安 &amp; 通報</p><script>var x = '<p>';</script><b>完</b>");
        assert_eq!(text, "資安 & 通報 完");
    }
}

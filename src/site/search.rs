//! The offline search index.
//!
//! A page is indexed per heading section: each heading with an `id` starts
//! a document whose URL is `page.html#id` and which carries the heading's
//! words, so a result opens at the section that matched (the text before
//! the first such heading is the page's own document). Policy entities are
//! documents of their own, at their anchors. The synonym table
//! (`site::synonyms`) travels in the index: its variant folding applies to
//! the index here and to queries in `logic.js`, and `logic.js` expands a
//! query through its groups.
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
use super::pages::{
    actor_url, agency_url, contact_url, duty_url, event_url, level_url, questions_url,
};
use super::synonyms::Synonyms;
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;

/// A searchable document: a page or an entity on a page.
#[derive(Debug, Clone)]
pub struct Doc {
    pub url: String,
    pub title: String,
    /// The heading of the section, empty for a page's top or an entity.
    pub heading: String,
    pub text: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF | 0x3100..=0x312F | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Bigrams of CJK runs (a lone CJK character stands for itself) and ASCII
/// words of letters and digits, full-width ASCII as ASCII, lower case.
pub fn tokenize(text: &str) -> Vec<String> {
    tokenize_with(text, &Synonyms::default())
}

/// As [`tokenize`], with the synonym table's variants folded
/// ([`Synonyms::normalise_char`]), as `logic.js` folds queries.
pub fn tokenize_with(text: &str, synonyms: &Synonyms) -> Vec<String> {
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
    for c in text.chars().map(|c| synonyms.normalise_char(c)) {
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
    /// A rendered page's `<main>` as documents without markup: the text
    /// before its first heading with an `id` (at the page's URL, when it
    /// has any text), then one per such heading (at `url#id`).
    pub fn sections(url: &str, title: &str, html: &str) -> Vec<Doc> {
        let main = html
            .find("<main")
            .and_then(|s| html[s..].find("</main>").map(|e| &html[s..s + e]))
            .unwrap_or(html);
        let mut docs = Vec::new();
        let mut push = |anchor: Option<String>, heading: String, body: &str| {
            let text = strip_tags(body);
            if anchor.is_none() && text.is_empty() {
                return;
            }
            docs.push(Doc {
                url: match anchor {
                    Some(id) => format!("{url}#{id}"),
                    None => url.to_owned(),
                },
                title: title.to_owned(),
                heading,
                text,
            });
        };
        let mut rest = main;
        let mut current: (Option<String>, String) = (None, String::new());
        while let Some((start, id, heading, end)) = next_heading(rest) {
            push(
                current.0.take(),
                std::mem::take(&mut current.1),
                &rest[..start],
            );
            current = (Some(id), heading);
            rest = &rest[end..];
        }
        push(current.0, current.1, rest);
        docs
    }
}

/// The first `<h1>`..`<h6>` with an `id` in `html`: (where its tag starts,
/// the id, its text, where its closing tag ends).
fn next_heading(html: &str) -> Option<(usize, String, String, usize)> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<h").map(|i| i + from) {
        let level = html[at + 2..].chars().next();
        from = at + 2;
        let Some(level @ '1'..='6') = level else {
            continue;
        };
        let tag_end = html[at..].find('>').map(|i| i + at)?;
        let tag = &html[at..tag_end];
        let Some(id) = tag
            .find(" id=\"")
            .map(|i| &tag[i + 5..])
            .and_then(|t| t.find('"').map(|e| &t[..e]))
        else {
            continue;
        };
        let close = format!("</h{level}>");
        let close_at = html[tag_end..].find(&close).map(|i| i + tag_end)?;
        let heading = strip_tags(&html[tag_end + 1..close_at]);
        return Some((at, strip_tags(id), heading, close_at + close.len()));
    }
    None
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
            heading: String::new(),
            text: r.text_of(&l.summary).to_owned(),
        });
    }
    for e in r.events.iter().filter(|e| e.anchor.is_some()) {
        docs.push(Doc {
            url: event_url(&e.id),
            title: r.text_of(&e.name).to_owned(),
            heading: String::new(),
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
            heading: String::new(),
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
            heading: String::new(),
            text,
        });
    }
    for x in &r.roles {
        docs.push(Doc {
            url: actor_url(&x.id),
            title: r.text_of(&x.name).to_owned(),
            heading: String::new(),
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
            heading: String::new(),
            text: agency_text
                .replace("{number}", &a.number.to_string())
                .replace("{aliases}", &a.aliases.join(" ")),
        });
    }
    for d in &r.duties {
        docs.push(Doc {
            url: duty_url(&d.id),
            title: duty_title.replace("{source}", &d.source),
            heading: String::new(),
            text: r.text_of(&d.text).to_owned(),
        });
    }
    // A question's help (definition, examples) answers "is ransomware a
    // leak?" wherever the pages show it; this document finds it anyway.
    for q in &r.questions {
        let text = [&q.help, &q.definition]
            .into_iter()
            .flatten()
            .chain(&q.examples)
            .map(|t| r.text_of(t))
            .chain(q.answers.iter().map(|a| r.text_of(&a.text)))
            .collect::<Vec<_>>()
            .join(" ");
        docs.push(Doc {
            url: questions_url(),
            title: r.text_of(&q.text).to_owned(),
            heading: String::new(),
            text,
        });
    }
    Ok(docs)
}

/// Term counts per document URL, kept by a long-running process.
pub type TermCache = HashMap<String, (u64, Vec<(String, usize)>)>;

/// `window.HANDBOOK_SEARCH = {docs: [[url, title, text, heading]], terms:
/// {token: [doc, count, doc, count, ...]}, synonyms: {fold: {char: char},
/// groups: [{terms, finds}]}}`.
pub fn index_script(
    docs: &[Doc],
    synonyms: &Synonyms,
    mut cache: Option<&mut TermCache>,
) -> String {
    // Hash maps while counting, sorted once at the end (serde_json writes
    // map keys sorted), so the index is identical on every build.
    let count = |d: &Doc| -> Vec<(String, usize)> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for t in tokenize_with(&format!("{} {} {}", d.title, d.heading, d.text), synonyms) {
            *counts.entry(t).or_insert(0) += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_unstable();
        counts
    };
    // Tokenising is the expensive part: reuse what a long-running process
    // counted before, and do the rest on every core.
    let fold: String = synonyms.fold.iter().flat_map(|(a, b)| [*a, *b]).collect();
    let keys: Vec<u64> = docs
        .iter()
        .map(|d| crate::site::cache::hash_of(&[&d.title, &d.heading, &d.text, &fold]))
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
        "docs": docs.iter().map(|d| json!([d.url, d.title, d.text, d.heading])).collect::<Vec<_>>(),
        "terms": terms,
        "synonyms": synonyms,
    });
    let text = serde_json::to_string(&data)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    format!("window.HANDBOOK_SEARCH = {text};\n")
}

/// The synonym table for pages without the index (the agency filter):
/// `window.HANDBOOK_DATA.synonyms`, the same object the index carries.
pub fn synonyms_script(synonyms: &Synonyms) -> String {
    let json = serde_json::to_string(synonyms)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    format!("window.HANDBOOK_DATA.synonyms = {json};\n")
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
    fn folds_variants_when_the_table_says_so() {
        let mut s = Synonyms::default();
        s.fold.insert('台', '臺');
        assert_eq!(tokenize_with("台北市", &s), vec!["臺北", "北市"]);
        assert_eq!(tokenize("台北"), vec!["台北"]);
    }

    #[test]
    fn a_page_is_one_document_per_heading_with_an_id() {
        let html = "<header><h1>x</h1></header><main id=\"main\"><h1>頁</h1><p>開頭</p>\
            <h2 id=\"馬上記下時間\">馬上<em>記下</em>時間</h2><p>一</p><h3>小節</h3><p>二</p>\
            <h2 id=\"a&amp;b\">通報</h2><p>三</p></main><footer>尾</footer>";
        let docs = Doc::sections("chapters/x.html", "標題", html);
        let got: Vec<(&str, &str, &str)> = docs
            .iter()
            .map(|d| (d.url.as_str(), d.heading.as_str(), d.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("chapters/x.html", "", "頁 開頭"),
                (
                    "chapters/x.html#馬上記下時間",
                    "馬上 記下 時間",
                    "一 小節 二"
                ),
                ("chapters/x.html#a&b", "通報", "三"),
            ]
        );
        assert!(docs.iter().all(|d| d.title == "標題"));
    }

    #[test]
    fn strips_markup_and_scripts() {
        let text = strip_tags("<p>資安 &amp; 通報</p><script>var x = '<p>';</script><b>完</b>");
        assert_eq!(text, "資安 & 通報 完");
    }
}

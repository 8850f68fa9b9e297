//! A space between CJK text and numbers or Latin words, on every page of the
//! bundled site (rendered in memory), as Taiwanese typography asks:
//! 「1 小時」, 「第 3 章」, 「下載 PDF 檔」, not 「1小時」.
//!
//! The rule, precisely:
//! - What is scanned is the visible text of every HTML page: the text
//!   between tags, with inline elements (`a`, `strong`, `span`, ...) joined
//!   to their neighbours as a reader sees them (「發現後<a>1 小時</a>」 reads
//!   「發現後1 小時」), every other element boundary a break, entities
//!   decoded. Never scanned: attributes (ids, URLs, classes), `script`,
//!   `style`, comments, and `code`, `pre`, `kbd`, `samp` (literal ids and
//!   file names are shown as they are written).
//! - A violation is a CJK character (Han, kana, Bopomofo, CJK compatibility
//!   ideographs) directly next to an ASCII letter or digit, either order.
//! - Full-width punctuation (、，。：；「」（）) and ASCII punctuation are
//!   neither, so they need no space: the guideline's own section numbers stay
//!   exactly as cited, 綱要 3.1(一), 3.1(二)1, 5.2.1(三)6, and 「（24 小時）」
//!   is right.

use std::path::Path;

use incident_handbook::site;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF     // radicals
        | 0x3005..=0x3007   // 々 〆 〇
        | 0x3040..=0x30FF   // kana
        | 0x3100..=0x312F   // Bopomofo
        | 0x31A0..=0x31BF
        | 0x3400..=0x4DBF   // extension A
        | 0x4E00..=0x9FFF   // unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0x20000..=0x3FFFF)
}

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "cite", "data", "del", "dfn", "em", "i", "ins", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "time", "u", "tspan", "label", "wbr",
];
const SKIPPED: &[&str] = &["script", "style", "code", "pre", "kbd", "samp"];

/// The visible text of a page, as lines (each a run of inline content).
fn visible_text(html: &str) -> String {
    let comment = regex::Regex::new(r"(?s)<!--.*?-->").expect("regex");
    let mut html = comment.replace_all(html, "").into_owned();
    for tag in SKIPPED {
        let re = regex::Regex::new(&format!(r"(?is)<{tag}\b[^>]*>.*?</{tag}\s*>")).expect("regex");
        html = re.replace_all(&html, "\n").into_owned();
    }
    let tag = regex::Regex::new(r"(?s)<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>").expect("regex");
    let text = tag.replace_all(&html, |c: &regex::Captures| {
        let name = c[2].to_ascii_lowercase();
        if INLINE.contains(&name.as_str()) {
            String::new()
        } else {
            "\n".to_owned()
        }
    });
    decode_entities(&text)
}

fn decode_entities(s: &str) -> String {
    let re = regex::Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);").expect("regex");
    re.replace_all(s, |c: &regex::Captures| {
        let e = &c[1];
        let ch = if let Some(hex) = e.strip_prefix("#x") {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = e.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => None,
            }
        };
        ch.map(String::from).unwrap_or_else(|| c[0].to_owned())
    })
    .into_owned()
}

/// Every place in `text` where CJK touches an ASCII letter or digit, with
/// some context around it.
fn violations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for (i, w) in chars.windows(2).enumerate() {
            let touching =
                (is_cjk(w[0]) && is_ascii_word(w[1])) || (is_ascii_word(w[0]) && is_cjk(w[1]));
            if touching {
                let from = i.saturating_sub(8);
                let to = (i + 10).min(chars.len());
                out.push(chars[from..to].iter().collect::<String>().trim().to_owned());
            }
        }
    }
    out
}

#[test]
fn the_rule_finds_what_it_should_and_nothing_else() {
    let page = "<p>發現後<a href=\"x3\">1 小時</a>內，第3章，PDF檔</p>\
        <p>綱要 3.1(一)、3.1(二)1、（24 小時）、QR code：掃描</p>\
        <p><code>policy/notes.toml</code>裡</p><script>var a=\"一1\";</script>\
        <p id=\"first-hour-馬上記下時間\" title=\"x\">馬上</p>";
    let found = violations(&visible_text(page));
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found[0].contains("後1"));
    assert!(found[1].contains("第3") && found[2].contains("3章"));
    assert!(found[3].contains("F檔"));
}

#[test]
fn every_page_spaces_cjk_from_numbers_and_latin_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = site::prepare(root).expect("bundled project prepares");
    let files = site::render(&prepared, 2026).expect("renders");
    let mut report = Vec::new();
    let mut total = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).expect("UTF-8");
        let found = violations(&visible_text(&html));
        total += found.len();
        let mut unique = found.clone();
        unique.sort();
        unique.dedup();
        for v in unique {
            report.push(format!("{path}: 「{v}」"));
        }
    }
    assert!(
        report.is_empty(),
        "{total} places where CJK text touches a number or Latin word:\n{}",
        report.join("\n")
    );
}

//! No text the site shows a reader is a literal in code: every word lives in
//! the theme's `locales/<language>.toml` (or in the policy and chapters).
//!
//! The review's grep as a test, with a small lexer so that comments and
//! tests do not count:
//! - templates (`themes/default/templates/*`): no CJK character anywhere
//!   outside Tera comments, and no English word in the text between tags or
//!   in a reader-visible attribute (`alt`, `title`, `aria-label`,
//!   `placeholder`) outside Tera expressions;
//! - JavaScript under `themes/` and `src/`: no CJK character outside
//!   comments;
//! - Rust under `src/site/` and `src/serve/`: no CJK character outside
//!   comments and `#[cfg(test)]` items.
//!
//! The scanner's own unit tests plant literals and must find them, so the
//! check cannot silently pass.

use std::path::{Path, PathBuf};

/// Words a template may show although they are English: names that are the
/// same in every language. Each entry says why.
const TEMPLATE_WORDS: &[(&str, &str)] = &[
    // None needed by the default theme today; add (word, reason) pairs here.
];

/// Files still owned by another part of issue 9 that have literals left. Each
/// entry is TEMPORARY: the lead clears it after merging that part (which
/// moves the words into the locale). Never add a file of the locale work.
const TEMPORARILY_ALLOWED: &[(&str, &str)] = &[
    // None left: every part of issue 9 has moved its words into the locale.
    // Add (file, reason) pairs here only while a merge is in progress.
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ext.contains(&e))
        {
            out.push(path);
        }
    }
}

/// CJK ideographs, kana, hangul, bopomofo, CJK punctuation and full-width
/// forms: whatever is only ever Chinese, Japanese or Korean text.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3040..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// A literal found: (line, the run of text).
type Finding = (usize, String);

/// Runs of CJK characters in `text`, with their line numbers.
fn cjk_runs(text: &str, line_of: impl Fn(usize) -> usize) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut run: Option<(usize, String)> = None;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            run.get_or_insert_with(|| (line_of(i), String::new()))
                .1
                .push(c);
        } else if let Some(r) = run.take() {
            out.push(r);
        }
    }
    out.extend(run);
    out
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// `text` with comments blanked (same length, newlines kept), for Rust
/// (`//`, nested `/* */`, strings, raw strings, char literals) or JS
/// (`//`, `/* */`, '', "", ``).
fn blank_comments(text: &str, rust: bool) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for x in &mut out[from..to] {
            if *x != b'\n' {
                *x = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if rust && b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j.min(b.len()));
                i = j;
            }
            b'r' if rust
                && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = i + 2 + hashes;
                i = text[start..]
                    .find(&close)
                    .map_or(b.len(), |n| start + n + close.len());
            }
            b'"' | b'`' => i = skip_string(b, i),
            b'\'' if !rust => i = skip_string(b, i),
            // A char literal ('x', '\n', '"'), not a lifetime ('a).
            b'\'' if rust => {
                let end = if b.get(i + 1) == Some(&b'\\') {
                    text[i + 2..].find('\'').map(|n| i + 2 + n)
                } else {
                    let c = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + c) == Some(&b'\'')).then_some(i + 1 + c)
                };
                i = end.map_or(i + 1, |e| e + 1);
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The end of the string literal opened at `i` (after its closing quote).
fn skip_string(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let mut j = i + 1;
    while j < b.len() && b[j] != quote {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    j + 1
}

/// Blanks every item marked `#[cfg(test)]` (a test module or function) in
/// comment-free Rust: from the attribute to the end of its `{ }` block.
fn blank_test_items(code: &str) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(n) = out[from..].find("#[cfg(test)]") {
        let start = from + n;
        let b = out.as_bytes();
        let mut j = start;
        while j < b.len() && b[j] != b'{' && b[j] != b';' {
            j += 1;
        }
        if j < b.len() && b[j] == b'{' {
            let mut depth = 0;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        let end = j.min(out.len());
        let blanked: String = out[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(start..end, &blanked);
        from = start + blanked.len();
    }
    out
}

/// CJK literals in Rust source, outside comments and test items.
fn rust_literals(text: &str) -> Vec<Finding> {
    let code = blank_test_items(&blank_comments(text, true));
    cjk_runs(&code, |i| line_at(&code, i))
}

/// CJK literals in JavaScript, outside comments.
fn js_literals(text: &str) -> Vec<Finding> {
    let code = blank_comments(text, false);
    cjk_runs(&code, |i| line_at(&code, i))
}

/// Blanks the regions between `open` and `close` (inclusive), keeping
/// newlines, so offsets still give line numbers.
fn blank_between(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(n) = rest.find(open) {
        out.push_str(&rest[..n]);
        let after = &rest[n..];
        let end = after.find(close).map_or(after.len(), |m| m + close.len());
        out.extend(
            after[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// English words in a template's text: between tags and in reader-visible
/// attributes, outside Tera tags and expressions; and CJK anywhere outside
/// Tera comments.
fn template_literals(text: &str) -> Vec<Finding> {
    // The body's CSS class (`{% block body_class %}home{% endblock ... %}`)
    // is a class name, not text.
    let text = blank_between(text, "{% block body_class %}", "{% endblock body_class %}");
    let no_comments = blank_between(&text, "{#", "#}");
    let mut found = cjk_runs(&no_comments, |i| line_at(&no_comments, i));
    let no_tera = blank_between(&blank_between(&no_comments, "{%", "%}"), "{{", "}}");
    // Reader-visible attribute values.
    for attr in ["alt=\"", "title=\"", "aria-label=\"", "placeholder=\""] {
        let mut from = 0;
        while let Some(n) = no_tera[from..].find(attr) {
            let start = from + n + attr.len();
            let end = no_tera[start..]
                .find('"')
                .map_or(no_tera.len(), |m| start + m);
            found.extend(words(&no_tera[start..end], |_| line_at(&no_tera, start)));
            from = end;
        }
    }
    // Text between tags.
    let text_only = blank_between(&no_tera, "<", ">");
    found.extend(words(&text_only, |i| line_at(&text_only, i)));
    found.sort();
    found
}

/// Words of two or more ASCII letters not in [`TEMPLATE_WORDS`], skipping
/// character references (`&amp;`).
fn words(text: &str, line_of: impl Fn(usize) -> usize) -> Vec<Finding> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word = &text[start..i];
            let reference = start > 0 && b[start - 1] == b'&' && b.get(i) == Some(&b';');
            if word.len() >= 2 && !reference && !TEMPLATE_WORDS.iter().any(|(w, _)| *w == word) {
                out.push((line_of(start), word.to_owned()));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// How a kind of file is scanned for literals.
type Scanner = fn(&str) -> Vec<Finding>;

/// Every file the check covers, with how to scan it.
fn scanned() -> Vec<(PathBuf, Scanner)> {
    let root = root();
    let mut out: Vec<(PathBuf, Scanner)> = Vec::new();
    let mut templates = Vec::new();
    files_under(
        &root.join("themes/default/templates"),
        &["html", "txt"],
        &mut templates,
    );
    out.extend(
        templates
            .into_iter()
            .map(|p| (p, template_literals as Scanner)),
    );
    let mut js = Vec::new();
    files_under(&root.join("themes"), &["js"], &mut js);
    files_under(&root.join("src"), &["js"], &mut js);
    out.extend(js.into_iter().map(|p| (p, js_literals as Scanner)));
    let mut rust = Vec::new();
    files_under(&root.join("src/site"), &["rs"], &mut rust);
    files_under(&root.join("src/serve"), &["rs"], &mut rust);
    out.extend(rust.into_iter().map(|p| (p, rust_literals as Scanner)));
    out
}

#[test]
fn no_reader_visible_text_is_a_literal_in_code() {
    let root = root();
    let mut problems = Vec::new();
    let mut still_failing = Vec::new();
    let files = scanned();
    assert!(files.len() > 30, "found only {} files to scan", files.len());
    for (path, find) in files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).expect("readable source");
        let found = find(&text);
        if TEMPORARILY_ALLOWED.iter().any(|(f, _)| *f == rel) {
            if !found.is_empty() {
                still_failing.push(rel);
            }
            continue;
        }
        for (line, literal) in found {
            problems.push(format!("{rel}:{line}: {literal}"));
        }
    }
    assert!(
        problems.is_empty(),
        "reader-visible text written in code (move it into themes/default/locales/*.toml):\n{}",
        problems.join("\n")
    );
    // A temporary entry whose file is clean (or gone) must go, so the list
    // only shrinks.
    let stale: Vec<&str> = TEMPORARILY_ALLOWED
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| !still_failing.iter().any(|s| s == f))
        .collect();
    assert!(
        stale.is_empty(),
        "clean or removed files still allowed, remove them: {stale:?}"
    );
}

mod scanner {
    use super::*;

    #[test]
    fn rust_string_literals_are_found_comments_and_tests_are_not() {
        let src = "// 註解\n/// 文件 /* 巢狀 */\nfn a() -> &'static str { \"起點\" }\nconst C: char = '不';\nconst U: &str = \"https://x\"; const V: &str = \"適用\";\n/* 區塊 /* 巢狀 */ 仍是註解 */\nconst R: &str = r#\"原始\"#;\n#[cfg(test)]\nmod tests { const T: &str = \"測試\"; fn f() { let s = \"}\"; } }\nconst AFTER: &str = \"之後\";\n";
        let found: Vec<String> = rust_literals(src)
            .into_iter()
            .map(|(l, s)| format!("{l}:{s}"))
            .collect();
        assert_eq!(found, ["3:起點", "4:不", "5:適用", "7:原始", "10:之後"]);
    }

    #[test]
    fn lifetimes_do_not_hide_literals() {
        let src = "fn f<'a>(x: &'a str) -> String { format!(\"{x}：\") }\n";
        assert_eq!(rust_literals(src), [(1, "：".to_owned())]);
    }

    #[test]
    fn js_literals_are_found_outside_comments() {
        let src = "// 說明\nvar a = \"期限\"; /* 註解 */ var b = '立即'; var c = `小時`;\nvar url = \"http://x\"; var d = \"週\";\n";
        let found: Vec<String> = js_literals(src)
            .into_iter()
            .map(|(l, s)| format!("{l}:{s}"))
            .collect();
        assert_eq!(found, ["2:期限", "2:立即", "2:小時", "3:週"]);
    }

    #[test]
    fn template_text_and_visible_attributes_are_found() {
        let src = "{% block body_class %}home{% endblock body_class %}{# 註解 is fine #}\n<h1>{{ t.title }}</h1>\n<p class=\"lead\">Hello {{ name }}</p>\n<img alt=\"QR code\" src=\"{{ root }}x.svg\">\n<a aria-label=\"{{ t.x }}\" href=\"#top\">&amp;{% if a > 0 %}{{ b }}{% endif %}</a>\n<span>立即</span>\n";
        let found: Vec<String> = template_literals(src)
            .into_iter()
            .map(|(l, s)| format!("{l}:{s}"))
            .collect();
        assert_eq!(found, ["3:Hello", "4:QR", "4:code", "6:立即"]);
    }

    #[test]
    fn planted_literals_in_real_files_are_found() {
        let root = root();
        let page =
            std::fs::read_to_string(root.join("themes/default/templates/index.html")).unwrap();
        assert!(template_literals(&page).is_empty());
        let planted = page.replacen("</h1>", " Incident</h1>", 1);
        assert_eq!(template_literals(&planted).len(), 1);
        let js = std::fs::read_to_string(root.join("themes/default/static/handbook.js")).unwrap();
        assert!(js_literals(&js).is_empty());
        assert_eq!(
            js_literals(&js.replacen("T(\"script.back\")", "\"上一步\"", 1)).len(),
            1
        );
        let rust = std::fs::read_to_string(root.join("src/site/pages/reference.rs")).unwrap();
        assert!(rust_literals(&rust).is_empty());
        let planted = rust.replacen("title(\"nav.levels\")?", "\"影響等級\".to_owned()", 1);
        assert_eq!(rust_literals(&planted).len(), 1);
    }
}

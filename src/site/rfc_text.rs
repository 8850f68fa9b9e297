//! Text in iCalendar (RFC 5545) and vCard (RFC 6350) files: escaping of
//! TEXT values and folding of content lines. The one implementation both
//! `.ics` writers (drill calendars, `handbook ics`) and the vCards use;
//! `handbook.js` mirrors it for the calculator's export.
//!
//! A value must never end a line: a CR or LF inside it would let policy text
//! start a new property. Line breaks become `\n` (CRLF, a bare CR and a bare
//! LF alike), other control characters are dropped (TEXT allows none but
//! tab), and backslash, semicolon and comma are escaped. Folding happens at
//! 75 octets and never splits a UTF-8 character; every line ends in CRLF.

/// Control characters that have no place in a content line (all C0 controls
/// but tab, and DEL).
fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && c != '\t') || c == '\u{7f}'
}

/// Escapes a TEXT value (RFC 5545 §3.3.11, RFC 6350 §3.4).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if is_forbidden_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line at 75 octets (a continuation's leading space
/// counts) without splitting a UTF-8 character, and ends it with CRLF.
/// Control characters that slipped through unescaped are dropped, so no
/// value can end the line early.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut count = 0;
    for c in line.chars().filter(|c| !is_forbidden_control(*c)) {
        let len = c.len_utf8();
        if count + len > 75 {
            out.push_str("\r\n ");
            count = 1;
        }
        out.push(c);
        count += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape_text("a\r\nb\rc\nd"), "a\\nb\\nc\\nd");
        assert_eq!(escape_text("x\u{0}\u{1b}y\tz\u{7f}"), "xy\tz");
    }

    #[test]
    fn folds_long_cjk_text_without_splitting_characters() {
        let line = format!("SUMMARY:{}", escape_text(&"資安事件，通報；".repeat(12)));
        let folded = fold_line(&line);
        assert!(folded.ends_with("\r\n"));
        let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(parts.len() > 3);
        for (i, part) in parts.iter().enumerate() {
            assert!(part.len() <= 75, "{part}");
            assert_eq!(i > 0, part.starts_with(' '));
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn no_value_can_end_a_line() {
        let folded = fold_line(&format!("NOTE:{}", escape_text("a\rb\nc\r\nd")));
        assert_eq!(folded, "NOTE:a\\nb\\nc\\nd\r\n");
        assert_eq!(fold_line("URL:x\ry\nz"), "URL:xyz\r\n");
        assert_eq!(folded.matches('\r').count(), 1);
    }
}

//! What a reader sees on an HTML page (text, with tags stripped, entities
//! decoded and whitespace normalised, plus the attributes that are shown or
//! read aloud) and where it links.

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

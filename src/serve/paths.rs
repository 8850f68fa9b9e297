//! Which file a request may have. The server answers only from the rendered
//! site (a map of relative paths), and this function is the one gate: it
//! decodes the URL once and refuses anything that could name something else.

/// Why a request path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a path we would ever produce: traversal, backslashes, NUL, bad
    /// percent-encoding, a drive letter, an empty segment.
    BadPath,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a request target (`/classify/n3.html?x#y`) to a site path
/// (`classify/n3.html`); folders map to their `index.html`.
pub fn site_path(target: &str) -> Result<String, Refusal> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/').ok_or(Refusal::BadPath)?;
    let decoded = percent_decode(rest).ok_or(Refusal::BadPath)?;
    if decoded.contains(['\\', '\0']) || decoded.chars().any(char::is_control) {
        return Err(Refusal::BadPath);
    }
    let is_folder = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut segments = Vec::new();
    if !trimmed.is_empty() {
        for seg in trimmed.split('/') {
            if seg.is_empty()
                || seg == "."
                || seg == ".."
                || seg.contains(':')
                || seg.starts_with('~')
            {
                return Err(Refusal::BadPath);
            }
            segments.push(seg);
        }
    }
    if is_folder {
        segments.push("index.html");
    }
    Ok(segments.join("/"))
}

/// The content type for a site path, with UTF-8 declared for text.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "ics" => "text/calendar; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_pages_and_folders() {
        assert_eq!(site_path("/").as_deref(), Ok("index.html"));
        assert_eq!(
            site_path("/classify/").as_deref(),
            Ok("classify/index.html")
        );
        assert_eq!(
            site_path("/classify/n3.html?x=1#a").as_deref(),
            Ok("classify/n3.html")
        );
        assert_eq!(
            site_path("/assets/%E8%B3%87.js").as_deref(),
            Ok("assets/資.js")
        );
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for bad in [
            "/../policy/levels.toml",
            "/assets/../../etc/passwd",
            "/%2e%2e/policy/levels.toml",
            "/%2E%2E%2Fpolicy%2Flevels.toml",
            "/..%2f..%2fetc%2fpasswd",
            "/assets/..\\..\\policy",
            "/assets/%5c..%5cpolicy",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/index.html%00.js",
            "/./index.html",
            "relative/path",
            "/%zz",
            "/~root/.ssh/id_rsa",
        ] {
            assert_eq!(site_path(bad), Err(Refusal::BadPath), "{bad}");
        }
    }
}

//! Tera's errors as diagnostics in the template files: syntax errors at
//! the line and column pest reports, other load errors where the template
//! names what is missing, render errors at the first occurrence of the
//! failing expression. It must never guess a position it cannot find: then
//! the diagnostic names the file only.

use std::collections::BTreeMap;
use std::path::Path;

use super::Theme;
use crate::diagnostics::{Diagnostic, Related, Rule};
use crate::policy::{FileId, SourceMap, Span};

/// Moves a diagnostic's spans from one source map into another, adding the
/// files it points into.
pub(super) fn relocate(mut d: Diagnostic, from: &SourceMap, to: &mut SourceMap) -> Diagnostic {
    let mut import = |span: &mut Span| {
        let file = from.get(span.file);
        span.file = match to.find(&file.path) {
            Some(id) if to.get(id).text == file.text => id,
            _ => to.add(file.path.clone(), file.text.clone()),
        };
    };
    if let Some(span) = d.span.as_mut() {
        import(span);
    }
    for Related { span, .. } in &mut d.related {
        import(span);
    }
    d
}

/// The messages of an error and its causes, outermost first.
fn chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

/// Texts between quotes (`'x'` or backticks) in a message, in order.
fn quoted(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(['\'', '`']) {
        let q = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        let Some(j) = after.find(q) else { break };
        out.push(&after[..j]);
        rest = &after[j + 1..];
    }
    out
}

/// Byte offset of a 1-based line and (character) column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// A load-time Tera error (syntax, a missing parent or macro file, a loop
/// of `extends`) as a diagnostic in the template it is about.
pub(super) fn load_error(
    e: &tera::Error,
    files: &BTreeMap<String, FileId>,
    sources: &SourceMap,
) -> Diagnostic {
    let messages = chain(e);
    let hint = "fix the template (the originals are in themes/default/templates/)";
    let template = messages
        .iter()
        .flat_map(|m| quoted(m))
        .find_map(|q| files.get_key_value(q));
    let Some((name, &file)) = template else {
        return Diagnostic::error(Rule::Template, messages.join(": ").replace('\n', " "))
            .hint(hint);
    };
    let text = &sources.get(file).text;
    // Syntax errors come from pest, whose message has ` --> line:col` and
    // `= expected ...` lines.
    let detail = messages.last().map(String::as_str).unwrap_or("");
    let position = detail.lines().find_map(|l| {
        let (line, col) = l.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((
            line.trim().parse::<usize>().ok()?,
            col.trim().parse::<usize>().ok()?,
        ))
    });
    if let Some((line, column)) = position {
        let expected = detail
            .lines()
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or("syntax error")
            .to_owned();
        let at = offset_of(text, line, column);
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        return Diagnostic::error(
            Rule::Template,
            format!("template syntax error in {name}: {expected}"),
        )
        .at(Span::new(file, at..end), expected)
        .hint(hint);
    }
    // Other load errors name another template (the missing parent or macro
    // file); point at where this one names it.
    let message = messages.join(": ").replace('\n', " ");
    let other = messages
        .iter()
        .flat_map(|m| quoted(m))
        .filter(|q| *q != name.as_str())
        .find_map(|q| text.find(&format!("\"{q}\"")).map(|i| i..i + q.len() + 2));
    match other {
        Some(range) => Diagnostic::error(Rule::Template, message)
            .at(Span::new(file, range), "named here")
            .hint(hint),
        None => Diagnostic::error(Rule::Template, message)
            .at(Span::new(file, 0..0), "in this template")
            .hint(hint),
    }
}

/// Is `offset` inside a `{{ }}` or `{% %}` tag of `text`?
fn in_tag(text: &str, offset: usize) -> bool {
    let before = &text[..offset];
    let open = before.rfind("{{").max(before.rfind("{%"));
    let close = before.rfind("}}").max(before.rfind("%}"));
    match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

impl Theme {
    /// A render-time Tera error as a diagnostic naming the template file and,
    /// where the failing expression can be found, pointing at it: as a span
    /// in the caller's source map when the theme was loaded with
    /// [`super::load_into`], else as a line and column in the message.
    pub fn render_error(&self, e: &tera::Error, page_template: &str) -> Diagnostic {
        let messages = chain(e);
        let message = messages.join(": ").replace('\n', " ");
        // Tera names the template the error happened in when it is a
        // parent, and the macro when it happened in one.
        let mut candidates: Vec<&str> = Vec::new();
        for m in &messages {
            if let Some(i) = m.find("(error happened in '") {
                if let Some(q) = quoted(&m[i..]).first() {
                    candidates.push(q);
                }
            }
            if let Some(i) = m.find("while rendering macro `") {
                let macro_name = quoted(&m[i..])
                    .first()
                    .and_then(|q| q.split("::").nth(1))
                    .unwrap_or("");
                let def = format!("macro {macro_name}(");
                candidates.extend(
                    self.files
                        .iter()
                        .filter(|(_, id)| self.sources.get(**id).text.contains(&def))
                        .map(|(n, _)| n.as_str()),
                );
            }
        }
        candidates.push(page_template);
        candidates.extend(self.files.keys().map(String::as_str));
        let needle = messages.iter().find_map(|m| {
            if let Some(rest) = m.strip_prefix("Variable `") {
                return rest.split('`').next().map(str::to_owned);
            }
            for (prefix, suffix) in [
                ("Function call '", "("),
                ("Filter call '", ""),
                ("Test call '", ""),
                ("Function '", "("),
                ("Filter '", ""),
                ("Test '", ""),
            ] {
                if let Some(rest) = m.strip_prefix(prefix) {
                    return rest.split('\'').next().map(|n| format!("{n}{suffix}"));
                }
            }
            // `Macro `ns::m` not found`, `Macro `m` is missing the argument`
            // (the namespace is found below), `Macro namespace `ns` was not
            // found`, `Template '[x.html]' not found` (an include).
            if let Some(rest) = m.strip_prefix("Macro namespace `") {
                return rest.split('`').next().map(|n| format!("{n}::"));
            }
            if let Some(rest) = m.strip_prefix("Macro `") {
                let name = rest.split('`').next()?;
                return Some(if name.contains("::") {
                    format!("{name}(")
                } else {
                    format!("::{name}(")
                });
            }
            if let Some(rest) = m.strip_prefix("Template '[") {
                return rest.split("]'").next().map(|n| format!("\"{n}\""));
            }
            None
        });
        let located = needle.as_deref().and_then(|needle| {
            candidates.iter().find_map(|name| {
                let id = *self.files.get(*name)?;
                let file = self.sources.get(id);
                let at = file
                    .text
                    .match_indices(needle)
                    .map(|(i, _)| i)
                    .find(|&i| in_tag(&file.text, i))?;
                // A needle that starts at `::` lacks its namespace: take in
                // the identifier before it.
                let start = if needle.starts_with("::") {
                    file.text[..at]
                        .char_indices()
                        .rev()
                        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
                        .last()
                        .map_or(at, |(i, _)| i)
                } else {
                    at
                };
                Some((*name, file, start, needle.len() + at - start))
            })
        });
        let hint = "fix the template named here (the originals are in themes/default/templates/)";
        match located {
            Some((name, _, at, len)) if self.in_caller.contains_key(name) => {
                Diagnostic::error(Rule::Template, message)
                    .at(Span::new(self.in_caller[name], at..at + len), "fails here")
                    .hint(hint)
            }
            Some((_, file, at, _)) => {
                let (line, column) = file.line_col(at);
                Diagnostic::error(
                    Rule::Template,
                    format!("{message} (line {line}, column {column})"),
                )
                .in_file(file.path.clone())
                .hint(hint)
            }
            None => {
                let path = candidates
                    .first()
                    .and_then(|n| self.files.get(*n))
                    .map(|id| self.sources.get(*id).path.clone())
                    .unwrap_or_else(|| Path::new("templates").join(page_template));
                Diagnostic::error(Rule::Template, message)
                    .in_file(path)
                    .hint(hint)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_lines_and_columns_count_characters() {
        assert_eq!(offset_of("ab\n資安x", 2, 3), 3 + 6);
        assert_eq!(quoted("a 'b' and `c`"), vec!["b", "c"]);
    }
}

//! A light lexer over Tera template text, for what Tera's AST cannot say:
//! where things are. It finds macro definitions, macro calls, `import`,
//! `include` and `extends` with their byte offsets, and calls of functions
//! that templates must not use.
//!
//! Tera has no recursion limit: a macro that calls itself (directly or
//! through others, or a template that includes itself) overflows the stack
//! and aborts the process. [`cycles`] finds every such loop before anything
//! is rendered, so it becomes a located diagnostic instead of a signal.
//! Tera's parser and renderer also recurse once per nesting level, per
//! operator of an expression and per call, so [`too_deep`] bounds those
//! before Tera sees the text, and [`call_depth`] bounds chains of calls; the
//! page renderer runs on threads whose stack fits the worst case these
//! limits allow. The lexer is linear and accepts any text. This module must
//! never render or read files.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A lexical token inside a `{{ }}` or `{% %}` tag, with its byte range in
/// the template.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    PathSep,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    range: Range<usize>,
}

/// One tag: `statement` for `{% %}`, expression otherwise.
#[derive(Debug)]
struct Tag {
    statement: bool,
    tokens: Vec<Token>,
}

/// Splits a template into its tags, skipping comments and `raw` blocks.
fn tags(text: &str) -> Vec<Tag> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_raw = false;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' || !matches!(bytes[i + 1], b'{' | b'%' | b'#') {
            i += 1;
            continue;
        }
        let open = bytes[i + 1];
        if open == b'#' {
            i = text[i + 2..]
                .find("#}")
                .map_or(bytes.len(), |j| i + 2 + j + 2);
            continue;
        }
        let close = if open == b'{' { b'}' } else { b'%' };
        let start = i + 2;
        let Some(end) = tag_end(bytes, start, close) else {
            break;
        };
        let tokens = lex(text, start, end);
        i = end + 2;
        let statement = open == b'%';
        let first = tokens.first().map(|t| &t.tok);
        if in_raw {
            if statement && first == Some(&Tok::Ident("endraw".into())) {
                in_raw = false;
            }
            continue;
        }
        if statement && first == Some(&Tok::Ident("raw".into())) {
            in_raw = true;
            continue;
        }
        out.push(Tag { statement, tokens });
    }
    out
}

/// The offset of the closing `}}` or `%}` of a tag, skipping strings.
fn tag_end(bytes: &[u8], mut i: usize, close: u8) -> Option<usize> {
    while i + 1 < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                i += 1;
            }
            c if c == close && bytes[i + 1] == b'}' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn lex(text: &str, start: usize, end: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(text[s..i].to_owned()),
                range: s..i,
            });
        } else if matches!(c, b'"' | b'\'' | b'`') {
            let s = i;
            i += 1;
            while i < end && bytes[i] != c {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Str(text[s + 1..i.min(end)].to_owned()),
                range: s..(i + 1).min(end),
            });
            i += 1;
        } else if c == b':' && i + 1 < end && bytes[i + 1] == b':' {
            out.push(Token {
                tok: Tok::PathSep,
                range: i..i + 2,
            });
            i += 2;
        } else if c.is_ascii_whitespace() || c == b'-' && (i == start || i + 1 == end) {
            i += 1;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(Token {
                tok: Tok::Punct(ch),
                range: i..i + ch.len_utf8(),
            });
            i += ch.len_utf8();
        }
    }
    out
}

/// Deepest nesting of `if`/`for`/`block`/`macro`/`filter` a template may
/// have. The bundled theme needs 6.
pub const MAX_NESTING: usize = 32;
/// Deepest nesting of brackets inside one tag.
pub const MAX_BRACKETS: usize = 32;
/// Most operators (`+`, `==`, `and`, `not` ...) in one tag; Tera evaluates
/// a chain of them recursively.
pub const MAX_OPERATORS: usize = 64;
/// Longest chain of macro calls, includes and extends.
pub const MAX_CALL_DEPTH: usize = 32;

/// A place where a template exceeds one of the limits above.
#[derive(Debug, Clone, PartialEq)]
pub struct TooDeep {
    pub range: Range<usize>,
    pub what: String,
}

const BLOCK_OPENERS: &[&str] = &["if", "for", "block", "macro", "filter"];
const BLOCK_CLOSERS: &[&str] = &["endif", "endfor", "endblock", "endmacro", "endfilter"];
const WORD_OPERATORS: &[&str] = &["and", "or", "not", "in", "is"];

/// The first place where `text` nests deeper or chains more operators than
/// Tera can take without exhausting the stack. Runs on any text, before
/// Tera parses it.
pub fn too_deep(text: &str) -> Option<TooDeep> {
    let mut nesting = 0usize;
    for tag in tags(text) {
        let t = &tag.tokens;
        let Some(first) = t.first() else { continue };
        let start = first.range.start;
        if tag.statement
            && let Tok::Ident(word) = &first.tok
        {
            if BLOCK_OPENERS.contains(&word.as_str()) {
                nesting += 1;
                if nesting > MAX_NESTING {
                    return Some(TooDeep {
                        range: first.range.clone(),
                        what: format!("blocks nested more than {MAX_NESTING} deep"),
                    });
                }
            } else if BLOCK_CLOSERS.contains(&word.as_str()) {
                nesting = nesting.saturating_sub(1);
            }
        }
        let (mut depth, mut operators) = (0usize, 0usize);
        let mut previous_punct = false;
        for (i, tok) in t.iter().enumerate() {
            let mut punct = false;
            match &tok.tok {
                Tok::Punct('(' | '[' | '{') => {
                    depth += 1;
                    if depth > MAX_BRACKETS {
                        return Some(TooDeep {
                            range: tok.range.clone(),
                            what: format!("brackets nested more than {MAX_BRACKETS} deep"),
                        });
                    }
                }
                Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
                Tok::Punct(c) if "+-*/%<>=!~".contains(*c) => {
                    punct = true;
                    // `==` or `<=` is one operator; a lone `=` names an
                    // argument.
                    let lone_equals = *c == '='
                        && !previous_punct
                        && t.get(i + 1).map(|n| &n.tok) != Some(&Tok::Punct('='));
                    if !previous_punct && !lone_equals {
                        operators += 1;
                    }
                }
                Tok::Ident(w) if i > 0 && WORD_OPERATORS.contains(&w.as_str()) => operators += 1,
                _ => {}
            }
            previous_punct = punct;
            if operators > MAX_OPERATORS {
                return Some(TooDeep {
                    range: start..tok.range.end,
                    what: format!("more than {MAX_OPERATORS} operators in one tag"),
                });
            }
        }
    }
    None
}

/// A node of the call graph: a template's top level, or one of its macros.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    pub template: String,
    pub macro_name: Option<String>,
}

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.macro_name {
            Some(m) => write!(f, "macro `{m}` of {}", self.template),
            None => write!(f, "template {}", self.template),
        }
    }
}

/// A call, include or extends from one node to another, where it is written.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: Node,
    pub to: Node,
    /// Byte range of the call in `from.template`.
    pub range: Range<usize>,
}

/// A use of something templates may not call (`get_env`).
#[derive(Debug, Clone)]
pub struct Forbidden {
    pub template: String,
    pub name: String,
    pub range: Range<usize>,
}

/// Functions a theme must not call: they read the environment of the
/// machine that builds, which would leak it into the public site.
pub const FORBIDDEN_FUNCTIONS: &[&str] = &["get_env"];

/// Everything the scan found in one set of templates.
#[derive(Debug, Default)]
pub struct Scan {
    pub edges: Vec<Edge>,
    pub forbidden: Vec<Forbidden>,
}

/// The `import "file" as ns` statements of one template: namespace → file.
fn imports(name: &str, tags: &[Tag]) -> BTreeMap<String, String> {
    let mut namespaces: BTreeMap<String, String> = BTreeMap::new();
    namespaces.insert("self".into(), name.to_owned());
    // Imports apply to the whole file, wherever they are written.
    for tag in tags.iter().filter(|t| t.statement) {
        if let [
            first,
            Token {
                tok: Tok::Str(path),
                ..
            },
            as_kw,
            Token {
                tok: Tok::Ident(ns),
                ..
            },
            ..,
        ] = tag.tokens.as_slice()
            && first.tok == Tok::Ident("import".into())
            && as_kw.tok == Tok::Ident("as".into())
        {
            namespaces.insert(ns.clone(), path.clone());
        }
    }
    namespaces
}

/// The names of the macros a template defines.
fn macro_names(tags: &[Tag]) -> impl Iterator<Item = &String> {
    tags.iter()
        .filter(|t| t.statement)
        .filter_map(|t| match t.tokens.as_slice() {
            [
                first,
                Token {
                    tok: Tok::Ident(m), ..
                },
                ..,
            ] if first.tok == Tok::Ident("macro".into()) => Some(m),
            _ => None,
        })
}

/// Scans every template (name → text).
///
/// Tera looks a macro's namespace up in the imports of the template being
/// rendered (the page, or the block's template), not of the file the
/// macro is written in: `m::x()` inside `macros.html` reaches whatever the
/// calling page imports as `m`, and `self::x()` the page's own macro `x` if
/// it has one. So a namespaced call is an edge to every template that could
/// answer it: the file's own import, every file any template imports under
/// that namespace, and for `self`, every template that defines the macro.
pub fn scan(templates: &BTreeMap<String, String>) -> Scan {
    let mut out = Scan::default();
    let lexed: Vec<(&String, Vec<Tag>)> = templates
        .iter()
        .map(|(name, text)| (name, tags(text)))
        .collect();
    let own: Vec<BTreeMap<String, String>> = lexed
        .iter()
        .map(|(name, tags)| imports(name, tags))
        .collect();
    let mut imported_as: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for namespaces in &own {
        for (ns, file) in namespaces.iter().filter(|(ns, _)| *ns != "self") {
            imported_as.entry(ns).or_default().insert(file);
        }
    }
    let mut defined_in: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, tags) in &lexed {
        for m in macro_names(tags) {
            defined_in.entry(m).or_default().insert(name);
        }
    }
    for ((name, tags), namespaces) in lexed.iter().zip(&own) {
        let mut current = Node {
            template: (*name).clone(),
            macro_name: None,
        };
        for tag in tags {
            let t = &tag.tokens;
            let first = t.first().map(|x| &x.tok);
            if tag.statement {
                match first {
                    Some(Tok::Ident(k)) if k == "macro" => {
                        if let Some(Token {
                            tok: Tok::Ident(m), ..
                        }) = t.get(1)
                        {
                            current.macro_name = Some(m.clone());
                        }
                    }
                    Some(Tok::Ident(k)) if k == "endmacro" => current.macro_name = None,
                    Some(Tok::Ident(k)) if k == "include" || k == "extends" => {
                        for tok in &t[1..] {
                            if let Tok::Str(path) = &tok.tok {
                                out.edges.push(Edge {
                                    from: current.clone(),
                                    to: Node {
                                        template: path.clone(),
                                        macro_name: None,
                                    },
                                    range: t[0].range.start..tok.range.end,
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
            for (i, tok) in t.iter().enumerate() {
                let Tok::Ident(word) = &tok.tok else { continue };
                let called = t.get(i + 1).map(|x| &x.tok) == Some(&Tok::Punct('('));
                let after_sep = i > 0 && t[i - 1].tok == Tok::PathSep;
                if called && !after_sep && FORBIDDEN_FUNCTIONS.contains(&word.as_str()) {
                    out.forbidden.push(Forbidden {
                        template: (*name).clone(),
                        name: word.clone(),
                        range: tok.range.clone(),
                    });
                }
                if let (
                    Some(sep),
                    Some(Token {
                        tok: Tok::Ident(m),
                        range,
                    }),
                    Some(paren),
                ) = (t.get(i + 1), t.get(i + 2), t.get(i + 3))
                    && sep.tok == Tok::PathSep
                    && paren.tok == Tok::Punct('(')
                    && !after_sep
                {
                    let mut targets: BTreeSet<&str> = BTreeSet::new();
                    targets.extend(namespaces.get(word).map(String::as_str));
                    targets.extend(imported_as.get(word.as_str()).into_iter().flatten());
                    if word == "self" {
                        targets.extend(defined_in.get(m.as_str()).into_iter().flatten());
                    }
                    for target in targets {
                        out.edges.push(Edge {
                            from: current.clone(),
                            to: Node {
                                template: target.to_owned(),
                                macro_name: Some(m.clone()),
                            },
                            range: tok.range.start..range.end,
                        });
                    }
                }
            }
        }
    }
    out
}

/// A loop in the call graph: the nodes in order, and the edge that closes
/// it (where the diagnostic points).
#[derive(Debug, Clone)]
pub struct Cycle {
    pub path: Vec<Node>,
    pub closing: Edge,
}

/// Every loop of calls, includes and extends, each reported once at the
/// call that closes it (a depth-first back edge), in a deterministic order.
pub fn cycles(edges: &[Edge]) -> Vec<Cycle> {
    let mut graph: BTreeMap<&Node, Vec<&Edge>> = BTreeMap::new();
    for e in edges {
        graph.entry(&e.from).or_default().push(e);
    }
    for list in graph.values_mut() {
        list.sort_by_key(|e| e.range.start);
    }
    let mut done: BTreeSet<&Node> = BTreeSet::new();
    let mut found = Vec::new();
    let starts: Vec<&Node> = graph.keys().copied().collect();
    for start in starts {
        if done.contains(start) {
            continue;
        }
        // Iterative depth-first search: templates are user input, so the
        // analysis itself must not recurse without bound.
        let mut stack: Vec<(&Node, usize)> = vec![(start, 0)];
        let mut on_stack: BTreeSet<&Node> = BTreeSet::from([start]);
        while let Some(&(node, next)) = stack.last() {
            let out = graph.get(node).map(Vec::as_slice).unwrap_or(&[]);
            let Some(edge) = out.get(next) else {
                on_stack.remove(node);
                done.insert(node);
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            let to = &edge.to;
            if on_stack.contains(to) {
                let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                found.push(Cycle {
                    path: stack[from..].iter().map(|(n, _)| (*n).clone()).collect(),
                    closing: (*edge).clone(),
                });
            } else if !done.contains(to) {
                on_stack.insert(to);
                stack.push((to, 0));
            }
        }
    }
    found
}

/// The first call that makes a chain of calls, includes and extends longer
/// than [`MAX_CALL_DEPTH`]. Only meaningful once [`cycles`] found none.
pub fn call_depth(edges: &[Edge]) -> Option<&Edge> {
    let mut nodes: BTreeSet<&Node> = BTreeSet::new();
    for e in edges {
        nodes.insert(&e.from);
        nodes.insert(&e.to);
    }
    // Longest path ending at each node, by relaxing every edge as many
    // times as there are nodes (the graph has no cycle, so this settles).
    let mut depth: BTreeMap<&Node, usize> = nodes.iter().map(|n| (*n, 0)).collect();
    for _ in 0..nodes.len().min(MAX_CALL_DEPTH + 1) {
        let mut changed = false;
        for e in edges {
            let d = depth.get(&e.from).copied().unwrap_or(0) + 1;
            if d > depth.get(&e.to).copied().unwrap_or(0) {
                depth.insert(&e.to, d);
                changed = true;
                if d > MAX_CALL_DEPTH {
                    return Some(e);
                }
            }
        }
        if !changed {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests;

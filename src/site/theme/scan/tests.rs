//! Unit tests of the template scan: loops, namespaces, limits.
use super::*;

fn scan_one(name: &str, text: &str) -> Scan {
    scan(&BTreeMap::from([(name.to_owned(), text.to_owned())]))
}

#[test]
fn finds_a_macro_calling_itself() {
    let text = "{% macro node(n) %}{{ self::node(n=n) }}{% endmacro node %}\n{{ self::node(n=1) }}";
    let s = scan_one("org.html", text);
    let c = cycles(&s.edges);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(&text[c[0].closing.range.clone()], "self::node");
    assert_eq!(c[0].path.len(), 1);
}

#[test]
fn finds_mutual_recursion_across_files() {
    let t = BTreeMap::from([
        (
            "a.html".to_owned(),
            "{% import \"b.html\" as b %}{% macro ping() %}{{ b::pong() }}{% endmacro %}"
                .to_owned(),
        ),
        (
            "b.html".to_owned(),
            "{% import \"a.html\" as a %}{% macro pong() %}{{ a::ping() }}{% endmacro %}"
                .to_owned(),
        ),
    ]);
    let c = cycles(&scan(&t).edges);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].path.len(), 2);
}

#[test]
fn namespaces_resolve_as_in_the_calling_page() {
    // macros.html imports nothing, yet `m::` and `self::` in its macros
    // reach the page's import and the page's own macro when a page
    // renders them.
    let t = BTreeMap::from([
        (
            "macros.html".to_owned(),
            "{% macro src() %}{{ self::b() }}{% endmacro %}{% macro loop() %}{{ m::loop() }}{% endmacro %}"
                .to_owned(),
        ),
        (
            "page.html".to_owned(),
            "{% import \"macros.html\" as m %}{% macro b() %}{{ m::src() }}{% endmacro %}{{ m::src() }}"
                .to_owned(),
        ),
    ]);
    let c = cycles(&scan(&t).edges);
    let loops: Vec<Vec<String>> = c
        .iter()
        .map(|c| {
            c.path
                .iter()
                .map(|n| format!("{}:{:?}", n.template, n.macro_name))
                .collect()
        })
        .collect();
    assert_eq!(c.len(), 2, "{loops:?}");
    assert!(
        loops.contains(&vec!["macros.html:Some(\"loop\")".to_owned()]),
        "{loops:?}"
    );
}

#[test]
fn finds_a_template_including_itself_and_ignores_strings_comments_raw() {
    let c = cycles(&scan_one("x.html", "a {% include \"x.html\" %}").edges);
    assert_eq!(c.len(), 1);
    let quiet = "{% macro m() %}{{ \"self::m()\" }}{# self::m() #}{% raw %}{{ self::m() }}{% endraw %}{% endmacro %}";
    assert!(cycles(&scan_one("y.html", quiet).edges).is_empty());
}

#[test]
fn calls_between_different_macros_are_fine_and_get_env_is_found() {
    let text = "{% macro a() %}{{ self::b() }}{% endmacro %}{% macro b() %}x{% endmacro %}{{ get_env(name=\"HOME\") }}";
    let s = scan_one("z.html", text);
    assert!(cycles(&s.edges).is_empty());
    assert_eq!(s.forbidden.len(), 1);
    assert_eq!(&text[s.forbidden[0].range.clone()], "get_env");
}

#[test]
fn nesting_and_operator_chains_are_bounded() {
    assert_eq!(
        too_deep(
            "{% if a %}{% for x in y %}{{ (a + b) * c == d and not e }}{% endfor %}{% endif %}"
        ),
        None
    );
    let ifs = format!("{}x{}", "{% if a %}".repeat(40), "{% endif %}".repeat(40));
    assert!(too_deep(&ifs).is_some_and(|d| d.what.contains("blocks")));
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(40), ")".repeat(40));
    assert!(too_deep(&parens).is_some_and(|d| d.what.contains("brackets")));
    let plus = format!("{{{{ 1{} }}}}", " + 1".repeat(65));
    assert!(too_deep(&plus).is_some_and(|d| d.what.contains("operators")));
    // Keyword arguments are not operators.
    let args = format!(
        "{{{{ m::x({}) }}}}",
        (0..80)
            .map(|i| format!("a{i}=1"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert_eq!(too_deep(&args), None);
}

#[test]
fn long_call_chains_are_bounded() {
    let text: String = (0..40)
        .map(|i| {
            format!(
                "{{% macro m{i}() %}}{{{{ self::m{}() }}}}{{% endmacro %}}",
                i + 1
            )
        })
        .collect();
    let s = scan_one("c.html", &text);
    assert!(cycles(&s.edges).is_empty());
    assert!(call_depth(&s.edges).is_some());
    let short: String = (0..5)
        .map(|i| {
            format!(
                "{{% macro m{i}() %}}{{{{ self::m{}() }}}}{{% endmacro %}}",
                i + 1
            )
        })
        .collect();
    assert!(call_depth(&scan_one("c.html", &short).edges).is_none());
}

//! Template mistakes a theme author makes, found in the acceptance audit of
//! issue 8: the real binary on a copy of the project with one template
//! overridden. Tera resolves a macro namespace in the *calling* template's
//! imports, so a macro that calls `m::itself()` without importing `m` still
//! recurses when a page that imports `macros.html as m` calls it; and render
//! errors other than a missing variable must point into the template too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the project (policy, content) in `tmp/site`, with
/// `templates/NAME` set to the bundled template changed by `edit`.
fn project_with(tmp: &Path, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let root = tmp.join("site");
    common::copy_dir(&manifest().join("policy"), &root.join("policy"));
    common::copy_dir(&manifest().join("content"), &root.join("content"));
    let bundled = std::fs::read_to_string(manifest().join("themes/default/templates").join(name))
        .expect("read bundled template");
    let changed = edit(&bundled);
    assert_ne!(changed, bundled, "the edit must change the template");
    std::fs::create_dir_all(root.join("templates")).expect("mkdir");
    std::fs::write(root.join("templates").join(name), changed).expect("write");
    root
}

/// `handbook build --root ROOT --out tmp/out`: (exit code, stderr). A
/// signal (a stack overflow aborts) fails the test.
fn build(root: &Path) -> (i32, String) {
    let out = root.parent().expect("tmp").join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("binary runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let Some(code) = o.status.code() else {
        panic!("killed by a signal ({:?}); stderr:\n{stderr}", o.status);
    };
    assert!(code == 0 || !out.exists(), "a failed build wrote {out:?}");
    (code, stderr)
}

const SRC_MACRO: &str = "<span class=\"src\">綱要 {{ s }}</span>";

#[test]
fn a_macro_calling_itself_through_the_callers_namespace_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    // macros.html does not import itself; the pages import it as `m`.
    let root = project_with(tmp.path(), "macros.html", |t| {
        t.replacen(
            SRC_MACRO,
            "<span class=\"src\">綱要 {{ m::src(s=s) }}</span>",
            1,
        )
    });
    let (code, err) = build(&root);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[template]"), "{err}");
    assert!(err.contains("--> templates/macros.html:2:"), "{err}");
    assert!(err.contains("recursive call"), "{err}");
}

#[test]
fn macros_calling_each_other_through_the_callers_namespace_are_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project_with(tmp.path(), "macros.html", |t| {
        let t = t.replacen(
            SRC_MACRO,
            "<span class=\"src\">{{ m::echo(s=s) }}</span>",
            1,
        );
        format!("{t}\n{{% macro echo(s) %}}{{{{ m::src(s=s) }}}}{{% endmacro echo %}}\n")
    });
    let (code, err) = build(&root);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("templates call each other in a loop"), "{err}");
    assert!(err.contains("--> templates/macros.html:"), "{err}");
}

#[test]
fn calls_to_a_different_macro_of_the_same_name_elsewhere_are_no_loop() {
    // A page macro named like one in macros.html, calling it: no loop.
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project_with(tmp.path(), "gaps.html", |t| {
        t.replacen(
            "{% block content %}",
            "{% macro src(s) %}[{{ m::src(s=s) }}]{% endmacro src %}\n{% block content %}{{ self::src(s=\"1\") }}",
            1,
        )
    });
    let (code, err) = build(&root);
    assert_eq!(code, 0, "{err}");
}

/// (the expression added to gaps.html, the text the diagnostic points at)
const RENDER_ERRORS: &[(&str, &str)] = &[
    ("{{ 1 | no_such_filter }}", "no_such_filter"),
    ("{{ no_such_function() }}", "no_such_function("),
    ("{{ m::no_such_macro() }}", "m::no_such_macro("),
    ("{{ m::src() }}", "m::src("),
    ("{% include \"no-such.html\" %}", "\"no-such.html\""),
];

#[test]
fn render_errors_point_at_the_failing_expression() {
    for (expr, at) in RENDER_ERRORS {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = project_with(tmp.path(), "gaps.html", |t| {
            t.replacen("<h1>", &format!("資料 {expr}\n<h1>"), 1)
        });
        let text = std::fs::read_to_string(root.join("templates/gaps.html")).expect("read");
        let (line, col) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find(at).map(|b| (i + 1, l[..b].chars().count() + 1)))
            .expect("expression is in the template");
        let (code, err) = build(&root);
        assert_eq!(code, 1, "{expr}: {err}");
        assert!(
            err.contains(&format!("--> templates/gaps.html:{line}:{col}")),
            "{expr}: expected templates/gaps.html:{line}:{col}\n{err}"
        );
        assert!(err.contains("fails here"), "{expr}: {err}");
    }
}

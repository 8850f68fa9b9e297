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

const SRC_MACRO: &str =
    "<span class=\"src\">{{ t.common.source | replace(from=\"{section}\", to=s) }}</span>";

#[test]
fn a_macro_calling_itself_through_the_callers_namespace_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    // macros.html does not import itself; the pages import it as `m`.
    let root = project_with(tmp.path(), "macros.html", |t| {
        t.replacen(
            SRC_MACRO,
            "<span class=\"src\">{{ m::src(t=t, s=s) }}</span>",
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
            "<span class=\"src\">{{ m::echo(t=t, s=s) }}</span>",
            1,
        );
        format!("{t}\n{{% macro echo(t, s) %}}{{{{ m::src(t=t, s=s) }}}}{{% endmacro echo %}}\n")
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
            "{% macro src(t, s) %}[{{ m::src(t=t, s=s) }}]{% endmacro src %}\n{% block content %}{{ self::src(t=t, s=\"1\") }}",
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

// ---- `check` refuses what `build` refuses -------------------------------
//
// Found in the audit: `check` said "policy ok" while `build` stopped on the
// theme, so CI (`check --deny-warnings`) and editors passed a project that
// could not be built. Both now report the same `site::check_project`.

/// `handbook check --root ROOT ARGS`: (exit code, stdout, stderr).
fn check(root: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["check", "--root"])
        .arg(root)
        .args(args)
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let Some(code) = o.status.code() else {
        panic!("killed by a signal ({:?}); stderr:\n{stderr}", o.status);
    };
    (code, stdout, stderr)
}

/// (rule, file, line, column) of every diagnostic of `check --format json`,
/// after checking its error and warning counts agree with the list.
fn json_diagnostics(stdout: &str) -> Vec<(String, String, u64, u64)> {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("check --format json");
    let list = v["diagnostics"].as_array().expect("diagnostics");
    let count = |severity: &str| list.iter().filter(|d| d["severity"] == severity).count();
    assert_eq!(
        v["errors"].as_u64(),
        Some(count("error") as u64),
        "{stdout}"
    );
    assert_eq!(
        v["warnings"].as_u64(),
        Some(count("warning") as u64),
        "{stdout}"
    );
    list.iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["file"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

/// Line and column (in characters, 1-based) of the first `at` in the
/// project's `templates/NAME`.
fn position(root: &Path, name: &str, at: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(root.join("templates").join(name)).expect("read");
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find(at)
                .map(|b| (i as u64 + 1, l[..b].chars().count() as u64 + 1))
        })
        .expect("the text is in the template")
}

/// A template problem found before rendering: (what, template, edit, the
/// text the diagnostic points at, words of the message).
struct LoadProblem {
    what: &'static str,
    template: &'static str,
    edit: fn(&str) -> String,
    at: &'static str,
    message: &'static str,
}

const LOAD_PROBLEMS: &[LoadProblem] = &[
    LoadProblem {
        what: "a parse error",
        template: "flow.html",
        edit: |t| t.replacen("<h1>", "<p>{{ rows | length + }}</p>\n<h1>", 1),
        at: "}}</p>",
        message: "template syntax error in flow.html",
    },
    LoadProblem {
        what: "a macro calling itself",
        template: "macros.html",
        edit: |t| {
            t.replacen(
                SRC_MACRO,
                "<span class=\"src\">綱要 {{ m::src(s=s) }}</span>",
                1,
            )
        },
        at: "m::src(s=s)",
        message: "calls itself",
    },
    LoadProblem {
        what: "get_env",
        template: "gaps.html",
        edit: |t| {
            t.replacen(
                "<h1>",
                "{{ get_env(name=\"HOME\", default=\"\") }}\n<h1>",
                1,
            )
        },
        at: "get_env",
        message: "`get_env` is not available in templates",
    },
];

#[test]
fn check_reports_the_template_problems_build_refuses_in_every_format() {
    for p in LOAD_PROBLEMS {
        let what = p.what;
        let tmp = tempfile::tempdir().expect("tmp");
        let root = project_with(tmp.path(), p.template, p.edit);
        let file = format!("templates/{}", p.template);
        let (line, column) = position(&root, p.template, p.at);
        let location = format!("--> {file}:{line}:{column}");

        let (code, _, err) = check(&root, &[]);
        assert_eq!(code, 1, "{what}: {err}");
        assert!(err.contains("error[template]"), "{what}: {err}");
        assert!(err.contains(p.message), "{what}: {err}");
        assert!(
            err.contains(&location),
            "{what}: expected {location}\n{err}"
        );
        assert!(err.contains("1 error, 0 warnings"), "{what}: {err}");
        assert!(!err.contains("policy ok"), "{what}: {err}");

        let (code, out, err) = check(&root, &["--format", "json"]);
        assert_eq!(code, 1, "{what}: {err}");
        assert_eq!(
            json_diagnostics(&out),
            vec![("template".to_owned(), file.clone(), line, column)],
            "{what}"
        );

        let (code, out, _) = check(&root, &["--format", "github", "--deny-warnings"]);
        assert_eq!(code, 1, "{what}");
        assert!(
            out.starts_with(&format!(
                "::error file={file},line={line},col={column},title=template::"
            )),
            "{what}: {out}"
        );
        let (code, out, _) = check(&root, &["--format", "sarif"]);
        assert_eq!(code, 1, "{what}");
        let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif");
        let result = &sarif["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "template", "{what}: {out}");
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], file.as_str(), "{what}");
        assert_eq!(physical["region"]["startLine"], line, "{what}");
        assert_eq!(physical["region"]["startColumn"], column, "{what}");

        // `build` stops with the very same report.
        let (code, build_err) = build(&root);
        assert_eq!(code, 1, "{what}: {build_err}");
        assert!(
            build_err.starts_with(&err),
            "{what}: check said\n{err}\nbuild said\n{build_err}"
        );
    }
}

#[test]
fn the_bundled_project_checks_clean_with_its_theme() {
    let (code, _, err) = check(manifest(), &["--deny-warnings"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no errors, no warnings"), "{err}");
    let (code, out, _) = check(manifest(), &["--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json_diagnostics(&out), Vec::new());
}

#[test]
fn a_broken_policy_and_a_broken_template_are_both_reported_once() {
    // The theme does not depend on the policy, so its problem is reported
    // too; nothing is rendered, so no render error follows from either.
    let tmp = tempfile::tempdir().expect("tmp");
    let p = &LOAD_PROBLEMS[0];
    let root = project_with(tmp.path(), p.template, p.edit);
    let levels = root.join("policy/levels.toml");
    let text = std::fs::read_to_string(&levels).expect("read");
    std::fs::write(
        &levels,
        text.replacen("[[level]]\n", "[[level]]\ncolour = \"red\"\n", 1),
    )
    .expect("write");
    let (line, column) = position(&root, p.template, p.at);
    let (code, out, err) = check(&root, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let key_line = text
        .lines()
        .position(|l| l == "[[level]]")
        .expect("a level") as u64
        + 2;
    assert_eq!(
        json_diagnostics(&out),
        vec![
            (
                "schema".to_owned(),
                "policy/levels.toml".to_owned(),
                key_line,
                1
            ),
            (
                "template".to_owned(),
                format!("templates/{}", p.template),
                line,
                column
            ),
        ]
    );
    let (code, err) = build(&root);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("error[").count(), 2, "{err}");
}

#[cfg(unix)]
#[test]
fn check_refuses_theme_files_linked_out_of_the_project() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = project_with(tmp.path(), "gaps.html", |t| format!("{t}\n"));
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "/* not part of the project */").expect("write");
    for link in ["static/style.css", "templates/flow.html"] {
        let path = root.join(link);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(&outside, &path).expect("symlink");
        let (code, out, err) = check(&root, &["--format", "json"]);
        assert_eq!(code, 1, "{link}: {err}");
        assert_eq!(
            json_diagnostics(&out),
            vec![("io".to_owned(), link.to_owned(), 0, 0)],
            "{link}"
        );
        assert!(out.contains("leads outside the project"), "{link}: {out}");
        let (code, build_err) = build(&root);
        assert_eq!(code, 1, "{link}: {build_err}");
        assert!(
            build_err.contains(&format!("error[io]: cannot read {link}")),
            "{build_err}"
        );
        std::fs::remove_file(&path).expect("rm");
    }
}

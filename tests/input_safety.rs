//! No crash, no hang, no leak from any input: the real binary on projects
//! with hostile or broken files. Templates that recurse, FIFOs and devices
//! where files belong, unreadable folders, symlinks out of the project,
//! `get_env`, script links in chapters, line breaks in calendar and card
//! text. Every case must end with a located error and an exit code, never a
//! signal, a hang or a leak into the site.

mod common;
use common::small_site;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use incident_handbook::site::rfc_text::{escape_text, fold_line};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Runs the binary with a deadline: a hang is a test failure, not a stuck
/// test run. The pipes are drained on their own threads, so a long report
/// cannot block the child on a full pipe.
fn run(args: &[&std::ffi::OsStr], envs: &[(&str, &str)]) -> Output {
    use std::io::Read as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            let err = stderr.join().unwrap_or_default();
            panic!(
                "handbook {args:?} hung; stderr so far:\n{}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// `handbook build --root ROOT --out OUT`: (exit code, stderr with the temp
/// folder replaced by `[ROOT]`). A signal has no exit code and fails here.
fn build(root: &Path, out: &Path, envs: &[(&str, &str)]) -> (i32, String) {
    let o = run(
        &[
            "build".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        envs,
    );
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let Some(code) = o.status.code() else {
        panic!("killed by a signal ({:?}); stderr:\n{stderr}", o.status);
    };
    let tmp = root.parent().expect("tmp").to_string_lossy().into_owned();
    (code, stderr.replace(&tmp, "[ROOT]"))
}

fn check(root: &Path) -> (i32, String) {
    let o = run(
        &["check".as_ref(), "--root".as_ref(), root.as_os_str()],
        &[],
    );
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let Some(code) = o.status.code() else {
        panic!("killed by a signal ({:?}); stderr:\n{stderr}", o.status);
    };
    (code, stderr)
}

/// Every file under `dir`, as (relative path, bytes).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("ls") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

// ---- templates ---------------------------------------------------------

const RECURSIVE_ORG: &str = r#"{% extends "base.html" %}
{% macro node(n) %}
<li>{{ n.name }}<ul>{{ self::node(n=n) }}</ul></li>
{% endmacro node %}
{% block content %}<ul>{{ self::node(n=outline) }}</ul>{% endblock content %}
"#;

#[test]
fn a_recursive_template_macro_is_a_located_error_not_a_crash() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    write(&root.join("templates/org.html"), RECURSIVE_ORG);
    let out = tmp.path().join("out");
    let (code, err) = build(&root, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[template]: macro `node` of org.html calls itself"),
        "{err}"
    );
    assert!(err.contains("--> templates/org.html:3:24"), "{err}");
    assert!(err.contains("recursive call"), "{err}");
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn macros_calling_each_other_are_found_across_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let bundled = std::fs::read_to_string(manifest().join("themes/default/templates/macros.html"))
        .expect("read");
    write(
        &root.join("templates/macros.html"),
        &format!(
            "{bundled}\n{{% macro ping(n) %}}{{{{ self::pong(n=n) }}}}{{% endmacro ping %}}\n{{% macro pong(n) %}}{{{{ self::ping(n=n) }}}}{{% endmacro pong %}}\n"
        ),
    );
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("templates call each other in a loop"), "{err}");
    assert!(err.contains("--> templates/macros.html:"), "{err}");
}

#[test]
fn a_template_syntax_error_shows_file_line_column_and_snippet() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    write(
        &root.join("templates/flow.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>流程</h1>\n<p>{{ rows | length + }}</p>\n{% endblock content %}\n",
    );
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("template_parse_error", err);
}

#[test]
fn a_render_error_names_the_template_and_the_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    write(
        &root.join("templates/flow.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>流程</h1>\n<p>{{ no_such_thing.name }}</p>\n{% endblock content %}\n",
    );
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[template]"), "{err}");
    assert!(err.contains("no_such_thing.name"), "{err}");
    assert!(err.contains("--> templates/flow.html:4:7"), "{err}");
    assert!(err.contains("fails here"), "{err}");
}

#[test]
fn templates_cannot_read_the_environment() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let secret = "s3cr3t-from-the-build-machine";
    let env = [("HANDBOOK_TEST_SECRET", secret)];
    // A clean build with the variable set: it reaches no file.
    let out = tmp.path().join("out");
    let (code, err) = build(&root, &out, &env);
    assert_eq!(code, 0, "{err}");
    let leaked: Vec<String> = files(&out)
        .into_iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains(secret))
        .map(|(p, _)| p)
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    // A theme that asks for it gets a located error instead.
    write(
        &root.join("templates/flow.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ get_env(name=\"HANDBOOK_TEST_SECRET\", default=\"\") }}</p>\n{% endblock content %}\n",
    );
    let out2 = tmp.path().join("out2");
    let (code, err) = build(&root, &out2, &env);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`get_env` is not available"), "{err}");
    assert!(err.contains("--> templates/flow.html:3:7"), "{err}");
    assert!(!err.contains(secret), "{err}");
    assert!(!out2.exists());
}

// ---- files that are not files -----------------------------------------

#[cfg(unix)]
#[test]
fn a_policy_file_linked_to_dev_zero_or_a_fifo_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let levels = root.join("policy/levels.toml");
    std::fs::remove_file(&levels).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &levels).expect("symlink");
    let (code, err) = check(&root);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("levels.toml"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");

    std::fs::remove_file(&levels).expect("rm");
    let made = Command::new("mkfifo")
        .arg(&levels)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (code, err) = check(&root);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a FIFO"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_fifo_chapter_or_template_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let fifo = root.join("content/pipe.md");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[io]: cannot read content/pipe.md: not a regular file"),
        "{err}"
    );
    std::fs::remove_file(&fifo).expect("rm");

    std::fs::create_dir_all(root.join("templates")).expect("mkdir");
    std::os::unix::fs::symlink("/dev/zero", root.join("templates/flow.html")).expect("symlink");
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("templates/flow.html"), "{err}");
}

/// Whether this process can still read a file after `chmod 000` (it runs as
/// root, as in CI containers): then permissions cannot be tested.
#[cfg(unix)]
fn permissions_bind_us(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    let probe = dir.join("probe");
    std::fs::write(&probe, "x").expect("write");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let blocked = std::fs::read(&probe).is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::remove_file(&probe).expect("rm");
    blocked
}

#[cfg(unix)]
#[test]
fn an_unreadable_content_folder_or_chapter_is_an_error_with_its_path() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().expect("tmp");
    if !permissions_bind_us(tmp.path()) {
        eprintln!("skipped: running as root, chmod 000 does not stop reads");
        return;
    }
    let root = small_site(tmp.path());
    let sub = root.join("content/part");
    write(&sub.join("third.md"), "+++\ntitle = \"三\"\n+++\n文字\n");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[io]: cannot read content/part"), "{err}");

    let chapter = sub.join("third.md");
    std::fs::set_permissions(&chapter, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    std::fs::set_permissions(&chapter, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[io]: cannot read content/part/third.md"),
        "{err}"
    );
    std::fs::remove_dir_all(&sub).expect("rm");

    // An unreadable templates/ folder is not silently replaced by the
    // bundled theme.
    let templates = root.join("templates");
    write(&templates.join("flow.html"), "{% extends \"base.html\" %}");
    std::fs::set_permissions(&templates, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    std::fs::set_permissions(&templates, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[io]: cannot read templates/"), "{err}");
}

// ---- symlinks ------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_refused_and_inside_ones_work() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let outside = tmp.path().join("outside");
    let marker = "OUTSIDE-THE-PROJECT-7f3a";
    write(&outside.join("style.css"), &format!("/* {marker} */"));
    write(
        &outside.join("leak.md"),
        &format!("+++\ntitle = \"外\"\n+++\n{marker}\n"),
    );
    write(
        &outside.join("flow.html"),
        &format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{marker}{{% endblock content %}}"
        ),
    );
    let cases: [(&str, PathBuf); 4] = [
        ("static/style.css", outside.join("style.css")),
        ("themes/default/static/logic.js", outside.join("style.css")),
        ("templates/flow.html", outside.join("flow.html")),
        ("content/leak.md", outside.join("leak.md")),
    ];
    for (link, target) in &cases {
        let path = root.join(link);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        symlink(target, &path).expect("symlink");
        let out = tmp.path().join("out");
        let (code, err) = build(&root, &out, &[]);
        assert_eq!(code, 1, "{link}: {err}");
        assert!(err.contains(link), "{link}: {err}");
        assert!(err.contains("outside the project"), "{link}: {err}");
        assert!(!out.exists(), "{link}");
        std::fs::remove_file(&path).expect("rm");
    }
    // A linked folder leaving the project is refused too.
    symlink(&outside, root.join("content/linked")).expect("symlink");
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/linked is a symbolic link that leads outside the project"),
        "{err}"
    );
    std::fs::remove_file(root.join("content/linked")).expect("rm");

    // Links that stay inside the project are fine.
    write(&root.join("shared/style.css"), "/* shared inside */");
    std::fs::create_dir_all(root.join("static")).expect("mkdir");
    symlink(root.join("shared/style.css"), root.join("static/style.css")).expect("symlink");
    let out = tmp.path().join("out");
    let (code, err) = build(&root, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("assets/style.css")).expect("read"),
        "/* shared inside */"
    );
}

// ---- links in chapters --------------------------------------------------

#[test]
fn script_links_in_chapters_are_located_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    write(
        &root.join("content/links.md"),
        "+++\ntitle = \"連結\"\n+++\n\
         [按這裡](javascript:alert(1))\n\n\
         <JavaScript:alert(2)>\n\n\
         [參考][r]\n\n\
         ![圖](data:image/svg+xml,<svg></svg>)\n\n\
         [v](%20vbscript:x) [ok](https://example.org/) [w](< \u{1}VBScript:msgbox>)\n\n\
         [r]: <java&#9;script:alert(3)>\n",
    );
    let (code, err) = build(&root, &tmp.path().join("out"), &[]);
    assert_eq!(code, 1, "{err}");
    let found: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("--> content/links.md:"))
        .map(|l| l.trim().trim_start_matches("--> "))
        .collect();
    assert_eq!(
        found,
        vec![
            "content/links.md:4:1",
            "content/links.md:6:1",
            "content/links.md:8:1",
            "content/links.md:10:1",
            "content/links.md:12:47",
        ],
        "{err}"
    );
    assert_eq!(err.matches("error[content-link]").count(), 5, "{err}");
}

// ---- ICS and vCard text -------------------------------------------------

/// Every line ends in CRLF, no CR or LF appears anywhere else, and no line
/// is longer than 75 octets.
fn assert_content_lines(name: &str, text: &str) {
    assert!(text.ends_with("\r\n"), "{name}");
    for line in text[..text.len() - 2].split("\r\n") {
        assert!(
            !line.contains(['\r', '\n']),
            "{name}: bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{name}: {line}");
    }
}

#[test]
fn line_breaks_and_separators_in_policy_text_are_escaped_in_ics_and_vcard() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let hostile = r#"一\r二\n三\r\n四,五;六\\七"#;
    for (file, key) in [
        ("contacts.toml", "purpose = { zh-TW = \""),
        ("drills.toml", "name = { zh-TW = \""),
    ] {
        let path = root.join("policy").join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text.replace(key, &format!("{key}{hostile}"));
        std::fs::write(&path, text).expect("write");
    }
    let out = tmp.path().join("out");
    let (code, err) = build(&root, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let mut seen = 0;
    for (path, bytes) in files(&out) {
        if !(path.ends_with(".ics") || path.ends_with(".vcf")) {
            continue;
        }
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_content_lines(&path, &text);
        if text
            .replace("\r\n ", "")
            .contains("一\\n二\\n三\\n四\\,五\\;六\\\\七")
        {
            seen += 1;
        }
    }
    // Both drill calendars and every contact card carry the text.
    assert!(seen >= 4, "escaped text found in {seen} files");
}

#[test]
fn the_calculator_export_escapes_and_folds_like_the_rust_writers() {
    let js = std::fs::read_to_string(manifest().join("themes/default/static/handbook.js"))
        .expect("read");
    let grab = |name: &str| {
        let start = js.find(&format!("function {name}(")).expect(name);
        let end = js[start..].find("\n    }\n").expect("end") + start + 6;
        js[start..end].to_owned()
    };
    let inputs = [
        "a,b;c\\d\ne",
        "一\r二\n三\r\n四",
        "x\u{0}\u{1b}y\tz\u{7f}",
        &"資安事件，通報；".repeat(12),
        &"ab😀".repeat(30),
    ];
    let script = format!(
        "{}\n{}\n{}\nconst inputs = {};\nprocess.stdout.write(JSON.stringify(inputs.map(s => [icsEscape(s), fold('DESCRIPTION:' + icsEscape(s)), fold('URL:' + s)])));\n",
        grab("icsEscape"),
        grab("utf8Length"),
        grab("fold"),
        serde_json::to_string(&inputs).expect("json"),
    );
    let out = Command::new("node")
        .arg("-e")
        .arg(&script)
        .output()
        .expect("Node.js runs (this test needs `node` on PATH)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<[String; 3]> = serde_json::from_slice(&out.stdout).expect("json");
    let want: Vec<[String; 3]> = inputs
        .iter()
        .map(|s| {
            [
                escape_text(s),
                fold_line(&format!("DESCRIPTION:{}", escape_text(s))),
                fold_line(&format!("URL:{s}")),
            ]
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn serve_survives_a_recursive_template() {
    use std::io::Read as _;
    use std::sync::{Arc, Mutex};
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    write(&root.join("templates/org.html"), RECURSIVE_ORG);
    let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let seen = Arc::new(Mutex::new(String::new()));
    let pipes: Vec<Box<dyn std::io::Read + Send>> = vec![
        Box::new(child.stdout.take().expect("stdout")),
        Box::new(child.stderr.take().expect("stderr")),
    ];
    for mut pipe in pipes {
        let seen = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = seen.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
    }
    let start = Instant::now();
    let reported = loop {
        let text = seen.lock().map(|s| s.clone()).unwrap_or_default();
        if text.contains("calls itself") {
            break true;
        }
        if child.try_wait().expect("wait").is_some() || start.elapsed() > Duration::from_secs(30) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(500));
    let status = child.try_wait().expect("wait");
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(reported, "no diagnostic; output:\n{text}");
    assert!(
        status.is_none(),
        "serve ended ({status:?}); output:\n{text}"
    );
    assert!(text.contains("templates/org.html"), "{text}");
}

#[test]
fn deeply_nested_templates_are_located_errors_not_stack_overflows() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = small_site(tmp.path());
    let cases = [
        (
            format!("{{{{ {}1{} }}}}", "(".repeat(3000), ")".repeat(3000)),
            "brackets nested more than",
        ),
        (
            format!(
                "{}x{}",
                "{% if true %}".repeat(1000),
                "{% endif %}".repeat(1000)
            ),
            "blocks nested more than",
        ),
        (
            format!("{{{{ 1{} }}}}", " + 1".repeat(20000)),
            "operators in one tag",
        ),
    ];
    for (i, (body, what)) in cases.iter().enumerate() {
        write(
            &root.join("templates/flow.html"),
            &format!(
                "{{% extends \"base.html\" %}}\n{{% block content %}}\n{body}\n{{% endblock content %}}\n"
            ),
        );
        let (code, err) = build(&root, &tmp.path().join(format!("out{i}")), &[]);
        assert_eq!(code, 1, "{what}: {err}");
        assert!(err.contains(what), "{err}");
        assert!(err.contains("--> templates/flow.html:3:"), "{err}");
    }
}

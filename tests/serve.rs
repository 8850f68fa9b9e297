//! `handbook serve` driven as editors use it: the real binary on an
//! ephemeral port against a temporary copy of the bundled project, edited
//! while it runs.

mod common;
mod serve_support;
use serve_support::{
    Events, RootArg, Served, get, launch, request, start, start_with, status_json, wait_for_page,
    walk,
};

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn serves_the_site_safely_with_the_right_types() {
    let s = start();
    let (status, head, body) = get(s.port, "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    let page = String::from_utf8_lossy(&body);
    assert!(
        page.contains("<script src=\"/__handbook/reload.js\"></script>"),
        "reload script injected"
    );
    for (path, ty) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/logic.js", "text/javascript; charset=utf-8"),
        ("/contacts/hotline-qr.svg", "image/svg+xml"),
        ("/contacts/security-group.vcf", "text/vcard; charset=utf-8"),
        ("/classify/", "text/html; charset=utf-8"),
    ] {
        let (status, head, _) = get(s.port, path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("Content-Type: {ty}")),
            "{path}: {head}"
        );
    }
    let (status, head, _) = get(s.port, "/drills-2027.ics");
    assert!(status == 200 || status == 404, "{head}");
    let (status, _, body) = get(s.port, "/no-such-page.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));

    let secret = "[[level]]";
    for target in [
        "/../policy/levels.toml",
        "/../../etc/passwd",
        "/%2e%2e/policy/levels.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fpolicy%2flevels.toml",
        "/assets/..%2f..%2fpolicy/levels.toml",
        "/assets/..\\..\\policy\\levels.toml",
        "/assets/%5c..%5c..%5cpolicy%5clevels.toml",
        "//etc/passwd",
        "/%2f%2fetc%2fpasswd",
        "/C:/Windows/win.ini",
        "/index.html%00.js",
        "/%252e%252e/policy/levels.toml",
        "/./../policy/levels.toml",
        "/policy/levels.toml",
        "/assets/../index.html",
    ] {
        let (status, _, body) = get(s.port, target);
        assert!(status == 400 || status == 404, "{target} → {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains(secret),
            "{target} leaked a policy file"
        );
    }
    // No directory listings: a folder without index.html is a 404.
    let (status, _, _) = get(s.port, "/assets/");
    assert_eq!(status, 404);
}

#[test]
fn edits_reload_pages_and_broken_policy_keeps_the_last_good_site() {
    let s = start();
    let mut events = Events::open(s.port);

    // Edit one chapter: the page changes, a reload is sent, and only what
    // depends on the chapter is re-rendered.
    let chapter = s.root.join("content/first-hour.md");
    let text = std::fs::read_to_string(&chapter).expect("read");
    std::fs::write(&chapter, format!("{text}\n\n剛剛加上的一句話。\n")).expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    let (_, _, body) = get(s.port, "/chapters/first-hour.html");
    assert!(String::from_utf8_lossy(&body).contains("剛剛加上的一句話"));
    let st = status_json(s.port);
    let rendered = st["last"]["pages_rendered"].as_u64().unwrap_or(999);
    let reused = st["last"]["pages_reused"].as_u64().unwrap_or(0);
    assert!(
        rendered <= 3,
        "a body edit re-renders the chapter and the print page, not {rendered} pages: {st}"
    );
    assert!(reused >= 200, "{st}");

    // Break the policy: diagnostics go to open pages, the old site stays.
    let deadlines = s.root.join("policy/deadlines.toml");
    let good = std::fs::read_to_string(&deadlines).expect("read");
    std::fs::write(
        &deadlines,
        good.replacen("anchor = \"report\"", "anchor = \"reprot\"", 1),
    )
    .expect("write");
    let shown = events.wait_for("event: diagnostics", Duration::from_secs(10));
    assert!(shown.contains("unknown-reference"), "{shown}");
    assert!(shown.contains("policy/deadlines.toml:"), "{shown}");
    let (status, _, body) = get(s.port, "/chapters/first-hour.html");
    assert_eq!(status, 200);
    assert!(
        String::from_utf8_lossy(&body).contains("剛剛加上的一句話"),
        "last good page still served"
    );
    let st = status_json(s.port);
    assert_eq!(st["ok"], false);
    assert!(
        st["diagnostics"]
            .as_str()
            .is_some_and(|d| d.contains("reprot"))
    );
    // A page opened now gets the diagnostics at once.
    let mut late = Events::open(s.port);
    let again = late.wait_for("event: diagnostics", Duration::from_secs(5));
    assert!(again.contains("reprot"));

    // Fix it: everything recovers.
    std::fs::write(&deadlines, good).expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    let st = status_json(s.port);
    assert_eq!(st["ok"], true, "{st}");

    // Break a template: the same, with the template named.
    let template = s.root.join("themes/default/templates/levels.html");
    let good_template = std::fs::read_to_string(&template).expect("read");
    std::fs::write(
        &template,
        good_template.replacen("{% for l in levels %}", "{% for l in levels %}{% if %}", 1),
    )
    .expect("write");
    let shown = events.wait_for("event: diagnostics", Duration::from_secs(10));
    assert!(shown.contains("template"), "{shown}");
    assert!(shown.contains("levels.html"), "{shown}");
    // As `build` shows it: located, with the template line as the snippet.
    assert!(
        shown.contains("╭─[themes/default/templates/levels.html:"),
        "{shown}"
    );
    assert!(shown.contains("{% if %}"), "{shown}");
    let (status, _, _) = get(s.port, "/levels.html");
    assert_eq!(status, 200, "the last good levels page is still served");
    std::fs::write(&template, good_template).expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    assert_eq!(status_json(s.port)["ok"], true);

    // The server wrote nothing into the project.
    let mut names = Vec::new();
    for dir in ["policy", "content", "themes"] {
        for e in walk(&s.root.join(dir)) {
            names.push(e);
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut expected = Vec::new();
    for dir in ["policy", "content", "themes"] {
        for e in walk(&src.join(dir)) {
            expected.push(e);
        }
    }
    names.sort();
    expected.sort();
    assert_eq!(names, expected, "no new files in the project");
    assert!(
        !s.root.join("public").exists(),
        "serve does not write public/"
    );
}

#[test]
fn a_burst_of_saves_leads_to_few_rebuilds() {
    let s = start();
    let mut events = Events::open(s.port);
    let chapter = s.root.join("content/reporting.md");
    let text = std::fs::read_to_string(&chapter).expect("read");
    let start = Instant::now();
    for i in 0..100 {
        std::fs::write(&chapter, format!("{text}\n\n第 {i} 次存檔。\n")).expect("write");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(start.elapsed() < Duration::from_secs(3));
    events.wait_for("event: reload", Duration::from_secs(10));
    // The last save wins: its content is served once the last batch is done.
    let waited = Instant::now();
    loop {
        let (status, _, body) = get(s.port, "/chapters/reporting.html");
        assert_eq!(status, 200, "still serving during and after the burst");
        if String::from_utf8_lossy(&body).contains("第 99 次存檔") {
            break;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(15),
            "the last save never showed up: {}",
            status_json(s.port)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let st = status_json(s.port);
    assert_eq!(st["ok"], true, "{st}");
    let rebuilds = st["rebuilds"].as_u64().unwrap_or(0);
    assert!(
        (1..=60).contains(&rebuilds),
        "100 saves gave {rebuilds} rebuilds"
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut s = start();
    let (status, _, _) = get(s.port, "/");
    assert_eq!(status, 200);
    let pid = s.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let start = Instant::now();
    loop {
        if let Some(code) = s.child.try_wait().expect("wait") {
            assert_eq!(code.code(), Some(0), "Ctrl-C exits with 0");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "server did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        TcpStream::connect(("127.0.0.1", s.port)).is_err(),
        "port released"
    );
}

#[test]
fn a_project_that_does_not_build_yet_is_served_with_its_diagnostics() {
    let s = start_with(|root| {
        let levels = root.join("policy/levels.toml");
        let text = std::fs::read_to_string(&levels).expect("read");
        std::fs::write(&levels, text.replacen("level = 4", "level = 5", 1)).expect("write");
    });
    let st = status_json(s.port);
    assert_eq!(st["ok"], false);
    assert!(
        st["diagnostics"]
            .as_str()
            .is_some_and(|d| d.contains("policy/levels.toml:")),
        "{st}"
    );
    let (status, _, body) = get(s.port, "/");
    assert_eq!(status, 404, "no site yet");
    assert!(
        String::from_utf8_lossy(&body).contains("/__handbook/reload.js"),
        "the overlay script is there"
    );
    let mut events = Events::open(s.port);
    let levels = s.root.join("policy/levels.toml");
    let text = std::fs::read_to_string(&levels).expect("read");
    std::fs::write(&levels, text.replacen("level = 5", "level = 4", 1)).expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    let (status, _, _) = get(s.port, "/");
    assert_eq!(status, 200, "the fix brings the site up");
}

/// Two chapters of 500 KB, marked `print = true`, so the print page, which
/// has them in full, is about 1 MB.
fn add_long_chapters(root: &Path) {
    let line = "很長的章節內容，用來測試讀得很慢的用戶端不會拖慢別人。\n\n";
    for i in 0..2 {
        let body = format!(
            "+++\ntitle = \"很長的章節 {i}\"\nweight = {}\nslug = \"long-{i}\"\nprint = true\n+++\n\n{}",
            900 + i,
            line.repeat(500_000 / line.len())
        );
        std::fs::write(root.join(format!("content/long-{i}.md")), body).expect("write");
    }
}

/// Asks for the print page ten times in one go (pipelined, about 10 MB:
/// more than the socket buffers hold, so the server's writes stay pending)
/// and reads the answers at about 1 KB/s until the server goes away.
/// Returns once the first kilobyte has arrived.
fn slow_reader(port: u16) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let ask = "GET /print.html HTTP/1.1\r\nHost: localhost\r\n\r\n";
    s.write_all(ask.repeat(10).as_bytes()).expect("send");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut chunk = [0u8; 1024];
    s.read_exact(&mut chunk)
        .expect("an answer while other clients read slowly");
    let head = String::from_utf8_lossy(&chunk);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    std::thread::spawn(move || {
        while s.read_exact(&mut chunk).is_ok() {
            std::thread::sleep(Duration::from_secs(1));
        }
    });
}

/// Opens a reload stream and never reads from it.
fn stalled_subscriber(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .expect("send");
    s
}

/// Saves `chapter` with `marker` appended and waits for the reload: how long
/// the rebuild was delayed beyond its own work, and the rebuild's report.
fn edit_and_time_the_reload(
    s: &Served,
    events: &mut Events,
    chapter: &str,
    marker: &str,
) -> (Duration, serde_json::Value) {
    let path = s.root.join(chapter);
    let text = std::fs::read_to_string(&path).expect("read");
    let saved = Instant::now();
    std::fs::write(&path, format!("{text}\n\n{marker}\n")).expect("write");
    events.wait_for("event: reload", Duration::from_secs(20));
    let waited = saved.elapsed();
    let st = status_json(s.port);
    let own = Duration::from_secs_f64(st["last"]["elapsed_ms"].as_f64().unwrap_or(0.0) / 1000.0);
    (waited.saturating_sub(own), st)
}

#[test]
fn slow_readers_and_a_stalled_subscriber_delay_no_request_and_no_rebuild() {
    let s = start_with(add_long_chapters);
    let mut events = Events::open(s.port);
    // More slow readers than a small thread pool has threads, and a reload
    // subscriber that never reads (its stream fills up as events arrive).
    for _ in 0..8 {
        slow_reader(s.port);
    }
    let _stalled: Vec<TcpStream> = (0..4).map(|_| stalled_subscriber(s.port)).collect();
    std::thread::sleep(Duration::from_millis(300));

    let asked = Instant::now();
    let (status, _, body) = get(s.port, "/index.html");
    assert_eq!(status, 200);
    assert!(!body.is_empty());
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "a page took {:?} while slow clients were reading",
        asked.elapsed()
    );
    for i in 0..3 {
        let marker = format!("慢速用戶端在讀的時候第 {i} 次修改。");
        let (delay, st) =
            edit_and_time_the_reload(&s, &mut events, "content/first-hour.md", &marker);
        assert_eq!(st["ok"], true, "{st}");
        assert!(
            delay < Duration::from_secs(2),
            "the rebuild's reload came {delay:?} late: {st}"
        );
        let (status, _, body) = get(s.port, "/chapters/first-hour.html");
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&body).contains(&marker));
    }
}

#[test]
fn only_this_machine_may_name_the_server_in_host() {
    let s = start();
    let port = s.port;
    let ask = |target: &str, host: Option<&str>| {
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        request(
            port,
            &format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"),
        )
        .0
    };
    for host in [
        "localhost".to_owned(),
        format!("localhost:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(ask("/", Some(&host)), 200, "Host: {host}");
        assert_eq!(ask("/__handbook/status", Some(&host)), 200, "Host: {host}");
    }
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "localhost:1".to_owned(),
        format!("127.0.0.2:{port}"),
    ] {
        for target in [
            "/",
            "/index.html",
            "/__handbook/status",
            "/__handbook/events",
            "/__handbook/reload.js",
        ] {
            assert_eq!(ask(target, Some(&host)), 403, "Host: {host} {target}");
        }
    }
    let missing = ask("/", None);
    assert!(missing == 400 || missing == 403, "no Host gave {missing}");
    // An absolute-form target names the host too.
    let (status, _, _) = request(
        port,
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403);
    let (status, _, _) = request(
        port,
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert!(status == 400 || status == 403, "two Hosts gave {status}");
}

#[test]
fn oversized_request_heads_are_refused() {
    let s = start();
    let refused = |raw: String, what: &str| {
        let (status, head, _) = request(s.port, &raw);
        assert!(
            status == 431 || status == 0,
            "{what}: expected 431 or a closed connection, got {head}"
        );
    };
    refused(
        format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
            "a".repeat(256 * 1024)
        ),
        "a 256 KB header",
    );
    refused(
        format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\n{}Connection: close\r\n\r\n",
            (0..300)
                .map(|i| format!("X-H{i}: v\r\n"))
                .collect::<String>()
        ),
        "300 headers",
    );
    refused(
        format!(
            "GET /{} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "a".repeat(256 * 1024)
        ),
        "a 256 KB request line",
    );
    let (status, _, _) = get(s.port, "/");
    assert_eq!(status, 200, "still serving");
}

/// Edits a template and a theme stylesheet of the project served with
/// `root_arg` and checks that a connected page is reloaded with both.
fn theme_edits_reach_open_pages(root_arg: RootArg) {
    let s = launch(|_| {}, root_arg);
    let mut events = Events::open(s.port);
    let template = s.root.join("themes/default/templates/levels.html");
    let text = std::fs::read_to_string(&template).expect("read");
    let marker = "<p id=\"served-marker\">模板修改已生效</p>";
    std::fs::write(
        &template,
        text.replacen(
            "{% for l in levels %}",
            &format!("{marker}{{% for l in levels %}}"),
            1,
        ),
    )
    .expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    let (status, _, body) = get(s.port, "/levels.html");
    assert_eq!(status, 200);
    assert!(
        String::from_utf8_lossy(&body).contains(marker),
        "the template edit is served: {}",
        status_json(s.port)
    );
    let st = status_json(s.port);
    assert!(
        st["last"]["changed"].to_string().contains("levels.html"),
        "{st}"
    );

    let style = s.root.join("themes/default/static/style.css");
    let css = std::fs::read_to_string(&style).expect("read");
    std::fs::write(
        &style,
        format!("{css}\n#served-marker {{ color: teal; }}\n"),
    )
    .expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    let (_, _, body) = get(s.port, "/assets/style.css");
    assert!(String::from_utf8_lossy(&body).contains("#served-marker"));
}

#[test]
fn template_edits_reload_pages_under_root_dot() {
    theme_edits_reach_open_pages(RootArg::Dot);
}

#[test]
fn template_edits_reload_pages_under_a_relative_root() {
    theme_edits_reach_open_pages(RootArg::Relative);
}

#[test]
fn template_edits_reload_pages_through_a_symlinked_root() {
    theme_edits_reach_open_pages(RootArg::Symlink);
}

#[test]
fn folders_created_after_the_start_are_watched() {
    let s = start();
    let mut events = Events::open(s.port);
    // A project-level template override: `templates/` did not exist.
    assert!(!s.root.join("templates").exists());
    let bundled =
        std::fs::read_to_string(s.root.join("themes/default/templates/levels.html")).expect("read");
    std::fs::create_dir(s.root.join("templates")).expect("mkdir");
    let marker = "<p id=\"override-marker\">專案自己的模板</p>";
    std::fs::write(
        s.root.join("templates/levels.html"),
        bundled.replacen(
            "{% for l in levels %}",
            &format!("{marker}{{% for l in levels %}}"),
            1,
        ),
    )
    .expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    wait_for_page(&s, "/levels.html", marker);

    // A chapter in a new folder two levels deep, written after the folders
    // were seen, then edited again.
    std::fs::create_dir_all(s.root.join("content/later/deeper")).expect("mkdir");
    std::thread::sleep(Duration::from_millis(300));
    let chapter = s.root.join("content/later/deeper/late.md");
    let front = "+++\ntitle = \"後來加的章節\"\nweight = 900\nslug = \"late-chapter\"\n+++\n\n";
    std::fs::write(&chapter, format!("{front}第一版內容。\n")).expect("write");
    wait_for_page(&s, "/chapters/late-chapter.html", "第一版內容");
    std::fs::write(&chapter, format!("{front}第二版內容。\n")).expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    wait_for_page(&s, "/chapters/late-chapter.html", "第二版內容");
}

#[test]
fn five_hundred_reload_subscribers_and_page_requests_are_served() {
    let s = start();
    let mut subscribers: Vec<Events> = (0..500).map(|_| Events::open(s.port)).collect();
    for _ in 0..20 {
        let (status, _, _) = get(s.port, "/index.html");
        assert_eq!(status, 200, "a page while 500 reload streams are open");
    }
    let chapter = s.root.join("content/reporting.md");
    let text = std::fs::read_to_string(&chapter).expect("read");
    std::fs::write(&chapter, format!("{text}\n\n五百個頁面同時開著。\n")).expect("write");
    for (i, e) in subscribers.iter_mut().enumerate() {
        let _ = i;
        e.wait_for("event: reload", Duration::from_secs(10));
    }
    let (status, _, body) = get(s.port, "/chapters/reporting.html");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("五百個頁面同時開著"));
}

#[test]
fn a_save_that_crashes_the_build_is_reported_and_the_server_goes_on() {
    let s = start();
    let mut events = Events::open(s.port);
    // A diagnostic far right on a very long line has made the diagnostics
    // renderer panic; whatever the pipeline does with it, `serve` must
    // report the save and keep rebuilding.
    let chapter = s.root.join("content/first-hour.md");
    let good = std::fs::read_to_string(&chapter).expect("read");
    let long_line = format!("{} {{{{ nope() }}}}\n", "a".repeat(70_000));
    std::fs::write(&chapter, format!("{good}\n\n{long_line}")).expect("write");
    let shown = events.wait_for("event: diagnostics", Duration::from_secs(10));
    assert!(!shown.trim().is_empty(), "the failure is described");
    let (status, _, _) = get(s.port, "/chapters/first-hour.html");
    assert_eq!(status, 200, "the last good page is still served");
    assert_eq!(status_json(s.port)["ok"], false);

    std::fs::write(&chapter, format!("{good}\n\n修好了。\n")).expect("write");
    events.wait_for("event: reload", Duration::from_secs(10));
    wait_for_page(&s, "/chapters/first-hour.html", "修好了");
    assert_eq!(status_json(s.port)["ok"], true);
}

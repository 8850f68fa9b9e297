//! `cargo bench --bench serve`: time from saving one chapter to the reload
//! event reaching an open page (over the real SSE connection), on the bundled
//! handbook and on a synthetic 1,000-chapter site. Target: under 50 ms for
//! the bundled handbook; the README records the figures.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use incident_handbook::serve::{self, ServeOptions};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls") {
        let p = e.expect("entry").path();
        let target = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).expect("copy");
        }
    }
}

fn measure(name: &str, root: &Path, chapter: &Path) {
    let server = serve::start(
        &ServeOptions {
            root: root.to_path_buf(),
            bind: "127.0.0.1".parse().expect("ip"),
            port: 0,
        },
        Box::new(|_| {}),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    write!(
        stream,
        "GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .expect("send");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut events = BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        events.read_line(&mut line).expect("read");
    }
    let original = std::fs::read_to_string(chapter).expect("read");
    let mut times = Vec::new();
    for i in 0..25 {
        std::thread::sleep(Duration::from_millis(150));
        let start = Instant::now();
        std::fs::write(chapter, format!("{original}\n\n第 {i} 次修改。\n")).expect("write");
        loop {
            line.clear();
            events.read_line(&mut line).expect("event");
            if line.starts_with("event: reload") {
                break;
            }
            assert!(
                !line.starts_with("event: diagnostics"),
                "{name}: rebuild failed"
            );
        }
        if i >= 5 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    println!(
        "{name:<40} save → reload median {:>7.1} ms   p95 {:>7.1} ms   ({} saves)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() * 95 / 100].as_secs_f64() * 1e3,
        times.len()
    );
    server.stop();
}

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = std::env::temp_dir().join(format!("handbook-serve-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);

    let bundled = tmp.join("bundled");
    for dir in ["policy", "content", "themes"] {
        copy_dir(&src.join(dir), &bundled.join(dir));
    }
    measure(
        "bundled handbook",
        &bundled,
        &bundled.join("content/first-hour.md"),
    );

    let synthetic = tmp.join("synthetic");
    copy_dir(&src.join("policy"), &synthetic.join("policy"));
    std::fs::create_dir_all(synthetic.join("content")).expect("mkdir");
    for i in 0..1000 {
        let body = format!(
            "+++\ntitle = \"合成章節 {i}\"\nweight = {i}\nslug = \"page-{i}\"\n+++\n\n## 第 {i} 章\n\n發現事件後{{{{ within(event=\"report\", level=3) }}}}通報，{{{{ unit(id=\"competent-authority\") }}}}審核時限為{{{{ within(event=\"review\", level=2) }}}}。\n\n{}\n",
            "資安事件的通報與應變需要清楚的分工與時限。".repeat(20)
        );
        std::fs::write(synthetic.join(format!("content/page-{i:04}.md")), body).expect("write");
    }
    measure(
        "synthetic site (1,000 chapters)",
        &synthetic,
        &synthetic.join("content/page-0500.md"),
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

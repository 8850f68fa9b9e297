//! The harness of `tests/serve.rs`: the real `serve` binary on an ephemeral
//! port against a temporary copy of the bundled project, and plain
//! `TcpStream` clients for pages and reload events.

#![allow(dead_code)] // not every helper is used by every test

use crate::common::copy_dir;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Served {
    pub child: Child,
    pub port: u16,
    pub root: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start() -> Served {
    start_with(|_| {})
}

/// How the test names the project to `serve`: spellings of
/// `--root` that must behave the same.
#[derive(Clone, Copy)]
pub enum RootArg {
    /// `--root /tmp/…/project`.
    Absolute,
    /// `--root .`, run inside the project (the default editors use).
    Dot,
    /// `--root project`, run beside it.
    Relative,
    /// `--root link`, run beside it, where `link` is a symlink to the project.
    Symlink,
}

/// Starts `serve` on a copy of the bundled project, changed by `prepare`
/// before the server sees it.
pub fn start_with(prepare: impl FnOnce(&Path)) -> Served {
    launch(prepare, RootArg::Absolute)
}

pub fn launch(prepare: impl FnOnce(&Path), root_arg: RootArg) -> Served {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("project");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["policy", "content", "themes"] {
        copy_dir(&src.join(dir), &root.join(dir));
    }
    prepare(&root);
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbook"));
    command.args(["serve", "--port", "0", "--root"]);
    match root_arg {
        RootArg::Absolute => {
            command.arg(&root);
        }
        RootArg::Dot => {
            command.arg(".").current_dir(&root);
        }
        RootArg::Relative => {
            command.arg("project").current_dir(tmp.path());
        }
        RootArg::Symlink => {
            symlink_dir(&root, &tmp.path().join("link"));
            command.arg("link").current_dir(tmp.path());
        }
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Served {
        child,
        port,
        root,
        _tmp: tmp,
    }
}

#[cfg(unix)]
pub fn symlink_dir(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(windows)]
pub fn symlink_dir(target: &Path, link: &Path) {
    std::os::windows::fs::symlink_dir(target, link).expect("symlink");
}

/// A raw GET: (status, headers, body). The target is sent exactly as given.
pub fn get(port: u16, target: &str) -> (u16, String, Vec<u8>) {
    request(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `raw` as it is and reads the whole answer: (status, headers,
/// body); status 0 when the server closed the connection without one.
pub fn request(port: u16, raw: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    // A server that refuses a request may close before reading all of it.
    let _ = s.write_all(raw.as_bytes());
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

pub fn status_json(port: u16) -> serde_json::Value {
    let (_, _, body) = get(port, "/__handbook/status");
    serde_json::from_slice(&body).expect("status json")
}

/// A subscriber to the reload events.
pub struct Events(BufReader<TcpStream>);

impl Events {
    pub fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            s,
            "GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .expect("send");
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let mut e = Events(BufReader::new(s));
        e.wait_for(": connected", Duration::from_secs(10));
        e
    }

    /// Reads until a line starting with `prefix`; returns the event's text.
    pub fn wait_for(&mut self, prefix: &str, limit: Duration) -> String {
        let start = Instant::now();
        let mut seen = String::new();
        while start.elapsed() < limit {
            let mut line = String::new();
            match self.0.read_line(&mut line) {
                Ok(0) => panic!("event stream closed; saw {seen}"),
                Ok(_) => {
                    seen.push_str(&line);
                    if line.starts_with(prefix) {
                        // Collect the data lines of this event.
                        let mut data = String::new();
                        loop {
                            let mut l = String::new();
                            match self.0.read_line(&mut l) {
                                Ok(n) if n > 0 && l.trim_end().is_empty() => break,
                                Ok(n) if n > 0 => {
                                    data.push_str(l.strip_prefix("data: ").unwrap_or(&l))
                                }
                                _ => break,
                            }
                        }
                        return data;
                    }
                }
                Err(_) => {}
            }
        }
        panic!("no `{prefix}` within {limit:?}; saw:\n{seen}");
    }
}

pub fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("ls") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p).into_iter().map(|x| {
                format!(
                    "{}/{x}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                )
            }));
        } else {
            out.push(
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out
}

/// Polls `target` until its body contains `text`.
pub fn wait_for_page(s: &Served, target: &str, text: &str) {
    let start = Instant::now();
    loop {
        let (status, _, body) = get(s.port, target);
        if status == 200 && String::from_utf8_lossy(&body).contains(text) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{target} never showed {text:?}: {}",
            status_json(s.port)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

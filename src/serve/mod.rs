//! Stage 5: `handbook serve`, a live preview for policy editors.
//!
//! The server renders the site into memory and answers from that map only
//! (see [`paths`]); a watcher rebuilds on every saved change to `policy/`,
//! `content/` and the theme, re-rendering only pages whose data changed (the
//! [`RenderCache`]), and open pages reload through Server-Sent Events. A
//! change that breaks the policy, a chapter or a template keeps the last good
//! site and shows the diagnostics on every open page and in the terminal.
//! The server never writes a file: not into the project, not into `public/`.

pub mod paths;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::diagnostics;
use crate::site::cache::{RenderCache, RenderStats};
use crate::site::{self, BuildError, Files, theme};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// What the last rebuild did, for the terminal, `/__handbook/status` and tests.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    pub changed: Vec<String>,
    pub stats: RenderStats,
    pub elapsed: Duration,
    pub ok: bool,
}

/// The site as served: the last good files, and the problems of the latest
/// attempt (None when it succeeded).
#[derive(Default)]
struct SiteState {
    files: Arc<Files>,
    problems: Option<String>,
    generation: u64,
    rebuilds: u64,
    last: Rebuild,
}

type Subscribers = Arc<Mutex<Vec<Box<dyn Write + Send>>>>;

/// Rebuilds with what it kept from the last time.
struct Builder {
    root: PathBuf,
    year: i32,
    theme: Option<theme::Theme>,
    cache: RenderCache,
}

impl Builder {
    /// Renders the site; on failure returns the diagnostics as `check`
    /// prints them.
    fn build(&mut self, theme_changed: bool) -> Result<(Files, RenderStats), String> {
        if theme_changed || self.theme.is_none() {
            self.cache.clear();
            self.theme = None;
            match theme::load(&self.root) {
                Ok(t) => self.theme = Some(t),
                Err(d) => return Err(diagnostics::render_human(&[*d], &Default::default())),
            }
        }
        let prepared = match site::prepare(&self.root) {
            Ok(p) => p,
            Err(BuildError::Diagnostics {
                diagnostics: ds,
                sources,
            }) => {
                return Err(diagnostics::render_human(&ds, &sources));
            }
            Err(BuildError::Load(e)) => return Err(format!("error: {e}\n")),
            Err(BuildError::Write { path, error }) => {
                return Err(format!("error: {}: {error}\n", path.display()));
            }
        };
        let Some(theme) = &self.theme else {
            return Err("error: no theme".into());
        };
        site::pages::render_all(theme, &prepared, self.year, Some(&mut self.cache))
            .map_err(|d| diagnostics::render_human(&[*d], &prepared.sources))
    }
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    state: Arc<RwLock<SiteState>>,
    stop: Arc<AtomicBool>,
    http: Arc<tiny_http::Server>,
    threads: Vec<std::thread::JoinHandle<()>>,
    _watcher: notify::RecommendedWatcher,
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Number of rebuilds after the first build.
    pub fn rebuilds(&self) -> u64 {
        self.state.read().map(|s| s.rebuilds).unwrap_or(0)
    }

    /// Stops serving and watching, and waits for the threads.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.http.unblock();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    Bind(String),
    Watch(notify::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind(e) => write!(f, "cannot listen: {e}"),
            ServeError::Watch(e) => write!(f, "cannot watch the project: {e}"),
        }
    }
}

/// Builds once, then serves and watches until [`Server::stop`]. `log`
/// receives one line per rebuild (and the diagnostics of failed ones).
pub fn start(
    opts: &ServeOptions,
    log: Box<dyn Fn(&str) + Send + Sync>,
) -> Result<Server, ServeError> {
    let mut builder = Builder {
        root: opts.root.clone(),
        year: site::default_year(),
        theme: None,
        cache: RenderCache::default(),
    };
    let started = Instant::now();
    // A project that does not build yet is still served: every page shows
    // the diagnostics, and the first good save brings the site up. Editors
    // start `serve` to fix things, so refusing to start would not help.
    let first = builder.build(true);
    let (files, problems) = match first {
        Ok((files, stats)) => {
            log(&format!(
                "built {} pages in {:.1} ms",
                stats.pages_rendered,
                started.elapsed().as_secs_f64() * 1000.0
            ));
            (files, None)
        }
        Err(text) => {
            log(&format!(
                "{text}no site yet: fix the problems above; the page reloads when it builds"
            ));
            (Files::new(), Some(text))
        }
    };
    let state = Arc::new(RwLock::new(SiteState {
        files: Arc::new(files),
        problems,
        ..SiteState::default()
    }));
    let http = Arc::new(
        tiny_http::Server::http(SocketAddr::new(opts.bind, opts.port))
            .map_err(|e| ServeError::Bind(e.to_string()))?,
    );
    let addr = http
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind("not an IP address".into()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let subscribers: Subscribers = Arc::new(Mutex::new(Vec::new()));

    let (changes, watcher) = watch::watch(&opts.root).map_err(ServeError::Watch)?;
    let mut threads = Vec::new();
    {
        let (state, stop, subscribers, root) = (
            state.clone(),
            stop.clone(),
            subscribers.clone(),
            opts.root.clone(),
        );
        threads.push(std::thread::spawn(move || {
            while let Some(batch) = watch::next_batch(&changes, &stop) {
                let theme_changed = batch.iter().any(|p| is_theme(&root, p));
                let changed: Vec<String> = batch
                    .iter()
                    .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                    .collect();
                let start = Instant::now();
                let result = builder.build(theme_changed);
                let elapsed = start.elapsed();
                let Ok(mut s) = state.write() else { break };
                s.rebuilds += 1;
                match result {
                    Ok((files, stats)) => {
                        s.files = Arc::new(files);
                        s.problems = None;
                        s.generation += 1;
                        s.last = Rebuild {
                            changed: changed.clone(),
                            stats,
                            elapsed,
                            ok: true,
                        };
                        drop(s);
                        broadcast(&subscribers, "reload", "");
                        log(&format!(
                            "rebuilt in {:.1} ms: {} pages rendered, {} reused ({})",
                            elapsed.as_secs_f64() * 1000.0,
                            stats.pages_rendered,
                            stats.pages_reused,
                            changed.join(", ")
                        ));
                    }
                    Err(text) => {
                        s.problems = Some(text.clone());
                        s.last = Rebuild {
                            changed: changed.clone(),
                            stats: RenderStats::default(),
                            elapsed,
                            ok: false,
                        };
                        drop(s);
                        broadcast(&subscribers, "diagnostics", &text);
                        log(&format!(
                            "{text}still serving the last good site ({})",
                            changed.join(", ")
                        ));
                    }
                }
            }
        }));
    }
    for _ in 0..4 {
        let (http, state, stop, subscribers) = (
            http.clone(),
            state.clone(),
            stop.clone(),
            subscribers.clone(),
        );
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match http.recv_timeout(Duration::from_millis(200)) {
                    Ok(Some(request)) => respond(request, &state, &subscribers),
                    Ok(None) => {}
                    Err(_) => break,
                }
            }
        }));
    }
    Ok(Server {
        addr,
        state,
        stop,
        http,
        threads,
        _watcher: watcher,
    })
}

fn is_theme(root: &Path, p: &Path) -> bool {
    ["themes", "templates", "static"]
        .iter()
        .any(|d| p.starts_with(root.join(d)))
}

fn broadcast(subscribers: &Subscribers, event: &str, data: &str) {
    let mut message = format!("event: {event}\n");
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    if data.is_empty() {
        message.push_str("data: \n");
    }
    message.push('\n');
    if let Ok(mut subs) = subscribers.lock() {
        subs.retain_mut(|w| {
            w.write_all(message.as_bytes())
                .and_then(|_| w.flush())
                .is_ok()
        });
    }
}

const RELOAD_JS: &str = include_str!("reload.js");

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn send(request: tiny_http::Request, status: u16, content_type: &str, body: Vec<u8>) {
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    for h in [
        header("Content-Type", content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .flatten()
    {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn inject_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = "<script src=\"/__handbook/reload.js\"></script>";
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}\n{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn respond(request: tiny_http::Request, state: &RwLock<SiteState>, subscribers: &Subscribers) {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return send(
            request,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        );
    }
    let url = request.url().to_owned();
    match url.split('?').next().unwrap_or("") {
        "/__handbook/reload.js" => {
            return send(
                request,
                200,
                "text/javascript; charset=utf-8",
                RELOAD_JS.as_bytes().to_vec(),
            );
        }
        "/__handbook/status" => {
            let body = state
                .read()
                .map(|s| {
                    json!({
                        "ok": s.problems.is_none(),
                        "diagnostics": s.problems,
                        "generation": s.generation,
                        "rebuilds": s.rebuilds,
                        "last": {
                            "ok": s.last.ok,
                            "changed": s.last.changed,
                            "pages_rendered": s.last.stats.pages_rendered,
                            "pages_reused": s.last.stats.pages_reused,
                            "elapsed_ms": s.last.elapsed.as_secs_f64() * 1000.0,
                        },
                    })
                    .to_string()
                })
                .unwrap_or_default();
            return send(
                request,
                200,
                "application/json; charset=utf-8",
                body.into_bytes(),
            );
        }
        "/__handbook/events" => {
            let problems = state.read().ok().and_then(|s| s.problems.clone());
            let mut writer = request.into_writer();
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
            let mut hello = String::from(": connected\n\n");
            if let Some(p) = problems {
                hello.push_str("event: diagnostics\n");
                for line in p.lines() {
                    hello.push_str("data: ");
                    hello.push_str(line);
                    hello.push('\n');
                }
                hello.push('\n');
            }
            if writer
                .write_all(head.as_bytes())
                .and_then(|_| writer.write_all(hello.as_bytes()))
                .and_then(|_| writer.flush())
                .is_ok()
                && let Ok(mut subs) = subscribers.lock()
            {
                subs.push(writer);
            }
            return;
        }
        _ => {}
    }
    let path = match paths::site_path(&url) {
        Ok(p) => p,
        Err(_) => {
            return send(
                request,
                400,
                "text/plain; charset=utf-8",
                b"bad request path\n".to_vec(),
            );
        }
    };
    let files = match state.read() {
        Ok(s) => s.files.clone(),
        Err(_) => {
            return send(
                request,
                500,
                "text/plain; charset=utf-8",
                b"server error\n".to_vec(),
            );
        }
    };
    match files.get(&path) {
        Some(bytes) if path.ends_with(".html") => send(
            request,
            200,
            paths::content_type(&path),
            inject_reload(bytes),
        ),
        Some(bytes) => send(request, 200, paths::content_type(&path), bytes.clone()),
        None => {
            let body = format!(
                "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>找不到頁面</title></head><body><h1>找不到頁面</h1><p>{} 不在手冊裡。<a href=\"/index.html\">回首頁</a></p></body></html>",
                crate::site::cards::html_escape(&path)
            );
            send(
                request,
                404,
                "text/html; charset=utf-8",
                inject_reload(body.as_bytes()),
            )
        }
    }
}

/// `handbook serve`: start, print the address, run until Ctrl-C.
pub fn run(opts: &ServeOptions, open: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let server = match start(opts, Box::new(|line| eprintln!("{line}"))) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return crate::commands::EXIT_USAGE;
        }
    };
    let url = format!("http://{}/", server.addr());
    let _ = writeln!(
        out,
        "serving {url} (watching policy/, content/ and the theme; Ctrl-C to stop)"
    );
    let _ = out.flush();
    if open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(windows) {
            "explorer"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .is_err()
    {
        let _ = writeln!(err, "warning: cannot catch Ctrl-C; stop with a signal");
    }
    let _ = rx.recv();
    server.stop();
    let _ = writeln!(out, "stopped");
    crate::commands::EXIT_OK
}

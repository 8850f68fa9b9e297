//! Stage 5: `handbook serve`, a live preview for policy editors.
//!
//! The server renders the site into memory and answers from that map only
//! (see [`paths`]); a watcher ([`watch`]) rebuilds on every saved change to
//! `policy/`, `content/`, `templates/`, `static/` and `themes/`, re-rendering
//! only pages whose data changed (the [`RenderCache`]), and open pages reload
//! through Server-Sent Events ([`http`]: hyper on tokio, one task per
//! connection). A change that breaks the policy, a chapter or a template
//! keeps the last good site and shows the diagnostics on every open page and
//! in the terminal.
//!
//! Threads: the rebuild loop is one plain thread (building is CPU work); it
//! swaps the site under a lock held only for the swap, and publishes each
//! outcome with one non-blocking send. The HTTP side never waits for it.
//! The server never writes a file: not into the project, not into `public/`.

mod http;
pub mod paths;
mod watch;

pub use http::host_allowed;
pub use watch::{ChangeKind, classify, is_temp_file};

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostics;
use crate::site::cache::{RenderCache, RenderStats};
use crate::site::{self, BuildError, Files};

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

/// Rebuilds with what it kept from the last time.
struct Builder {
    root: PathBuf,
    cache: RenderCache,
}

impl Builder {
    /// [`Builder::render`], surviving a panic anywhere in the pipeline: the
    /// server keeps the last good site and reports the failure like any
    /// other, instead of losing its rebuild thread (and so every later
    /// save). What was kept may be half-updated, so it is dropped.
    fn build(&mut self, theme_changed: bool) -> Result<(Files, RenderStats), String> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.render(theme_changed)))
        {
            Ok(result) => result,
            Err(payload) => {
                self.cache.clear();
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".into());
                Err(format!(
                    "error: internal error while building the site: {what}\n  help: this is a bug in handbook; the last save triggered it\n"
                ))
            }
        }
    }

    /// Renders the site; on failure returns the diagnostics as `check`
    /// prints them. `site::prepare` loads the theme each time, as `check`
    /// and `build` do, so the server reports the same template problems;
    /// pages rendered with a changed theme are not reused.
    fn render(&mut self, theme_changed: bool) -> Result<(Files, RenderStats), String> {
        if theme_changed {
            self.cache.clear();
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
        let year = site::current_year(prepared.ruleset.zone());
        site::pages::render_all(&prepared, year, Some(&mut self.cache))
            // Render errors point into the templates, whose texts
            // `load_into` put in the prepared sources.
            .map_err(|d| diagnostics::render_human(&[*d], &prepared.sources))
    }
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    state: Arc<RwLock<SiteState>>,
    stop: Arc<AtomicBool>,
    stop_http: tokio::sync::watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
    rebuilder: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Number of rebuilds after the first build.
    pub fn rebuilds(&self) -> u64 {
        self.state.read().map(|s| s.rebuilds).unwrap_or(0)
    }

    /// Stops serving and watching: closes the listener and every
    /// connection, and waits for the rebuild thread. Dropping the server
    /// does the same.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.stop_http.send(true);
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_millis(500));
        }
        if let Some(t) = self.rebuilder.take() {
            let _ = t.join();
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    Root(PathBuf, std::io::Error),
    Bind(String),
    Runtime(std::io::Error),
    Watch(notify::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Root(root, e) => {
                write!(f, "cannot open the project {}: {e}", root.display())
            }
            ServeError::Bind(e) => write!(f, "cannot listen: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server threads: {e}"),
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
    // One absolute, symlink-free root for building and for classifying the
    // watcher's paths, whatever `--root` looked like (`.`, relative, a link).
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| ServeError::Root(opts.root.clone(), e))?;
    // Listen first: a port in use is reported at once, not after a build.
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("handbook-serve")
        .enable_io()
        .enable_time()
        .build()
        .map_err(ServeError::Runtime)?;
    let listener = {
        let _context = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| ServeError::Bind(e.to_string()))?
    };
    // Watch before the first build, so a save during it is not lost.
    let watcher = watch::ProjectWatcher::start(&root).map_err(ServeError::Watch)?;
    let mut builder = Builder {
        root: root.clone(),
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
    let (events, events_rx) = tokio::sync::watch::channel(bytes::Bytes::new());
    let (stop_http, stop_rx) = tokio::sync::watch::channel(false);
    let app = Arc::new(http::App {
        state: state.clone(),
        events: events_rx,
        bound: addr,
    });
    runtime.spawn(http::serve(listener, app, stop_rx));

    let stop = Arc::new(AtomicBool::new(false));
    let rebuilder = {
        let (state, stop) = (state.clone(), stop.clone());
        std::thread::spawn(move || rebuild_loop(builder, watcher, &state, &events, &stop, &*log))
    };
    Ok(Server {
        addr,
        state,
        stop,
        stop_http,
        runtime: Some(runtime),
        rebuilder: Some(rebuilder),
    })
}

/// Rebuilds on every batch of changes and publishes the outcome. Publishing
/// is one non-blocking `watch` send: no subscriber can hold this loop up.
fn rebuild_loop(
    mut builder: Builder,
    mut watcher: watch::ProjectWatcher,
    state: &RwLock<SiteState>,
    events: &tokio::sync::watch::Sender<bytes::Bytes>,
    stop: &AtomicBool,
    log: &(dyn Fn(&str) + Send + Sync),
) {
    while let Some(batch) = watcher.next_batch(stop) {
        if batch.iter().any(watch::Change::is_input_folder)
            && let Err(e) = watcher.cover()
        {
            log(&format!("warning: cannot watch a new folder: {e}"));
        }
        let theme_changed = batch.iter().any(|c| c.kind.touches_theme());
        let changed: Vec<String> = batch.iter().map(|c| c.path.display().to_string()).collect();
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
                events.send_replace(http::sse_frame("reload", ""));
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
                events.send_replace(http::sse_frame("diagnostics", &text));
                log(&format!(
                    "{text}still serving the last good site ({})",
                    changed.join(", ")
                ));
            }
        }
    }
}

/// `handbook serve`: start, print the address, run until Ctrl-C. A server
/// that cannot start is the error; the CLI (`commands::serve`) turns it
/// into its message and exit code.
pub fn run(
    opts: &ServeOptions,
    open: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), ServeError> {
    // The handler first: the server answers as soon as it has started, and a
    // Ctrl-C after the first page must stop it cleanly, not kill it.
    let (tx, rx) = std::sync::mpsc::channel();
    if ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .is_err()
    {
        let _ = writeln!(err, "warning: cannot catch Ctrl-C; stop with a signal");
    }
    let server = start(opts, Box::new(|line| eprintln!("{line}")))?;
    let url = format!("http://{}/", server.addr());
    let _ = writeln!(
        out,
        "serving {url} (watching policy/, content/, templates/, static/ and themes/; Ctrl-C to stop)"
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
    let _ = rx.recv();
    server.stop();
    let _ = writeln!(out, "stopped");
    Ok(())
}

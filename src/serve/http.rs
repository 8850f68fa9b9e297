//! The HTTP side of `serve`: hyper on tokio, one task per connection, so a
//! slow or stalled client only ever holds its own task.
//!
//! Every request passes the Host check first ([`host_allowed`]: DNS
//! rebinding protection), then the path gate ([`super::paths`]), and is
//! answered from the in-memory site only. Reload events reach each
//! subscriber through its own task, which follows the latest event on a
//! `watch` channel and hands it to the connection through a small bounded
//! queue; a subscriber that does not keep up is dropped, and the rebuild
//! loop never waits for anyone.
//!
//! This module must never touch the file system.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Body, Frame, Incoming};
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{mpsc, watch};

use super::{SiteState, paths};

/// Largest request head (request line and headers) we buffer.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Most headers a request may have.
const MAX_HEADERS: usize = 64;
/// A client must send its request head within this time.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection whose writes make no progress for this long is closed: a
/// client that stopped reading only holds its own socket, and not forever.
const WRITE_STALL: Duration = Duration::from_secs(30);
/// Events queued for one reload subscriber; beyond that it is dropped.
const SUBSCRIBER_QUEUE: usize = 8;
/// A comment sent to idle subscribers, so closed connections are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

const RELOAD_JS: &str = include_str!("reload.js");

type ResponseBody = BoxBody<Bytes, Infallible>;

/// What every connection task shares.
pub(super) struct App {
    pub state: Arc<RwLock<SiteState>>,
    /// The latest reload event, as an SSE frame.
    pub events: watch::Receiver<Bytes>,
    /// The address we listen on, for the Host check.
    pub bound: SocketAddr,
}

/// Whether a request's Host names this server: `localhost`, `127.0.0.1`,
/// `[::1]` or the bound address, each with or without the bound port.
/// Anything else is how a page on another site reaches a local server after
/// its DNS name is rebound to 127.0.0.1, so it is refused.
pub fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => (&host[..=end], &host[end + 1..]),
            None => return false,
        }
    } else {
        match host.rfind(':') {
            Some(i) => (&host[..i], &host[i..]),
            None => (host, ""),
        }
    };
    let port_ok = port.is_empty() || port == format!(":{}", bound.port());
    let bound_name = match bound {
        SocketAddr::V4(a) => a.ip().to_string(),
        SocketAddr::V6(a) => format!("[{}]", a.ip()),
    };
    let name_ok = ["localhost", "127.0.0.1", "[::1]", bound_name.as_str()]
        .iter()
        .any(|allowed| name.eq_ignore_ascii_case(allowed));
    port_ok && name_ok
}

/// The Host a request names: the authority of an absolute-form target, else
/// the one Host header. `None` when missing, repeated or not text.
fn request_host(req: &Request<Incoming>) -> Option<String> {
    if let Some(authority) = req.uri().authority() {
        return Some(authority.as_str().to_owned());
    }
    let mut hosts = req.headers().get_all(HOST).iter();
    let host = hosts.next()?;
    if hosts.next().is_some() {
        return None;
    }
    host.to_str().ok().map(str::to_owned)
}

fn full(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(body.into()).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<ResponseBody> {
    full(status, "text/plain; charset=utf-8", text)
}

fn inject_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = "<script src=\"/__handbook/reload.js\"></script>";
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}\n{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// An SSE frame: `event: NAME` and one `data:` line per line of `data`.
pub fn sse_frame(event: &str, data: &str) -> Bytes {
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
    Bytes::from(message)
}

/// A response body fed by one subscriber's queue.
struct EventStream(mpsc::Receiver<Bytes>);

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|m| m.map(|b| Ok(Frame::data(b))))
    }
}

/// Feeds one subscriber's queue with every new event (the latest, when
/// several came while it was busy) and a heartbeat, until the connection
/// goes away. Never waits for the subscriber: one whose queue is full is
/// not reading, and is dropped (a page that was only slow reconnects).
async fn follow(mut events: watch::Receiver<Bytes>, tx: mpsc::Sender<Bytes>, heartbeat: Duration) {
    let mut beat = tokio::time::interval(heartbeat);
    beat.tick().await;
    loop {
        let frame = tokio::select! {
            changed = events.changed() => {
                if changed.is_err() {
                    break;
                }
                events.borrow_and_update().clone()
            }
            _ = beat.tick() => Bytes::from_static(b": ping\n\n"),
            _ = tx.closed() => break,
        };
        if tx.try_send(frame).is_err() {
            break;
        }
    }
}

impl App {
    fn status(&self) -> Response<ResponseBody> {
        let Ok(s) = self.state.read() else {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "server error\n");
        };
        let body = json!({
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
        .to_string();
        full(StatusCode::OK, "application/json; charset=utf-8", body)
    }

    /// Opens a reload stream. Must run inside the runtime (it spawns).
    fn subscribe(&self) -> Response<ResponseBody> {
        // Subscribe before reading the state: a rebuild in between then
        // shows up as a change, never as a lost event.
        let mut events = self.events.clone();
        events.mark_unchanged();
        let problems = self.state.read().ok().and_then(|s| s.problems.clone());
        let (tx, rx) = mpsc::channel(SUBSCRIBER_QUEUE);
        let mut hello = String::from(": connected\n\n");
        if let Some(p) = problems {
            hello.push_str(&String::from_utf8_lossy(&sse_frame("diagnostics", &p)));
        }
        if tx.try_send(Bytes::from(hello)).is_err() {
            return plain(StatusCode::SERVICE_UNAVAILABLE, "no reload stream\n");
        }
        tokio::spawn(follow(events, tx, HEARTBEAT));
        let mut response = Response::new(EventStream(rx).boxed());
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream; charset=utf-8"),
        );
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    fn page(&self, target: &str) -> Response<ResponseBody> {
        let Ok(path) = paths::site_path(target) else {
            return plain(StatusCode::BAD_REQUEST, "bad request path\n");
        };
        let files = match self.state.read() {
            Ok(s) => s.files.clone(),
            Err(_) => return plain(StatusCode::INTERNAL_SERVER_ERROR, "server error\n"),
        };
        match files.get(&path) {
            Some(bytes) if path.ends_with(".html") => full(
                StatusCode::OK,
                paths::content_type(&path),
                inject_reload(bytes),
            ),
            Some(bytes) => full(StatusCode::OK, paths::content_type(&path), bytes.clone()),
            None => {
                // The dev server's own page, for the editor previewing the
                // site (like the diagnostics overlay, in English as the CLI
                // is); a built site has no such page.
                let body = format!(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page not found</title></head><body><h1>Page not found</h1><p>{} is not part of the handbook. <a href=\"/index.html\">Home page</a></p></body></html>",
                    crate::site::cards::html_escape(&path)
                );
                full(
                    StatusCode::NOT_FOUND,
                    "text/html; charset=utf-8",
                    inject_reload(body.as_bytes()),
                )
            }
        }
    }

    pub(super) fn respond(&self, req: Request<Incoming>) -> Response<ResponseBody> {
        match request_host(&req) {
            None => return plain(StatusCode::BAD_REQUEST, "missing or repeated Host header\n"),
            Some(host) if !host_allowed(&host, self.bound) => {
                return plain(
                    StatusCode::FORBIDDEN,
                    "this server answers only to localhost\n",
                );
            }
            Some(_) => {}
        }
        if !matches!(*req.method(), Method::GET | Method::HEAD) {
            return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        }
        match req.uri().path() {
            "/__handbook/reload.js" => {
                full(StatusCode::OK, "text/javascript; charset=utf-8", RELOAD_JS)
            }
            "/__handbook/status" => self.status(),
            "/__handbook/events" => self.subscribe(),
            path => self.page(path),
        }
    }
}

/// Accepts connections until `stop` fires; each is served by its own task.
pub(super) async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    mut stop: watch::Receiver<bool>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        .title_case_headers(true);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a reset before accept: wait a
            // little instead of spinning, and keep serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let conn = http.serve_connection(
            hyper_util::rt::TokioIo::new(WriteDeadline::new(stream, WRITE_STALL)),
            hyper::service::service_fn(move |req| {
                let response = app.respond(req);
                async move { Ok::<_, Infallible>(response) }
            }),
        );
        tokio::spawn(conn);
    }
}

/// A socket whose writes fail once they have made no progress for `limit`.
struct WriteDeadline<T> {
    inner: T,
    limit: Duration,
    stall: Pin<Box<tokio::time::Sleep>>,
    armed: bool,
}

impl<T> WriteDeadline<T> {
    fn new(inner: T, limit: Duration) -> Self {
        WriteDeadline {
            inner,
            limit,
            stall: Box::pin(tokio::time::sleep(limit)),
            armed: false,
        }
    }

    /// Turns a write that is still pending into an error once stalled.
    fn check<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.armed = false;
            return poll;
        }
        if !self.armed {
            self.armed = true;
            let deadline = tokio::time::Instant::now() + self.limit;
            self.stall.as_mut().reset(deadline);
        }
        match self.stall.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteDeadline<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.check(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.check(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.check(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_check_allows_only_this_machine() {
        let v4: SocketAddr = "127.0.0.1:4000".parse().expect("addr");
        let lan: SocketAddr = "192.168.1.20:4000".parse().expect("addr");
        let v6: SocketAddr = "[::1]:4000".parse().expect("addr");
        let cases: &[(&str, SocketAddr, bool)] = &[
            ("localhost", v4, true),
            ("localhost:4000", v4, true),
            ("LocalHost:4000", v4, true),
            ("127.0.0.1", v4, true),
            ("127.0.0.1:4000", v4, true),
            ("[::1]", v4, true),
            ("[::1]:4000", v4, true),
            ("[::1]:4000", v6, true),
            ("192.168.1.20:4000", lan, true),
            ("192.168.1.20", lan, true),
            ("localhost:4000", lan, true),
            // Foreign names, rebinding tricks and wrong ports.
            ("evil.example", v4, false),
            ("evil.example:4000", v4, false),
            ("localhost.evil.example", v4, false),
            ("localhost:4001", v4, false),
            ("127.0.0.1:80", v4, false),
            ("127.0.0.2:4000", v4, false),
            ("192.168.1.20:4000", v4, false),
            ("[::1", v4, false),
            ("[::1]4000", v4, false),
            ("[::2]:4000", v6, false),
            ("localhost:", v4, false),
            ("localhost:4000:4000", v4, false),
            ("", v4, false),
        ];
        for (host, bound, expected) in cases {
            assert_eq!(host_allowed(host, *bound), *expected, "{host} on {bound}");
        }
    }

    #[test]
    fn a_write_that_makes_no_progress_fails_after_the_limit() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            let client = tokio::net::TcpStream::connect(addr).await.expect("connect");
            // The peer is accepted and then never read from.
            let (_peer, _) = listener.accept().await.expect("accept");
            let limit = Duration::from_millis(200);
            let mut guarded = WriteDeadline::new(client, limit);
            let chunk = vec![0u8; 64 * 1024];
            let started = std::time::Instant::now();
            let mut written = 0usize;
            let error = loop {
                let poll = std::future::poll_fn(|cx| Pin::new(&mut guarded).poll_write(cx, &chunk));
                match tokio::time::timeout(Duration::from_secs(20), poll).await {
                    Ok(Ok(n)) => written += n,
                    Ok(Err(e)) => break e,
                    Err(_) => panic!("write neither progressed nor failed"),
                }
            };
            assert_eq!(error.kind(), io::ErrorKind::TimedOut);
            assert!(written > 0, "the buffers took something first");
            assert!(started.elapsed() >= limit);
        });
    }

    #[test]
    fn a_subscriber_that_does_not_read_is_dropped_and_holds_nobody_up() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let (events, rx_events) = watch::channel(Bytes::new());
            let (tx, mut queue) = mpsc::channel(SUBSCRIBER_QUEUE);
            let follower = tokio::spawn(follow(rx_events, tx, Duration::from_secs(3600)));
            // Nobody reads `queue`; the sender never waits.
            for i in 0..SUBSCRIBER_QUEUE + 5 {
                events.send_replace(sse_frame("reload", &i.to_string()));
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            tokio::time::timeout(Duration::from_secs(5), follower)
                .await
                .expect("the follower gave up on the full queue")
                .expect("no panic");
            let mut queued = Vec::new();
            while let Some(frame) = queue.recv().await {
                queued.push(frame);
            }
            assert_eq!(queued.len(), SUBSCRIBER_QUEUE, "bounded, then closed");
            assert_eq!(queued[0], sse_frame("reload", "0"));
        });
    }

    #[test]
    fn sse_frames_carry_every_line() {
        assert_eq!(&sse_frame("reload", "")[..], b"event: reload\ndata: \n\n");
        assert_eq!(
            &sse_frame("diagnostics", "a\nb")[..],
            b"event: diagnostics\ndata: a\ndata: b\n\n"
        );
    }
}

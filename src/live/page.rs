//! The live page's own listener, on its own socket (the lesson's traffic never mixes
//! with it): `/` serves the page, `/events` a Server-Sent Events stream of fragments read
//! from the hub's ring. Every wait has a timeout, viewers are limited in number, each
//! holds at most one batch of bytes, and a page bound beyond loopback needs the token
//! printed at start-up (it shows everyone's headers).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::timeout;

use super::LiveHub;
use crate::explain::{Label, Lang};
use crate::render::live as html;
use crate::wire::{self, ParseOptions, Parsed};

/// Page connections at once (viewers and page loads); past it, 503.
const MAX_VIEWERS: usize = 64;
/// The most bytes a request for the page may take.
const MAX_HEAD: usize = 8 * 1024;
/// How long a client may take to send its request.
const HEAD_WAIT: Duration = Duration::from_secs(10);
/// How long one write to a viewer may take before the viewer is dropped.
const WRITE_WAIT: Duration = Duration::from_secs(30);
/// A comment sent to an idle viewer this often, so that proxies and the browser keep
/// the stream open, and a viewer that went away is noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Bytes of fragments written to a viewer in one go, about.
const BATCH_BYTES: usize = 256 * 1024;
/// When the server stops, how long viewers have to take what they are owed (the last
/// fragments, or how many they missed) before their streams are cut.
const FINAL_WAIT: Duration = Duration::from_secs(2);

/// The bound page listener, not yet serving.
pub struct LivePage {
    listener: TcpListener,
    shared: Arc<PageShared>,
}

struct PageShared {
    hub: LiveHub,
    /// Needed in `?token=` when the page is bound beyond loopback.
    token: Option<String>,
    /// The whole response for `/`, head and page.
    page: Vec<u8>,
    viewers: Arc<Semaphore>,
    lang: Lang,
}

impl LivePage {
    /// Bind `addr` for `hub`'s page. `listening` is the main listener's URL, for the
    /// page's waiting line. Must run inside a tokio runtime.
    pub async fn bind(
        addr: SocketAddr,
        hub: LiveHub,
        history: usize,
        lang: Lang,
        listening: &str,
    ) -> io::Result<LivePage> {
        let listener = TcpListener::bind(addr).await?;
        let token = if addr.ip().is_loopback() {
            None
        } else {
            Some(new_token()?)
        };
        let page = page_response(&html::page(lang, history, listening));
        Ok(LivePage {
            listener,
            shared: Arc::new(PageShared {
                hub,
                token,
                page,
                viewers: Arc::new(Semaphore::new(MAX_VIEWERS)),
                lang,
            }),
        })
    }

    /// The link to open: the bound address, with the token when one is needed.
    pub fn url(&self) -> io::Result<String> {
        let addr = self.listener.local_addr()?;
        Ok(match &self.shared.token {
            Some(token) => format!("http://{addr}/?token={token}"),
            None => format!("http://{addr}/"),
        })
    }

    /// Whether the link carries a token (the page is open beyond this machine).
    pub fn needs_token(&self) -> bool {
        self.shared.token.is_some()
    }

    /// Serve viewers until `stop` turns true; then give each open stream what it is owed
    /// and end it, within [`FINAL_WAIT`].
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut viewers = JoinSet::new();
        loop {
            let accepted = tokio::select! {
                _ = stop.wait_for(|&s| s) => break,
                // Reap the connections that ended.
                Some(_) = viewers.join_next() => continue,
                accepted = self.listener.accept() => accepted,
            };
            let Ok((stream, _)) = accepted else {
                // Out of file descriptors and the like: wait a moment, keep serving.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let shared = self.shared.clone();
            let stop = stop.clone();
            viewers.spawn(async move {
                let Ok(permit) = shared.viewers.clone().try_acquire_owned() else {
                    let body = Label::LiveBusy.text(shared.lang);
                    let _ = respond(stream, 503, body).await;
                    return;
                };
                let _ = serve(stream, &shared, stop).await;
                drop(permit);
            });
        }
        drop(self.listener);
        // Streams still being written past the wait are cut when `viewers` is dropped.
        let _ = timeout(FINAL_WAIT, async {
            while viewers.join_next().await.is_some() {}
        })
        .await;
    }
}

/// One page connection: one request, one response, then close.
async fn serve(
    mut stream: TcpStream,
    shared: &PageShared,
    stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let Some(head) = read_head(&mut stream).await? else {
        return respond(stream, 400, "bad request").await;
    };
    let lang = shared.lang;
    let (path, query) = head.target.split_once('?').unwrap_or((&head.target, ""));
    if head.method != "GET" && head.method != "HEAD" {
        return respond(stream, 405, "GET only").await;
    }
    if path != "/" && path != "/events" {
        return respond(stream, 404, Label::LiveNotFound.text(lang)).await;
    }
    if let Some(token) = &shared.token {
        let given = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
            .unwrap_or("");
        if !same(given.as_bytes(), token.as_bytes()) {
            return respond(stream, 403, Label::LiveForbidden.text(lang)).await;
        }
    }
    if path == "/" {
        let bytes = if head.method == "HEAD" {
            let end = shared.page.windows(4).position(|w| w == b"\r\n\r\n");
            &shared.page[..end.map_or(0, |e| e + 4)]
        } else {
            &shared.page[..]
        };
        return write(&mut stream, bytes).await;
    }
    if head.method == "HEAD" {
        return write(&mut stream, EVENTS_HEAD.as_bytes()).await;
    }
    events(stream, shared, head.last_event_id, stop).await
}

/// The head of the event stream; the stream ends when the connection does.
const EVENTS_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                           Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                           Connection: close\r\n\r\n";

/// The event stream: what the ring holds (after `Last-Event-ID` on a reconnect), then
/// each new fragment as it comes; a gap the viewer could not keep up with is one
/// `missed` event with how many it skipped.
async fn events(
    mut stream: TcpStream,
    shared: &PageShared,
    last_seen: Option<u64>,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let mut start = EVENTS_HEAD.to_string();
    // How long a page waits before it reconnects.
    start.push_str("retry: 2000\n\n");
    write(&mut stream, start.as_bytes()).await?;
    let hub = &shared.hub.shared;
    let mut newest = hub.newest.subscribe();
    let mut cursor = hub.start(last_seen);
    let mut out = String::with_capacity(BATCH_BYTES + 1024);
    let mut stopping = false;
    loop {
        newest.borrow_and_update();
        let batch = hub.after(cursor, BATCH_BYTES);
        if batch.missed > 0 {
            out.push_str(&format!("event: missed\ndata: {}\n\n", batch.missed));
        }
        for (n, text) in &batch.entries {
            out.push_str(&format!("id: {n}\n"));
            for line in text.split(['\n', '\r']) {
                out.push_str("data: ");
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
        }
        cursor = batch.cursor;
        if !out.is_empty() {
            write(&mut stream, out.as_bytes()).await?;
            out.clear();
            // One large fragment should not pin its buffer for the stream's life.
            out.shrink_to(BATCH_BYTES + 1024);
            continue;
        }
        // Stopping, and the viewer has everything (or knows what it missed).
        if stopping {
            return Ok(());
        }
        let idle = tokio::select! {
            changed = newest.changed() => match changed {
                Ok(()) => false,
                Err(_) => return Ok(()),
            },
            _ = tokio::time::sleep(HEARTBEAT) => true,
            _ = stop.wait_for(|&s| s) => {
                stopping = true;
                continue;
            }
        };
        if idle {
            write(&mut stream, b": ping\n\n").await?;
        }
    }
}

/// What the page listener needs of a request.
struct Head {
    method: String,
    target: String,
    last_event_id: Option<u64>,
}

/// Read one request head, within [`HEAD_WAIT`] and [`MAX_HEAD`], through the shared
/// parser. `None` when it is not a request.
async fn read_head(stream: &mut TcpStream) -> io::Result<Option<Head>> {
    let opts = ParseOptions {
        max_head: MAX_HEAD,
        ..ParseOptions::default()
    };
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let message = loop {
        match wire::parse_head_first(&buf, 0, &opts) {
            Parsed::Complete { message, .. } => break message,
            Parsed::Error { .. } => return Ok(None),
            Parsed::Partial { .. } if buf.len() >= MAX_HEAD => return Ok(None),
            Parsed::Partial { .. } => {}
        }
        let n = match timeout(HEAD_WAIT, stream.read(&mut chunk)).await {
            Ok(read) => read?,
            Err(_) => return Err(io::ErrorKind::TimedOut.into()),
        };
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let (method, target) = match &message.start {
        crate::model::StartLine::Request { method, target, .. } => {
            (text(message.bytes(method)), text(message.bytes(target)))
        }
        crate::model::StartLine::Response { .. } => return Ok(None),
    };
    let last_event_id = message
        .header_values("last-event-id")
        .next()
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok());
    Ok(Some(Head {
        method,
        target,
        last_event_id,
    }))
}

/// The response for `/`: the page, allowed to run its own script and use its own
/// stylesheet (by their hashes) and to open `/events`, nothing else.
fn page_response(page: &str) -> Vec<u8> {
    let hash = |text: &str| {
        let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    };
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; \
         connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        hash(html::SCRIPT),
        hash(&html::style()),
    );
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Security-Policy: {csp}\r\nX-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\nCache-Control: no-store\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        page.len()
    )
    .into_bytes();
    bytes.extend_from_slice(page.as_bytes());
    bytes
}

/// A short plain-text answer, then close.
async fn respond(mut stream: TcpStream, status: u16, text: &str) -> io::Result<()> {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Service Unavailable",
    };
    let body = format!("{text}\n");
    let bytes = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    write(&mut stream, bytes.as_bytes()).await?;
    let _ = timeout(Duration::from_secs(1), stream.shutdown()).await;
    Ok(())
}

async fn write(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    match timeout(WRITE_WAIT, stream.write_all(bytes)).await {
        Ok(result) => result,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// A fresh random token, 128 bits as hex.
fn new_token() -> io::Result<String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| io::Error::other("no random numbers for the live page's token"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equal, in a time that does not tell how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

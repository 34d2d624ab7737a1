//! One connection: read bytes as they come, hand them to the shared parser until it has
//! a whole request (head, then body by Content-Length or chunked), answer it, and carry
//! on with the next one on the same connection (keep-alive, pipelining) until the client
//! or HTTP/1.0 or `Connection: close` says to stop. Bad, oversized and slow requests get
//! a short plain-text error reply and the connection is closed.

use std::borrow::Cow;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{DateTime, Local, SecondsFormat};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{timeout_at, Instant};

use super::printer::Job;
use super::reply::{self, reason_phrase};
use super::{Shared, Stats};
use crate::input::Item;
use crate::message::{Message, Severity};
use crate::parse::{self, ErrorKind, ParseError, Parsed, State};

const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";
/// Bytes asked of the socket per read, at least.
const READ_SIZE: usize = 16 * 1024;
/// A buffer bigger than this is given back once its request is done, so one large
/// upload does not pin memory for the life of a keep-alive connection.
const KEEP_CAPACITY: usize = 256 * 1024;

/// Serve one connection to the end. I/O errors just end it: the client is gone.
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    id: u64,
    shared: &Shared,
    stop: watch::Receiver<bool>,
) {
    let mut conn = Conn {
        stream,
        peer,
        id,
        shared,
        buf: Vec::with_capacity(READ_SIZE),
        pos: 0,
        base: 0,
        out: Vec::new(),
        nth: 0,
        continued: false,
        stop,
    };
    if let Ok(End::Linger) = conn.run().await {
        linger_close(conn.stream).await;
    }
}

/// Close after an error reply without losing it: a socket closed while unread request
/// bytes wait in it sends a reset, which can destroy the reply before the client reads
/// it. So stop writing, then read and drop what still comes, for a short while.
pub(super) async fn linger_close(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut sink = [0u8; 8192];
    let mut left: usize = 1024 * 1024;
    while left > 0 {
        match timeout_at(deadline, stream.read(&mut sink)).await {
            Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
            _ => break,
        }
    }
}

/// How a connection ended.
enum End {
    /// Closed cleanly, nothing more to do.
    Done,
    /// After an error reply: close gently (see [`linger_close`]).
    Linger,
}

struct Conn<'a> {
    stream: TcpStream,
    peer: SocketAddr,
    id: u64,
    shared: &'a Shared,
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    pos: usize,
    /// Offset of `buf[0]` in everything this connection has sent.
    base: usize,
    /// Replies not yet written: pipelined requests are answered in one write.
    out: Vec<u8>,
    /// Requests read on this connection so far.
    nth: u64,
    /// `100 Continue` was sent for the request being read.
    continued: bool,
    stop: watch::Receiver<bool>,
}

/// What one request was answered with, for titles and counts.
struct Answer<'r> {
    bytes: Cow<'r, [u8]>,
    status: Option<u16>,
    keep_alive: bool,
    /// The reply as a message, for `--show-response`.
    message: Option<Message>,
}

impl Answer<'_> {
    /// A short plain-text error reply; the connection closes after it.
    fn error(status: u16, text: &str) -> Self {
        Answer {
            bytes: Cow::Owned(reply::plain(status, text)),
            status: Some(status),
            keep_alive: false,
            message: None,
        }
    }
}

impl Conn<'_> {
    async fn run(&mut self) -> io::Result<End> {
        let timeout = self.shared.config.timeout;
        let opts = &self.shared.parse;
        loop {
            // One request per turn of this loop.
            let mut deadline = Instant::now() + timeout;
            let mut started = false;
            let mut continue_checked = false;
            // Parse again only once this much is unread (0: at once).
            let mut parse_at = 0;
            let mut last_try = 0;
            loop {
                self.skip_blank_lines();
                let avail = self.buf.len() - self.pos;
                if avail > 0 && !started {
                    // The clock for a request starts with its first byte.
                    started = true;
                    deadline = Instant::now() + timeout;
                }
                if avail > 0 && avail >= parse_at {
                    last_try = avail;
                    let unread = &self.buf[self.pos..];
                    let at = self.base + self.pos;
                    match parse::parse_message(unread, at, &mut State::default(), opts, false) {
                        Parsed::Complete { message, consumed } => {
                            self.pos += consumed;
                            if self.answer(message).await? {
                                break;
                            }
                            self.flush().await?;
                            return Ok(End::Done);
                        }
                        Parsed::Partial { need } => parse_at = need.unwrap_or(avail + 1),
                        Parsed::Error { error, .. } => {
                            let status = status_for(&error.kind);
                            // A size limit is about the whole head or body, not a line.
                            let text = match status {
                                400 => format!("line {}: {}", error.line, error.kind),
                                _ => error.kind.to_string(),
                            };
                            return self.refuse(error, status, &text).await;
                        }
                    }
                }
                // Nothing whole to answer: send what is owed, then wait for more.
                self.flush().await?;
                if started && !continue_checked {
                    if let Some(wants) = wants_continue(&self.buf[self.pos..]) {
                        continue_checked = true;
                        if wants {
                            self.send_continue().await?;
                        }
                    }
                }
                let before = self.buf.len();
                match self.read_more(deadline, started, parse_at).await? {
                    Read::Bytes(n) => {
                        // Re-parsing a long unfinished message on every small read would
                        // cost quadratic time; a message can only become whole when a
                        // line ends, or when a length the parser asked for is reached.
                        let new = &self.buf[before..];
                        let grown = self.buf.len() - self.pos;
                        let line_ended = new.contains(&b'\n');
                        let drained = n < READ_SIZE;
                        if parse_at <= grown
                            || (line_ended && (drained || grown >= 2 * last_try))
                            || grown > opts.max_head
                        {
                            parse_at = parse_at.min(grown);
                        }
                    }
                    Read::Closed if !started => return Ok(End::Done),
                    Read::Closed => return self.cut_off().await,
                    Read::TimedOut if !started => return Ok(End::Done),
                    Read::TimedOut => return self.timed_out().await,
                    Read::Stopping => return Ok(End::Done),
                }
            }
            if self.pos == self.buf.len() {
                self.base += self.pos;
                self.buf.clear();
                self.pos = 0;
                if self.buf.capacity() > KEEP_CAPACITY {
                    self.buf.shrink_to(READ_SIZE);
                }
            }
        }
    }

    /// Blank lines before a request line are ignored (RFC 9112 section 2.2).
    fn skip_blank_lines(&mut self) {
        while matches!(self.buf.get(self.pos), Some(b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    async fn read_more(
        &mut self,
        deadline: Instant,
        started: bool,
        parse_at: usize,
    ) -> io::Result<Read> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
        let want = parse_at
            .saturating_sub(self.buf.len())
            .clamp(READ_SIZE, 1 << 20);
        self.buf.reserve(want);
        let read = if started {
            timeout_at(deadline, self.stream.read_buf(&mut self.buf)).await
        } else {
            // Between requests a connection may be closed for a graceful stop.
            tokio::select! {
                biased;
                read = timeout_at(deadline, self.stream.read_buf(&mut self.buf)) => read,
                _ = self.stop.wait_for(|&s| s) => return Ok(Read::Stopping),
            }
        };
        Ok(match read {
            Err(_) => Read::TimedOut,
            Ok(Ok(0)) => Read::Closed,
            Ok(Ok(n)) => {
                Stats::add(&self.shared.stats.bytes_in, n as u64);
                Read::Bytes(n)
            }
            Ok(Err(e)) => return Err(e),
        })
    }

    async fn flush(&mut self) -> io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let deadline = Instant::now() + self.shared.config.timeout;
        match timeout_at(deadline, self.stream.write_all(&self.out)).await {
            Ok(result) => result?,
            Err(_) => return Err(io::ErrorKind::TimedOut.into()),
        }
        Stats::add(&self.shared.stats.bytes_out, self.out.len() as u64);
        self.out.clear();
        Ok(())
    }

    async fn send_continue(&mut self) -> io::Result<()> {
        self.out.extend_from_slice(CONTINUE);
        self.continued = true;
        self.flush().await
    }

    /// Show, save and answer a whole request. Returns whether the connection stays open.
    async fn answer(&mut self, message: Box<Message>) -> io::Result<bool> {
        let shared = self.shared;
        let config = &shared.config;
        self.nth += 1;
        Stats::add(&shared.stats.requests, 1);
        let received = Local::now();
        let keep_alive = wants_keep_alive(&message);
        let is_head = message.method() == Some(b"HEAD");
        let raw_for_save = config.save.as_ref().map(|_| message.raw.clone());
        let flawed = message
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(crate::explain::diagnostic_text);

        // Number it (and queue it for the printer) first: the echo and the saved
        // file's name carry the number.
        let (seq, request) = self.number(message, &received).await;
        let mut answer = match (flawed, request) {
            (Some(text), _) => Answer::error(400, &text),
            (None, Some(request)) => {
                let bytes = reply::echo(&request, config.echo_width, keep_alive);
                Answer {
                    message: config.show_response.then(|| reply_message(&bytes)),
                    bytes: Cow::Owned(bytes),
                    status: Some(200),
                    keep_alive,
                }
            }
            (None, None) => {
                let canned = &config.reply;
                Answer {
                    bytes: Cow::Borrowed(canned.for_request(is_head)),
                    status: canned.status,
                    keep_alive: keep_alive && !canned.close,
                    message: canned.message.clone().filter(|_| config.show_response),
                }
            }
        };
        if let (Some(dir), Some(raw)) = (&config.save, raw_for_save) {
            let path = dir.path(seq, self.id, self.nth, false);
            if let Err(e) = dir.write(path.clone(), &raw).await {
                // Never tell a client its request arrived when it could not be kept.
                eprintln!("httpdump: {}: {e}", path.display());
                answer = Answer::error(500, "the server could not save the request");
            }
        }
        if answer.status.map_or(true, |s| s >= 400) {
            Stats::add(&shared.stats.errors, 1);
        }
        self.out.extend_from_slice(&answer.bytes);
        let keep_alive = answer.keep_alive && !*self.stop.borrow();
        if config.show_response {
            if std::mem::take(&mut self.continued) {
                let interim = Answer {
                    bytes: Cow::Borrowed(CONTINUE),
                    status: Some(100),
                    keep_alive: true,
                    message: None,
                };
                self.show_reply(seq, interim, &received).await;
            }
            self.show_reply(seq, answer, &received).await;
        }
        self.continued = false;
        Ok(keep_alive)
    }

    /// Give the request its server-wide number and title, and queue it for printing.
    /// Hands the request back only when the echo needs it.
    async fn number(
        &self,
        mut message: Box<Message>,
        received: &DateTime<Local>,
    ) -> (u64, Option<Box<Message>>) {
        let shared = self.shared;
        let ctx = self.ctx();
        match &shared.output {
            Some(output) => {
                let echo = shared.config.echo;
                let mut kept = None;
                let seq = output
                    .send_numbered(|seq| {
                        decorate(&mut message, seq, &ctx, received);
                        if echo {
                            kept = Some(message.clone());
                        }
                        Job::Item(Box::new(Item::Message(message)))
                    })
                    .await;
                // No number: the printer is gone (output closed) and the server is stopping.
                (seq.unwrap_or(0), kept)
            }
            None => {
                let seq = shared.sequence.fetch_add(1, Ordering::Relaxed) + 1;
                if !shared.config.echo {
                    return (seq, None);
                }
                decorate(&mut message, seq, &ctx, received);
                (seq, Some(message))
            }
        }
    }

    fn ctx(&self) -> Ctx {
        Ctx {
            conn: self.id,
            nth: self.nth,
            peer: self.peer,
        }
    }

    async fn show_reply(&self, seq: u64, answer: Answer<'_>, at: &DateTime<Local>) {
        let Some(output) = &self.shared.output else {
            return;
        };
        let Some(mut message) = answer.message.or_else(|| {
            // Error replies are built per request; valid ones always parse.
            answer.status.map(|_| reply_message(&answer.bytes))
        }) else {
            return;
        };
        message.index = seq as usize;
        message.number = seq as usize;
        let kind = if message.status().is_some_and(|s| s < 200) {
            "interim answer"
        } else {
            "answer"
        };
        message.context.title = Some(format!(
            "(connection {}, {kind} to #{} on it) to {} at {}",
            self.id,
            self.nth,
            self.peer,
            at.format("%H:%M:%S%.3f")
        ));
        message.context.json_extra = vec![
            ("connection", self.id.into()),
            ("peer", self.peer.to_string().into()),
            ("answers", seq.into()),
        ];
        output
            .send(Job::Item(Box::new(Item::Message(Box::new(message)))))
            .await;
    }

    /// The client closed its side in the middle of a request.
    async fn cut_off(&mut self) -> io::Result<End> {
        let opts = &self.shared.parse;
        let unread = &self.buf[self.pos..];
        let at = self.base + self.pos;
        match parse::parse_message(unread, at, &mut State::default(), opts, true) {
            Parsed::Error { error, .. } => {
                let text = format!("line {}: {}", error.line, error.kind);
                self.refuse(error, 400, &text).await
            }
            // Cannot happen (a whole message was parsed before reading), but if the
            // parser disagrees there is nothing left to answer.
            _ => Ok(End::Done),
        }
    }

    /// The request did not arrive in full within the timeout.
    async fn timed_out(&mut self) -> io::Result<End> {
        let opts = &self.shared.parse;
        let unread = &self.buf[self.pos..];
        let at = self.base + self.pos;
        let text = format!(
            "the request did not arrive in full within {}",
            seconds(self.shared.config.timeout)
        );
        match parse::parse_message(unread, at, &mut State::default(), opts, true) {
            Parsed::Error { error, .. } => self.refuse(error, 408, &text).await,
            _ => Ok(End::Done),
        }
    }

    /// Show a request that could not be taken, answer it with `status` and `text`, and
    /// end the connection.
    async fn refuse(
        &mut self,
        mut error: Box<ParseError>,
        status: u16,
        text: &str,
    ) -> io::Result<End> {
        let shared = self.shared;
        self.nth += 1;
        Stats::add(&shared.stats.requests, 1);
        Stats::add(&shared.stats.errors, 1);
        let received = Local::now();
        let ctx = self.ctx();
        let answered = format!("{status} {}", reason_phrase(status));
        let seq = match &shared.output {
            Some(output) => {
                output
                    .send_numbered(|seq| {
                        error.index = seq as usize;
                        let context = &mut error.fragment.context;
                        context.title =
                            Some(format!("{}, answered {answered}", ctx.title(&received)));
                        context.json_extra = ctx.json(&received);
                        context.json_extra.push(("answered", status.into()));
                        Job::Item(Box::new(Item::Error(error)))
                    })
                    .await
            }
            None => None,
        };
        let seq = seq.unwrap_or_else(|| shared.sequence.fetch_add(1, Ordering::Relaxed) + 1);
        if let Some(dir) = &shared.config.save {
            let path = dir.path(seq, self.id, self.nth, true);
            if let Err(e) = dir.write(path.clone(), &self.buf[self.pos..]).await {
                eprintln!("httpdump: {}: {e}", path.display());
            }
        }
        let bytes = reply::plain(status, text);
        self.out.extend_from_slice(&bytes);
        if shared.config.show_response {
            let answer = Answer {
                bytes: Cow::Borrowed(&bytes),
                status: Some(status),
                keep_alive: false,
                message: None,
            };
            self.show_reply(seq, answer, &received).await;
        }
        self.flush().await?;
        Ok(End::Linger)
    }
}

enum Read {
    Bytes(usize),
    Closed,
    TimedOut,
    Stopping,
}

/// Who sent a request: the words of its title and its JSON fields.
struct Ctx {
    conn: u64,
    nth: u64,
    peer: SocketAddr,
}

impl Ctx {
    /// `(connection 2, #2 on it) from 127.0.0.1:51432 at 10:31:07.120`
    fn title(&self, at: &DateTime<Local>) -> String {
        format!(
            "(connection {}, #{} on it) from {} at {}",
            self.conn,
            self.nth,
            self.peer,
            at.format("%H:%M:%S%.3f")
        )
    }

    fn json(&self, at: &DateTime<Local>) -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("connection", self.conn.into()),
            ("peer", self.peer.to_string().into()),
            (
                "received_at",
                at.to_rfc3339_opts(SecondsFormat::Millis, false).into(),
            ),
        ]
    }
}

fn decorate(message: &mut Message, seq: u64, ctx: &Ctx, at: &DateTime<Local>) {
    message.index = seq as usize;
    message.number = seq as usize;
    message.context.title = Some(ctx.title(at));
    message.context.json_extra = ctx.json(at);
}

/// A reply's bytes as a message, for `--show-response`.
fn reply_message(bytes: &[u8]) -> Message {
    let opts = crate::parse::ParseOptions::default();
    match parse::parse_message(bytes, 0, &mut State::default(), &opts, true) {
        Parsed::Complete { message, .. } => *message,
        other => unreachable!("replies made here always parse: {other:?}"),
    }
}

/// The status for a request the parser refused.
fn status_for(kind: &ErrorKind) -> u16 {
    match kind {
        ErrorKind::HeadTooLarge { .. } | ErrorKind::TooManyHeaders { .. } => 431,
        ErrorKind::BodyTooLarge { .. } => 413,
        _ => 400,
    }
}

/// HTTP/1.1 keeps a connection open unless told `close`; HTTP/1.0 closes it unless told
/// `keep-alive` (RFC 9112 section 9.3).
fn wants_keep_alive(request: &Message) -> bool {
    let has = |token: &str| {
        request.header_values("connection").any(|v| {
            v.split(|&b| b == b',')
                .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
        })
    };
    if has("close") {
        return false;
    }
    request.version() == b"HTTP/1.1" || has("keep-alive")
}

/// Whether a request whose head has arrived asks for `100 Continue` before its body
/// (RFC 9110 section 10.1.1); `None` while the head is not complete yet.
fn wants_continue(unread: &[u8]) -> Option<bool> {
    let end = head_end(unread)?;
    let mut lines = unread[..end]
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let http11 = lines.next().is_some_and(|l| l.ends_with(b" HTTP/1.1"));
    let expects = lines.any(|l| match l.iter().position(|&b| b == b':') {
        Some(colon) => {
            l[..colon].eq_ignore_ascii_case(b"expect")
                && l[colon + 1..]
                    .trim_ascii()
                    .eq_ignore_ascii_case(b"100-continue")
        }
        None => false,
    });
    Some(http11 && expects)
}

/// Length of the head (through its blank line), when it is all there.
fn head_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(lf) = bytes[from..].iter().position(|&b| b == b'\n') {
        let at = from + lf + 1;
        match bytes.get(at..) {
            Some([b'\n', ..]) => return Some(at + 1),
            Some([b'\r', b'\n', ..]) => return Some(at + 2),
            _ => from = at,
        }
    }
    None
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s == s.trunc() {
        format!("{s} s")
    } else {
        format!("{s:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_is_wanted_only_once_the_head_is_whole() {
        let head = b"POST / HTTP/1.1\r\nexpect:  100-Continue\r\nContent-Length: 5\r\n\r\n";
        assert_eq!(wants_continue(&head[..20]), None);
        assert_eq!(wants_continue(head), Some(true));
        assert_eq!(
            wants_continue(b"POST / HTTP/1.0\nExpect: 100-continue\n\nab"),
            Some(false)
        );
        assert_eq!(wants_continue(b"GET / HTTP/1.1\r\n\r\n"), Some(false));
    }

    #[test]
    fn head_end_counts_the_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\nbody"), Some(21));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
    }
}

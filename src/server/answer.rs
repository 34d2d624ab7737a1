//! What a whole request gets: its server-wide number and title, a place in the
//! printer's queue, a saved file, and a reply (the canned one, the echo, or a short
//! error), written by a connection's [`Responder`] with what was owed before it.
//! Reading and framing the bytes is [`super::conn`]'s job.

use std::borrow::Cow;
use std::io;

use chrono::{DateTime, Local, NaiveDateTime, Offset, Utc};
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::watch;
use tokio::time::{timeout_at, Instant};

use super::conn::End;
use super::echo;
use super::output::Job;
use super::record::Record;
use super::reply;
use super::{Config, Shared, Stats};
use crate::model::Item;
use crate::model::ParseError;
use crate::model::{Code, Diagnostic, Message, Role, Severity};
use crate::pipeline;
use crate::wire::{self, Parsed, State};

const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";
/// Replies owed to pipelined requests are written once they reach this many bytes.
const OUT_FLUSH: usize = 64 * 1024;

/// What one request was answered with, for titles and counts.
struct Answer<'r> {
    bytes: Cow<'r, [u8]>,
    status: Option<u16>,
    keep_alive: bool,
    /// The reply as a message, for `--show-response`.
    message: Option<Message>,
    /// The server refused the request (it counts as an error in the summary).
    refused: bool,
    /// The body of a large echo, written after `bytes` (its head) piece by piece.
    stream: Option<echo::Streamed>,
}

impl Answer<'_> {
    /// The echo reply (`bytes`; only its head for `HEAD`).
    fn echo(bytes: Vec<u8>, keep_alive: bool) -> Self {
        Answer {
            bytes: Cow::Owned(bytes),
            status: Some(200),
            keep_alive,
            message: None,
            refused: false,
            stream: None,
        }
    }

    /// A short plain-text error reply; the connection closes after it.
    fn error(status: u16, text: &str) -> Self {
        Answer {
            bytes: Cow::Owned(reply::plain(status, text)),
            status: Some(status),
            keep_alive: false,
            message: None,
            refused: true,
            stream: None,
        }
    }
}

/// A connection's write side: the replies owed and the socket they go to, whether
/// `100 Continue` went out for the request being read, and the [`Record`] every request
/// and reply is shown and saved by.
pub(super) struct Responder<'a> {
    half: OwnedWriteHalf,
    shared: &'a Shared,
    /// The second Ctrl-C: a write waits no longer.
    kill: watch::Receiver<bool>,
    record: Record<'a>,
    /// Replies not yet written: pipelined requests are answered in one write.
    out: Vec<u8>,
    /// `100 Continue` was sent for the request being read.
    continued: bool,
}

impl<'a> Responder<'a> {
    pub(super) fn new(
        half: OwnedWriteHalf,
        shared: &'a Shared,
        kill: watch::Receiver<bool>,
        record: Record<'a>,
    ) -> Self {
        Responder {
            half,
            shared,
            kill,
            record,
            out: Vec::new(),
            continued: false,
        }
    }

    /// The connection's number.
    pub(super) fn id(&self) -> u64 {
        self.record.id()
    }

    /// The write half, to put the socket together again for a gentle close.
    pub(super) fn into_half(self) -> OwnedWriteHalf {
        self.half
    }

    /// Show, save and answer a whole request; `must_close`, the server closes after it
    /// though the client would go on. Returns whether the connection stays open. A
    /// response sent to the server is shown and saved like a request, and refused.
    pub(super) async fn answer(
        &mut self,
        mut message: Box<Message>,
        must_close: bool,
    ) -> io::Result<bool> {
        if message.status().is_some() {
            // First, so that it is the error the reply states.
            message.diagnostics.insert(
                0,
                Diagnostic::new(Code::ListenResponse, Some(0), message.offset, Vec::new()),
            );
        }
        let shared = self.shared;
        let config = &shared.config;
        self.record.count_request();
        // For titles and the echo; the clock is not read when nothing shows it.
        let shown = shared.output.is_some() || config.live.is_some() || config.echo;
        let received = if shown { Local::now() } else { never_shown() };
        // Closing though the client would go on: the reply must say so.
        let wants_open = wants_keep_alive(&message);
        let closing = wants_open && must_close;
        let keep_alive = wants_open && !closing;
        let is_head = message.method() == Some(b"HEAD");
        let raw_for_save = config.save.as_ref().map(|_| message.raw.clone());
        let flawed = message
            .diagnostics
            .iter()
            .find(|d| d.severity() == Severity::Error)
            // The reply body is for curl and logs: English, like the parser's errors.
            .map(|d| crate::explain::diagnostic_text(d, crate::explain::Lang::En));

        // Number it (and queue it for the printer) first: the echo and the saved
        // file's name carry the number.
        let (seq, request) = self.record.number(message, config.echo, &received).await;
        let mut answer = choose(config, flawed, request, keep_alive, closing, is_head);
        if let Some(raw) = raw_for_save {
            if !self.record.save(seq, self.record.nth(), raw, false).await {
                // Never tell a client its request arrived when it could not be kept.
                answer = Answer::error(500, "the server could not save the request");
            }
        }
        if let (Some(live), Some(status)) = (&config.live, answer.status) {
            live.answered(seq, status);
        }
        // Only requests the server refused: a 404 the teacher asked for is no error.
        if answer.refused {
            Stats::add(&shared.stats.errors, 1);
        }
        self.out.extend_from_slice(&answer.bytes);
        if let Some(streamed) = answer.stream.take() {
            self.flush().await?;
            self.write_streamed(streamed).await?;
        } else if self.out.len() >= OUT_FLUSH {
            // Pipelined requests are answered in one write, up to a bound.
            self.flush().await?;
        }
        let keep_alive = answer.keep_alive;
        if config.show_response {
            if std::mem::take(&mut self.continued) {
                let interim = Answer {
                    bytes: Cow::Borrowed(CONTINUE),
                    status: Some(100),
                    keep_alive: true,
                    message: None,
                    refused: false,
                    stream: None,
                };
                self.show_reply(seq, interim, &received).await;
            }
            self.show_reply(seq, answer, &received).await;
        }
        self.continued = false;
        Ok(keep_alive)
    }

    /// Write a large echo's body as it is rendered, one piece in flight at a time.
    async fn write_streamed(&mut self, streamed: echo::Streamed) -> io::Result<()> {
        let (tx, mut rx) = tokio::sync::mpsc::channel(1);
        let render = tokio::task::spawn_blocking(move || streamed.render(tx));
        while let Some(piece) = rx.recv().await {
            self.out = piece;
            // On an error `rx` is dropped, which stops the rendering thread.
            self.flush().await?;
        }
        match render.await {
            Ok(result) => result,
            Err(e) => Err(io::Error::other(e)),
        }
    }

    async fn show_reply(&self, seq: u64, answer: Answer<'_>, at: &DateTime<Local>) {
        let (output, live) = (&self.shared.output, &self.shared.config.live);
        if output.is_none() && live.is_none() {
            return;
        }
        let items = match answer.message {
            Some(message) => vec![Item::Message(Box::new(message))],
            // Error replies are built per request; valid ones always parse.
            None if answer.status.is_some() => {
                vec![Item::Message(Box::new(reply_message(&answer.bytes, false)))]
            }
            // An invalid reply sent on purpose: show what the parser makes of it.
            None => pipeline::lint_all(crate::source::reader::parse_all(
                &answer.bytes,
                crate::wire::ParseOptions::default(),
            )),
        };
        for mut item in items {
            let role = match &item {
                Item::Message(m) if m.status().is_some_and(|s| s < 200) => Role::InterimAnswer,
                _ => Role::Answer,
            };
            self.record.stamp(&mut item, role, seq, at);
            if let Some(live) = live {
                live.publish(&item);
            }
            if let Some(output) = output {
                output.send(Job::Item(Box::new(item))).await;
            }
        }
    }

    /// Show a request that could not be taken (`raw`, its bytes, saved), answer it with
    /// `status` and `text`, and end the connection.
    pub(super) async fn refuse(
        &mut self,
        error: Box<ParseError>,
        raw: &[u8],
        status: u16,
        text: &str,
    ) -> io::Result<End> {
        let (seq, received) = self.record.refused(error, Some(status), raw).await;
        if let Some(live) = &self.shared.config.live {
            live.answered(seq, status);
        }
        let bytes = reply::plain(status, text);
        self.out.extend_from_slice(&bytes);
        if self.shared.config.show_response {
            let answer = Answer {
                bytes: Cow::Borrowed(&bytes),
                status: Some(status),
                keep_alive: false,
                message: None,
                refused: true,
                stream: None,
            };
            self.show_reply(seq, answer, &received).await;
        }
        self.flush().await?;
        Ok(End::Linger)
    }

    /// Show bytes no answer could reach (TLS: the client waits for a handshake) and
    /// close.
    pub(super) async fn refuse_silently(&mut self, error: Box<ParseError>, raw: &[u8]) -> End {
        self.record.refused(error, None, raw).await;
        End::Linger
    }

    /// The second Ctrl-C came in the middle of a request (`unread`): see
    /// [`Record::cut_off`].
    pub(super) async fn cut_off(&self, unread: &[u8]) {
        self.record.cut_off(unread).await;
    }

    /// Write the replies owed, within `--timeout`, unless the second Ctrl-C comes first.
    pub(super) async fn flush(&mut self) -> io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        // A reply nearly always fits the socket's buffer: written at once, with no
        // timer to set. What does not fit is written within `--timeout`.
        let at_once = match self.half.try_write(&self.out) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
            Err(e) => return Err(e),
        };
        if at_once < self.out.len() {
            self.write_rest(at_once).await?;
        }
        Stats::add(&self.shared.stats.bytes_out, self.out.len() as u64);
        self.out.clear();
        Ok(())
    }

    /// Write what is owed from `from` on, within `--timeout`, unless the second Ctrl-C
    /// comes first.
    async fn write_rest(&mut self, from: usize) -> io::Result<()> {
        let deadline = Instant::now() + self.shared.config.timeout;
        let write = timeout_at(deadline, self.half.write_all(&self.out[from..]));
        tokio::select! {
            written = write => match written {
                Ok(result) => result?,
                Err(_) => return Err(io::ErrorKind::TimedOut.into()),
            },
            _ = self.kill.wait_for(|&k| k) => return Err(io::ErrorKind::Interrupted.into()),
        }
        Ok(())
    }

    /// Tell the client to send the body it holds back (`Expect: 100-continue`).
    pub(super) async fn send_continue(&mut self) -> io::Result<()> {
        self.out.extend_from_slice(CONTINUE);
        self.continued = true;
        self.flush().await
    }
}

/// What a request is answered with: a 400 naming its first error, the echo (whole, or
/// streamed when large and not shown), or the canned reply (its closing form when the
/// server closes though the client would go on).
fn choose<'c>(
    config: &'c Config,
    flawed: Option<String>,
    request: Option<Box<Message>>,
    keep_alive: bool,
    closing: bool,
    is_head: bool,
) -> Answer<'c> {
    match (flawed, request) {
        (Some(text), _) => Answer::error(400, &text),
        (None, Some(request)) if !config.show_response => {
            // Not shown, so not needed whole: a large echo is streamed.
            let (bytes, stream) =
                match echo::reply_or_stream(request, &config.echo_options, keep_alive) {
                    Ok(bytes) => (bytes, None),
                    Err(streamed) => (streamed.head.clone(), Some(streamed)),
                };
            let mut answer = Answer::echo(bytes, keep_alive);
            answer.stream = stream;
            answer
        }
        (None, Some(request)) => {
            let mut answer = Answer::echo(
                echo::reply(&request, &config.echo_options, keep_alive),
                keep_alive,
            );
            answer.message = Some(reply_message(&answer.bytes, is_head));
            answer
        }
        (None, None) => {
            let canned = match &config.reply.closing {
                Some(said) if closing => said,
                _ => &config.reply,
            };
            Answer {
                bytes: Cow::Borrowed(canned.for_request(is_head)),
                status: canned.status,
                keep_alive: keep_alive && !canned.close,
                message: config
                    .show_response
                    .then(|| canned.message.clone())
                    .flatten(),
                refused: false,
                stream: None,
            }
        }
    }
}

/// A reply's bytes as a message, for `--show-response`. A reply to `HEAD` has a
/// Content-Length but no body.
fn reply_message(bytes: &[u8], to_head: bool) -> Message {
    let opts = crate::wire::ParseOptions::default();
    let mut state = State::default();
    state.push_request(to_head);
    match wire::parse_message(bytes, 0, &mut state, &opts, true) {
        Parsed::Complete { mut message, .. } => {
            pipeline::lint_message(&mut message);
            *message
        }
        other => unreachable!("replies made here always parse: {other:?}"),
    }
}

/// The time of a request nothing shows: a constant, so that neither the clock nor the
/// time zone is read for it.
fn never_shown() -> DateTime<Local> {
    DateTime::from_naive_utc_and_offset(NaiveDateTime::default(), Utc.fix())
}

/// HTTP/1.1 keeps a connection open unless told `close`; HTTP/1.0 closes it unless told
/// `keep-alive` (RFC 9112 section 9.3).
fn wants_keep_alive(request: &Message) -> bool {
    if request.connection_has("close") {
        return false;
    }
    request.version() == b"HTTP/1.1" || request.connection_has("keep-alive")
}

//! What a whole request gets: its server-wide number and title, a place in the
//! printer's queue, a saved file, and a reply (the canned one, the echo, or a short
//! error). Reading and framing the bytes is [`super::conn`]'s job.

use std::borrow::Cow;
use std::io;

use chrono::{DateTime, Local};

use super::conn::{Conn, End, CONTINUE};
use super::echo;
use super::output::Job;
use super::reply;
use super::{Config, Stats};
use crate::model::Item;
use crate::model::ParseError;
use crate::model::{Diagnostic, Message, Origin, Role, Severity};
use crate::pipeline;
use crate::wire::{self, Parsed, State};

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

impl Conn<'_> {
    /// Show, save and answer a whole request. Returns whether the connection stays open.
    /// A response sent to the server is shown and saved like a request, and refused.
    pub(super) async fn answer(&mut self, mut message: Box<Message>) -> io::Result<bool> {
        if message.status().is_some() {
            // First, so that it is the error the reply states.
            message.diagnostics.insert(
                0,
                Diagnostic {
                    severity: Severity::Error,
                    code: "listen-response",
                    line: Some(0),
                    offset: message.offset,
                    args: Vec::new(),
                },
            );
        }
        let shared = self.shared;
        let config = &shared.config;
        self.nth += 1;
        Stats::add(&shared.stats.requests, 1);
        let received = Local::now();
        // Closing though the client would go on: the reply must say so.
        let wants_open = wants_keep_alive(&message);
        let closing = wants_open && self.must_close();
        let keep_alive = wants_open && !closing;
        let is_head = message.method() == Some(b"HEAD");
        let raw_for_save = config.save.as_ref().map(|_| message.raw.clone());
        let flawed = message
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            // The reply body is for curl and logs: English, like the parser's errors.
            .map(|d| crate::explain::diagnostic_text(d, crate::explain::Lang::En));

        // Number it (and queue it for the printer) first: the echo and the saved
        // file's name carry the number.
        let (seq, request) = self.number(message, &received).await;
        let mut answer = choose(config, flawed, request, keep_alive, closing, is_head);
        if let (Some(dir), Some(raw)) = (&config.save, raw_for_save) {
            let path = dir.path(seq, self.id, self.nth, false);
            if let Err(e) = dir.write(path.clone(), raw).await {
                // Never tell a client its request arrived when it could not be kept.
                eprintln!("httpdump: {}: {e}", path.display());
                answer = Answer::error(500, "the server could not save the request");
            }
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

    /// Whether the server closes after the request just taken, though the client would
    /// go on: it is stopping and no other whole request waits in the buffer (those
    /// already received are answered first), or a newer client took this slot.
    fn must_close(&self) -> bool {
        if self.evicted {
            return true;
        }
        if !*self.stop.borrow() {
            return false;
        }
        let unread = &self.buf[self.pos..];
        let opts = &self.shared.parse;
        let next = wire::parse_message(unread, 0, &mut State::default(), opts, false);
        !matches!(next, Parsed::Complete { .. })
    }

    /// Give the request its server-wide number and title, and queue it for printing.
    /// Hands the request back only when the echo needs it.
    async fn number(
        &self,
        message: Box<Message>,
        received: &DateTime<Local>,
    ) -> (u64, Option<Box<Message>>) {
        let shared = self.shared;
        let echo = shared.config.echo;
        let mut item = Item::Message(message);
        if shared.output.is_none() {
            let seq = shared.numbers.next();
            if !echo {
                return (seq, None);
            }
            self.stamp(&mut item, Role::Request, seq, received);
            let Item::Message(message) = item else {
                unreachable!("made a message above")
            };
            return (seq, Some(message));
        }
        let mut kept = None;
        let size = match &item {
            Item::Message(m) => m.raw.len(),
            _ => 0,
        };
        let seq = shared
            .number(size, |seq| {
                self.stamp(&mut item, Role::Request, seq, received);
                if let (true, Item::Message(m)) = (echo, &item) {
                    kept = Some(m.clone());
                }
                Job::Item(Box::new(item))
            })
            .await;
        (seq, kept)
    }

    /// Stamp an item the listener received or sent with its server-wide number and who
    /// sent it when: the facts of its title and JSON fields.
    fn stamp(&self, item: &mut Item, role: Role, seq: u64, at: &DateTime<Local>) {
        let origin = Origin {
            role,
            connection: self.id,
            nth: self.nth,
            number: seq,
            peer: self.peer.to_string(),
            at: *at,
        };
        match item {
            Item::Message(message) => {
                message.index = seq as usize;
                message.nth_of_kind = seq as usize;
                message.context.origin = Some(origin);
            }
            Item::Error(error) => {
                error.index = seq as usize;
                error.fragment.context.origin = Some(origin);
            }
            Item::Stray(_) => {}
        }
    }

    async fn show_reply(&self, seq: u64, answer: Answer<'_>, at: &DateTime<Local>) {
        let Some(output) = &self.shared.output else {
            return;
        };
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
            self.stamp(&mut item, role, seq, at);
            output.send(Job::Item(Box::new(item))).await;
        }
    }

    /// Show a request that could not be taken, answer it with `status` and `text`, and
    /// end the connection.
    pub(super) async fn refuse(
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
        error.fragment.context.answered = Some(status);
        let mut item = Item::Error(error);
        let size = match &item {
            Item::Error(e) => e.fragment.raw.len(),
            _ => 0,
        };
        let seq = shared
            .number(size, |seq| {
                self.stamp(&mut item, Role::Request, seq, &received);
                Job::Item(Box::new(item))
            })
            .await;
        if let Some(dir) = &shared.config.save {
            let path = dir.path(seq, self.id, self.nth, true);
            if let Err(e) = dir.write(path.clone(), self.buf[self.pos..].to_vec()).await {
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
                refused: true,
                stream: None,
            };
            self.show_reply(seq, answer, &received).await;
        }
        self.flush().await?;
        Ok(End::Linger)
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
                message: canned.message.clone().filter(|_| config.show_response),
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

/// HTTP/1.1 keeps a connection open unless told `close`; HTTP/1.0 closes it unless told
/// `keep-alive` (RFC 9112 section 9.3).
fn wants_keep_alive(request: &Message) -> bool {
    if request.connection_has("close") {
        return false;
    }
    request.version() == b"HTTP/1.1" || request.connection_has("keep-alive")
}

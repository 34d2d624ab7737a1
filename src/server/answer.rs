//! What a whole request gets: its server-wide number and title, a place in the
//! printer's queue, a saved file, and a reply (the canned one, the echo, or a short
//! error). Reading and framing the bytes is [`super::conn`]'s job.

use std::borrow::Cow;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Local, SecondsFormat};

use super::conn::{head_end, Conn, End, CONTINUE};
use super::echo;
use super::printer::Job;
use super::reply;
use super::Stats;
use crate::model::Item;
use crate::model::ParseError;
use crate::model::{Code, Diagnostic, Message, Origin, Role, Severity};
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
    /// The echo reply (`bytes`), cut after its head for `HEAD`.
    fn echo(mut bytes: Vec<u8>, is_head: bool, keep_alive: bool) -> Self {
        if is_head {
            bytes.truncate(head_end(&bytes).unwrap_or(bytes.len()));
        }
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
                Diagnostic::new(Code::ListenResponse, Some(0), message.offset, Vec::new()),
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
            .find(|d| d.severity() == Severity::Error)
            // The reply body is for curl and logs: English, like the parser's errors.
            .map(|d| crate::explain::diagnostic_text(d, crate::explain::Lang::En));

        // Number it (and queue it for the printer) first: the echo and the saved
        // file's name carry the number.
        let (seq, request) = self.number(message, &received).await;
        let mut answer = match (flawed, request) {
            (Some(text), _) => Answer::error(400, &text),
            (None, Some(request)) if !config.show_response => {
                // Not shown, so not needed whole: a large echo is streamed.
                let (bytes, stream) =
                    match echo::reply_or_stream(request, &config.echo_options, keep_alive) {
                        Ok(bytes) => (bytes, None),
                        Err(streamed) => (streamed.head.clone(), Some(streamed)),
                    };
                let mut answer = Answer::echo(bytes, is_head, keep_alive);
                answer.stream = stream.filter(|_| !is_head);
                answer
            }
            (None, Some(request)) => {
                let mut answer = Answer::echo(
                    echo::reply(&request, &config.echo_options, keep_alive),
                    is_head,
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
        };
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
                    .send_numbered(message.raw.len(), |seq| {
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
            let origin = Origin {
                role,
                connection: self.id,
                nth: self.nth,
                peer: self.peer.to_string(),
                at: at.format("%H:%M:%S%.3f").to_string(),
            };
            let json_extra = vec![
                ("connection", self.id.into()),
                ("peer", self.peer.to_string().into()),
                ("answers", seq.into()),
            ];
            match &mut item {
                Item::Message(message) => {
                    message.index = seq as usize;
                    message.number = seq as usize;
                    message.context.origin = Some(origin);
                    message.context.json_extra = json_extra;
                }
                Item::Error(error) => {
                    error.index = seq as usize;
                    error.fragment.context.origin = Some(origin);
                    error.fragment.context.json_extra = json_extra;
                }
                Item::Stray(_) => {}
            }
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
        let ctx = self.ctx();
        let seq = match &shared.output {
            Some(output) => {
                output
                    .send_numbered(error.fragment.raw.len(), |seq| {
                        error.index = seq as usize;
                        let context = &mut error.fragment.context;
                        context.origin = Some(ctx.origin(&received));
                        context.answered = Some(status);
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

/// Who sent a request: the words of its title and its JSON fields.
struct Ctx {
    conn: u64,
    nth: u64,
    peer: SocketAddr,
}

impl Ctx {
    /// The facts of a received request's title.
    fn origin(&self, at: &DateTime<Local>) -> Origin {
        Origin {
            role: Role::Request,
            connection: self.conn,
            nth: self.nth,
            peer: self.peer.to_string(),
            at: at.format("%H:%M:%S%.3f").to_string(),
        }
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
    message.context.origin = Some(ctx.origin(at));
    message.context.json_extra = ctx.json(at);
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

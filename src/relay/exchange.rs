//! One exchange: forward the request (head, then body by its framing), read the
//! responses (interim 1xx passed on as they come, 100-continue included), pass the final
//! one back the same way, and hand the tables to the printer's order. Failures that
//! leave the client without a response get one made here: 400 for a request that
//! cannot be read or routed, 502 when the upstream cannot be reached or breaks off,
//! 504 when it stays silent.

use std::time::Instant;

use tokio::fs::File;

use super::conn::{Conn, Open};
use super::framing::Body;
use super::order::Ticket;
use super::pump::{self, Kept, Stopped};

mod response;

use super::route::{self, Ask, Route};
use super::show::{self, Facts};
use super::upstream::{self, Target};
use super::Stats;
use crate::explain::{count, Label};
use crate::model::{Framing, Item, Message, ParseError, RelayDirection};
use crate::render::relay::rewritten_notes;
use crate::server::conn::ending::{refusal_text, status_for};
use crate::server::output::Job;
use crate::server::reply;
use response::Waited;

/// What the connection does after an exchange.
pub(super) enum Next {
    KeepAlive,
    Close,
    /// Close gently: the client may still be sending what was not read.
    Linger,
}

pub(super) struct Exchange<'c, 'a> {
    conn: &'c mut Conn<'a>,
    ticket: Ticket,
    facts: Facts,
    arrived: Instant,
    /// The tables (and notes) of this exchange, in order.
    jobs: Vec<Job>,
    save_request: Option<File>,
    save_response: Option<File>,
}

/// How reading the final response ended.
enum Answered {
    /// Passed on whole; whether the upstream connection may carry another exchange.
    Done { reusable: bool, close_client: bool },
    /// The 101 was passed on: the connection is another protocol's now.
    Switched,
    /// Nothing of a final response was passed on: answer this (502/504) instead.
    Failed { status: u16, why: String },
    /// Broken off after part of it was passed on: both connections close.
    Cut,
}

impl<'c, 'a> Exchange<'c, 'a> {
    pub(super) async fn start(conn: &'c mut Conn<'a>, arrived: Instant) -> Exchange<'c, 'a> {
        let shared = conn.shared;
        let ticket = shared.order.ticket();
        Stats::add(&shared.stats.exchanges, 1);
        let facts = Facts {
            exchange: ticket.number,
            client: conn.id,
            client_peer: conn.peer.to_string(),
            upstream: None,
        };
        let (save_request, save_response) = match &shared.config.save {
            Some(dir) => {
                let file = |dir: &std::path::Path, what: &str| {
                    dir.join(format!("{:06}-{what}.http", ticket.number))
                };
                (
                    File::create(file(dir, "request")).await.ok(),
                    File::create(file(dir, "response")).await.ok(),
                )
            }
            None => (None, None),
        };
        Exchange {
            conn,
            ticket,
            facts,
            arrived,
            jobs: Vec::new(),
            save_request,
            save_response,
        }
    }

    fn timeout(&self) -> std::time::Duration {
        self.conn.shared.config.timeout
    }

    /// A request head that cannot be read: 400 (431 for one too large; `status` when
    /// given), never forwarded.
    pub(super) async fn refuse(mut self, error: Box<ParseError>, status: Option<u16>) -> Next {
        let status = status.unwrap_or_else(|| status_for(&error.kind));
        let text = refusal_text(&error, status);
        pump::save(&mut self.save_request, self.conn.client.unread()).await;
        let relayed = self.facts.relayed(RelayDirection::Request);
        self.jobs
            .push(Job::Item(Box::new(Item::Error(show::stamp_error(
                error, relayed,
            )))));
        self.answer_here(status, &text).await
    }

    /// Answer the client with a short plain-text reply made here, show it, end.
    async fn answer_here(mut self, status: u16, why: &str) -> Next {
        Stats::add(&self.conn.shared.stats.errors, 1);
        let bytes = reply::plain(status, why);
        pump::save(&mut self.save_response, &bytes).await;
        let mut relayed = self.facts.relayed(RelayDirection::Response);
        relayed.upstream = None;
        relayed.elapsed = Some(self.arrived.elapsed());
        self.jobs
            .push(Job::Item(Box::new(show::made_here(&bytes, relayed))));
        let timeout = self.timeout();
        let _ = pump::send(&mut self.conn.client_w, &bytes, timeout).await;
        self.finish().await;
        Next::Linger
    }

    /// Hand the tables to the order: the one place an exchange goes to be shown (a
    /// live view would hook in here). Gives the connection back, for a tunnel.
    async fn finish(self) -> (&'c mut Conn<'a>, Facts) {
        let Exchange {
            conn,
            ticket,
            jobs,
            facts,
            ..
        } = self;
        conn.shared.order.finished(ticket, jobs).await;
        (conn, facts)
    }

    fn show_request(&mut self, kept: &Kept, rewritten: Vec<(Vec<u8>, Vec<u8>)>) {
        if !self.conn.shared.order.shows() {
            return;
        }
        let mut relayed = self.facts.relayed(RelayDirection::Request);
        relayed.rewritten = rewritten;
        let item = show::message(kept, None, relayed);
        let notes = match &item {
            Item::Message(m) => rewritten_notes(&m.context, self.conn.shared.config.lang),
            _ => Vec::new(),
        };
        self.jobs.push(Job::Item(Box::new(item)));
        self.jobs.extend(notes.into_iter().map(Job::Note));
    }

    fn show_response(&mut self, kept: &Kept, to_head: bool) {
        if !self.conn.shared.order.shows() {
            return;
        }
        let mut relayed = self.facts.relayed(RelayDirection::Response);
        relayed.elapsed = Some(self.arrived.elapsed());
        self.jobs.push(Job::Item(Box::new(show::message(
            kept,
            Some(to_head),
            relayed,
        ))));
    }

    fn note(&mut self, text: String) {
        self.jobs.push(Job::Note(text));
    }

    /// Relay one request whose head (`len` bytes) is at the front of the client's buffer.
    pub(super) async fn run(mut self, message: Box<Message>, len: usize) -> Next {
        let shared = self.conn.shared;
        let config = &shared.config;
        let ask = Ask {
            to: config.to.as_ref(),
            rewrite_host: config.rewrite_host,
            forwarded: config.forwarded,
            peer: self.conn.peer,
            lang: config.lang,
        };
        let mut kept_request = Kept::head(&message.raw[..len]);
        pump::save(&mut self.save_request, &message.raw[..len]).await;
        self.conn.client.take(len);
        let body = body_of(&message);
        let has_body = body.is_some();
        if has_body {
            // Until it is passed on, the table shows the head with the body not read.
            kept_request.unread_body = true;
        }
        let Route {
            target,
            head,
            rewritten,
            connect,
        } = match route::route(&message, len, &ask) {
            Ok(route) => route,
            Err(why) => {
                self.show_request(&kept_request, Vec::new());
                return self.answer_here(400, &why).await;
            }
        };
        if let Err(failed) = self.upstream(&target, connect).await {
            self.show_request(&kept_request, rewritten);
            let status = if failed.timed_out { 504 } else { 502 };
            return self.answer_here(status, &failed.why).await;
        }
        if connect {
            return self.tunnel_connect(&kept_request).await;
        }
        let to_head = message.method() == Some(b"HEAD");
        let sent = self
            .forward_request(&message, &head, body, &mut kept_request)
            .await;
        self.show_request(&kept_request, rewritten);
        let (body_sent, retry_head) = match sent {
            Ok(body_sent) => (body_sent, !has_body),
            Err(why) => {
                self.note(Label::RelayCut.fill(
                    shared.config.lang,
                    &[&self.facts.exchange.to_string(), &why],
                ));
                Stats::add(&shared.stats.errors, 1);
                self.conn.upstream = None;
                self.finish().await;
                return Next::Close;
            }
        };
        let answered = self.response(to_head, retry_head.then_some(&head)).await;
        // A client whose body was held back (a final answer instead of 100) is closed.
        let keep_client = keeps_alive(&message) && body_sent;
        self.end(answered, keep_client).await
    }

    /// After the response: what becomes of both connections, and the tables shown.
    async fn end(self, answered: Answered, keep_client: bool) -> Next {
        match answered {
            Answered::Done {
                reusable,
                close_client,
            } => {
                if !reusable {
                    self.conn.upstream = None;
                } else if let Some(up) = &mut self.conn.upstream {
                    up.reused = true;
                }
                self.finish().await;
                if close_client || !keep_client {
                    Next::Close
                } else {
                    Next::KeepAlive
                }
            }
            Answered::Switched => self.tunnel_switched().await,
            Answered::Failed { status, why } => {
                self.conn.upstream = None;
                self.answer_here(status, &why).await
            }
            Answered::Cut => {
                Stats::add(&self.conn.shared.stats.errors, 1);
                self.conn.upstream = None;
                self.finish().await;
                Next::Close
            }
        }
    }

    /// Make sure an upstream connection to `target` is open (a new one for a tunnel).
    async fn upstream(&mut self, target: &Target, fresh: bool) -> Result<(), upstream::Failed> {
        let shared = self.conn.shared;
        let open = self
            .conn
            .upstream
            .as_ref()
            .is_some_and(|u| &u.target == target);
        if !open || fresh {
            self.conn.upstream = None;
            let number = shared
                .upstream_numbers
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1;
            let up = upstream::connect(
                target,
                shared.config.tls.as_ref(),
                shared.config.timeout,
                number,
                shared.config.lang,
            )
            .await?;
            self.conn.upstream = Some(Open::new(up, shared));
        }
        let up = self.conn.upstream.as_ref().expect("opened above");
        self.facts.upstream = Some((up.number, up.peer.clone()));
        Ok(())
    }

    /// Write the head and pass the body on. `Ok(false)` when the body was held back
    /// because the upstream answered finally before asking for it (100-continue).
    async fn forward_request(
        &mut self,
        message: &Message,
        head: &[u8],
        body: Option<Body>,
        kept: &mut Kept,
    ) -> Result<bool, String> {
        let timeout = self.timeout();
        let lang = self.conn.shared.config.lang;
        let up = self.conn.upstream.as_mut().expect("connected before");
        let peer = up.peer.clone();
        pump::send(&mut up.writer, head, timeout)
            .await
            .map_err(|e| Label::RelayConnectFailed.fill(lang, &[&peer, &e.to_string()]))?;
        let Some(body) = body else {
            return Ok(true);
        };
        if message.expects_continue() && self.conn.client.unread().is_empty() {
            match self.wait_continue().await? {
                Waited::Final => return Ok(false),
                Waited::Continue | Waited::Client => {}
            }
        }
        kept.unread_body = false;
        let conn = &mut *self.conn;
        let up = conn.upstream.as_mut().expect("connected before");
        let result = pump::body(
            &mut conn.client,
            &mut up.writer,
            body,
            kept,
            &mut self.save_request,
            timeout,
        )
        .await;
        match result {
            Ok(()) => Ok(true),
            Err(Stopped::Closed) => Err(Label::RelayClientGone.text(lang).to_string()),
            Err(Stopped::Silent) => {
                Err(Label::RelayClientSilent.fill(lang, &[&format!("{timeout:?}")]))
            }
            Err(Stopped::Broken(b)) => Err(Label::RelayBadChunk.fill(lang, &[&b.0])),
            // The upstream stopped reading: it may have answered early (413); the
            // response says.
            Err(Stopped::Receiver) => Ok(true),
        }
    }
}

/// How a message's body is framed, to follow as it streams; `None` for no body.
pub(super) fn body_of(message: &Message) -> Option<Body> {
    match message.body.framing? {
        Framing::None => None,
        Framing::ContentLength => {
            let value = message.header_values("content-length").next()?;
            let first = value.split(|&b| b == b',').next()?;
            let n: u64 = std::str::from_utf8(first).ok()?.trim().parse().ok()?;
            (n > 0).then_some(Body::Fixed(n))
        }
        Framing::Chunked => Some(Body::chunked()),
        Framing::UntilClose => Some(Body::UntilClose),
    }
}

/// Whether the sender of `message` keeps the connection open after it (RFC 9112
/// section 9.3).
pub(super) fn keeps_alive(message: &Message) -> bool {
    if message.connection_has("close") {
        return false;
    }
    message.version() == b"HTTP/1.1" || message.connection_has("keep-alive")
}

/// "12 bytes", in the language.
pub(super) fn bytes_text(n: u64, lang: crate::explain::Lang) -> String {
    count(n as usize, Label::CountByte, Label::CountBytes, lang)
}

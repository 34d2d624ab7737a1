//! The upstream's side of an exchange: waiting for 100 Continue, passing interim and
//! final responses back, and the tunnels that follow CONNECT's 200 and an Upgrade's 101.

use tokio::io::AsyncWriteExt;

use super::{body_of, keeps_alive, Answered, Exchange, Next};
use crate::explain::Label;
use crate::model::{Item, RelayDirection};
use crate::relay::inbound::Head;
use crate::relay::pump::{self, Kept, Stopped};
use crate::relay::show;
use crate::relay::tunnel;
use crate::relay::Stats;
use crate::server::output::Job;
use crate::wire::{self, Parsed};

/// How waiting for 100 Continue ended.
pub(super) enum Waited {
    /// 100 came and was passed on: send the body.
    Continue,
    /// The client sent its body without waiting.
    Client,
    /// The upstream answered otherwise (or not at all): the body is not sent.
    Final,
}

/// CONNECT's answer, made here once the upstream connection is open.
const ESTABLISHED: &[u8] = b"HTTP/1.1 200 Connection Established\r\n\r\n";

impl Exchange<'_, '_> {
    /// The client asked for 100 Continue: wait for the upstream's answer to the head, or
    /// for the client to send its body anyway (curl does after a second).
    pub(super) async fn wait_continue(&mut self) -> Result<Waited, String> {
        let timeout = self.timeout();
        let shared = self.conn.shared;
        loop {
            let conn = &mut *self.conn;
            let up = conn.upstream.as_mut().expect("connected before");
            let parsed = wire::parse_response_head(up.reader.unread(), 0, &shared.parse, false);
            match parsed {
                Parsed::Complete { message, .. } => {
                    let status = message.status().unwrap_or(0);
                    if !(100..200).contains(&status) || status == 101 {
                        return Ok(Waited::Final);
                    }
                    self.pass_interim(message.head_len()).await?;
                    if status == 100 {
                        return Ok(Waited::Continue);
                    }
                    continue;
                }
                Parsed::Error { .. } => return Ok(Waited::Final),
                Parsed::Partial { .. } => {}
            }
            let client = &mut conn.client;
            tokio::select! {
                read = client.fill_within(timeout) => {
                    if !matches!(read, Ok(Some(n)) if n > 0) {
                        return Err(Label::RelayClientGone.text(shared.config.lang).to_string());
                    }
                    return Ok(Waited::Client);
                }
                read = up.reader.fill_within(timeout) => {
                    if !matches!(read, Ok(Some(n)) if n > 0) {
                        // Whatever it is, reading the response says it.
                        return Ok(Waited::Final);
                    }
                }
            }
        }
    }

    /// Pass an interim (1xx) response of `len` head bytes on to the client and show it.
    async fn pass_interim(&mut self, len: usize) -> Result<(), String> {
        let timeout = self.timeout();
        let conn = &mut *self.conn;
        let up = conn.upstream.as_mut().expect("connected before");
        let head = up.reader.unread()[..len].to_vec();
        up.reader.take(len);
        pump::save(&mut self.save_response, &head).await;
        pump::send(&mut conn.client_w, &head, timeout)
            .await
            .map_err(|_| {
                Label::RelayClientGone
                    .text(conn.shared.config.lang)
                    .to_string()
            })?;
        self.show_response(&Kept::head(&head), false);
        Ok(())
    }

    /// Read the upstream's responses to the request just forwarded and pass them on.
    /// `retry` is the head to send again on a new connection if a reused one turns out
    /// closed before any byte (a stale keep-alive connection); only without a body.
    pub(super) async fn response(&mut self, to_head: bool, retry: Option<&[u8]>) -> Answered {
        let shared = self.conn.shared;
        let (timeout, lang) = (shared.config.timeout, shared.config.lang);
        let mut retried = false;
        loop {
            let up = self.conn.upstream.as_mut().expect("connected before");
            let peer = up.peer.clone();
            let head = up
                .reader
                .head(&shared.parse, timeout, Some(to_head))
                .await
                .unwrap_or(Head::Cut { timed_out: false });
            let silent = || Answered::Failed {
                status: 504,
                why: Label::RelaySilent.fill(lang, &[&peer, &format!("{timeout:?}")]),
            };
            let closed = || Answered::Failed {
                status: 502,
                why: Label::RelayUpstreamClosed.fill(lang, &[&peer]),
            };
            let (message, len) = match head {
                Head::Idle | Head::Cut { timed_out: true } => return silent(),
                Head::Closed if up.reused && !retried && retry.is_some() => {
                    retried = true;
                    let target = up.target.clone();
                    if let Err(failed) = self.upstream(&target, true).await {
                        let status = if failed.timed_out { 504 } else { 502 };
                        return Answered::Failed {
                            status,
                            why: failed.why,
                        };
                    }
                    let up = self.conn.upstream.as_mut().expect("opened above");
                    let head = retry.unwrap_or_default();
                    if pump::send(&mut up.writer, head, timeout).await.is_err() {
                        return closed();
                    }
                    continue;
                }
                Head::Closed | Head::Cut { .. } => return closed(),
                Head::Bad { error } => {
                    if shared.config.strict {
                        return Answered::Failed {
                            status: 502,
                            why: Label::RelayBadResponse.fill(lang, &[&peer]),
                        };
                    }
                    return self.pass_unreadable(error).await;
                }
                Head::Whole { message, len } => (message, len),
            };
            let status = message.status().unwrap_or(0);
            if (100..200).contains(&status) && status != 101 {
                if self.pass_interim(len).await.is_err() {
                    return Answered::Cut;
                }
                continue;
            }
            return self.pass_final(&message, len, to_head).await;
        }
    }

    /// Pass the final response on: its head, then its body by its framing.
    async fn pass_final(
        &mut self,
        message: &crate::model::Message,
        len: usize,
        to_head: bool,
    ) -> Answered {
        let shared = self.conn.shared;
        let (timeout, lang) = (shared.config.timeout, shared.config.lang);
        let conn = &mut *self.conn;
        let up = conn.upstream.as_mut().expect("connected before");
        let head = up.reader.unread()[..len].to_vec();
        up.reader.take(len);
        let mut kept = Kept::head(&head);
        pump::save(&mut self.save_response, &head).await;
        if pump::send(&mut conn.client_w, &head, timeout)
            .await
            .is_err()
        {
            self.show_response(&kept, to_head);
            return Answered::Cut;
        }
        if message.status() == Some(101) {
            self.show_response(&kept, to_head);
            return Answered::Switched;
        }
        let body = body_of(message);
        let until_close = matches!(body, Some(crate::relay::framing::Body::UntilClose));
        if let Some(body) = body {
            let passed = pump::body(
                &mut up.reader,
                &mut conn.client_w,
                body,
                &mut kept,
                &mut self.save_response,
                timeout,
            )
            .await;
            if let Err(stopped) = passed {
                let why = match stopped {
                    Stopped::Closed => Label::RelayUpstreamClosed.fill(lang, &[&up.peer]),
                    Stopped::Silent => {
                        Label::RelaySilent.fill(lang, &[&up.peer, &format!("{timeout:?}")])
                    }
                    Stopped::Receiver => Label::RelayClientGone.text(lang).to_string(),
                    Stopped::Broken(b) => Label::RelayBadChunk.fill(lang, &[&b.0]),
                };
                self.show_response(&kept, to_head);
                let n = self.facts.exchange.to_string();
                self.note(Label::RelayCut.fill(lang, &[&n, &why]));
                return Answered::Cut;
            }
        }
        let _ = conn.client_w.flush().await;
        self.show_response(&kept, to_head);
        let reusable = keeps_alive(message) && !until_close;
        Answered::Done {
            reusable,
            close_client: !reusable,
        }
    }

    /// A response that cannot be read: shown with what is wrong, and passed on as it
    /// is, to the end of the connection (where it ends is lost).
    async fn pass_unreadable(&mut self, error: Box<crate::model::ParseError>) -> Answered {
        let timeout = self.timeout();
        let conn = &mut *self.conn;
        let up = conn.upstream.as_mut().expect("connected before");
        let mut kept = Kept::head(&[]);
        let _ = pump::body(
            &mut up.reader,
            &mut conn.client_w,
            crate::relay::framing::Body::UntilClose,
            &mut kept,
            &mut self.save_response,
            timeout,
        )
        .await;
        Stats::add(&conn.shared.stats.errors, 1);
        let mut relayed = self.facts.relayed(RelayDirection::Response);
        relayed.elapsed = Some(self.arrived.elapsed());
        if self.conn.shared.order.shows() {
            let item = Item::Error(show::stamp_error(error, relayed));
            self.jobs.push(Job::Item(Box::new(item)));
        }
        Answered::Done {
            reusable: false,
            close_client: true,
        }
    }

    /// CONNECT in forward mode: answer 200 once the upstream connection is open, show
    /// the exchange, then pass bytes both ways until the tunnel closes.
    pub(super) async fn tunnel_connect(mut self, kept_request: &Kept) -> Next {
        self.show_request(kept_request, Vec::new());
        let timeout = self.timeout();
        pump::save(&mut self.save_response, ESTABLISHED).await;
        let sent = pump::send(&mut self.conn.client_w, ESTABLISHED, timeout).await;
        if self.conn.shared.order.shows() {
            let mut relayed = self.facts.relayed(RelayDirection::Response);
            relayed.elapsed = Some(self.arrived.elapsed());
            let item = show::message(&Kept::whole_message(ESTABLISHED), Some(false), relayed);
            self.jobs.push(Job::Item(Box::new(item)));
        }
        if sent.is_err() {
            self.finish().await;
            return Next::Close;
        }
        self.tunnel(Label::RelayTunnelTls).await
    }

    /// After a 101 passed on: the connection carries another protocol now.
    pub(super) async fn tunnel_switched(self) -> Next {
        self.tunnel(Label::RelayTunnelOther).await
    }

    /// Show the exchange now, then tunnel; a note says what passed when it closes.
    async fn tunnel(self, words: Label) -> Next {
        let (conn, facts) = self.finish().await;
        let shared = conn.shared;
        let Some(mut up) = conn.upstream.take() else {
            return Next::Close;
        };
        let counts = tunnel::run(
            &mut conn.client,
            &mut conn.client_w,
            &mut up.reader,
            &mut up.writer,
            shared.config.timeout,
        )
        .await;
        let lang = shared.config.lang;
        let bytes = |n| super::bytes_text(n, lang);
        shared.order.note_now(
            Some(facts.exchange),
            words.fill(
                lang,
                &[
                    &facts.exchange.to_string(),
                    &up.target.authority(),
                    &format!("{:.1} s", counts.lasted.as_secs_f64()),
                    &bytes(counts.up),
                    &bytes(counts.down),
                ],
            ),
        );
        Next::Close
    }
}

//! One connection: read bytes as they come, hand them to the shared parser until it has
//! a whole request (head, then body by Content-Length or chunked), answer it, and carry
//! on with the next one on the same connection (keep-alive, pipelining) until the client
//! or HTTP/1.0 or `Connection: close` says to stop. Bad, oversized and slow requests get
//! a short plain-text error reply and the connection is closed. The bytes read are the
//! [`Inbox`]'s, the replies owed the [`Responder`]'s; a connection decides when to wait,
//! parse, answer and stop.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{timeout_at, Instant, Sleep};

use super::answer::Responder;
use super::inbox::{Inbox, READ_SIZE};
use super::output::Job;
use super::record::Record;
use super::slots::Slot;
use super::typing::HeadWatch;
use super::{Shared, Stats};
use crate::model::Message;
use crate::pipeline;
use crate::wire::{self, Parsed, State};
use ending::Cut;

pub(crate) mod ending;

/// The server's two stop signals, as a connection watches them.
#[derive(Clone)]
pub(super) struct Signals {
    /// First Ctrl-C: finish what is in flight, take nothing new.
    pub(super) stop: watch::Receiver<bool>,
    /// Second Ctrl-C: stop at once.
    pub(super) kill: watch::Receiver<bool>,
}

/// Serve one connection to the end. I/O errors just end it: the client is gone.
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    id: u64,
    shared: &Shared,
    slot: &Slot,
    signals: Signals,
) {
    let (read, write) = stream.into_split();
    let record = Record::new(shared, peer, id);
    let mut conn = Conn {
        shared,
        inbox: Inbox::new(read),
        responder: Responder::new(write, shared, signals.kill.clone(), record),
        slot,
        evicted: false,
        stop: signals.stop,
        kill: signals.kill,
        heard: Instant::now(),
        began: Instant::now(),
        timer: Box::pin(tokio::time::sleep_until(
            Instant::now() + shared.config.timeout,
        )),
    };
    if let Ok(End::Linger) = conn.run().await {
        let Conn {
            inbox,
            responder,
            mut kill,
            ..
        } = conn;
        // The halves of one stream always fit together again.
        let Ok(stream) = inbox.into_half().reunite(responder.into_half()) else {
            return;
        };
        tokio::select! {
            _ = linger_close(stream) => {}
            _ = kill.wait_for(|&k| k) => {}
        }
    }
}

/// Close after an error reply without losing it: a socket closed while unread request
/// bytes wait in it sends a reset, which can destroy the reply before the client reads
/// it. So stop writing, then read and drop what still comes, for a short while.
pub(crate) async fn linger_close(mut stream: TcpStream) {
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
pub(super) enum End {
    /// Closed cleanly, nothing more to do.
    Done,
    /// After an error reply: close gently (see [`linger_close`]).
    Linger,
}

/// One connection: what it has read ([`Inbox`]), what it owes and keeps ([`Responder`]),
/// and when it must stop waiting.
struct Conn<'a> {
    shared: &'a Shared,
    inbox: Inbox,
    responder: Responder<'a>,
    slot: &'a Slot,
    /// A newer client took this connection's slot just as a request began: that request
    /// is served, then the connection closes.
    evicted: bool,
    stop: watch::Receiver<bool>,
    kill: watch::Receiver<bool>,
    /// When the client last sent bytes (or the connection opened).
    heard: Instant,
    /// When the first byte of the request being read came.
    began: Instant,
    /// The connection's one timer for `--timeout` (see [`fill_before`]).
    timer: Pin<Box<Sleep>>,
}

impl Conn<'_> {
    async fn run(&mut self) -> io::Result<End> {
        loop {
            let now = Instant::now();
            self.slot.idle_from(now);
            if let Some(end) = self.one_request(now).await? {
                return Ok(end);
            }
            self.inbox.release_answered();
        }
    }

    /// Read, answer and show one request, waited for from `now`. `None` when the
    /// connection stays open for the next one.
    async fn one_request(&mut self, now: Instant) -> io::Result<Option<End>> {
        let timeout = self.shared.config.timeout;
        let opts = &self.shared.parse;
        // Until a request begins: the idle time a connection may sit; then, from each
        // byte: how long the client may go quiet (a person may be typing).
        let mut deadline = now + timeout;
        let mut started = false;
        let mut continue_checked = false;
        let mut watch = HeadWatch::default();
        // Parse again only once this much is unread (0: at once).
        let mut parse_at = 0;
        let mut last_try = 0;
        loop {
            self.inbox.skip_blank_lines();
            let avail = self.inbox.unread().len();
            if avail > 0 && !started {
                started = true;
                self.evicted |= !self.slot.busy();
                // When those bytes came (read just now, or with the last request).
                self.began = self.heard;
                watch.begin(self.began);
            }
            if avail > 0 && avail >= parse_at {
                last_try = avail;
                let (unread, at) = (self.inbox.unread(), self.inbox.at());
                match wire::parse_message(unread, at, &mut State::default(), opts, false) {
                    Parsed::Complete { message, consumed } => {
                        return self.take(message, consumed).await;
                    }
                    Parsed::Partial { need } => parse_at = need.unwrap_or(avail + 1),
                    Parsed::Error { error, .. } => return self.refuse_parsed(error).await,
                }
            }
            // Nothing whole to answer: send what is owed, then wait for more.
            self.responder.flush().await?;
            if started && !continue_checked {
                continue_checked = self.continue_if_asked().await?;
            }
            // Drop what was answered before reading, so `new` below indexes the
            // buffer as `read_more` leaves it.
            self.inbox.compact();
            let before = self.inbox.unread().len();
            let wake = watch.next_look().filter(|_| started);
            let end = match self.read_more(deadline, started, parse_at, wake).await? {
                Read::Bytes(n) => {
                    deadline = self.heard + timeout;
                    let grown = self.inbox.unread().len();
                    let line_ended = self.inbox.unread()[before..].contains(&b'\n');
                    if worth_parsing(parse_at, grown, last_try, line_ended, n, opts.max_head) {
                        parse_at = parse_at.min(grown);
                    }
                    continue;
                }
                Read::Look => {
                    self.tell_typing(&mut watch).await;
                    continue;
                }
                Read::Closed | Read::TimedOut | Read::Stopping if !started => End::Done,
                Read::Closed => self.at_end(Cut::Closed).await?,
                Read::TimedOut => self.at_end(Cut::TimedOut).await?,
                Read::SlotTaken => self.at_end(Cut::SlotTaken).await?,
                Read::Stopping => End::Done,
                Read::Killed => self.killed().await?,
            };
            return Ok(Some(end));
        }
    }

    /// A whole request was read (`consumed` bytes of the unread part): lint, answer and
    /// show it. `None` when the connection stays open.
    async fn take(
        &mut self,
        mut message: Box<Message>,
        consumed: usize,
    ) -> io::Result<Option<End>> {
        self.inbox.take(consumed);
        pipeline::lint_message(&mut message);
        let must_close = self.must_close();
        if self.responder.answer(message, must_close).await? {
            return Ok(None);
        }
        self.responder.flush().await?;
        Ok(Some(End::Done))
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
        let unread = self.inbox.unread();
        let opts = &self.shared.parse;
        let next = wire::parse_message(unread, 0, &mut State::default(), opts, false);
        !matches!(next, Parsed::Complete { .. })
    }

    /// Tell the terminal how far the head being typed has come, if it is time to.
    async fn tell_typing(&self, watch: &mut HeadWatch) {
        let Some(output) = &self.shared.output else {
            return;
        };
        let (lang, max_head) = (self.shared.config.lang, self.shared.parse.max_head);
        let id = self.responder.id();
        if let Some(note) = watch.look(self.inbox.unread(), max_head, id, lang) {
            output.send(Job::Note(note)).await;
        }
    }

    /// Once the head of the request being read is whole, send `100 Continue` if it asks
    /// for it before its body. Returns whether the head was judged (no need to look again).
    async fn continue_if_asked(&mut self) -> io::Result<bool> {
        match wire::parse_head_first(self.inbox.unread(), 0, &self.shared.parse) {
            Parsed::Partial { .. } => Ok(false),
            Parsed::Complete { message, .. } => {
                if message.expects_continue() {
                    self.responder.send_continue().await?;
                }
                Ok(true)
            }
            // The whole request will be refused for it.
            Parsed::Error { .. } => Ok(true),
        }
    }

    /// Read what the socket has into the inbox (compacted first: see [`Inbox::fill`]).
    /// In a request, returns [`Read::Look`] at `wake`.
    async fn read_more(
        &mut self,
        deadline: Instant,
        started: bool,
        parse_at: usize,
        wake: Option<Instant>,
    ) -> io::Result<Read> {
        let read = if started {
            // Waiting in the middle of a request: at the limit, a new client may take
            // the slot (unless it was taken already, as this request began).
            self.slot.waiting(self.began);
            let may_be_taken = !self.evicted;
            let outcome = tokio::select! {
                biased;
                read = fill_before(&mut self.inbox, &mut self.timer, deadline, parse_at) => Ok(read),
                _ = self.kill.wait_for(|&k| k) => Err(Read::Killed),
                _ = self.slot.evicted(), if may_be_taken => Err(Read::SlotTaken),
                _ = sleep_until_some(wake) => Err(Read::Look),
            };
            self.slot.not_waiting();
            match outcome {
                Ok(read) => read,
                Err(other) => return Ok(other),
            }
        } else {
            // Between requests a connection may be closed for a graceful stop, or to
            // make room for a newer client.
            tokio::select! {
                biased;
                read = fill_before(&mut self.inbox, &mut self.timer, deadline, parse_at) => read,
                _ = self.stop.wait_for(|&s| s) => return Ok(Read::Stopping),
                _ = self.slot.evicted() => return Ok(Read::Stopping),
            }
        };
        Ok(match read {
            None => Read::TimedOut,
            Some(Ok(0)) => Read::Closed,
            Some(Ok(n)) => {
                self.heard = Instant::now();
                Stats::add(&self.shared.stats.bytes_in, n as u64);
                Read::Bytes(n)
            }
            Some(Err(e)) => return Err(e),
        })
    }
}

/// Read into `inbox` (see [`Inbox::fill`]) unless `deadline` passes first (`None`).
/// Deadlines only move later, one request after another, so the connection's one `timer`
/// is not moved for each: when it fires before the deadline it is set again, and a
/// request costs no timer work.
async fn fill_before(
    inbox: &mut Inbox,
    timer: &mut Pin<Box<Sleep>>,
    deadline: Instant,
    parse_at: usize,
) -> Option<io::Result<usize>> {
    if timer.deadline() > deadline {
        timer.as_mut().reset(deadline);
    }
    let fill = inbox.fill(parse_at);
    tokio::pin!(fill);
    loop {
        tokio::select! {
            biased;
            read = &mut fill => return Some(read),
            () = timer.as_mut() => {
                if Instant::now() >= deadline {
                    return None;
                }
                timer.as_mut().reset(deadline);
            }
        }
    }
}

/// Whether to parse again after a read of `n` bytes left `grown` unread. Re-parsing a
/// long unfinished message on every small read would cost quadratic time; a message can
/// only become whole when a line ends, or when a length the parser asked for is reached.
fn worth_parsing(
    parse_at: usize,
    grown: usize,
    last_try: usize,
    line_ended: bool,
    n: usize,
    max_head: usize,
) -> bool {
    let drained = n < READ_SIZE;
    parse_at <= grown || (line_ended && (drained || grown >= 2 * last_try)) || grown > max_head
}

/// Resolves at `at`; never without it.
async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

enum Read {
    Bytes(usize),
    Closed,
    /// No byte for `--timeout`.
    TimedOut,
    /// In the middle of a request: time to look at how far its head has come.
    Look,
    /// In the middle of a request, silent: a new client took the slot.
    SlotTaken,
    /// Between requests: the server is stopping, or a newer client took the slot.
    Stopping,
    /// In the middle of a request: the second Ctrl-C.
    Killed,
}

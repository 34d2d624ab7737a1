//! The listener: binds, accepts connections up to a limit (see [`slots`]), hands each to
//! its own task (see [`conn`]), and on Ctrl-C or SIGTERM stops accepting, lets requests in
//! flight finish (or, on a second signal, cuts them off) and reports what it served. Nothing here parses or renders: that is the shared
//! parser and the renderers, reached through [`conn`] and [`printer`].

mod answer;
pub(crate) mod conn;
pub mod echo;
mod inbox;
pub mod output;
mod record;
pub mod reply;
pub mod save;
pub(crate) mod slots;
mod typing;

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

use crate::explain::count;
use crate::explain::{Label, Lang};
use crate::live::LiveHub;
use crate::render::RenderOptions;
use crate::wire::ParseOptions;
use output::{Job, Output};
use reply::Reply;
use save::SaveDir;
use slots::Slots;

/// Connections the kernel queues for `accept` while the server is busy. 128 (the usual
/// default) overflows in bursts, and each overflow costs a client a 1 s SYN retry.
const BACKLOG: u32 = 4096;
/// Cut-off requests listed by name when `listen` stops; the rest are counted.
const CUT_OFF_LISTED: usize = 20;

/// Everything the server needs, decided before it starts.
pub struct Config {
    pub addr: SocketAddr,
    pub reply: Reply,
    pub echo: bool,
    /// How `--echo` draws its table (always without colour).
    pub echo_options: RenderOptions,
    pub show_response: bool,
    pub save: Option<SaveDir>,
    pub max_head: usize,
    pub max_body: u64,
    pub timeout: Duration,
    pub max_connections: u32,
    /// The language of the notes between tables.
    pub lang: Lang,
    /// `--live`: every request and reply is published to the page too.
    pub live: Option<LiveHub>,
}

/// Counts for the summary printed at the end.
#[derive(Debug, Default)]
pub struct Stats {
    pub connections: AtomicU64,
    pub requests: AtomicU64,
    /// Requests the server refused (400, 408, 413, 431, 500); not a status the user chose.
    pub errors: AtomicU64,
    /// Connections turned away with 503 because every slot was busy with a request.
    pub refused: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    /// Requests in flight cut off by a second Ctrl-C.
    pub cut_off: AtomicU64,
    /// The first of them, to name when stopping.
    pub cut_off_list: Mutex<Vec<CutOff>>,
}

/// A request in flight cut off by a second Ctrl-C.
#[derive(Debug, Clone)]
pub struct CutOff {
    pub connection: u64,
    /// Its number on the connection.
    pub nth: u64,
    pub peer: SocketAddr,
    /// How much of it had arrived.
    pub bytes: usize,
}

impl Stats {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn note_cut_off(&self, cut: CutOff) {
        let mut list = self.cut_off_list.lock().unwrap_or_else(|e| e.into_inner());
        if list.len() < CUT_OFF_LISTED {
            list.push(cut);
        }
    }
}

/// What every connection task shares.
struct Shared {
    config: Config,
    parse: ParseOptions,
    /// `None` with `--quiet`.
    output: Option<Output>,
    stats: Stats,
    /// The server-wide numbers of requests (and of cut-off notes).
    numbers: Numbers,
}

impl Shared {
    /// Give the next request (or cut-off note) its server-wide number, and queue for the
    /// printer what `make` builds with it. Without a printer (`--quiet`, or once it has
    /// stopped) it is numbered all the same and `make` is not called.
    /// With `--live`, what is queued is published to the page as well, in number order.
    async fn number(&self, size: usize, make: impl FnOnce(u64) -> Job) -> u64 {
        let live = self.config.live.as_ref();
        let make = |seq| {
            let job = make(seq);
            if let (Some(live), Job::Item(item)) = (live, &job) {
                live.publish(item);
            }
            job
        };
        if let Some(output) = &self.output {
            if let Some(seq) = output.send_numbered(size, &self.numbers, make).await {
                return seq;
            }
            return self.numbers.next();
        }
        match live {
            Some(_) => self.numbers.next_with(|seq| drop(make(seq))),
            None => self.numbers.next(),
        }
    }
}

/// The one counter that numbers what the listener receives, in the order it is queued
/// for printing.
#[derive(Default)]
struct Numbers(Mutex<u64>);

impl Numbers {
    fn next(&self) -> u64 {
        self.next_with(|_| ())
    }

    /// The next number, with `then` run while it is taken: what `then` queues is queued
    /// in number order.
    fn next_with(&self, then: impl FnOnce(u64)) -> u64 {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *last += 1;
        then(*last);
        *last
    }
}

/// A bound listener, not yet serving.
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    slots: Arc<Slots>,
}

impl Server {
    /// Bind the address. Must run inside a tokio runtime.
    pub async fn bind(config: Config, output: Option<Output>) -> io::Result<Server> {
        let listener = listen(config.addr)?;
        let slots = Slots::new(config.max_connections as usize);
        let parse = ParseOptions {
            max_head: config.max_head,
            max_body: Some(config.max_body),
            ..ParseOptions::default()
        };
        Ok(Server {
            listener,
            shared: Arc::new(Shared {
                config,
                parse,
                output,
                stats: Stats::default(),
                numbers: Numbers::default(),
            }),
            slots,
        })
    }

    /// How many connections are busy with a request, at any time (for the first Ctrl-C).
    pub fn in_flight(&self) -> impl Fn() -> usize + Send + Sync + 'static {
        let slots = self.slots.clone();
        move || slots.busy()
    }

    /// The address actually bound (the real port for port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until `stop` turns true, then wait for the connections still open to finish
    /// their request in flight, or until `kill` turns true. Returns the counts.
    pub async fn run(self, stop: watch::Receiver<bool>, kill: watch::Receiver<bool>) -> Stats {
        let shared = self.shared;
        let slots = self.slots;
        let signals = conn::Signals { stop, kill };
        let mut stop = signals.stop.clone();
        let mut ids = 0u64;
        while let Some((stream, peer)) = accept(&self.listener, &mut stop).await {
            ids += 1;
            let Some(slot) = slots.take(ids) else {
                Stats::add(&shared.stats.refused, 1);
                if let Some(output) = &shared.output {
                    let config = &shared.config;
                    output.try_note(Label::ListenTurnedAway.fill(
                        config.lang,
                        &[
                            &ids.to_string(),
                            &peer.to_string(),
                            &count(
                                config.max_connections as usize,
                                Label::CountConnection,
                                Label::CountConnections,
                                config.lang,
                            ),
                        ],
                    ));
                }
                tokio::spawn(refuse(stream, shared.config.lang));
                continue;
            };
            Stats::add(&shared.stats.connections, 1);
            let shared = shared.clone();
            let signals = signals.clone();
            tokio::spawn(async move {
                conn::serve(stream, peer, ids, &shared, &slot, signals).await;
                // The last reference must be gone once every slot is back (see below).
                drop(shared);
                drop(slot);
            });
        }
        drop(self.listener);
        slots.all_gone().await;
        Arc::into_inner(shared).map(|s| s.stats).unwrap_or_default()
    }
}

/// A listener on `addr` with a backlog deep enough for bursts of clients.
/// The next client, or `None` once `stop` turns true. A failed accept (out of file
/// descriptors and the like) is said, and after a moment accepting goes on.
pub(crate) async fn accept(
    listener: &TcpListener,
    stop: &mut watch::Receiver<bool>,
) -> Option<(TcpStream, SocketAddr)> {
    loop {
        let accepted = tokio::select! {
            biased;
            _ = stop.wait_for(|&s| s) => return None,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                return Some((stream, peer));
            }
            Err(e) => {
                eprintln!("httpdump: accept: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

pub(crate) fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // As `TcpListener::bind` does: a restarted server can bind while old connections
    // of the last run are in TIME_WAIT.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Answer a connection over the limit with 503 and close it gently.
async fn refuse(mut stream: TcpStream, lang: Lang) {
    let bytes = reply::plain(503, Label::ListenBusyBody.text(lang));
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&bytes)).await;
    conn::linger_close(stream).await;
}

//! `relay`: stand between a real client and a real server. It accepts clients as
//! `listen` does (the same listener, connection slots and printer), reads each request
//! head through the wire parser, opens the upstream connection (`--to`, or the host an
//! absolute target or CONNECT names) and passes the exact bytes on both ways, bodies
//! streamed by their framing. Each exchange's tables are handed to [`order`], which
//! shows them in the order requests arrived. It owns both sockets, so it sits next to
//! `server` and `client` rather than under `source`.

mod conn;
mod exchange;
mod framing;
mod inbound;
mod order;
mod pump;
mod route;
mod show;
mod tunnel;
pub mod upstream;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::explain::{count, Label, Lang};
use crate::live::LiveHub;
use crate::server::output::Output;
use crate::server::slots::Slots;
use crate::wire::ParseOptions;
use order::Order;
pub use upstream::Target;

/// Everything the relay needs, decided before it starts.
pub struct Config {
    pub addr: SocketAddr,
    /// Reverse mode's server; `None` for a forward proxy.
    pub to: Option<Target>,
    pub rewrite_host: bool,
    pub forwarded: bool,
    /// An upstream response that cannot be read gets the client a 502 instead.
    pub strict: bool,
    pub save: Option<PathBuf>,
    pub max_head: usize,
    pub timeout: Duration,
    pub max_connections: u32,
    /// For `https://` upstreams.
    pub tls: Option<Arc<ClientConfig>>,
    pub lang: Lang,
    /// `--live`: where each exchange is published, in the order shown.
    pub live: Option<LiveHub>,
}

/// Counts for the summary printed at the end.
#[derive(Debug, Default)]
pub struct Stats {
    pub connections: AtomicU64,
    pub exchanges: AtomicU64,
    /// Exchanges relay answered itself (400, 431, 502, 504) or cut off.
    pub errors: AtomicU64,
    pub from_clients: Arc<AtomicU64>,
    pub from_upstreams: Arc<AtomicU64>,
}

impl Stats {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// What every connection task shares.
struct Shared {
    config: Config,
    /// For heads from both sides.
    parse: ParseOptions,
    order: Order,
    stats: Arc<Stats>,
    upstream_numbers: AtomicU64,
}

/// A bound relay, not yet serving.
pub struct Relay {
    listener: TcpListener,
    shared: Arc<Shared>,
    slots: Arc<Slots>,
}

impl Relay {
    /// Bind the address. Must run inside a tokio runtime.
    pub fn bind(mut config: Config, output: Option<Output>) -> io::Result<Relay> {
        let listener = crate::server::listen(config.addr)?;
        let order = Order::new(output, config.live.take());
        let slots = Slots::new(config.max_connections as usize);
        let parse = ParseOptions {
            max_head: config.max_head,
            ..ParseOptions::default()
        };
        Ok(Relay {
            listener,
            shared: Arc::new(Shared {
                config,
                parse,
                order,
                stats: Arc::default(),
                upstream_numbers: AtomicU64::new(0),
            }),
            slots,
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// How many client connections are in the middle of an exchange.
    pub fn in_flight(&self) -> impl Fn() -> usize + Send + Sync + 'static {
        let slots = self.slots.clone();
        move || slots.busy()
    }

    /// Relay until `stop` turns true, then let exchanges in flight finish, or stop at
    /// once when `kill` turns true. Returns the counts.
    pub async fn run(
        self,
        stop: watch::Receiver<bool>,
        mut kill: watch::Receiver<bool>,
    ) -> Arc<Stats> {
        let shared = self.shared;
        let stats = shared.stats.clone();
        let slots = self.slots;
        let mut stopping = stop.clone();
        let mut ids = 0u64;
        while let Some((stream, peer)) = crate::server::accept(&self.listener, &mut stopping).await
        {
            ids += 1;
            let Some(slot) = slots.take(ids) else {
                // Every slot is busy with an exchange: as `listen`, a short 503.
                Stats::add(&shared.stats.errors, 1);
                let lang = shared.config.lang;
                let limit = shared.config.max_connections as usize;
                shared.order.note_now(
                    None,
                    Label::ListenTurnedAway.fill(
                        lang,
                        &[
                            &ids.to_string(),
                            &peer.to_string(),
                            &count(limit, Label::CountConnection, Label::CountConnections, lang),
                        ],
                    ),
                );
                tokio::spawn(refuse(stream, shared.config.lang));
                continue;
            };
            Stats::add(&shared.stats.connections, 1);
            let shared = shared.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                conn::serve(stream, peer, ids, &shared, &slot, stop).await;
                drop(shared);
                drop(slot);
            });
        }
        drop(self.listener);
        let killed = tokio::select! {
            _ = slots.all_gone() => false,
            _ = kill.wait_for(|&k| k) => true,
        };
        // Killed with connections still open: their tables are lost with them.
        if let (false, Some(shared)) = (killed, Arc::into_inner(shared)) {
            shared.order.close().await;
        }
        stats
    }
}

async fn refuse(mut stream: tokio::net::TcpStream, lang: Lang) {
    use tokio::io::AsyncWriteExt;
    let text = Label::ListenBusyBody.text(lang);
    let bytes = crate::server::reply::plain(503, text);
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&bytes)).await;
    crate::server::conn::linger_close(stream).await;
}

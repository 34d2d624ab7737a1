//! The listener: binds, accepts connections up to a limit, hands each to its own task
//! (see [`conn`]), and on Ctrl-C or SIGTERM stops accepting, lets requests in flight
//! finish and reports what it served. Nothing here parses or renders: that is the shared
//! parser and the renderers, reached through [`conn`] and [`printer`].

mod answer;
mod conn;
pub mod echo;
pub mod printer;
pub mod reply;
pub mod save;

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

use crate::parse::ParseOptions;
use crate::render::RenderOptions;
use printer::Output;
use reply::Reply;
use save::SaveDir;

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
}

/// Counts for the summary printed at the end.
#[derive(Debug, Default)]
pub struct Stats {
    pub connections: AtomicU64,
    pub requests: AtomicU64,
    /// Requests the server refused (400, 408, 413, 431, 500); not a status the user chose.
    pub errors: AtomicU64,
    /// Connections turned away with 503 because too many were open.
    pub refused: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
}

impl Stats {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// What every connection task shares.
struct Shared {
    config: Config,
    parse: ParseOptions,
    /// `None` with `--quiet`.
    output: Option<Output>,
    stats: Stats,
    /// Requests numbered when nothing is printed (otherwise the printer's queue numbers).
    sequence: AtomicU64,
}

/// A bound listener, not yet serving.
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
}

impl Server {
    /// Bind the address. Must run inside a tokio runtime.
    pub async fn bind(config: Config, output: Option<Output>) -> io::Result<Server> {
        let listener = TcpListener::bind(config.addr).await?;
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
                sequence: AtomicU64::new(0),
            }),
        })
    }

    /// The address actually bound (the real port for port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until `stop` turns true, then wait for the connections still open to finish
    /// their request in flight. Returns the counts.
    pub async fn run(self, mut stop: watch::Receiver<bool>) -> Stats {
        let shared = self.shared;
        let limit = Arc::new(Semaphore::new(shared.config.max_connections as usize));
        let mut ids = 0u64;
        loop {
            let accepted = tokio::select! {
                biased;
                _ = stop.wait_for(|&s| s) => break,
                accepted = self.listener.accept() => accepted,
            };
            let (stream, peer) = match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, keep serving.
                    eprintln!("httpdump: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            ids += 1;
            let Ok(permit) = limit.clone().try_acquire_owned() else {
                Stats::add(&shared.stats.refused, 1);
                if let Some(output) = &shared.output {
                    output.try_note(format!(
                        "Connection {ids} from {peer} turned away with 503: {} connections are open (--max-connections)",
                        shared.config.max_connections
                    ));
                }
                tokio::spawn(refuse(stream));
                continue;
            };
            Stats::add(&shared.stats.connections, 1);
            let shared = shared.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                conn::serve(stream, peer, ids, &shared, stop).await;
                // The last reference must be gone once every permit is back (see below).
                drop(shared);
                drop(permit);
            });
        }
        drop(self.listener);
        // Every permit back means every connection task has finished.
        let all = shared.config.max_connections;
        let _ = limit.acquire_many(all).await;
        Arc::into_inner(shared).map(|s| s.stats).unwrap_or_default()
    }
}

/// Answer a connection over the limit with 503 and close it gently.
async fn refuse(mut stream: TcpStream) {
    let bytes = reply::plain(503, "too many connections are open; try again later");
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&bytes)).await;
    conn::linger_close(stream).await;
}

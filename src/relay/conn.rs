//! One client connection: wait for each request's head, decide where it goes, and run
//! the exchange ([`super::exchange`]); keep-alive and pipelined requests follow one
//! another on it, each forwarded once the one before is answered. An upstream
//! connection is kept open across exchanges while they go to the same place.

use std::net::SocketAddr;
use std::time::Instant;

use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::exchange::{Exchange, Next};
use super::inbound::{Head, Inbound};
use super::upstream::{Io, Target, Upstream};
use super::Shared;
use crate::server::slots::Slot;

/// An open upstream connection, its two halves.
pub(super) struct Open {
    pub(super) reader: Inbound<tokio::io::ReadHalf<Box<dyn Io>>>,
    pub(super) writer: tokio::io::WriteHalf<Box<dyn Io>>,
    pub(super) target: Target,
    pub(super) number: u64,
    pub(super) peer: String,
    /// It has carried an exchange already (a close before any byte may be a stale
    /// keep-alive connection, worth one retry).
    pub(super) reused: bool,
}

impl Open {
    pub(super) fn new(up: Upstream, shared: &Shared) -> Open {
        let (read, writer) = tokio::io::split(up.io);
        Open {
            reader: Inbound::new(read, shared.stats.from_upstreams.clone()),
            writer,
            target: up.target,
            number: up.number,
            peer: up.peer,
            reused: false,
        }
    }
}

/// The client side of a connection, and the upstream it uses now.
pub(super) struct Conn<'a> {
    pub(super) shared: &'a Shared,
    pub(super) client: Inbound<OwnedReadHalf>,
    pub(super) client_w: OwnedWriteHalf,
    pub(super) id: u64,
    pub(super) peer: SocketAddr,
    pub(super) upstream: Option<Open>,
}

/// Serve one client connection to the end.
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    id: u64,
    shared: &Shared,
    slot: &Slot,
    mut stop: watch::Receiver<bool>,
) {
    let (read, write) = stream.into_split();
    let mut conn = Conn {
        shared,
        client: Inbound::new(read, shared.stats.from_clients.clone()),
        client_w: write,
        id,
        peer,
        upstream: None,
    };
    let timeout = shared.config.timeout;
    let linger = loop {
        slot.idle();
        // Between requests a connection may be closed for a graceful stop, or to make
        // room for a newer client; once a request has begun it is served.
        let head = if conn.client.unread().is_empty() && !conn.client.eof {
            tokio::select! {
                biased;
                head = conn.client.head(&shared.parse, timeout, None) => head,
                _ = stop.wait_for(|&s| s) => break false,
                _ = slot.evicted() => break false,
            }
        } else {
            conn.client.head(&shared.parse, timeout, None).await
        };
        let arrived = Instant::now();
        let head = match head {
            Ok(head) => head,
            Err(_) => break false,
        };
        let next = match head {
            Head::Closed | Head::Idle => break false,
            // The client went away in the middle of a head: nobody to answer.
            Head::Cut { timed_out: false } => break false,
            // It fell silent in the middle of a head: 408, as `listen` answers.
            Head::Cut { timed_out: true } => {
                let error = conn.client.timed_out_head(&shared.parse, timeout);
                Exchange::start(&mut conn, arrived)
                    .await
                    .refuse(error, Some(408))
                    .await
            }
            Head::Bad { error } => {
                slot.busy();
                Exchange::start(&mut conn, arrived)
                    .await
                    .refuse(error, None)
                    .await
            }
            Head::Whole { message, len } => {
                // A newer client took this slot as the request came: it is relayed all
                // the same, then the connection closes (as `listen` does).
                let evicted = !slot.busy();
                let next = Exchange::start(&mut conn, arrived)
                    .await
                    .run(message, len)
                    .await;
                if evicted {
                    break matches!(next, Next::Linger);
                }
                next
            }
        };
        match next {
            Next::KeepAlive => continue,
            Next::Close => break false,
            Next::Linger => break true,
        }
    };
    let Conn {
        client, client_w, ..
    } = conn;
    if linger {
        if let Ok(stream) = client.into_half().reunite(client_w) {
            crate::server::conn::linger_close(stream).await;
        }
    } else {
        let mut client_w = client_w;
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut client_w).await;
    }
}

//! What `send` knows about a message besides its bytes: the exchange it belongs to, which
//! way it went, the connection that carried it (address, TLS) and how long it took.

use std::time::Duration;

/// A message `send` wrote or read (the renderers word it in titles and JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// The exchange's number, from 1: a request and the responses to it share it.
    pub number: usize,
    pub direction: Direction,
    pub connection: Connection,
    /// For the final response: how long each step took.
    pub timing: Option<Timing>,
    /// Reading stopped at `--max-body` (this many body bytes) before the body ended.
    pub cut_at: Option<u64>,
}

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Written to the server.
    Sent,
    /// Read from the server.
    Received,
}

impl Direction {
    /// The name used in JSON output and in `--save` file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Sent => "sent",
            Direction::Received => "received",
        }
    }
}

/// The connection an exchange went over.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Connection {
    /// The connection's number, from 1 (a redirect opens a new one).
    pub number: usize,
    /// The host name as given (the URL's, or `--to`'s).
    pub host: String,
    /// The address it resolved to and was connected to, e.g. `127.0.0.1:8080`.
    pub peer: String,
    /// What TLS said, for `https://`.
    pub tls: Option<TlsFacts>,
}

/// What the TLS handshake settled, shown so that students see HTTPS carry the same text.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TlsFacts {
    /// e.g. `TLSv1.3`.
    pub version: String,
    /// e.g. `TLS13_AES_128_GCM_SHA256`.
    pub cipher: String,
    /// The protocol ALPN agreed on (`http/1.1`), if the server took part.
    pub alpn: Option<String>,
    /// The server certificate's subject, e.g. `CN=localhost`.
    pub subject: Option<String>,
    /// The certificate was not checked (`--insecure`).
    pub unverified: bool,
}

/// How long the steps of an exchange took. The connection's steps are zero for a second
/// exchange on the same connection (pipelined), which did not need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Timing {
    /// Looking the host name up.
    pub resolve: Duration,
    /// The TCP handshake.
    pub connect: Duration,
    /// The TLS handshake, for `https://`.
    pub tls: Option<Duration>,
    /// From the request's first byte written to the response's first byte read.
    pub first_byte: Duration,
    /// From the start of the exchange (the lookup) to the response's last byte.
    pub total: Duration,
    /// The exchange reused a connection opened for an earlier one.
    pub reused: bool,
}

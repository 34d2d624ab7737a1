//! What `relay` knows about a message besides its bytes: the exchange it belongs to,
//! which way it went, the client and upstream connections, how long the exchange took,
//! how much of a streamed body the table holds, and the lines proxy rules changed.

use std::time::Duration;

/// A message `relay` passed on (the renderers word it in titles and JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relayed {
    /// The exchange's number, from 1, in the order requests arrived.
    pub exchange: u64,
    pub direction: RelayDirection,
    /// The client's connection number (from 1) and address.
    pub client: u64,
    pub client_peer: String,
    /// The upstream connection number (from 1) and the address it went to, once one was
    /// opened.
    pub upstream: Option<(u64, String)>,
    /// For a response: from the request's head arriving to the response's last byte.
    pub elapsed: Option<Duration>,
    /// The body's bytes on the wire, when the table holds only the first of them.
    pub body_total: Option<u64>,
    /// How many body bytes the table holds when [`Relayed::body_total`] is set.
    pub kept: usize,
    /// Lines forwarded otherwise than received: (as received, as forwarded); an empty
    /// first is a line added.
    pub rewritten: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Which way a relayed message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayDirection {
    /// From the client, on to the upstream.
    Request,
    /// From the upstream (or relay itself, for 502/504), back to the client.
    Response,
}

impl RelayDirection {
    /// The name used in JSON output and `--save` file names.
    pub fn as_str(self) -> &'static str {
        match self {
            RelayDirection::Request => "request",
            RelayDirection::Response => "response",
        }
    }
}

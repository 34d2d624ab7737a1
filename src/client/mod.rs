//! The client behind `httpdump send`: a source that owns a socket. It resolves and
//! connects with timeouts, speaks TLS for `https://`, writes a request's exact bytes and
//! reads the responses by RFC 9112 framing through the wire parser. It never lints and
//! never prints: failures are typed ([`ClientError`]) and `cmd` words them.

pub mod conn;
pub mod request;
pub mod response;
pub mod tls;
pub mod url;

use std::io;
use std::time::Duration;

/// Why a URL cannot be sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    Scheme,
    Spaces,
    UserInfo,
    Port,
    NoHost,
    NotAuthority,
}

/// Why a TLS handshake failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsProblem {
    /// The certificate is not signed by a trusted root (self-signed, a private CA).
    UnknownIssuer,
    /// The certificate is for other names than the host asked for.
    NameMismatch,
    Expired,
    NotYetValid,
    /// Another certificate problem, as rustls names it.
    BadCertificate(String),
    /// The server refused the handshake with this alert.
    Alert(String),
    /// The server did not answer in TLS (a plain `http://` server?).
    NotTls,
    /// The server closed the connection during the handshake.
    Closed,
    TimedOut(Duration),
    Other(String),
}

/// Why a `--cacert` file gives no trust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaProblem {
    NoCertificate,
    Unreadable(String),
}

/// What stopped an exchange before any response could be read.
#[derive(Debug)]
pub enum ClientError {
    BadUrl {
        url: String,
        why: UrlProblem,
    },
    /// The name could not be looked up (the resolver's words).
    Resolve {
        host: String,
        why: String,
    },
    ResolveTimeout {
        host: String,
        after: Duration,
    },
    Refused {
        addr: String,
    },
    ConnectTimeout {
        addr: String,
        after: Duration,
    },
    Connect {
        addr: String,
        why: io::Error,
    },
    Tls {
        host: String,
        why: TlsProblem,
    },
    CaCert {
        path: String,
        why: CaProblem,
    },
    /// Writing the request failed (or timed out: `after`).
    Write {
        why: io::Error,
        after: Option<Duration>,
    },
}

impl std::fmt::Display for ClientError {
    /// Plain English for logs and tests; `cmd` words it for users in their language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ClientError {}

/// An I/O error a socket timeout gives: `WouldBlock` on Unix, `TimedOut` elsewhere.
pub fn is_timeout(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

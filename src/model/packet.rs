//! What a packet capture (pcap, pcapng) tells about a message besides its bytes: the TCP
//! stream that carried it, which way it went, when its first byte was captured, and the
//! streams that carried no HTTP at all.

use chrono::{DateTime, Utc};

/// When a packet was captured, if the file says: a pcapng simple packet block records
/// no time.
pub type Captured = Option<DateTime<Utc>>;

/// The TCP connection a message was reassembled from (the renderers word it in titles
/// and JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpStream {
    /// From 0, in order of each connection's first packet, as Wireshark's `tcp.stream`.
    pub number: usize,
    /// The side that opened it (sent the SYN, or the requests), e.g. `127.0.0.1:40312`.
    pub client: String,
    /// The other side, e.g. `127.0.0.1:80` or `[::1]:8080`.
    pub server: String,
}

/// Where in a capture a message was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    pub stream: TcpStream,
    /// Sent by the client (a request) or by the server.
    pub from_client: bool,
    /// The capture time of the message's first byte.
    pub at: Captured,
    /// For a response: the `index` of the request it answers, when that request was seen.
    pub answers: Option<usize>,
}

/// A TCP stream that carried something other than HTTP/1.x, listed once when it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamNote {
    pub stream: TcpStream,
    /// The capture time of its first packet.
    pub at: Captured,
    pub kind: StreamKind,
    /// Payload bytes from the client and from the server.
    pub client_bytes: u64,
    pub server_bytes: u64,
}

/// What a stream without HTTP/1.x carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// TLS records: HTTPS or another protocol, encrypted.
    Tls,
    /// The HTTP/2 connection preface.
    Http2,
    /// Bytes that are not HTTP/1.x.
    Other,
    /// The connection carried no payload at all.
    Empty,
    /// HTTP until a `101 Switching Protocols` (a WebSocket, say); the bytes counted are
    /// those after the switch.
    Switched,
}

impl StreamKind {
    /// The name in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamKind::Tls => "tls",
            StreamKind::Http2 => "http2",
            StreamKind::Other => "other",
            StreamKind::Empty => "empty",
            StreamKind::Switched => "switched",
        }
    }
}

/// What a capture yields besides messages: a stream listed once, or packets that could
/// not be followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureNote {
    Stream(StreamNote),
    /// IPv4 or IPv6 fragments (not reassembled, so their TCP payload is missing).
    Fragments {
        count: u64,
    },
    /// Packets of a link type that is not read (the pcap link type number).
    LinkType {
        linktype: i32,
        count: u64,
    },
}

/// Why a capture file could not be read on (`explain` words it in each language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureError {
    pub kind: CaptureErrorKind,
    /// The byte of the file where the block that failed starts.
    pub offset: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureErrorKind {
    /// The file ends inside a block.
    Truncated,
    /// A block that is not what the format says (pcap-parser's reason).
    Malformed(String),
    /// A block longer than the limit, in bytes.
    TooLarge(usize),
}

impl std::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            CaptureErrorKind::Truncated => {
                write!(
                    f,
                    "the capture ends inside the block at byte {}",
                    self.offset
                )
            }
            CaptureErrorKind::Malformed(why) => {
                write!(
                    f,
                    "the capture has a malformed block at byte {} ({why})",
                    self.offset
                )
            }
            CaptureErrorKind::TooLarge(limit) => write!(
                f,
                "the capture's block at byte {} is larger than {limit} bytes",
                self.offset
            ),
        }
    }
}

impl std::error::Error for CaptureError {}

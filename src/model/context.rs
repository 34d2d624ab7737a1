//! What is known about a message besides its bytes: where it was read from (a file, a
//! transcript, a listener, `send`, `relay`, a HAR entry, a capture) and what that source
//! said about it. Sources fill it; renderers word it in titles and JSON.

use chrono::{DateTime, Local};

use super::SourceLines;

/// Where a message came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SourceKind {
    #[default]
    Raw,
    Curl,
    Httpie,
    /// Rebuilt from a HAR file's entries.
    Har,
    Pcap,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Raw => "raw",
            SourceKind::Curl => "curl",
            SourceKind::Httpie => "httpie",
            SourceKind::Har => "har",
            SourceKind::Pcap => "pcap",
        }
    }
}

/// Facts about a message that are not in its bytes: where it was read from and what the
/// tool that captured it said.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Context {
    pub source: SourceKind,
    /// Who sent the message and when, as a listener saw it (the renderer words it, e.g.
    /// `(connection 2, #2 on it) from 127.0.0.1:51432 at 10:31:07.120`).
    pub origin: Option<Origin>,
    /// The status a listener answered an unreadable request with.
    pub answered: Option<u16>,
    /// What a transcript said about the exchange (the renderer words it).
    pub capture: Option<Capture>,
    /// False when the capture did not include the body (curl hides it).
    pub body_hidden: Option<BodyHidden>,
    /// For transcripts: the transcript line (1-based) each message line came from.
    pub source_lines: SourceLines,
    /// Notes from the capturing tool worth showing (curl's `* ...` lines).
    pub notes: Vec<String>,
    /// What a transcript's tool printed as the body when that is not the body on the
    /// wire (a gzip body curl printed decoded, a body that does not match its length).
    pub printed_body: Option<Vec<u8>>,
    /// How many bytes right after the message in its input start no message (neither a
    /// blank line nor a start line): a body longer than its framing said. Set by a
    /// reader that saw what follows; 0 otherwise.
    pub unframed_after: usize,
    /// For `send`: the exchange, direction and connection (the renderer words it).
    pub exchange: Option<super::Exchange>,
    /// For a message rebuilt from a HAR file: the entry's facts (the renderer words them).
    pub har: Option<super::HarEntry>,
    /// For `relay`: the exchange, direction and both connections (the renderer words it).
    pub relay: Option<super::Relayed>,
    /// For a packet capture: the TCP stream and time (the renderer words it).
    pub packet: Option<super::Packet>,
}

/// What a transcript (`curl -v` output) tells about a message besides its lines.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Capture {
    /// The command at the shell prompt, e.g. `curl -v http://juejin.cn`.
    pub command: Option<String>,
    /// Where the tool said it connected, e.g. `juejin.cn (203.0.113.10) port 80 (#0)`.
    pub connected: Option<String>,
    /// The head is HTTP/2 printed as text: on the wire it was binary frames.
    pub http2: bool,
}

/// Where a listener met a message: the facts its title is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub role: Role,
    /// The connection's number, from 1, in order of arrival.
    pub connection: u64,
    /// The request's number on its connection, from 1 (for an answer: the request's).
    pub nth: u64,
    /// The request's number among all the listener received, from 1 (for an answer:
    /// the number of the request it answers).
    pub number: u64,
    /// The client's address.
    pub peer: String,
    /// When the request arrived.
    pub at: DateTime<Local>,
}

/// What a listener's message was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A request it received.
    Request,
    /// The final answer it sent.
    Answer,
    /// A 1xx answer it sent before the final one.
    InterimAnswer,
}

/// A body the capture left out: how many bytes passed, if the capture said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyHidden {
    pub bytes: Option<u64>,
}

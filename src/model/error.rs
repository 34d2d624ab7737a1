//! The typed error a parse can end in: what was wrong, on which line, at which byte.

use crate::model::Fragment;

/// What was wrong with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The first line is neither a request line nor a status line.
    NotStartLine,
    /// A request line without exactly three parts separated by single spaces.
    BadRequestLine,
    /// A method that is not a token.
    BadMethod,
    /// A request target with a space or control character.
    BadTarget,
    /// A version that is not `HTTP/d.d`.
    BadVersion,
    /// A status line whose code is not three digits.
    BadStatusCode,
    /// A control character in the reason phrase.
    BadReason,
    /// A header line without a colon.
    NoColon,
    /// A header line starting with a colon (no name).
    EmptyHeaderName,
    /// A character in a field name that is not allowed in a token.
    BadHeaderName,
    /// Whitespace between a field name and its colon (servers must reject it).
    SpaceBeforeColon,
    /// A control character in a field value.
    BadHeaderValue,
    /// A CR not followed by LF.
    BareCr,
    /// A continuation line (starting with space or tab) in a request.
    ObsFold,
    /// More header lines than the limit.
    TooManyHeaders { limit: usize },
    /// The head is longer than the limit.
    HeadTooLarge { limit: usize },
    /// The body is longer than the limit.
    BodyTooLarge { limit: u64, length: Option<u64> },
    /// A Content-Length value that is not a number, or several that differ.
    BadContentLength,
    /// A Transfer-Encoding on a request whose final coding is not chunked.
    BadTransferEncoding,
    /// A chunk-size line that is not hex digits.
    BadChunkSize,
    /// Whitespace at the end of a chunk-size line (`5 `): RFC 9112 section 7.1 allows it
    /// only before a `;`, and parsers that disagree about it can be smuggled past.
    ChunkSizeSpace,
    /// A chunk extension that is not `;name` or `;name=value` (`5;`, `5;=x`, `5;a=`).
    BadChunkExtension,
    /// Chunk data not followed by a line ending.
    BadChunkEnd,
    /// The input ended inside the head.
    TruncatedHead,
    /// The input ended inside a Content-Length body.
    TruncatedBody { expected: u64, got: u64 },
    /// The input ended inside a chunked body.
    TruncatedChunked,
    /// A TLS record (a ClientHello): the client spoke `https://` to plain HTTP.
    Tls,
    /// The HTTP/2 connection preface `PRI * HTTP/2.0`: HTTP/2, not HTTP/1.x.
    Http2Preface,
    /// The server stopped waiting: no byte came for `idle_ms` (`--timeout`) in the
    /// middle of a message (`in_head`: before its blank line).
    TimedOut { idle_ms: u64, in_head: bool },
    /// Every connection slot was taken and this one had been in the middle of a message
    /// for `after_ms`, waiting for its client: it was closed to make room for a new one.
    SlotTaken {
        after_ms: u64,
        in_head: bool,
        limit: u32,
    },
}

impl ErrorKind {
    /// A stable kebab-case name for JSON. Its text, in both languages, is
    /// `explain::error_text`.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::NotStartLine => "not-start-line",
            ErrorKind::BadRequestLine => "bad-request-line",
            ErrorKind::BadMethod => "bad-method",
            ErrorKind::BadTarget => "bad-target",
            ErrorKind::BadVersion => "bad-version",
            ErrorKind::BadStatusCode => "bad-status-code",
            ErrorKind::BadReason => "bad-reason",
            ErrorKind::NoColon => "no-colon",
            ErrorKind::EmptyHeaderName => "empty-header-name",
            ErrorKind::BadHeaderName => "bad-header-name",
            ErrorKind::SpaceBeforeColon => "space-before-colon",
            ErrorKind::BadHeaderValue => "bad-header-value",
            ErrorKind::BareCr => "bare-cr",
            ErrorKind::ObsFold => "obs-fold",
            ErrorKind::TooManyHeaders { .. } => "too-many-headers",
            ErrorKind::HeadTooLarge { .. } => "head-too-large",
            ErrorKind::BodyTooLarge { .. } => "body-too-large",
            ErrorKind::BadContentLength => "bad-content-length",
            ErrorKind::BadTransferEncoding => "bad-transfer-encoding",
            ErrorKind::BadChunkSize => "bad-chunk-size",
            ErrorKind::ChunkSizeSpace => "chunk-size-space",
            ErrorKind::BadChunkExtension => "bad-chunk-extension",
            ErrorKind::BadChunkEnd => "bad-chunk-end",
            ErrorKind::TruncatedHead => "truncated-head",
            ErrorKind::TruncatedBody { .. } => "truncated-body",
            ErrorKind::TruncatedChunked => "truncated-chunked",
            ErrorKind::Tls => "tls",
            ErrorKind::Http2Preface => "http2-preface",
            ErrorKind::TimedOut { .. } => "timed-out",
            ErrorKind::SlotTaken { .. } => "slot-taken",
        }
    }
}

/// A message that could not be read, with what could be read of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ErrorKind,
    /// 1-based position among all messages and errors of the input.
    pub index: usize,
    /// The line of the message that broke (0 = the start line), as numbered in tables.
    pub line: usize,
    /// Absolute byte offset in the input of the first offending byte.
    pub offset: usize,
    /// The lines before and including the one that broke.
    pub fragment: Fragment,
}

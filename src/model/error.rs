//! The typed error a parse can end in: what was wrong, on which line, at which byte.

use std::fmt;

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
}

impl ErrorKind {
    /// A stable kebab-case name for JSON and translations.
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
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::NotStartLine => {
                f.write_str("not a request line (METHOD target HTTP/1.1) or status line (HTTP/1.1 200 OK)")
            }
            ErrorKind::BadRequestLine => f.write_str(
                "request line must be three parts separated by single spaces: method, target, version",
            ),
            ErrorKind::BadMethod => f.write_str("invalid character in method"),
            ErrorKind::BadTarget => f.write_str("invalid character in request target"),
            ErrorKind::BadVersion => f.write_str("invalid HTTP version (expected HTTP/1.0 or HTTP/1.1)"),
            ErrorKind::BadStatusCode => f.write_str("status code must be three digits"),
            ErrorKind::BadReason => f.write_str("invalid character in reason phrase"),
            ErrorKind::NoColon => f.write_str("header line has no colon"),
            ErrorKind::EmptyHeaderName => f.write_str("header line has no name before the colon"),
            ErrorKind::BadHeaderName => f.write_str("invalid character in header name"),
            ErrorKind::SpaceBeforeColon => f.write_str("whitespace between header name and colon"),
            ErrorKind::BadHeaderValue => f.write_str("invalid character in header value"),
            ErrorKind::BareCr => f.write_str("CR not followed by LF"),
            ErrorKind::ObsFold => f.write_str("obsolete line folding (line starts with whitespace)"),
            ErrorKind::TooManyHeaders { limit } => write!(f, "more than {limit} header lines"),
            ErrorKind::HeadTooLarge { limit } => {
                write!(f, "head is larger than {limit} bytes")
            }
            ErrorKind::BodyTooLarge { limit, length } => match length {
                Some(n) => write!(f, "body of {n} bytes is larger than the limit of {limit} bytes"),
                None => write!(f, "body is larger than the limit of {limit} bytes"),
            },
            ErrorKind::BadContentLength => f.write_str("invalid Content-Length"),
            ErrorKind::BadTransferEncoding => {
                f.write_str("Transfer-Encoding does not end in chunked, so the body length is unknown")
            }
            ErrorKind::BadChunkSize => f.write_str("invalid chunk-size line (expected hex digits)"),
            ErrorKind::ChunkSizeSpace => f.write_str(
                "whitespace at the end of a chunk-size line (allowed only before ';', RFC 9112 section 7.1)",
            ),
            ErrorKind::BadChunkExtension => f.write_str(
                "invalid chunk extension (expected ;name or ;name=value, RFC 9112 section 7.1.1)",
            ),
            ErrorKind::BadChunkEnd => f.write_str("chunk data is not followed by CRLF"),
            ErrorKind::TruncatedHead => f.write_str("input ended inside the head (no blank line yet)"),
            ErrorKind::TruncatedBody { expected, got } => write!(
                f,
                "body cut off: Content-Length says {expected} bytes, input has {got}"
            ),
            ErrorKind::TruncatedChunked => {
                f.write_str("chunked body cut off before the last chunk (0)")
            }
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

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, byte {}: {}", self.line, self.offset, self.kind)
    }
}

impl std::error::Error for ParseError {}

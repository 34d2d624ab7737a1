//! The model of one HTTP/1.x message exactly as it was written: its raw bytes, every line
//! with its byte offset and line ending, headers in order, the body and its framing, and
//! the diagnostics found while reading it. No I/O and no formatting happen here.

use std::ops::Range;

use super::{Code, Context, Subject};

mod lines;
mod source_lines;

pub use lines::Lines;
pub use source_lines::SourceLines;

/// A byte range into [`Message::raw`] (or [`Fragment::raw`]).
pub type Span = Range<usize>;

/// How a line ended on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// `\r\n`, as RFC 9112 asks for.
    CrLf,
    /// A bare `\n`, which recipients may accept (RFC 9112 section 2.2).
    Lf,
    /// The input ended before the line did.
    None,
}

impl LineEnding {
    /// How many bytes the ending takes.
    pub fn len(self) -> usize {
        match self {
            LineEnding::CrLf => 2,
            LineEnding::Lf => 1,
            LineEnding::None => 0,
        }
    }

    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::CrLf => "crlf",
            LineEnding::Lf => "lf",
            LineEnding::None => "none",
        }
    }
}

/// Which part of a message a line belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    StartLine,
    Header,
    BlankLine,
    Body,
    /// A chunk's size line (hex, maybe extensions), before its data.
    ChunkSize,
    /// A chunk's data: exactly as many bytes as its size line says, a line per LF in it.
    ChunkData,
    /// The line ending after a chunk's data, which the size does not count (an empty
    /// line carrying that ending).
    ChunkEnd,
    /// The size line `0` that ends a chunked body's data (RFC 9112 section 7.1).
    LastChunk,
    Trailer,
}

impl Part {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::StartLine => "start-line",
            Part::Header => "header",
            Part::BlankLine => "blank-line",
            Part::Body => "body",
            Part::ChunkSize => "chunk-size",
            Part::ChunkData => "chunk-data",
            Part::ChunkEnd => "chunk-end",
            Part::LastChunk => "last-chunk",
            Part::Trailer => "trailer",
        }
    }
}

/// One line of a message: where it starts, how long its content is, how it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub part: Part,
    /// Offset of the line's first byte within the message's `raw`.
    pub start: usize,
    /// Length of the content, without the line ending.
    pub len: usize,
    pub ending: LineEnding,
}

impl Line {
    /// The content bytes' span (without the ending).
    pub fn content(&self) -> Span {
        self.start..self.start + self.len
    }

    /// Bytes on the wire, ending included.
    pub fn wire_len(&self) -> usize {
        self.len + self.ending.len()
    }

    /// Offset just past the line's ending.
    pub fn end(&self) -> usize {
        self.start + self.wire_len()
    }
}

/// A header (or trailer) field as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Number (index into [`Message::lines`]) of the line holding the field name.
    pub line: usize,
    /// The field name, exactly as written (no trailing whitespace).
    pub name: Span,
    /// The field value with surrounding whitespace trimmed. For an obsolete folded
    /// value this runs over the continuation lines.
    pub value: Span,
}

/// The first line of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartLine {
    Request {
        method: Span,
        target: Span,
        version: Span,
    },
    Response {
        version: Span,
        status: u16,
        reason: Span,
    },
}

/// How the body's length was decided (RFC 9112 section 6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body: a request without length fields, a response to HEAD, 1xx, 204, 304.
    None,
    ContentLength,
    Chunked,
    /// A response with neither length field: the body runs to the end of the input.
    UntilClose,
}

impl Framing {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Framing::None => "none",
            Framing::ContentLength => "content-length",
            Framing::Chunked => "chunked",
            Framing::UntilClose => "until-close",
        }
    }
}

/// The message body.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Body {
    pub framing: Option<Framing>,
    /// The body section on the wire (chunk framing and trailers included), within `raw`.
    pub wire: Span,
    /// The de-chunked payload, only for chunked bodies; other bodies are `raw[wire]`.
    pub decoded: Option<Vec<u8>>,
    /// Only the head was read (a capture that did not show the body): `wire` is empty
    /// whatever the head says, so the body's real length is unknown.
    pub unread: bool,
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Something worth telling about a message that still parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    /// The line it is about, if any (index into [`Message::lines`]).
    pub line: Option<usize>,
    /// Absolute byte offset in the input.
    pub offset: usize,
    /// Values the message text refers to (a header name, a count...).
    pub args: Vec<String>,
}

impl Diagnostic {
    pub fn new(code: Code, line: Option<usize>, offset: usize, args: Vec<String>) -> Self {
        Diagnostic {
            code,
            line,
            offset,
            args,
        }
    }

    /// How bad it is: always its code's.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// A finding about how a tool captured the message (a curl transcript), not about
    /// its bytes: such findings are listed after those about the bytes.
    pub fn about_capture(&self) -> bool {
        self.code.subject() == Subject::Capture
    }
}

/// Request or response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Request,
    Response,
}

/// One complete message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// 1-based position among all messages and errors of the input: the number in its
    /// title and JSON's `index` (for `listen`: the request's server-wide number, which
    /// its answer shares).
    pub index: usize,
    /// Absolute offset of `raw[0]` in the input.
    pub offset: usize,
    /// The message's exact bytes.
    pub raw: Vec<u8>,
    pub start: StartLine,
    pub lines: Lines,
    pub headers: Vec<Header>,
    pub trailers: Vec<Header>,
    pub body: Body,
    pub diagnostics: Vec<Diagnostic>,
    pub context: Context,
}

impl Message {
    pub fn kind(&self) -> Kind {
        match self.start {
            StartLine::Request { .. } => Kind::Request,
            StartLine::Response { .. } => Kind::Response,
        }
    }

    /// The bytes of a span of `raw`.
    pub fn bytes(&self, span: &Span) -> &[u8] {
        &self.raw[span.clone()]
    }

    /// A line's content, without its ending.
    pub fn line_bytes(&self, line: &Line) -> &[u8] {
        &self.raw[line.content()]
    }

    /// The payload: de-chunked for chunked bodies.
    pub fn body_bytes(&self) -> &[u8] {
        match &self.body.decoded {
            Some(decoded) => decoded,
            None => &self.raw[self.body.wire.clone()],
        }
    }

    /// The method of a request.
    pub fn method(&self) -> Option<&[u8]> {
        match &self.start {
            StartLine::Request { method, .. } => Some(self.bytes(method)),
            StartLine::Response { .. } => None,
        }
    }

    /// The HTTP version token of the start line, e.g. `HTTP/1.1`.
    pub fn version(&self) -> &[u8] {
        match &self.start {
            StartLine::Request { version, .. } | StartLine::Response { version, .. } => {
                self.bytes(version)
            }
        }
    }

    /// The status code of a response.
    pub fn status(&self) -> Option<u16> {
        match self.start {
            StartLine::Response { status, .. } => Some(status),
            StartLine::Request { .. } => None,
        }
    }

    /// Name and value of each header, in order.
    pub fn header_pairs(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.headers
            .iter()
            .map(|h| (self.bytes(&h.name), self.bytes(&h.value)))
    }

    /// Values of every header with this name (ASCII case-insensitive), in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.header_pairs()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// Whether a `Connection` header lists `token` (`close`, `keep-alive`), in any case
    /// (RFC 9110 section 7.6.1).
    pub fn connection_has(&self, token: &str) -> bool {
        self.header_values("connection")
            .any(|v| super::grammar::list_has(v, token))
    }

    /// Whether a request asks for `100 Continue` before it sends its body: HTTP/1.1 with
    /// `Expect: 100-continue` (RFC 9110 section 10.1.1).
    pub fn expects_continue(&self) -> bool {
        self.version() == b"HTTP/1.1"
            && self
                .header_values("expect")
                .any(|v| v.trim_ascii().eq_ignore_ascii_case(b"100-continue"))
    }

    /// How many chunks a chunked body has, the last chunk (`0`) not counted.
    pub fn chunk_count(&self) -> usize {
        let lines = self.lines.iter(&self.raw);
        lines.filter(|l| l.part == Part::ChunkSize).count()
    }

    /// Length of the head (start line, headers, blank line): where the body starts.
    pub fn head_len(&self) -> usize {
        self.body.wire.start
    }

    /// Bytes per part: start line, header lines, blank line, body section.
    pub fn part_sizes(&self) -> PartSizes {
        let mut sizes = PartSizes::default();
        for line in self.lines.iter(&self.raw) {
            let n = line.wire_len();
            match line.part {
                Part::StartLine => sizes.start_line += n,
                Part::Header => sizes.headers += n,
                Part::BlankLine
                    if line.start < self.body.wire.start || self.body.wire.is_empty() =>
                {
                    sizes.blank_line += n
                }
                Part::BlankLine
                | Part::Body
                | Part::ChunkSize
                | Part::ChunkData
                | Part::ChunkEnd
                | Part::LastChunk
                | Part::Trailer => sizes.body += n,
            }
        }
        sizes
    }
}

/// Byte counts of the parts of a message, for the summary under a table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartSizes {
    pub start_line: usize,
    pub headers: usize,
    pub blank_line: usize,
    pub body: usize,
}

/// What could be read of a message before it broke: shown with the error.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fragment {
    /// Absolute offset of `raw[0]` in the input.
    pub offset: usize,
    pub raw: Vec<u8>,
    pub lines: Lines,
    pub context: Context,
}

//! Transcripts: what `curl -v`, `curl --trace-ascii`, HTTPie (`http -v`) and xh (`xh -v`)
//! print about an exchange, turned back into messages. Each format is read into a list of
//! [`Event`]s (a head line sent or received, a body shown or hidden, a note of the tool);
//! [`build`] then rebuilds every message's wire bytes from them and hands those to the raw
//! parser, so a transcript gives the same model as raw HTTP. Pure: bytes in, items out.

mod build;
mod curl;
mod detect;
mod drafts;
mod httpie;
mod origins;
mod paste;
mod shown;
mod trace_ascii;
mod wrapped;

pub use detect::{detect, InputKind};

use crate::model::Item;

/// Which way a message went, seen from the client that printed the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Sent by the client: a request.
    Out,
    /// Received: a response.
    In,
}

/// How a transcript line ended. Terminals and editors change what curl wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    CrLf,
    Lf,
    /// `\r\r\n`: a CRLF line converted once more on its way through Windows tools.
    CrCrLf,
    /// The last line of the transcript, with no newline.
    None,
}

/// One line of a transcript: its number (1-based), content (no ending) and ending.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TLine<'a> {
    pub no: usize,
    /// Byte offset of the line in the transcript.
    pub offset: usize,
    pub text: &'a [u8],
    pub ending: Ending,
}

impl TLine<'_> {
    /// The line's bytes as the transcript had them, ending included.
    fn with_ending(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text);
        out.extend_from_slice(match self.ending {
            Ending::CrLf => b"\r\n",
            Ending::Lf => b"\n",
            Ending::CrCrLf => b"\r\r\n",
            Ending::None => b"",
        });
    }
}

/// Split a transcript into lines; CRs before an LF belong to the ending. The lines are
/// made one at a time as they are read, never held all at once.
pub(crate) fn split_lines(bytes: &[u8]) -> SplitLines<'_> {
    SplitLines {
        bytes,
        pos: 0,
        no: 0,
    }
}

/// The lines of a transcript, in order: see [`split_lines`].
#[derive(Clone)]
pub(crate) struct SplitLines<'a> {
    bytes: &'a [u8],
    pos: usize,
    no: usize,
}

impl<'a> Iterator for SplitLines<'a> {
    type Item = TLine<'a>;

    fn next(&mut self) -> Option<TLine<'a>> {
        let (bytes, pos) = (self.bytes, self.pos);
        if pos >= bytes.len() {
            return None;
        }
        let (end, next) = match bytes[pos..].iter().position(|&b| b == b'\n') {
            Some(lf) => (pos + lf, pos + lf + 1),
            None => (bytes.len(), bytes.len()),
        };
        let mut text = &bytes[pos..end];
        let crs = text.len() - text.iter().rposition(|&b| b != b'\r').map_or(0, |i| i + 1);
        let ending = if next == end {
            Ending::None
        } else {
            match crs {
                0 => Ending::Lf,
                1 => Ending::CrLf,
                _ => Ending::CrCrLf,
            }
        };
        if ending != Ending::None {
            text = &text[..text.len() - crs];
        }
        self.pos = next;
        self.no += 1;
        Some(TLine {
            no: self.no,
            offset: pos,
            text,
            ending,
        })
    }
}

/// What a transcript says, in order.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    /// The command that made the transcript (`$ curl -v http://...`).
    Command(String),
    /// One line of a message head (start line, header or the blank line).
    Head {
        dir: Dir,
        text: Vec<u8>,
        ending: Ending,
        line: usize,
    },
    /// Body bytes the tool printed. `origins` maps offsets in `bytes` to transcript lines;
    /// `exact` is true when the bytes are the wire bytes (a trace), not a rendering.
    Body {
        dir: Dir,
        bytes: Vec<u8>,
        origins: origins::Origins,
        exact: bool,
        /// What the reader should know about these bytes (a trace's dots).
        caveat: Option<crate::model::Code>,
    },
    /// Body bytes the tool counted but did not print: a part (`{ [18 bytes data]`) or,
    /// with `total`, the whole (`upload completely sent off: 8 bytes`).
    Hidden { dir: Dir, bytes: u64, total: bool },
    /// A remark of the tool (curl's `* ` lines), shown as context.
    Note(String),
    /// How the transcript was copied changed the head being read (a line a terminal
    /// wrapped): said about the message of that head.
    Flag {
        dir: Dir,
        code: crate::model::Code,
        args: Vec<String>,
    },
    /// A new connection: words for the titles of the messages that follow.
    Connection(String),
    /// Text that belongs to no message (shown as skipped), and where it starts in the
    /// transcript.
    Stray { bytes: Vec<u8>, at: usize },
}

/// The tool a transcript came from, which decides how it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// `curl -v` (any 7.x or 8.x format, `--trace-time`, `-vv`).
    CurlVerbose,
    /// `curl --trace-ascii` or `--trace`.
    CurlTrace,
    /// HTTPie `http -v` or xh `xh -v`: heads without prefixes.
    Httpie,
}

/// Read a whole transcript into items: messages in order, errors for messages that do
/// not parse, and skipped text. Never panics, whatever the bytes.
pub fn parse(bytes: &[u8], tool: Tool) -> Vec<Item> {
    let bytes = paste::without_tail(bytes);
    let lines = split_lines(bytes);
    let events = match tool {
        Tool::CurlVerbose => curl::events(lines),
        Tool::CurlTrace => trace_ascii::events(lines),
        Tool::Httpie => httpie::events(lines),
    };
    let source = match tool {
        Tool::Httpie => crate::model::SourceKind::Httpie,
        _ => crate::model::SourceKind::Curl,
    };
    build::build(events, bytes, source)
}

#[cfg(test)]
mod tests;

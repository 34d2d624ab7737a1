//! One direction of a TCP stream read as HTTP/1.x: the reassembled bytes wait in a
//! buffer (bounded) until the wire parser finds a whole message, and after a gap or a
//! start the capture missed, reading resumes at the next start line with a diagnostic.

use std::collections::VecDeque;

use crate::model::Captured;

use crate::model::grammar::{find_message_start, looks_like_start_line, next_line};
use crate::model::{Code, Diagnostic, Item, StartLine, Stray};
use crate::wire::{self, ParseOptions, Parsed, State};

/// The most bytes one message may take in a capture: past it the message is read as
/// if its stream ended there (a truncation the parser reports), so memory stays bounded.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;
/// While looking for a start line, at most this much of an unfinished line is kept.
const MAX_LINE: usize = 64 * 1024;

/// Why a direction is looking for the next start line.
#[derive(Clone, Copy)]
struct Resync {
    /// Bytes never captured (0 when the stream's start was missed instead).
    gap: u64,
    /// Bytes skipped since, to reach a start line.
    skipped: u64,
    /// After a message that could not be read: the bytes skipped are shown (as a file
    /// reader shows them), not only counted.
    shown: bool,
}

pub struct Side {
    buf: Vec<u8>,
    /// The stream offset of `buf[0]`.
    base: u64,
    /// Where each handed-on chunk starts and when it was captured (for a message's time).
    times: VecDeque<(u64, Captured)>,
    resync: Option<Resync>,
    /// The stream's start was missed: the first message gets a note.
    no_start: bool,
    /// A diagnostic for the next message this direction yields.
    note: Option<Diagnostic>,
    /// Re-parse only once the buffer reaches this length (or a head or body may end).
    wait_for: usize,
    pub ended: bool,
    /// A `101 Switching Protocols` was read here: what follows is not HTTP.
    pub switched: bool,
    /// The first bytes of the direction, to tell what a stream without HTTP carried.
    pub first: Vec<u8>,
    pub total: u64,
}

/// A message or error found in a direction, with the capture time of its first byte.
pub struct Found {
    pub item: Item,
    pub at: Captured,
}

impl Side {
    pub fn new(from_start: bool) -> Self {
        Side {
            buf: Vec::new(),
            base: 0,
            times: VecDeque::new(),
            resync: (!from_start).then_some(Resync {
                gap: 0,
                skipped: 0,
                shown: false,
            }),
            no_start: !from_start,
            note: None,
            wait_for: 0,
            ended: false,
            switched: false,
            first: Vec::new(),
            total: 0,
        }
    }

    /// Bytes in stream order.
    pub fn push(&mut self, bytes: &[u8], at: Captured) {
        if self.first.len() < 16 {
            let take = (16 - self.first.len()).min(bytes.len());
            self.first.extend_from_slice(&bytes[..take]);
        }
        self.times
            .push_back((self.base + self.buf.len() as u64, at));
        self.total += bytes.len() as u64;
        self.buf.extend_from_slice(bytes);
    }

    /// Only count the bytes (the stream is not HTTP).
    pub fn count(&mut self, bytes: &[u8]) {
        if self.first.len() < 16 {
            let take = (16 - self.first.len()).min(bytes.len());
            self.first.extend_from_slice(&bytes[..take]);
        }
        self.total += bytes.len() as u64;
    }

    pub fn buffered(&self) -> &[u8] {
        &self.buf
    }

    /// Whether the direction is still looking for its first start line.
    pub fn searching(&self) -> bool {
        self.resync.is_some()
    }

    /// `n` bytes were never captured: what is buffered is read as cut short, then the
    /// direction looks for the next start line.
    pub fn gap(&mut self, n: u64, state: &mut State, opts: &ParseOptions, out: &mut Vec<Found>) {
        if self.resync.is_none() {
            self.parse(state, opts, true, out);
        }
        self.drop_buffered();
        self.base += n;
        let skipped = self.resync.map_or(0, |r| r.skipped);
        let gap = self.resync.map_or(0, |r| r.gap) + n;
        self.resync = Some(Resync {
            gap,
            skipped,
            shown: false,
        });
    }

    /// Drop what is held without reading it (the connection switched protocols).
    pub fn discard(&mut self) {
        self.buf.clear();
        self.times.clear();
        self.resync = None;
    }

    fn drop_buffered(&mut self) {
        let n = self.buf.len();
        if let Some(r) = &mut self.resync {
            r.skipped += n as u64;
        }
        self.base += n as u64;
        self.buf.clear();
        self.times.clear();
    }

    /// Read what can be read: skip to a start line when resyncing, then messages.
    pub fn read(&mut self, state: &mut State, opts: &ParseOptions, out: &mut Vec<Found>) {
        if let Some(mut resync) = self.resync {
            let start = match resync_point(&self.buf) {
                Resume::At(start) => start,
                Resume::Wait(keep_from) => {
                    let drop = if self.ended {
                        self.buf.len()
                    } else {
                        keep_from
                    };
                    self.skip(drop, resync.shown, out);
                    resync.skipped += drop as u64;
                    self.resync = Some(resync);
                    return;
                }
            };
            self.skip(start, resync.shown, out);
            resync.skipped += start as u64;
            self.resync = None;
            self.note = if resync.gap > 0 {
                Some(Diagnostic::new(
                    Code::CaptureGap,
                    None,
                    0,
                    vec![resync.gap.to_string(), resync.skipped.to_string()],
                ))
            } else if self.no_start {
                let skipped = vec![resync.skipped.to_string()];
                Some(Diagnostic::new(Code::CaptureNoStart, None, 0, skipped))
            } else {
                None
            };
            self.no_start = false;
            self.wait_for = 0;
        }
        let eof = self.ended || self.buf.len() >= MAX_MESSAGE;
        if !eof && self.buf.len() < self.wait_for && !ends_a_part(&self.buf) {
            return;
        }
        self.parse(state, opts, eof, out);
    }

    /// Pass over `n` bytes while looking for a start line: shown as stray bytes, or only
    /// dropped (before a start the capture missed, after a gap).
    fn skip(&mut self, n: usize, shown: bool, out: &mut Vec<Found>) {
        if n == 0 {
            return;
        }
        if shown {
            self.stray(n, out);
        } else {
            self.consume(n);
        }
    }

    /// Drop `n` bytes from the front of the buffer.
    fn consume(&mut self, n: usize) {
        self.buf.drain(..n);
        self.base += n as u64;
        while self.times.len() > 1 && self.times[1].0 <= self.base {
            self.times.pop_front();
        }
    }

    /// The capture time of the byte at stream offset `offset`.
    fn time_of(&self, offset: u64) -> Captured {
        self.times
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .or(self.times.front())
            .and_then(|(_, at)| *at)
    }

    fn parse(&mut self, state: &mut State, opts: &ParseOptions, eof: bool, out: &mut Vec<Found>) {
        loop {
            if self.resync.is_some() {
                return;
            }
            let blank = self
                .buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if blank > 0 {
                let offset = self.base as usize;
                let bytes = self.buf[..blank].to_vec();
                let at = self.time_of(self.base);
                self.consume(blank);
                let item = Item::Stray(Stray {
                    offset,
                    bytes,
                    blank: true,
                });
                out.push(Found { item, at });
            }
            if self.buf.is_empty() {
                return;
            }
            let offset = self.base as usize;
            let at = self.time_of(self.base);
            match wire::parse_message(&self.buf, offset, state, opts, eof) {
                Parsed::Complete {
                    mut message,
                    consumed,
                } => {
                    if let Some(mut note) = self.note.take() {
                        note.offset = offset;
                        message.diagnostics.push(note);
                    }
                    self.consume(consumed);
                    let switching =
                        matches!(message.start, StartLine::Response { status: 101, .. });
                    out.push(Found {
                        item: Item::Message(message),
                        at,
                    });
                    // After `101 Switching Protocols` the bytes are another protocol's.
                    if switching {
                        self.switched = true;
                        return;
                    }
                }
                Parsed::Partial { need } => {
                    // Parse again once enough came: at least twice as much, or the
                    // length the framing asked for, so a long message costs linear time.
                    self.wait_for = need.unwrap_or(self.buf.len() * 2).max(self.buf.len() + 1);
                    return;
                }
                Parsed::Error { error, consumed } => {
                    let consumed = consumed.max(1).min(self.buf.len());
                    self.consume(consumed);
                    out.push(Found {
                        item: Item::Error(error),
                        at,
                    });
                    // Carry on at the next start line; the bytes before it are shown.
                    match find_message_start(&self.buf, 0) {
                        Some(start) if start > 0 => self.stray(start, out),
                        Some(_) => {}
                        None if eof => self.stray(self.buf.len(), out),
                        None => {
                            self.resync = Some(Resync {
                                gap: 0,
                                skipped: 0,
                                shown: true,
                            });
                            self.note = None;
                        }
                    }
                }
            }
        }
    }

    fn stray(&mut self, n: usize, out: &mut Vec<Found>) {
        let offset = self.base as usize;
        let at = self.time_of(self.base);
        let bytes = self.buf[..n].to_vec();
        self.consume(n);
        out.push(Found {
            item: Item::Stray(Stray {
                offset,
                bytes,
                blank: false,
            }),
            at,
        });
    }
}

/// Where reading may resume after a gap.
enum Resume {
    /// A start line begins here.
    At(usize),
    /// None yet: what is before this may go, the rest may still become one.
    Wait(usize),
}

/// Words a start line begins with. After a gap the next message often follows the end
/// of a body on the same line (a body has no line ending of its own), so a start line is
/// looked for at these words too, not only at the start of a line.
const STARTS: [&[u8]; 10] = [
    b"HTTP/1.",
    b"GET ",
    b"POST ",
    b"PUT ",
    b"DELETE ",
    b"HEAD ",
    b"OPTIONS ",
    b"PATCH ",
    b"CONNECT ",
    b"TRACE ",
];

fn resync_point(buf: &[u8]) -> Resume {
    let line_start = find_message_start(buf, 0);
    let limit = line_start.unwrap_or(buf.len());
    let mut candidates: Vec<usize> = STARTS
        .iter()
        .flat_map(|word| memchr::memmem::find_iter(&buf[..limit], word))
        .collect();
    candidates.sort_unstable();
    for at in candidates {
        match next_line(buf, at) {
            Some(line) if looks_like_start_line(&buf[line.content()]) => return Resume::At(at),
            Some(_) => {}
            // The line is not whole yet: keep it, unless it is already too long for one.
            None if buf.len() - at <= MAX_LINE => return Resume::Wait(at),
            None => {}
        }
    }
    if let Some(start) = line_start {
        return Resume::At(start);
    }
    // Keep the last few bytes: a start word may be cut by the end of the buffer.
    Resume::Wait(
        buf.len()
            .saturating_sub(STARTS.iter().map(|w| w.len()).max().unwrap_or(0)),
    )
}

/// Whether the bytes end where a head or a chunked body may end (an empty line), the
/// only places a message without a known length can become whole.
fn ends_a_part(buf: &[u8]) -> bool {
    buf.ends_with(b"\n\r\n") || buf.ends_with(b"\n\n")
}

//! The body of a message: how long it is (RFC 9112 section 6.3) and how it splits into
//! lines: plain data, or chunk-size lines, chunk data, the last chunk and trailers.

use super::chunk_line::chunk_size;
use super::head::{head_error, scan_headers, Head};
use super::ParseOptions;
use crate::model::grammar::{ends_chunked, next_line_or_rest, status_has_no_body};
use crate::model::{Diagnostic, Framing, Header, Line, LineEnding, Lines, Part, Span, StartLine};
use crate::model::{ErrorKind, ParseError};

pub struct BodyParsed {
    pub framing: Framing,
    pub wire: Span,
    pub decoded: Option<Vec<u8>>,
    pub lines: Lines,
    pub trailers: Vec<Header>,
    pub diagnostics: Vec<Diagnostic>,
    /// Offset in the buffer just past the message.
    pub end: usize,
}

pub enum BodyResult {
    Complete(BodyParsed),
    Partial(Option<usize>),
    Error(Box<ParseError>, usize),
}

enum Length {
    None,
    Fixed(u64),
    Chunked,
    UntilClose,
}

/// Decide how the body's length is known, from the head alone.
fn decide(buf: &[u8], head: &Head, request_was_head: bool) -> Result<Length, (ErrorKind, usize)> {
    if let StartLine::Response { status, .. } = head.start {
        if status_has_no_body(status) || request_was_head {
            return Ok(Length::None);
        }
    }
    let mut chunked_last = None;
    let mut length: Option<(u64, usize)> = None;
    for h in &head.headers {
        let name = &buf[h.name.clone()];
        let value = &buf[h.value.clone()];
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            chunked_last = Some(ends_chunked(value));
        } else if name.eq_ignore_ascii_case(b"content-length") {
            for item in value.split(|&b| b == b',') {
                let item = item.trim_ascii();
                let n = parse_decimal(item).ok_or((ErrorKind::BadContentLength, h.value.start))?;
                match length {
                    Some((m, _)) if m != n => {
                        return Err((ErrorKind::BadContentLength, h.value.start))
                    }
                    _ => length = Some((n, h.line)),
                }
            }
        }
    }
    Ok(match (chunked_last, length) {
        (Some(true), _) => Length::Chunked,
        (Some(false), _) if head.is_request() => {
            let at = head
                .headers
                .iter()
                .find(|h| buf[h.name.clone()].eq_ignore_ascii_case(b"transfer-encoding"));
            return Err((
                ErrorKind::BadTransferEncoding,
                at.map_or(0, |h| h.value.start),
            ));
        }
        (Some(false), _) => Length::UntilClose,
        (None, Some((n, _))) => Length::Fixed(n),
        (None, None) if head.is_request() => Length::None,
        (None, None) => Length::UntilClose,
    })
}

fn parse_decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')),
    )
}

/// The framing the head announces, for a capture that shows the head but not the body.
/// An invalid length field is an error, placed as [`parse_body`] would place it.
pub fn framing_only(
    buf: &[u8],
    offset: usize,
    head: &Head,
    request_was_head: bool,
) -> Result<Framing, (Box<ParseError>, usize)> {
    match decide(buf, head, request_was_head) {
        Ok(length) => Ok(match length {
            Length::None => Framing::None,
            Length::Fixed(_) => Framing::ContentLength,
            Length::Chunked => Framing::Chunked,
            Length::UntilClose => Framing::UntilClose,
        }),
        Err((kind, at)) => {
            let (error, consumed) = length_error(buf, offset, head, kind, at);
            Err((Box::new(error), consumed))
        }
    }
}

fn length_error(
    buf: &[u8],
    offset: usize,
    head: &Head,
    kind: ErrorKind,
    at: usize,
) -> (ParseError, usize) {
    let line_no = head.lines.iter().rposition(|l| l.start <= at).unwrap_or(0);
    head_error(buf, offset, head.lines.clone(), kind, line_no, at)
}

pub fn parse_body(
    buf: &[u8],
    offset: usize,
    head: &Head,
    request_was_head: bool,
    opts: &ParseOptions,
    eof: bool,
) -> BodyResult {
    let start = head.end;
    let fail = |lines: Lines, kind: ErrorKind, at: usize| {
        let mut all = Lines::from(head.lines.clone());
        let line_no = all.len() + lines.len().saturating_sub(1);
        all.extend(lines);
        let (e, n) = head_error(buf, offset, all, kind, line_no, at);
        BodyResult::Error(Box::new(e), n)
    };
    let length = match decide(buf, head, request_was_head) {
        Ok(length) => length,
        Err((kind, at)) => {
            let (e, n) = length_error(buf, offset, head, kind, at);
            return BodyResult::Error(Box::new(e), n);
        }
    };
    let too_big = |n: u64| opts.max_body.filter(|&limit| n > limit);
    match length {
        Length::None => BodyResult::Complete(plain(buf, start, start, Framing::None)),
        Length::Fixed(n) => {
            if let Some(limit) = too_big(n) {
                return fail(
                    Lines::default(),
                    ErrorKind::BodyTooLarge {
                        limit,
                        length: Some(n),
                    },
                    start,
                );
            }
            let end = start.saturating_add(usize::try_from(n).unwrap_or(usize::MAX));
            if buf.len() >= end {
                return BodyResult::Complete(plain(buf, start, end, Framing::ContentLength));
            }
            if !eof {
                return BodyResult::Partial(Some(end));
            }
            let mut lines = Lines::default();
            lines.push_data(buf, start..buf.len(), LineEnding::None);
            let got = (buf.len() - start) as u64;
            fail(
                lines,
                ErrorKind::TruncatedBody { expected: n, got },
                buf.len(),
            )
        }
        Length::UntilClose => {
            if let Some(limit) = too_big((buf.len() - start) as u64) {
                return fail(
                    Lines::default(),
                    ErrorKind::BodyTooLarge {
                        limit,
                        length: None,
                    },
                    start,
                );
            }
            if !eof {
                return BodyResult::Partial(None);
            }
            BodyResult::Complete(plain(buf, start, buf.len(), Framing::UntilClose))
        }
        Length::Chunked => chunked(buf, offset, head, opts, eof, &fail),
    }
}

pub fn plain(buf: &[u8], start: usize, end: usize, framing: Framing) -> BodyParsed {
    let mut lines = Lines::default();
    lines.push_data(buf, start..end, LineEnding::None);
    BodyParsed {
        framing,
        wire: start..end,
        decoded: None,
        lines,
        trailers: Vec::new(),
        diagnostics: Vec::new(),
        end,
    }
}

fn chunked(
    buf: &[u8],
    offset: usize,
    head: &Head,
    opts: &ParseOptions,
    eof: bool,
    fail: &dyn Fn(Lines, ErrorKind, usize) -> BodyResult,
) -> BodyResult {
    let start = head.end;
    // Whole chunks are kept as byte ranges, so memory does not grow with their count.
    let mut lines = Lines::default();
    let read = chunks(buf, start, opts, eof, &mut lines).and_then(|(pos, decoded)| {
        let (trailer_lines, end) = trailer_section(buf, pos, opts, eof, &mut lines)?;
        Ok((decoded, trailer_lines, end))
    });
    let (decoded, mut trailer_lines, end) = match read {
        Ok(read) => read,
        Err(Stop::Partial) => return BodyResult::Partial(None),
        Err(Stop::Fail(kind, at)) => return fail(lines, kind, at),
    };
    // Trailer lines are checked like header lines; their numbers count from the head.
    let base_no = head.lines.len() + lines.len();
    let mut diagnostics = Vec::new();
    match scan_headers(buf, &trailer_lines, false, false, offset, &mut diagnostics) {
        Ok(mut trailers) => {
            for t in &mut trailers {
                t.line += base_no;
            }
            for d in &mut diagnostics {
                d.line = d.line.map(|no| no + base_no);
            }
            lines.extend(trailer_lines.into());
            BodyResult::Complete(BodyParsed {
                framing: Framing::Chunked,
                wire: start..end,
                decoded: Some(decoded),
                lines,
                trailers,
                diagnostics,
                end,
            })
        }
        Err((kind, line_no, at)) => {
            trailer_lines.truncate(line_no + 1);
            lines.extend(trailer_lines.into());
            fail(lines, kind, at)
        }
    }
}

/// Why a chunked body could not be read whole (yet).
enum Stop {
    /// More bytes are needed.
    Partial,
    /// The body is broken: what, and at which byte. The lines read so far are kept.
    Fail(ErrorKind, usize),
}

/// The chunks from `pos` up to and including the last-chunk line (`0`): where the
/// trailer section starts, and the decoded payload. Lines read go to `lines`.
fn chunks(
    buf: &[u8],
    mut pos: usize,
    opts: &ParseOptions,
    eof: bool,
    lines: &mut Lines,
) -> Result<(usize, Vec<u8>), Stop> {
    let mut decoded = Vec::new();
    loop {
        let Some(size_line) = next_line_or_rest(buf, pos, eof) else {
            if eof {
                return Err(Stop::Fail(ErrorKind::TruncatedChunked, buf.len()));
            }
            return Err(Stop::Partial);
        };
        let size_row = Line {
            part: Part::ChunkSize,
            start: size_line.start,
            len: size_line.len,
            ending: size_line.ending,
        };
        if size_line.ending == LineEnding::None {
            lines.push(size_row);
            return Err(Stop::Fail(ErrorKind::TruncatedChunked, buf.len()));
        }
        let size = match chunk_size(&buf[size_line.content()]) {
            Ok(size) => size,
            Err((kind, at)) => {
                lines.push(size_row);
                return Err(Stop::Fail(kind, size_line.start + at));
            }
        };
        let chunk_start = pos;
        pos = size_line.end();
        if size == 0 {
            lines.push(Line {
                part: Part::LastChunk,
                ..size_row
            });
            return Ok((pos, decoded));
        }
        let total = decoded.len() as u64 + size;
        if let Some(limit) = opts.max_body.filter(|&limit| total > limit) {
            lines.push(size_row);
            let kind = ErrorKind::BodyTooLarge {
                limit,
                length: None,
            };
            return Err(Stop::Fail(kind, pos));
        }
        let data_end = pos.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
        let terminator = match buf.get(data_end..) {
            Some([b'\r', b'\n', ..]) => LineEnding::CrLf,
            Some([b'\n', ..]) => LineEnding::Lf,
            Some([b'\r']) | Some([]) | None if !eof => return Err(Stop::Partial),
            Some([]) | None => {
                lines.push(size_row);
                lines.push_chunk_data(buf, pos..buf.len().min(data_end));
                return Err(Stop::Fail(ErrorKind::TruncatedChunked, buf.len()));
            }
            Some(_) => {
                lines.push(size_row);
                lines.push_chunk_data(buf, pos..data_end);
                return Err(Stop::Fail(ErrorKind::BadChunkEnd, data_end));
            }
        };
        decoded.extend_from_slice(&buf[pos..data_end]);
        // The size line, the data's lines, and the closing line ending as a chunk end.
        let chunk_end = data_end + terminator.len();
        lines.push_chunk(buf, chunk_start..chunk_end, pos..data_end, terminator);
        pos = chunk_end;
    }
}

/// The trailer section from `pos`: field lines up to a blank line, and where it ends.
/// On a failure its lines so far are added to `lines`.
fn trailer_section(
    buf: &[u8],
    mut pos: usize,
    opts: &ParseOptions,
    eof: bool,
    lines: &mut Lines,
) -> Result<(Vec<Line>, usize), Stop> {
    let mut trailer_lines: Vec<Line> = Vec::new();
    loop {
        let Some(line) = next_line_or_rest(buf, pos, eof) else {
            if eof {
                lines.extend(trailer_lines.into());
                return Err(Stop::Fail(ErrorKind::TruncatedChunked, buf.len()));
            }
            return Err(Stop::Partial);
        };
        let part = if line.len == 0 {
            Part::BlankLine
        } else {
            Part::Trailer
        };
        trailer_lines.push(Line {
            part,
            start: line.start,
            len: line.len,
            ending: line.ending,
        });
        if line.ending == LineEnding::None {
            lines.extend(trailer_lines.into());
            return Err(Stop::Fail(ErrorKind::TruncatedChunked, buf.len()));
        }
        if part == Part::Trailer && trailer_lines.len() > opts.max_headers {
            // Each trailer is kept apart, so their number is bounded like the head's.
            lines.extend(trailer_lines.into());
            let kind = ErrorKind::TooManyHeaders {
                limit: opts.max_headers,
            };
            return Err(Stop::Fail(kind, line.start));
        }
        pos = line.end();
        if part == Part::BlankLine {
            return Ok((trailer_lines, pos));
        }
    }
}

/// The body as far as `buf` holds it, for a reader that stopped at a limit of its own
/// before the body ended: plain data for a length or until-close body, the chunks read
/// so far (the last one cut short) for a chunked one. Nothing is decoded.
pub fn cut(buf: &[u8], start: usize, framing: Framing, opts: &ParseOptions) -> BodyParsed {
    if framing != Framing::Chunked {
        return plain(buf, start, buf.len(), framing);
    }
    let mut lines = Lines::default();
    // At the end of `buf` the chunk being read fails as cut short, its bytes kept as lines.
    if let Ok((pos, _)) = chunks(buf, start, opts, true, &mut lines) {
        lines.push_data(buf, pos..buf.len(), LineEnding::None);
    }
    BodyParsed {
        framing,
        wire: start..buf.len(),
        decoded: None,
        lines,
        trailers: Vec::new(),
        diagnostics: Vec::new(),
        end: buf.len(),
    }
}

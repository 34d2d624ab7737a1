//! The body of a message: how long it is (RFC 9112 section 6.3) and how it splits into
//! lines: plain data, or chunk-size lines, chunk data, the last chunk and trailers.

use super::head::{head_error, scan_headers, Head};
use super::ParseOptions;
use crate::model::grammar::{next_line, next_line_or_rest};
use crate::model::{Diagnostic, Framing, Header, Line, LineEnding, Part, Span, StartLine};
use crate::model::{ErrorKind, ParseError};

pub struct BodyParsed {
    pub framing: Framing,
    pub wire: Span,
    pub decoded: Option<Vec<u8>>,
    pub lines: Vec<Line>,
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
        if (100..200).contains(&status) || status == 204 || status == 304 || request_was_head {
            return Ok(Length::None);
        }
    }
    let mut chunked_last = None;
    let mut length: Option<(u64, usize)> = None;
    for h in &head.headers {
        let name = &buf[h.name.clone()];
        let value = &buf[h.value.clone()];
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            if let Some(last) = value.rsplit(|&b| b == b',').next() {
                chunked_last = Some(last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
            }
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
    let fail = |lines: Vec<Line>, kind: ErrorKind, at: usize| {
        let mut all = head.lines.clone();
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
                    vec![],
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
            let mut lines = Vec::new();
            split_lines(buf, start..buf.len(), Part::Body, &mut lines);
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
                    vec![],
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
    let mut lines = Vec::new();
    split_lines(buf, start..end, Part::Body, &mut lines);
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

/// Split `range` of `buf` into lines at each LF; a last piece without LF ends in `None`.
fn split_lines(buf: &[u8], range: Span, part: Part, out: &mut Vec<Line>) {
    let mut pos = range.start;
    while pos < range.end {
        let line = match next_line(&buf[..range.end], pos) {
            Some(l) => l,
            None => crate::model::grammar::RawLine {
                start: pos,
                len: range.end - pos,
                ending: LineEnding::None,
            },
        };
        out.push(Line {
            part,
            start: line.start,
            len: line.len,
            ending: line.ending,
        });
        pos = line.end();
    }
}

fn chunked(
    buf: &[u8],
    offset: usize,
    head: &Head,
    opts: &ParseOptions,
    eof: bool,
    fail: &dyn Fn(Vec<Line>, ErrorKind, usize) -> BodyResult,
) -> BodyResult {
    let start = head.end;
    let mut pos = start;
    let mut lines: Vec<Line> = Vec::new();
    let mut decoded = Vec::new();
    loop {
        let Some(size_line) = next_line_or_rest(buf, pos, eof) else {
            if eof {
                return fail(lines, ErrorKind::TruncatedChunked, buf.len());
            }
            return BodyResult::Partial(None);
        };
        lines.push(Line {
            part: Part::ChunkSize,
            start: size_line.start,
            len: size_line.len,
            ending: size_line.ending,
        });
        if size_line.ending == LineEnding::None {
            return fail(lines, ErrorKind::TruncatedChunked, buf.len());
        }
        let Some(size) = chunk_size(&buf[size_line.content()]) else {
            return fail(lines, ErrorKind::BadChunkSize, size_line.start);
        };
        pos = size_line.end();
        if size == 0 {
            break;
        }
        let total = decoded.len() as u64 + size;
        if let Some(limit) = opts.max_body.filter(|&limit| total > limit) {
            return fail(
                lines,
                ErrorKind::BodyTooLarge {
                    limit,
                    length: None,
                },
                pos,
            );
        }
        let data_end = pos.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
        let terminator = match buf.get(data_end..) {
            Some([b'\r', b'\n', ..]) => LineEnding::CrLf,
            Some([b'\n', ..]) => LineEnding::Lf,
            Some([b'\r']) | Some([]) | None if !eof => return BodyResult::Partial(None),
            Some([]) | None => {
                split_lines(buf, pos..buf.len().min(data_end), Part::Body, &mut lines);
                return fail(lines, ErrorKind::TruncatedChunked, buf.len());
            }
            Some(_) => {
                split_lines(buf, pos..data_end, Part::Body, &mut lines);
                return fail(lines, ErrorKind::BadChunkEnd, data_end);
            }
        };
        decoded.extend_from_slice(&buf[pos..data_end]);
        // Data lines, with the chunk's closing line ending joined to the last one.
        let first = lines.len();
        split_lines(buf, pos..data_end, Part::Body, &mut lines);
        let added = lines.len() > first;
        match lines.last_mut() {
            Some(last) if added && last.ending == LineEnding::None => {
                last.ending = terminator;
            }
            _ => lines.push(Line {
                part: Part::Body,
                start: data_end,
                len: 0,
                ending: terminator,
            }),
        }
        pos = data_end + terminator.len();
    }
    // Trailer section: field lines up to a blank line.
    let trailer_from = lines.len();
    loop {
        let Some(line) = next_line_or_rest(buf, pos, eof) else {
            if eof {
                return fail(lines, ErrorKind::TruncatedChunked, buf.len());
            }
            return BodyResult::Partial(None);
        };
        let part = if line.len == 0 {
            Part::BlankLine
        } else {
            Part::Trailer
        };
        lines.push(Line {
            part,
            start: line.start,
            len: line.len,
            ending: line.ending,
        });
        if line.ending == LineEnding::None {
            return fail(lines, ErrorKind::TruncatedChunked, buf.len());
        }
        pos = line.end();
        if part == Part::BlankLine {
            break;
        }
    }
    // Trailer lines are checked like header lines; their numbers count from the head.
    let base_no = head.lines.len();
    let mut all: Vec<Line> = head.lines.clone();
    all.extend(lines.iter().cloned());
    let mut diagnostics = Vec::new();
    let trailer_lines: Vec<Line> = all
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut l = l.clone();
            if i < base_no + trailer_from {
                l.part = Part::Body;
            }
            l
        })
        .collect();
    let trailers = match scan_headers(buf, &trailer_lines, false, false, offset, &mut diagnostics) {
        Ok(t) => t,
        Err((kind, line_no, at)) => {
            lines.truncate(line_no + 1 - base_no);
            return fail(lines, kind, at);
        }
    };
    BodyResult::Complete(BodyParsed {
        framing: Framing::Chunked,
        wire: start..pos,
        decoded: Some(decoded),
        lines,
        trailers,
        diagnostics,
        end: pos,
    })
}

/// The size in a chunk-size line: hex digits, then optional whitespace and extensions.
fn chunk_size(line: &[u8]) -> Option<u64> {
    let digits_end = line
        .iter()
        .position(|b| !b.is_ascii_hexdigit())
        .unwrap_or(line.len());
    let digits = &line[..digits_end];
    let rest = line[digits_end..].trim_ascii_start();
    if digits.is_empty() || digits.len() > 15 || !(rest.is_empty() || rest[0] == b';') {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

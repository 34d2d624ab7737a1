//! The head of a message: start line, header lines and the blank line. This is the one
//! place a head is read: lines are found here so every byte keeps its place, and every
//! byte is checked as it is met, so a failure names the line and byte that caused it.
//! (It used to be read a second time by httparse, as a check; a differential property
//! test in `tests.rs` now shows this scan accepts nothing httparse refuses.)

use super::foreign::{self, Foreign};
use super::start_line::{is_ctl, is_http1, parse_start_line, version_bytes};
use super::ParseOptions;
use crate::model::grammar::{
    is_tchar, next_line, next_line_or_rest, plain_text, split_field, RawLine,
};
use crate::model::{Code, Diagnostic, Fragment, Header, Line, LineEnding, Lines, Part, StartLine};
use crate::model::{ErrorKind, ParseError};

/// A head that was read whole.
#[derive(Debug)]
pub struct Head {
    pub start: StartLine,
    pub lines: Vec<Line>,
    pub headers: Vec<Header>,
    pub diagnostics: Vec<Diagnostic>,
    /// Offset in the buffer just past the blank line.
    pub end: usize,
}

impl Head {
    pub fn is_request(&self) -> bool {
        matches!(self.start, StartLine::Request { .. })
    }
}

pub enum HeadResult {
    Complete(Head),
    Partial,
    Error(Box<ParseError>, usize),
}

/// Build the error for a head that broke on `line_no` (whose bytes are `lines[line_no]`)
/// at buffer position `at`.
pub(super) fn head_error(
    buf: &[u8],
    offset: usize,
    lines: impl Into<Lines>,
    kind: ErrorKind,
    line_no: usize,
    at: usize,
) -> (ParseError, usize) {
    let lines: Lines = lines.into();
    let consumed = lines.end();
    let error = ParseError {
        kind,
        index: 0,
        line: line_no,
        offset: offset + at,
        fragment: Fragment {
            offset,
            raw: buf[..consumed].to_vec(),
            lines,
            context: Default::default(),
        },
    };
    (error, consumed)
}

fn to_line(raw: RawLine, part: Part) -> Line {
    Line {
        part,
        start: raw.start,
        len: raw.len,
        ending: raw.ending,
    }
}

pub fn parse_head(buf: &[u8], offset: usize, opts: &ParseOptions, eof: bool) -> HeadResult {
    match foreign::detect(buf, eof) {
        Some(Foreign::Undecided) => return HeadResult::Partial,
        Some(Foreign::Found(kind, consumed)) => {
            let error = foreign::error(buf, offset, kind, consumed);
            return HeadResult::Error(Box::new(error), consumed);
        }
        None => {}
    }
    let (mut lines, end) = match head_lines(buf, offset, opts, eof) {
        Ok(found) => found,
        Err(Unfinished::Partial) => return HeadResult::Partial,
        Err(Unfinished::Error(e, n)) => return HeadResult::Error(e, n),
    };
    let mut diagnostics = Vec::new();
    let start = match parse_start_line(buf, &lines[0], opts) {
        Ok(start) => start,
        Err((kind, at)) => {
            let (e, n) = head_error(buf, offset, lines, kind, 0, at);
            return HeadResult::Error(Box::new(e), n);
        }
    };
    let is_request = matches!(start, StartLine::Request { .. });
    let h2_text = opts.allow_h2_text && !is_http1(version_bytes(buf, &start));
    let headers = match scan_headers(buf, &lines, is_request, h2_text, offset, &mut diagnostics) {
        Ok(headers) => headers,
        Err((kind, line_no, at)) => {
            lines.truncate(line_no + 1);
            let (e, n) = head_error(buf, offset, lines, kind, line_no, at);
            return HeadResult::Error(Box::new(e), n);
        }
    };
    HeadResult::Complete(Head {
        start,
        lines,
        headers,
        diagnostics,
        end,
    })
}

/// Why the lines of a head could not all be found.
enum Unfinished {
    Partial,
    Error(Box<ParseError>, usize),
}

/// The lines of the head at the front of `buf`, through its blank line, and where it
/// ends; the start line is judged as soon as it is there, and the limits as lines come.
fn head_lines(
    buf: &[u8],
    offset: usize,
    opts: &ParseOptions,
    eof: bool,
) -> Result<(Vec<Line>, usize), Unfinished> {
    let mut lines: Vec<Line> = Vec::new();
    let mut pos = 0;
    let end = loop {
        let Some(raw) = next_line(buf, pos) else {
            if buf.len() > opts.max_head {
                let limit = opts.max_head;
                let (e, n) = cut_error(buf, offset, lines, pos, ErrorKind::HeadTooLarge { limit });
                return Err(Unfinished::Error(Box::new(e), n));
            }
            if !eof {
                return Err(Unfinished::Partial);
            }
            // A lone unfinished line: say what is wrong with it, if anything. (An empty
            // input has no line at all and is only a head that ended early.)
            if let (true, Some(raw)) = (lines.is_empty(), next_line_or_rest(buf, 0, true)) {
                let rest = to_line(raw, Part::StartLine);
                if let Err((kind, at)) = parse_start_line(buf, &rest, opts) {
                    let (e, n) = head_error(buf, offset, vec![rest], kind, 0, at);
                    return Err(Unfinished::Error(Box::new(e), n));
                }
            }
            let (e, n) = cut_error(buf, offset, lines, pos, ErrorKind::TruncatedHead);
            return Err(Unfinished::Error(Box::new(e), n));
        };
        if raw.end() > opts.max_head {
            let limit = opts.max_head;
            let (e, n) = cut_error(buf, offset, lines, pos, ErrorKind::HeadTooLarge { limit });
            return Err(Unfinished::Error(Box::new(e), n));
        }
        let part = match (lines.is_empty(), raw.len) {
            (true, _) => Part::StartLine,
            (false, 0) => Part::BlankLine,
            _ => Part::Header,
        };
        lines.push(to_line(raw, part));
        pos = raw.end();
        if part == Part::StartLine {
            // Judge the start line at once: garbage is refused before a head could be whole.
            if let Err((kind, at)) = parse_start_line(buf, &lines[0], opts) {
                let (e, n) = head_error(buf, offset, lines, kind, 0, at);
                return Err(Unfinished::Error(Box::new(e), n));
            }
        }
        if part == Part::BlankLine {
            break pos;
        }
        if lines.len() > opts.max_headers + 1 {
            let limit = opts.max_headers;
            let line_no = lines.len() - 1;
            let (e, n) = head_error(
                buf,
                offset,
                lines,
                ErrorKind::TooManyHeaders { limit },
                line_no,
                raw.start,
            );
            return Err(Unfinished::Error(Box::new(e), n));
        }
    };
    Ok((lines, end))
}

/// The error for input that stops (or grows too long) before the head is whole: the
/// fragment gets the unfinished last line too, so nothing the user gave is lost.
fn cut_error(
    buf: &[u8],
    offset: usize,
    mut lines: Vec<Line>,
    pos: usize,
    kind: ErrorKind,
) -> (ParseError, usize) {
    let line_no = lines.len();
    if let Some(rest) = next_line_or_rest(buf, pos, true) {
        let part = if lines.is_empty() {
            Part::StartLine
        } else {
            Part::Header
        };
        let mut line = to_line(rest, part);
        if matches!(kind, ErrorKind::HeadTooLarge { .. }) {
            line.ending = LineEnding::None;
            line.len = buf.len() - pos;
        }
        lines.push(line);
    }
    let at = match kind {
        ErrorKind::HeadTooLarge { limit } => limit.min(buf.len()),
        _ => buf.len(),
    };
    head_error(buf, offset, lines, kind, line_no, at)
}

type HeaderError = (ErrorKind, usize, usize);

/// Split each header line into name and value, checking every byte. Lines are those of
/// the head; `lines[0]` is the start line and the last is the blank line.
pub(super) fn scan_headers(
    buf: &[u8],
    lines: &[Line],
    is_request: bool,
    h2_text: bool,
    offset: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Header>, HeaderError> {
    let mut headers: Vec<Header> = Vec::with_capacity(lines.len());
    for (no, line) in lines.iter().enumerate() {
        if line.part != Part::Header && line.part != Part::Trailer {
            continue;
        }
        let text = &buf[line.content()];
        let at = At {
            no,
            base: line.start,
            offset,
        };
        // Most lines are plain: no CR and no control byte to look for, byte by byte.
        let plain = plain_text(text);
        let cr = if plain {
            None
        } else {
            text.iter().position(|&b| b == b'\r')
        };
        if let Some(cr) = cr {
            return Err((ErrorKind::BareCr, no, at.base + cr));
        }
        if text[0] == b' ' || text[0] == b'\t' {
            // Obsolete line folding: allowed in responses (with a warning), not requests.
            let Some(prev) = headers.last_mut().filter(|_| !is_request) else {
                return Err((ErrorKind::ObsFold, no, at.base));
            };
            fold_into(prev, text, at, diagnostics)?;
            continue;
        }
        let head = HeadKind {
            is_request,
            h2_text,
        };
        headers.push(scan_field(text, at, head, plain, diagnostics)?);
    }
    Ok(headers)
}

/// What kind of head a line is in: a request's (stricter), or HTTP/2 text (whose
/// pseudo-header names start with a colon).
#[derive(Clone, Copy)]
struct HeadKind {
    is_request: bool,
    h2_text: bool,
}

/// Where a header line stands: its number in the head, its start in the buffer, and
/// the buffer's offset in the input (for diagnostics).
#[derive(Clone, Copy)]
struct At {
    no: usize,
    base: usize,
    offset: usize,
}

/// An obs-fold continuation line: its trimmed text extends the value of the header
/// before it, and a warning says the folding is obsolete.
fn fold_into(
    prev: &mut Header,
    text: &[u8],
    at: At,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), HeaderError> {
    let At { no, base, offset } = at;
    if let Some(bad) = text.iter().position(|&b| is_ctl(b) && b != b'\t') {
        return Err((ErrorKind::BadHeaderValue, no, base + bad));
    }
    let trimmed = trim_ows(text);
    if !trimmed.is_empty() {
        let lead = text.len() - text.trim_ascii_start().len();
        if prev.value.is_empty() {
            prev.value = base + lead..base + lead + trimmed.len();
        } else {
            prev.value.end = base + lead + trimmed.len();
        }
    }
    diagnostics.push(Diagnostic::new(
        Code::ObsFold,
        Some(no),
        offset + base,
        vec![],
    ));
    Ok(())
}

/// One `name: value` line: a token name (space before the colon only warned of in a
/// response), a value without control bytes, trimmed of optional white space.
/// `plain`: the line is [`plain_text`], so it holds no control byte to look for.
fn scan_field(
    text: &[u8],
    at: At,
    head: HeadKind,
    plain: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Header, HeaderError> {
    let At { no, base, offset } = at;
    let HeadKind {
        is_request,
        h2_text,
    } = head;
    // An HTTP/2 pseudo-header (`:authority`) keeps its leading colon in the name.
    let from = usize::from(h2_text && text[0] == b':');
    let Some(colon) = split_field(text, h2_text).map(|(name, _)| name.len()) else {
        return Err((ErrorKind::NoColon, no, base));
    };
    if colon == 0 {
        return Err((ErrorKind::EmptyHeaderName, no, base));
    }
    let name_len = text[..colon].trim_ascii_end().len();
    if name_len == 0 {
        return Err((ErrorKind::EmptyHeaderName, no, base));
    }
    if let Some(bad) = text[from..name_len].iter().position(|&b| !is_tchar(b)) {
        return Err((ErrorKind::BadHeaderName, no, base + from + bad));
    }
    if name_len < colon {
        if is_request {
            return Err((ErrorKind::SpaceBeforeColon, no, base + name_len));
        }
        diagnostics.push(Diagnostic::new(
            Code::SpaceBeforeColon,
            Some(no),
            offset + base + name_len,
            vec![String::from_utf8_lossy(&text[..name_len]).into_owned()],
        ));
    }
    let value = &text[colon + 1..];
    let bad = if plain {
        None
    } else {
        value.iter().position(|&b| is_ctl(b) && b != b'\t')
    };
    if let Some(bad) = bad {
        return Err((ErrorKind::BadHeaderValue, no, base + colon + 1 + bad));
    }
    let lead = value.len() - value.trim_ascii_start().len();
    let trimmed = trim_ows(value);
    let value_start = base + colon + 1 + lead;
    Ok(Header {
        line: no,
        name: base..base + name_len,
        value: value_start..value_start + trimmed.len(),
    })
}

fn trim_ows(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

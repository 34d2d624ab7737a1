//! The head of a message: start line, header lines and the blank line. Lines are found
//! here so every byte keeps its place; httparse then has the final word on validity,
//! and a failure is traced back to the line and byte that caused it.

use super::error::{ErrorKind, ParseError};
use super::lines::{is_tchar, next_line, next_line_or_rest, RawLine};
use super::ParseOptions;
use crate::message::{Diagnostic, Fragment, Header, Line, LineEnding, Part, Severity, StartLine};

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
    Error(ParseError, usize),
}

/// Build the error for a head that broke on `line_no` (whose bytes are `lines[line_no]`)
/// at buffer position `at`.
pub(super) fn head_error(
    buf: &[u8],
    offset: usize,
    lines: Vec<Line>,
    kind: ErrorKind,
    line_no: usize,
    at: usize,
) -> (ParseError, usize) {
    let consumed = lines.last().map_or(0, Line::end);
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
    let mut lines: Vec<Line> = Vec::new();
    let mut pos = 0;
    let end = loop {
        let Some(raw) = next_line(buf, pos) else {
            if buf.len() > opts.max_head {
                let limit = opts.max_head;
                let (e, n) = cut_error(buf, offset, lines, pos, ErrorKind::HeadTooLarge { limit });
                return HeadResult::Error(e, n);
            }
            if !eof {
                return HeadResult::Partial;
            }
            if lines.is_empty() {
                // A lone unfinished line: say what is wrong with it, if anything.
                let rest = to_line(
                    next_line_or_rest(buf, 0, true).expect("input is not empty"),
                    Part::StartLine,
                );
                if let Err((kind, at)) = parse_start_line(buf, &rest, opts) {
                    let (e, n) = head_error(buf, offset, vec![rest], kind, 0, at);
                    return HeadResult::Error(e, n);
                }
            }
            let (e, n) = cut_error(buf, offset, lines, pos, ErrorKind::TruncatedHead);
            return HeadResult::Error(e, n);
        };
        if raw.end() > opts.max_head {
            let limit = opts.max_head;
            let (e, n) = cut_error(buf, offset, lines, pos, ErrorKind::HeadTooLarge { limit });
            return HeadResult::Error(e, n);
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
                return HeadResult::Error(e, n);
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
            return HeadResult::Error(e, n);
        }
    };

    let mut diagnostics = Vec::new();
    let start = match parse_start_line(buf, &lines[0], opts) {
        Ok(start) => start,
        Err((kind, at)) => {
            let (e, n) = head_error(buf, offset, lines, kind, 0, at);
            return HeadResult::Error(e, n);
        }
    };
    let is_request = matches!(start, StartLine::Request { .. });
    let h2_text = opts.allow_h2_text && !is_http1(version_bytes(buf, &start));
    let headers = match scan_headers(buf, &lines, is_request, h2_text, offset, &mut diagnostics) {
        Ok(headers) => headers,
        Err((kind, line_no, at)) => {
            lines.truncate(line_no + 1);
            let (e, n) = head_error(buf, offset, lines, kind, line_no, at);
            return HeadResult::Error(e, n);
        }
    };
    if !h2_text {
        if let Err(kind) = httparse_check(&buf[..end], is_request, headers.len()) {
            // httparse saw a problem the line scan did not place: blame the start line.
            let (e, n) = head_error(buf, offset, lines, kind, 0, 0);
            return HeadResult::Error(e, n);
        }
    }
    HeadResult::Complete(Head {
        start,
        lines,
        headers,
        diagnostics,
        end,
    })
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

fn version_bytes<'a>(buf: &'a [u8], start: &StartLine) -> &'a [u8] {
    match start {
        StartLine::Request { version, .. } | StartLine::Response { version, .. } => {
            &buf[version.clone()]
        }
    }
}

fn is_http1(version: &[u8]) -> bool {
    version == b"HTTP/1.1" || version == b"HTTP/1.0"
}

/// `HTTP/d.d`, or with `h2` also the `HTTP/2` and `HTTP/3` that tools print.
fn valid_version(v: &[u8], h2: bool) -> bool {
    let ok = matches!(v, [b'H', b'T', b'T', b'P', b'/', a, b'.', b] if a.is_ascii_digit() && b.is_ascii_digit());
    ok || (h2 && matches!(v, b"HTTP/2" | b"HTTP/3" | b"HTTP/2.0" | b"HTTP/3.0"))
}

fn is_ctl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

type StartError = (ErrorKind, usize);

fn parse_start_line(buf: &[u8], line: &Line, opts: &ParseOptions) -> Result<StartLine, StartError> {
    let text = &buf[line.content()];
    let base = line.start;
    if let Some(cr) = text.iter().position(|&b| b == b'\r') {
        return Err((ErrorKind::BareCr, base + cr));
    }
    if text.starts_with(b"HTTP/") {
        let sp = text.iter().position(|&b| b == b' ').unwrap_or(text.len());
        if !valid_version(&text[..sp], opts.allow_h2_text) {
            return Err((ErrorKind::BadVersion, base));
        }
        let code_at = sp + 1;
        let code = text.get(code_at..code_at + 3).unwrap_or_default();
        let after = text.get(code_at + 3).copied();
        if code.len() != 3
            || !code.iter().all(u8::is_ascii_digit)
            || after.is_some_and(|b| b != b' ')
        {
            return Err((ErrorKind::BadStatusCode, base + code_at.min(text.len())));
        }
        let reason_at = (code_at + 4).min(text.len());
        if let Some(bad) = text[reason_at..]
            .iter()
            .position(|&b| is_ctl(b) && b != b'\t')
        {
            return Err((ErrorKind::BadReason, base + reason_at + bad));
        }
        let status = code.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        return Ok(StartLine::Response {
            version: base..base + sp,
            status,
            reason: base + reason_at..base + text.len(),
        });
    }
    let Some(sp1) = text.iter().position(|&b| b == b' ') else {
        return Err((ErrorKind::NotStartLine, base));
    };
    let mentions_http = text.windows(6).any(|w| w == b" HTTP/");
    if sp1 == 0 || !mentions_http || !text[..sp1].iter().all(|&b| is_tchar(b) || b >= 0x80) {
        return Err((ErrorKind::NotStartLine, base));
    }
    if let Some(bad) = text[..sp1].iter().position(|&b| !is_tchar(b)) {
        return Err((ErrorKind::BadMethod, base + bad));
    }
    let rest = &text[sp1 + 1..];
    let Some(sp2) = rest.iter().position(|&b| b == b' ') else {
        return Err((ErrorKind::BadRequestLine, base + text.len()));
    };
    let target = &rest[..sp2];
    let version = &rest[sp2 + 1..];
    if target.is_empty() || version.contains(&b' ') {
        let at = if target.is_empty() {
            sp1 + 1
        } else {
            sp1 + 1 + sp2 + 1
        };
        return Err((ErrorKind::BadRequestLine, base + at));
    }
    if let Some(bad) = target.iter().position(|&b| is_ctl(b)) {
        return Err((ErrorKind::BadTarget, base + sp1 + 1 + bad));
    }
    let version_at = sp1 + 1 + sp2 + 1;
    if !valid_version(version, opts.allow_h2_text) {
        return Err((ErrorKind::BadVersion, base + version_at));
    }
    Ok(StartLine::Request {
        method: base..base + sp1,
        target: base + sp1 + 1..base + sp1 + 1 + sp2,
        version: base + version_at..base + text.len(),
    })
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
        let base = line.start;
        if let Some(cr) = text.iter().position(|&b| b == b'\r') {
            return Err((ErrorKind::BareCr, no, base + cr));
        }
        if text[0] == b' ' || text[0] == b'\t' {
            // Obsolete line folding: allowed in responses (with a warning), not requests.
            let Some(prev) = headers.last_mut().filter(|_| !is_request) else {
                return Err((ErrorKind::ObsFold, no, base));
            };
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
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: "obs-fold",
                line: Some(no),
                offset: offset + base,
                args: vec![],
            });
            continue;
        }
        // An HTTP/2 pseudo-header (`:authority`) keeps its leading colon in the name.
        let from = usize::from(h2_text && text[0] == b':');
        let Some(colon) = text[from..]
            .iter()
            .position(|&b| b == b':')
            .map(|c| c + from)
        else {
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
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: "space-before-colon",
                line: Some(no),
                offset: offset + base + name_len,
                args: vec![String::from_utf8_lossy(&text[..name_len]).into_owned()],
            });
        }
        let value = &text[colon + 1..];
        if let Some(bad) = value.iter().position(|&b| is_ctl(b) && b != b'\t') {
            return Err((ErrorKind::BadHeaderValue, no, base + colon + 1 + bad));
        }
        let lead = value.len() - value.trim_ascii_start().len();
        let trimmed = trim_ows(value);
        let value_start = base + colon + 1 + lead;
        headers.push(Header {
            line: no,
            name: base..base + name_len,
            value: value_start..value_start + trimmed.len(),
        });
    }
    Ok(headers)
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

/// Let httparse judge the whole head; map its verdict to our kinds.
fn httparse_check(head: &[u8], is_request: bool, header_count: usize) -> Result<(), ErrorKind> {
    let mut storage = vec![httparse::EMPTY_HEADER; header_count + 1];
    let result = if is_request {
        httparse::Request::new(&mut storage).parse(head)
    } else {
        let mut config = httparse::ParserConfig::default();
        config
            .allow_spaces_after_header_name_in_responses(true)
            .allow_obsolete_multiline_headers_in_responses(true);
        let mut response = httparse::Response::new(&mut storage);
        config.parse_response(&mut response, head)
    };
    match result {
        Ok(httparse::Status::Complete(_)) => Ok(()),
        Ok(httparse::Status::Partial) => Err(ErrorKind::TruncatedHead),
        Err(e) => Err(match e {
            httparse::Error::HeaderName => ErrorKind::BadHeaderName,
            httparse::Error::HeaderValue => ErrorKind::BadHeaderValue,
            httparse::Error::NewLine => ErrorKind::BareCr,
            httparse::Error::Status => ErrorKind::BadStatusCode,
            httparse::Error::Token => ErrorKind::BadMethod,
            httparse::Error::TooManyHeaders => ErrorKind::TooManyHeaders {
                limit: header_count,
            },
            httparse::Error::Version => ErrorKind::BadVersion,
        }),
    }
}

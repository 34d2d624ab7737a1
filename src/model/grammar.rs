//! Small pieces of the HTTP/1.x grammar that several parts need: where a line ends (at LF,
//! with a CR before it when there is one), what a token character is, and what looks like
//! the start of a message.

use super::{LineEnding, Span};

/// A line found in a buffer, by absolute position within that buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawLine {
    pub start: usize,
    /// Content length, without the ending.
    pub len: usize,
    pub ending: LineEnding,
}

impl RawLine {
    pub fn content(&self) -> Span {
        self.start..self.start + self.len
    }

    pub fn end(&self) -> usize {
        self.start + self.len + self.ending.len()
    }
}

/// The line starting at `pos`, or `None` when no LF follows `pos` yet.
pub fn next_line(buf: &[u8], pos: usize) -> Option<RawLine> {
    let rest = buf.get(pos..)?;
    let lf = memchr_lf(rest)?;
    Some(if lf > 0 && rest[lf - 1] == b'\r' {
        RawLine {
            start: pos,
            len: lf - 1,
            ending: LineEnding::CrLf,
        }
    } else {
        RawLine {
            start: pos,
            len: lf,
            ending: LineEnding::Lf,
        }
    })
}

/// The line starting at `pos`; at the end of input a last line without LF counts too.
pub fn next_line_or_rest(buf: &[u8], pos: usize, eof: bool) -> Option<RawLine> {
    match next_line(buf, pos) {
        Some(line) => Some(line),
        None if eof && pos < buf.len() => Some(RawLine {
            start: pos,
            len: buf.len() - pos,
            ending: LineEnding::None,
        }),
        None => None,
    }
}

fn memchr_lf(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// RFC 9110 `tchar`: the characters of a token (method, field name).
pub fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_'
        | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// True for a line that reads like a request line (`TOKEN SP target SP HTTP/...`) or a
/// status line (`HTTP/x SP ddd`).
pub fn looks_like_start_line(line: &[u8]) -> bool {
    if let Some(rest) = line.strip_prefix(b"HTTP/") {
        let Some(sp) = rest.iter().position(|&b| b == b' ') else {
            return false;
        };
        let code = &rest[sp + 1..];
        return code.len() >= 3 && code[..3].iter().all(u8::is_ascii_digit);
    }
    let Some(sp) = line.iter().position(|&b| b == b' ') else {
        return false;
    };
    if sp == 0 || !line[..sp].iter().all(|&b| is_tchar(b)) {
        return false;
    }
    let rest = &line[sp + 1..];
    match rest.iter().rposition(|&b| b == b' ') {
        Some(sp2) => sp2 > 0 && rest[sp2 + 1..].starts_with(b"HTTP/"),
        None => false,
    }
}

/// Where the next message seems to start at or after `from`: the first line that looks
/// like a request line or a status line. Used to carry on after an error.
pub fn find_message_start(buf: &[u8], from: usize) -> Option<usize> {
    let mut pos = from;
    while pos < buf.len() {
        let line = next_line(buf, pos)?;
        if looks_like_start_line(&buf[line.content()]) {
            return Some(pos);
        }
        pos = line.end();
    }
    None
}

/// How many bytes at the front of `following` (what came right after a message) belong
/// to no message: none when it is empty or starts with a blank line or a start line,
/// else up to the next start line or the end.
pub fn unframed_len(following: &[u8]) -> usize {
    if following.is_empty() || following[0] == b'\r' || following[0] == b'\n' {
        return 0;
    }
    find_message_start(following, 0).unwrap_or(following.len())
}

/// Whether a comma-separated header value (`close, Upgrade`) lists `token`, in any case.
pub fn list_has(value: &[u8], token: &str) -> bool {
    value
        .split(|&b| b == b',')
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

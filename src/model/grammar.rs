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
    let lf = memchr::memchr(b'\n', rest)?;
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

/// RFC 9110 `tchar`: the characters of a token (method, field name). One table look-up:
/// every header name's every byte is checked (issue 17).
pub fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

/// [`is_tchar_by_rule`] for every byte, worked out at compile time.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar_by_rule(b as u8);
        b += 1;
    }
    table
};

/// The `tchar` rule as RFC 9110 section 5.6.2 writes it.
const fn is_tchar_by_rule(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_'
        | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

#[cfg(test)]
#[test]
fn the_tchar_table_is_the_rule_for_every_byte() {
    for b in 0..=255u8 {
        assert_eq!(is_tchar(b), is_tchar_by_rule(b), "byte {b:#04x}");
    }
    assert!(is_tchar(b'~') && !is_tchar(b':') && !is_tchar(b' ') && !is_tchar(0x80));
}

/// True when every byte is visible ASCII, a space or a tab: the common case for a header
/// line or a field value, and then it holds no CR and no other control byte. Checked
/// sixteen bytes at a time without a branch per byte (which the compiler turns into SIMD),
/// so a caller can skip its exact, byte-by-byte searches for odd bytes.
pub fn plain_text(bytes: &[u8]) -> bool {
    bytes.chunks(16).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (b == b'\t'))
        })
    })
}

#[cfg(test)]
proptest::proptest! {
    #[test]
    fn plain_text_is_visible_ascii_space_or_tab(bytes in proptest::collection::vec(
        proptest::prop_oneof![0x20..0x7fu8, proptest::num::u8::ANY], 0..80)) {
        let by_byte = bytes.iter().all(|&b| (0x20..0x7f).contains(&b) || b == b'\t');
        proptest::prop_assert_eq!(plain_text(&bytes), by_byte);
    }
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

/// Whether a response with this status never has a body, whatever its header says:
/// 1xx, 204 and 304 (RFC 9110 section 6.4.1, RFC 9112 section 6.3).
pub fn status_has_no_body(status: u16) -> bool {
    (100..200).contains(&status) || status == 204 || status == 304
}

/// The last transfer coding of a `Transfer-Encoding` value, trimmed: the one that
/// frames the body (chunked, or the body runs until close; RFC 9112 section 6.3).
pub fn last_coding(value: &[u8]) -> &[u8] {
    value
        .rsplit(|&b| b == b',')
        .next()
        .unwrap_or_default()
        .trim_ascii()
}

/// Whether a `Transfer-Encoding` value ends in `chunked`.
pub fn ends_chunked(value: &[u8]) -> bool {
    last_coding(value).eq_ignore_ascii_case(b"chunked")
}

/// A header line split at its colon: the name as written and what follows the colon.
/// `None` for a line without a colon, or a continuation line (starting with SP or
/// HTAB). With `pseudo` (HTTP/2 printed as text), a leading colon belongs to the name
/// (`:authority`).
pub fn split_field(line: &[u8], pseudo: bool) -> Option<(&[u8], &[u8])> {
    if line.first().is_some_and(|&b| b == b' ' || b == b'\t') {
        return None;
    }
    let from = usize::from(pseudo && line.first() == Some(&b':'));
    let colon = from + line[from..].iter().position(|&b| b == b':')?;
    Some((&line[..colon], &line[colon + 1..]))
}

//! Other protocols sent where HTTP/1.x was expected, recognised by their first bytes so
//! the error says what they are: a TLS record (`curl https://` to a plain server) and
//! the HTTP/2 connection preface (`curl --http2-prior-knowledge`). Without this, their
//! bytes would be shown as a garbled start line and blamed on a stray CR.

use crate::model::{ErrorKind, Fragment, ParseError};

/// What the client sends first in HTTP/2 over cleartext (RFC 9113 section 3.4).
pub const HTTP2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// The preface's first line: enough to know, since no HTTP/1.x method is `PRI`.
const PREFACE_LINE: &[u8] = b"PRI * HTTP/2.0\r\n";
/// TLS record content types: change_cipher_spec, alert, handshake, application_data.
const TLS_TYPES: std::ops::RangeInclusive<u8> = 0x14..=0x17;
/// TLS record header: type, version (2 bytes), length (2 bytes).
const TLS_HEADER: usize = 5;

/// What the front of a buffer is, when it is not HTTP/1.x.
pub enum Foreign {
    /// Not enough bytes yet to tell.
    Undecided,
    /// The bytes are another protocol: `consumed` bytes of it.
    Found(ErrorKind, usize),
}

/// `None` when `buf` starts like something other than TLS or the HTTP/2 preface (the
/// HTTP/1.x parser judges it then).
pub fn detect(buf: &[u8], eof: bool) -> Option<Foreign> {
    if let Some(found) = tls(buf, eof) {
        return Some(found);
    }
    preface(buf, eof)
}

/// A TLS record: a content type byte, then version 3.x (SSL 3.0 to TLS 1.3 all say
/// 3.0 to 3.4 here). A handshake byte (0x16) is a control character, never the first
/// byte of a start line, so three bytes are enough to tell. The records read whole are
/// taken, so that nothing of them is shown as stray bytes.
fn tls(buf: &[u8], eof: bool) -> Option<Foreign> {
    let first = *buf.first()?;
    if !TLS_TYPES.contains(&first) {
        return None;
    }
    match buf.get(1..3) {
        Some([3, minor]) if *minor <= 4 => {}
        Some(_) => return None,
        None if eof => return None,
        None if buf.get(1).is_some_and(|&b| b != 3) => return None,
        None => return Some(Foreign::Undecided),
    }
    Some(Foreign::Found(ErrorKind::Tls, records_end(buf)))
}

/// The end of the whole TLS records at the front of `buf` (at least its first byte).
fn records_end(buf: &[u8]) -> usize {
    let mut end = 0;
    while let Some(header) = buf.get(end..end + TLS_HEADER) {
        let is_record = TLS_TYPES.contains(&header[0]) && header[1] == 3 && header[2] <= 4;
        let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
        if !is_record || buf.len() < end + TLS_HEADER + len {
            break;
        }
        end += TLS_HEADER + len;
    }
    // A record cut short is still TLS: take what there is of it.
    if end == 0 {
        buf.len()
    } else {
        end
    }
}

/// The HTTP/2 preface, judged on its first line; the whole preface is taken when it is
/// there.
fn preface(buf: &[u8], eof: bool) -> Option<Foreign> {
    if buf.starts_with(PREFACE_LINE) {
        let consumed = if buf.starts_with(HTTP2_PREFACE) {
            HTTP2_PREFACE.len()
        } else if HTTP2_PREFACE.starts_with(buf) && !eof {
            return Some(Foreign::Undecided);
        } else {
            PREFACE_LINE.len()
        };
        return Some(Foreign::Found(ErrorKind::Http2Preface, consumed));
    }
    None
}

/// The error for `consumed` bytes of another protocol at the front of `buf`. No lines:
/// they are not HTTP lines, and a table of them would only show noise.
pub fn error(buf: &[u8], offset: usize, kind: ErrorKind, consumed: usize) -> ParseError {
    ParseError {
        kind,
        index: 0,
        line: 0,
        offset,
        fragment: Fragment {
            offset,
            raw: buf[..consumed].to_vec(),
            ..Fragment::default()
        },
    }
}

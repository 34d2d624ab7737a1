//! The start line: a request line (`method SP target SP version`) or a status line
//! (`version SP code SP reason`), split into spans and checked byte by byte.

use super::ParseOptions;
use crate::model::grammar::is_tchar;
use crate::model::ErrorKind;
use crate::model::{Line, StartLine};

pub(super) fn version_bytes<'a>(buf: &'a [u8], start: &StartLine) -> &'a [u8] {
    match start {
        StartLine::Request { version, .. } | StartLine::Response { version, .. } => {
            &buf[version.clone()]
        }
    }
}

pub(super) fn is_http1(version: &[u8]) -> bool {
    version == b"HTTP/1.1" || version == b"HTTP/1.0"
}

/// `HTTP/d.d`, or with `h2` also the `HTTP/2` and `HTTP/3` that tools print.
fn valid_version(v: &[u8], h2: bool) -> bool {
    let ok = matches!(v, [b'H', b'T', b'T', b'P', b'/', a, b'.', b] if a.is_ascii_digit() && b.is_ascii_digit());
    ok || (h2 && matches!(v, b"HTTP/2" | b"HTTP/3" | b"HTTP/2.0" | b"HTTP/3.0"))
}

pub(super) fn is_ctl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

type StartError = (ErrorKind, usize);

pub(super) fn parse_start_line(
    buf: &[u8],
    line: &Line,
    opts: &ParseOptions,
) -> Result<StartLine, StartError> {
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
    // A URI is ASCII (RFC 3986): other bytes must be percent-encoded.
    if let Some(bad) = target.iter().position(|&b| is_ctl(b) || b >= 0x80) {
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

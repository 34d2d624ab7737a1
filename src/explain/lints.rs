//! Protocol lints: pure checks over a parsed [`Message`] for what is legal to read but
//! wrong, risky or worth a note. Each finding is a [`Diagnostic`] whose code (and so its
//! severity) is a [`Code`]; its text lives in data/diagnostics.tsv. Cases the parser already rejects (in requests: space
//! before the colon, obs-fold, control characters) are linted here for responses.

use super::methods::method;
use super::status::status;
use crate::model::grammar::{last_coding, plain_text, status_has_no_body};
use crate::model::{
    Code, Diagnostic, Framing, Header, LineEnding, Message, Part, Severity, StartLine,
};

/// Every lint finding for one message, in order of offset.
pub fn lint(msg: &Message) -> Vec<Diagnostic> {
    let mut out = Lints {
        msg,
        found: Vec::new(),
    };
    out.head_lines();
    out.fields();
    match &msg.start {
        StartLine::Request { .. } => out.request(),
        StartLine::Response { status, .. } => out.response(*status),
    }
    out.framing();
    let mut found = out.found;
    found.sort_by_key(|d| d.offset);
    found
}

/// Add the findings of [`lint`] and [`lint_following`] to a message, skipping any the
/// parser already reported. Findings about the bytes stay in offset order; those about
/// the capture (a transcript's) come after them.
pub fn apply_lints(msg: &mut Message) {
    for d in lint(msg) {
        if !msg
            .diagnostics
            .iter()
            .any(|e| e.code == d.code && e.line == d.line)
        {
            msg.diagnostics.push(d);
        }
    }
    msg.diagnostics
        .sort_by_key(|d| (d.about_capture(), d.offset));
    if let Some(d) = lint_following(msg) {
        msg.diagnostics.push(d);
    }
}

/// A finding about the bytes that came right after `msg` in its input and do not start a
/// message (as its reader measured them, [`crate::model::Context::unframed_after`]): a
/// body longer than Content-Length said, or a body where none may be.
fn lint_following(msg: &Message) -> Option<Diagnostic> {
    let extra = msg.context.unframed_after;
    if extra == 0 {
        return None;
    }
    let offset = msg.offset + msg.raw.len();
    let (code, args) = match (msg.body.framing, msg.status()) {
        (Some(Framing::ContentLength), _) => {
            let declared = msg.body.wire.len();
            let present = declared + extra;
            (
                Code::ContentLengthMismatch,
                vec![declared.to_string(), present.to_string()],
            )
        }
        (Some(Framing::None), Some(status)) => (
            Code::BodyNotAllowed,
            vec![status.to_string(), extra.to_string()],
        ),
        (Some(Framing::None), None) => (Code::BodyWithoutLength, vec![extra.to_string()]),
        _ => return None,
    };
    Some(Diagnostic::new(code, None, offset, args))
}

/// True when `--strict` should fail: any warning or error.
pub fn fails_strict(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity() >= Severity::Warning)
}

/// True when a message has an error-level finding (exit code 1 even without `--strict`).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity() == Severity::Error)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Header fields with this name (any case).
fn named<'a>(msg: &'a Message, name: &str) -> Vec<&'a Header> {
    msg.headers
        .iter()
        .filter(|h| msg.bytes(&h.name).eq_ignore_ascii_case(name.as_bytes()))
        .collect()
}

struct Lints<'a> {
    msg: &'a Message,
    found: Vec<Diagnostic>,
}

impl Lints<'_> {
    /// `at` is an offset within the message's raw bytes.
    fn push(&mut self, code: Code, line: Option<usize>, at: usize, args: Vec<String>) {
        self.found
            .push(Diagnostic::new(code, line, self.msg.offset + at, args));
    }

    fn is_http1(&self) -> bool {
        matches!(self.msg.version(), b"HTTP/1.1" | b"HTTP/1.0")
    }

    /// Bare LF endings and folded lines, in one walk over the lines outside body data.
    fn head_lines(&mut self) {
        let msg = self.msg;
        let mut bare: Option<(usize, usize)> = None;
        let mut bare_count = 0;
        let mut folds = Vec::new();
        for (no, line) in msg.lines.numbered_outside_data(&msg.raw) {
            match line.part {
                Part::Body | Part::ChunkData => continue,
                Part::Header | Part::Trailer
                    if matches!(msg.line_bytes(&line).first(), Some(b' ' | b'\t')) =>
                {
                    folds.push((no, line.start));
                }
                _ => {}
            }
            if line.ending == LineEnding::Lf {
                bare_count += 1;
                bare.get_or_insert((no, line.start + line.len));
            }
        }
        if let Some((no, at)) = bare {
            self.push(Code::BareLf, Some(no), at, vec![bare_count.to_string()]);
        }
        for (no, at) in folds {
            self.push(Code::ObsFold, Some(no), at, vec![]);
        }
    }

    /// Whitespace before the colon and odd bytes, in headers and trailers.
    fn fields(&mut self) {
        let msg = self.msg;
        let h2 = !self.is_http1();
        for h in msg.headers.iter().chain(&msg.trailers) {
            let name = msg.bytes(&h.name);
            if matches!(msg.raw.get(h.name.end), Some(b' ' | b'\t')) {
                self.push(
                    Code::SpaceBeforeColon,
                    Some(h.line),
                    h.name.end,
                    vec![text(name)],
                );
            }
            // HTTP/2 text as tools print it keeps a leading colon on pseudo-header names.
            let skip = usize::from(h2 && name.first() == Some(&b':'));
            let bad_name = name[skip..]
                .iter()
                .position(|&b| !crate::model::grammar::is_tchar(b))
                .map(|i| h.name.start + skip + i);
            // A folded value spans line endings and the next line's indent: those are framing.
            let value = msg.bytes(&h.value);
            let bad_value = if plain_text(value) {
                None
            } else {
                value
                    .iter()
                    .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b >= 0x7f)
            };
            let bad = bad_name.or(bad_value.map(|i| h.value.start + i));
            if let Some(at) = bad {
                let byte = format!("{:02x}", msg.raw[at]);
                self.push(
                    Code::InvalidFieldChar,
                    Some(h.line),
                    at,
                    vec![text(name), byte],
                );
            }
        }
    }

    fn request(&mut self) {
        let msg = self.msg;
        let StartLine::Request {
            method: m, target, ..
        } = &msg.start
        else {
            return;
        };
        let name = msg.bytes(m);
        match method(name) {
            Some(info) if info.name.as_bytes() == name => {}
            Some(info) => {
                self.push(
                    Code::LowercaseMethod,
                    Some(0),
                    m.start,
                    vec![text(name), info.name.into()],
                );
            }
            None => self.push(Code::UnknownMethod, Some(0), m.start, vec![text(name)]),
        }
        let t = msg.bytes(target);
        let scheme = t
            .iter()
            .position(|&b| b == b':')
            .filter(|&i| i > 0 && t[0].is_ascii_alphabetic() && t[i..].starts_with(b"://"));
        if scheme.is_some() && name != b"CONNECT" {
            self.push(Code::AbsoluteFormTarget, Some(0), target.start, vec![]);
        }
        if msg.version() == b"HTTP/1.1" {
            let hosts = named(msg, "host");
            match hosts.as_slice() {
                [] => self.push(Code::MissingHost, Some(0), 0, vec![]),
                [_] => {}
                [_, second, ..] => {
                    let (line, at) = (second.line, second.name.start);
                    self.push(
                        Code::DuplicateHost,
                        Some(line),
                        at,
                        vec![hosts.len().to_string()],
                    );
                }
            }
        }
    }

    fn response(&mut self, code: u16) {
        let msg = self.msg;
        if !(100..=599).contains(&code) {
            let at = msg.version().len() + 1;
            self.push(Code::StatusCodeRange, Some(0), at, vec![code.to_string()]);
        } else if status(code).is_none() {
            let class = format!("{}00", code / 100);
            let at = msg.version().len() + 1;
            self.push(
                Code::UnknownStatus,
                Some(0),
                at,
                vec![code.to_string(), class],
            );
        }
        if let StartLine::Response { reason, .. } = &msg.start {
            if reason.is_empty() && self.is_http1() {
                self.push(Code::MissingReasonPhrase, Some(0), reason.start, vec![]);
            }
        }
        // A 304 may state the length of what it stands for (RFC 9110 section 8.6).
        if status_has_no_body(code) && code != 304 {
            for name in ["content-length", "transfer-encoding"] {
                if let Some(h) = named(msg, name).first() {
                    let field = text(msg.bytes(&h.name));
                    let at = h.name.start;
                    self.push(
                        Code::LengthOnBodilessStatus,
                        Some(h.line),
                        at,
                        vec![code.to_string(), field],
                    );
                }
            }
        }
        if status_has_no_body(code) && !msg.body_bytes().is_empty() {
            let n = msg.body_bytes().len().to_string();
            self.push(
                Code::BodyNotAllowed,
                None,
                msg.body.wire.start,
                vec![code.to_string(), n],
            );
        }
    }

    /// Content-Length and Transfer-Encoding: together, repeated, or against the body.
    fn framing(&mut self) {
        let msg = self.msg;
        if !self.is_http1() {
            return;
        }
        let te = named(msg, "transfer-encoding");
        let cl = named(msg, "content-length");
        let at_line = |h: &Header| (Some(h.line), h.name.start);
        if let (Some(_), Some(c)) = (te.first(), cl.first()) {
            let (line, at) = at_line(c);
            self.push(Code::TransferEncodingWithContentLength, line, at, vec![]);
        }
        if let Some(t) = te.first() {
            let (line, at) = at_line(t);
            if msg.version() == b"HTTP/1.0" {
                self.push(Code::TransferEncodingHttp10, line, at, vec![]);
            }
            let last = te
                .last()
                .map(|h| last_coding(msg.bytes(&h.value)))
                .unwrap_or_default();
            if !last.eq_ignore_ascii_case(b"chunked") {
                let (line, at) = at_line(te.last().unwrap_or(t));
                self.push(Code::TransferEncodingNotChunked, line, at, vec![text(last)]);
            }
        }
        let values: Vec<&[u8]> = cl
            .iter()
            .flat_map(|h| msg.bytes(&h.value).split(|&b| b == b','))
            .map(|v| v.trim_ascii())
            .collect();
        if values.len() > 1 && values.iter().all(|v| *v == values[0]) {
            let h = cl.get(1).unwrap_or(&cl[0]);
            let (line, at) = at_line(h);
            self.push(
                Code::DuplicateContentLength,
                line,
                at,
                vec![values.len().to_string()],
            );
        }
        let declared = values
            .first()
            .and_then(|v| std::str::from_utf8(v).ok()?.parse::<usize>().ok());
        let present = msg.body_bytes().len();
        if let Some(declared) = declared {
            let counted = msg.body.framing == Some(Framing::ContentLength);
            if counted
                && declared != present
                && !msg.body.unread
                && msg.context.body_hidden.is_none()
                && !msg
                    .context
                    .exchange
                    .as_ref()
                    .is_some_and(|e| e.cut_at.is_some())
            {
                let (line, at) = at_line(cl[0]);
                let args = vec![declared.to_string(), present.to_string()];
                self.push(Code::ContentLengthMismatch, line, at, args);
            }
        }
    }
}

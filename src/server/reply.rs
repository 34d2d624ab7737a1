//! The canned response: its bytes, built once at start-up from the reply options (or read
//! whole from a file) and checked with the same parser that reads requests; plus the short
//! plain-text answers to bad requests.

use std::fmt;

use crate::explain::{error_text, Label, Lang};
use crate::model::grammar::{self, status_has_no_body};
use crate::model::{Framing, Message};
use crate::pipeline;
use crate::wire::{self, ParseOptions, Parsed, State};

/// The article's body; its server adds CRLF after it.
const ARTICLE_BODY: &[u8] = b"Hello, Destined Person.\r\n";
/// The article's headers, in its order. A `--header` of the same name replaces one.
const ARTICLE_HEADERS: [(&str, &str); 2] =
    [("Server", "pdudo_web_sites"), ("Content-Type", "text/html")];

/// What a user asked the reply to be.
#[derive(Clone, Debug, Default)]
pub struct ReplySpec {
    pub status: Option<u16>,
    pub reason: Option<String>,
    /// `Name: value` lines, in order.
    pub headers: Vec<String>,
    pub body: Option<Vec<u8>>,
    /// Exact bytes: when set, everything above is ignored.
    pub exact: Option<Vec<u8>>,
    /// Send `exact` even when the parser refuses it.
    pub allow_invalid: bool,
    /// The language of the reasons a reply is refused.
    pub lang: Lang,
}

/// A reply that could not be built.
#[derive(Debug)]
pub struct ReplyError(pub String);

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReplyError {}

/// A response ready to send to every request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub bytes: Vec<u8>,
    /// Length of the head: all a response to `HEAD` sends.
    pub head_len: usize,
    /// The connection must close after it: the body runs until close, the reply says
    /// `Connection: close`, or it could not be parsed at all.
    pub close: bool,
    /// Status code, when the bytes could be read.
    pub status: Option<u16>,
    /// The parsed reply, for `--show-response`; `None` for an invalid `--response-file`.
    pub message: Option<Message>,
    /// Why the parser refused the reply, when `--allow-invalid` sends it anyway.
    pub invalid: Option<String>,
    /// The same reply saying `Connection: close`, for when the server closes after it
    /// (it is stopping); `None` when the reply closes the connection anyway.
    pub closing: Option<Box<Reply>>,
}

impl Reply {
    /// Build the reply from what the user asked for.
    pub fn build(spec: &ReplySpec) -> Result<Reply, ReplyError> {
        match &spec.exact {
            Some(bytes) => Reply::from_exact(bytes.clone(), spec.allow_invalid, spec.lang),
            None => {
                let bytes = compose(spec)?;
                // Bytes we composed ourselves must read back cleanly; if not, that is a
                // mistake in an option (a control character in --reason, say).
                Reply::from_exact(bytes, false, spec.lang)
            }
        }
    }

    /// The bytes of a file as they are, checked with the parser.
    pub fn from_exact(
        bytes: Vec<u8>,
        allow_invalid: bool,
        lang: Lang,
    ) -> Result<Reply, ReplyError> {
        match check(&bytes, lang) {
            Ok(message) => {
                let close = message.body.framing == Some(Framing::UntilClose)
                    || message.connection_has("close");
                let closing = if close {
                    None
                } else {
                    let bytes = with_connection_close(&bytes);
                    Some(Box::new(Reply::from_exact(bytes, false, lang)?))
                };
                Ok(Reply {
                    head_len: message.head_len(),
                    status: message.status(),
                    close,
                    bytes,
                    message: Some(message),
                    invalid: None,
                    closing,
                })
            }
            Err(e) if allow_invalid => Ok(Reply {
                head_len: bytes.len(),
                close: true,
                status: None,
                bytes,
                message: None,
                invalid: Some(e.0),
                closing: None,
            }),
            Err(e) => Err(e),
        }
    }

    /// What to send in answer to a request: without the body for `HEAD`.
    pub fn for_request(&self, is_head: bool) -> &[u8] {
        if is_head {
            &self.bytes[..self.head_len]
        } else {
            &self.bytes
        }
    }
}

/// Parse `bytes` as exactly one response, refusing anything else.
fn check(bytes: &[u8], lang: Lang) -> Result<Message, ReplyError> {
    let opts = ParseOptions::default();
    match wire::parse_message(bytes, 0, &mut State::default(), &opts, true) {
        Parsed::Complete {
            mut message,
            consumed,
        } => {
            pipeline::lint_message(&mut message);
            if message.status().is_none() {
                return Err(ReplyError(Label::ReplyIsRequest.text(lang).into()));
            }
            if consumed < bytes.len() {
                let extra = (bytes.len() - consumed).to_string();
                return Err(ReplyError(
                    Label::ReplyTrailing.fill(lang, &[&extra, &consumed.to_string()]),
                ));
            }
            Ok(*message)
        }
        Parsed::Error { error, .. } => {
            let place =
                Label::PlaceLine.fill(lang, &[&error.line.to_string(), &error.offset.to_string()]);
            let colon = Label::Colon.text(lang);
            Err(ReplyError(format!(
                "{place}{colon}{}",
                error_text(&error.kind, lang)
            )))
        }
        Parsed::Partial { .. } => Err(ReplyError(Label::ReplyIncomplete.text(lang).into())),
    }
}

/// `bytes` with `Connection: close` as the first header.
fn with_connection_close(bytes: &[u8]) -> Vec<u8> {
    let after_start_line = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |lf| lf + 1);
    let mut out = Vec::with_capacity(bytes.len() + 19);
    out.extend_from_slice(&bytes[..after_start_line]);
    out.extend_from_slice(b"Connection: close\r\n");
    out.extend_from_slice(&bytes[after_start_line..]);
    out
}

/// The bytes of a reply made from options: status line, headers, Content-Length, body.
fn compose(spec: &ReplySpec) -> Result<Vec<u8>, ReplyError> {
    let status = spec.status.unwrap_or(200);
    let reason = spec
        .reason
        .clone()
        .unwrap_or_else(|| reason_phrase(status).to_string());
    let mut user: Vec<(&str, &str)> = Vec::with_capacity(spec.headers.len());
    for line in &spec.headers {
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReplyError(
                Label::ReplyHeaderForm.fill(spec.lang, &[&format!("{line:?}")]),
            ));
        };
        check_header_arg(line, name, value, spec.lang)?;
        user.push((name.trim_end(), value.trim()));
    }
    let named = |n: &str| user.iter().any(|(u, _)| u.eq_ignore_ascii_case(n));
    let bodiless = status_has_no_body(status);
    let body: &[u8] = match &spec.body {
        Some(body) if bodiless && !body.is_empty() => {
            return Err(ReplyError(
                Label::ReplyBodiless.fill(spec.lang, &[&status.to_string()]),
            ));
        }
        _ if bodiless => b"",
        Some(body) => body,
        None => ARTICLE_BODY,
    };

    let mut out = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
    for (name, value) in ARTICLE_HEADERS {
        let dropped = bodiless && name == "Content-Type";
        if !named(name) && !dropped {
            push_header(&mut out, name, value);
        }
    }
    for (name, value) in &user {
        push_header(&mut out, name, value);
    }
    if !bodiless && !named("content-length") && !named("transfer-encoding") {
        push_header(&mut out, "Content-Length", &body.len().to_string());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    Ok(out)
}

/// Refuse a `--header` argument that would not be one valid header line, naming the
/// argument rather than a byte of the reply made from it.
fn check_header_arg(line: &str, name: &str, value: &str, lang: Lang) -> Result<(), ReplyError> {
    let arg = format!("{line:?}");
    // A CR or LF would end the line early and smuggle in another header.
    if line.contains(['\r', '\n']) {
        return Err(ReplyError(Label::ReplyHeaderOneLine.fill(lang, &[&arg])));
    }
    let name = name.trim_end();
    if name.is_empty() || !name.bytes().all(grammar::is_tchar) {
        let name = format!("{name:?}");
        return Err(ReplyError(
            Label::ReplyHeaderName.fill(lang, &[&arg, &name]),
        ));
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(ReplyError(Label::ReplyHeaderValue.fill(lang, &[&arg])));
    }
    Ok(())
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// A short plain-text answer to a request the server would not take.
pub fn plain(status: u16, text: &str) -> Vec<u8> {
    let body = format!("{text}\n");
    format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        reason_phrase(status),
        body.len()
    )
    .into_bytes()
}

/// The usual reason phrase for a status code (the IANA registry, RFC 9110 section 15).
pub fn reason_phrase(status: u16) -> &'static str {
    crate::explain::status(status).map_or("Unknown", |s| s.phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_reply_is_the_articles() {
        let reply = Reply::build(&ReplySpec::default()).unwrap();
        assert_eq!(
            reply.bytes,
            std::fs::read("fixtures/article-reply.http").unwrap()
        );
        assert_eq!(reply.status, Some(200));
        assert!(!reply.close);
        let closing = reply.closing.as_ref().unwrap();
        assert!(closing.close);
        assert!(closing
            .bytes
            .starts_with(b"HTTP/1.1 200 OK\r\nConnection: close\r\nServer:"));
        assert_eq!(closing.bytes.len(), reply.bytes.len() + 19);
        assert!(reply.bytes[..reply.head_len].ends_with(b"\r\n\r\n"));
    }

    #[test]
    fn user_headers_replace_defaults_and_keep_order() {
        let spec = ReplySpec {
            status: Some(404),
            headers: vec!["X-Lesson: 3".into(), "content-type: text/plain".into()],
            body: Some(b"nope".to_vec()),
            ..ReplySpec::default()
        };
        let reply = Reply::build(&spec).unwrap();
        assert_eq!(
            String::from_utf8(reply.bytes).unwrap(),
            "HTTP/1.1 404 Not Found\r\nServer: pdudo_web_sites\r\nX-Lesson: 3\r\ncontent-type: text/plain\r\nContent-Length: 4\r\n\r\nnope"
        );
    }

    #[test]
    fn a_given_content_length_is_kept_even_when_wrong() {
        let spec = ReplySpec {
            headers: vec!["Content-Length: 2".into()],
            body: Some(b"ab".to_vec()),
            ..ReplySpec::default()
        };
        let reply = Reply::build(&spec).unwrap();
        assert!(String::from_utf8(reply.bytes)
            .unwrap()
            .contains("Content-Length: 2\r\n\r\nab"));
    }

    #[test]
    fn bad_header_and_bad_file_are_refused() {
        let spec = ReplySpec {
            headers: vec!["NoColon".into()],
            ..ReplySpec::default()
        };
        assert!(Reply::build(&spec).is_err());
        let err = Reply::from_exact(
            b"HTTP/1.1 200 OK\r\nBroken\r\n\r\n".to_vec(),
            false,
            Lang::En,
        )
        .unwrap_err();
        assert!(err.0.contains("line 1"), "{err}");
        let ok = Reply::from_exact(
            b"HTTP/1.1 200 OK\r\nBroken\r\n\r\n".to_vec(),
            true,
            Lang::En,
        )
        .unwrap();
        assert!(ok.close && ok.message.is_none());
    }

    #[test]
    fn until_close_reply_closes_the_connection() {
        let reply =
            Reply::from_exact(b"HTTP/1.1 200 OK\r\n\r\nrest".to_vec(), false, Lang::En).unwrap();
        assert!(reply.close);
        assert_eq!(reply.for_request(true), b"HTTP/1.1 200 OK\r\n\r\n");
    }
}

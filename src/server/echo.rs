//! The `--echo` reply: the request's own anatomy, in the form its `Accept` asks for. A
//! browser gets an HTML page, `application/json` the JSON object of docs/json.md, and
//! anything else (curl sends `*/*`) the plain-text table.

use std::io::{self, Write};

use tokio::sync::mpsc;

use crate::explain::Label;
use crate::model::Message;
use crate::render::{html, json, table, RenderOptions, Theme};

/// The forms of the echo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EchoForm {
    Html,
    Json,
    Text,
}

impl EchoForm {
    fn content_type(self) -> &'static str {
        match self {
            EchoForm::Html => "text/html; charset=utf-8",
            // JSON is UTF-8 by definition; RFC 8259 section 11 defines no charset.
            EchoForm::Json => "application/json",
            EchoForm::Text => "text/plain; charset=utf-8",
        }
    }
}

/// Which form a request's `Accept` fields ask for. Only media types named outright
/// count: `*/*` and `text/*` would match HTML too, and curl sends `*/*`, so wildcards
/// leave the plain text. A `q` of 0 refuses a type (RFC 9110 section 12.5.1); between
/// HTML and JSON the higher `q` wins, HTML on a tie.
pub fn negotiate<'a>(accept: impl IntoIterator<Item = &'a [u8]>) -> EchoForm {
    let (mut html, mut json) = (0.0f32, 0.0f32);
    for value in accept {
        for range in value.split(|&b| b == b',') {
            let mut params = range.split(|&b| b == b';');
            let media = params.next().unwrap_or_default().trim_ascii();
            let q = weight(params);
            if media.eq_ignore_ascii_case(b"text/html") {
                html = html.max(q);
            } else if media.eq_ignore_ascii_case(b"application/json") {
                json = json.max(q);
            }
        }
    }
    if html > 0.0 && html >= json {
        EchoForm::Html
    } else if json > 0.0 {
        EchoForm::Json
    } else {
        EchoForm::Text
    }
}

/// The `q` among a media range's parameters: 1 when absent; a weight that cannot be
/// read refuses the type rather than guesses.
fn weight<'a>(params: impl Iterator<Item = &'a [u8]>) -> f32 {
    let mut q = 1.0;
    for param in params {
        let Some(eq) = param.iter().position(|&b| b == b'=') else {
            continue;
        };
        let (name, value) = (&param[..eq], &param[eq + 1..]);
        if name.trim_ascii().eq_ignore_ascii_case(b"q") {
            q = std::str::from_utf8(value.trim_ascii())
                .ok()
                .and_then(|v| v.parse::<f32>().ok())
                .filter(|q| (0.0..=1.0).contains(q))
                .unwrap_or(0.0);
        }
    }
    q
}

/// An echo body at least this large is not built in memory: it is rendered twice, once
/// to count its bytes for `Content-Length`, then again in pieces as the socket takes them
/// (see [`Streamed`]), so a client that never reads holds the socket buffer, not the reply.
pub(super) const STREAM_FROM: usize = 256 * 1024;
/// The size of each piece of a streamed echo.
const PIECE: usize = 64 * 1024;

/// The echo of `request` as a whole `200 OK` reply in the form its `Accept` asks for.
pub fn reply(request: &Message, opts: &RenderOptions, keep_alive: bool) -> Vec<u8> {
    let form = negotiate(request.header_values("accept"));
    let mut body = Vec::with_capacity(8192);
    write_body(&mut body, form, request, opts).expect("writing to memory cannot fail");
    let mut out = head(form, body.len(), keep_alive);
    // A reply to `HEAD` has the head a `GET` would get, and no body.
    if request.method() != Some(b"HEAD") {
        out.extend_from_slice(&body);
    }
    out
}

/// The echo body in `form`.
fn write_body(
    w: &mut impl Write,
    form: EchoForm,
    request: &Message,
    opts: &RenderOptions,
) -> io::Result<()> {
    match form {
        EchoForm::Html => html::write_page(w, request, opts, Some(Label::PageIntro)),
        EchoForm::Json => json::write_message(w, request, opts.lang),
        EchoForm::Text => table::write_message(w, request, &Theme::plain(), opts),
    }
}

/// The reply's head, for a body of `len` bytes.
fn head(form: EchoForm, len: usize, keep_alive: bool) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nServer: httpdump\r\nContent-Type: {}\r\nContent-Length: {}\r\nVary: Accept\r\n",
        form.content_type(),
        len
    )
    .into_bytes();
    if form == EchoForm::Html {
        // The page needs nothing but its own inline style; should a value ever slip
        // through escaping, the browser still runs and loads nothing.
        out.extend_from_slice(
            b"Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src data:\r\nX-Content-Type-Options: nosniff\r\n",
        );
    }
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// An echo too large to build in memory: its head, and the request to render the body
/// from, piece by piece.
pub(super) struct Streamed {
    pub(super) head: Vec<u8>,
    form: EchoForm,
    request: Box<Message>,
    opts: RenderOptions,
}

impl Streamed {
    /// Render the body on a blocking thread, handing each piece to `tx`; stops early
    /// (with an error) once the receiver is gone.
    pub(super) fn render(self, tx: mpsc::Sender<Vec<u8>>) -> io::Result<()> {
        let mut pieces = Pieces {
            tx,
            buf: Vec::with_capacity(PIECE),
        };
        write_body(&mut pieces, self.form, &self.request, &self.opts)?;
        pieces.flush()
    }
}

/// The echo of `request`, whole when it is small, else [`Streamed`].
pub(super) fn reply_or_stream(
    request: Box<Message>,
    opts: &RenderOptions,
    keep_alive: bool,
) -> Result<Vec<u8>, Streamed> {
    let form = negotiate(request.header_values("accept"));
    let mut count = Count(0);
    write_body(&mut count, form, &request, opts).expect("counting cannot fail");
    if count.0 < STREAM_FROM || request.method() == Some(b"HEAD") {
        return Ok(reply(&request, opts, keep_alive));
    }
    Err(Streamed {
        head: head(form, count.0, keep_alive),
        form,
        request,
        opts: opts.clone(),
    })
}

/// A writer that only counts.
struct Count(usize);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A writer that sends what it is given in pieces of [`PIECE`] bytes, waiting while the
/// (one-piece) channel is full.
struct Pieces {
    tx: mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        if self.buf.len() >= PIECE {
            self.flush()?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE));
        self.tx
            .blocking_send(piece)
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(accept: &[&str]) -> EchoForm {
        negotiate(accept.iter().map(|a| a.as_bytes()))
    }

    #[test]
    fn content_negotiation() {
        let cases: &[(&[&str], EchoForm)] = &[
            (&[], EchoForm::Text),
            (&["*/*"], EchoForm::Text),
            (&["text/*"], EchoForm::Text),
            (&["text/plain"], EchoForm::Text),
            (&["text/html"], EchoForm::Html),
            (&["TEXT/HTML"], EchoForm::Html),
            (&["application/json"], EchoForm::Json),
            (&["application/json, */*;q=0.1"], EchoForm::Json),
            // Chromium's, Firefox's and Safari's navigation Accept.
            (
                &["text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"],
                EchoForm::Html,
            ),
            (&["text/html;q=0", "*/*"], EchoForm::Text),
            (&["text/html;q=0, application/json"], EchoForm::Json),
            (&["text/html; q=0.0"], EchoForm::Text),
            (&["text/html;level=1;q=0.5, application/json;q=0.9"], EchoForm::Json),
            (&["application/json;q=0.5, text/html;q=0.5"], EchoForm::Html),
            (&["text/html;q=abc"], EchoForm::Text),
            (&["text/html;q=2"], EchoForm::Text),
            // Two Accept fields are one list (RFC 9110 section 5.3).
            (&["application/json;q=0.4", "text/html;q=0.6"], EchoForm::Html),
            (&[" text/html ;Q=1 "], EchoForm::Html),
        ];
        for (accept, want) in cases {
            assert_eq!(form(accept), *want, "{accept:?}");
        }
    }

    fn echo(accept: &str) -> String {
        let request = format!("GET /e HTTP/1.1\r\nHost: a\r\nAccept: {accept}\r\n\r\n");
        let items = crate::source::reader::parse_all(request.as_bytes(), Default::default());
        let crate::model::Item::Message(m) = &items[0] else {
            panic!("{items:?}")
        };
        String::from_utf8(reply(m, &RenderOptions::default(), true)).unwrap()
    }

    #[test]
    fn each_form_has_its_content_type_and_length() {
        for (accept, content_type, starts) in [
            ("text/html", "text/html; charset=utf-8", "<!DOCTYPE html>"),
            (
                "application/json",
                "application/json",
                "{\"kind\":\"request\"",
            ),
            ("*/*", "text/plain; charset=utf-8", "Request 1: GET /e"),
        ] {
            let reply = echo(accept);
            let (head, body) = reply.split_once("\r\n\r\n").unwrap();
            assert!(
                head.contains(&format!("\r\nContent-Type: {content_type}\r\n")),
                "{head}"
            );
            assert!(head.contains("\r\nVary: Accept"), "{head}");
            assert!(
                head.contains(&format!("\r\nContent-Length: {}\r\n", body.len())),
                "{head}"
            );
            assert!(body.starts_with(starts), "{accept}: {body}");
        }
    }
}

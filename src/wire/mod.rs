//! Pure functions from bytes to [`Message`]s. Nothing here reads a socket or prints: a
//! caller hands over a buffer and gets back a complete message, a request for more bytes,
//! or a typed error that says which line and byte broke.

mod body;
mod chunk_line;
mod foreign;
mod head;
mod start_line;

use std::collections::VecDeque;

use crate::model::{Body, Context, Diagnostic, Lines, Message, ParseError, StartLine};

/// Limits and leniencies, given explicitly by the caller (as httparse does).
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// The most bytes a head (start line, headers, blank line) may take.
    pub max_head: usize,
    /// The most header lines a head may have.
    pub max_headers: usize,
    /// The most bytes a body may take; `None` for no limit.
    pub max_body: Option<u64>,
    /// Accept start lines of HTTP/2 and HTTP/3 as printed by tools like curl, with
    /// lowercase and `:pseudo` header names. Raw HTTP/1.x input never needs this.
    pub allow_h2_text: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_head: 1024 * 1024,
            max_headers: 10_000,
            max_body: None,
            allow_h2_text: false,
        }
    }
}

/// What the parser remembers between messages of one input: the requests still waiting
/// for a response, so that a response to `HEAD` is known to have no body.
#[derive(Clone, Debug, Default)]
pub struct State {
    awaiting: VecDeque<bool>,
    /// How many messages and errors have been read (for `index`).
    pub items: usize,
}

impl State {
    /// Note that a request was sent, for framing the response to it.
    pub fn push_request(&mut self, is_head: bool) {
        self.awaiting.push_back(is_head);
    }

    fn answered_request_was_head(&self) -> bool {
        self.awaiting.front().copied().unwrap_or(false)
    }
}

/// The outcome of one call to [`parse_message`].
#[derive(Debug)]
pub enum Parsed {
    /// A whole message, which took `consumed` bytes of the buffer.
    Complete {
        message: Box<Message>,
        consumed: usize,
    },
    /// More bytes are needed; `need` is the total buffer length that would be enough,
    /// when known (a Content-Length body).
    Partial { need: Option<usize> },
    /// The bytes are not a valid message. `consumed` covers what was read of it, up to
    /// and including the line that broke.
    Error {
        error: Box<ParseError>,
        consumed: usize,
    },
}

/// The other protocol `buf` starts with, if it is TLS or the HTTP/2 preface rather than
/// HTTP/1.x (judged on the bytes at hand, as if no more would come).
pub fn foreign_protocol(buf: &[u8]) -> Option<crate::model::ErrorKind> {
    match foreign::detect(buf, true)? {
        foreign::Foreign::Found(kind, _) => Some(kind),
        foreign::Foreign::Undecided => None,
    }
}

/// Parse one message from the front of `buf`.
///
/// `offset` is where `buf[0]` sits in the whole input (for absolute byte offsets in
/// errors and the model). With `eof` set, nothing more will come: the answer is then
/// never `Partial`, and a response without length fields takes the rest of `buf`.
pub fn parse_message(
    buf: &[u8],
    offset: usize,
    state: &mut State,
    opts: &ParseOptions,
    eof: bool,
) -> Parsed {
    let head = match read_head(buf, offset, state, opts, eof) {
        Ok(head) => head,
        Err(parsed) => return parsed,
    };
    let was_head = state.answered_request_was_head();
    let body = match body::parse_body(buf, offset, &head, was_head, opts, eof) {
        body::BodyResult::Complete(body) => body,
        body::BodyResult::Partial(need) => return Parsed::Partial { need },
        body::BodyResult::Error(error, consumed) => return finish_error(state, *error, consumed),
    };
    finish(buf, offset, state, head, body)
}

/// Parse only the head that fills `buf` and record how its body would be framed, without
/// reading the body: for captures (curl transcripts) that show a head but not its body.
pub fn parse_head_only(
    buf: &[u8],
    offset: usize,
    state: &mut State,
    opts: &ParseOptions,
) -> Parsed {
    head_alone(buf, offset, state, opts, true)
}

/// The head at the front of `buf`, as a message whose body is not read, once the head is
/// whole (`Partial` before): for a server that must answer a head before its body comes
/// (`Expect: 100-continue`). Whatever follows the head is left alone.
pub fn parse_head_first(buf: &[u8], offset: usize, opts: &ParseOptions) -> Parsed {
    head_alone(buf, offset, &mut State::default(), opts, false)
}

/// As [`parse_head_first`], for a response to a request that was `HEAD` or not (a
/// response to `HEAD` has no body whatever its length fields say).
pub fn parse_response_head(
    buf: &[u8],
    offset: usize,
    opts: &ParseOptions,
    to_head: bool,
) -> Parsed {
    let mut state = State::default();
    state.push_request(to_head);
    head_alone(buf, offset, &mut state, opts, false)
}

fn head_alone(
    buf: &[u8],
    offset: usize,
    state: &mut State,
    opts: &ParseOptions,
    eof: bool,
) -> Parsed {
    let head = match read_head(buf, offset, state, opts, eof) {
        Ok(head) => head,
        Err(parsed) => return parsed,
    };
    let was_head = state.answered_request_was_head();
    let framing = match body::framing_only(buf, offset, &head, was_head) {
        Ok(framing) => framing,
        Err((error, consumed)) => return finish_error(state, *error, consumed),
    };
    let body = body::plain(buf, head.end, head.end, framing);
    let mut parsed = finish(buf, offset, state, head, body);
    if let Parsed::Complete { message, .. } = &mut parsed {
        message.body.unread = true;
    }
    parsed
}

/// The head at the front of `buf` and as much of its body as `buf` holds, for a client
/// that stopped reading at its own limit (`send --max-body`) before the body ended. The
/// body is not decoded; the message counts as answered in `state`.
pub fn parse_cut(buf: &[u8], offset: usize, state: &mut State, opts: &ParseOptions) -> Parsed {
    let head = match read_head(buf, offset, state, opts, false) {
        Ok(head) => head,
        Err(parsed) => return parsed,
    };
    let was_head = state.answered_request_was_head();
    let framing = match body::framing_only(buf, offset, &head, was_head) {
        Ok(framing) => framing,
        Err((error, consumed)) => return finish_error(state, *error, consumed),
    };
    let body = body::cut(buf, head.end, framing, opts);
    finish(buf, offset, state, head, body)
}

/// The head at the front of `buf`, or what to answer instead (more bytes, an error).
fn read_head(
    buf: &[u8],
    offset: usize,
    state: &mut State,
    opts: &ParseOptions,
    eof: bool,
) -> Result<head::Head, Parsed> {
    match head::parse_head(buf, offset, opts, eof) {
        head::HeadResult::Complete(head) => Ok(head),
        head::HeadResult::Partial => Err(Parsed::Partial { need: None }),
        head::HeadResult::Error(error, consumed) => Err(finish_error(state, *error, consumed)),
    }
}

/// Put a head and a body together into a message and count it.
fn finish(
    buf: &[u8],
    offset: usize,
    state: &mut State,
    head: head::Head,
    body: body::BodyParsed,
) -> Parsed {
    let consumed = body.end;
    let mut lines = Lines::from(head.lines);
    lines.extend(body.lines);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    diagnostics.extend(head.diagnostics);
    diagnostics.extend(body.diagnostics);

    state.items += 1;
    match &head.start {
        StartLine::Request { method, .. } => {
            state.push_request(&buf[method.clone()] == b"HEAD");
        }
        StartLine::Response { status, .. } => {
            // An interim 1xx response (other than 101) leaves the request waiting.
            if !(100..200).contains(status) || *status == 101 {
                state.awaiting.pop_front();
            }
        }
    }
    let message = Message {
        index: state.items,
        offset,
        raw: buf[..consumed].to_vec(),
        start: head.start,
        lines,
        headers: head.headers,
        trailers: body.trailers,
        body: Body {
            framing: Some(body.framing),
            wire: body.wire,
            decoded: body.decoded,
            unread: false,
        },
        diagnostics,
        context: Context::default(),
    };
    Parsed::Complete {
        message: Box::new(message),
        consumed,
    }
}

fn finish_error(state: &mut State, mut error: ParseError, consumed: usize) -> Parsed {
    state.items += 1;
    error.index = state.items;
    Parsed::Error {
        error: Box::new(error),
        consumed,
    }
}

#[cfg(test)]
mod tests;

//! How a request ends when its bytes stop coming: the client closed its side, took
//! longer than `--timeout`, or a second Ctrl-C stopped the server. Whatever arrived is
//! still shown, answered where possible and saved: nothing received is dropped unsaid.

use std::io;

use super::{Conn, End};
use crate::explain::{error_text, Lang};
use crate::model::Fragment;
use crate::model::{ErrorKind, ParseError};
use crate::pipeline;
use crate::wire::{self, Parsed, State};

/// Why the bytes of a request stopped coming.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cut {
    /// The client closed its side.
    Closed,
    /// No byte for `--timeout`.
    TimedOut,
    /// Silent at the limit: a new client took the slot.
    SlotTaken,
}

impl Conn<'_> {
    /// Nothing more will come for the request in the buffer (see [`Cut`]). Whatever the
    /// parser makes of the bytes at hand is answered: a whole message as usual, the rest
    /// as an error that says why it stopped.
    pub(super) async fn at_end(&mut self, cut: Cut) -> io::Result<End> {
        let opts = &self.shared.parse;
        let (unread, at) = (self.inbox.unread(), self.inbox.at());
        let mut error = match wire::parse_message(unread, at, &mut State::default(), opts, true) {
            Parsed::Complete {
                mut message,
                consumed,
            } => {
                // A response whose body runs until close, say; nothing follows it.
                self.inbox.take(consumed);
                pipeline::lint_message(&mut message);
                let must_close = self.must_close();
                self.responder.answer(message, must_close).await?;
                self.responder.flush().await?;
                return Ok(if cut == Cut::Closed {
                    End::Done
                } else {
                    End::Linger
                });
            }
            Parsed::Error { error, .. } => error,
            // The parser never asks for more at the end of input; should it, the bytes
            // are still shown and answered, as a head cut off.
            Parsed::Partial { .. } => Box::new(cut_off_head(unread, at)),
        };
        if error.kind == ErrorKind::Tls {
            return Ok(self.responder.refuse_silently(error, unread).await);
        }
        let status = match (self.stopped_waiting(&error.kind, cut), cut) {
            (Some(kind), Cut::SlotTaken) => {
                error.kind = kind;
                503
            }
            (Some(kind), _) => {
                error.kind = kind;
                408
            }
            (None, _) => status_for(&error.kind),
        };
        let text = refusal_text(&error, status);
        let unread = self.inbox.unread();
        self.responder.refuse(error, unread, status, &text).await
    }

    /// What to say of bytes that stopped coming because the server stopped waiting
    /// (`cut`), when the parser found them `kind`: cut short. `None` when the client
    /// closed, or when what came is wrong whatever would have followed.
    fn stopped_waiting(&self, kind: &ErrorKind, cut: Cut) -> Option<ErrorKind> {
        let in_head = match kind {
            ErrorKind::TruncatedHead => true,
            ErrorKind::TruncatedBody { .. } | ErrorKind::TruncatedChunked => false,
            _ => return None,
        };
        let config = &self.shared.config;
        match cut {
            Cut::Closed => None,
            Cut::TimedOut => Some(ErrorKind::TimedOut {
                idle_ms: config.timeout.as_millis() as u64,
                in_head,
            }),
            Cut::SlotTaken => Some(ErrorKind::SlotTaken {
                after_ms: self.began.elapsed().as_millis() as u64,
                in_head,
                limit: config.max_connections,
            }),
        }
    }

    /// Refuse a request the parser found broken. TLS gets no answer: the client waits
    /// for a TLS handshake, and nothing in plain text could reach its user.
    pub(super) async fn refuse_parsed(
        &mut self,
        error: Box<ParseError>,
    ) -> io::Result<Option<End>> {
        let unread = self.inbox.unread();
        let end = if error.kind == ErrorKind::Tls {
            self.responder.refuse_silently(error, unread).await
        } else {
            let status = status_for(&error.kind);
            let text = refusal_text(&error, status);
            self.responder.refuse(error, unread, status, &text).await?
        };
        Ok(Some(end))
    }

    /// The second Ctrl-C came in the middle of a request: keep its bytes (`--save`) and
    /// tell `listen` what was cut off, then close without an answer.
    pub(super) async fn killed(&mut self) -> io::Result<End> {
        self.responder.cut_off(self.inbox.unread()).await;
        Ok(End::Done)
    }
}

/// The status for a request the parser refused.
pub(crate) fn status_for(kind: &ErrorKind) -> u16 {
    match kind {
        ErrorKind::HeadTooLarge { .. } | ErrorKind::TooManyHeaders { .. } => 431,
        ErrorKind::BodyTooLarge { .. } => 413,
        ErrorKind::Http2Preface => 505,
        _ => 400,
    }
}

/// The reason sent with `status` for a request the parser refused (English, like the
/// parser's errors: it is for curl and logs). A size limit is about the whole head or
/// body, not a line.
pub(crate) fn refusal_text(error: &ParseError, status: u16) -> String {
    match status {
        400 => format!("line {}: {}", error.line, error_text(&error.kind, Lang::En)),
        _ => error_text(&error.kind, Lang::En),
    }
}

/// The error for bytes that end before their head does, when the parser has none to give.
fn cut_off_head(unread: &[u8], at: usize) -> ParseError {
    ParseError {
        kind: ErrorKind::TruncatedHead,
        index: 0,
        line: 0,
        offset: at + unread.len(),
        fragment: Fragment {
            offset: at,
            raw: unread.to_vec(),
            ..Fragment::default()
        },
    }
}

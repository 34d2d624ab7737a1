//! One side's read half with the bytes received and not yet passed on: a head is read
//! here through the wire parser, then the body is passed on from the same buffer. The
//! buffer never grows past the largest head allowed plus one read.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

use crate::model::Message;
use crate::model::{ErrorKind, Fragment, ParseError};
use crate::wire::{self, ParseOptions, Parsed};

/// Bytes asked of the socket per read.
pub(super) const READ_SIZE: usize = 64 * 1024;

pub(super) struct Inbound<R> {
    pub(super) half: R,
    /// Every byte read from this side is counted here (for the summary).
    counter: Arc<AtomicU64>,
    buf: Vec<u8>,
    pos: usize,
    /// Offset of `buf[pos]` in everything this side has sent.
    at: usize,
    pub(super) eof: bool,
}

/// What waiting for a head gave.
pub(super) enum Head {
    /// A whole head, `len` bytes long, still unread in the buffer.
    Whole { message: Box<Message>, len: usize },
    /// The bytes are not a head; `consumed` of them are what was read of it.
    Bad { error: Box<ParseError> },
    /// Closed before a byte of a head came (nothing lost).
    Closed,
    /// Closed, or silent for the timeout, in the middle of a head.
    Cut { timed_out: bool },
    /// Silent for the timeout with nothing of a head.
    Idle,
}

impl<R: AsyncRead + Unpin> Inbound<R> {
    pub(super) fn new(half: R, counter: Arc<AtomicU64>) -> Self {
        Inbound {
            half,
            counter,
            buf: Vec::with_capacity(READ_SIZE),
            pos: 0,
            at: 0,
            eof: false,
        }
    }

    pub(super) fn unread(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// The first `n` unread bytes were passed on.
    pub(super) fn take(&mut self, n: usize) {
        self.pos += n;
        self.at += n;
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
    }

    /// Take everything unread (passed on as it is).
    pub(super) fn take_all(&mut self) -> Vec<u8> {
        let rest = self.unread().to_vec();
        self.take(rest.len());
        rest
    }

    /// Read more from the socket; 0 at the end. Cancel-safe.
    pub(super) async fn fill(&mut self) -> io::Result<usize> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.reserve(READ_SIZE);
        let n = self.half.read_buf(&mut self.buf).await?;
        if n == 0 {
            self.eof = true;
        }
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }

    /// [`Inbound::fill`] within `timeout`; `None` when it passed.
    pub(super) async fn fill_within(&mut self, timeout: Duration) -> io::Result<Option<usize>> {
        match tokio::time::timeout(timeout, self.fill()).await {
            Ok(read) => read.map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Blank lines before a request line are ignored (RFC 9112 section 2.2); they are
    /// not passed on either.
    pub(super) fn skip_blank_lines(&mut self) {
        while matches!(self.buf.get(self.pos), Some(b'\r' | b'\n')) {
            self.take(1);
        }
    }

    /// Wait for a whole head at the front of the buffer, reading as needed, each read
    /// within `timeout`. Its bytes stay unread. `to_head` is `None` for a request, and
    /// for a response whether its request was `HEAD`.
    pub(super) async fn head(
        &mut self,
        opts: &ParseOptions,
        timeout: Duration,
        to_head: Option<bool>,
    ) -> io::Result<Head> {
        loop {
            if to_head.is_none() {
                self.skip_blank_lines();
            }
            if !self.unread().is_empty() {
                let parsed = match to_head {
                    None => wire::parse_head_first(self.unread(), self.at, opts),
                    Some(is_head) => {
                        wire::parse_response_head(self.unread(), self.at, opts, is_head)
                    }
                };
                match parsed {
                    Parsed::Complete { message, .. } => {
                        let len = message.head_len();
                        return Ok(Head::Whole { message, len });
                    }
                    Parsed::Error { error, .. } => return Ok(Head::Bad { error }),
                    Parsed::Partial { .. } if self.eof => {
                        // As the parser sees it with nothing more to come.
                        let mut state = wire::State::default();
                        return Ok(
                            match wire::parse_message(
                                self.unread(),
                                self.at,
                                &mut state,
                                opts,
                                true,
                            ) {
                                Parsed::Error { error, .. } => Head::Bad { error },
                                _ => Head::Cut { timed_out: false },
                            },
                        );
                    }
                    Parsed::Partial { .. } => {}
                }
            } else if self.eof {
                return Ok(Head::Closed);
            }
            let started = !self.unread().is_empty();
            match self.fill_within(timeout).await? {
                Some(_) => {}
                None if started => return Ok(Head::Cut { timed_out: true }),
                None => return Ok(Head::Idle),
            }
        }
    }

    /// What to show of a head the sender stopped sending for `timeout`: the bytes that
    /// came, as an error that says so.
    pub(super) fn timed_out_head(&self, opts: &ParseOptions, timeout: Duration) -> Box<ParseError> {
        let mut state = wire::State::default();
        let mut error = match wire::parse_message(self.unread(), self.at, &mut state, opts, true) {
            Parsed::Error { error, .. } => error,
            _ => Box::new(ParseError {
                kind: ErrorKind::TruncatedHead,
                index: 0,
                line: 0,
                offset: self.at + self.unread().len(),
                fragment: Fragment {
                    offset: self.at,
                    raw: self.unread().to_vec(),
                    ..Fragment::default()
                },
            }),
        };
        if error.kind == ErrorKind::TruncatedHead {
            error.kind = ErrorKind::TimedOut {
                idle_ms: timeout.as_millis() as u64,
                in_head: true,
            };
        }
        error
    }

    pub(super) fn into_half(self) -> R {
        self.half
    }
}

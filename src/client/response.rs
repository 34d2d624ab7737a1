//! Reading responses off a connection by RFC 9112 framing, through the wire parser:
//! Content-Length, chunked with trailers, until close, none for HEAD, 1xx, 204 and 304
//! (the requests sent are pushed into the parser's state, so it knows which were HEAD).
//! Memory holds one response up to `max_body` bytes of body, plus one read.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use super::is_timeout;
use crate::model::{Item, Message, ParseError};
use crate::wire::{self, ParseOptions, Parsed, State};

const READ_SIZE: usize = 16 * 1024;

/// What reading the next response gave.
#[derive(Debug)]
pub enum Got {
    /// A whole response, interim (1xx) or final.
    Message(Box<Message>),
    /// A response whose body went past `max_body`: the head and the first `max_body`
    /// bytes of its body. The rest was not read, so the connection cannot go on.
    Cut(Box<Message>),
    /// Bytes that are not a valid response: where the next one starts is lost.
    Error(Box<ParseError>),
    /// Reading stopped before a response was whole: what had come, if anything.
    Ended { partial: Option<Item>, why: End },
}

/// Why reading stopped.
#[derive(Debug)]
pub enum End {
    /// The server closed the connection.
    Closed,
    /// No byte came for this long.
    TimedOut(Duration),
    /// The connection failed (reset).
    Failed(io::Error),
}

/// The responses of one connection, in order.
pub struct Responses {
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    pos: usize,
    /// Offset of `buf[0]` among all bytes received on the connection.
    base: usize,
    eof: bool,
    state: State,
    opts: ParseOptions,
    max_body: u64,
    /// The timeout reads wait for (to say how long a timed-out read waited).
    timeout: Duration,
    /// When the last bytes arrived: a response already in the buffer began then.
    arrived: Instant,
    /// The length of the head of the response being read, once it is whole.
    head_len: Option<usize>,
    /// After a cut or an error nothing more can be read.
    done: bool,
}

impl Responses {
    pub fn new(max_body: u64, timeout: Duration) -> Responses {
        Responses {
            buf: Vec::new(),
            pos: 0,
            base: 0,
            eof: false,
            state: State::default(),
            opts: ParseOptions::default(),
            max_body,
            timeout,
            arrived: Instant::now(),
            head_len: None,
            done: false,
        }
    }

    /// Note a request written on the connection, so its response is framed right.
    pub fn expect(&mut self, is_head: bool) {
        self.state.push_request(is_head);
    }

    /// Bytes received and not yet part of a response.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Wait for the server to say something (bytes or a close), as long as the stream's
    /// read timeout: false when it stayed silent. Nothing read is lost.
    pub fn wait(&mut self, stream: &mut impl Read) -> bool {
        if self.pending() > 0 || self.eof {
            return true;
        }
        loop {
            match self.read_more(stream) {
                Ok(0) => {
                    self.eof = true;
                    return true;
                }
                Ok(_) => return true,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A failure other than silence is met again, and reported, by `next`.
                Err(e) => return !is_timeout(&e),
            }
        }
    }

    /// Whether what has come starts with an interim (1xx) status line, or too little
    /// has come to tell.
    pub fn interim_first(&self) -> bool {
        let unread = &self.buf[self.pos..];
        match unread.get(9) {
            Some(&digit) => unread.starts_with(b"HTTP/") && digit == b'1',
            None => !self.eof,
        }
    }

    /// The next response, and when its first byte arrived (`None` when none did).
    pub fn next(&mut self, stream: &mut impl Read) -> (Got, Option<Instant>) {
        let mut first = (self.pending() > 0).then_some(self.arrived);
        if self.done {
            let ended = Got::Ended {
                partial: None,
                why: End::Closed,
            };
            return (ended, first);
        }
        loop {
            if self.pending() > 0 || self.eof {
                if let Some(got) = self.parse() {
                    return (got, first);
                }
            }
            if let Some(got) = self.cut_if_too_long() {
                return (got, first);
            }
            match self.read_more(stream) {
                Ok(0) => self.eof = true,
                Ok(_) => {
                    first.get_or_insert(self.arrived);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let why = if is_timeout(&e) {
                        End::TimedOut(self.timeout)
                    } else {
                        End::Failed(e)
                    };
                    return (self.ended(why), first);
                }
            }
        }
    }

    /// A response from the unread bytes, or `None` when more are needed.
    fn parse(&mut self) -> Option<Got> {
        let unread = &self.buf[self.pos..];
        if unread.is_empty() && self.eof {
            return Some(Got::Ended {
                partial: None,
                why: End::Closed,
            });
        }
        let offset = self.base + self.pos;
        match wire::parse_message(unread, offset, &mut self.state, &self.opts, self.eof) {
            Parsed::Complete { message, consumed } => {
                self.pos += consumed;
                self.head_len = None;
                Some(Got::Message(message))
            }
            Parsed::Error { error, consumed } => {
                self.pos += consumed.min(unread.len());
                self.done = true;
                // The input ended inside the response: the server closed early.
                if self.eof && is_cut_short(&error) {
                    return Some(Got::Ended {
                        partial: Some(Item::Error(error)),
                        why: End::Closed,
                    });
                }
                Some(Got::Error(error))
            }
            Parsed::Partial { .. } => None,
        }
    }

    /// Past the head and `max_body` bytes of body: the response so far, cut there.
    fn cut_if_too_long(&mut self) -> Option<Got> {
        let unread = &self.buf[self.pos..];
        if self.head_len.is_none() {
            if let Parsed::Complete { message, .. } = wire::parse_head_first(unread, 0, &self.opts)
            {
                self.head_len = Some(message.head_len());
            }
        }
        let limit = self
            .head_len?
            .saturating_add(usize::try_from(self.max_body).unwrap_or(usize::MAX));
        if unread.len() <= limit {
            return None;
        }
        let offset = self.base + self.pos;
        let parsed = wire::parse_cut(&unread[..limit], offset, &mut self.state, &self.opts);
        self.done = true;
        self.pos = self.buf.len();
        Some(match parsed {
            Parsed::Complete { message, .. } => Got::Cut(message),
            Parsed::Error { error, .. } => Got::Error(error),
            Parsed::Partial { .. } => Got::Ended {
                partial: None,
                why: End::Closed,
            },
        })
    }

    /// What had come of a response when reading stopped, as the parser reads it at the
    /// end of the input (a truncated head or body); a body until close is shown cut.
    fn ended(&mut self, why: End) -> Got {
        self.done = true;
        let unread = &self.buf[self.pos..];
        if unread.is_empty() {
            return Got::Ended { partial: None, why };
        }
        let offset = self.base + self.pos;
        let mut state = self.state.clone();
        let partial = match wire::parse_message(unread, offset, &mut state, &self.opts, true) {
            Parsed::Error { error, .. } => Some(Item::Error(error)),
            // Whole only because the end was assumed: a body until close was still coming.
            Parsed::Complete { message, .. } => {
                match wire::parse_cut(unread, offset, &mut self.state.clone(), &self.opts) {
                    Parsed::Complete { message: cut, .. } => Some(Item::Message(cut)),
                    _ => Some(Item::Message(message)),
                }
            }
            Parsed::Partial { .. } => None,
        };
        Got::Ended { partial, why }
    }

    fn read_more(&mut self, stream: &mut impl Read) -> io::Result<usize> {
        // Drop what was read: a pipelined response may already follow it.
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
        let mut chunk = [0u8; READ_SIZE];
        let n = stream.read(&mut chunk)?;
        if n > 0 {
            self.arrived = Instant::now();
            self.buf.extend_from_slice(&chunk[..n]);
        }
        Ok(n)
    }
}

/// An error that only says the bytes stopped (not that they were wrong).
fn is_cut_short(error: &ParseError) -> bool {
    use crate::model::ErrorKind as K;
    matches!(
        error.kind,
        K::TruncatedHead | K::TruncatedBody { .. } | K::TruncatedChunked
    )
}

//! Reading an input (a file, stdin) one message at a time: bytes are pulled from a reader
//! into a buffer only as the parser asks for them, so memory holds one message, not the
//! whole input.

use std::io::{self, Read};

use crate::model::grammar::{find_message_start, unframed_len};
use crate::model::{Item, Stray};
use crate::wire::{self, ParseOptions, Parsed, State};

/// Pulls items from a reader.
pub struct MessageReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    pos: usize,
    /// Absolute offset of `buf[0]`.
    base: usize,
    eof: bool,
    /// After an error: skip to the next line that looks like a start line.
    resync: bool,
    state: State,
    opts: ParseOptions,
    /// The input is typed or piped: never wait for more only to look past a message.
    streaming: bool,
}

const READ_SIZE: usize = 64 * 1024;

impl<R: Read> MessageReader<R> {
    pub fn new(reader: R, opts: ParseOptions) -> Self {
        MessageReader {
            reader,
            buf: Vec::with_capacity(READ_SIZE),
            pos: 0,
            base: 0,
            eof: false,
            resync: false,
            state: State::default(),
            opts,
            streaming: false,
        }
    }

    /// For an input that may pause between messages (a terminal, a pipe): a message
    /// whose last byte ends what has arrived is yielded at once, instead of after a
    /// read of what follows it. What follows is then not judged for the message's
    /// `unframed_after` note, which a pause cannot tell from a new message anyway.
    pub fn streaming(mut self, streaming: bool) -> Self {
        self.streaming = streaming;
        self
    }

    /// Read more: at least as much again as is buffered (so re-parsing a long message
    /// costs linear time in total), or up to `need` bytes when that is known.
    fn read_more(&mut self, need: Option<usize>) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
        let want = match need {
            Some(n) if n > self.buf.len() => n - self.buf.len(),
            _ => self.buf.len().max(READ_SIZE),
        };
        let target = self.buf.len() + want;
        while self.buf.len() < target {
            // Read straight into the buffer, through no copy on the stack.
            let len = self.buf.len();
            let asked = READ_SIZE.min(target - len);
            self.buf.resize(len + asked, 0);
            let read = self.reader.read(&mut self.buf[len..]);
            self.buf.truncate(len + *read.as_ref().unwrap_or(&0));
            let n = match read {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                break;
            }
            // Someone typing, or a pipe fed line by line: a read that ends a line and
            // left the reader waiting (a short read) may complete a message, so parse
            // it now rather than wait for more. Only while the buffer is small, so that
            // re-parsing stays bounded; a known `need` must be met anyway.
            if need.is_none()
                && n < asked
                && self.buf.len() < READ_SIZE
                && self.buf[len..].contains(&b'\n')
            {
                break;
            }
        }
        Ok(())
    }

    fn take(&mut self, n: usize) -> (usize, Vec<u8>) {
        let offset = self.base + self.pos;
        let bytes = self.buf[self.pos..self.pos + n].to_vec();
        self.pos += n;
        (offset, bytes)
    }

    /// After an error: the bytes up to the next line that looks like a start line, as a
    /// stray, or `None` once one starts the unread part (or more was read, to look on).
    fn skip_to_message(&mut self) -> io::Result<Option<Stray>> {
        let avail = &self.buf[self.pos..];
        let found = find_message_start(avail, 0);
        let skip = match found {
            Some(0) => {
                self.resync = false;
                return Ok(None);
            }
            Some(n) => n,
            None if self.eof => avail.len(),
            None => {
                // Keep a last unfinished line: it may yet be a start line.
                match avail.iter().rposition(|&b| b == b'\n') {
                    Some(lf) => lf + 1,
                    None => {
                        self.read_more(None)?;
                        return Ok(None);
                    }
                }
            }
        };
        if found.is_some() {
            self.resync = false;
        }
        let (offset, bytes) = self.take(skip);
        Ok(Some(Stray {
            offset,
            bytes,
            blank: false,
        }))
    }

    fn next_item(&mut self) -> io::Result<Option<Item>> {
        loop {
            let avail = &self.buf[self.pos..];
            if avail.is_empty() {
                if self.eof {
                    return Ok(None);
                }
                self.read_more(None)?;
                continue;
            }
            let blank = avail
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if blank > 0 {
                let (offset, bytes) = self.take(blank);
                return Ok(Some(Item::Stray(Stray {
                    offset,
                    bytes,
                    blank: true,
                })));
            }
            if self.resync {
                match self.skip_to_message()? {
                    Some(stray) => return Ok(Some(Item::Stray(stray))),
                    None => continue,
                }
            }
            let offset = self.base + self.pos;
            match wire::parse_message(avail, offset, &mut self.state, &self.opts, self.eof) {
                Parsed::Complete {
                    mut message,
                    consumed,
                } => {
                    self.pos += consumed;
                    // Judge what follows only on a whole line: a start line cut by the end
                    // of a read must not look like stray body bytes.
                    let rest = &self.buf[self.pos..];
                    let paused = self.streaming && rest.is_empty();
                    if !self.eof && !paused && !rest.contains(&b'\n') {
                        self.read_more(None)?;
                    }
                    let following = &self.buf[self.pos..];
                    message.context.unframed_after = unframed_len(following);
                    return Ok(Some(Item::Message(message)));
                }
                Parsed::Partial { need } => {
                    // `need` counts from the unread part, which `read_more` moves to the front.
                    self.read_more(need)?;
                }
                Parsed::Error { error, consumed } => {
                    self.pos += consumed.max(1).min(self.buf.len() - self.pos);
                    self.resync = true;
                    return Ok(Some(Item::Error(error)));
                }
            }
        }
    }
}

impl<R: Read> Iterator for MessageReader<R> {
    type Item = io::Result<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item().transpose()
    }
}

/// Parse a whole buffer into items (for tests and small inputs).
pub fn parse_all(bytes: &[u8], opts: ParseOptions) -> Vec<Item> {
    MessageReader::new(bytes, opts)
        .map(|item| item.expect("reading from memory cannot fail"))
        .collect()
}

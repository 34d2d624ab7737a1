//! A connection's read side: the socket's read half and the bytes received but not yet
//! taken as a request, with where they stand in everything the connection has sent.
//! Its memory is bounded: a large buffer is given back once its request is taken.

use std::io;

use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;

/// Bytes asked of the socket per read, at least.
pub(super) const READ_SIZE: usize = 16 * 1024;
/// A buffer bigger than this is given back once its request is done, so one large
/// upload does not pin memory for the life of a keep-alive connection.
const KEEP_CAPACITY: usize = 256 * 1024;
/// The most asked of the socket in one read, however much the parser waits for.
const MAX_READ: usize = 1 << 20;

pub(super) struct Inbox {
    half: OwnedReadHalf,
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    pos: usize,
    /// Offset of `buf[0]` in everything this connection has sent.
    base: usize,
}

impl Inbox {
    pub(super) fn new(half: OwnedReadHalf) -> Self {
        Inbox {
            half,
            buf: Vec::with_capacity(READ_SIZE),
            pos: 0,
            base: 0,
        }
    }

    /// The bytes received and not yet taken.
    pub(super) fn unread(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Where [`Inbox::unread`] starts in everything the connection has sent.
    pub(super) fn at(&self) -> usize {
        self.base + self.pos
    }

    /// The first `n` unread bytes were taken as a request.
    pub(super) fn take(&mut self, n: usize) {
        self.pos += n;
        if n >= KEEP_CAPACITY {
            // The message has its own copy: do not hold a large one twice while its
            // reply is written.
            self.compact();
            self.buf.shrink_to(READ_SIZE);
        }
    }

    /// Blank lines before a request line are ignored (RFC 9112 section 2.2).
    pub(super) fn skip_blank_lines(&mut self) {
        while matches!(self.buf.get(self.pos), Some(b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// Move the unread part of the buffer to its front.
    pub(super) fn compact(&mut self) {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
    }

    /// After a request was answered: drop its bytes, and a large buffer with them.
    pub(super) fn release_answered(&mut self) {
        if self.pos == self.buf.len() {
            self.base += self.pos;
            self.buf.clear();
            self.pos = 0;
            if self.buf.capacity() > KEEP_CAPACITY {
                self.buf.shrink_to(READ_SIZE);
            }
        }
    }

    /// Read what the socket has, with room for what the parser waits for (`parse_at`
    /// unread bytes), within bounds; 0 when the client closed. The buffer must be
    /// compacted first (see [`Inbox::compact`]), so that `parse_at`, counted from the
    /// unread part, counts from its front. Cancel-safe: nothing is lost if dropped.
    pub(super) async fn fill(&mut self, parse_at: usize) -> io::Result<usize> {
        debug_assert_eq!(self.pos, 0);
        let want = parse_at
            .saturating_sub(self.buf.len())
            .clamp(READ_SIZE, MAX_READ);
        self.buf.reserve(want);
        self.half.read_buf(&mut self.buf).await
    }

    /// The read half, to put the socket together again for a gentle close.
    pub(super) fn into_half(self) -> OwnedReadHalf {
        self.half
    }
}

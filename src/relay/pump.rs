//! Passing bytes on: a head as one write, then a body by its framing from one side's
//! buffer and socket to the other side, a read at a time, keeping only the first bytes
//! for the table and writing every byte to `--save` as it passes. Memory per exchange is
//! one read plus the kept prefix, however long the body.

use std::io;
use std::time::Duration;

use tokio::fs::File;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::framing::{Body, Broken};
use super::inbound::Inbound;

/// Body bytes kept for a table, at most: `--max-body-lines` rows never need more.
pub(super) const KEEP_BODY: usize = 64 * 1024;

/// The bytes of one message kept for its table: the head and the first body bytes.
pub(super) struct Kept {
    pub(super) bytes: Vec<u8>,
    pub(super) head_len: usize,
    /// Body bytes that passed, kept or not.
    pub(super) body_total: u64,
    /// The body ended as its framing says (not cut by a close or a timeout).
    pub(super) complete: bool,
    /// The body was not passed on (the exchange failed first): the table shows the head.
    pub(super) unread_body: bool,
}

impl Kept {
    pub(super) fn head(head: &[u8]) -> Kept {
        Kept {
            bytes: head.to_vec(),
            head_len: head.len(),
            body_total: 0,
            complete: true,
            unread_body: false,
        }
    }

    /// A whole message made here (a reply relay sends itself).
    pub(super) fn whole_message(bytes: &[u8]) -> Kept {
        let head_len = memchr::memmem::find(bytes, b"\r\n\r\n").map_or(bytes.len(), |i| i + 4);
        Kept {
            bytes: bytes.to_vec(),
            head_len,
            body_total: (bytes.len() - head_len) as u64,
            complete: true,
            unread_body: false,
        }
    }

    fn body(&mut self, bytes: &[u8]) {
        let room = (self.head_len + KEEP_BODY).saturating_sub(self.bytes.len());
        self.bytes
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
        self.body_total += bytes.len() as u64;
    }

    /// Whether the table holds all of the body.
    pub(super) fn whole(&self) -> bool {
        self.complete && self.body_total as usize == self.bytes.len() - self.head_len
    }
}

/// Why a body stopped passing before its end.
pub(super) enum Stopped {
    /// The sending side closed.
    Closed,
    /// The sending side sent nothing for the timeout.
    Silent,
    /// The receiving side failed (gone, or not reading for the timeout).
    Receiver,
    Broken(Broken),
}

/// Save file, if any: a failed write stops saving this message, not relaying it.
pub(super) async fn save(file: &mut Option<File>, bytes: &[u8]) {
    if let Some(f) = file {
        if f.write_all(bytes).await.is_err() {
            *file = None;
        }
    }
}

/// Write all of `bytes` within `timeout`.
pub(super) async fn send<W: AsyncWrite + Unpin>(
    to: &mut W,
    bytes: &[u8],
    timeout: Duration,
) -> io::Result<()> {
    match tokio::time::timeout(timeout, to.write_all(bytes)).await {
        Ok(done) => done,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the receiver stopped reading",
        )),
    }
}

/// Pass a body from `from` to `to` by `body`'s framing, each read and write within
/// `timeout`.
pub(super) async fn body<R, W>(
    from: &mut Inbound<R>,
    to: &mut W,
    mut body: Body,
    kept: &mut Kept,
    file: &mut Option<File>,
    timeout: Duration,
) -> Result<(), Stopped>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    while !body.done() {
        if from.unread().is_empty() {
            match from.fill_within(timeout).await {
                Ok(Some(0)) | Err(_) => {
                    if matches!(body, Body::UntilClose) {
                        break;
                    }
                    kept.complete = false;
                    return Err(Stopped::Closed);
                }
                Ok(Some(_)) => {}
                Ok(None) => {
                    kept.complete = false;
                    return Err(Stopped::Silent);
                }
            }
        }
        let n = body.advance(from.unread()).map_err(|b| {
            kept.complete = false;
            Stopped::Broken(b)
        })?;
        let piece = &from.unread()[..n];
        kept.body(piece);
        save(file, piece).await;
        send(to, piece, timeout).await.map_err(|_| {
            kept.complete = false;
            Stopped::Receiver
        })?;
        from.take(n);
    }
    Ok(())
}

//! Packet captures (pcap, pcapng) as a source: frames are read one at a time, their TCP
//! segments followed per connection and put back in order, and each direction read as
//! HTTP/1.x by the wire parser. Streams that carry something else are listed once.
//! Memory: one block of the file, and per open connection what its directions hold
//! (bounded by [`tcp::MAX_PENDING`] and [`side::MAX_MESSAGE`]); a stream is freed when
//! both directions end.

mod file;
mod link;
mod side;
mod stream;
mod tcp;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{self, Read};
use std::net::SocketAddr;

use crate::model::Captured;

pub use file::is_capture;

use crate::model::{CaptureNote, Item};
use crate::wire::ParseOptions;
use link::Decoded;
use stream::Stream;

/// How many finished connections are remembered (their addresses only).
const MAX_CLOSED: usize = 65_536;

/// What a capture yields, in order.
pub enum CaptureItem {
    Item(Item),
    Note(CaptureNote),
}

/// Pulls items from a capture file.
pub struct CaptureReader<'r> {
    file: file::FileReader<'r>,
    frame: Vec<u8>,
    /// Open connections, by their two addresses (the smaller first).
    streams: HashMap<(SocketAddr, SocketAddr), Stream>,
    /// Connections that ended, so that their last ACKs open no new stream.
    closed: HashSet<(SocketAddr, SocketAddr)>,
    next_stream: usize,
    next_index: usize,
    ready: VecDeque<CaptureItem>,
    fragments: u64,
    /// Frames of link types not read: the type and how many.
    unknown_links: Vec<(i32, u64)>,
    opts: ParseOptions,
    done: bool,
    /// The file broke here; yielded once what came before is out.
    failed: Option<io::Error>,
}

impl<'r> CaptureReader<'r> {
    /// `prefix` is what was already read of `reader` (at least the magic number).
    pub fn new(prefix: Vec<u8>, reader: impl Read + 'r) -> io::Result<Self> {
        let whole = FullReads(io::Cursor::new(prefix.clone()).chain(reader));
        let file = file::FileReader::new(whole, &prefix)?;
        let opts = ParseOptions {
            max_body: Some(side::MAX_MESSAGE as u64),
            ..ParseOptions::default()
        };
        Ok(CaptureReader {
            file,
            frame: Vec::new(),
            streams: HashMap::new(),
            closed: HashSet::new(),
            next_stream: 0,
            next_index: 0,
            ready: VecDeque::new(),
            fragments: 0,
            unknown_links: Vec::new(),
            opts,
            done: false,
            failed: None,
        })
    }

    /// Read frames until something is ready to yield, or the file ends.
    fn fill(&mut self) -> io::Result<()> {
        while self.ready.is_empty() && !self.done {
            let mut data = std::mem::take(&mut self.frame);
            let frame = self.file.next_frame(&mut data);
            let frame = match frame {
                Ok(Some(frame)) => frame,
                Ok(None) => {
                    self.end();
                    break;
                }
                Err(e) => {
                    self.frame = data;
                    return Err(e);
                }
            };
            self.take_frame(&frame, &data);
            self.frame = data;
        }
        Ok(())
    }

    /// Follow one frame.
    fn take_frame(&mut self, frame: &file::Frame, data: &[u8]) {
        match link::decode(frame.linktype, data) {
            Decoded::Tcp(seg) => self.take_segment(&seg, frame.at),
            Decoded::Fragment => self.fragments += 1,
            Decoded::Other => {}
            Decoded::UnknownLink => match self
                .unknown_links
                .iter_mut()
                .find(|(t, _)| *t == frame.linktype)
            {
                Some((_, n)) => *n += 1,
                None => self.unknown_links.push((frame.linktype, 1)),
            },
        }
    }

    /// Follow one TCP segment in its connection.
    fn take_segment(&mut self, seg: &link::Segment, at: Captured) {
        let key = if seg.src <= seg.dst {
            (seg.src, seg.dst)
        } else {
            (seg.dst, seg.src)
        };
        let opens = seg.syn && !seg.ack;
        // A new SYN on the addresses of a finished connection opens another.
        let reopened = opens
            && self
                .streams
                .get(&key)
                .is_some_and(|s| s.client == seg.src && s.is_reopened(seg.seq));
        if reopened {
            if let Some(old) = self.streams.remove(&key) {
                self.close(old);
            }
        }
        // The last ACKs (and retransmissions) of a finished connection open none.
        if !opens && self.closed.contains(&key) {
            return;
        }
        self.closed.remove(&key);
        let next_stream = &mut self.next_stream;
        let stream = self
            .streams
            .entry(key)
            .or_insert_with(|| open_stream(seg, at, next_stream));
        let mut found = Vec::new();
        stream.segment(seg, at, &self.opts, &mut found);
        for (mut f, dir) in found {
            if !matches!(f.item, Item::Stray(_)) {
                self.next_index += 1;
            }
            stream.stamp(&mut f, dir, self.next_index);
            self.ready.push_back(CaptureItem::Item(f.item));
        }
        if seg.rst || stream.ended() {
            if let Some(stream) = self.streams.remove(&key) {
                self.close(stream);
            }
            if self.closed.len() >= MAX_CLOSED {
                self.closed.clear();
            }
            self.closed.insert(key);
        }
    }

    /// A connection is over: read what it still holds, and list it if it was not HTTP.
    fn close(&mut self, mut stream: Stream) {
        let mut found = Vec::new();
        stream.finish(&self.opts, &mut found);
        for (mut f, dir) in found {
            if !matches!(f.item, Item::Stray(_)) {
                self.next_index += 1;
            }
            stream.stamp(&mut f, dir, self.next_index);
            self.ready.push_back(CaptureItem::Item(f.item));
        }
        if let Some(note) = stream.note() {
            self.ready.push_back(CaptureItem::Note(note));
        }
    }

    /// The file ended: every connection still open is read to its end, in stream order.
    fn end(&mut self) {
        self.done = true;
        let mut open: Vec<Stream> = self.streams.drain().map(|(_, s)| s).collect();
        open.sort_by_key(|s| s.info.number);
        for stream in open {
            self.close(stream);
        }
        if self.fragments > 0 {
            let count = self.fragments;
            self.ready
                .push_back(CaptureItem::Note(CaptureNote::Fragments { count }));
        }
        for (linktype, count) in std::mem::take(&mut self.unknown_links) {
            self.ready
                .push_back(CaptureItem::Note(CaptureNote::LinkType { linktype, count }));
        }
    }
}

/// A reader whose reads fill the buffer unless the input ends: pcap-parser takes a
/// short read of its header (the magic number sniffed first, a pipe) as a broken file.
struct FullReads<R>(R);

impl<R: Read> Read for FullReads<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.0.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }
}

/// A connection first seen in `seg`. The client sent the SYN, or else the first start
/// line; failing both, it is the side with the higher port.
fn open_stream(seg: &link::Segment, at: Captured, next: &mut usize) -> Stream {
    let src_is_client = if seg.syn {
        !seg.ack
    } else if seg.payload.starts_with(b"HTTP/") {
        false
    } else if first_line_is_start(seg.payload) {
        true
    } else {
        seg.src.port() > seg.dst.port()
    };
    let (client, server) = if src_is_client {
        (seg.src, seg.dst)
    } else {
        (seg.dst, seg.src)
    };
    *next += 1;
    Stream::new(*next - 1, client, server, at)
}

/// Whether a payload's first line reads like a request or status line.
fn first_line_is_start(payload: &[u8]) -> bool {
    crate::model::grammar::next_line(payload, 0)
        .is_some_and(|l| crate::model::grammar::looks_like_start_line(&payload[l.content()]))
}

impl Iterator for CaptureReader<'_> {
    type Item = io::Result<CaptureItem>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.fill() {
            // After a broken block nothing more can be read: what the open connections
            // hold is still shown, then the error.
            self.end();
            self.failed = Some(e);
        }
        match self.ready.pop_front() {
            Some(item) => Some(Ok(item)),
            None => self.failed.take().map(Err),
        }
    }
}

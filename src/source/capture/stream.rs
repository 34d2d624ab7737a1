//! One TCP connection of a capture: its two directions put in order, what it carries
//! decided from its first bytes (HTTP/1.x, TLS, something else), and its messages titled
//! with the stream and paired, each response with the request it answers.

use std::collections::VecDeque;
use std::net::SocketAddr;

use crate::model::Captured;

use super::link::Segment;
use super::side::{Found, Side};
use super::tcp::{Event, Flow};
use crate::model::grammar::{looks_like_start_line, next_line};
use crate::model::{
    CaptureNote, ErrorKind, Item, Packet, SourceKind, StartLine, StreamKind, StreamNote, TcpStream,
};
use crate::wire::{self, ParseOptions, State};

/// What a stream turned out to carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Carries {
    Undecided,
    Http,
    Not(StreamKind),
    /// HTTP until a `101 Switching Protocols`; the payload bytes of each direction
    /// before the switch.
    Switched([u64; 2]),
}

/// Bytes of a first line to wait for before deciding a stream is not HTTP.
const DECIDE_AFTER: usize = 8 * 1024;

pub struct Stream {
    pub info: TcpStream,
    pub client: SocketAddr,
    first_at: Captured,
    /// Client to server, then server to client.
    flows: [Flow; 2],
    sides: [Option<Side>; 2],
    carries: Carries,
    /// Shared by both directions: a response to HEAD has no body.
    state: State,
    /// The `index` of each request still waiting for its response.
    awaiting: VecDeque<usize>,
}

impl Stream {
    pub fn new(number: usize, client: SocketAddr, server: SocketAddr, at: Captured) -> Self {
        Stream {
            info: TcpStream {
                number,
                client: client.to_string(),
                server: server.to_string(),
            },
            client,
            first_at: at,
            flows: [Flow::default(), Flow::default()],
            sides: [None, None],
            carries: Carries::Undecided,
            state: State::default(),
            awaiting: VecDeque::new(),
        }
    }

    /// Whether a SYN from the client with this sequence number opens a new connection
    /// on the same addresses (the old one is over).
    pub fn is_reopened(&self, seq: u32) -> bool {
        self.flows[0].started_at().is_some_and(|isn| isn != seq)
    }

    pub fn ended(&self) -> bool {
        self.flows[0].ended && self.flows[1].ended
    }

    /// A segment of either direction; a reset ends both.
    pub fn segment(
        &mut self,
        seg: &Segment,
        at: Captured,
        opts: &ParseOptions,
        out: &mut Vec<(Found, usize)>,
    ) {
        let dir = usize::from(self.client != seg.src);
        if seg.syn {
            self.flows[dir].syn(seg.seq);
        }
        if seg.rst {
            return self.finish(opts, out);
        }
        // A SYN takes one sequence number before the first byte.
        let seq = seg.seq.wrapping_add(u32::from(seg.syn));
        let mut events = Vec::new();
        let mut collect = |e: Event| events.push(owned(e));
        self.flows[dir].segment(seq, seg.payload, seg.fin, at, &mut collect);
        self.apply(dir, events, opts, out);
    }

    /// The connection was reset or the capture ended: whatever is held is read.
    pub fn finish(&mut self, opts: &ParseOptions, out: &mut Vec<(Found, usize)>) {
        for dir in 0..2 {
            let mut events = Vec::new();
            self.flows[dir].finish(&mut |e| events.push(owned(e)));
            self.apply(dir, events, opts, out);
        }
    }

    fn apply(
        &mut self,
        dir: usize,
        events: Vec<Owned>,
        opts: &ParseOptions,
        out: &mut Vec<(Found, usize)>,
    ) {
        let from_start = self.flows[dir].from_start;
        self.sides[dir].get_or_insert_with(|| Side::new(from_start));
        for event in events {
            let Some(side) = self.sides[dir].as_mut() else {
                return;
            };
            let mut found = Vec::new();
            match event {
                Owned::Data(bytes, at) => {
                    if let Carries::Not(_) | Carries::Switched(_) = self.carries {
                        side.count(&bytes);
                        continue;
                    }
                    side.push(&bytes, at);
                }
                Owned::Gap(n) => side.gap(n, &mut self.state, opts, &mut found),
                Owned::End => side.ended = true,
            }
            if self.carries == Carries::Undecided {
                self.carries = decide(side);
            }
            match self.carries {
                // Nothing of it is shown: drop what was held.
                Carries::Not(_) => side.gap(0, &mut self.state, opts, &mut Vec::new()),
                Carries::Switched(_) => side.discard(),
                _ => side.read(&mut self.state, opts, &mut found),
            }
            if self.carries == Carries::Undecided && !side.searching() {
                self.carries = Carries::Http;
            }
            let switched = side.switched;
            out.extend(found.into_iter().map(|f| (f, dir)));
            if switched && !matches!(self.carries, Carries::Switched(_)) {
                self.switch();
            }
        }
    }

    /// A `101 Switching Protocols` was read: from here the connection carries another
    /// protocol, counted and listed, not read as HTTP.
    fn switch(&mut self) {
        let mut before = [0; 2];
        for (dir, side) in self.sides.iter_mut().enumerate() {
            if let Some(side) = side {
                before[dir] = side.total - side.buffered().len() as u64;
                side.discard();
            }
        }
        self.carries = Carries::Switched(before);
    }

    /// Give a found item its place in the capture: its global `index`, the stream, the
    /// request a response answers.
    pub fn stamp(&mut self, found: &mut Found, dir: usize, index: usize) {
        let from_client = dir == 0;
        let mut packet = Packet {
            stream: self.info.clone(),
            from_client,
            at: found.at,
            answers: None,
        };
        match &mut found.item {
            Item::Message(m) => {
                m.index = index;
                if let StartLine::Response { status, .. } = m.start {
                    let interim = (100..200).contains(&status) && status != 101;
                    packet.answers = if interim {
                        self.awaiting.front().copied()
                    } else {
                        self.awaiting.pop_front()
                    };
                } else {
                    self.awaiting.push_back(index);
                }
                m.context.source = SourceKind::Pcap;
                m.context.packet = Some(packet);
            }
            Item::Error(e) => {
                e.index = index;
                // What could not be read in a response's place still took its turn.
                if !from_client {
                    packet.answers = self.awaiting.pop_front();
                }
                e.fragment.context.source = SourceKind::Pcap;
                e.fragment.context.packet = Some(packet);
            }
            Item::Stray(_) => {}
        }
    }

    /// The line listing a stream that carried no HTTP, once it is over.
    pub fn note(&self) -> Option<CaptureNote> {
        let total = |dir: usize| self.sides[dir].as_ref().map_or(0, |s| s.total);
        let kind = match self.carries {
            Carries::Http => return None,
            Carries::Not(kind) => kind,
            Carries::Switched(before) => {
                return Some(CaptureNote::Stream(StreamNote {
                    stream: self.info.clone(),
                    at: self.first_at,
                    kind: StreamKind::Switched,
                    client_bytes: total(0) - before[0],
                    server_bytes: total(1) - before[1],
                }))
            }
            Carries::Undecided => {
                let first = self.sides.iter().flatten().map(|s| &s.first[..]);
                match first.clone().find(|f| !f.is_empty()) {
                    None => StreamKind::Empty,
                    Some(bytes) => foreign(bytes).unwrap_or(StreamKind::Other),
                }
            }
        };
        Some(CaptureNote::Stream(StreamNote {
            stream: self.info.clone(),
            at: self.first_at,
            kind,
            client_bytes: total(0),
            server_bytes: total(1),
        }))
    }
}

/// TLS or the HTTP/2 preface, from a direction's first bytes.
fn foreign(bytes: &[u8]) -> Option<StreamKind> {
    match wire::foreign_protocol(bytes)? {
        ErrorKind::Tls => Some(StreamKind::Tls),
        ErrorKind::Http2Preface => Some(StreamKind::Http2),
        _ => None,
    }
}

/// What a stream carries, from the first bytes of a direction captured from its start:
/// a start line means HTTP; TLS, the HTTP/2 preface or another first line mean not.
fn decide(side: &Side) -> Carries {
    if side.searching() {
        // The start was missed: HTTP once a start line turns up.
        return Carries::Undecided;
    }
    let buf = side.buffered();
    if buf.is_empty() {
        return Carries::Undecided;
    }
    if let Some(kind) = foreign(buf) {
        return Carries::Not(kind);
    }
    let blank = buf
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .count();
    match next_line(buf, blank) {
        Some(line) if looks_like_start_line(&buf[line.content()]) => Carries::Http,
        Some(_) => Carries::Not(StreamKind::Other),
        None if side.ended || buf.len() > DECIDE_AFTER => Carries::Not(StreamKind::Other),
        None => Carries::Undecided,
    }
}

/// A flow's event with its bytes owned, so the flow can be borrowed again meanwhile.
enum Owned {
    Data(Vec<u8>, Captured),
    Gap(u64),
    End,
}

fn owned(e: Event) -> Owned {
    match e {
        Event::Data(bytes, at) => Owned::Data(bytes.to_vec(), at),
        Event::Gap(n) => Owned::Gap(n),
        Event::End => Owned::End,
    }
}

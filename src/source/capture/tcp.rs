//! One direction of a TCP connection put back in order: segments out of order wait
//! (bounded in bytes), retransmitted bytes are dropped, overlaps trimmed, and what the
//! capture never held is reported as a gap of so many bytes instead of being guessed.

use std::collections::BTreeMap;

use crate::model::Captured;

/// The most out-of-order bytes one direction keeps waiting for a missing segment; past
/// it, the missing bytes are declared a gap.
pub const MAX_PENDING: usize = 4 * 1024 * 1024;

/// What a direction hands on, in stream order.
pub enum Event<'a> {
    Data(&'a [u8], Captured),
    /// This many bytes were never captured.
    Gap(u64),
    /// The FIN was reached: nothing more comes this way.
    End,
}

#[derive(Default)]
pub struct Flow {
    /// The sequence number of the next byte expected; `None` before any segment.
    next: Option<u32>,
    /// Bytes handed on (and skipped as gaps) so far: the stream offset of `next`.
    delivered: u64,
    /// Segments ahead of `next`, by stream offset.
    pending: BTreeMap<u64, (Vec<u8>, Captured)>,
    pending_bytes: usize,
    /// The stream offset of the FIN, once seen.
    fin_at: Option<u64>,
    /// The SYN was captured: the stream is known from its first byte.
    pub from_start: bool,
    /// The SYN's sequence number.
    isn: Option<u32>,
    pub ended: bool,
}

impl Flow {
    /// A SYN: the first byte will be `seq + 1`.
    pub fn syn(&mut self, seq: u32) {
        if self.next.is_none() {
            self.next = Some(seq.wrapping_add(1));
            self.from_start = true;
            self.isn = Some(seq);
        }
    }

    /// The SYN's sequence number, when it was captured.
    pub fn started_at(&self) -> Option<u32> {
        self.isn
    }

    /// A segment's payload (and FIN): hand on what is now in order.
    pub fn segment(
        &mut self,
        seq: u32,
        payload: &[u8],
        fin: bool,
        at: Captured,
        out: &mut impl FnMut(Event),
    ) {
        if self.ended {
            return;
        }
        let next = *self.next.get_or_insert(seq);
        // Sequence numbers wrap: the distance from `next` is read as a signed 32-bit.
        let ahead = i64::from(seq.wrapping_sub(next) as i32);
        let Some(start) = self.delivered.checked_add_signed(ahead) else {
            return;
        };
        if fin {
            self.fin_at.get_or_insert(start + payload.len() as u64);
        }
        let end = start + payload.len() as u64;
        if end > self.delivered {
            if start <= self.delivered {
                let fresh = &payload[(self.delivered - start) as usize..];
                self.advance(fresh, at, out);
                self.drain(out);
            } else {
                self.hold(start, payload, at, out);
            }
        }
        self.check_end(out);
    }

    /// Keep a segment that came before the ones it follows.
    fn hold(&mut self, start: u64, payload: &[u8], at: Captured, out: &mut impl FnMut(Event)) {
        let longer = self
            .pending
            .get(&start)
            .map_or(true, |(held, _)| held.len() < payload.len());
        if longer {
            if let Some((old, _)) = self.pending.insert(start, (payload.to_vec(), at)) {
                self.pending_bytes -= old.len();
            }
            self.pending_bytes += payload.len();
        }
        // Too much waits on one missing segment: it is not coming.
        while self.pending_bytes > MAX_PENDING {
            self.skip_to_pending(out);
            self.drain(out);
        }
    }

    fn advance(&mut self, bytes: &[u8], at: Captured, out: &mut impl FnMut(Event)) {
        if bytes.is_empty() {
            return;
        }
        self.delivered += bytes.len() as u64;
        self.next = self.next.map(|n| n.wrapping_add(bytes.len() as u32));
        out(Event::Data(bytes, at));
    }

    /// Hand on the held segments that are now in order.
    fn drain(&mut self, out: &mut impl FnMut(Event)) {
        while let Some(entry) = self.pending.first_entry() {
            if *entry.key() > self.delivered {
                break;
            }
            let start = *entry.key();
            let (bytes, at) = entry.remove();
            self.pending_bytes -= bytes.len();
            let end = start + bytes.len() as u64;
            if end > self.delivered {
                let fresh = &bytes[(self.delivered - start) as usize..];
                self.advance(fresh, at, out);
            }
        }
    }

    /// Declare the bytes before the first held segment missing.
    fn skip_to_pending(&mut self, out: &mut impl FnMut(Event)) {
        let Some((&start, _)) = self.pending.first_key_value() else {
            return;
        };
        if start > self.delivered {
            let gap = start - self.delivered;
            self.delivered = start;
            self.next = self.next.map(|n| n.wrapping_add(gap as u32));
            out(Event::Gap(gap));
        }
    }

    fn check_end(&mut self, out: &mut impl FnMut(Event)) {
        if !self.ended && self.fin_at.is_some_and(|fin| self.delivered >= fin) {
            self.ended = true;
            self.pending.clear();
            self.pending_bytes = 0;
            out(Event::End);
        }
    }

    /// The connection was reset, or the capture ended: hand on everything held, the
    /// bytes missing before each as gaps, then the end.
    pub fn finish(&mut self, out: &mut impl FnMut(Event)) {
        if self.ended {
            return;
        }
        while !self.pending.is_empty() {
            self.skip_to_pending(out);
            self.drain(out);
        }
        if let Some(fin) = self.fin_at {
            if fin > self.delivered {
                out(Event::Gap(fin - self.delivered));
                self.delivered = fin;
            }
        }
        self.ended = true;
        out(Event::End);
    }
}

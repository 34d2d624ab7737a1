//! `--live`: a page for a projector showing every exchange a listener handles, as it
//! happens. [`LiveHub`] is the narrow API a listener publishes through (`listen` and
//! `relay` do): `publish` an item as it goes to the printer, `answered` a status. A
//! rendering thread turns items into HTML fragments (render::live) and keeps the last N
//! in one ring, bounded in entries and bytes, that every viewer reads from at its own
//! pace (see [`page`]): a viewer that falls behind the ring skips ahead and is told how
//! many it missed; nothing a viewer does ever makes a publisher wait.
//!
//! For a publisher (`listen` and `relay`): make one [`LiveHub::new`], give clones to
//! whatever sees the traffic, bind a [`LivePage`] and spawn its `run`. Publish each item
//! once it is numbered and stamped: its `Origin` (listen: number and role) or its
//! `Context.relay` (relay: exchange and direction) puts a request and its answers in one
//! card on the page. Publish in number order (listen does it under the lock that numbers
//! requests; relay from the task that releases exchanges in arrival order).

mod page;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::model::Item;
use crate::render::{live as html, RenderOptions};

pub use page::LivePage;

/// Items waiting to be rendered, at most: past it (or past [`QUEUE_BYTES`]), items are
/// dropped, and viewers are told they missed them.
const QUEUE: usize = 1024;
/// Bytes of items waiting to be rendered, at most (counted by their raw size).
const QUEUE_BYTES: usize = 32 * 1024 * 1024;
/// What an item costs beyond its raw bytes.
const ITEM_COST: usize = 256;
/// Bytes of rendered fragments the ring keeps, at most, whatever `--live-history` says.
/// One fragment larger than this is still kept, alone.
const RING_BYTES: usize = 32 * 1024 * 1024;

/// What the rendering thread is handed.
enum Work {
    Item(Box<Item>),
    Answered(u64, u16),
    /// A line about exchange `n` (relay: lines it rewrote, a tunnel's summary).
    Note(u64, String),
}

/// The publishing side: cheap to clone, never blocks.
#[derive(Clone)]
pub struct LiveHub {
    tx: SyncSender<Work>,
    shared: Arc<Shared>,
}

/// What the hub, the rendering thread and the viewers share.
struct Shared {
    ring: Mutex<Ring>,
    /// The number of the newest entry, for viewers to wait on.
    newest: watch::Sender<u64>,
    /// Bytes queued for rendering.
    queued: AtomicUsize,
    /// Items dropped since the last entry was added (the queue was full).
    dropped: AtomicU64,
}

impl LiveHub {
    /// Start the rendering thread. `history` is how many fragments the ring keeps (at
    /// least 1); `opts` how they are drawn (language, notes, hex view open).
    pub fn new(opts: RenderOptions, history: usize) -> LiveHub {
        let (tx, rx) = sync_channel::<Work>(QUEUE);
        let shared = Arc::new(Shared {
            ring: Mutex::new(Ring::new(history.max(1), RING_BYTES)),
            newest: watch::channel(0).0,
            queued: AtomicUsize::new(0),
            dropped: AtomicU64::new(0),
        });
        let worker = shared.clone();
        std::thread::Builder::new()
            .name("live-render".into())
            .spawn(move || {
                for work in rx {
                    let text = match work {
                        Work::Item(item) => {
                            worker.queued.fetch_sub(cost(&item), Ordering::Relaxed);
                            html::fragment(&item, &opts)
                        }
                        Work::Answered(n, status) => Some(html::answered(n, status)),
                        Work::Note(n, text) => Some(html::note(n, &text)),
                    };
                    if let Some(text) = text {
                        worker.add(text);
                    }
                }
            })
            .expect("starting the live page's rendering thread");
        LiveHub { tx, shared }
    }

    /// Show an item on the page: a request as its listener numbered and stamped it (its
    /// `Origin` says which exchange it belongs to), or an answer to one. Never waits: when
    /// rendering is behind, the item is dropped and viewers are told.
    pub fn publish(&self, item: &Item) {
        let size = cost(item);
        let queued = self.shared.queued.fetch_add(size, Ordering::Relaxed);
        if queued + size > QUEUE_BYTES && queued > 0 {
            self.shared.queued.fetch_sub(size, Ordering::Relaxed);
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match self.tx.try_send(Work::Item(Box::new(item.clone()))) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.shared.queued.fetch_sub(size, Ordering::Relaxed);
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Request `number` was answered with `status` (for the page's status chip and
    /// counts when the answer itself is not published).
    pub fn answered(&self, number: u64, status: u16) {
        if self.tx.try_send(Work::Answered(number, status)).is_err() {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A line of text on exchange `number`'s card, after what it already shows (relay's
    /// rewritten lines, a tunnel's summary when it closes). Never waits, as `publish`.
    pub fn note(&self, number: u64, text: &str) {
        if self
            .tx
            .try_send(Work::Note(number, text.to_string()))
            .is_err()
        {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn cost(item: &Item) -> usize {
    let raw = match item {
        Item::Message(m) => m.raw.len(),
        Item::Error(e) => e.fragment.raw.len(),
        Item::Stray(_) => 0,
    };
    raw.saturating_add(ITEM_COST)
}

impl Shared {
    /// Add a rendered fragment, counting the items dropped before it as skipped.
    fn add(&self, text: String) {
        let skipped = self.dropped.swap(0, Ordering::Relaxed);
        let newest = {
            let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
            ring.push(text.into(), skipped)
        };
        self.newest.send_replace(newest);
    }

    /// Entries after `cursor`, up to about `max_bytes`: see [`Ring::after`].
    fn after(&self, cursor: u64, max_bytes: usize) -> Batch {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        ring.after(cursor, max_bytes)
    }

    /// Where a new viewer starts: the entry before the oldest kept, or `last_seen` (the
    /// `Last-Event-ID` of a page reconnecting) when it is still newer than that.
    fn start(&self, last_seen: Option<u64>) -> u64 {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let before_oldest = ring.oldest().saturating_sub(1);
        match last_seen {
            Some(seen) if seen <= ring.newest => seen,
            _ => before_oldest,
        }
    }
}

/// The last rendered fragments, each numbered; numbers of items that were dropped are
/// skipped, so a gap is what a viewer missed.
struct Ring {
    entries: VecDeque<(u64, Arc<str>)>,
    bytes: usize,
    newest: u64,
    max_entries: usize,
    max_bytes: usize,
}

/// What a viewer gets next.
#[derive(Debug, Default, PartialEq)]
struct Batch {
    /// Entries it will never see (they left the ring, or were never rendered).
    missed: u64,
    entries: Vec<(u64, Arc<str>)>,
    /// Its cursor after this batch.
    cursor: u64,
}

impl Ring {
    fn new(max_entries: usize, max_bytes: usize) -> Ring {
        Ring {
            entries: VecDeque::new(),
            bytes: 0,
            newest: 0,
            max_entries,
            max_bytes,
        }
    }

    /// The number of the oldest entry kept (of the next one when empty).
    fn oldest(&self) -> u64 {
        self.entries.front().map_or(self.newest + 1, |e| e.0)
    }

    /// Add an entry after `skipped` numbers; returns its number.
    fn push(&mut self, text: Arc<str>, skipped: u64) -> u64 {
        self.newest += skipped + 1;
        self.bytes += text.len();
        self.entries.push_back((self.newest, text));
        while self.entries.len() > self.max_entries
            || (self.bytes > self.max_bytes && self.entries.len() > 1)
        {
            if let Some((_, old)) = self.entries.pop_front() {
                self.bytes -= old.len();
            }
        }
        self.newest
    }

    /// The entries after `cursor`, at least one and then while under `max_bytes`, with
    /// how many numbers between were missed.
    fn after(&self, cursor: u64, max_bytes: usize) -> Batch {
        let mut batch = Batch {
            cursor,
            ..Batch::default()
        };
        let first = self.entries.partition_point(|e| e.0 <= cursor);
        let mut bytes = 0;
        for (n, text) in self.entries.range(first..) {
            if !batch.entries.is_empty() && bytes + text.len() > max_bytes {
                break;
            }
            batch.missed += n - batch.cursor - 1;
            batch.cursor = *n;
            bytes += text.len();
            batch.entries.push((*n, text.clone()));
        }
        // Items dropped after the last entry are told with the next entry.
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_of(n: u64, max_entries: usize) -> Ring {
        let mut ring = Ring::new(max_entries, usize::MAX);
        for i in 0..n {
            ring.push(i.to_string().into(), 0);
        }
        ring
    }

    #[test]
    fn a_viewer_behind_the_ring_skips_ahead_and_counts_what_it_missed() {
        let ring = ring_of(10, 3);
        let batch = ring.after(2, usize::MAX);
        assert_eq!(batch.missed, 5);
        let numbers: Vec<u64> = batch.entries.iter().map(|e| e.0).collect();
        assert_eq!(numbers, [8, 9, 10]);
        assert_eq!(batch.cursor, 10);
    }

    #[test]
    fn dropped_items_are_gaps_counted_as_missed() {
        let mut ring = Ring::new(10, usize::MAX);
        ring.push("a".into(), 0);
        ring.push("b".into(), 4);
        let batch = ring.after(0, usize::MAX);
        assert_eq!(batch.missed, 4);
        assert_eq!(batch.cursor, 6);
    }

    #[test]
    fn the_ring_is_bounded_in_bytes_but_keeps_one_large_entry() {
        let mut ring = Ring::new(100, 10);
        ring.push("12345678".into(), 0);
        ring.push("123456789012".into(), 0);
        assert_eq!(ring.entries.len(), 1);
        assert_eq!(ring.bytes, 12);
    }

    #[test]
    fn a_batch_stops_at_its_byte_budget() {
        let ring = ring_of(10, 10);
        let batch = ring.after(0, 2);
        assert_eq!(batch.entries.len(), 2);
        assert_eq!(batch.cursor, 2);
    }
}

//! The connection slots behind `--max-connections`: which connections are open, which of
//! them are idle (nothing of a request yet, or between keep-alive requests) and since
//! when, and when each last sent a byte. At the limit a new client takes the slot of the
//! connection idle the longest, as nginx does, so sockets that send nothing cannot lock
//! real clients out. `--timeout` counts from the last byte (a person may type a request
//! by hand), so a client could hold a slot for long by sending a byte now and then: when
//! no slot is idle, the connection waiting for the rest of the oldest request, begun
//! [`STALLED`] ago at least, gives way instead. Only when every slot is busy with a
//! request younger than that (or one the server itself is working on) is the new client
//! turned away.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// At the limit, a connection waiting for the rest of a request begun this long ago
/// gives its slot to a new client. A request from a program arrives in milliseconds;
/// one that takes seconds is typed by hand or trickled on purpose.
pub(crate) const STALLED: Duration = Duration::from_secs(2);
/// [`Entry::waiting_since`] of a connection not waiting for its client.
const NOT_WAITING: u64 = u64::MAX;

/// Every slot of the server.
pub(crate) struct Slots {
    limit: usize,
    /// What the connections' last-byte times count from.
    epoch: Instant,
    table: Mutex<Table>,
    /// Told when the last connection task ends.
    all_gone: Notify,
}

#[derive(Default)]
struct Table {
    /// Connections holding a slot, by id (ours, in order: a B-tree finds one without
    /// hashing, which every request does twice).
    held: BTreeMap<u64, Entry>,
    /// Connection tasks still running, evicted ones included.
    running: usize,
}

struct Entry {
    /// `None` while a request is being read or answered.
    idle_since: Option<Instant>,
    /// While the connection waits for the rest of a request: when the request began, in
    /// milliseconds since [`Slots::epoch`]; [`NOT_WAITING`] otherwise (idle, or the
    /// server is busy with it: parsing, answering, waiting for the printer). Written
    /// around every read without taking the table's lock.
    waiting_since: Arc<AtomicU64>,
    evict: Arc<Notify>,
}

impl Slots {
    pub(crate) fn new(limit: usize) -> Arc<Slots> {
        Arc::new(Slots {
            limit,
            epoch: Instant::now(),
            table: Mutex::new(Table::default()),
            all_gone: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for connection `id`, idle from now; at the limit, the connection idle the
    /// longest (or else the one stalled the longest in a request) is told to close and
    /// gives up its slot. `None` when every slot is busy with a request still moving.
    pub(crate) fn take(self: &Arc<Self>, id: u64) -> Option<Slot> {
        let now = self.epoch.elapsed().as_millis() as u64;
        let mut table = self.lock();
        if table.held.len() >= self.limit {
            let victim = table.victim(now)?;
            if let Some(entry) = table.held.remove(&victim) {
                entry.evict.notify_one();
            }
        }
        let evict = Arc::new(Notify::new());
        let waiting_since = Arc::new(AtomicU64::new(NOT_WAITING));
        table.held.insert(
            id,
            Entry {
                idle_since: Some(Instant::now()),
                waiting_since: waiting_since.clone(),
                evict: evict.clone(),
            },
        );
        table.running += 1;
        Some(Slot {
            slots: self.clone(),
            id,
            waiting_since,
            evict,
        })
    }

    /// Connections busy with a request right now.
    pub fn busy(&self) -> usize {
        let table = self.lock();
        table
            .held
            .values()
            .filter(|e| e.idle_since.is_none())
            .count()
    }

    /// Wait until every connection task has ended.
    pub(crate) async fn all_gone(&self) {
        loop {
            let gone = self.all_gone.notified();
            if self.lock().running == 0 {
                return;
            }
            gone.await;
        }
    }
}

impl Table {
    /// The connection to close for a new client: the one idle the longest, else the one
    /// waiting for the rest of the oldest request, begun [`STALLED`] ago at least. One the server itself holds up (a full printer queue, a
    /// reply being written) is never taken: closing it would not free what it holds.
    fn victim(&self, now_ms: u64) -> Option<u64> {
        let idle = self
            .held
            .iter()
            .filter_map(|(&id, e)| e.idle_since.map(|t| (t, id)))
            .min();
        if let Some((_, id)) = idle {
            return Some(id);
        }
        let stalled = STALLED.as_millis() as u64;
        self.held
            .iter()
            .map(|(&id, e)| (e.waiting_since.load(Ordering::Relaxed), id))
            .filter(|&(waiting_since, _)| {
                waiting_since != NOT_WAITING && now_ms.saturating_sub(waiting_since) >= stalled
            })
            .min()
            .map(|(_, id)| id)
    }
}

/// One connection's hold on a slot; given back when dropped.
pub(crate) struct Slot {
    slots: Arc<Slots>,
    id: u64,
    waiting_since: Arc<AtomicU64>,
    evict: Arc<Notify>,
}

impl Slot {
    /// The first byte of a request arrived. `false` when the slot was just given to a
    /// newer client: the connection must close.
    pub(crate) fn busy(&self) -> bool {
        match self.slots.lock().held.get_mut(&self.id) {
            Some(entry) => {
                entry.idle_since = None;
                true
            }
            None => false,
        }
    }

    /// The request was answered and the connection waits for the next one.
    pub(crate) fn idle(&self) {
        self.idle_from(Instant::now());
    }

    /// As [`Slot::idle`], from `now` (a clock the caller has read already).
    pub(crate) fn idle_from(&self, now: Instant) {
        if let Some(entry) = self.slots.lock().held.get_mut(&self.id) {
            entry.idle_since = Some(now);
        }
    }

    /// The connection waits for more of a request, which began at `began`.
    pub(crate) fn waiting(&self, began: Instant) {
        let ms = began
            .saturating_duration_since(self.slots.epoch)
            .as_millis() as u64;
        self.waiting_since.store(ms, Ordering::Relaxed);
    }

    /// The wait is over (bytes came, or the server has work to do).
    pub(crate) fn not_waiting(&self) {
        self.waiting_since.store(NOT_WAITING, Ordering::Relaxed);
    }

    /// Resolves when a newer client took this connection's slot (it was idle, or stalled
    /// in a request).
    pub(crate) async fn evicted(&self) {
        self.evict.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut table = self.slots.lock();
        table.held.remove(&self.id);
        table.running -= 1;
        if table.running == 0 {
            self.slots.all_gone.notify_waiters();
        }
    }
}

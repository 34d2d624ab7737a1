//! The connection slots behind `--max-connections`: which connections are open, which of
//! them are idle (nothing of a request yet, or between keep-alive requests) and since
//! when. At the limit a new client takes the slot of the connection idle the longest, as
//! nginx does, so sockets that send nothing cannot lock real clients out; only when every
//! slot is busy with a request is the new one turned away.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::time::Instant;

/// Every slot of the server.
pub(super) struct Slots {
    limit: usize,
    table: Mutex<Table>,
    /// Told when the last connection task ends.
    all_gone: Notify,
}

#[derive(Default)]
struct Table {
    /// Connections holding a slot, by id.
    held: HashMap<u64, Entry>,
    /// Connection tasks still running, evicted ones included.
    running: usize,
}

struct Entry {
    /// `None` while a request is being read or answered.
    idle_since: Option<Instant>,
    evict: Arc<Notify>,
}

impl Slots {
    pub(super) fn new(limit: usize) -> Arc<Slots> {
        Arc::new(Slots {
            limit,
            table: Mutex::new(Table::default()),
            all_gone: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for connection `id`, idle from now; at the limit, the connection idle the
    /// longest is told to close and gives up its slot. `None` when every slot is busy.
    pub(super) fn take(self: &Arc<Self>, id: u64) -> Option<Slot> {
        let mut table = self.lock();
        if table.held.len() >= self.limit {
            let oldest = table
                .held
                .iter()
                .filter_map(|(&id, e)| e.idle_since.map(|t| (t, id)))
                .min()?
                .1;
            if let Some(entry) = table.held.remove(&oldest) {
                entry.evict.notify_one();
            }
        }
        let evict = Arc::new(Notify::new());
        table.held.insert(
            id,
            Entry {
                idle_since: Some(Instant::now()),
                evict: evict.clone(),
            },
        );
        table.running += 1;
        Some(Slot {
            slots: self.clone(),
            id,
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
    pub(super) async fn all_gone(&self) {
        loop {
            let gone = self.all_gone.notified();
            if self.lock().running == 0 {
                return;
            }
            gone.await;
        }
    }
}

/// One connection's hold on a slot; given back when dropped.
pub(super) struct Slot {
    slots: Arc<Slots>,
    id: u64,
    evict: Arc<Notify>,
}

impl Slot {
    /// The first byte of a request arrived. `false` when the slot was just given to a
    /// newer client: the connection must close.
    pub(super) fn busy(&self) -> bool {
        match self.slots.lock().held.get_mut(&self.id) {
            Some(entry) => {
                entry.idle_since = None;
                true
            }
            None => false,
        }
    }

    /// The request was answered and the connection waits for the next one.
    pub(super) fn idle(&self) {
        if let Some(entry) = self.slots.lock().held.get_mut(&self.id) {
            entry.idle_since = Some(Instant::now());
        }
    }

    /// Resolves when a newer client took this (idle) connection's slot.
    pub(super) async fn evicted(&self) {
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

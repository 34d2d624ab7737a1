//! Where `parse`'s threads meet: the budget of input bytes in flight, and the board of
//! jobs waiting for a renderer, results waiting to be written and buffers going back.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::{Done, Job};

/// Bytes of input between the reading thread and the output, bounded.
pub(super) struct Budget {
    pub(super) used: Mutex<Used>,
    pub(super) room: Condvar,
    pub(super) cap: usize,
}

#[derive(Default)]
pub(super) struct Used {
    bytes: usize,
    /// The writing thread has stopped.
    closed: bool,
    /// The reading thread waits for room (so giving bytes back must wake it).
    waiting: bool,
}

impl Budget {
    /// Wait until `n` bytes fit (alone, if `n` is more than the whole bound); false once
    /// the writing thread has stopped.
    pub(super) fn take(&self, n: usize) -> bool {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while !used.closed && used.bytes > 0 && used.bytes + n > self.cap {
            used.waiting = true;
            used = self.room.wait(used).unwrap_or_else(PoisonError::into_inner);
        }
        used.bytes += n;
        !used.closed
    }

    pub(super) fn give(&self, n: usize) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        used.bytes = used.bytes.saturating_sub(n);
        // A wake-up is a system call: only when the reader sleeps.
        if std::mem::take(&mut used.waiting) {
            self.room.notify_all();
        }
    }

    /// The writing thread has stopped: nobody will give bytes back, so nobody waits.
    pub(super) fn close(&self) {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .closed = true;
        self.room.notify_all();
    }
}

pub(super) struct CloseOnDrop(pub(super) Arc<Budget>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

pub(super) struct StopOnDrop(pub(super) Arc<Board>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.stopped = true;
        self.0.tell(&state);
    }
}

/// Where the reader, the renderers and the writer meet.
pub(super) struct Board {
    pub(super) state: Mutex<State>,
    /// Told whenever a job, a result or a buffer is put down, or the input or output ends
    /// (if a thread waits: see [`Board::tell`]).
    pub(super) changed: Condvar,
    /// Jobs waiting for a renderer, at most; the reader waits beyond.
    pub(super) queue: usize,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) jobs: VecDeque<(u64, Job)>,
    pub(super) done: BTreeMap<u64, Done>,
    /// Written buffers, by the renderer they go back to.
    pub(super) spare: Vec<Vec<Vec<u8>>>,
    /// Set once the reader has ended: how many jobs it sent.
    pub(super) sent: Option<u64>,
    /// The writer has stopped: nothing more is rendered or read.
    pub(super) stopped: bool,
    /// A thread panicked (a bug): the reader (`Reading`) or a renderer. The writer stops
    /// with an error instead of waiting for what will never come, or ending short.
    pub(super) broken: Option<Broken>,
    /// Threads waiting on the board.
    pub(super) waiting: usize,
}

/// Which side a thread that panicked was on.
#[derive(Debug, Clone, Copy)]
pub(super) enum Broken {
    Reading,
    Rendering,
}

/// Held by a thread for as long as it works for the board: if the thread panics, the
/// board hears of it.
pub(super) struct PanicGuard<'a>(pub(super) &'a Board, pub(super) Broken);

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.broke(self.1);
        }
    }
}

impl Board {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn wait<'a>(&self, mut state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        state.waiting += 1;
        let mut state = self
            .changed
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner);
        state.waiting -= 1;
        state
    }

    /// Wake the threads waiting on the board, if any (a wake-up is a system call, and
    /// most changes find every thread at work). Called with the board locked.
    pub(super) fn tell(&self, state: &State) {
        if state.waiting > 0 {
            self.changed.notify_all();
        }
    }

    /// Queue a job, waiting while the queue is full; false once the writer has stopped.
    pub(super) fn post(&self, seq: u64, job: Job) -> bool {
        let mut state = self.lock();
        while !state.stopped && state.jobs.len() >= self.queue {
            state = self.wait(state);
        }
        if state.stopped {
            return false;
        }
        state.jobs.push_back((seq, job));
        self.tell(&state);
        true
    }

    /// A thread on `side` panicked.
    pub(super) fn broke(&self, side: Broken) {
        let mut state = self.lock();
        state.broken.get_or_insert(side);
        self.tell(&state);
    }

    /// The reader has ended after `sent` jobs.
    pub(super) fn finish(&self, sent: u64) {
        let mut state = self.lock();
        state.sent = Some(sent);
        self.tell(&state);
    }

    /// A renderer's result.
    pub(super) fn done(&self, seq: u64, result: Done) {
        let mut state = self.lock();
        state.done.insert(seq, result);
        self.tell(&state);
    }
}

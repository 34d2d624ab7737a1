//! `parse` on several threads, output in input order: one thread reads, the others lint
//! and render batches of items to bytes, and the calling thread, which renders too,
//! writes the batches in the order they were read.
//!
//! A batch is what the reading thread parsed before it next asks its input for bytes
//! ([`Gate::before_read`]), or 16 KiB of messages, whichever comes first: a file gives
//! big batches, and an interactive input still sends each message on before the read
//! that waits for the next one. Memory is bounded in bytes ([`Budget`]): the reading
//! thread waits while the batches not yet written hold more than [`IN_FLIGHT`] bytes of
//! input. An item bigger than [`DIRECT_FROM`] is not rendered to memory: it is passed to
//! the writing thread whole and rendered straight to the output, as the serial path does.
//!
//! Each renderer owns [`BUFFERS`] output buffers: the writing thread hands a written one
//! back to the renderer that filled it, never frees it. A buffer only ever grows on the
//! thread that owns it, which keeps each thread's allocator pages its own (buffers shared
//! in a pool cost more peak memory, and so does each thread: docs/performance.md). The
//! threads meet on one [`Board`]: jobs waiting for a renderer, results waiting to be
//! written, buffers waiting to go back.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::model::Item;
use crate::pipeline;
use crate::render::Sink;
use board::{Board, Broken, Budget, CloseOnDrop, State, StopOnDrop, Used};
use renderer::{write_in_order, Renderer};

mod board;
mod renderer;

/// Input bytes gathered into one batch, at most (one item may be bigger: it goes alone).
pub const BATCH_BYTES: usize = 16 * 1024;
/// Input bytes read but not yet written out, at most (one item may be bigger: it waits
/// until everything before it is written, then goes alone).
pub const IN_FLIGHT: usize = 64 * 1024;
/// Items at least this big are rendered by the writing thread straight to the output.
pub const DIRECT_FROM: usize = 1024 * 1024;
/// What an item costs beyond its raw bytes (its parsed lines, its boxes).
const ITEM_COST: usize = 256;
/// Output buffers per renderer: one being filled while the other waits to be written.
const BUFFERS: usize = 2;

/// Sizes of the pipeline (constants in the program, small in tests so that a short input
/// makes many batches).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub batch_bytes: usize,
    pub in_flight: usize,
    pub direct_from: usize,
    pub workers: usize,
}

impl Limits {
    /// The program's limits with `workers` rendering threads.
    pub fn with_workers(workers: usize) -> Limits {
        Limits {
            batch_bytes: BATCH_BYTES,
            in_flight: IN_FLIGHT,
            direct_from: DIRECT_FROM,
            workers,
        }
    }
}

/// Whether an item fails the input: `fails(item, strict)`; and whether the renderers lint
/// each message first (lints are a fifth of the reading thread's time, and each message's
/// lints depend on that message alone).
#[derive(Debug, Clone, Copy)]
pub struct Judge {
    pub fails: fn(&Item, bool) -> bool,
    pub strict: bool,
    pub lint: bool,
}

impl Judge {
    fn lint(&self, item: &mut Item) {
        if self.lint {
            pipeline::lint_item(item);
        }
    }

    fn fails(&self, item: &Item) -> bool {
        (self.fails)(item, self.strict)
    }
}

/// How printing went: whether any item failed the input, or the first error (reading
/// comes out as [`Stop::Read`], writing as [`Stop::Write`]).
pub enum Stop {
    Read(io::Error),
    Write(io::Error),
}

/// What the reading thread hands on, numbered in input order.
enum Job {
    Render(Vec<Item>, usize),
    /// Too big to render to memory: the writing thread renders it to the output.
    Direct(Box<Item>, usize),
    /// Reading failed; nothing comes after it.
    Failed(io::Error),
}

/// What comes back from the renderers.
enum Done {
    Rendered {
        bytes: Vec<u8>,
        /// The renderer the buffer goes back to (0: the writing thread).
        renderer: usize,
        failed: bool,
        cost: usize,
    },
    Direct(Box<Item>, usize),
    Failed(io::Error),
    /// Rendering to memory failed (it cannot, short of a renderer's own error).
    WriteFailed(io::Error),
}

/// The reading thread's batch in the making, and where batches go.
struct Batcher {
    items: Vec<Item>,
    bytes: usize,
    seq: u64,
    board: Arc<Board>,
    budget: Arc<Budget>,
    limits: Limits,
    /// The writer has stopped: stop reading.
    stopped: bool,
}

impl Batcher {
    fn push(&mut self, item: Item) {
        let cost = cost(&item);
        if cost >= self.limits.direct_from {
            self.send_batch();
            self.send(Job::Direct(Box::new(item), cost), cost);
            return;
        }
        if self.bytes + cost > self.limits.batch_bytes {
            self.send_batch();
        }
        self.items.push(item);
        self.bytes += cost;
    }

    fn send_batch(&mut self) {
        if self.items.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.items);
        let bytes = std::mem::take(&mut self.bytes);
        self.send(Job::Render(items, bytes), bytes);
    }

    fn send(&mut self, job: Job, cost: usize) {
        if self.stopped || !self.budget.take(cost) || !self.board.post(self.seq, job) {
            self.stopped = true;
        }
        self.seq += 1;
    }
}

impl Drop for Batcher {
    /// Whatever ends the reading, the writer learns how many jobs there were, and
    /// whether the reading thread panicked before the input's end.
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.board.broke(Broken::Reading);
        }
        self.board.finish(self.seq);
    }
}

fn cost(item: &Item) -> usize {
    let raw = match item {
        Item::Message(m) => m.raw.len(),
        Item::Error(e) => e.fragment.raw.len(),
        Item::Stray(s) => s.bytes.len(),
    };
    raw.saturating_add(ITEM_COST)
}

/// Shared by the input (which calls [`Gate::before_read`]) and the reading loop: before
/// the input may wait for bytes, the items already parsed go on to be shown.
#[derive(Clone, Default)]
pub struct Gate(Arc<Mutex<Option<Batcher>>>);

impl Gate {
    /// Send on the batch gathered so far (nothing when printing serially).
    pub fn before_read(&self) {
        let mut batcher = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(batcher) = batcher.as_mut() {
            batcher.send_batch();
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Batcher) -> T) -> Option<T> {
        let mut batcher = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        batcher.as_mut().map(f)
    }
}

/// Print `items` (whose input calls `gate.before_read()` before each read) with
/// `printer`, rendering on `limits.workers` threads (this one and others); `judge` says whether an item fails
/// the input. Returns whether any did, or why printing stopped. Output is byte for byte
/// what printing one item after the other writes; `terminal` flushes after each batch.
pub fn print<I>(
    items: I,
    gate: Gate,
    printer: Arc<Sink>,
    judge: Judge,
    limits: Limits,
    terminal: bool,
    out: &mut impl Write,
) -> Result<bool, Stop>
where
    I: Iterator<Item = io::Result<Item>> + Send + 'static,
{
    let budget = Arc::new(Budget {
        used: Mutex::new(Used::default()),
        room: Condvar::new(),
        cap: limits.in_flight,
    });
    // Closes the budget however this function returns, so a reader never waits forever.
    let _closed = CloseOnDrop(budget.clone());
    let renderers = limits.workers.max(1);
    let board = Arc::new(Board {
        state: Mutex::new(State {
            spare: (0..renderers).map(|_| Vec::new()).collect(),
            ..State::default()
        }),
        changed: Condvar::new(),
        queue: renderers * 2,
    });
    // However this function returns, renderers and the reader stop.
    let _stopped = StopOnDrop(board.clone());
    *gate.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Batcher {
        items: Vec::new(),
        bytes: 0,
        seq: 0,
        board: board.clone(),
        budget: budget.clone(),
        limits,
        stopped: false,
    });
    spawn_reader(items, gate);
    let renderer = |id| Renderer {
        id,
        board: board.clone(),
        printer: printer.clone(),
        judge,
        most: limits.batch_bytes * 8,
    };
    // The calling thread is renderer 0.
    for id in 1..renderers {
        renderer(id).spawn();
    }
    write_in_order(renderer(0), &budget, terminal, out)
}

/// The reading thread: not joined, since it may be waiting on an input (a terminal) that
/// never ends; once the writer stops, its next send fails and it returns.
fn spawn_reader<I>(items: I, gate: Gate)
where
    I: Iterator<Item = io::Result<Item>> + Send + 'static,
{
    std::thread::Builder::new()
        .name("parse-reader".into())
        .spawn(move || {
            for item in items {
                let go_on = gate.with(|b| match item {
                    Ok(item) => {
                        b.push(item);
                        !b.stopped
                    }
                    Err(e) => {
                        b.send_batch();
                        b.send(Job::Failed(e), 0);
                        false
                    }
                });
                if go_on != Some(true) {
                    break;
                }
            }
            // Dropping the batcher tells the board how many jobs there were: the renderers
            // end once none is left, the writer once all are written.
            if let Some(mut batcher) = gate.0.lock().unwrap_or_else(PoisonError::into_inner).take()
            {
                batcher.send_batch();
            }
        })
        .expect("starting the reading thread");
}

#[cfg(test)]
mod tests;

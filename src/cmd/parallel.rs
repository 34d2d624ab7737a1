//! `parse` on several threads, output in input order: one thread reads and lints, workers
//! render batches of items to bytes, and the calling thread writes the batches in the
//! order they were read.
//!
//! A batch is what the reading thread parsed before it next asks its input for bytes
//! ([`Gate::before_read`]), or 32 KiB of messages, whichever comes first: a file gives
//! big batches, and an interactive input still sends each message on before the read
//! that waits for the next one. Memory is bounded in bytes ([`Budget`]): the reading
//! thread waits while the batches not yet written hold more than [`IN_FLIGHT`] bytes of
//! input. An item bigger than [`DIRECT_FROM`] is not rendered to memory: it is passed to
//! the writing thread whole and rendered straight to the output, as the serial path does.
//!
//! Each worker owns [`BUFFERS`] output buffers: the writing thread hands a written one
//! back to the worker that filled it, never frees it. A buffer only ever grows on the
//! thread that owns it, which keeps each thread's allocator pages its own; buffers shared
//! in a pool cost about a third more peak memory (docs/performance.md).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::model::Item;
use crate::pipeline;
use crate::render::Sink;

/// Input bytes gathered into one batch, at most (one item may be bigger: it goes alone).
pub const BATCH_BYTES: usize = 32 * 1024;
/// Input bytes read but not yet written out, at most (one item may be bigger: it waits
/// until everything before it is written, then goes alone).
pub const IN_FLIGHT: usize = 128 * 1024;
/// Items at least this big are rendered by the writing thread straight to the output.
pub const DIRECT_FROM: usize = 1024 * 1024;
/// What an item costs beyond its raw bytes (its parsed lines, its boxes).
const ITEM_COST: usize = 256;
/// Output buffers per worker: one being filled while the other waits to be written.
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

/// Whether an item fails the input: `fails(item, strict)`; and whether the workers lint
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

/// What comes back from the workers.
enum Done {
    Rendered {
        bytes: Vec<u8>,
        /// The worker the buffer goes back to.
        worker: usize,
        failed: bool,
        cost: usize,
    },
    Direct(Box<Item>, usize),
    Failed(io::Error),
    /// Rendering to memory failed (it cannot, short of a renderer's own error).
    WriteFailed(io::Error),
}

/// Bytes of input between the reading thread and the output, bounded.
struct Budget {
    used: Mutex<(usize, bool)>,
    room: Condvar,
    cap: usize,
}

impl Budget {
    /// Wait until `n` bytes fit (alone, if `n` is more than the whole bound); false once
    /// the writing thread has stopped.
    fn take(&self, n: usize) -> bool {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while !used.1 && used.0 > 0 && used.0 + n > self.cap {
            used = self.room.wait(used).unwrap_or_else(PoisonError::into_inner);
        }
        used.0 += n;
        !used.1
    }

    fn give(&self, n: usize) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        used.0 = used.0.saturating_sub(n);
        self.room.notify_all();
    }

    /// The writing thread has stopped: nobody will give bytes back, so nobody waits.
    fn close(&self) {
        self.used.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.room.notify_all();
    }
}

/// The reading thread's batch in the making, and where batches go.
struct Batcher {
    items: Vec<Item>,
    bytes: usize,
    seq: u64,
    tx: SyncSender<(u64, Job)>,
    budget: Arc<Budget>,
    limits: Limits,
    /// The workers or the writer are gone: stop reading.
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
        if self.stopped || !self.budget.take(cost) || self.tx.send((self.seq, job)).is_err() {
            self.stopped = true;
        }
        self.seq += 1;
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
/// `printer`, rendering on `limits.workers` threads; `judge` says whether an item fails
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
        used: Mutex::new((0, false)),
        room: Condvar::new(),
        cap: limits.in_flight,
    });
    // Closes the budget however this function returns, so a reader never waits forever.
    let _closed = CloseOnDrop(budget.clone());
    let queue = limits.workers.max(1) * 2;
    let (job_tx, job_rx) = mpsc::sync_channel::<(u64, Job)>(queue);
    let (done_tx, done_rx) = mpsc::sync_channel::<(u64, Done)>(queue);
    *gate.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Batcher {
        items: Vec::new(),
        bytes: 0,
        seq: 0,
        tx: job_tx,
        budget: budget.clone(),
        limits,
        stopped: false,
    });
    spawn_reader(items, gate);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let mut back = Vec::new();
    for id in 0..limits.workers.max(1) {
        let (back_tx, back_rx) = mpsc::channel();
        back.push(back_tx);
        let worker = Worker {
            id,
            jobs: job_rx.clone(),
            done: done_tx.clone(),
            back: back_rx,
            printer: printer.clone(),
            judge,
            most: limits.batch_bytes * 4,
        };
        worker.spawn();
    }
    drop(done_tx);
    let written = Written {
        budget: &budget,
        back,
    };
    write_in_order(done_rx, written, &printer, judge, terminal, out)
}

struct CloseOnDrop(Arc<Budget>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
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
            // Dropping the batcher closes the queue: the workers end, then the writer.
            if let Some(mut batcher) = gate.0.lock().unwrap_or_else(PoisonError::into_inner).take()
            {
                batcher.send_batch();
            }
        })
        .expect("starting the reading thread");
}

/// A rendering thread and what it works with.
struct Worker {
    id: usize,
    jobs: Arc<Mutex<Receiver<(u64, Job)>>>,
    done: SyncSender<(u64, Done)>,
    /// Its written buffers, handed back by the writing thread.
    back: Receiver<Vec<u8>>,
    printer: Arc<Sink>,
    judge: Judge,
    /// The capacity a buffer keeps once written (one that grew for a big batch is
    /// trimmed).
    most: usize,
}

impl Worker {
    fn spawn(self) {
        std::thread::Builder::new()
            .name("parse-render".into())
            .spawn(move || self.run())
            .expect("starting a rendering thread");
    }

    /// Take a job whenever one of its buffers is free; end when the reader or the writer
    /// is gone.
    fn run(self) {
        let mut free: Vec<Vec<u8>> = (0..BUFFERS).map(|_| Vec::new()).collect();
        loop {
            if free.is_empty() {
                let Ok(mut buf) = self.back.recv() else {
                    return;
                };
                buf.shrink_to(self.most);
                free.push(buf);
            }
            let next = self
                .jobs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .recv();
            let Ok((seq, job)) = next else { return };
            let result = match job {
                Job::Render(items, cost) => {
                    let bytes = free.pop().unwrap_or_default();
                    self.render(items, cost, bytes)
                }
                Job::Direct(mut item, cost) => {
                    self.judge.lint(&mut item);
                    Done::Direct(item, cost)
                }
                Job::Failed(e) => Done::Failed(e),
            };
            if self.done.send((seq, result)).is_err() {
                return;
            }
        }
    }

    fn render(&self, mut items: Vec<Item>, cost: usize, mut bytes: Vec<u8>) -> Done {
        // Rendered text is a few times the input; one guess saves regrowing.
        bytes.reserve(cost * 3);
        let mut failed = false;
        for item in &mut items {
            self.judge.lint(item);
            failed |= self.judge.fails(item);
            if let Err(e) = self.printer.item(item, &mut bytes) {
                return Done::WriteFailed(e);
            }
        }
        Done::Rendered {
            bytes,
            worker: self.id,
            failed,
            cost,
        }
    }
}

/// Where what was written goes back to: its share of the budget, its buffer to the
/// worker that filled it.
struct Written<'a> {
    budget: &'a Budget,
    back: Vec<mpsc::Sender<Vec<u8>>>,
}

/// Write each batch as soon as every batch before it is written.
fn write_in_order(
    done: Receiver<(u64, Done)>,
    written: Written,
    printer: &Sink,
    judge: Judge,
    terminal: bool,
    out: &mut impl Write,
) -> Result<bool, Stop> {
    let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut any_failed = false;
    // Ends when every worker has ended, which is after the reader has.
    for (seq, result) in done {
        waiting.insert(seq, result);
        while let Some(result) = waiting.remove(&next) {
            next += 1;
            match result {
                Done::Rendered {
                    mut bytes,
                    worker,
                    failed,
                    cost,
                } => {
                    any_failed |= failed;
                    out.write_all(&bytes).map_err(Stop::Write)?;
                    bytes.clear();
                    // A worker that has ended needs it no more.
                    let _ = written.back[worker].send(bytes);
                    written.budget.give(cost);
                }
                Done::Direct(item, cost) => {
                    any_failed |= judge.fails(&item);
                    printer.item(&item, out).map_err(Stop::Write)?;
                    drop(item);
                    written.budget.give(cost);
                }
                Done::Failed(e) => return Err(Stop::Read(e)),
                Done::WriteFailed(e) => return Err(Stop::Write(e)),
            }
            if terminal {
                out.flush().map_err(Stop::Write)?;
            }
        }
    }
    Ok(any_failed)
}

#[cfg(test)]
#[path = "parallel_tests.rs"]
mod tests;

//! The one printer: every table (or JSON line) goes through a bounded queue to a single
//! thread that owns standard output, so output of concurrent connections never
//! interleaves, and a slow terminal slows the clients down instead of growing memory:
//! the queue is bounded in items and in bytes, and a connection waits for room before
//! it answers.
//! Rendering happens here, off the connection tasks; when the queue backs up, a helper
//! thread lays out half of each batch, and the batch is written with one call.

use std::io::{self, Write};
use std::sync::{mpsc as std_mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use super::Numbers;
use crate::model::Item;
use crate::render::Sink;

/// Items waiting to be shown, at most. Enough to ride out a burst, small enough that a
/// stalled terminal holds back clients within a fraction of a second.
const QUEUE: usize = 1024;
/// Bytes of messages queued or being printed, at most (counted by their raw size). A
/// 10 MiB body is a whole message too: 1,024 of them would be 10 GiB.
pub const QUEUE_BYTES: usize = 64 * 1024 * 1024;
/// What an item costs beyond its raw bytes (its parsed lines, its boxes).
const ITEM_COST: usize = 256;
/// Items taken from the queue for one write.
const MAX_BATCH: usize = 256;
/// Batches at least this long are rendered on two threads.
const SHARE_FROM: usize = 8;
/// Batches holding more bytes than this are rendered and written an item at a time, so
/// the rendered text of large bodies is never all in memory at once.
const SHARE_UNDER_BYTES: usize = 1024 * 1024;
/// Output buffer capacity kept between batches.
const BUF: usize = 256 * 1024;
/// After a batch shorter than [`MAX_BATCH`], the printer lets more items gather for this
/// long before it looks again. Woken for every request, it cost the connections a futex
/// wake-up each and itself a context switch; batched, it renders on two threads.
const LINGER: Duration = Duration::from_micros(500);

/// What the printer shows.
#[derive(Debug)]
pub enum Job {
    Item(Box<Item>),
    /// A line of text about the server, not about a message (table format only).
    Note(String),
}

/// A job with the share of [`QUEUE_BYTES`] it holds until it is written out.
type Queued = (Job, OwnedSemaphorePermit);

/// The sending side of the queue.
pub struct Output {
    tx: mpsc::Sender<Queued>,
    /// Permits are bytes: taken when a job is queued, given back once it is written.
    bytes: Arc<Semaphore>,
}

impl Output {
    /// Queue the item that `make(number)` builds, with the next of `numbers` taken as it
    /// enters the queue, so numbers follow print order. Waits while the queue is full.
    /// `None` when the printer has stopped. `size` is what the item will hold (its raw
    /// bytes).
    pub(super) async fn send_numbered(
        &self,
        size: usize,
        numbers: &Numbers,
        make: impl FnOnce(u64) -> Job,
    ) -> Option<u64> {
        let bytes = self.room(size).await?;
        let permit = self.tx.reserve().await.ok()?;
        Some(numbers.next_with(|seq| permit.send((make(seq), bytes))))
    }

    /// Queue an item that needs no number; waits while the queue is full.
    pub async fn send(&self, job: Job) {
        // The printer only stops when output is gone; then there is nobody to tell.
        let Some(bytes) = self.room(job.size()).await else {
            return;
        };
        let _ = self.tx.send((job, bytes)).await;
    }

    /// Queue a note unless the queue is full (notes must never hold up the accept loop).
    pub fn try_note(&self, text: String) {
        let job = Job::Note(text);
        if let Ok(bytes) = self.bytes.clone().try_acquire_many_owned(cost(job.size())) {
            let _ = self.tx.try_send((job, bytes));
        }
    }

    /// Wait until `size` bytes fit in the queue. One item bigger than the whole bound
    /// takes all of it, so it still passes, alone. `None` once the printer has stopped.
    async fn room(&self, size: usize) -> Option<OwnedSemaphorePermit> {
        if self.tx.is_closed() {
            return None;
        }
        self.bytes.clone().acquire_many_owned(cost(size)).await.ok()
    }
}

fn cost(size: usize) -> u32 {
    size.saturating_add(ITEM_COST).min(QUEUE_BYTES) as u32
}

impl Job {
    /// The bytes this job keeps alive while it waits: what its raw bytes take, about.
    pub fn size(&self) -> usize {
        match self {
            Job::Item(item) => match &**item {
                Item::Message(m) => m.raw.len(),
                Item::Error(e) => e.fragment.raw.len(),
                Item::Stray(_) => 0,
            },
            Job::Note(text) => text.len(),
        }
    }
}

/// Start the printer thread. It ends, returning how writing went, once every [`Output`]
/// is dropped and the queue is drained; `on_gone` runs if standard output goes away.
pub fn spawn(
    printer: Sink,
    terminal: bool,
    on_gone: impl FnOnce() + Send + 'static,
) -> (Output, JoinHandle<io::Result<()>>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let bytes = Arc::new(Semaphore::new(QUEUE_BYTES));
    let handle = std::thread::Builder::new()
        .name("printer".into())
        .spawn(move || {
            let result = run(rx, Arc::new(printer), terminal);
            if result.is_err() {
                on_gone();
            }
            result
        })
        .expect("starting the printer thread");
    let output = Output { tx, bytes };
    (output, handle)
}

fn run(mut rx: mpsc::Receiver<Queued>, printer: Arc<Sink>, terminal: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let helper = Helper::start(printer.clone());
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut first: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut first_buf: Vec<u8> = Vec::with_capacity(BUF);
    let mut buf: Vec<u8> = Vec::with_capacity(BUF);
    // The batch's share of the byte bound, given back once it is written out.
    let mut held: Vec<OwnedSemaphorePermit> = Vec::with_capacity(MAX_BATCH);
    while let Some((job, bytes)) = rx.blocking_recv() {
        jobs.push(job);
        held.push(bytes);
        // Take whatever else is already waiting, so a busy server writes big batches.
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok((job, bytes)) => {
                    jobs.push(job);
                    held.push(bytes);
                }
                Err(_) => break,
            }
        }
        let bytes: usize = jobs.iter().map(Job::size).sum();
        let full = jobs.len() == MAX_BATCH;
        if jobs.len() >= SHARE_FROM && bytes < SHARE_UNDER_BYTES {
            // The first half goes to the helper; order on output is kept.
            first.extend(jobs.drain(..jobs.len() / 2));
            helper.send(first, first_buf);
            render_all(&jobs, &printer, &mut buf)?;
            (first, first_buf) = helper.receive()?;
            out.write_all(&first_buf)?;
            first.clear();
            first_buf.clear();
        } else {
            for job in &jobs {
                render(job, &printer, &mut buf)?;
                if buf.len() >= BUF {
                    out.write_all(&buf)?;
                    buf.clear();
                }
            }
        }
        jobs.clear();
        out.write_all(&buf)?;
        if terminal {
            out.flush()?;
        }
        held.clear();
        buf.clear();
        // One huge body should not pin its buffer for the rest of the run.
        buf.shrink_to(4 * BUF);
        first_buf.shrink_to(4 * BUF);
        if !full {
            std::thread::sleep(LINGER);
        }
    }
    out.flush()
}

fn render_all(jobs: &[Job], printer: &Sink, buf: &mut Vec<u8>) -> io::Result<()> {
    jobs.iter().try_for_each(|job| render(job, printer, buf))
}

fn render(job: &Job, printer: &Sink, buf: &mut Vec<u8>) -> io::Result<()> {
    match job {
        Job::Item(item) => printer.item(item, buf),
        Job::Note(text) => printer.note(text, buf),
    }
}

type Work = (Vec<Job>, Vec<u8>);

/// A second rendering thread, fed one half-batch at a time.
struct Helper {
    tx: std_mpsc::Sender<Work>,
    rx: std_mpsc::Receiver<io::Result<Work>>,
}

impl Helper {
    fn start(printer: Arc<Sink>) -> Helper {
        let (tx, work) = std_mpsc::channel::<Work>();
        let (done, rx) = std_mpsc::channel();
        std::thread::Builder::new()
            .name("printer-helper".into())
            .spawn(move || {
                for (jobs, mut buf) in work {
                    let result = render_all(&jobs, &printer, &mut buf).map(|()| (jobs, buf));
                    if done.send(result).is_err() {
                        break;
                    }
                }
            })
            .expect("starting the printer's helper thread");
        Helper { tx, rx }
    }

    /// Hand over work; fetch it back, rendered, with [`Helper::receive`].
    fn send(&self, jobs: Vec<Job>, buf: Vec<u8>) {
        // If the helper is gone, `receive` says so.
        let _ = self.tx.send((jobs, buf));
    }

    fn receive(&self) -> io::Result<Work> {
        self.rx
            .recv()
            .map_err(|_| io::Error::other("the printer's helper thread stopped"))?
    }
}

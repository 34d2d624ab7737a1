//! The one printer: every table (or JSON line) goes through a bounded queue to a single
//! thread that owns standard output, so output of concurrent connections never
//! interleaves, and a slow terminal slows the clients down instead of growing memory.
//! Rendering happens here, off the connection tasks; when the queue backs up, a helper
//! thread lays out half of each batch, and the batch is written with one call.

use std::io::{self, Write};
use std::sync::{mpsc as std_mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::mpsc;

use crate::model::Item;
use crate::render::{Format, Printer};

/// Items waiting to be shown, at most. Enough to ride out a burst, small enough that a
/// stalled terminal holds back clients within a fraction of a second.
const QUEUE: usize = 1024;
/// Items taken from the queue for one write.
const MAX_BATCH: usize = 256;
/// Batches at least this long are rendered on two threads.
const SHARE_FROM: usize = 8;
/// Output buffer capacity kept between batches.
const BUF: usize = 256 * 1024;

/// What the printer shows.
#[derive(Debug)]
pub enum Job {
    Item(Box<Item>),
    /// A line of text about the server, not about a message (table format only).
    Note(String),
}

/// The sending side: numbers items as it queues them, so numbers follow print order.
pub struct Output {
    tx: mpsc::Sender<Job>,
    /// Held while a number is taken and its item queued.
    order: Mutex<u64>,
}

impl Output {
    /// Queue the item that `make(number)` builds, numbering it after every item queued
    /// before. Waits while the queue is full. `None` when the printer has stopped.
    pub async fn send_numbered(&self, make: impl FnOnce(u64) -> Job) -> Option<u64> {
        let permit = self.tx.reserve().await.ok()?;
        let mut last = self.order.lock().unwrap_or_else(|e| e.into_inner());
        *last += 1;
        permit.send(make(*last));
        Some(*last)
    }

    /// Queue an item that needs no number; waits while the queue is full.
    pub async fn send(&self, job: Job) {
        // The printer only stops when output is gone; then there is nobody to tell.
        let _ = self.tx.send(job).await;
    }

    /// Queue a note unless the queue is full (notes must never hold up the accept loop).
    pub fn try_note(&self, text: String) {
        let _ = self.tx.try_send(Job::Note(text));
    }
}

/// Start the printer thread. It ends, returning how writing went, once every [`Output`]
/// is dropped and the queue is drained; `on_gone` runs if standard output goes away.
pub fn spawn(
    printer: Printer,
    terminal: bool,
    on_gone: impl FnOnce() + Send + 'static,
) -> (Output, JoinHandle<io::Result<()>>) {
    let (tx, rx) = mpsc::channel(QUEUE);
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
    let output = Output {
        tx,
        order: Mutex::new(0),
    };
    (output, handle)
}

fn run(mut rx: mpsc::Receiver<Job>, printer: Arc<Printer>, terminal: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let helper = Helper::start(printer.clone());
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut first: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut first_buf: Vec<u8> = Vec::with_capacity(BUF);
    let mut buf: Vec<u8> = Vec::with_capacity(BUF);
    while let Some(job) = rx.blocking_recv() {
        jobs.push(job);
        // Take whatever else is already waiting, so a busy server writes big batches.
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        if jobs.len() >= SHARE_FROM {
            // The first half goes to the helper; order on output is kept.
            first.extend(jobs.drain(..jobs.len() / 2));
            helper.send(first, first_buf);
            render_all(&jobs, &printer, &mut buf)?;
            (first, first_buf) = helper.receive()?;
            out.write_all(&first_buf)?;
            first.clear();
            first_buf.clear();
        } else {
            render_all(&jobs, &printer, &mut buf)?;
        }
        jobs.clear();
        out.write_all(&buf)?;
        if terminal {
            out.flush()?;
        }
        buf.clear();
        // One huge body should not pin its buffer for the rest of the run.
        buf.shrink_to(4 * BUF);
        first_buf.shrink_to(4 * BUF);
    }
    out.flush()
}

fn render_all(jobs: &[Job], printer: &Printer, buf: &mut Vec<u8>) -> io::Result<()> {
    jobs.iter().try_for_each(|job| render(job, printer, buf))
}

fn render(job: &Job, printer: &Printer, buf: &mut Vec<u8>) -> io::Result<()> {
    match job {
        Job::Item(item) => printer.item(item, buf),
        Job::Note(text) if printer.format == Format::Table => writeln!(buf, "{text}\n"),
        Job::Note(_) => Ok(()),
    }
}

type Work = (Vec<Job>, Vec<u8>);

/// A second rendering thread, fed one half-batch at a time.
struct Helper {
    tx: std_mpsc::Sender<Work>,
    rx: std_mpsc::Receiver<io::Result<Work>>,
}

impl Helper {
    fn start(printer: Arc<Printer>) -> Helper {
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

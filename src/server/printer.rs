//! The one printer: every table (or JSON line) goes through a bounded queue to a single
//! thread that owns standard output, so output of concurrent connections never
//! interleaves, and a slow terminal slows the clients down instead of growing memory.

use std::io::{self, Write};
use std::sync::Mutex;
use std::thread::JoinHandle;

use tokio::sync::mpsc;

use crate::input::Item;
use crate::render::{Format, Printer};

/// Items waiting to be shown, at most. Enough to ride out a burst, small enough that a
/// stalled terminal holds back clients within a fraction of a second.
const QUEUE: usize = 1024;
/// Rendered bytes collected before they are written out, when more items are waiting.
const BATCH: usize = 256 * 1024;

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
            let result = run(rx, &printer, terminal);
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

fn run(mut rx: mpsc::Receiver<Job>, printer: &Printer, terminal: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut buf: Vec<u8> = Vec::with_capacity(BATCH + 64 * 1024);
    while let Some(job) = rx.blocking_recv() {
        render(&job, printer, &mut buf)?;
        // Take whatever else is already waiting, so a busy server writes big batches.
        while buf.len() < BATCH {
            match rx.try_recv() {
                Ok(job) => render(&job, printer, &mut buf)?,
                Err(_) => break,
            }
        }
        out.write_all(&buf)?;
        if terminal {
            out.flush()?;
        }
        buf.clear();
        if buf.capacity() > 4 * BATCH {
            // One huge body should not pin its buffer for the rest of the run.
            buf.shrink_to(BATCH + 64 * 1024);
        }
    }
    out.flush()
}

fn render(job: &Job, printer: &Printer, buf: &mut Vec<u8>) -> io::Result<()> {
    match job {
        Job::Item(item) => printer.item(item, buf),
        Job::Note(text) if printer.format == Format::Table => writeln!(buf, "{text}\n"),
        Job::Note(_) => Ok(()),
    }
}

//! The order exchanges are shown in: the order their requests arrived. Each exchange
//! takes a [`Ticket`] when its request's head is whole and hands in its tables when it
//! is over; a task releases them to the printer by ticket number, so concurrent
//! exchanges never interleave and a fast one waits for a slow one before it. What
//! waits is bounded in bytes: past [`HELD_BYTES`] an exchange waits for room, except
//! the one whose turn it is, so the bound never stops the queue. The same task publishes
//! each exchange to the live page (`--live`), so the page has them in the same order,
//! `--quiet` or not.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

use crate::live::LiveHub;
use crate::server::output::{Job, Output};

/// Bytes of finished exchanges held back for an earlier one, at most.
const HELD_BYTES: usize = 32 * 1024 * 1024;
/// What an exchange costs beyond its raw bytes.
const EXCHANGE_COST: usize = 512;

/// What reaches the releasing task.
enum Done {
    /// Exchange `n`'s jobs, in its turn.
    Exchange(u64, Vec<Job>, Option<OwnedSemaphorePermit>),
    /// A note shown at once, out of turn; about an exchange when it has a number (on the
    /// live page it joins that exchange's card).
    Now(Option<u64>, String),
}

/// Where released exchanges go: the printer (unless `--quiet`), the live page (with
/// `--live`).
struct Sinks {
    output: Option<Output>,
    live: Option<LiveHub>,
}

/// The numbering of exchanges, and the way to the printer and the live page.
pub(super) struct Order {
    numbers: AtomicU64,
    to_printer: Option<Printing>,
}

struct Printing {
    tx: mpsc::UnboundedSender<Done>,
    task: tokio::task::JoinHandle<()>,
    held: Arc<Semaphore>,
    /// The number whose turn it is.
    turn: watch::Receiver<u64>,
}

/// An exchange's place in the order. Dropped unused (the client went away before
/// anything was shown), it gives its turn up.
pub(super) struct Ticket {
    pub(super) number: u64,
    tx: Option<mpsc::UnboundedSender<Done>>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Done::Exchange(self.number, Vec::new(), None));
        }
    }
}

impl Order {
    /// The order, with a task feeding `output` (`None` with `--quiet`) and `live` (with
    /// `--live`); none when both are `None`. Must run inside a tokio runtime.
    pub(super) fn new(output: Option<Output>, live: Option<LiveHub>) -> Order {
        let sinks = (output.is_some() || live.is_some()).then_some(Sinks { output, live });
        let to_printer = sinks.map(|sinks| {
            let (tx, rx) = mpsc::unbounded_channel();
            let (turn_tx, turn) = watch::channel(1);
            let task = tokio::spawn(release(rx, sinks, turn_tx));
            Printing {
                tx,
                task,
                held: Arc::new(Semaphore::new(HELD_BYTES)),
                turn,
            }
        });
        Order {
            numbers: AtomicU64::new(0),
            to_printer,
        }
    }

    /// The next exchange's ticket.
    pub(super) fn ticket(&self) -> Ticket {
        let number = self.numbers.fetch_add(1, Ordering::Relaxed) + 1;
        Ticket {
            number,
            tx: self.to_printer.as_ref().map(|p| p.tx.clone()),
        }
    }

    /// Whether anything is shown (not `--quiet`, or `--live`).
    pub(super) fn shows(&self) -> bool {
        self.to_printer.is_some()
    }

    /// Show a note now, out of turn (a tunnel that closed long after its exchange,
    /// `exchange`; a client turned away, none).
    pub(super) fn note_now(&self, exchange: Option<u64>, text: String) {
        if let Some(printing) = &self.to_printer {
            let _ = printing.tx.send(Done::Now(exchange, text));
        }
    }

    /// Wait until everything handed in went to the printer (every ticket must be gone).
    pub(super) async fn close(self) {
        if let Some(printing) = self.to_printer {
            drop(printing.tx);
            let _ = printing.task.await;
        }
    }

    /// Hand in a finished exchange's tables and notes: the one place an exchange goes
    /// to be shown. Waits while too much is held back for earlier exchanges.
    pub(super) async fn finished(&self, mut ticket: Ticket, jobs: Vec<Job>) {
        let (Some(printing), Some(tx)) = (&self.to_printer, ticket.tx.take()) else {
            return;
        };
        let size: usize = jobs.iter().map(Job::size).sum::<usize>() + EXCHANGE_COST;
        let cost = size.min(HELD_BYTES) as u32;
        let mut turn = printing.turn.clone();
        let me = ticket.number;
        let permit = tokio::select! {
            permit = printing.held.clone().acquire_many_owned(cost) => permit.ok(),
            // Its turn: it goes at once, held or not, so the bound never blocks the queue.
            _ = turn.wait_for(|&t| t >= me) => None,
        };
        let _ = tx.send(Done::Exchange(me, jobs, permit));
    }
}

/// Pass finished exchanges to the printer and the live page by number.
async fn release(mut rx: mpsc::UnboundedReceiver<Done>, sinks: Sinks, turn: watch::Sender<u64>) {
    let mut waiting: BTreeMap<u64, (Vec<Job>, Option<OwnedSemaphorePermit>)> = BTreeMap::new();
    let mut next = 1u64;
    while let Some(done) = rx.recv().await {
        let (number, jobs, permit) = match done {
            Done::Now(exchange, text) => {
                sinks.send(exchange, Job::Note(text)).await;
                continue;
            }
            Done::Exchange(number, jobs, permit) => (number, jobs, permit),
        };
        waiting.insert(number, (jobs, permit));
        while let Some((jobs, permit)) = waiting.remove(&next) {
            for job in jobs {
                sinks.send(Some(next), job).await;
            }
            drop(permit);
            next += 1;
            turn.send_replace(next);
        }
    }
}

impl Sinks {
    /// Publish `job` (of `exchange`, when it has one) to the page, which never waits,
    /// then queue it for the printer, which may.
    async fn send(&self, exchange: Option<u64>, job: Job) {
        if let Some(live) = &self.live {
            match (&job, exchange) {
                (Job::Item(item), _) => live.publish(item),
                (Job::Note(text), Some(n)) => live.note(n, text),
                // A note about no exchange (a client turned away) has no card to go on.
                (Job::Note(_), None) => {}
            }
        }
        if let Some(output) = &self.output {
            output.send(job).await;
        }
    }
}

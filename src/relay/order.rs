//! The order exchanges are shown in: the order their requests arrived. Each exchange
//! takes a [`Ticket`] when its request's head is whole and hands in its tables when it
//! is over; a task releases them to the printer by ticket number, so concurrent
//! exchanges never interleave and a fast one waits for a slow one before it. What
//! waits is bounded in bytes: past [`HELD_BYTES`] an exchange waits for room, except
//! the one whose turn it is, so the bound never stops the queue.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

use crate::server::output::{Job, Output};

/// Bytes of finished exchanges held back for an earlier one, at most.
const HELD_BYTES: usize = 32 * 1024 * 1024;
/// What an exchange costs beyond its raw bytes.
const EXCHANGE_COST: usize = 512;

/// The number of what is shown at once, out of turn.
const NOW: u64 = 0;

type Done = (u64, Vec<Job>, Option<OwnedSemaphorePermit>);

/// The numbering of exchanges, and (unless `--quiet`) the way to the printer.
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
            let _ = tx.send((self.number, Vec::new(), None));
        }
    }
}

impl Order {
    /// The order, with a task feeding `output` (`None` with `--quiet`). Must run inside
    /// a tokio runtime.
    pub(super) fn new(output: Option<Output>) -> Order {
        let to_printer = output.map(|output| {
            let (tx, rx) = mpsc::unbounded_channel();
            let (turn_tx, turn) = watch::channel(1);
            let task = tokio::spawn(release(rx, output, turn_tx));
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

    /// Whether anything is shown (not `--quiet`).
    pub(super) fn shows(&self) -> bool {
        self.to_printer.is_some()
    }

    /// Show a note now, out of turn (a tunnel that closed long after its exchange).
    pub(super) fn note_now(&self, text: String) {
        if let Some(printing) = &self.to_printer {
            let _ = printing.tx.send((NOW, vec![Job::Note(text)], None));
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
        let _ = tx.send((me, jobs, permit));
    }
}

/// Pass finished exchanges to the printer by number.
async fn release(mut rx: mpsc::UnboundedReceiver<Done>, output: Output, turn: watch::Sender<u64>) {
    let mut waiting: BTreeMap<u64, (Vec<Job>, Option<OwnedSemaphorePermit>)> = BTreeMap::new();
    let mut next = 1u64;
    while let Some((number, jobs, permit)) = rx.recv().await {
        if number == NOW {
            for job in jobs {
                output.send(job).await;
            }
            continue;
        }
        waiting.insert(number, (jobs, permit));
        while let Some((jobs, permit)) = waiting.remove(&next) {
            for job in jobs {
                output.send(job).await;
            }
            drop(permit);
            next += 1;
            turn.send_replace(next);
        }
    }
}

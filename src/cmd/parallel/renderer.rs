//! `parse`'s renderers: each lints and renders batches into buffers it owns; renderer 0
//! is the writing thread, which writes every result in input order.

use std::io::{self, Write};
use std::sync::Arc;

use super::board::{Board, Broken, Budget, PanicGuard, State};
use super::{Done, Item, Job, Judge, Sink, Stop, BUFFERS};

/// A renderer: the writing thread (0) or another.
pub(super) struct Renderer {
    pub(super) id: usize,
    pub(super) board: Arc<Board>,
    pub(super) printer: Arc<Sink>,
    pub(super) judge: Judge,
    /// The capacity a buffer keeps once written (one that grew for a big batch is
    /// trimmed).
    pub(super) most: usize,
}

impl Renderer {
    pub(super) fn spawn(self) {
        std::thread::Builder::new()
            .name("parse-render".into())
            .spawn(move || self.run())
            .expect("starting a rendering thread");
    }

    /// Take a job whenever one of its buffers is free; end when the reader has ended and
    /// no job is left, or when the writer has stopped.
    pub(super) fn run(self) {
        let _broken = PanicGuard(&self.board, Broken::Rendering);
        let mut free = self.buffers();
        loop {
            let (seq, job) = {
                let mut state = self.board.lock();
                loop {
                    if state.stopped {
                        return;
                    }
                    if let Some(job) = self.take(&mut state, &mut free) {
                        break job;
                    }
                    if state.sent.is_some() && state.jobs.is_empty() {
                        return;
                    }
                    state = self.board.wait(state);
                }
            };
            let result = self.work(job, &mut free);
            self.board.done(seq, result);
        }
    }

    pub(super) fn buffers(&self) -> Vec<Vec<u8>> {
        (0..BUFFERS).map(|_| Vec::new()).collect()
    }

    /// The next job, if one waits and a buffer of this renderer's is free.
    pub(super) fn take(&self, state: &mut State, free: &mut Vec<Vec<u8>>) -> Option<(u64, Job)> {
        for mut buf in state.spare[self.id].drain(..) {
            buf.shrink_to(self.most);
            free.push(buf);
        }
        if free.is_empty() {
            return None;
        }
        let was_full = state.jobs.len() >= self.board.queue;
        let job = state.jobs.pop_front()?;
        // The reader may be waiting for room.
        if was_full {
            self.board.tell(state);
        }
        Some(job)
    }

    pub(super) fn work(&self, job: Job, free: &mut Vec<Vec<u8>>) -> Done {
        match job {
            Job::Render(items, cost) => {
                let bytes = free.pop().unwrap_or_default();
                self.render(items, cost, bytes)
            }
            Job::Direct(mut item, cost) => {
                self.judge.lint(&mut item);
                Done::Direct(item, cost)
            }
            Job::Failed(e) => Done::Failed(e),
        }
    }

    pub(super) fn render(&self, mut items: Vec<Item>, cost: usize, mut bytes: Vec<u8>) -> Done {
        // Rendered text is about five times the input (tables and JSON alike); one guess
        // saves regrowing, and a buffer of the usual size is kept from batch to batch.
        bytes.reserve((cost * 6).min(self.most));
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
            renderer: self.id,
            failed,
            cost,
        }
    }
}

/// What the writing thread does next.
pub(super) enum Step {
    Write(Done),
    Render(u64, Job),
    End,
    Broken(Broken),
}

/// Write each batch as soon as every batch before it is written; in between, render
/// what waits, as renderer 0.
pub(super) fn write_in_order(
    me: Renderer,
    budget: &Budget,
    terminal: bool,
    out: &mut impl Write,
) -> Result<bool, Stop> {
    let mut free = me.buffers();
    let mut next = 0u64;
    let mut any_failed = false;
    loop {
        let step = {
            let mut state = me.board.lock();
            loop {
                if let Some(result) = state.done.remove(&next) {
                    break Step::Write(result);
                }
                // What came before a panic is written; then printing stops.
                if let Some(broken) = state.broken {
                    break Step::Broken(broken);
                }
                if state.sent == Some(next) {
                    break Step::End;
                }
                if let Some((seq, job)) = me.take(&mut state, &mut free) {
                    break Step::Render(seq, job);
                }
                state = me.board.wait(state);
            }
        };
        let result = match step {
            Step::Write(result) => result,
            Step::Render(seq, job) => {
                let result = me.work(job, &mut free);
                if seq != next {
                    me.board.lock().done.insert(seq, result);
                    continue;
                }
                result
            }
            Step::End => return Ok(any_failed),
            Step::Broken(broken) => return Err(broken_off(broken)),
        };
        next += 1;
        match result {
            Done::Rendered {
                mut bytes,
                renderer,
                failed,
                cost,
            } => {
                any_failed |= failed;
                out.write_all(&bytes).map_err(Stop::Write)?;
                bytes.clear();
                if renderer == me.id {
                    free.push(bytes);
                } else {
                    let mut state = me.board.lock();
                    state.spare[renderer].push(bytes);
                    me.board.tell(&state);
                }
                budget.give(cost);
            }
            Done::Direct(item, cost) => {
                any_failed |= me.judge.fails(&item);
                me.printer.item(&item, out).map_err(Stop::Write)?;
                drop(item);
                budget.give(cost);
            }
            Done::Failed(e) => return Err(Stop::Read(e)),
            Done::WriteFailed(e) => return Err(Stop::Write(e)),
        }
        if terminal {
            out.flush().map_err(Stop::Write)?;
        }
    }
}

/// The error that ends printing when a thread panicked: what came before it is written.
fn broken_off(broken: Broken) -> Stop {
    let error = |side| io::Error::other(format!("the {side} thread stopped (a bug in httpdump)"));
    match broken {
        Broken::Reading => Stop::Read(error("reading")),
        Broken::Rendering => Stop::Write(error("rendering")),
    }
}

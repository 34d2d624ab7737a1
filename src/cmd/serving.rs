//! What `listen` and `relay` share around their accept loops: the printer thread, the
//! start-up lines, and Ctrl-C (the first finishes what is in flight, a second stops).

use std::io::{self, IsTerminal};
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::watch;

use crate::cli::{Env, ShowArgs};
use crate::explain::{count, Label, Lang};
use crate::render::{Sink, Theme};
use crate::server::output::{self, Output};

/// The printer thread's queue and its handle; none with `--quiet`.
pub(super) type Printer = (Option<Output>, Option<JoinHandle<io::Result<()>>>);

/// Start the one printer thread unless `quiet`. Standard output going away (`| head`)
/// stops the server, quietly, through `stop`.
pub(super) fn start_printer(
    quiet: bool,
    show: &ShowArgs,
    env: &Env,
    stop: &Arc<watch::Sender<bool>>,
) -> Printer {
    if quiet {
        return (None, None);
    }
    let mut printer = Sink::new(show.format, Theme::new(env.color), show.render_options(env));
    // A server prints over time: each table takes the terminal's width when it is
    // printed, so resizing the window (SIGWINCH) is followed.
    if env.follow_terminal {
        printer.follow_width = Some(crate::cli::terminal_width);
    }
    let gone = stop.clone();
    let (output, thread) = output::spawn(printer, env.stdout_is_terminal, move || {
        gone.send_replace(true);
    });
    (Some(output), Some(thread))
}

/// Once the server has stopped: let the live page's viewers have their last events
/// (within a bound, see `LivePage::run`), then wait for the printer to write what is
/// queued. An error there means standard output went away, which ends the server
/// quietly, as a closed pipe ends `parse`.
pub(super) async fn wind_down(
    page: Option<tokio::task::JoinHandle<()>>,
    printer: Option<JoinHandle<io::Result<()>>>,
) {
    if let Some(page) = page {
        let _ = page.await;
    }
    if let Some(thread) = printer {
        let _ = thread.join();
    }
}

/// Say where the server listens (and that the whole network may come in, when bound
/// wide); returns the address to try it at (loopback for a wildcard bind).
pub(super) fn announce(local: SocketAddr, lang: Lang) -> SocketAddr {
    eprintln!("listening on http://{local}");
    if local.ip().is_unspecified() {
        eprintln!(
            "{}",
            Label::ListenOpen.fill(lang, &[&local.ip().to_string()])
        );
        SocketAddr::new([127, 0, 0, 1].into(), local.port())
    } else {
        local
    }
}

/// Ctrl-C or SIGTERM: stop accepting and finish what is in flight, saying what that is.
/// A second one: stop now, cutting off requests still in flight.
pub(super) async fn on_signals(
    mut signals: Signals,
    stop: Arc<watch::Sender<bool>>,
    kill: watch::Sender<bool>,
    in_flight: impl Fn() -> usize,
    lang: Lang,
) {
    signals.next().await;
    // First, so that nothing the stop leads to is printed on the `^C` line.
    end_caret_line();
    stop.send_replace(true);
    let busy = in_flight();
    if busy > 0 {
        let requests = count(busy, Label::CountRequest, Label::CountRequests, lang);
        eprintln!("{}", Label::ListenWaiting.fill(lang, &[&requests]));
    }
    signals.next().await;
    end_caret_line();
    kill.send_replace(true);
}

/// A terminal echoes Ctrl-C as `^C` with no newline after it: end that line, so what is
/// said next (the waiting note, the summary) starts on its own line. A pipe or a file got
/// no `^C`, so it gets no newline either.
pub(super) fn end_caret_line() {
    if io::stderr().is_terminal() {
        eprintln!();
    }
}

/// Ctrl-C and SIGTERM, watched from start-up so that none is missed.
pub(super) struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    pub(super) fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    pub(super) async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

//! How a request ends when its bytes stop coming: the client closed its side, took
//! longer than `--timeout`, or a second Ctrl-C stopped the server. Whatever arrived is
//! still shown, answered where possible and saved: nothing received is dropped unsaid.

use std::io;
use std::time::Duration;

use super::conn::{Conn, End};
use super::output::Job;
use super::{CutOff, Stats};
use crate::explain::Label;
use crate::model::Fragment;
use crate::model::{ErrorKind, ParseError};
use crate::pipeline;
use crate::render::paint::count;
use crate::wire::{self, Parsed, State};

impl Conn<'_> {
    /// Nothing more will come for the request in the buffer: the client closed its side
    /// (`timed_out` false) or took longer than `--timeout`. Whatever the parser makes of
    /// the bytes at hand is answered: a whole message as usual, the rest as an error.
    pub(super) async fn at_end(&mut self, timed_out: bool) -> io::Result<End> {
        let opts = &self.shared.parse;
        let unread = &self.buf[self.pos..];
        let at = self.base + self.pos;
        match wire::parse_message(unread, at, &mut State::default(), opts, true) {
            Parsed::Complete {
                mut message,
                consumed,
            } => {
                // A response whose body runs until close, say; nothing follows it.
                self.pos += consumed;
                pipeline::lint_message(&mut message);
                self.answer(message).await?;
                self.flush().await?;
                Ok(if timed_out { End::Linger } else { End::Done })
            }
            Parsed::Error { error, .. } if timed_out => {
                let text = format!(
                    "the request did not arrive in full within {}",
                    seconds(self.shared.config.timeout)
                );
                self.refuse(error, 408, &text).await
            }
            Parsed::Error { error, .. } => {
                let status = status_for(&error.kind);
                let text = refusal_text(&error, status);
                self.refuse(error, status, &text).await
            }
            // The parser never asks for more at the end of input; should it, the bytes
            // are still shown and answered, as a head cut off.
            Parsed::Partial { .. } => {
                let error = Box::new(cut_off_head(unread, at));
                let status = if timed_out { 408 } else { 400 };
                let text = refusal_text(&error, status);
                self.refuse(error, status, &text).await
            }
        }
    }

    /// The second Ctrl-C came in the middle of a request: keep its bytes (`--save`) and
    /// tell `listen` what was cut off, then close without an answer.
    pub(super) async fn killed(&mut self) -> io::Result<End> {
        let shared = self.shared;
        let unread = &self.buf[self.pos..];
        Stats::add(&shared.stats.cut_off, 1);
        let nth = self.nth + 1;
        shared.stats.note_cut_off(CutOff {
            connection: self.id,
            nth,
            peer: self.peer,
            bytes: unread.len(),
        });
        // The number it would have had, so saved files and tables keep counting.
        let note = Label::ListenCutOff.fill(
            shared.config.lang,
            &[
                &self.id.to_string(),
                &nth.to_string(),
                &self.peer.to_string(),
                &count(
                    unread.len(),
                    Label::CountByte,
                    Label::CountBytes,
                    shared.config.lang,
                ),
            ],
        );
        let seq = shared.number(0, |_| Job::Note(note)).await;
        if let Some(dir) = &shared.config.save {
            let path = dir.path(seq, self.id, nth, true);
            if let Err(e) = dir.write(path.clone(), unread.to_vec()).await {
                eprintln!("httpdump: {}: {e}", path.display());
            }
        }
        Ok(End::Done)
    }
}

/// The status for a request the parser refused.
pub(super) fn status_for(kind: &ErrorKind) -> u16 {
    match kind {
        ErrorKind::HeadTooLarge { .. } | ErrorKind::TooManyHeaders { .. } => 431,
        ErrorKind::BodyTooLarge { .. } => 413,
        _ => 400,
    }
}

/// The reason sent with `status` for a request the parser refused (English, like the
/// parser's errors: it is for curl and logs). A size limit is about the whole head or
/// body, not a line.
pub(super) fn refusal_text(error: &ParseError, status: u16) -> String {
    match status {
        400 => format!("line {}: {}", error.line, error.kind),
        _ => error.kind.to_string(),
    }
}

/// The error for bytes that end before their head does, when the parser has none to give.
fn cut_off_head(unread: &[u8], at: usize) -> ParseError {
    ParseError {
        kind: ErrorKind::TruncatedHead,
        index: 0,
        line: 0,
        offset: at + unread.len(),
        fragment: Fragment {
            offset: at,
            raw: unread.to_vec(),
            ..Fragment::default()
        },
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s == s.trunc() {
        format!("{s} s")
    } else {
        format!("{s:.1} s")
    }
}

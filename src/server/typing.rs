//! The lesson while a head is typed by hand (`nc`, telnet): once a head has been
//! unfinished for [`FIRST_AFTER`], the terminal is told how many lines have come and that
//! the server waits for the blank line that ends the head; told again, at most every
//! [`EVERY`], when more lines come. A note in the printer's queue like the others: only
//! in tables, never with `--quiet` or `--format json`.

use std::time::Duration;

use tokio::time::Instant;

use crate::explain::count;
use crate::explain::{Label, Lang};

/// How long a head may be unfinished before the first note.
pub(super) const FIRST_AFTER: Duration = Duration::from_secs(2);
/// The least time between two notes about one head.
pub(super) const EVERY: Duration = Duration::from_secs(3);

/// What was said about the head being read on one connection.
#[derive(Default)]
pub(super) struct HeadWatch {
    /// When its first byte came; `None` before.
    began: Option<Instant>,
    /// Lines told in the last note, and when; `None` before the first.
    told: Option<(usize, Instant)>,
    /// The head is whole: nothing more to say.
    done: bool,
}

impl HeadWatch {
    pub(super) fn begin(&mut self, at: Instant) {
        self.began = Some(at);
    }

    /// When to look again, if there may be something to say.
    pub(super) fn next_look(&self) -> Option<Instant> {
        if self.done {
            return None;
        }
        match self.told {
            None => Some(self.began? + FIRST_AFTER),
            Some((_, at)) => Some(at + EVERY),
        }
    }

    /// Look at the unread bytes of the request (`unread`, at most `max_head` of them
    /// scanned): the note to show now, if any.
    pub(super) fn look(
        &mut self,
        unread: &[u8],
        max_head: usize,
        connection: u64,
        lang: Lang,
    ) -> Option<String> {
        let now = Instant::now();
        let Some(lines) = head_lines(&unread[..unread.len().min(max_head)]) else {
            self.done = true;
            return None;
        };
        let news = match self.told {
            None => true,
            Some((told, _)) => lines > told,
        };
        let told = match self.told {
            Some((told, _)) if !news => told,
            _ => lines,
        };
        self.told = Some((told, now));
        news.then(|| {
            let so_far = count(lines, Label::LineOne, Label::LineMany, lang);
            Label::ListenHeadWaiting.fill(lang, &[&connection.to_string(), &so_far])
        })
    }
}

/// The whole lines of an unfinished head; `None` once its blank line has come.
fn head_lines(bytes: &[u8]) -> Option<usize> {
    let mut lines = 0;
    let mut rest = bytes;
    while let Some(lf) = rest.iter().position(|&b| b == b'\n') {
        let line = &rest[..lf];
        if line.is_empty() || line == b"\r" {
            return None;
        }
        lines += 1;
        rest = &rest[lf + 1..];
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::head_lines;

    #[test]
    fn lines_of_a_head_being_typed() {
        assert_eq!(head_lines(b""), Some(0));
        assert_eq!(head_lines(b"GET / HTTP/1.1"), Some(0));
        assert_eq!(head_lines(b"GET / HTTP/1.1\r\nHost: x\r\n"), Some(2));
        assert_eq!(head_lines(b"GET / HTTP/1.1\nHost: x\nAcc"), Some(2));
        assert_eq!(head_lines(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"), None);
        assert_eq!(head_lines(b"GET / HTTP/1.1\n\n"), None);
    }
}

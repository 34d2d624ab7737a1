//! HTTPie (`http -v`) and xh (`xh -v`) output: the request head, its body, then the
//! response head and body, printed without prefixes and with blank lines between them.
//! A line that reads like a start line begins a message; the lines after a head's blank
//! line, up to the next start line, are its body (the separating blank lines removed).

use super::origins::Origins;
use super::{detect::command_line, Dir, Event, TLine};
use crate::model::grammar::looks_like_start_line;

#[derive(Clone, Copy)]
enum State {
    Outside,
    Head(Dir),
    Body(Dir),
}

/// Read HTTPie or xh output into events.
pub(super) fn events<'a>(lines: impl Iterator<Item = TLine<'a>>) -> Vec<Event> {
    let mut out = Vec::new();
    let mut state = State::Outside;
    let mut body = Body::default();
    for (i, line) in lines.enumerate() {
        let text = line.text;
        let starts = looks_like_start_line(text);
        match state {
            State::Head(dir) => {
                out.push(Event::Head {
                    dir,
                    text: text.to_vec(),
                    ending: line.ending,
                    line: line.no,
                });
                if text.is_empty() {
                    state = State::Body(dir);
                }
            }
            State::Body(dir) if !starts => {
                if let Some(command) = command_line(text, false) {
                    flush(dir, &mut body, &mut out);
                    out.push(Event::Command(command));
                    state = State::Outside;
                } else {
                    body.push(&line);
                }
            }
            State::Body(_) | State::Outside if starts => {
                if let State::Body(dir) = state {
                    flush(dir, &mut body, &mut out);
                }
                let dir = if text.starts_with(b"HTTP/") {
                    Dir::In
                } else {
                    Dir::Out
                };
                out.push(Event::Head {
                    dir,
                    text: text.to_vec(),
                    ending: line.ending,
                    line: line.no,
                });
                state = State::Head(dir);
            }
            State::Body(_) | State::Outside => {
                if let Some(command) = command_line(text, i == 0) {
                    out.push(Event::Command(command));
                } else if !text.trim_ascii().is_empty() {
                    out.push(Event::Stray {
                        bytes: text.to_vec(),
                        at: line.offset,
                    });
                }
            }
        }
    }
    if let State::Body(dir) = state {
        flush(dir, &mut body, &mut out);
    }
    out
}

/// The lines of a body as they come; blank lines are held back until a line of text
/// follows, since the tool prints blank lines after a body.
#[derive(Default)]
struct Body {
    bytes: Vec<u8>,
    origins: Origins,
    /// Blank lines not yet known to be part of the body: the transcript line and offset
    /// of the first, and their bytes (their endings, as in the transcript).
    blanks: Option<(usize, usize)>,
    blank_bytes: Vec<u8>,
}

impl Body {
    fn push(&mut self, line: &TLine) {
        if line.text.is_empty() {
            self.blanks.get_or_insert((line.no, line.offset));
            line.with_ending(&mut self.blank_bytes);
            return;
        }
        if let Some((no, offset)) = self.blanks.take() {
            let mut start = 0;
            for (k, end) in (1..).zip(lf_ends(&self.blank_bytes)) {
                let at = self.bytes.len();
                self.origins
                    .push(&self.bytes, at, no + k - 1, offset + start);
                self.bytes.extend_from_slice(&self.blank_bytes[start..end]);
                start = end;
            }
            self.blank_bytes.clear();
        }
        self.origins
            .push(&self.bytes, self.bytes.len(), line.no, line.offset);
        line.with_ending(&mut self.bytes);
    }
}

/// Where each line of `bytes` ends (just past its LF).
fn lf_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

/// The body lines gathered, without the blank lines the tool prints after a body.
fn flush(dir: Dir, body: &mut Body, out: &mut Vec<Event>) {
    let body = std::mem::take(body);
    if body.origins.is_empty() {
        return;
    }
    out.push(Event::Body {
        dir,
        bytes: body.bytes,
        origins: body.origins,
        exact: false,
        caveat: None,
    });
}

//! HTTPie (`http -v`) and xh (`xh -v`) output: the request head, its body, then the
//! response head and body, printed without prefixes and with blank lines between them.
//! A line that reads like a start line begins a message; the lines after a head's blank
//! line, up to the next start line, are its body (the separating blank lines removed).

use super::{detect::command_line, Dir, Event, TLine};
use crate::model::grammar::looks_like_start_line;

#[derive(Clone, Copy)]
enum State {
    Outside,
    Head(Dir),
    Body(Dir),
}

/// Read HTTPie or xh output into events.
pub(super) fn events(lines: &[TLine]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut state = State::Outside;
    let mut body: Vec<&TLine> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
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
                    body.push(line);
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
                        line: line.no,
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

/// The body lines gathered, without the blank lines the tool prints after a body.
fn flush(dir: Dir, lines: &mut Vec<&TLine>, out: &mut Vec<Event>) {
    while lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        return;
    }
    let mut bytes = Vec::new();
    let mut origins = Vec::new();
    for line in lines.drain(..) {
        origins.push((bytes.len(), line.no));
        line.with_ending(&mut bytes);
    }
    out.push(Event::Body {
        dir,
        bytes,
        origins,
        exact: false,
        caveat: None,
    });
}

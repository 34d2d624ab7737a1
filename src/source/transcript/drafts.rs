//! Sorting a transcript's events into drafts: one per message, holding its head lines,
//! the body the tool showed or only counted, its notes and title words.

use super::shown::Shown;
use super::{Dir, Ending, Event};
use crate::model::grammar::looks_like_start_line;
use crate::model::Capture;

pub(super) struct HeadLine {
    pub text: Vec<u8>,
    pub ending: Ending,
    pub line: usize,
}

/// One message as the transcript shows it.
pub(super) struct Draft {
    pub dir: Dir,
    pub head: Vec<HeadLine>,
    pub done: bool,
    /// The head ended without its blank line (cut off, or a new message began).
    pub cut: bool,
    /// The blank line after a 1xx head was added (curl does not print it).
    pub interim: bool,
    pub shown: Option<Shown>,
    pub hidden_parts: Option<u64>,
    pub hidden_total: Option<u64>,
    pub notes: Vec<String>,
    pub title: Capture,
    /// What copying the transcript did to the head: (code, its words, head line).
    pub flags: Vec<(crate::model::Code, Vec<String>, usize)>,
}

pub(super) enum Gathered {
    Draft(Box<Draft>),
    /// Text of no message, and where it starts in the transcript.
    Stray {
        bytes: Vec<u8>,
        at: usize,
    },
}

fn last_draft(pieces: &mut [Gathered], dir: Dir) -> Option<&mut Draft> {
    pieces.iter_mut().rev().find_map(|p| match p {
        Gathered::Draft(d) if d.dir == dir => Some(&mut **d),
        _ => None,
    })
}

fn is_interim_status(text: &[u8]) -> bool {
    text.starts_with(b"HTTP/")
        && text
            .split(|&b| b == b' ')
            .nth(1)
            .is_some_and(|code| code.len() == 3 && code[0] == b'1')
}

/// Sort a transcript's events into drafts of messages and stray text, in order; also
/// whether any head line ended in CR (else a terminal took them away).
pub(super) fn gather(events: Vec<Event>) -> (Vec<Gathered>, bool) {
    let mut pieces: Vec<Gathered> = Vec::new();
    let mut pending_notes = Vec::new();
    let mut command: Option<String> = None;
    let mut connection: Option<String> = None;
    let mut saw_cr = false;
    for event in events {
        match event {
            Event::Command(c) => command = Some(c),
            Event::Connection(c) => connection = Some(c),
            Event::Note(text) => pending_notes.push(format!("* {text}")),
            Event::Stray { bytes, at } => pieces.push(Gathered::Stray { bytes, at }),
            Event::Flag { dir, code, args } => {
                if let Some(d) = last_draft(&mut pieces, dir) {
                    let line = d.head.len().saturating_sub(1);
                    d.flags.push((code, args, line));
                }
            }
            Event::Hidden { dir, bytes, total } => {
                if let Some(d) = last_draft(&mut pieces, dir) {
                    if total {
                        d.hidden_total = Some(bytes);
                    } else {
                        d.hidden_parts = Some(d.hidden_parts.unwrap_or(0).saturating_add(bytes));
                    }
                }
            }
            Event::Body {
                dir,
                bytes,
                origins,
                exact,
                caveat,
            } => match last_draft(&mut pieces, dir).filter(|d| d.done) {
                Some(d) => {
                    let shown = d.shown.get_or_insert_with(|| Shown {
                        exact: true,
                        ..Shown::default()
                    });
                    if shown.bytes.is_empty() && shown.origins.is_empty() {
                        // The first part: taken as it is, not copied.
                        shown.bytes = bytes;
                        shown.origins = origins;
                    } else {
                        let base = shown.bytes.len();
                        shown.bytes.extend_from_slice(&bytes);
                        shown.origins.append(origins, base);
                    }
                    shown.exact &= exact;
                    shown.caveat = shown.caveat.or(caveat);
                }
                None => pieces.push(Gathered::Stray {
                    bytes,
                    at: origins.first().map_or(0, |o| o.1),
                }),
            },
            Event::Head {
                dir,
                text,
                ending,
                line,
            } => {
                saw_cr |= matches!(ending, Ending::CrLf | Ending::CrCrLf);
                let starts = looks_like_start_line(&text);
                let open = last_draft(&mut pieces, dir).filter(|d| !d.done);
                let head_line = HeadLine { text, ending, line };
                match open {
                    Some(d) if head_line.text.is_empty() => {
                        d.head.push(head_line);
                        d.done = true;
                        continue;
                    }
                    Some(d) if starts => {
                        d.done = true;
                        if d.head.len() == 1 && is_interim_status(&d.head[0].text) {
                            d.interim = true;
                            let line = d.head[0].line;
                            d.head.push(HeadLine {
                                text: Vec::new(),
                                ending: Ending::CrLf,
                                line,
                            });
                        } else {
                            d.cut = true;
                        }
                    }
                    Some(d) => {
                        d.head.push(head_line);
                        continue;
                    }
                    None if head_line.text.is_empty() => continue,
                    None => {}
                }
                let title = Capture {
                    command: command.clone(),
                    connected: connection.clone(),
                    http2: false,
                };
                pieces.push(Gathered::Draft(Box::new(Draft {
                    dir,
                    head: vec![head_line],
                    done: false,
                    cut: false,
                    interim: false,
                    shown: None,
                    hidden_parts: None,
                    hidden_total: None,
                    notes: std::mem::take(&mut pending_notes),
                    title,
                    flags: Vec::new(),
                })));
            }
        }
    }
    if let Some(Gathered::Draft(d)) = pieces
        .iter_mut()
        .rev()
        .find(|p| matches!(p, Gathered::Draft(_)))
    {
        d.notes.append(&mut pending_notes);
    }
    (pieces, saw_cr)
}

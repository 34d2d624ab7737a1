//! Sorting a transcript's events into drafts: one per message, holding its head lines,
//! the body the tool showed or only counted, its notes and title words.

use super::origins::Origins;
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
    let mut g = Gatherer::default();
    for event in events {
        match event {
            Event::Command(c) => g.command = Some(c),
            Event::Connection(c) => g.connection = Some(c),
            Event::Note(text) => g.pending_notes.push(format!("* {text}")),
            Event::Stray { bytes, at } => g.pieces.push(Gathered::Stray { bytes, at }),
            Event::Flag { dir, code, args } => g.flag(dir, code, args),
            Event::Hidden { dir, bytes, total } => g.hidden(dir, bytes, total),
            Event::Body {
                dir,
                bytes,
                origins,
                exact,
                caveat,
            } => g.body(dir, bytes, origins, exact, caveat),
            Event::Head {
                dir,
                text,
                ending,
                line,
            } => g.head(dir, HeadLine { text, ending, line }),
        }
    }
    g.finish()
}

/// The drafts so far and what the next draft will take from the lines before it.
#[derive(Default)]
struct Gatherer {
    pieces: Vec<Gathered>,
    /// The tool's notes since the last head began, for the next message.
    pending_notes: Vec<String>,
    command: Option<String>,
    connection: Option<String>,
    saw_cr: bool,
}

impl Gatherer {
    /// A finding about the head line just read, for the last message that way.
    fn flag(&mut self, dir: Dir, code: crate::model::Code, args: Vec<String>) {
        if let Some(d) = last_draft(&mut self.pieces, dir) {
            let line = d.head.len().saturating_sub(1);
            d.flags.push((code, args, line));
        }
    }

    /// A count of body bytes the tool did not print, for the last message that way.
    fn hidden(&mut self, dir: Dir, bytes: u64, total: bool) {
        if let Some(d) = last_draft(&mut self.pieces, dir) {
            if total {
                d.hidden_total = Some(bytes);
            } else {
                d.hidden_parts = Some(d.hidden_parts.unwrap_or(0).saturating_add(bytes));
            }
        }
    }

    /// Body bytes belong to the last message that way whose head is complete; with none,
    /// they are stray text.
    fn body(
        &mut self,
        dir: Dir,
        bytes: Vec<u8>,
        origins: Origins,
        exact: bool,
        caveat: Option<crate::model::Code>,
    ) {
        let Some(d) = last_draft(&mut self.pieces, dir).filter(|d| d.done) else {
            let at = origins.first().map_or(0, |o| o.1);
            self.pieces.push(Gathered::Stray { bytes, at });
            return;
        };
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

    /// A head line continues the open head that way, ends it (the blank line), or begins
    /// a new message (a start line, which also closes a head left open).
    fn head(&mut self, dir: Dir, head_line: HeadLine) {
        self.saw_cr |= matches!(head_line.ending, Ending::CrLf | Ending::CrCrLf);
        let starts = looks_like_start_line(&head_line.text);
        match last_draft(&mut self.pieces, dir).filter(|d| !d.done) {
            Some(d) if head_line.text.is_empty() => {
                d.head.push(head_line);
                d.done = true;
                return;
            }
            Some(d) if starts => close_open_head(d),
            Some(d) => {
                d.head.push(head_line);
                return;
            }
            None if head_line.text.is_empty() => return,
            None => {}
        }
        self.begin(dir, head_line);
    }

    /// A new draft from its start line, titled with the command and connection so far.
    fn begin(&mut self, dir: Dir, head_line: HeadLine) {
        let title = Capture {
            command: self.command.clone(),
            connected: self.connection.clone(),
            http2: false,
        };
        self.pieces.push(Gathered::Draft(Box::new(Draft {
            dir,
            head: vec![head_line],
            done: false,
            cut: false,
            interim: false,
            shown: None,
            hidden_parts: None,
            hidden_total: None,
            notes: std::mem::take(&mut self.pending_notes),
            title,
            flags: Vec::new(),
        })));
    }

    /// Notes after the last message go with it.
    fn finish(mut self) -> (Vec<Gathered>, bool) {
        if let Some(Gathered::Draft(d)) = self
            .pieces
            .iter_mut()
            .rev()
            .find(|p| matches!(p, Gathered::Draft(_)))
        {
            d.notes.append(&mut self.pending_notes);
        }
        (self.pieces, self.saw_cr)
    }
}

/// A new start line came while a head was open: a lone 1xx status line gets the blank
/// line curl does not print; any other head was cut off.
fn close_open_head(d: &mut Draft) {
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

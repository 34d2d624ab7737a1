//! Long lines a terminal wrapped when the transcript was copied from it: a head line (or
//! the command) that filled the window's width, followed by rows without curl's `> `/`< `
//! marks. A head cannot hold plain text, so such rows are the rest of the line: joined
//! back when every row but the last is as wide as the first (the window's width), else
//! skipped and flagged with their line numbers, so the reader knows the head is cut.

use unicode_width::UnicodeWidthStr;

use super::{Dir, Event, TLine};
use crate::model::Code;

/// Narrower than this, a full first row is more likely a short line than a window's edge.
const MIN_WIDTH: usize = 40;

/// The last line that may go on in the next row: the event it became and its rows.
pub(super) struct Wrap {
    event: usize,
    /// Head lines only: which way the message goes.
    dir: Option<Dir>,
    line: usize,
    width: usize,
    last_row: usize,
}

/// How wide a transcript line was on the screen.
fn width(line: &TLine) -> usize {
    String::from_utf8_lossy(line.text).width()
}

impl Wrap {
    /// After `out`'s last event was made from `line`: a line that may be wrapped, if it is
    /// a head line with text or the command.
    pub fn after(out: &[Event], line: &TLine) -> Option<Wrap> {
        let dir = match out.last()? {
            Event::Head { dir, text, .. } if !text.is_empty() => Some(*dir),
            Event::Command(_) => None,
            _ => return None,
        };
        let width = width(line);
        Some(Wrap {
            event: out.len() - 1,
            dir,
            line: line.no,
            width,
            last_row: width,
        })
    }

    /// Take `line`, a row without curl's marks, as the rest of the wrapped line if it can
    /// be; in a head it is flagged (and skipped) if it cannot. False: not taken.
    pub fn take(&mut self, out: &mut Vec<Event>, line: &TLine) -> bool {
        let full = self.width >= MIN_WIDTH && self.last_row == self.width;
        if full {
            match &mut out[self.event] {
                Event::Head { text, ending, .. } => {
                    text.extend_from_slice(line.text);
                    *ending = line.ending;
                }
                Event::Command(command) => {
                    command.push_str(&String::from_utf8_lossy(line.text));
                    *command = command.trim_end().to_string();
                }
                _ => return false,
            }
            self.last_row = width(line);
            if let Some(dir) = self.dir {
                out.push(Event::Flag {
                    dir,
                    code: Code::TranscriptLineWrapped,
                    args: vec![
                        line.no.to_string(),
                        self.line.to_string(),
                        self.width.to_string(),
                    ],
                });
            }
            return true;
        }
        let Some(dir) = self.dir else {
            return false;
        };
        out.push(Event::Stray {
            bytes: line.text.to_vec(),
            at: line.offset,
        });
        out.push(Event::Flag {
            dir,
            code: Code::TranscriptTextInHead,
            args: vec![line.no.to_string(), self.line.to_string()],
        });
        true
    }
}

//! `curl -v` output: `> ` lines sent, `< ` lines received, `* ` notes, `{ [N bytes data]`
//! markers, the progress meter (glued to other lines by `\r`), `--trace-time` and
//! `[0-0]` prefixes, a shell prompt naming the command, and body text in between. Covers
//! the curl 7.x and 8.x formats.

use super::origins::Origins;
use super::wrapped::Wrap;
use super::{Dir, Ending, Event, TLine};

/// Read `curl -v` lines into events.
pub(super) fn events<'a>(lines: impl Iterator<Item = TLine<'a>>) -> Vec<Event> {
    let mut out = Vec::new();
    let mut block = Block::default();
    let mut seen_any = false;
    let mut wrap: Option<Wrap> = None;
    for line in lines {
        let line = &line;
        let Some(text) = strip_progress(line.text) else {
            continue;
        };
        let text = strip_prefixes(text);
        if let Some(marked) = marked_line(text) {
            block.flush(&mut out);
            marked.push_to(&mut out, line);
            wrap = Wrap::after(&out, line);
            seen_any = true;
            continue;
        }
        if let Some(command) = super::detect::command_line(text, !seen_any) {
            block.flush(&mut out);
            out.push(Event::Command(command));
            wrap = Wrap::after(&out, line);
            seen_any = true;
            continue;
        }
        if !text.is_empty() && wrap.as_mut().is_some_and(|w| w.take(&mut out, line)) {
            continue;
        }
        wrap = None;
        // Body text without a final newline runs into curl's next note.
        if let Some(at) = glued_note(text) {
            block.push(&text[..at], Ending::None, line);
            block.flush(&mut out);
            if let Some(marked) = marked_line(&text[at..]) {
                marked.push_to(&mut out, line);
            }
            continue;
        }
        seen_any |= !text.is_empty();
        block.push(text, line.ending, line);
    }
    block.flush(&mut out);
    out
}

/// Consecutive lines of plain text: a body curl wrote to the same output.
#[derive(Default)]
struct Block {
    bytes: Vec<u8>,
    origins: Origins,
}

impl Block {
    /// `text`, the part of transcript line `line` that is body, with `ending`.
    fn push(&mut self, text: &[u8], ending: Ending, line: &TLine) {
        let offset = self.bytes.len();
        self.origins.push(&self.bytes, offset, line.no, line.offset);
        TLine {
            text,
            ending,
            ..*line
        }
        .with_ending(&mut self.bytes);
    }

    fn flush(&mut self, out: &mut Vec<Event>) {
        if self.origins.is_empty() {
            return;
        }
        let block = std::mem::take(self);
        out.push(Event::Body {
            dir: Dir::In,
            bytes: block.bytes,
            origins: block.origins,
            exact: false,
            caveat: None,
        });
    }
}

/// A line curl marked as its own: head lines, notes, data markers.
enum Marked<'a> {
    Head(Dir, &'a [u8]),
    Note(&'a [u8]),
    Data(Dir, u64),
}

impl Marked<'_> {
    fn push_to(self, out: &mut Vec<Event>, line: &TLine) {
        match self {
            Marked::Head(dir, text) => out.push(Event::Head {
                dir,
                text: text.to_vec(),
                ending: line.ending,
                line: line.no,
            }),
            Marked::Data(dir, bytes) => out.push(Event::Hidden {
                dir,
                bytes,
                total: false,
            }),
            Marked::Note(text) => note_events(text, out),
        }
    }
}

fn marked_line(text: &[u8]) -> Option<Marked<'_>> {
    fn head(rest: &[u8]) -> &[u8] {
        rest.strip_prefix(b" ").unwrap_or(rest)
    }
    match text {
        [b'>', rest @ ..] if rest.is_empty() || rest[0] == b' ' => {
            Some(Marked::Head(Dir::Out, head(rest)))
        }
        [b'<', rest @ ..] if rest.is_empty() || rest[0] == b' ' => {
            Some(Marked::Head(Dir::In, head(rest)))
        }
        [b'*', rest @ ..] if rest.is_empty() || rest[0] == b' ' => {
            Some(Marked::Note(rest.trim_ascii()))
        }
        [b @ (b'{' | b'}'), b' ', b'[', rest @ ..] => {
            let dir = if *b == b'{' { Dir::In } else { Dir::Out };
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if rest[digits..].starts_with(b" bytes data]") {
                Some(Marked::Data(dir, parse_u64(&rest[..digits])?))
            } else if rest.starts_with(b"data not shown]") {
                Some(Marked::Note(text))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn parse_u64(digits: &[u8]) -> Option<u64> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// A curl note; some also say where the connection goes or how much was uploaded.
pub(super) fn note_events(text: &[u8], out: &mut Vec<Event>) {
    let note = String::from_utf8_lossy(text).into_owned();
    if let Some(rest) = note.strip_prefix("Connected to ") {
        out.push(Event::Connection(rest.to_string()));
    }
    // 7.x: "upload completely sent off: 8 out of 8 bytes"; 8.x: "...: 8 bytes".
    if let Some(rest) = note.strip_prefix("upload completely sent off: ") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(bytes) = digits.parse() {
            out.push(Event::Hidden {
                dir: Dir::Out,
                bytes,
                total: true,
            });
        }
    }
    out.push(Event::Note(note));
}

/// Where a note of curl starts inside a line of body text, if one does.
fn glued_note(text: &[u8]) -> Option<usize> {
    const NOTES: [&[u8]; 3] = [
        b"* Connection #",
        b"* Closing connection",
        b"* shutting down connection",
    ];
    NOTES
        .iter()
        .filter_map(|n| text.windows(n.len()).position(|w| w == *n))
        .filter(|&at| at > 0)
        .min()
}

/// Drop `--trace-time` stamps (`19:29:09.198776 `) and 8.x transfer ids (`[0-0] `) in
/// front of curl's own lines; body text is left alone.
pub(super) fn strip_prefixes(text: &[u8]) -> &[u8] {
    let mut rest = text;
    if rest.len() > 9 && is_time(&rest[..8]) {
        let after = rest[8..]
            .strip_prefix(b".")
            .map(|r| &r[r.iter().take_while(|b| b.is_ascii_digit()).count()..])
            .unwrap_or(&rest[8..]);
        if let Some(after) = after.strip_prefix(b" ") {
            rest = after;
        }
    }
    if let Some(after) = rest.strip_prefix(b"[") {
        let close = after.iter().position(|&b| b == b']');
        if let Some(close) = close {
            let id = &after[..close];
            let is_id = !id.is_empty() && id.iter().all(|&b| b.is_ascii_digit() || b == b'-');
            if is_id && after[close + 1..].starts_with(b" ") {
                rest = &after[close + 2..];
            }
        }
    }
    let ours = matches!(rest.first(), Some(b'>' | b'<' | b'*' | b'{' | b'}' | b'='));
    if ours {
        rest
    } else {
        text
    }
}

fn is_time(t: &[u8]) -> bool {
    t.len() == 8
        && t.iter().enumerate().all(|(i, b)| {
            if i == 2 || i == 5 {
                *b == b':'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Remove the progress meter: its two heading lines, and the `\r`-led rows that can be
/// glued to the front of the next line. `None` when nothing else is left on the line.
pub(super) fn strip_progress(text: &[u8]) -> Option<&[u8]> {
    let trimmed = text.trim_ascii_start();
    if (trimmed.starts_with(b"% Total") && contains(trimmed, b"% Received"))
        || (trimmed.starts_with(b"Dload") && contains(trimmed, b"Upload"))
    {
        return None;
    }
    let mut rest = text;
    let mut stripped = false;
    while let Some(after) = rest.strip_prefix(b"\r") {
        stripped = true;
        rest = match progress_row_len(after) {
            Some(n) => &after[n..],
            None => after,
        };
    }
    if stripped && rest.is_empty() {
        None
    } else {
        Some(rest)
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The length of a progress row at the front of `text`: twelve fields, sizes and
/// percentages, three times (`--:--:--`), then the current speed.
fn progress_row_len(text: &[u8]) -> Option<usize> {
    let mut pos = 0;
    let field = |pos: &mut usize, ok: &dyn Fn(u8) -> bool| -> Option<()> {
        while text.get(*pos) == Some(&b' ') {
            *pos += 1;
        }
        let start = *pos;
        while text.get(*pos).is_some_and(|&b| ok(b)) {
            *pos += 1;
        }
        (*pos > start).then_some(())
    };
    let size = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'k' | b'M' | b'G' | b'T' | b'P');
    let time = |b: u8| b.is_ascii_digit() || matches!(b, b':' | b'-' | b'd' | b'h' | b'm' | b's');
    for _ in 0..8 {
        field(&mut pos, &size)?;
    }
    for _ in 0..3 {
        field(&mut pos, &time)?;
    }
    field(&mut pos, &size)?;
    Some(pos)
}

//! `curl --trace-ascii FILE` and `curl --trace FILE`: blocks such as `=> Send header, 78
//! bytes (0x4e)` followed by rows `0000: GET / HTTP/1.1` (or hex dumps), and `== Info:`
//! notes. Unlike `-v`, a trace holds the bodies, so the wire bytes can be rebuilt from
//! the rows' offsets: a gap of two bytes between rows is the CRLF curl did not print.

use super::curl::{note_events, strip_prefixes};
use super::origins::{LineOf, Origins};
use super::{Dir, Ending, Event, TLine};
use crate::model::Code;

/// The note for a `--trace-ascii` body with dots: any of them may stand for another byte.
const DOTS: Code = Code::TranscriptDots;

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Header,
    Data,
    /// TLS records: not HTTP, skipped.
    Ssl,
}

/// Read a trace into events.
pub(super) fn events<'a>(lines: impl Iterator<Item = TLine<'a>>) -> Vec<Event> {
    let mut out = Vec::new();
    let mut lines = lines.peekable();
    while let Some(line) = lines.next() {
        let text = strip_prefixes(line.text);
        if let Some(note) = text.strip_prefix(b"== Info:") {
            note_events(note.trim_ascii(), &mut out);
            continue;
        }
        let Some((dir, kind, size)) = block_start(text) else {
            if !text.trim_ascii().is_empty() {
                out.push(Event::Stray {
                    bytes: line.text.to_vec(),
                    at: line.offset,
                });
            }
            continue;
        };
        let mut rows = Vec::new();
        while let Some(row) = lines.next_if(|l| parse_row(l.text).is_some()) {
            if let Some((offset, content)) = parse_row(row.text) {
                rows.push((offset, content, row.no, row.offset));
            }
        }
        let hex = is_hex_block(&rows, size);
        let (bytes, origins) = assemble(&rows, size, hex);
        match kind {
            BlockKind::Ssl => {}
            BlockKind::Header => head_events(dir, &bytes, &origins, line.no, &mut out),
            BlockKind::Data => {
                let caveat = (!hex && bytes.contains(&b'.')).then_some(DOTS);
                out.push(Event::Body {
                    dir,
                    bytes,
                    origins,
                    exact: true,
                    caveat,
                });
            }
        }
    }
    out
}

/// `=> Send header, 78 bytes (0x4e)` and its kin.
fn block_start(text: &[u8]) -> Option<(Dir, BlockKind, usize)> {
    let s = std::str::from_utf8(text).ok()?;
    let (dir, rest) = if let Some(rest) = s.strip_prefix("=> Send ") {
        (Dir::Out, rest)
    } else {
        (Dir::In, s.strip_prefix("<= Recv ")?)
    };
    let (what, rest) = rest.split_once(", ")?;
    let kind = match what {
        "header" => BlockKind::Header,
        "data" => BlockKind::Data,
        "SSL data" => BlockKind::Ssl,
        _ => return None,
    };
    let size = rest.split(' ').next()?.parse().ok()?;
    Some((dir, kind, size))
}

/// `0015: Host: 127.0.0.1` -> (0x15, "Host: 127.0.0.1").
fn parse_row(text: &[u8]) -> Option<(usize, &[u8])> {
    let colon = text.iter().position(|&b| b == b':')?;
    let digits = &text[..colon];
    if digits.len() < 4 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let offset = usize::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    let rest = &text[colon + 1..];
    Some((offset, rest.strip_prefix(b" ").unwrap_or(rest)))
}

/// A row: its offset in the block, its text, its transcript line and where that starts.
type Row<'a> = (usize, &'a [u8], usize, usize);

fn hex_pairs(content: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for k in 0..16 {
        let Some(pair) = content.get(3 * k..3 * k + 2) else {
            break;
        };
        let sep = content.get(3 * k + 2).copied().unwrap_or(b' ');
        match std::str::from_utf8(pair)
            .ok()
            .and_then(|p| u8::from_str_radix(p, 16).ok())
        {
            Some(b) if sep == b' ' && pair.iter().all(u8::is_ascii_hexdigit) => bytes.push(b),
            _ => break,
        }
    }
    bytes
}

/// `--trace` rows hold sixteen hex pairs (fewer in the last row) before the text.
fn is_hex_block(rows: &[Row], size: usize) -> bool {
    rows.first()
        .is_some_and(|(_, content, _, _)| hex_pairs(content).len() == size.min(16) && size > 0)
}

/// The block's bytes, and for each row where its bytes start and which line it was.
/// The declared `size` and the rows' offsets are claims of the file: they only decide
/// whether a line ending curl did not print goes between rows, never how much to hold.
fn assemble(rows: &[Row], size: usize, hex: bool) -> (Vec<u8>, Origins) {
    let present: usize = rows
        .iter()
        .map(|(_, content, _, _)| content.len() + 2)
        .sum();
    let mut bytes = Vec::with_capacity(size.min(present));
    let mut origins = Origins::default();
    for (k, (offset, content, no, at)) in rows.iter().enumerate() {
        origins.push(&bytes, bytes.len(), *no, *at);
        if hex {
            bytes.extend(hex_pairs(content));
            continue;
        }
        bytes.extend_from_slice(content);
        let next = rows.get(k + 1).map_or(size, |r| r.0);
        match next.saturating_sub(offset.saturating_add(content.len())) {
            2 => bytes.extend_from_slice(b"\r\n"),
            1 => bytes.push(b'\n'),
            _ => {}
        }
    }
    (bytes, origins)
}

/// A header block as head lines: one line per LF.
fn head_events(dir: Dir, bytes: &[u8], origins: &Origins, block_line: usize, out: &mut Vec<Event>) {
    let mut rows = LineOf::new(origins, bytes);
    let mut line_at = |at: usize| rows.line(at).unwrap_or(block_line);
    let mut pos = 0;
    while pos < bytes.len() {
        let (end, next, ending) = match bytes[pos..].iter().position(|&b| b == b'\n') {
            Some(lf) if lf > 0 && bytes[pos + lf - 1] == b'\r' => {
                (pos + lf - 1, pos + lf + 1, Ending::CrLf)
            }
            Some(lf) => (pos + lf, pos + lf + 1, Ending::Lf),
            None => (bytes.len(), bytes.len(), Ending::None),
        };
        out.push(Event::Head {
            dir,
            text: bytes[pos..end].to_vec(),
            ending,
            line: line_at(pos),
        });
        pos = next;
    }
}

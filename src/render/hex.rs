//! The packet view: a message's bytes as offset | hex | ASCII rows of up to 16 bytes, like
//! `xxd` (offsets in decimal, as in the tables), except that every line of the message starts a new row, so students see that a
//! "line" is just bytes ending in `0d 0a`, and which part each byte belongs to.

use std::fmt::Write as _;
use std::io::{self, Write};

use owo_colors::Style;

use super::paint::paint;
use super::rich::{str_width, Rich, Tone};
use super::wrap::write_wrapped;
use super::{RenderOptions, Theme};
use crate::explain::{part_label, Label};
use crate::model::{Lines, Part, StartLine};

/// Bytes in a row, as in `xxd`, when the width has room for them.
pub const PER_ROW: usize = 16;

/// Columns of the offset field: eight, more for offsets of more digits.
fn offset_width(last_offset: usize) -> usize {
    last_offset.to_string().len().max(8)
}

/// Columns a row of `n` bytes takes before its line label: offset, hex pairs, ASCII.
fn row_width(offset_width: usize, n: usize) -> usize {
    offset_width + 2 + (3 * n - 1) + 2 + n
}

/// Bytes per row for a view `width` columns wide: 16 as in `xxd` (75 columns), else
/// 8 or, narrower still, 4 (27 columns, within the smallest `--width`).
fn per_row(width: usize, offset_width: usize) -> usize {
    [PER_ROW, 8]
        .into_iter()
        .find(|&n| row_width(offset_width, n) <= width)
        .unwrap_or(4)
}

/// The style of a part's bytes.
fn part_style(theme: &Theme, part: Part) -> Style {
    match part {
        Part::StartLine => theme.method,
        Part::Header => theme.header_name,
        Part::BlankLine => theme.blank_line,
        Part::Body => theme.body,
        Part::ChunkSize => theme.chunk,
        Part::Trailer => theme.trailer,
    }
}

/// The ASCII column's character for a byte: CR and LF as control pictures, other
/// non-printable bytes as `.`.
pub fn ascii(b: u8) -> char {
    match b {
        b'\r' => '␍',
        b'\n' => '␊',
        0x20..=0x7e => b as char,
        _ => '.',
    }
}

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let mut s = text.to_string();
    for _ in str_width(text)..width {
        s.push(' ');
    }
    s
}

/// The bytes of a message or fragment: `raw`, the offset of its first byte in the input,
/// and its lines.
pub type View<'a> = (&'a [u8], usize, &'a Lines);

/// One row of the packet view: up to 16 bytes of one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HexRow<'a> {
    /// Offset of the first byte in the input.
    pub offset: usize,
    pub bytes: &'a [u8],
    pub part: Part,
    /// The line's number, on the first row of each line.
    pub line: Option<usize>,
}

/// The rows of the packet view, `per_row` bytes at most, and, when `--max-body-lines`
/// cut it short, where the bytes not shown start and how many there are.
pub fn hex_rows<'a>(
    (raw, base, lines): View<'a>,
    max_body_rows: usize,
    per_row: usize,
) -> (Vec<HexRow<'a>>, Option<(usize, usize)>) {
    let mut rows = Vec::new();
    let mut body_rows = 0;
    let mut blank_seen = false;
    for (no, line) in lines.iter(raw).enumerate() {
        let bytes = &raw[line.start..line.end()];
        let in_body = matches!(line.part, Part::Body | Part::ChunkSize | Part::Trailer)
            || (line.part == Part::BlankLine && blank_seen);
        blank_seen |= line.part == Part::BlankLine;
        for (i, row) in bytes.chunks(per_row).enumerate() {
            let start = line.start + i * per_row;
            if in_body {
                if body_rows == max_body_rows {
                    let rest = raw.len().min(lines.end()) - start;
                    return (rows, Some((base + start, rest)));
                }
                body_rows += 1;
            }
            rows.push(HexRow {
                offset: base + start,
                bytes: row,
                part: line.part,
                line: (i == 0).then_some(no),
            });
        }
    }
    (rows, None)
}

/// Write the packet view of `lines` over `raw` (whose first byte is at `base` in the
/// input; `start` names the start line's kind). At most `--max-body-lines` rows of body
/// bytes are shown.
pub fn write_hex(
    out: &mut impl Write,
    view: View<'_>,
    start: Option<&StartLine>,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let lang = opts.lang;
    let mut text = String::new();
    let width = usize::from(opts.width);
    let off_w = offset_width(view.1 + view.0.len());
    let n = per_row(width, off_w);
    // The line label gets what offset, hex and ASCII leave of --width.
    let room = width.saturating_sub(row_width(off_w, n) + 2);
    let fit = |label: String, short: String| -> Option<String> {
        [label, short].into_iter().find(|l| str_width(l) <= room)
    };
    let mut heading = format!(
        "{}  {}  {}",
        pad(Label::HexOffset.text(lang), off_w),
        pad(Label::HexBytes.text(lang), 3 * n - 1),
        pad(Label::HexAscii.text(lang), n),
    );
    if let Some(line) = fit(Label::HexLine.text(lang).to_string(), String::new()) {
        heading.push_str("  ");
        heading.push_str(&line);
    }
    let heading = heading.trim_end().to_string();
    let _ = writeln!(text, "{}", paint(theme.dim, &heading));
    let (rows, more) = hex_rows(view, opts.max_body_lines, n);
    for row in rows {
        let style = part_style(theme, row.part);
        // Decimal, like the table's offset column and the errors' "byte N".
        let _ = write!(text, "{:>off_w$}  ", row.offset);
        for (j, b) in row.bytes.iter().enumerate() {
            if j > 0 {
                text.push(' ');
            }
            let hex = format!("{b:02x}");
            let byte_style = if matches!(b, b'\r' | b'\n') {
                theme.dim
            } else {
                style
            };
            text.push_str(&paint(byte_style, &hex));
        }
        for _ in row.bytes.len()..n {
            text.push_str("   ");
        }
        text.push_str("  ");
        let shown: String = row.bytes.iter().map(|&b| ascii(b)).collect();
        text.push_str(&paint(style, &shown));
        let label = row.line.and_then(|no| {
            let full = format!("#{no} {}", part_label(row.part, start).text(lang));
            fit(full, format!("#{no}"))
        });
        if let Some(label) = label {
            for _ in row.bytes.len()..n {
                text.push(' ');
            }
            let _ = write!(text, "  {}", paint(theme.part_label, &label));
        }
        text.push('\n');
    }
    if let Some((offset, rest)) = more {
        let note = Label::HexMoreBytes.fill(lang, &[&rest.to_string()]);
        let mut line = Rich::new();
        line.push(Tone::Dim, format!("{offset:>off_w$}  {note}"));
        write_wrapped(&mut text, &line, width, off_w + 2, theme);
    }
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;
    use crate::source::reader::parse_all;
    use crate::wire::ParseOptions;

    #[test]
    fn every_line_starts_a_row_and_crlf_shows() {
        let items = parse_all(
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            ParseOptions::default(),
        );
        let Item::Message(m) = &items[0] else {
            panic!()
        };
        let mut out = Vec::new();
        let opts = RenderOptions::default();
        let view = (&m.raw[..], m.offset, &m.lines);
        write_hex(&mut out, view, Some(&m.start), &Theme::plain(), &opts).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), 3, "{text}");
        assert!(rows[0].starts_with("       0  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1␍␊  #0 request line"), "{text}");
        assert!(
            rows[1].starts_with("      16  48 6f 73 74 3a 20 61 0d 0a"),
            "{text}"
        );
        assert!(
            rows[2].contains("0d 0a") && rows[2].ends_with("#2 blank line"),
            "{text}"
        );
    }
}

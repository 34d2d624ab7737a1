//! The packet view: a message's bytes as offset | hex | ASCII rows of up to 16 bytes, like
//! `xxd` (offsets in decimal, as in the tables), except that every line of the message starts a new row, so students see that a
//! "line" is just bytes ending in `0d 0a`, and which part each byte belongs to.

use std::fmt::Write as _;
use std::io::{self, Write};

use owo_colors::Style;

use super::grid::str_width;
use super::paint::paint;
use super::{RenderOptions, Theme};
use crate::explain::{part_label, Label};
use crate::message::{Line, Part, StartLine};

const PER_ROW: usize = 16;

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
fn ascii(b: u8) -> char {
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

/// Write the packet view of `lines` over `raw` (whose first byte is at `base` in the
/// input; `start` names the start line's kind). At most `--max-body-lines` rows of body
/// bytes are shown.
pub fn write_hex(
    out: &mut impl Write,
    (raw, base, lines): (&[u8], usize, &[Line]),
    start: Option<&StartLine>,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let (lang, max_body_rows) = (opts.lang, opts.max_body_lines);
    let mut text = String::new();
    let heading = format!(
        "{}  {}  {}  {}",
        pad(Label::HexOffset.text(lang), 8),
        pad(Label::HexBytes.text(lang), 47),
        pad(Label::HexAscii.text(lang), 16),
        Label::HexLine.text(lang)
    );
    let _ = writeln!(text, "{}", paint(theme.dim, &heading));
    let mut body_rows = 0;
    for (no, line) in lines.iter().enumerate() {
        let style = part_style(theme, line.part);
        let bytes = &raw[line.start..line.end()];
        let in_body = matches!(line.part, Part::Body | Part::ChunkSize | Part::Trailer)
            || (line.part == Part::BlankLine
                && lines[..no].iter().any(|l| l.part == Part::BlankLine));
        for (i, row) in bytes.chunks(PER_ROW).enumerate() {
            if in_body {
                if body_rows == max_body_rows {
                    let start = line.start + i * PER_ROW;
                    let rest = raw.len().min(lines.last().map_or(0, Line::end)) - start;
                    let note = Label::HexMoreBytes.fill(lang, &[&rest.to_string()]);
                    let _ = writeln!(text, "{:>8}  {}", base + start, paint(theme.dim, &note));
                    out.write_all(text.as_bytes())?;
                    return Ok(());
                }
                body_rows += 1;
            }
            let offset = base + line.start + i * PER_ROW;
            // Decimal, like the table's offset column and the errors' "byte N".
            let _ = write!(text, "{offset:>8}  ");
            for (j, b) in row.iter().enumerate() {
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
            for _ in row.len()..PER_ROW {
                text.push_str("   ");
            }
            text.push_str("  ");
            let shown: String = row.iter().map(|&b| ascii(b)).collect();
            text.push_str(&paint(style, &shown));
            if i == 0 {
                for _ in row.len()..PER_ROW {
                    text.push(' ');
                }
                let _ = write!(
                    text,
                    "  {}",
                    paint(
                        theme.part_label,
                        &format!("#{no} {}", part_label(line.part, start).text(lang))
                    )
                );
            }
            text.push('\n');
        }
    }
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{parse_all, Item};
    use crate::parse::ParseOptions;

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
        let view = (&m.raw[..], m.offset, &m.lines[..]);
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

//! Painting text for a terminal: untrusted bytes made visible (escapes styled apart),
//! line-ending marks, and small word helpers shared by the table and packet views.

use owo_colors::Style;

use super::escape::{for_each_piece, Piece};
use super::Theme;
use crate::explain::{Label, Lang};
use crate::model::LineEnding;

/// `text` in `style`, or as it is when the style is plain.
pub fn paint(style: Style, text: &str) -> String {
    if style.is_plain() || text.is_empty() {
        text.to_string()
    } else {
        style.style(text).to_string()
    }
}

/// What to say after text cut to `max` bytes: how many bytes were left out.
pub fn cut_note(len: usize, max: usize, lang: Lang) -> String {
    Label::CutBytes.fill(lang, &[&(len - max).to_string()])
}

/// Untrusted bytes as one safe string (for titles and notes).
pub fn paint_bytes(out: &mut String, bytes: &[u8], style: Style, theme: &Theme) {
    for_each_piece(bytes, |piece| match piece {
        Piece::Text(t) => out.push_str(&paint(style, t)),
        Piece::Escape(e) => out.push_str(&paint(theme.escape, &e)),
    });
}

/// Like [`paint_bytes`], cut to at most `max` bytes with a note of what was left.
pub fn paint_cut(
    out: &mut String,
    bytes: &[u8],
    style: Style,
    theme: &Theme,
    (max, lang): (usize, Lang),
) {
    if bytes.len() > max {
        paint_bytes(out, &bytes[..max], style, theme);
        out.push_str(&paint(theme.dim, &cut_note(bytes.len(), max, lang)));
    } else {
        paint_bytes(out, bytes, style, theme);
    }
}

/// The visible mark for a line ending.
pub fn ending_mark(ending: LineEnding) -> &'static str {
    match ending {
        LineEnding::CrLf => "␍␊",
        LineEnding::Lf => "␊",
        LineEnding::None => "",
    }
}

/// Join parts with " · ", starting a new line where the next part would pass `width`.
pub fn join_wrapped(parts: &[String], width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for part in parts {
        let w = unicode_width::UnicodeWidthStr::width(part.as_str());
        if col > 0 && col + 3 + w > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push_str(" · ");
            col += 3;
        }
        if w <= width {
            out.push_str(part);
            col += w;
            continue;
        }
        // A part wider than the whole width (a narrow --width) is broken like a cell;
        // it starts a line of its own (col is 0 here).
        let cell = super::rich::Rich::text(part.as_str());
        for (i, line) in super::wrap::wrap(&cell, width).iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let text: String = line.iter().map(|(_, t)| *t).collect();
            let text = text.trim_end_matches(' ');
            out.push_str(text);
            col = unicode_width::UnicodeWidthStr::width(text);
        }
    }
    out
}

/// "1 line", "3 lines": a count with the label for one or for many.
pub fn count(n: usize, one: Label, many: Label, lang: Lang) -> String {
    let label = if n == 1 { one } else { many };
    label.fill(lang, &[&n.to_string()])
}

//! Breaking styled text into lines by display width (CJK characters take two columns),
//! for table cells and for the lines around a table (titles, diagnostics, errors).

use unicode_width::UnicodeWidthChar;

use super::rich::{str_width, Rich, Tone};
use super::Theme;

/// Styled text outside a table (titles, diagnostics, errors), wrapped to `width` columns;
/// lines after the first are indented by `indent` columns. Each line ends in `\n`.
pub fn write_wrapped(
    out: &mut String,
    cell: &Rich<'_>,
    width: usize,
    indent: usize,
    theme: &Theme,
) {
    for (i, line) in wrap(cell, width.saturating_sub(indent))
        .iter_mut()
        .enumerate()
    {
        if i > 0 {
            push_spaces(out, indent);
        }
        // The space where a line was broken is not shown.
        if let Some((_, last)) = line.last_mut() {
            *last = last.trim_end_matches(' ');
        }
        push_runs(out, line, theme);
        out.push('\n');
    }
}

/// Runs of safe text, each in its tone's style.
pub(super) fn push_runs(out: &mut String, runs: &[(Tone, &str)], theme: &Theme) {
    for &(tone, text) in runs {
        theme.paint(out, tone, text);
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
        out.push_str(part);
        col += w;
    }
    out
}

pub(super) fn push_spaces(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Break a cell into lines of at most `width` columns, preferring to break after a space.
pub(super) fn wrap<'c>(cell: &'c Rich<'_>, width: usize) -> Vec<Vec<(Tone, &'c str)>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<(Tone, &'c str)>> = vec![Vec::new()];
    let mut used = 0;
    for span in &cell.runs {
        let text: &str = &span.text;
        if used + str_width(text) <= width {
            lines.last_mut().expect("one line").push((span.tone, text));
            used += str_width(text);
            continue;
        }
        // Split the span into words (each with its trailing spaces) and place them.
        for word in text.split_inclusive(' ') {
            let w = str_width(word);
            let bare = word.trim_end_matches(' ');
            if used + w > width && used + str_width(bare) <= width && !bare.is_empty() {
                // The word fits without its trailing spaces: they become the line break.
                lines.last_mut().expect("one line").push((span.tone, bare));
                lines.push(Vec::new());
                used = 0;
                continue;
            }
            if used + w > width && used > 0 && w <= width {
                lines.push(Vec::new());
                used = 0;
            }
            let mut rest = word;
            while !rest.is_empty() {
                let room = width - used;
                let (head, tail) = split_at_width(rest, room);
                if head.is_empty() {
                    lines.push(Vec::new());
                    used = 0;
                    continue;
                }
                lines.last_mut().expect("one line").push((span.tone, head));
                used += str_width(head);
                rest = tail;
                if !rest.is_empty() {
                    lines.push(Vec::new());
                    used = 0;
                }
            }
        }
    }
    while lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

/// The longest prefix of `s` that fits in `room` columns, and the rest.
fn split_at_width(s: &str, room: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            return s.split_at(i);
        }
        used += w;
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_counts_wide_characters() {
        let cell = Rich::text("起始行 start line");
        let lines = wrap(&cell, 8);
        let shown: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| *t).collect())
            .collect();
        assert_eq!(shown, ["起始行 ", "start ", "line"]);
        for line in &shown {
            assert!(str_width(line) <= 8);
        }
    }

    #[test]
    fn long_words_are_broken() {
        let cell = Rich::text("abcdefghij");
        let lines = wrap(&cell, 4);
        assert_eq!(lines.len(), 3);
    }
}

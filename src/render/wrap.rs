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

/// Safe text in parts joined with " · ", in one tone, at most `width` columns a line.
/// When they do not all fit on one line, the first part stands alone on the first line;
/// a part that does not fit on a line starts the next one (indented by `indent`), and
/// only a part wider than a whole line is broken inside, between words.
pub fn write_parts(
    out: &mut String,
    parts: &[String],
    tone: Tone,
    (width, indent): (usize, usize),
    theme: &Theme,
) {
    let room = width.saturating_sub(indent).max(MIN_WIDTH);
    let whole: usize = parts.iter().map(|p| str_width(p) + 3).sum::<usize>();
    let mut lines: Vec<String> = vec![String::new()];
    for (n, part) in parts.iter().enumerate() {
        if n == 1 && whole - 3 > width {
            lines.push(String::new());
        }
        let limit = if lines.len() == 1 { width } else { room };
        let line = lines.last_mut().expect("one line");
        let used = str_width(line);
        if used == 0 || used + 3 + str_width(part) > limit {
            if used > 0 {
                lines.push(String::new());
            }
            let cell = Rich::text(part.as_str());
            let wrapped = wrap(&cell, room);
            for (i, runs) in wrapped.iter().enumerate() {
                if i > 0 {
                    lines.push(String::new());
                }
                let text: String = runs.iter().map(|(_, t)| *t).collect();
                lines
                    .last_mut()
                    .expect("one line")
                    .push_str(text.trim_end());
            }
        } else {
            line.push_str(" · ");
            line.push_str(part);
        }
    }
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            push_spaces(out, indent);
        }
        theme.paint(out, tone, line);
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
        if w <= width {
            out.push_str(part);
            col += w;
            continue;
        }
        // A part wider than the whole width (a narrow --width) is broken like a cell;
        // it starts a line of its own (col is 0 here).
        let cell = Rich::text(part.as_str());
        for (i, line) in wrap(&cell, width).iter().enumerate() {
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

pub(super) fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let take = left.min(SPACES.len());
        out.push_str(&SPACES[..take]);
        left -= take;
    }
}

/// The narrowest line [`wrap`] makes: the widest character (CJK) takes two columns, so
/// a narrower line could hold no character at all.
pub(super) const MIN_WIDTH: usize = 2;

/// Break a cell into lines of at most `width` columns (at least [`MIN_WIDTH`]),
/// preferring to break after a space; the spaces a line breaks at are not kept.
pub(super) fn wrap<'c>(cell: &'c Rich<'_>, width: usize) -> Vec<Vec<(Tone, &'c str)>> {
    wrap_after(cell, width, &[' '])
}

/// [`wrap`], preferring to break after any of `breaks` (a header name breaks after a
/// `-`). A line ending is never left alone at the start of a line: the character
/// before it comes along.
pub(super) fn wrap_after<'c>(
    cell: &'c Rich<'_>,
    width: usize,
    breaks: &[char],
) -> Vec<Vec<(Tone, &'c str)>> {
    let mut lines = Lines {
        width: width.max(MIN_WIDTH),
        done: vec![Vec::new()],
        used: 0,
    };
    for run in &cell.runs {
        let text: &str = &run.text;
        if lines.used + str_width(text) <= lines.width {
            lines.push(run.tone, text);
            continue;
        }
        if run.tone == Tone::Ending && lines.carry_last_char(run.tone, text) {
            continue;
        }
        for word in text.split_inclusive(breaks) {
            lines.place_word(run.tone, word);
        }
    }
    let mut done = lines.done;
    while done.len() > 1 && done.last().is_some_and(Vec::is_empty) {
        done.pop();
    }
    done
}

/// Lines being filled by [`wrap`].
struct Lines<'c> {
    width: usize,
    done: Vec<Vec<(Tone, &'c str)>>,
    /// Columns taken on the last line.
    used: usize,
}

impl<'c> Lines<'c> {
    fn push(&mut self, tone: Tone, text: &'c str) {
        self.done.last_mut().expect("one line").push((tone, text));
        self.used += str_width(text);
    }

    /// Start a new line with the last character of this one and then `text`, when both
    /// fit on a line and the character is not alone on this one.
    fn carry_last_char(&mut self, tone: Tone, text: &'c str) -> bool {
        let line = self.done.last_mut().expect("one line");
        let Some((last_tone, last)) = line.last().copied() else {
            return false;
        };
        let Some(c) = last.chars().next_back() else {
            return false;
        };
        let char_width = c.width().unwrap_or(0);
        if self.used <= char_width || char_width + str_width(text) > self.width {
            return false;
        }
        let (kept, moved) = last.split_at(last.len() - c.len_utf8());
        line.pop();
        if !kept.is_empty() {
            line.push((last_tone, kept));
        }
        self.break_line();
        self.push(last_tone, moved);
        self.push(tone, text);
        true
    }

    fn break_line(&mut self) {
        self.done.push(Vec::new());
        self.used = 0;
    }

    /// Place a word with its trailing spaces: on this line, on the next, or, when it is
    /// wider than a line, broken across lines.
    fn place_word(&mut self, tone: Tone, word: &'c str) {
        let w = str_width(word);
        let bare = word.trim_end_matches(' ');
        if self.used + w > self.width
            && self.used + str_width(bare) <= self.width
            && !bare.is_empty()
        {
            // The word fits without its trailing spaces: they become the line break.
            self.push(tone, bare);
            self.break_line();
            return;
        }
        if self.used + w > self.width && self.used > 0 && w <= self.width {
            self.break_line();
        }
        let mut rest = word;
        while !rest.is_empty() {
            let (head, tail) = split_at_width(rest, self.width - self.used);
            if head.is_empty() {
                // Not even one character fits. An empty line always holds one, as no
                // character is wider than MIN_WIDTH, so this breaks at most once.
                debug_assert!(self.used > 0, "a character wider than {}", self.width);
                if self.used == 0 {
                    return self.push_first_char(tone, rest);
                }
                self.break_line();
                continue;
            }
            self.push(tone, head);
            rest = tail;
            if !rest.is_empty() {
                self.break_line();
            }
        }
    }

    /// Never reached (see [`MIN_WIDTH`]): a character wider than a line still gets a
    /// line of its own rather than a loop without end.
    fn push_first_char(&mut self, tone: Tone, text: &'c str) {
        let first = text.chars().next().map_or(0, char::len_utf8);
        self.push(tone, &text[..first]);
        if first < text.len() {
            self.break_line();
            self.place_word(tone, &text[first..]);
        }
    }
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

    /// The text of each line `wrap` makes of `text`.
    fn shown(text: &str, width: usize) -> Vec<String> {
        let cell = Rich::text(text);
        let lines = wrap(&cell, width);
        lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| *t).collect())
            .collect()
    }

    #[test]
    fn wraps_words_and_counts_wide_characters() {
        let lines = shown("起始行 start line", 8);
        assert_eq!(lines, ["起始行 ", "start ", "line"]);
        for line in &lines {
            assert!(str_width(line) <= 8);
        }
    }

    #[test]
    fn long_words_are_broken() {
        assert_eq!(shown("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_line_ending_takes_the_last_character_along() {
        let mut cell = Rich::text("abcdefgh");
        cell.push(Tone::Ending, "␍␊");
        let lines: Vec<String> = wrap(&cell, 8)
            .iter()
            .map(|l| l.iter().map(|(_, t)| *t).collect())
            .collect();
        assert_eq!(lines, ["abcdefg", "h␍␊"]);
    }

    #[test]
    fn names_break_after_a_hyphen() {
        let cell = Rich::text("Upgrade-Insecure-Requests");
        let lines: Vec<String> = wrap_after(&cell, 18, &[' ', '-'])
            .iter()
            .map(|l| l.iter().map(|(_, t)| *t).collect())
            .collect();
        assert_eq!(lines, ["Upgrade-Insecure-", "Requests"]);
    }

    #[test]
    fn a_wide_character_in_a_one_column_cell_gets_a_line_of_its_own() {
        assert_eq!(shown("中文a", 1), ["中", "文", "a"]);
    }
}

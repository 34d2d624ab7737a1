//! Laying out a table of styled cells in a given width: word wrapping by display width
//! (CJK characters take two columns), colour applied after wrapping so escape codes never
//! count as width. comfy-table does this too, but measured at 6 to 13 MB/s on the
//! benchmark stream (docs/performance.md); this layout is specialised for anatomy tables.

use super::rich::{str_width, Rich, Tone};
use super::wrap::{push_pieces, push_spaces, wrap};
use super::Theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// How a column's width is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// As wide as its widest cell; never wraps.
    Content,
    /// As wide as its content but at most this share (percent) of the table.
    AtMost(u8),
    /// Takes the room that is left; wraps.
    Fill,
}

#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub title: &'static str,
    pub align: Align,
    pub fit: Fit,
}

/// A row of a table: a cell per column, or a note that spans from one column to the end.
enum Row<'a> {
    Cells(Vec<Rich<'a>>),
    Note { from: usize, cell: Rich<'a> },
}

/// What starts the first line of a note row; its later lines are indented as far.
const NOTE_MARK: &str = "↳ ";

/// A table being built.
pub struct Grid<'a> {
    columns: Vec<Column>,
    titles: Vec<Rich<'a>>,
    rows: Vec<Row<'a>>,
}

impl<'a> Grid<'a> {
    pub fn new(columns: &[Column]) -> Self {
        Grid {
            columns: columns.to_vec(),
            titles: columns.iter().map(|c| Rich::text(c.title)).collect(),
            rows: Vec::new(),
        }
    }

    pub fn add_row(&mut self, row: Vec<Rich<'a>>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(Row::Cells(row));
    }

    /// Add a note under the last row, spanning from column `from` to the last one and
    /// wrapped to that room. Notes do not widen columns; a table with notes takes the
    /// whole width so that they have room.
    pub fn add_note(&mut self, from: usize, cell: Rich<'a>) {
        debug_assert!(from < self.columns.len());
        self.rows.push(Row::Note { from, cell });
    }

    /// Column widths for a table at most `width` columns wide.
    fn widths(&self, width: usize) -> Vec<usize> {
        let n = self.columns.len();
        let cells = || {
            self.rows.iter().filter_map(|r| match r {
                Row::Cells(cells) => Some(cells),
                Row::Note { .. } => None,
            })
        };
        let natural: Vec<usize> = (0..n)
            .map(|i| {
                let rows = cells().map(|r| r[i].width());
                rows.chain([self.titles[i].width()])
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        // Borders: "│ " + " ┆ " between + " │".
        let chrome = 4 + 3 * (n - 1);
        let room = width.saturating_sub(chrome);
        let mut widths = natural.clone();
        for (i, col) in self.columns.iter().enumerate() {
            if let Fit::AtMost(pct) = col.fit {
                widths[i] = widths[i].min((room * usize::from(pct) / 100).max(4));
            }
        }
        let used: usize = widths.iter().sum();
        if used > room {
            let fixed: usize = self
                .columns
                .iter()
                .zip(&widths)
                .filter(|(c, _)| c.fit != Fit::Fill)
                .map(|(_, w)| w)
                .sum();
            let fills = self
                .columns
                .iter()
                .filter(|c| c.fit == Fit::Fill)
                .count()
                .max(1);
            let each = room.saturating_sub(fixed) / fills;
            for (i, col) in self.columns.iter().enumerate() {
                if col.fit == Fit::Fill {
                    widths[i] = widths[i].min(each.max(8));
                }
            }
        }
        // Still too wide (a narrow --width): the capped columns give up room, down to 4.
        let mut over = widths.iter().sum::<usize>().saturating_sub(room);
        for (i, col) in self.columns.iter().enumerate() {
            if matches!(col.fit, Fit::AtMost(_)) && over > 0 {
                let give = over.min(widths[i].saturating_sub(4));
                widths[i] -= give;
                over -= give;
            }
        }
        squeeze(&mut widths, room);
        let has_notes = self.rows.iter().any(|r| matches!(r, Row::Note { .. }));
        let used: usize = widths.iter().sum();
        if let Some(fill) = self.columns.iter().position(|c| c.fit == Fit::Fill) {
            if has_notes && used < room {
                widths[fill] += room - used;
            }
        }
        widths
    }

    /// Write the table, each line ending in `\n`, tones in the theme's styles.
    pub fn write(&self, out: &mut String, width: usize, theme: &Theme) {
        let widths = self.widths(width);
        let rule = |out: &mut String, left: &str, fill: &str, mid: &str, right: &str| {
            out.push_str(left);
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    out.push_str(mid);
                }
                for _ in 0..w + 2 {
                    out.push_str(fill);
                }
            }
            out.push_str(right);
            out.push('\n');
        };
        rule(out, "┌", "─", "┬", "┐");
        self.write_row(out, &self.titles, &widths, theme);
        rule(out, "╞", "═", "╪", "╡");
        for row in &self.rows {
            match row {
                Row::Cells(cells) => self.write_row(out, cells, &widths, theme),
                Row::Note { from, cell } => write_note(out, *from, cell, &widths, theme),
            }
        }
        rule(out, "└", "─", "┴", "┘");
    }

    fn write_row(&self, out: &mut String, row: &[Rich<'_>], widths: &[usize], theme: &Theme) {
        let wrapped: Vec<Vec<Vec<(Tone, &str)>>> = row
            .iter()
            .zip(widths)
            .map(|(cell, &w)| wrap(cell, w))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for line in 0..height {
            out.push_str("│ ");
            for (i, col) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ┆ ");
                }
                let pieces: &[(Tone, &str)] = wrapped[i].get(line).map_or(&[], Vec::as_slice);
                let used: usize = pieces.iter().map(|(_, t)| str_width(t)).sum();
                let pad = widths[i].saturating_sub(used);
                if col.align == Align::Right {
                    push_spaces(out, pad);
                }
                push_pieces(out, pieces, theme);
                if col.align == Align::Left {
                    push_spaces(out, pad);
                }
            }
            out.push_str(" │\n");
        }
    }
}

/// The narrowest a column gets: two columns, so that a CJK character still fits in it
/// (a narrower cell could not take one on any line).
const MIN_COLUMN: usize = 2;

/// Last resort for a width the columns' contents do not fit (a narrow `--width`, or
/// offsets of many digits): take a column at a time from the widest column, so every
/// column wraps a little rather than the table running past the width. Columns stop at
/// [`MIN_COLUMN`]; `--width` starts high enough that the table fits before that.
fn squeeze(widths: &mut [usize], room: usize) {
    let mut over = widths.iter().sum::<usize>().saturating_sub(room);
    while over > 0 {
        let Some(widest) = (0..widths.len()).max_by_key(|&i| (widths[i], usize::MAX - i)) else {
            return;
        };
        if widths[widest] <= MIN_COLUMN {
            return;
        }
        widths[widest] -= 1;
        over -= 1;
    }
}

/// A note row: the columns before `from` empty, then the note over the rest.
fn write_note(out: &mut String, from: usize, cell: &Rich<'_>, widths: &[usize], theme: &Theme) {
    let span: usize = widths[from..].iter().sum::<usize>() + 3 * (widths.len() - from - 1);
    let mark = str_width(NOTE_MARK);
    for (i, piece) in wrap(cell, span.saturating_sub(mark)).iter().enumerate() {
        out.push_str("│ ");
        for w in &widths[..from] {
            push_spaces(out, *w);
            out.push_str(" ┆ ");
        }
        if i == 0 {
            out.push_str(NOTE_MARK);
        } else {
            push_spaces(out, mark);
        }
        push_pieces(out, piece, theme);
        let used: usize = mark + piece.iter().map(|(_, t)| str_width(t)).sum::<usize>();
        push_spaces(out, span.saturating_sub(used));
        out.push_str(" │\n");
    }
}

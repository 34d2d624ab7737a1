//! Laying out a table of styled cells in a given width: word wrapping by display width
//! (CJK characters take two columns), colour applied after wrapping so escape codes never
//! count as width. comfy-table does this too, but measured at 6 to 13 MB/s on the
//! benchmark stream (docs/performance.md); this layout is specialised for anatomy tables.

use super::rich::{str_width, Rich, Tone};
use super::wrap::{push_runs, push_spaces, wrap, wrap_after};
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
    /// As wide as its widest cell while the [`Fit::Rest`] columns keep [`REST_MIN`]
    /// columns; when it must be narrower, it breaks after a `-` before inside a word
    /// (a header name: `Upgrade-Insecure-` / `Requests`).
    Keep,
    /// Takes the room that is left; wraps.
    Rest,
}

#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub title: &'static str,
    pub align: Align,
    pub fit: Fit,
}

/// What a grid holds, in order: a row with a cell per column, or a note that spans from
/// one column to the end.
enum Entry<'a> {
    /// The cells, and where their display widths start in [`Grid::cell_widths`].
    Cells(Vec<Rich<'a>>, usize),
    Note {
        from: usize,
        cell: Rich<'a>,
    },
}

/// The narrowest a [`Fit::Rest`] column gets while another column could give up room.
const REST_MIN: usize = 12;

/// What starts the first line of a note row; its later lines are indented as far.
const NOTE_MARK: &str = "↳ ";

/// A table being built.
pub struct Grid<'a> {
    columns: Vec<Column>,
    titles: Vec<Rich<'a>>,
    rows: Vec<Entry<'a>>,
    /// The display width of every cell, row after row, measured once when it is added.
    cell_widths: Vec<usize>,
}

impl<'a> Grid<'a> {
    pub fn new(columns: &[Column]) -> Self {
        Grid {
            columns: columns.to_vec(),
            titles: columns.iter().map(|c| Rich::text(c.title)).collect(),
            rows: Vec::new(),
            cell_widths: Vec::new(),
        }
    }

    pub fn add_row(&mut self, row: Vec<Rich<'a>>) {
        debug_assert_eq!(row.len(), self.columns.len());
        let at = self.cell_widths.len();
        self.cell_widths.extend(row.iter().map(Rich::width));
        self.rows.push(Entry::Cells(row, at));
    }

    /// Add a note under the last row, spanning from column `from` to the last one and
    /// wrapped to that room. Notes do not widen columns; a table with notes takes the
    /// whole width so that they have room.
    pub fn add_note(&mut self, from: usize, cell: Rich<'a>) {
        debug_assert!(from < self.columns.len());
        self.rows.push(Entry::Note { from, cell });
    }

    /// Column widths for a table at most `width` columns wide.
    fn widths(&self, width: usize) -> Vec<usize> {
        let n = self.columns.len();
        let natural: Vec<usize> = (0..n)
            .map(|i| {
                let rows = self.cell_widths.iter().skip(i).step_by(n);
                rows.copied()
                    .chain([self.titles[i].width()])
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        // Borders: "│ " + " ┆ " between + " │".
        let chrome = 4 + 3 * (n - 1);
        let room = width.saturating_sub(chrome);
        let mut widths = natural.clone();
        let used: usize = widths.iter().sum();
        if used > room {
            let fixed: usize = self
                .columns
                .iter()
                .zip(&widths)
                .filter(|(c, _)| c.fit != Fit::Rest)
                .map(|(_, w)| w)
                .sum();
            let rests = self
                .columns
                .iter()
                .filter(|c| c.fit == Fit::Rest)
                .count()
                .max(1);
            let each = room.saturating_sub(fixed) / rests;
            for (i, col) in self.columns.iter().enumerate() {
                if col.fit == Fit::Rest {
                    widths[i] = widths[i].min(each.max(REST_MIN));
                }
            }
        }
        // Still too wide: the kept columns give up room down to their longest piece
        // between hyphens, then the rest columns down to 8, then the kept ones down to 4.
        let mut over = widths.iter().sum::<usize>().saturating_sub(room);
        let steps = [
            (Fit::Keep, None),
            (Fit::Rest, Some(8)),
            (Fit::Keep, Some(4)),
        ];
        for (fit, floor) in steps {
            for (i, col) in self.columns.iter().enumerate() {
                if col.fit == fit && over > 0 {
                    // Measured only when needed: it splits every cell of the column.
                    let floor = floor.unwrap_or_else(|| self.widest_piece(i)).max(4);
                    let give = over.min(widths[i].saturating_sub(floor));
                    widths[i] -= give;
                    over -= give;
                }
            }
        }
        squeeze(&mut widths, room);
        let has_notes = self.rows.iter().any(|r| matches!(r, Entry::Note { .. }));
        let used: usize = widths.iter().sum();
        if let Some(rest) = self.columns.iter().position(|c| c.fit == Fit::Rest) {
            if has_notes && used < room {
                widths[rest] += room - used;
            }
        }
        widths
    }

    /// The widest piece of column `i` when its cells break after every space and `-`.
    fn widest_piece(&self, i: usize) -> usize {
        self.rows
            .iter()
            .filter_map(|r| match r {
                Entry::Cells(cells, _) => Some(cells[i].plain()),
                Entry::Note { .. } => None,
            })
            .flat_map(|text| {
                text.split_inclusive([' ', '-'])
                    .map(|piece| str_width(piece.trim_end()))
                    .collect::<Vec<_>>()
            })
            .max()
            .unwrap_or(0)
    }

    /// Write the table, each line ending in `\n`, tones in the theme's styles.
    pub fn write(&self, out: &mut String, width: usize, theme: &Theme) {
        let widths = self.widths(width);
        // A row is usually one line of about `width` columns, with 3-byte box drawing
        // and line-ending marks: room for that up front spares regrowing a big table.
        out.reserve((self.rows.len() + 4) * (width + 24));
        let rule = |out: &mut String, left: &str, line: &str, mid: &str, right: &str| {
            out.push_str(left);
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    out.push_str(mid);
                }
                for _ in 0..w + 2 {
                    out.push_str(line);
                }
            }
            out.push_str(right);
            out.push('\n');
        };
        rule(out, "┌", "─", "┬", "┐");
        let title_widths: Vec<usize> = self.titles.iter().map(Rich::width).collect();
        self.write_row(out, (&self.titles, &title_widths), &widths, theme);
        rule(out, "╞", "═", "╪", "╡");
        for row in &self.rows {
            match row {
                Entry::Cells(cells, at) => {
                    let cell_widths = &self.cell_widths[*at..*at + cells.len()];
                    self.write_row(out, (cells, cell_widths), &widths, theme);
                }
                Entry::Note { from, cell } => write_note(out, *from, cell, &widths, theme),
            }
        }
        rule(out, "└", "─", "┴", "┘");
    }

    /// Write a row of cells whose display widths are `cell_widths`.
    fn write_row(
        &self,
        out: &mut String,
        (row, cell_widths): (&[Rich<'_>], &[usize]),
        widths: &[usize],
        theme: &Theme,
    ) {
        if cell_widths.iter().zip(widths).all(|(used, w)| used <= w) {
            self.write_one_line(out, (row, cell_widths), widths, theme);
        } else {
            self.write_wrapped_row(out, row, widths, theme);
        }
    }

    /// Any row: each cell wrapped to its column, the row as tall as its tallest cell.
    pub(super) fn write_wrapped_row(
        &self,
        out: &mut String,
        row: &[Rich<'_>],
        widths: &[usize],
        theme: &Theme,
    ) {
        let wrapped: Vec<Vec<Vec<(Tone, &str)>>> = row
            .iter()
            .zip(widths)
            .zip(&self.columns)
            .map(|((cell, &w), col)| match col.fit {
                Fit::Keep => wrap_after(cell, w, &[' ', '-']),
                _ => wrap(cell, w),
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for line in 0..height {
            out.push_str("│ ");
            for (i, col) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ┆ ");
                }
                let runs: &[(Tone, &str)] = wrapped[i].get(line).map_or(&[], Vec::as_slice);
                let used: usize = runs.iter().map(|(_, t)| str_width(t)).sum();
                let pad = widths[i].saturating_sub(used);
                if col.align == Align::Right {
                    push_spaces(out, pad);
                }
                push_runs(out, runs, theme);
                if col.align == Align::Left {
                    push_spaces(out, pad);
                }
            }
            out.push_str(" │\n");
        }
    }

    /// The common case of [`Grid::write_row`]: every cell fits its column, so the row is
    /// one line of each cell's runs, with nothing to wrap (what wrapping would give).
    pub(super) fn write_one_line(
        &self,
        out: &mut String,
        (row, cell_widths): (&[Rich<'_>], &[usize]),
        widths: &[usize],
        theme: &Theme,
    ) {
        out.push_str("│ ");
        for (i, col) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_str(" ┆ ");
            }
            let pad = widths[i] - cell_widths[i];
            if col.align == Align::Right {
                push_spaces(out, pad);
            }
            for run in &row[i].runs {
                theme.paint(out, run.tone, &run.text);
            }
            if col.align == Align::Left {
                push_spaces(out, pad);
            }
        }
        out.push_str(" │\n");
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
    for (i, runs) in wrap(cell, span.saturating_sub(mark)).iter().enumerate() {
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
        push_runs(out, runs, theme);
        let used: usize = mark + runs.iter().map(|(_, t)| str_width(t)).sum::<usize>();
        push_spaces(out, span.saturating_sub(used));
        out.push_str(" │\n");
    }
}

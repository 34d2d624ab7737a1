//! The anatomy table on a terminal: the rows of [`super::anatomy`] laid out in a
//! [`Grid`], each tone coloured by the theme, with the `--explain` notes under the rows
//! they are about.

use std::io::{self, Write};

use super::anatomy::{Rich, Row};
use super::grid::{Align, Cell, Column, Fit, Grid};
use super::{RenderOptions, Theme};
use crate::explain::{Label, Lang};

/// The columns, titled in `lang`.
fn columns(lang: Lang) -> [Column; 6] {
    let column = |title: Label, align, fit| Column {
        title: title.text(lang),
        align,
        fit,
    };
    [
        column(Label::ColNumber, Align::Right, Fit::Content),
        column(Label::ColPart, Align::Left, Fit::Content),
        column(Label::ColName, Align::Left, Fit::AtMost(30)),
        column(Label::ColValue, Align::Left, Fit::Fill),
        column(Label::ColOffset, Align::Right, Fit::Content),
        column(Label::ColLen, Align::Right, Fit::Content),
    ]
}

/// The column where notes start: they span every column but the line number, which
/// stays a gutter that ties each note to the row above it.
const NOTE_FROM: usize = 1;

/// Rich text as a grid cell, each tone in the theme's style.
pub fn cell<'a>(rich: Rich<'a>, theme: &Theme) -> Cell<'a> {
    let mut cell = Cell::new();
    for run in rich.runs {
        cell.push(theme.tone(run.tone), run.text);
    }
    cell
}

fn number(n: Option<usize>) -> Cell<'static> {
    n.map_or_else(Cell::new, |n| Cell::text(n.to_string()))
}

/// The grid of the rows of a message or fragment.
pub fn rows_grid<'a>(rows: Vec<Row<'a>>, theme: &Theme, lang: Lang) -> Grid<'a> {
    let mut grid = Grid::new(&columns(lang));
    for row in rows {
        let mut label = Cell::new();
        label.push(theme.part_label, row.label.text(lang));
        grid.add_row(vec![
            number(row.number),
            label,
            cell(row.name, theme),
            cell(row.value, theme),
            number(row.offset),
            number(row.len),
        ]);
        for note in row.notes {
            grid.add_note(NOTE_FROM, cell(note, theme));
        }
    }
    grid
}

/// Lay the grid out at the options' width and write it.
pub fn write_grid(out: &mut impl Write, grid: &Grid<'_>, opts: &RenderOptions) -> io::Result<()> {
    let mut text = String::new();
    grid.write(&mut text, usize::from(opts.width));
    out.write_all(text.as_bytes())
}

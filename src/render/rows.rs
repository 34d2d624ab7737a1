//! The anatomy table on a terminal: the rows of [`super::anatomy`] laid out in a
//! [`Grid`] (its tones coloured by the theme when it is written), with the `--explain`
//! notes under the rows they are about.

use std::io::{self, Write};

use super::anatomy::Row;
use super::grid::{Align, Column, Fit, Grid};
use super::rich::{Rich, Tone};
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
        column(Label::ColName, Align::Left, Fit::Keep),
        column(Label::ColValue, Align::Left, Fit::Rest),
        column(Label::ColOffset, Align::Right, Fit::Content),
        column(Label::ColLen, Align::Right, Fit::Content),
    ]
}

/// The column where notes start: they span every column but the line number, which
/// stays a gutter that ties each note to the row above it.
const NOTE_FROM: usize = 1;

fn number<'a>(n: Option<usize>) -> Rich<'a> {
    n.map_or_else(Rich::new, |n| Rich::text(n.to_string()))
}

/// The grid of the rows of a message or fragment.
pub fn rows_grid(rows: Vec<Row<'_>>, lang: Lang) -> Grid<'_> {
    let mut grid = Grid::new(&columns(lang));
    for row in rows {
        let mut label = Rich::new();
        label.push(Tone::PartLabel, row.label.text(lang));
        grid.add_row(vec![
            number(row.number),
            label,
            row.name,
            row.value,
            number(row.offset),
            number(row.len),
        ]);
        for note in row.notes {
            grid.add_note(NOTE_FROM, note);
        }
    }
    grid
}

/// Lay the grid out at the options' width and write it.
pub fn write_grid(
    out: &mut impl Write,
    grid: &Grid<'_>,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let mut text = String::new();
    grid.write(&mut text, usize::from(opts.width), theme);
    out.write_all(text.as_bytes())
}

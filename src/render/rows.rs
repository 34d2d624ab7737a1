//! The rows of an anatomy table: one per line of a message, numbered from 0, with its
//! part, name and value (line ending made visible), byte offset and length; with
//! `--explain`, the notes from [`crate::explain`] under the rows they are about.

use std::io::{self, Write};

use owo_colors::Style;

use super::escape::hex_preview;
use super::grid::{Align, Cell, Column, Fit, Grid};
use super::paint::{count, ending_mark, push_bytes, push_cut};
use super::{RenderOptions, Theme};
use crate::explain::{part_label, Label, Lang, Note};
use crate::message::{Line, Part, StartLine};

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

/// One row for one line.
struct Row<'a> {
    number: usize,
    part: Part,
    name: Cell<'a>,
    value: Cell<'a>,
    offset: usize,
    len: usize,
}

/// Rows for lines of a message or fragment. `raw` holds the bytes, `base` its offset.
struct Rows<'a> {
    raw: &'a [u8],
    base: usize,
    start: Option<&'a StartLine>,
    theme: &'a Theme,
    opts: &'a RenderOptions,
    binary_body: bool,
    /// The `--explain` notes, in line order (empty without `--explain`).
    notes: &'a [Note],
}

impl<'a> Rows<'a> {
    fn lang(&self) -> Lang {
        self.opts.lang
    }

    /// Add the row, then the notes about the lines it stands for (up to `last`).
    fn push(&self, grid: &mut Grid<'a>, row: Row<'a>, last: usize, next_note: &mut usize) {
        let mut label = Cell::new();
        label.push(
            self.theme.part_label,
            part_label(row.part, self.start).text(self.lang()),
        );
        grid.add_row(vec![
            Cell::text(row.number.to_string()),
            label,
            row.name,
            row.value,
            Cell::text(row.offset.to_string()),
            Cell::text(row.len.to_string()),
        ]);
        while let Some(note) = self.notes.get(*next_note).filter(|n| n.line <= last) {
            grid.add_note(NOTE_FROM, self.note_cell(note));
            *next_note += 1;
        }
    }

    /// "method GET: what it means", the part's bytes escaped.
    fn note_cell(&self, note: &Note) -> Cell<'a> {
        let (theme, lang) = (self.theme, self.lang());
        let mut cell = Cell::new();
        if let Some((label, span)) = &note.about {
            cell.push(theme.title, label.text(lang));
            cell.push(theme.title, " ");
            if span.is_empty() {
                cell.push(theme.dim, Label::Empty.text(lang));
            } else {
                let bytes = &self.raw[span.clone()];
                push_cut(&mut cell, bytes, theme.header_value, theme, (40, lang));
            }
            cell.push(theme.note, Label::Colon.text(lang));
        }
        cell.push(theme.note, note.text.clone());
        cell
    }

    fn ending(&self, cell: &mut Cell<'a>, line: &Line) {
        cell.push(self.theme.dim, ending_mark(line.ending));
    }

    fn row(&self, no: usize, line: &Line, name: Cell<'a>, value: Cell<'a>) -> Row<'a> {
        Row {
            number: no,
            part: line.part,
            name,
            value,
            offset: self.base + line.start,
            len: line.wire_len(),
        }
    }

    fn text_row(&self, no: usize, line: &Line, style: Style) -> Row<'a> {
        let mut value = Cell::new();
        push_cut(
            &mut value,
            &self.raw[line.content()],
            style,
            self.theme,
            (self.opts.max_cell_chars, self.lang()),
        );
        self.ending(&mut value, line);
        self.row(no, line, Cell::new(), value)
    }

    fn field_row(&self, no: usize, line: &Line, name_style: Style) -> Row<'a> {
        let text = &self.raw[line.content()];
        let (mut name, mut value) = (Cell::new(), Cell::new());
        let max = (self.opts.max_cell_chars, self.lang());
        match text.iter().position(|&b| b == b':') {
            Some(colon) if text[0] != b' ' && text[0] != b'\t' => {
                push_bytes(&mut name, &text[..colon], name_style, self.theme);
                let rest = &text[colon + 1..];
                // One space after the colon is the convention; anything else stays visible.
                let rest = match rest.strip_prefix(b" ") {
                    Some(r) if !r.starts_with(b" ") && !r.starts_with(b"\t") => r,
                    _ => rest,
                };
                push_cut(&mut value, rest, self.theme.header_value, self.theme, max);
            }
            _ => push_cut(&mut value, text, self.theme.header_value, self.theme, max),
        }
        self.ending(&mut value, line);
        self.row(no, line, name, value)
    }

    fn start_row(&self, no: usize, line: &Line) -> Row<'a> {
        let theme = self.theme;
        let Some(start) = self.start else {
            return self.text_row(no, line, Style::new());
        };
        let mut value = Cell::new();
        let mut pos = line.start;
        let spans: [(std::ops::Range<usize>, Style); 3] = match start {
            StartLine::Request {
                method,
                target,
                version,
            } => [
                (method.clone(), theme.method),
                (target.clone(), theme.target),
                (version.clone(), theme.version),
            ],
            StartLine::Response {
                version,
                status,
                reason,
            } => {
                let code_at = version.end + 1;
                [
                    (version.clone(), theme.version),
                    (code_at..code_at + 3, theme.status(*status)),
                    (reason.clone(), theme.status(*status)),
                ]
            }
        };
        for (span, style) in spans {
            if span.start > pos {
                push_bytes(&mut value, &self.raw[pos..span.start], Style::new(), theme);
            }
            if span.end > span.start.max(pos) {
                push_bytes(
                    &mut value,
                    &self.raw[span.start.max(pos)..span.end],
                    style,
                    theme,
                );
            }
            pos = pos.max(span.end);
        }
        if pos < line.start + line.len {
            push_bytes(
                &mut value,
                &self.raw[pos..line.start + line.len],
                Style::new(),
                theme,
            );
        }
        self.ending(&mut value, line);
        self.row(no, line, Cell::new(), value)
    }

    /// Fill the grid; body rows beyond the limit become one row saying what is left.
    fn fill(&self, grid: &mut Grid<'a>, lines: &[Line]) {
        let (theme, lang) = (self.theme, self.lang());
        let mut next_note = 0;
        let mut body_rows = 0;
        let mut i = 0;
        let head_end = lines
            .iter()
            .position(|l| l.part == Part::BlankLine)
            .unwrap_or(lines.len());
        while i < lines.len() {
            let line = &lines[i];
            let in_body = i > head_end;
            if in_body && body_rows >= self.opts.max_body_lines {
                let rest: usize = lines[i..].iter().map(Line::wire_len).sum();
                let left = count(
                    lines.len() - i,
                    Label::MoreLineOne,
                    Label::MoreLineMany,
                    lang,
                );
                let mut value = Cell::new();
                value.push(
                    theme.dim,
                    Label::MoreBodyLines.fill(lang, &[&rest.to_string(), &left]),
                );
                self.push(
                    grid,
                    Row {
                        number: i,
                        part: line.part,
                        name: Cell::new(),
                        value,
                        offset: self.base + line.start,
                        len: rest,
                    },
                    lines.len(),
                    &mut next_note,
                );
                return;
            }
            if in_body {
                body_rows += 1;
            }
            let row = match line.part {
                Part::StartLine => self.start_row(i, line),
                Part::Header => self.field_row(i, line, theme.header_name),
                Part::Trailer => self.field_row(i, line, theme.trailer),
                Part::BlankLine => self.text_row(i, line, theme.blank_line),
                Part::ChunkSize => self.text_row(i, line, theme.chunk),
                Part::Body if self.binary_body => {
                    // Consecutive binary lines become one row of hex.
                    let mut j = i;
                    while j + 1 < lines.len() && lines[j + 1].part == Part::Body {
                        j += 1;
                    }
                    let bytes = &self.raw[line.start..lines[j].end()];
                    let more = if bytes.len() > 16 { " …" } else { "" };
                    let mut value = Cell::new();
                    value.push(
                        theme.body,
                        Label::BinaryBody.fill(lang, &[&bytes.len().to_string()]),
                    );
                    value.push(theme.body, format!("{}{more}", hex_preview(bytes, 16)));
                    let row = Row {
                        number: i,
                        part: Part::Body,
                        name: Cell::new(),
                        value,
                        offset: self.base + line.start,
                        len: bytes.len(),
                    };
                    self.push(grid, row, j, &mut next_note);
                    i = j + 1;
                    continue;
                }
                Part::Body => self.text_row(i, line, theme.body),
            };
            self.push(grid, row, i, &mut next_note);
            i += 1;
        }
    }
}

/// What a table is drawn from: lines over `raw` (whose first byte is at `base` in the
/// input), the start line to colour its parts and name its kind, and the notes to show.
pub struct Source<'a> {
    pub raw: &'a [u8],
    pub base: usize,
    pub lines: &'a [Line],
    pub start: Option<&'a StartLine>,
    /// Show a binary body as one row of hex.
    pub binary_body: bool,
    pub notes: &'a [Note],
}

/// The grid of rows for a message or fragment.
pub fn lines_grid<'a>(src: Source<'a>, theme: &'a Theme, opts: &'a RenderOptions) -> Grid<'a> {
    let mut grid = Grid::new(&columns(opts.lang));
    let rows = Rows {
        raw: src.raw,
        base: src.base,
        start: src.start,
        theme,
        opts,
        binary_body: src.binary_body,
        notes: src.notes,
    };
    rows.fill(&mut grid, src.lines);
    grid
}

/// A row with no number that says something about a part (e.g. a body curl hid).
pub fn add_note_row<'a>(grid: &mut Grid<'a>, part: Part, text: String, theme: &Theme, lang: Lang) {
    let mut label = Cell::new();
    label.push(theme.part_label, part_label(part, None).text(lang));
    let mut value = Cell::new();
    value.push(theme.dim, text);
    grid.add_row(vec![
        Cell::new(),
        label,
        Cell::new(),
        value,
        Cell::new(),
        Cell::new(),
    ]);
}

/// Lay the grid out at the options' width and write it.
pub fn write_grid(out: &mut impl Write, grid: &Grid<'_>, opts: &RenderOptions) -> io::Result<()> {
    let mut text = String::new();
    grid.write(&mut text, usize::from(opts.width));
    out.write_all(text.as_bytes())
}

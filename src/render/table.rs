//! The anatomy table: one row per line of a message, numbered from 0 like the article's
//! `enumerate()`, with its part, text (line ending made visible), byte offset and length;
//! a title above and a summary of bytes per part below.

use std::io::{self, Write};

use owo_colors::Style;

use super::escape::{for_each_piece, hex_preview, looks_binary, Piece};
use super::grid::{Align, Cell, Column, Fit, Grid};
use super::{RenderOptions, Theme};
use crate::explain;
use crate::input::Stray;
use crate::message::{Diagnostic, Line, LineEnding, Message, Part, Severity, StartLine};
use crate::parse::ParseError;

/// `text` in `style`, or as it is when the style is plain.
pub fn paint(style: Style, text: &str) -> String {
    if style.is_plain() || text.is_empty() {
        text.to_string()
    } else {
        style.style(text).to_string()
    }
}

/// Untrusted bytes made visible, as spans of a cell: escapes get the escape style.
pub fn push_bytes<'a>(cell: &mut Cell<'a>, bytes: &'a [u8], style: Style, theme: &Theme) {
    for_each_piece(bytes, |piece| match piece {
        Piece::Text(t) => cell.push(style, t),
        Piece::Escape(e) => cell.push(theme.escape, e),
    });
}

/// Like [`push_bytes`], cut to at most `max` bytes with a note of what was left.
fn push_cut<'a>(cell: &mut Cell<'a>, bytes: &'a [u8], style: Style, theme: &Theme, max: usize) {
    if bytes.len() > max {
        push_bytes(cell, &bytes[..max], style, theme);
        cell.push(theme.dim, format!("… (+{} bytes)", bytes.len() - max));
    } else {
        push_bytes(cell, bytes, style, theme);
    }
}

/// Untrusted bytes as one safe string (for titles and notes).
pub fn paint_bytes(out: &mut String, bytes: &[u8], style: Style, theme: &Theme) {
    for_each_piece(bytes, |piece| match piece {
        Piece::Text(t) => out.push_str(&paint(style, t)),
        Piece::Escape(e) => out.push_str(&paint(theme.escape, &e)),
    });
}

fn paint_cut(out: &mut String, bytes: &[u8], style: Style, theme: &Theme, max: usize) {
    if bytes.len() > max {
        paint_bytes(out, &bytes[..max], style, theme);
        out.push_str(&paint(
            theme.dim,
            &format!("… (+{} bytes)", bytes.len() - max),
        ));
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

/// The words for a part in tables.
pub fn part_label(part: Part) -> &'static str {
    match part {
        Part::StartLine => "start line",
        Part::Header => "header",
        Part::BlankLine => "blank line",
        Part::Body => "body",
        Part::ChunkSize => "chunk size",
        Part::Trailer => "trailer",
    }
}

const COLUMNS: [Column; 6] = [
    Column {
        title: "#",
        align: Align::Right,
        fit: Fit::Content,
    },
    Column {
        title: "part",
        align: Align::Left,
        fit: Fit::Content,
    },
    Column {
        title: "name",
        align: Align::Left,
        fit: Fit::AtMost(30),
    },
    Column {
        title: "value",
        align: Align::Left,
        fit: Fit::Fill,
    },
    Column {
        title: "offset",
        align: Align::Right,
        fit: Fit::Content,
    },
    Column {
        title: "len",
        align: Align::Right,
        fit: Fit::Content,
    },
];

/// One row for one line.
struct Row<'a> {
    number: usize,
    part: Part,
    name: Cell<'a>,
    value: Cell<'a>,
    offset: usize,
    len: usize,
}

fn push_row<'a>(grid: &mut Grid<'a>, row: Row<'a>, theme: &Theme) {
    let mut label = Cell::new();
    label.push(theme.part_label, part_label(row.part));
    grid.add_row(vec![
        Cell::text(row.number.to_string()),
        label,
        row.name,
        row.value,
        Cell::text(row.offset.to_string()),
        Cell::text(row.len.to_string()),
    ]);
}

/// Rows for lines of a message or fragment. `raw` holds the bytes, `base` its offset.
struct Rows<'a> {
    raw: &'a [u8],
    base: usize,
    theme: &'a Theme,
    opts: &'a RenderOptions,
    binary_body: bool,
}

impl<'a> Rows<'a> {
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
            self.opts.max_cell_chars,
        );
        self.ending(&mut value, line);
        self.row(no, line, Cell::new(), value)
    }

    fn field_row(&self, no: usize, line: &Line, name_style: Style) -> Row<'a> {
        let text = &self.raw[line.content()];
        let (mut name, mut value) = (Cell::new(), Cell::new());
        let max = self.opts.max_cell_chars;
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

    fn start_row(&self, no: usize, line: &Line, start: Option<&StartLine>) -> Row<'a> {
        let theme = self.theme;
        let Some(start) = start else {
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
    fn fill(&self, grid: &mut Grid<'a>, lines: &[Line], start: Option<&StartLine>) {
        let theme = self.theme;
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
                let count = lines.len() - i;
                let mut value = Cell::new();
                value.push(
                    theme.dim,
                    format!(
                        "… {rest} more bytes in {} (--max-body-lines)",
                        plural(count, "more line", "more lines")
                    ),
                );
                push_row(
                    grid,
                    Row {
                        number: i,
                        part: line.part,
                        name: Cell::new(),
                        value,
                        offset: self.base + line.start,
                        len: rest,
                    },
                    theme,
                );
                return;
            }
            if in_body {
                body_rows += 1;
            }
            let row = match line.part {
                Part::StartLine => self.start_row(i, line, start),
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
                        format!(
                            "binary, {} bytes: {}{more}",
                            bytes.len(),
                            hex_preview(bytes, 16)
                        ),
                    );
                    let row = Row {
                        number: i,
                        part: Part::Body,
                        name: Cell::new(),
                        value,
                        offset: self.base + line.start,
                        len: bytes.len(),
                    };
                    push_row(grid, row, theme);
                    i = j + 1;
                    continue;
                }
                Part::Body => self.text_row(i, line, theme.body),
            };
            push_row(grid, row, theme);
            i += 1;
        }
    }
}

/// The words after "Request 1:" in a title.
fn title_words(msg: &Message) -> String {
    let theme = Theme::plain();
    let mut s = String::new();
    match &msg.start {
        StartLine::Request {
            method,
            target,
            version,
        } => {
            paint_bytes(&mut s, msg.bytes(method), theme.method, &theme);
            s.push(' ');
            paint_cut(&mut s, msg.bytes(target), theme.target, &theme, 60);
            s.push(' ');
            paint_bytes(&mut s, msg.bytes(version), theme.version, &theme);
        }
        StartLine::Response { status, reason, .. } => {
            s.push_str(&status.to_string());
            if !reason.is_empty() {
                s.push(' ');
                paint_cut(&mut s, msg.bytes(reason), theme.body, &theme, 60);
            }
        }
    }
    s
}

/// Write the table for one message, with its title, summary and diagnostics.
pub fn write_message(
    out: &mut impl Write,
    msg: &Message,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let kind = match msg.start {
        StartLine::Request { .. } => "Request",
        StartLine::Response { .. } => "Response",
    };
    let mut title = format!("{kind} {}: {}", msg.number, title_words(msg));
    if let Some(extra) = &msg.context.title {
        title.push(' ');
        title.push_str(&super::escape::visible(extra.as_bytes()));
    }
    writeln!(out, "{}", paint(theme.title, &title))?;
    for note in &msg.context.notes {
        writeln!(
            out,
            "{}",
            paint(
                theme.dim,
                &format!("  {}", super::escape::visible(note.as_bytes()))
            )
        )?;
    }
    let mut grid = Grid::new(&COLUMNS);
    let rows = Rows {
        raw: &msg.raw,
        base: msg.offset,
        theme,
        opts,
        binary_body: looks_binary(msg.body_bytes()),
    };
    rows.fill(&mut grid, &msg.lines, Some(&msg.start));
    if let Some(hidden) = msg.context.body_hidden {
        let text = match hidden.bytes {
            Some(n) => format!("{n} bytes, not shown by curl"),
            None => "not shown by curl".to_string(),
        };
        let mut label = Cell::new();
        label.push(theme.part_label, part_label(Part::Body));
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
    let mut text = String::new();
    grid.write(&mut text, usize::from(opts.width));
    out.write_all(text.as_bytes())?;
    let summary = join_wrapped(&summary(msg), usize::from(opts.width));
    writeln!(out, "{}", paint(theme.dim, &summary))?;
    if opts.hex {
        super::hex::write_hex(
            out,
            &msg.raw,
            msg.offset,
            &msg.lines,
            theme,
            opts.max_body_lines,
        )?;
    }
    for d in &msg.diagnostics {
        write_diagnostic(out, d, theme)?;
    }
    writeln!(out)
}

/// The parts of the summary under a table: "start line 16 B", "headers 62 B in 3 lines", ...
pub fn summary(msg: &Message) -> Vec<String> {
    let sizes = msg.part_sizes();
    let framing = msg.body.framing.map_or("none", |f| f.as_str());
    let body = if msg.body.decoded.is_some() {
        format!(
            "body {} B on the wire, {} B decoded ({framing})",
            sizes.body,
            msg.body_bytes().len()
        )
    } else {
        format!("body {} B ({framing})", sizes.body)
    };
    vec![
        format!("start line {} B", sizes.start_line),
        format!(
            "headers {} B in {}",
            sizes.headers,
            plural(msg.headers.len(), "line", "lines")
        ),
        format!("blank line {} B", sizes.blank_line),
        body,
        format!("total {} B", msg.raw.len()),
    ]
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

fn write_diagnostic(out: &mut impl Write, d: &Diagnostic, theme: &Theme) -> io::Result<()> {
    let style = match d.severity {
        Severity::Error => theme.error,
        Severity::Warning => theme.warning,
        Severity::Note => theme.note,
    };
    let label = paint(style, &format!("{}[{}]", d.severity.as_str(), d.code));
    let place = match d.line {
        Some(line) => format!("line {line}, byte {}", d.offset),
        None => format!("byte {}", d.offset),
    };
    let text =
        super::escape::visible(explain::diagnostic_text(d, explain::Lang::default()).as_bytes());
    writeln!(out, "{label} {place}: {text}")
}

/// Write what could be read of a broken message, then the error.
pub fn write_error(
    out: &mut impl Write,
    err: &ParseError,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        paint(
            theme.title,
            &format!("Message {}: could not be read", err.index)
        )
    )?;
    let frag = &err.fragment;
    if !frag.lines.is_empty() {
        let mut grid = Grid::new(&COLUMNS);
        let rows = Rows {
            raw: &frag.raw,
            base: frag.offset,
            theme,
            opts,
            binary_body: false,
        };
        rows.fill(&mut grid, &frag.lines, None);
        let mut text = String::new();
        grid.write(&mut text, usize::from(opts.width));
        out.write_all(text.as_bytes())?;
        if opts.hex {
            super::hex::write_hex(
                out,
                &frag.raw,
                frag.offset,
                &frag.lines,
                theme,
                opts.max_body_lines,
            )?;
        }
    }
    let text = super::escape::visible(err.to_string().as_bytes());
    writeln!(out, "{} {text}", paint(theme.error, "error:"))?;
    writeln!(out)
}

/// Bytes between messages: blank lines, or what was skipped after an error.
pub fn write_stray(out: &mut impl Write, stray: &Stray, theme: &Theme) -> io::Result<()> {
    if stray.blank {
        return Ok(());
    }
    let mut preview = String::new();
    paint_cut(&mut preview, &stray.bytes, Style::new(), theme, 60);
    writeln!(
        out,
        "{} skipped {} bytes at byte {} that are not a message: {preview}\n",
        paint(theme.warning, "note:"),
        stray.bytes.len(),
        stray.offset
    )
}

/// "1 line", "3 lines".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

//! The anatomy table: one row per line of a message, numbered from 0 like the article's
//! `enumerate()`, with its part, text (line ending made visible), byte offset and length;
//! a title above and a summary of bytes per part below.

use std::io::{self, Write};

use comfy_table::{
    presets, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};
use owo_colors::Style;

use super::escape::{for_each_piece, hex_preview, looks_binary, Piece};
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

/// Untrusted bytes made visible and painted: escapes get the theme's escape style.
pub fn paint_bytes(out: &mut String, bytes: &[u8], style: Style, theme: &Theme) {
    for_each_piece(bytes, |piece| match piece {
        Piece::Text(t) => out.push_str(&paint(style, t)),
        Piece::Escape(e) => out.push_str(&paint(theme.escape, &e)),
    });
}

/// Bytes of a cell, cut to at most `max` bytes of input with a note of what was left.
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

fn part_label(part: Part) -> &'static str {
    match part {
        Part::StartLine => "start line",
        Part::Header => "header",
        Part::BlankLine => "blank line",
        Part::Body => "body",
        Part::ChunkSize => "chunk size",
        Part::Trailer => "trailer",
    }
}

fn new_table(opts: &RenderOptions) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(opts.width)
        .set_header(vec!["#", "part", "name", "value", "offset", "len"]);
    for i in [0, 4, 5] {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    if let Some(col) = table.column_mut(1) {
        col.set_constraint(ColumnConstraint::ContentWidth);
    }
    if let Some(col) = table.column_mut(2) {
        col.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(30)));
    }
    table
}

/// One row for one line.
struct Row {
    number: usize,
    part: Part,
    name: String,
    value: String,
    offset: usize,
    len: usize,
}

fn push_row(table: &mut Table, row: Row, theme: &Theme) {
    let label = paint(theme.part_label, part_label(row.part));
    table.add_row(vec![
        Cell::new(row.number),
        Cell::new(label),
        Cell::new(row.name),
        Cell::new(row.value),
        Cell::new(row.offset),
        Cell::new(row.len),
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

impl Rows<'_> {
    fn text_row(&self, no: usize, line: &Line, style: Style) -> Row {
        let mut value = String::new();
        paint_cut(
            &mut value,
            &self.raw[line.content()],
            style,
            self.theme,
            self.opts.max_cell_chars,
        );
        value.push_str(&paint(self.theme.dim, ending_mark(line.ending)));
        Row {
            number: no,
            part: line.part,
            name: String::new(),
            value,
            offset: self.base + line.start,
            len: line.wire_len(),
        }
    }

    fn field_row(&self, no: usize, line: &Line, name_style: Style) -> Row {
        let text = &self.raw[line.content()];
        let (mut name, mut value) = (String::new(), String::new());
        match text.iter().position(|&b| b == b':') {
            Some(colon) if text[0] != b' ' && text[0] != b'\t' => {
                paint_bytes(&mut name, &text[..colon], name_style, self.theme);
                let rest = &text[colon + 1..];
                // One space after the colon is the convention; anything else stays visible.
                let rest = rest
                    .strip_prefix(b" ")
                    .filter(|r| !r.starts_with(b" ") && !r.starts_with(b"\t"))
                    .unwrap_or(rest);
                paint_cut(
                    &mut value,
                    rest,
                    self.theme.header_value,
                    self.theme,
                    self.opts.max_cell_chars,
                );
            }
            _ => paint_cut(
                &mut value,
                text,
                self.theme.header_value,
                self.theme,
                self.opts.max_cell_chars,
            ),
        }
        value.push_str(&paint(self.theme.dim, ending_mark(line.ending)));
        Row {
            number: no,
            part: line.part,
            name,
            value,
            offset: self.base + line.start,
            len: line.wire_len(),
        }
    }

    fn start_row(&self, no: usize, line: &Line, start: Option<&StartLine>) -> Row {
        let theme = self.theme;
        let Some(start) = start else {
            return self.text_row(no, line, Style::new());
        };
        let mut value = String::new();
        let mut pos = line.start;
        let spans: Vec<(std::ops::Range<usize>, Style)> = match start {
            StartLine::Request {
                method,
                target,
                version,
            } => vec![
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
                vec![
                    (version.clone(), theme.version),
                    (code_at..code_at + 3, theme.status(*status)),
                    (reason.clone(), theme.status(*status)),
                ]
            }
        };
        for (span, style) in spans {
            if span.start > pos {
                paint_bytes(&mut value, &self.raw[pos..span.start], Style::new(), theme);
            }
            paint_bytes(&mut value, &self.raw[span.clone()], style, theme);
            pos = pos.max(span.end);
        }
        if pos < line.start + line.len {
            paint_bytes(
                &mut value,
                &self.raw[pos..line.start + line.len],
                Style::new(),
                theme,
            );
        }
        value.push_str(&paint(theme.dim, ending_mark(line.ending)));
        Row {
            number: no,
            part: line.part,
            name: String::new(),
            value,
            offset: self.base + line.start,
            len: line.wire_len(),
        }
    }

    /// Fill the table; returns nothing, rows beyond the body limit become one note row.
    fn fill(&self, table: &mut Table, lines: &[Line], start: Option<&StartLine>) {
        let theme = self.theme;
        let mut body_rows = 0;
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            let in_body = matches!(line.part, Part::Body | Part::ChunkSize | Part::Trailer)
                || (line.part == Part::BlankLine
                    && i > 0
                    && lines[i - 1].part != Part::Header
                    && lines[i - 1].part != Part::StartLine);
            if in_body && body_rows >= self.opts.max_body_lines {
                let rest: usize = lines[i..].iter().map(Line::wire_len).sum();
                let count = lines.len() - i;
                table.add_row(vec![
                    Cell::new("…"),
                    Cell::new(paint(theme.part_label, part_label(Part::Body))),
                    Cell::new(""),
                    Cell::new(paint(
                        theme.dim,
                        &format!("… {rest} more bytes in {count} more lines (--max-body-lines)"),
                    )),
                    Cell::new(self.base + line.start),
                    Cell::new(rest),
                ]);
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
                    let value = paint(
                        theme.body,
                        &format!(
                            "binary, {} bytes: {}{}",
                            bytes.len(),
                            hex_preview(bytes, 16),
                            if bytes.len() > 16 { " …" } else { "" }
                        ),
                    );
                    push_row(
                        table,
                        Row {
                            number: i,
                            part: Part::Body,
                            name: String::new(),
                            value,
                            offset: self.base + line.start,
                            len: bytes.len(),
                        },
                        theme,
                    );
                    i = j + 1;
                    continue;
                }
                Part::Body => self.text_row(i, line, theme.body),
            };
            push_row(table, row, theme);
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
    let mut table = new_table(opts);
    let rows = Rows {
        raw: &msg.raw,
        base: msg.offset,
        theme,
        opts,
        binary_body: looks_binary(msg.body_bytes()),
    };
    rows.fill(&mut table, &msg.lines, Some(&msg.start));
    if let Some(hidden) = msg.context.body_hidden {
        let text = match hidden.bytes {
            Some(n) => format!("{n} bytes, not shown by curl"),
            None => "not shown by curl".to_string(),
        };
        table.add_row(vec![
            Cell::new(""),
            Cell::new(paint(theme.part_label, part_label(Part::Body))),
            Cell::new(""),
            Cell::new(paint(theme.dim, &text)),
            Cell::new(""),
            Cell::new(""),
        ]);
    }
    writeln!(out, "{table}")?;
    let summary = join_wrapped(&summary(msg), usize::from(opts.width));
    writeln!(out, "{}", paint(theme.dim, &summary))?;
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
    let text = super::escape::visible(explain::diagnostic_text(d).as_bytes());
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
        let mut table = new_table(opts);
        let rows = Rows {
            raw: &frag.raw,
            base: frag.offset,
            theme,
            opts,
            binary_body: false,
        };
        rows.fill(&mut table, &frag.lines, None);
        writeln!(out, "{table}")?;
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

//! The anatomy table: one row per line of a message, numbered from 0 like the article's
//! `enumerate()`, with its part, text (line ending made visible), byte offset and length;
//! a title above and a summary of bytes per part below.

use std::io::{self, Write};

use owo_colors::Style;

use super::escape::looks_binary;
use super::paint::{join_wrapped, paint, paint_bytes, paint_cut, plural};
use super::rows::{add_note_row, lines_grid, write_grid};
use super::{RenderOptions, Theme};
use crate::explain;
use crate::input::Stray;
use crate::message::{Diagnostic, Message, Part, Severity, StartLine};
use crate::parse::ParseError;

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
    let binary = looks_binary(msg.body_bytes());
    let mut grid = lines_grid(
        &msg.raw,
        msg.offset,
        &msg.lines,
        Some(&msg.start),
        binary,
        theme,
        opts,
    );
    if let Some(hidden) = msg.context.body_hidden {
        let text = match hidden.bytes {
            Some(n) => format!("{n} bytes, not shown by curl"),
            None => "not shown by curl".to_string(),
        };
        add_note_row(&mut grid, Part::Body, text, theme);
    }
    write_grid(out, &grid, opts)?;
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
        let grid = lines_grid(
            &frag.raw,
            frag.offset,
            &frag.lines,
            None,
            false,
            theme,
            opts,
        );
        write_grid(out, &grid, opts)?;
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

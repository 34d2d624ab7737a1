//! The anatomy table: one row per line of a message, numbered from 0 like the article's
//! `enumerate()`, with its part, text (line ending made visible), byte offset and length;
//! a title above and a summary of bytes per part below. Every word is a [`Label`] in the
//! options' language; lines outside the grid are wrapped to the options' width.

use std::io::{self, Write};

use super::anatomy::{self, message_notes, message_rows, Source};
use super::escape::visible;
use super::rich::{Rich, Tone};
use super::rows::{rows_grid, write_grid};
use super::words::{diagnostic_line, error_title, message_title, place, summary};
use super::wrap::{join_wrapped, write_parts, write_wrapped};
use super::{RenderOptions, Theme};
use crate::explain::{self, Label};
use crate::model::{Message, ParseError, Stray};

/// Write a line wrapped to the table's width, later lines indented by `indent`.
fn write_line(
    out: &mut impl Write,
    line: &Rich<'_>,
    (theme, opts): (&Theme, &RenderOptions),
    indent: usize,
) -> io::Result<()> {
    let mut text = String::new();
    write_wrapped(&mut text, line, usize::from(opts.width), indent, theme);
    out.write_all(text.as_bytes())
}

/// Write a title's parts joined with " · ", its start line first: a line breaks between
/// parts before it breaks inside one.
fn write_title(
    out: &mut impl Write,
    parts: &[String],
    (theme, opts): (&Theme, &RenderOptions),
) -> io::Result<()> {
    let mut text = String::new();
    // Deeper than the capture's notes below it, so a wrapped title reads as one.
    write_parts(
        &mut text,
        parts,
        Tone::Title,
        (usize::from(opts.width), 4),
        theme,
    );
    out.write_all(text.as_bytes())
}

/// Write the table for one message, with its title, summary and diagnostics.
pub fn write_message(
    out: &mut impl Write,
    msg: &Message,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let lang = opts.lang;
    write_title(out, &message_title(msg, lang), (theme, opts))?;
    for note in &msg.context.notes {
        let note = format!("  {}", visible(note.as_bytes()));
        write_line(out, &toned(Tone::Dim, note), (theme, opts), 4)?;
    }
    let notes = message_notes(msg, opts);
    let grid = rows_grid(message_rows(msg, &notes, opts), lang);
    write_grid(out, &grid, theme, opts)?;
    let summary = join_wrapped(&summary(msg, lang), usize::from(opts.width));
    let mut text = String::new();
    theme.paint(&mut text, Tone::Dim, &summary);
    writeln!(out, "{text}")?;
    if opts.hex {
        let view = (&msg.raw[..], msg.offset, &msg.lines);
        super::hex::write_hex(out, view, Some(&msg.start), theme, opts)?;
    }
    for d in &msg.diagnostics {
        write_line(out, &diagnostic_line(d, lang), (theme, opts), 2)?;
    }
    writeln!(out)
}

/// Text in one tone.
fn toned(tone: Tone, text: String) -> Rich<'static> {
    let mut rich = Rich::new();
    rich.push(tone, text);
    rich
}

/// Write what could be read of a broken message, then the error.
pub fn write_error(
    out: &mut impl Write,
    err: &ParseError,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let lang = opts.lang;
    write_title(out, &error_title(err, lang), (theme, opts))?;
    let frag = &err.fragment;
    if !frag.lines.is_empty() {
        let notes = if opts.explain {
            explain::fragment_notes(&frag.raw, &frag.lines, lang)
        } else {
            Vec::new()
        };
        let source = Source {
            raw: &frag.raw,
            base: frag.offset,
            lines: &frag.lines,
            start: None,
            binary_body: false,
            notes: &notes,
        };
        let grid = rows_grid(anatomy::rows(&source, opts), lang);
        write_grid(out, &grid, theme, opts)?;
        if opts.hex {
            let view = (&frag.raw[..], frag.offset, &frag.lines);
            super::hex::write_hex(out, view, None, theme, opts)?;
        }
    }
    let mut line = Rich::new();
    line.push(Tone::Error, Label::ErrorPrefix.text(lang));
    line.push(Tone::Plain, place(Some(err.line), err.offset, lang));
    line.push(Tone::Plain, Label::Colon.text(lang));
    let text = visible(explain::error_text(&err.kind, lang).as_bytes());
    line.push(Tone::Plain, text);
    write_line(out, &line, (theme, opts), 2)?;
    writeln!(out)
}

/// Bytes between messages: blank lines, or what was skipped after an error.
pub fn write_stray(
    out: &mut impl Write,
    stray: &Stray,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    if stray.blank {
        return Ok(());
    }
    let lang = opts.lang;
    let skipped = Label::Skipped.fill(
        lang,
        &[&stray.bytes.len().to_string(), &stray.offset.to_string()],
    );
    let mut line = Rich::new();
    line.push(Tone::Warning, Label::NotePrefix.text(lang));
    line.push(Tone::Plain, skipped);
    line.push_cut(&stray.bytes, Tone::Plain, (60, lang));
    write_line(out, &line, (theme, opts), 2)?;
    writeln!(out)
}

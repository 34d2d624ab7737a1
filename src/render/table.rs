//! The anatomy table: one row per line of a message, numbered from 0 like the article's
//! `enumerate()`, with its part, text (line ending made visible), byte offset and length;
//! a title above and a summary of bytes per part below. Every word is a [`Label`] in the
//! options' language; lines outside the grid are wrapped to the options' width.

use std::io::{self, Write};

use super::anatomy::{self, message_notes, message_rows, Source};
use super::escape::visible;
use super::paint::{count, join_wrapped, paint, paint_bytes, paint_cut};
use super::rich::{Rich, Tone};
use super::rows::{rows_grid, write_grid};
use super::wrap::write_wrapped;
use super::{RenderOptions, Theme};
use crate::explain::{self, framing_label, Label, Lang};
use crate::model::ParseError;
use crate::model::Stray;
use crate::model::{Context, Diagnostic, Message, Role, Severity, StartLine};

/// The words after "Request 1:" in a title.
fn title_words(msg: &Message, lang: Lang) -> String {
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
            paint_cut(&mut s, msg.bytes(target), theme.target, &theme, (60, lang));
            s.push(' ');
            paint_bytes(&mut s, msg.bytes(version), theme.version, &theme);
        }
        StartLine::Response { status, reason, .. } => {
            s.push_str(&status.to_string());
            if !reason.is_empty() {
                s.push(' ');
                paint_cut(&mut s, msg.bytes(reason), theme.body, &theme, (60, lang));
            }
        }
    }
    s
}

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

/// "Request 1: GET / HTTP/1.1", with the words a listener or a transcript added; safe
/// text without colour.
pub fn message_title(msg: &Message, lang: Lang) -> String {
    let kind = match msg.start {
        StartLine::Request { .. } => Label::TitleRequest,
        StartLine::Response { .. } => Label::TitleResponse,
    };
    let mut title = kind.fill(
        lang,
        &[
            &numbered(msg.nth_of_kind, &msg.context, lang),
            &title_words(msg, lang),
        ],
    );
    title.push_str(&title_tail(&msg.context, lang));
    title
}

/// Write the table for one message, with its title, summary and diagnostics.
pub fn write_message(
    out: &mut impl Write,
    msg: &Message,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let lang = opts.lang;
    // Deeper than the capture's notes below it, so a wrapped title reads as one.
    let title = message_title(msg, lang);
    write_line(out, &toned(Tone::Title, title), (theme, opts), 4)?;
    for note in &msg.context.notes {
        let note = format!("  {}", visible(note.as_bytes()));
        write_line(out, &toned(Tone::Dim, note), (theme, opts), 4)?;
    }
    let notes = message_notes(msg, opts);
    let grid = rows_grid(message_rows(msg, &notes, opts), lang);
    write_grid(out, &grid, theme, opts)?;
    let summary = join_wrapped(&summary(msg, lang), usize::from(opts.width));
    writeln!(out, "{}", paint(theme.dim, &summary))?;
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

/// The parts of the summary under a table: "start line 16 B", "headers 62 B in 3 lines", ...
pub fn summary(msg: &Message, lang: Lang) -> Vec<String> {
    let sizes = msg.part_sizes();
    let framing = framing_label(msg.body.framing).text(lang);
    let body = if msg.body.decoded.is_some() {
        Label::SummaryBodyDecoded.fill(
            lang,
            &[
                &sizes.body.to_string(),
                &msg.body_bytes().len().to_string(),
                framing,
            ],
        )
    } else {
        Label::SummaryBody.fill(lang, &[&sizes.body.to_string(), framing])
    };
    let lines = count(msg.headers.len(), Label::LineOne, Label::LineMany, lang);
    let text = Label::Summary.fill(
        lang,
        &[
            &sizes.start_line.to_string(),
            &sizes.headers.to_string(),
            &lines,
            &sizes.blank_line.to_string(),
            &body,
            &msg.raw.len().to_string(),
        ],
    );
    // The template joins its parts with " · ", where a narrow table may break the line.
    text.split(" · ").map(str::to_string).collect()
}

/// "line 3, byte 20" or "byte 20".
fn place(line: Option<usize>, offset: usize, lang: Lang) -> String {
    match line {
        Some(line) => Label::PlaceLine.fill(lang, &[&line.to_string(), &offset.to_string()]),
        None => Label::PlaceByte.fill(lang, &[&offset.to_string()]),
    }
}

/// "warning[code] line 3, byte 20: what is wrong", the severity in its tone.
pub fn diagnostic_line(d: &Diagnostic, lang: Lang) -> Rich<'static> {
    let (tone, severity) = match d.severity {
        Severity::Error => (Tone::Error, Label::SeverityError),
        Severity::Warning => (Tone::Warning, Label::SeverityWarning),
        Severity::Note => (Tone::Note, Label::SeverityNote),
    };
    let mut line = Rich::new();
    line.push(tone, format!("{}[{}]", severity.text(lang), d.code));
    line.push(Tone::Plain, " ");
    line.push(Tone::Plain, place(d.line, d.offset, lang));
    line.push(Tone::Plain, Label::Colon.text(lang));
    let text = visible(explain::diagnostic_text(d, lang).as_bytes());
    line.push(Tone::Plain, text);
    line
}

/// A title's number, with the words of where it came from when a listener saw it:
/// "Request 3 (connection 2, #2 on it) from 127.0.0.1:51432 at 10:31:07.120: GET ...".
fn numbered(number: usize, context: &Context, lang: Lang) -> String {
    let Some(origin) = &context.origin else {
        return number.to_string();
    };
    let label = match origin.role {
        Role::Request => Label::OriginRequest,
        Role::Answer => Label::OriginAnswer,
        Role::InterimAnswer => Label::OriginInterim,
    };
    let words = label.fill(
        lang,
        &[
            &origin.connection.to_string(),
            &origin.nth.to_string(),
            &origin.peer,
            &origin.at.format("%H:%M:%S%.3f").to_string(),
        ],
    );
    format!("{number} {}", visible(words.as_bytes()))
}

/// The words after a title: what a transcript said (the command, where it connected,
/// HTTP/2), or what a listener answered.
fn title_tail(context: &Context, lang: Lang) -> String {
    let mut tail = String::new();
    if let Some(capture) = &context.capture {
        let mut words = Vec::new();
        if capture.http2 {
            words.push(Label::CapturedHttp2.text(lang).to_string());
        }
        if let Some(command) = &capture.command {
            words.push(format!("$ {command}"));
        }
        if let Some(connected) = &capture.connected {
            words.push(Label::CapturedConnected.fill(lang, &[connected]));
        }
        if !words.is_empty() {
            tail.push_str(" — ");
            tail.push_str(&visible(words.join(" · ").as_bytes()));
        }
    }
    if let Some(status) = context.answered {
        let phrase = explain::status(status).map_or("", |s| s.phrase);
        tail.push(' ');
        tail.push_str(&Label::Answered.fill(lang, &[&format!("{status} {phrase}")]));
    }
    tail
}

/// Write what could be read of a broken message, then the error.
pub fn write_error(
    out: &mut impl Write,
    err: &ParseError,
    theme: &Theme,
    opts: &RenderOptions,
) -> io::Result<()> {
    let lang = opts.lang;
    let number = numbered(err.index, &err.fragment.context, lang);
    let mut title = Label::TitleUnreadable.fill(lang, &[&number]);
    title.push_str(&title_tail(&err.fragment.context, lang));
    write_line(out, &toned(Tone::Title, title), (theme, opts), 2)?;
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

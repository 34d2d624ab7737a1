//! What the tables call each part, and what `--explain` says under each line: the start
//! line's parts, each header's purpose, the blank line, and how the body's length was
//! decided. Renderers print what they get here, so the words stay in the explain tables.

use super::i18n::{Label, Lang};
use super::{header_note, method_note, status_note};
use crate::model::grammar::split_field;
use crate::model::{Framing, Kind, Lines, Message, Part, Span, StartLine};

/// What a part is called in tables: the start line by its kind when the kind is known.
pub fn part_label(part: Part, start: Option<&StartLine>) -> Label {
    match part {
        Part::StartLine => match start {
            Some(StartLine::Request { .. }) => Label::RequestLine,
            Some(StartLine::Response { .. }) => Label::StatusLine,
            None => Label::StartLine,
        },
        Part::Header => Label::HeaderLine,
        Part::BlankLine => Label::BlankLine,
        Part::Body => Label::Body,
        Part::ChunkSize => Label::ChunkSize,
        Part::Trailer => Label::Trailer,
    }
}

/// The word for how a body's length was decided, as the summary shows it.
pub fn framing_label(framing: Option<Framing>) -> Label {
    match framing {
        None | Some(Framing::None) => Label::FramingNone,
        Some(Framing::ContentLength) => Label::FramingContentLength,
        Some(Framing::Chunked) => Label::FramingChunked,
        Some(Framing::UntilClose) => Label::FramingUntilClose,
    }
}

/// How the length of a message's body was decided (RFC 9112 section 6.3), as a note.
pub fn body_note(msg: &Message) -> Option<Label> {
    Some(match msg.body.framing? {
        // A response without length fields runs until close, so a response with no body
        // is one that never has one: to HEAD, or 1xx, 204, 304.
        Framing::None if msg.kind() == Kind::Response => Label::NoteBodyNoneStatus,
        Framing::None => Label::NoteBodyNone,
        Framing::ContentLength => Label::NoteBodyContentLength,
        Framing::Chunked => Label::NoteBodyChunked,
        Framing::UntilClose => Label::NoteBodyUntilClose,
    })
}

/// One note under a row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The line of the message it is about (an index into its lines).
    pub line: usize,
    /// For a part of the start line: the part's name and its bytes (a span of the raw
    /// bytes, which the renderer shows escaped).
    pub about: Option<(Label, Span)>,
    pub text: String,
}

/// The notes for every line of a message, in line order.
pub fn message_notes(msg: &Message, lang: Lang) -> Vec<Note> {
    line_notes(&msg.raw, &msg.lines, Some(msg), lang)
}

/// The notes for the lines of a message that could not be read: what can be said without
/// a start line or a body (header purposes, the blank line).
pub fn fragment_notes(raw: &[u8], lines: &Lines, lang: Lang) -> Vec<Note> {
    line_notes(raw, lines, None, lang)
}

fn line_notes(raw: &[u8], lines: &Lines, msg: Option<&Message>, lang: Lang) -> Vec<Note> {
    let mut notes = Vec::new();
    let head_end = lines.iter(raw).position(|l| l.part == Part::BlankLine);
    // The body note goes under the first line after the head, or under the blank line
    // when nothing follows it.
    let body_at = head_end.map(|b| if b + 1 < lines.len() { b + 1 } else { b });
    for (i, line) in lines.iter(raw).enumerate() {
        let text = &raw[line.content()];
        let mut add = |about: Option<(Label, Span)>, text: String| {
            notes.push(Note {
                line: i,
                about,
                text,
            })
        };
        match line.part {
            Part::StartLine => {
                if let Some(msg) = msg {
                    start_line_notes(msg, lang, &mut add);
                }
            }
            Part::Header | Part::Trailer => match field_name(text) {
                Some(name) => add(None, header_note(name, lang)),
                None if text.first().is_some_and(|&b| b == b' ' || b == b'\t') => {
                    add(None, Label::NoteContinuation.text(lang).to_string())
                }
                None => {}
            },
            Part::BlankLine if Some(i) == head_end => {
                add(None, Label::NoteBlankLine.text(lang).to_string())
            }
            Part::BlankLine => add(None, Label::NoteBodyEnd.text(lang).to_string()),
            Part::Body | Part::ChunkSize => {}
        }
        if Some(i) == body_at {
            if let Some(label) = msg.and_then(body_note) {
                add(None, label.text(lang).to_string());
            }
        }
        if line.part == Part::ChunkSize {
            let size = text.split(|&b| b == b';').next().unwrap_or_default();
            let size = size.trim_ascii();
            let label = if !size.is_empty() && size.iter().all(|&b| b == b'0') {
                Label::NoteLastChunk
            } else {
                Label::NoteChunkSize
            };
            add(None, label.text(lang).to_string());
        }
    }
    notes
}

/// The notes for the start line: its shape, then each of its three parts.
fn start_line_notes(
    msg: &Message,
    lang: Lang,
    add: &mut impl FnMut(Option<(Label, Span)>, String),
) {
    match &msg.start {
        StartLine::Request {
            method,
            target,
            version,
        } => {
            add(None, Label::NoteRequestLine.text(lang).to_string());
            add(
                Some((Label::Method, method.clone())),
                method_note(msg.bytes(method), lang),
            );
            let form = target_form(msg.bytes(method), msg.bytes(target));
            add(
                Some((Label::Target, target.clone())),
                form.text(lang).to_string(),
            );
            add(
                Some((Label::Version, version.clone())),
                Label::NoteVersion.text(lang).to_string(),
            );
        }
        StartLine::Response {
            version,
            status,
            reason,
        } => {
            add(None, Label::NoteStatusLine.text(lang).to_string());
            add(
                Some((Label::Version, version.clone())),
                Label::NoteVersion.text(lang).to_string(),
            );
            let code_at = version.end + 1;
            add(
                Some((Label::StatusCode, code_at..code_at + 3)),
                status_note(*status, lang),
            );
            add(
                Some((Label::ReasonPhrase, reason.clone())),
                Label::NoteReasonPhrase.text(lang).to_string(),
            );
        }
    }
}

/// Which of the four forms of RFC 9112 section 3.2 a request target has.
fn target_form(method: &[u8], target: &[u8]) -> Label {
    if target == b"*" {
        Label::FormAsterisk
    } else if target.starts_with(b"/") {
        Label::FormOrigin
    } else if method == b"CONNECT" {
        Label::FormAuthority
    } else if target.windows(3).any(|w| w == b"://") {
        Label::FormAbsolute
    } else {
        Label::NoteTarget
    }
}

/// The field name of a header line, or `None` for a continuation or a line without a
/// colon. Whitespace before the colon (itself a lint) is not part of the name.
fn field_name(text: &[u8]) -> Option<&[u8]> {
    let name = split_field(text, false)?.0.trim_ascii_end();
    (!name.is_empty()).then_some(name)
}

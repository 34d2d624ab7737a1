//! An anatomy table as data: one row per line of a message, numbered from 0, with its
//! part, name and value (line ending made visible), byte offset and length, and the
//! `--explain` notes about it. The terminal grid ([`super::rows`]) and the HTML page
//! ([`super::html`]) both draw these rows, so they always show the same thing.

use super::escape::{hex_preview, looks_binary};
use super::rich::{Rich, Tone};
use super::{Endings, RenderOptions};
use crate::explain::{self, count, part_label, Label, Lang, Note};
use crate::model::grammar::split_field;
use crate::model::{Line, LineEnding, Lines, Message, Part, StartLine};

/// One row of the table. Rows that stand for something not captured (a body curl hid)
/// have no number, offset or length.
#[derive(Clone, Debug)]
pub struct Row<'a> {
    pub number: Option<usize>,
    pub part: Part,
    /// What the part is called in the table ("request line", "header" ...).
    pub label: Label,
    pub name: Rich<'a>,
    pub value: Rich<'a>,
    pub offset: Option<usize>,
    pub len: Option<usize>,
    /// The `--explain` notes about the lines this row stands for.
    pub notes: Vec<Rich<'a>>,
}

/// What a table is drawn from: lines over `raw` (whose first byte is at `base` in the
/// input), the start line to colour its parts and name its kind, and the notes to show.
pub struct Source<'a> {
    pub raw: &'a [u8],
    pub base: usize,
    pub lines: &'a Lines,
    pub start: Option<&'a StartLine>,
    /// Show a binary body as one row of hex.
    pub binary_body: bool,
    pub notes: &'a [Note],
}

/// The rows of a whole message: its lines, then a row for a body that was not captured.
/// `notes` must outlive the rows: get them from [`message_notes`].
pub fn message_rows<'a>(msg: &'a Message, notes: &'a [Note], opts: &RenderOptions) -> Vec<Row<'a>> {
    let source = Source {
        raw: &msg.raw,
        base: msg.offset,
        lines: &msg.lines,
        start: Some(&msg.start),
        binary_body: looks_binary(msg.body_bytes()),
        notes,
    };
    let mut rows = rows(&source, opts);
    if let Some(hidden) = msg.context.body_hidden {
        let lang = opts.lang;
        let har = msg.context.har.is_some();
        let text = match (hidden.bytes, har) {
            (Some(n), false) => Label::HiddenBodyBytes.fill(lang, &[&n.to_string()]),
            (None, false) => Label::HiddenBody.text(lang).to_string(),
            (Some(n), true) => Label::HiddenBodyHarBytes.fill(lang, &[&n.to_string()]),
            (None, true) => Label::HiddenBodyHar.text(lang).to_string(),
        };
        let mut value = Rich::new();
        value.push(Tone::Dim, text);
        rows.push(Row {
            number: None,
            part: Part::Body,
            label: part_label(Part::Body, None),
            name: Rich::new(),
            value,
            offset: None,
            len: None,
            notes: Vec::new(),
        });
    }
    rows
}

/// The `--explain` notes for a message, or none without `--explain`.
pub fn message_notes(msg: &Message, opts: &RenderOptions) -> Vec<Note> {
    if opts.explain {
        explain::message_notes(msg, opts.lang)
    } else {
        Vec::new()
    }
}

/// The rows for the lines of a message or fragment; body rows beyond
/// `--max-body-lines` become one row saying what is left.
pub fn rows<'a>(src: &Source<'a>, opts: &RenderOptions) -> Vec<Row<'a>> {
    let lang = opts.lang;
    let total = src.lines.len();
    // Only the rows shown are made: the lines past `--max-body-lines` are counted as
    // they are read, never collected.
    let mut out: Vec<Row<'a>> = Vec::new();
    let mut next_note = 0;
    let mut body_rows = 0;
    let head_end = src
        .lines
        .iter(src.raw)
        .position(|l| l.part == Part::BlankLine)
        .unwrap_or(total);
    let mut lines = src.lines.iter(src.raw).enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let in_body = i > head_end;
        // The last line this row stands for.
        let mut last = i;
        let row = if in_body && body_rows >= opts.max_body_lines {
            let rest: usize =
                line.wire_len() + lines.by_ref().map(|(_, l)| l.wire_len()).sum::<usize>();
            let left = count(total - i, Label::MoreLineOne, Label::MoreLineMany, lang);
            let mut value = Rich::new();
            value.push(
                Tone::Dim,
                Label::MoreBodyLines.fill(lang, &[&rest.to_string(), &left]),
            );
            last = total;
            src.row(i, &line, Rich::new(), value).with_len(rest)
        } else {
            if in_body {
                body_rows += 1;
            }
            match line.part {
                Part::StartLine => src.start_row(i, &line, opts),
                Part::Header => src.field_row(i, &line, Tone::HeaderName, opts),
                Part::Trailer => src.field_row(i, &line, Tone::Trailer, opts),
                Part::BlankLine => src.text_row(i, &line, Tone::BlankLine, opts),
                Part::ChunkSize | Part::LastChunk | Part::ChunkEnd => {
                    src.text_row(i, &line, Tone::Chunk, opts)
                }
                Part::Body | Part::ChunkData if src.binary_body => {
                    // Consecutive binary lines (of one chunk) become one row of hex.
                    let mut end = line.end();
                    let part = line.part;
                    while let Some((no, next)) = lines.next_if(|(_, l)| l.part == part) {
                        last = no;
                        end = next.end();
                    }
                    let bytes = &src.raw[line.start..end];
                    let more = if bytes.len() > 16 { " …" } else { "" };
                    let mut value = Rich::new();
                    let size = bytes.len().to_string();
                    value.push(Tone::Body, Label::BinaryBody.fill(lang, &[&size]));
                    value.push(Tone::Body, format!("{}{more}", hex_preview(bytes, 16)));
                    src.row(i, &line, Rich::new(), value).with_len(bytes.len())
                }
                Part::Body | Part::ChunkData => src.text_row(i, &line, Tone::Body, opts),
            }
        };
        let mut row = row;
        while let Some(note) = src.notes.get(next_note).filter(|n| n.line <= last) {
            row.notes.push(src.note(note, lang));
            next_note += 1;
        }
        out.push(row);
    }
    out
}

impl Row<'_> {
    fn with_len(mut self, len: usize) -> Self {
        self.len = Some(len);
        self
    }
}

impl<'a> Source<'a> {
    fn row(&self, no: usize, line: &Line, name: Rich<'a>, value: Rich<'a>) -> Row<'a> {
        Row {
            number: Some(no),
            part: line.part,
            label: part_label(line.part, self.start),
            name,
            value,
            offset: Some(self.base + line.start),
            len: Some(line.wire_len()),
            notes: Vec::new(),
        }
    }

    /// "method GET: what it means", the part's bytes escaped.
    fn note(&self, note: &Note, lang: Lang) -> Rich<'a> {
        let mut text = Rich::new();
        if let Some((label, span)) = &note.about {
            text.push(Tone::Title, label.text(lang));
            text.push(Tone::Title, " ");
            if span.is_empty() {
                text.push(Tone::Dim, Label::Empty.text(lang));
            } else {
                text.push_cut(&self.raw[span.clone()], Tone::HeaderValue, (40, lang));
            }
            text.push(Tone::Note, Label::Colon.text(lang));
        }
        text.push(Tone::Note, note.text.clone());
        text
    }

    fn text_row(&self, no: usize, line: &Line, tone: Tone, opts: &RenderOptions) -> Row<'a> {
        let mut value = Rich::new();
        let max = (opts.max_cell_chars, opts.lang);
        value.push_cut(&self.raw[line.content()], tone, max);
        value.push(Tone::Ending, ending_mark(line.ending, opts.endings));
        self.row(no, line, Rich::new(), value)
    }

    fn field_row(&self, no: usize, line: &Line, name_tone: Tone, opts: &RenderOptions) -> Row<'a> {
        let text = &self.raw[line.content()];
        let (mut name, mut value) = (Rich::new(), Rich::new());
        let max = (opts.max_cell_chars, opts.lang);
        let marks = opts.endings;
        match split_field(text, self.pseudo_fields()) {
            Some((field, rest)) => {
                // A name is a token: any space or tab in it (before the colon, most
                // often) is an error the row must show, not hide.
                for piece in field.split_inclusive(|&b| is_blank(b)) {
                    let (word, blank) = piece.split_at(piece.len() - blank_tail(piece));
                    name.push_cut(word, name_tone, max);
                    push_blanks(&mut name, blank, marks, max);
                }
                // One space after the colon is the convention; anything else stays visible.
                let rest = match rest.strip_prefix(b" ") {
                    Some(r) if !r.first().copied().is_some_and(is_blank) => r,
                    _ => rest,
                };
                push_around(&mut value, rest, Tone::HeaderValue, (marks, max));
            }
            // A continuation line (obs-fold) starts with the whitespace that folds it.
            _ => push_around(&mut value, text, Tone::HeaderValue, (marks, max)),
        }
        value.push(Tone::Ending, ending_mark(line.ending, opts.endings));
        self.row(no, line, name, value)
    }

    /// HTTP/2 and HTTP/3 heads shown as text keep the leading colon of pseudo-header
    /// names (`:authority`), which is part of the name, not the separator.
    fn pseudo_fields(&self) -> bool {
        let version = match self.start {
            Some(StartLine::Request { version, .. } | StartLine::Response { version, .. }) => {
                &self.raw[version.clone()]
            }
            None => return false,
        };
        matches!(version, b"HTTP/2" | b"HTTP/3" | b"HTTP/2.0" | b"HTTP/3.0")
    }

    fn start_row(&self, no: usize, line: &Line, opts: &RenderOptions) -> Row<'a> {
        let Some(start) = self.start else {
            return self.text_row(no, line, Tone::Plain, opts);
        };
        let mut value = Rich::new();
        let mut pos = line.start;
        let spans: [(std::ops::Range<usize>, Tone); 3] = match start {
            StartLine::Request {
                method,
                target,
                version,
            } => [
                (method.clone(), Tone::Method),
                (target.clone(), Tone::Target),
                (version.clone(), Tone::Version),
            ],
            StartLine::Response {
                version,
                status,
                reason,
            } => {
                let code_at = version.end + 1;
                [
                    (version.clone(), Tone::Version),
                    (code_at..code_at + 3, Tone::Status(*status)),
                    (reason.clone(), Tone::Status(*status)),
                ]
            }
        };
        for (span, tone) in spans {
            if span.start > pos {
                value.push_bytes(&self.raw[pos..span.start], Tone::Plain);
            }
            if span.end > span.start.max(pos) {
                value.push_bytes(&self.raw[span.start.max(pos)..span.end], tone);
            }
            pos = pos.max(span.end);
        }
        if pos < line.start + line.len {
            value.push_bytes(&self.raw[pos..line.start + line.len], Tone::Plain);
        }
        value.push(Tone::Ending, ending_mark(line.ending, opts.endings));
        self.row(no, line, Rich::new(), value)
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// How many spaces and tabs end `bytes`.
fn blank_tail(bytes: &[u8]) -> usize {
    bytes.iter().rev().take_while(|&&b| is_blank(b)).count()
}

/// `bytes` with the spaces and tabs before and after it made visible (they are invisible
/// at the edge of a cell, and a value's whitespace is not part of it: RFC 9112 section 5).
fn push_around<'a>(
    cell: &mut Rich<'a>,
    bytes: &'a [u8],
    tone: Tone,
    (marks, max): (Endings, (usize, Lang)),
) {
    let lead = bytes.iter().take_while(|&&b| is_blank(b)).count();
    let (blank, rest) = bytes.split_at(lead);
    let (core, trail) = rest.split_at(rest.len() - blank_tail(rest));
    push_blanks(cell, blank, marks, max);
    cell.push_cut(core, tone, max);
    push_blanks(cell, trail, marks, max);
}

/// Spaces and tabs as marks: `·` for a space, `→` (or `\t` with `--endings escapes`) for
/// a tab; a run longer than a cell holds is cut like any text.
fn push_blanks(cell: &mut Rich<'_>, blanks: &[u8], marks: Endings, (max, lang): (usize, Lang)) {
    let tab = match marks {
        Endings::Symbols => "→",
        Endings::Escapes => "\\t",
    };
    let shown: String = blanks
        .iter()
        .take(max)
        .map(|&b| if b == b' ' { "·" } else { tab })
        .collect();
    cell.push(Tone::Space, shown);
    if blanks.len() > max {
        let left = (blanks.len() - max).to_string();
        cell.push(Tone::Dim, Label::CutBytes.fill(lang, &[&left]));
    }
}

/// The visible mark for a line ending.
pub fn ending_mark(ending: LineEnding, endings: Endings) -> &'static str {
    match (ending, endings) {
        (LineEnding::CrLf, Endings::Symbols) => "␍␊",
        (LineEnding::Lf, Endings::Symbols) => "␊",
        (LineEnding::CrLf, Endings::Escapes) => "\\r\\n",
        (LineEnding::Lf, Endings::Escapes) => "\\n",
        (LineEnding::None, _) => "",
    }
}

//! Safe text in tones: what a table cell, a title or a note holds. A tone says what the
//! text is (a method, a header name, an escape ...); the colour comes only when it is
//! shown, from a [`super::Theme`] on a terminal or from the stylesheet in HTML.

use std::borrow::Cow;

use smallvec::SmallVec;
use unicode_width::UnicodeWidthChar;

use super::escape::{for_each_piece, Piece};
use crate::explain::{Label, Lang};

/// What a piece of text is, for a [`super::Theme`] (terminal) or a stylesheet (HTML) to
/// colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Title,
    Method,
    Target,
    Version,
    /// A status code or reason phrase, coloured by the code's class.
    Status(u16),
    HeaderName,
    HeaderValue,
    BlankLine,
    Body,
    Chunk,
    Trailer,
    PartLabel,
    Dim,
    /// The mark of a line ending (`␍␊`).
    Ending,
    /// The mark of a space or tab where whitespace would be invisible (`·`, `→`).
    Space,
    /// The visible stand-in for a byte that is not safe to show.
    Escape,
    Error,
    Warning,
    Note,
}

/// Text in one tone. The text is already safe to show (see `escape`).
#[derive(Clone, Debug)]
pub struct Run<'a> {
    pub tone: Tone,
    pub text: Cow<'a, str>,
}

/// Safe text in tones. Most cells hold one or two runs (a value and its line ending),
/// kept inline: a table makes several cells per line of input.
#[derive(Clone, Debug, Default)]
pub struct Rich<'a> {
    pub runs: SmallVec<[Run<'a>; 2]>,
}

impl<'a> Rich<'a> {
    pub fn new() -> Self {
        Rich {
            runs: SmallVec::new(),
        }
    }

    /// Plain text (already safe).
    pub fn text(text: impl Into<Cow<'a, str>>) -> Self {
        let mut rich = Rich::new();
        rich.push(Tone::Plain, text);
        rich
    }

    /// Display width in terminal columns.
    pub fn width(&self) -> usize {
        self.runs.iter().map(|r| str_width(&r.text)).sum()
    }

    pub fn push(&mut self, tone: Tone, text: impl Into<Cow<'a, str>>) {
        let text = text.into();
        if !text.is_empty() {
            self.runs.push(Run { tone, text });
        }
    }

    /// Untrusted bytes made visible: escapes get [`Tone::Escape`].
    pub fn push_bytes(&mut self, bytes: &'a [u8], tone: Tone) {
        for_each_piece(bytes, |piece| match piece {
            Piece::Text(t) => self.push(tone, t),
            Piece::Escape(e) => self.push(Tone::Escape, e),
        });
    }

    /// The text without its tones.
    pub fn plain(&self) -> String {
        self.runs.iter().map(|r| &*r.text).collect()
    }

    /// Like [`Rich::push_bytes`], cut to at most `max` bytes with a note of what was left.
    pub fn push_cut(&mut self, bytes: &'a [u8], tone: Tone, (max, lang): (usize, Lang)) {
        if bytes.len() > max {
            self.push_bytes(&bytes[..max], tone);
            let left = (bytes.len() - max).to_string();
            self.push(Tone::Dim, Label::CutBytes.fill(lang, &[&left]));
        } else {
            self.push_bytes(bytes, tone);
        }
    }
}

/// Display width of safe text.
pub fn str_width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(|c| c.width().unwrap_or(0)).sum()
    }
}

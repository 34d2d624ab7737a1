//! The colours of each part of a message, chosen once and passed to renderers; and the
//! one place text gets a colour ([`Theme::paint`]), after it was laid out.

use std::fmt::Write as _;

use owo_colors::Style;

use super::rich::Tone;

/// One style per part of a table. [`Theme::plain`] has no colour at all.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub title: Style,
    pub method: Style,
    pub target: Style,
    pub version: Style,
    pub status_ok: Style,
    pub status_redirect: Style,
    pub status_client_error: Style,
    pub status_server_error: Style,
    pub status_info: Style,
    pub header_name: Style,
    pub header_value: Style,
    pub blank_line: Style,
    pub body: Style,
    pub chunk: Style,
    pub trailer: Style,
    pub part_label: Style,
    pub dim: Style,
    pub escape: Style,
    pub error: Style,
    pub warning: Style,
    pub note: Style,
}

impl Theme {
    /// No colour: for pipes, files, `NO_COLOR` and snapshots.
    pub fn plain() -> Self {
        Theme::default()
    }

    /// The colours shown on a terminal. They must read on dark and light backgrounds
    /// and on a projector, so they come from what does in common palettes: the default
    /// foreground, red, green and magenta, with bold, underline, dim and reverse. Blue
    /// (dark on black), cyan and yellow (pale on white) are not used.
    pub fn colored() -> Self {
        let s = Style::new();
        Theme {
            title: s.bold(),
            method: s.green().bold(),
            // A target reads like a link.
            target: s.underline(),
            version: s.magenta(),
            status_ok: s.green().bold(),
            status_redirect: s.magenta().bold(),
            status_client_error: s.red().bold(),
            // White on red: a server error stands out from a client's.
            status_server_error: s.red().bold().reversed(),
            status_info: s.bold(),
            // The default foreground in bold has the most contrast on any background.
            header_name: s.bold(),
            header_value: s,
            blank_line: s.dimmed(),
            body: s,
            chunk: s.magenta(),
            trailer: s.magenta().bold(),
            part_label: s.dimmed(),
            dim: s.dimmed(),
            escape: s.red().reversed(),
            error: s.red().bold(),
            warning: s.magenta().bold(),
            // Notes are sentences to read: the default foreground.
            note: s,
        }
    }

    /// The theme for a choice made once at start-up.
    pub fn new(color: bool) -> Self {
        if color {
            Theme::colored()
        } else {
            Theme::plain()
        }
    }

    /// The style of a tone.
    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Plain => Style::new(),
            Tone::Title => self.title,
            Tone::Method => self.method,
            Tone::Target => self.target,
            Tone::Version => self.version,
            Tone::Status(code) => self.status(code),
            Tone::HeaderName => self.header_name,
            Tone::HeaderValue => self.header_value,
            Tone::BlankLine => self.blank_line,
            Tone::Body => self.body,
            Tone::Chunk => self.chunk,
            Tone::Trailer => self.trailer,
            Tone::PartLabel => self.part_label,
            Tone::Dim | Tone::Ending | Tone::Space => self.dim,
            Tone::Escape => self.escape,
            Tone::Error => self.error,
            Tone::Warning => self.warning,
            Tone::Note => self.note,
        }
    }

    /// Append safe `text` in the style of `tone`.
    pub fn paint(&self, out: &mut String, tone: Tone, text: &str) {
        let style = self.tone(tone);
        if style.is_plain() || text.is_empty() {
            out.push_str(text);
        } else {
            let _ = write!(out, "{}", style.style(text));
        }
    }

    /// The style of a status code by its class.
    pub fn status(&self, code: u16) -> Style {
        match code {
            100..=199 => self.status_info,
            200..=299 => self.status_ok,
            300..=399 => self.status_redirect,
            400..=499 => self.status_client_error,
            _ => self.status_server_error,
        }
    }
}

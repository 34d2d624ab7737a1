//! Pure functions from the model to text: anatomy tables, JSON Lines, raw bytes and an
//! HTML page, each writing to an `impl Write`. Colour comes from a [`Theme`] value (or,
//! in HTML, a stylesheet), never a global.

mod anatomy;
mod escape;
mod exchange;
mod grid;
mod har;
mod hex;
pub mod html;
pub mod json;
mod json_str;
pub mod live;
mod packet;
pub(crate) mod raw;
pub mod relay;
mod rich;
mod rows;
pub mod table;
mod theme;
mod words;
mod wrap;

pub use escape::visible;
pub use rich::Tone;
pub use theme::Theme;

use std::io::{self, Write};

use crate::explain::Lang;
use crate::model::Item;

/// What the renderers need to know besides the message.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Total width of a table, in terminal columns.
    pub width: u16,
    /// How many body lines a table shows before it says how much is left.
    pub max_body_lines: usize,
    /// The longest text a single table cell shows before it is cut.
    pub max_cell_chars: usize,
    /// Show the packet view (offset | hex | ASCII) under each table.
    pub hex: bool,
    /// Put a note under each row saying what the line is for (`--explain`).
    pub explain: bool,
    /// The language of every word shown, JSON `message` texts included (`--lang`).
    pub lang: Lang,
    /// How line endings are marked in tables (`--endings`).
    pub endings: Endings,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            width: 100,
            max_body_lines: 20,
            max_cell_chars: 1024,
            hex: false,
            explain: false,
            lang: Lang::En,
            endings: Endings::Symbols,
        }
    }
}

/// How a table marks line endings and the whitespace around a header's name and value.
/// The control pictures `␍␊` are missing from many monospace fonts (DejaVu Sans Mono,
/// Liberation Mono), which then show boxes; escapes are plain ASCII.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Endings {
    /// `␍␊` for CR LF, `→` for a tab around a name or value.
    #[default]
    Symbols,
    /// `\r\n` for CR LF, `\t` for a tab around a name or value.
    Escapes,
}

/// The output formats every command offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Anatomy tables, one per message.
    Table,
    /// JSON Lines: one object per message (see docs/json.md).
    Json,
    /// The messages' exact bytes.
    Raw,
}

/// Writes items in one format; holds what must persist between them.
#[derive(Debug)]
pub struct Sink {
    pub format: Format,
    pub theme: Theme,
    pub options: RenderOptions,
    /// The terminal's width now, asked before each table when the width follows a
    /// terminal that may be resized (`listen` without `--width`).
    pub follow_width: Option<fn() -> Option<u16>>,
}

impl Sink {
    pub fn new(format: Format, theme: Theme, options: RenderOptions) -> Self {
        Sink {
            format,
            theme,
            options,
            follow_width: None,
        }
    }

    /// A line of safe text about the server, not a message (table format only), wrapped
    /// to the table width, then a blank line.
    pub fn note(&self, text: &str, out: &mut impl Write) -> io::Result<()> {
        if self.format != Format::Table {
            return Ok(());
        }
        let width = self.follow_width.and_then(|now| now());
        let width = usize::from(width.unwrap_or(self.options.width));
        let mut lines = String::with_capacity(text.len() + 8);
        wrap::write_wrapped(&mut lines, &rich::Rich::text(text), width, 2, &self.theme);
        lines.push('\n');
        out.write_all(lines.as_bytes())
    }

    /// Write one item from an input.
    pub fn item(&self, item: &Item, out: &mut impl Write) -> io::Result<()> {
        let width = match (self.format, self.follow_width) {
            (Format::Table, Some(now)) => now(),
            _ => None,
        };
        if let Some(width) = width.filter(|&w| w != self.options.width) {
            let options = RenderOptions {
                width,
                ..self.options.clone()
            };
            let sized = Sink {
                format: self.format,
                theme: self.theme.clone(),
                options,
                follow_width: None,
            };
            return sized.item(item, out);
        }
        match (self.format, item) {
            (Format::Table, Item::Message(m)) => {
                table::write_message(out, m, &self.theme, &self.options)
            }
            (Format::Table, Item::Error(e)) => {
                table::write_error(out, e, &self.theme, &self.options)
            }
            (Format::Table, Item::Stray(s)) => {
                table::write_stray(out, s, &self.theme, &self.options)
            }
            (Format::Json, Item::Message(m)) => json::write_message(out, m, self.options.lang),
            (Format::Json, Item::Error(e)) => json::write_error(out, e, self.options.lang),
            (Format::Json, Item::Stray(_)) => Ok(()),
            (Format::Raw, item) => raw::write_item(out, item),
        }
    }
}

#[cfg(test)]
mod layout_tests;

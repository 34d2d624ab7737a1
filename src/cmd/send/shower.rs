//! Where everything `send` shows goes: tables and JSON on standard output (each message
//! linted first), notes and the one failure line on standard error, `--save` files, and
//! the outcome (exit code) so far.

use std::io::{self, StdoutLock, Write};

use super::save::SaveDir;
use crate::cli::Env;
use crate::cmd::errors::io_text;
use crate::cmd::Outcome;
use crate::explain::{self, Lang};
use crate::model::{Code, Diagnostic, Direction, Item};
use crate::pipeline;
use crate::render::{visible, Format, Sink, Tone};

/// Where everything `send` shows goes, and the outcome so far.
pub struct Shower<'a> {
    pub sink: Sink,
    pub out: StdoutLock<'a>,
    pub lang: Lang,
    strict: bool,
    terminal: bool,
    pub outcome: Outcome,
    pub save: Option<SaveDir>,
}

impl<'a> Shower<'a> {
    pub fn new(sink: Sink, env: &Env, strict: bool, save: Option<SaveDir>) -> Shower<'a> {
        Shower {
            sink,
            out: io::stdout().lock(),
            lang: env.lang,
            strict,
            terminal: env.stdout_is_terminal,
            outcome: Outcome::Ok,
            save,
        }
    }

    /// Lint an item, note whether it fails the run, and show it.
    pub fn item(&mut self, mut item: Item) -> io::Result<Item> {
        pipeline::lint_item(&mut item);
        let failed = match &mut item {
            Item::Error(_) => true,
            Item::Message(m) => {
                if let Some(cut) = m.context.exchange.as_ref().and_then(|e| e.cut_at) {
                    let at = m.offset + m.raw.len();
                    let d = Diagnostic::new(Code::SendBodyCut, None, at, vec![cut.to_string()]);
                    m.diagnostics.push(d);
                }
                explain::has_errors(&m.diagnostics)
                    || (self.strict && explain::fails_strict(&m.diagnostics))
            }
            Item::Stray(_) => false,
        };
        if failed {
            self.outcome = self.outcome.and(Outcome::InputErrors);
        }
        self.sink.item(&item, &mut self.out)?;
        self.flush_if_terminal()?;
        Ok(item)
    }

    fn flush_if_terminal(&mut self) -> io::Result<()> {
        if self.terminal {
            self.out.flush()?;
        }
        Ok(())
    }

    /// One line between tables (a table's format only), dim.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        if self.sink.format != Format::Table {
            return Ok(());
        }
        let mut painted = String::new();
        self.sink
            .theme
            .paint(&mut painted, Tone::Dim, &visible(text.as_bytes()));
        writeln!(self.out, "{painted}\n")?;
        self.flush_if_terminal()
    }

    /// A note on standard error, after what stdout holds so far.
    pub fn note(&mut self, text: &str) {
        self.out.flush().ok();
        eprintln!("httpdump: {}", visible(text.as_bytes()));
    }

    /// The one line of a failure (exit 2).
    pub fn fail(&mut self, text: &str) {
        self.note(text);
        self.outcome = Outcome::Failed;
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn save(&mut self, number: usize, direction: Direction, bytes: &[u8]) {
        let Some(dir) = &self.save else {
            return;
        };
        if let Err(e) = dir.write(number, direction, bytes) {
            let path = dir.path(number, direction);
            let why = io_text(&e, self.lang);
            self.fail(&format!("--save {}: {why}", path.display()));
        }
    }
}

//! What tools saved, shown by `parse`: a packet capture (pcap, pcapng), read as its
//! TCP streams are put back together, and a HAR file, read entry by entry.

use std::io::{self, Read, Write};

use anyhow::Context as _;

use super::{Input, Outcome};
use crate::cli::Env;
use crate::explain::{self, Label};
use crate::model::{CaptureError, Item};
use crate::pipeline;
use crate::render::Sink;
use crate::source::capture::{CaptureItem, CaptureReader};
use crate::source::har::{self, HarError, Problem};

impl Input<'_> {
    /// A packet capture: each message as it is reassembled, each stream without HTTP
    /// listed once; nothing at all HTTP is said on standard error (exit 1).
    pub(super) fn show_capture(
        &self,
        prefix: Vec<u8>,
        input: impl Read,
        printer: &Sink,
        env: &Env,
        out: &mut impl Write,
    ) -> anyhow::Result<Outcome> {
        let reading = || Label::WhileReading.text(env.lang);
        let writing = || Label::WhileWriting.text(env.lang);
        // A file that is not a capture, or one cut or broken in the middle, is an input
        // with errors (exit 1), said with the byte where it breaks, after what came before.
        let broken = |e: &io::Error| {
            let capture = e.get_ref()?.downcast_ref::<CaptureError>()?;
            Some(explain::capture_error_text(capture, env.lang))
        };
        let reader = match CaptureReader::new(prefix, input) {
            Ok(reader) => reader,
            Err(e) => match broken(&e) {
                Some(why) => return Ok(self.refuse(out, &why)),
                None => return Err(anyhow::Error::new(e).context(reading())),
            },
        };
        let mut outcome = Outcome::Ok;
        let mut messages = 0usize;
        for found in reader {
            let found = match found {
                Ok(found) => found,
                Err(e) => match broken(&e) {
                    Some(why) => return Ok(self.refuse(out, &why)),
                    None => return Err(anyhow::Error::new(e).context(reading())),
                },
            };
            match found {
                CaptureItem::Item(mut item) => {
                    pipeline::lint_item(&mut item);
                    if self.fails(&item) {
                        outcome = Outcome::InputErrors;
                    }
                    if !matches!(item, Item::Stray(_)) {
                        messages += 1;
                    }
                    printer.item(&item, out).context(writing())?;
                }
                CaptureItem::Note(note) => printer.capture_note(&note, out).context(writing())?,
            }
            if env.stdout_is_terminal {
                out.flush().context(writing())?;
            }
        }
        if messages == 0 {
            return Ok(self.refuse(out, Label::PacketNoMessage.text(env.lang)));
        }
        Ok(outcome)
    }

    /// Show a HAR file entry by entry as it is read; JSON that breaks off or is not a
    /// HAR ends the input with an error that says where, after the entries before it.
    pub(super) fn show_har(
        &self,
        input: impl Read,
        printer: &Sink,
        env: &Env,
        out: &mut impl Write,
    ) -> anyhow::Result<Outcome> {
        let mut outcome = Outcome::Ok;
        let read = har::read(input, |mut item| {
            pipeline::lint_item(&mut item);
            if self.print_one(&item, printer, env, out)? {
                outcome = Outcome::InputErrors;
            }
            Ok(())
        });
        let lang = env.lang;
        let why = match read {
            Ok(0) => Label::HarEmpty.text(lang).to_string(),
            Ok(_) => return Ok(outcome),
            Err(HarError::Io(e)) => {
                return Err(anyhow::Error::new(e).context(Label::WhileReading.text(lang)))
            }
            Err(HarError::Sink(e)) => {
                return Err(anyhow::Error::new(e).context(Label::WhileWriting.text(lang)))
            }
            Err(HarError::NoEntries) => Label::HarNoEntries.text(lang).to_string(),
            Err(HarError::Json {
                problem,
                line,
                column,
                detail,
            }) => {
                let label = match problem {
                    Problem::Syntax => Label::HarNotJson,
                    Problem::Truncated => Label::HarTruncated,
                    Problem::Shape => Label::HarBadShape,
                };
                let detail = crate::render::visible(detail.as_bytes());
                label.fill(lang, &[&line.to_string(), &column.to_string(), &detail])
            }
        };
        Ok(self.refuse(out, &why))
    }
}

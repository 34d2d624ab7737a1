//! `httpdump parse`: read saved messages or transcripts from files or stdin and show each
//! one. Raw input streams through [`MessageReader`] (rendered on every CPU, see
//! `cmd::parallel`); a transcript is small and is read whole, then rebuilt into messages
//! by [`transcript::parse`]; captures and HAR files are in `saved.rs`.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context as _;

use super::parallel::{self, Gate, Judge, Limits, Stop};
use super::Outcome;
use crate::cli::{Env, InputChoice, ParseArgs};
use crate::explain::{self, Label, Lang};
use crate::model::Item;
use crate::pipeline;
use crate::render::{Sink, Theme};
use crate::source::capture;
use crate::source::reader::MessageReader;
use crate::source::transcript::{self, detect, InputKind, Tool};
use crate::wire::{self, ParseOptions};
use sniff::{curl_failure, read_up_to, sniff, sniff_har, Counted};

mod saved;
mod sniff;

pub fn run(args: &ParseArgs, env: &Env) -> anyhow::Result<Outcome> {
    let printer = Arc::new(Sink::new(
        args.show.format,
        Theme::new(env.color),
        args.show.render_options(env),
    ));
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut outcome = Outcome::Ok;
    for path in &args.files {
        let name = path.display().to_string();
        let input = Input {
            name: &name,
            stdin: path == Path::new("-"),
            choice: args.input,
            strict: args.strict,
        };
        let result = if path == Path::new("-") {
            input.show(io::stdin(), &printer, env, &mut out)
        } else {
            match File::open(path) {
                Ok(file) => input.show(file, &printer, env, &mut out),
                Err(e) => Err(anyhow::Error::new(e)),
            }
        };
        match result {
            Ok(o) => outcome = outcome.and(o),
            Err(e) if super::is_broken_pipe(&e) => return Err(e),
            Err(e) => {
                out.flush().ok();
                eprintln!(
                    "httpdump: {name}: {}",
                    super::errors::chain_text(&e, env.lang)
                );
                outcome = Outcome::Failed;
            }
        }
    }
    out.flush().context(Label::WhileWriting.text(env.lang))?;
    Ok(outcome)
}

/// One input and how to read it.
struct Input<'a> {
    name: &'a str,
    /// The input is standard input (`-`), named so when it is empty.
    stdin: bool,
    choice: InputChoice,
    /// Warnings fail the input too (`--strict`).
    strict: bool,
}

impl Input<'_> {
    fn show(
        &self,
        input: impl Read + Send + 'static,
        printer: &Arc<Sink>,
        env: &Env,
        out: &mut impl Write,
    ) -> anyhow::Result<Outcome> {
        let read = Arc::new(AtomicU64::new(0));
        let gate = Gate::default();
        let mut input = Counted {
            inner: input,
            read: read.clone(),
            gate: gate.clone(),
        };
        let mut prefix = Vec::new();
        if matches!(self.choice, InputChoice::Auto | InputChoice::Pcap) {
            read_up_to(&mut input, &mut prefix, 4).context(Label::WhileReading.text(env.lang))?;
            if prefix.is_empty() {
                return Ok(self.refuse_empty(out, env.lang));
            }
            if self.choice == InputChoice::Pcap || capture::is_capture(&prefix) {
                return self.show_capture(prefix, input, printer, env, out);
            }
        }
        let kind = match self.choice {
            InputChoice::Raw => InputKind::Raw,
            InputChoice::Httpie => InputKind::Transcript(Tool::Httpie),
            InputChoice::Curl => {
                input
                    .read_to_end(&mut prefix)
                    .context(Label::WhileReading.text(env.lang))?;
                match detect(&prefix, true) {
                    Some(InputKind::Transcript(Tool::CurlTrace)) => {
                        InputKind::Transcript(Tool::CurlTrace)
                    }
                    _ => InputKind::Transcript(Tool::CurlVerbose),
                }
            }
            InputChoice::Har => return self.show_har(input, printer, env, out),
            InputChoice::Pcap => unreachable!("read as a capture above"),
            InputChoice::Auto => {
                if sniff_har(&mut input, &mut prefix, env.lang)? {
                    let input = io::Cursor::new(prefix).chain(input);
                    return self.show_har(input, printer, env, out);
                }
                let kind = sniff(&mut input, &mut prefix, env.lang)?;
                // TLS or HTTP/2 from the start: one line says what it is, not a table.
                if let Some(foreign) = wire::foreign_protocol(&prefix) {
                    return Ok(self.refuse(out, &explain::error_text(&foreign, env.lang)));
                }
                kind
            }
        };
        // Raw messages are linted where they are printed (`print`); a transcript's now.
        let (items, linted): (Box<dyn Iterator<Item = io::Result<Item>> + Send>, bool) = match kind
        {
            InputKind::Raw => (
                Box::new(
                    MessageReader::new(
                        io::Cursor::new(prefix).chain(input),
                        ParseOptions::default(),
                    )
                    .streaming(self.stdin && env.stdin_streams),
                ),
                false,
            ),
            InputKind::Transcript(tool) => {
                input
                    .read_to_end(&mut prefix)
                    .context(Label::WhileReading.text(env.lang))?;
                let items = transcript::parse(&prefix, tool);
                if !items.iter().any(|i| !matches!(i, Item::Stray(_))) {
                    if prefix.is_empty() {
                        return Ok(self.refuse_empty(out, env.lang));
                    }
                    // A curl that failed before sending anything still said why.
                    let why = match tool {
                        Tool::CurlVerbose | Tool::CurlTrace => curl_failure(&prefix, env.lang),
                        _ => None,
                    };
                    let why = why
                        .unwrap_or_else(|| Label::NoMessageInTranscript.text(env.lang).to_string());
                    return Ok(self.refuse(out, &why));
                }
                (
                    Box::new(pipeline::lint_all(items).into_iter().map(Ok)),
                    true,
                )
            }
            InputKind::Unknown if prefix.is_empty() => return Ok(self.refuse_empty(out, env.lang)),
            InputKind::Unknown => {
                // `curl` without -v prints only its `curl: (7) ...` line.
                let why = curl_failure(&prefix, env.lang)
                    .unwrap_or_else(|| Label::NotHttp.text(env.lang).to_string());
                return Ok(self.refuse(out, &why));
            }
        };
        let outcome = self.print(items, linted, gate, printer, env, out)?;
        // `--input raw` streams: only now is it known that nothing came.
        if read.load(Ordering::Relaxed) == 0 {
            return Ok(self.refuse_empty(out, env.lang));
        }
        Ok(outcome)
    }

    /// Whether an item fails the input: a parse error or a lint error always, a warning
    /// with `--strict`.
    fn fails(&self, item: &Item) -> bool {
        fails(item, self.strict)
    }

    /// Print each item, and whether any failed the input: a parse error or a lint error
    /// always, a warning with `--strict`. Messages are linted first unless `linted`. With
    /// more than one CPU, items are linted and rendered on other threads while the input
    /// is read (`parallel`); the output is the same.
    fn print(
        &self,
        items: impl Iterator<Item = io::Result<Item>> + Send + 'static,
        linted: bool,
        gate: Gate,
        printer: &Arc<Sink>,
        env: &Env,
        out: &mut impl Write,
    ) -> anyhow::Result<Outcome> {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cpus > 1 {
            let limits = Limits::with_workers(cpus);
            let printed = parallel::print(
                items,
                gate,
                printer.clone(),
                Judge {
                    fails,
                    strict: self.strict,
                    lint: !linted,
                },
                limits,
                env.stdout_is_terminal,
                out,
            );
            return match printed {
                Ok(false) => Ok(Outcome::Ok),
                Ok(true) => Ok(Outcome::InputErrors),
                Err(Stop::Read(e)) => {
                    Err(anyhow::Error::new(e).context(Label::WhileReading.text(env.lang)))
                }
                Err(Stop::Write(e)) => {
                    Err(anyhow::Error::new(e).context(Label::WhileWriting.text(env.lang)))
                }
            };
        }
        let items: Box<dyn Iterator<Item = io::Result<Item>>> = if linted {
            Box::new(items)
        } else {
            Box::new(pipeline::linted(items))
        };
        let mut outcome = Outcome::Ok;
        for item in items {
            let item = item.context(Label::WhileReading.text(env.lang))?;
            let failed = self
                .print_one(&item, printer, env, out)
                .context(Label::WhileWriting.text(env.lang))?;
            if failed {
                outcome = Outcome::InputErrors;
            }
        }
        Ok(outcome)
    }

    /// Print one item; true when it fails the input.
    fn print_one(
        &self,
        item: &Item,
        printer: &Sink,
        env: &Env,
        out: &mut impl Write,
    ) -> io::Result<bool> {
        let failed = self.fails(item);
        printer.item(item, out)?;
        if env.stdout_is_terminal {
            out.flush()?;
        }
        Ok(failed)
    }

    /// Say that the input held no bytes at all, which "not HTTP" would hide.
    fn refuse_empty(&self, out: &mut impl Write, lang: Lang) -> Outcome {
        let name = if self.stdin {
            Label::StandardInput.text(lang).to_string()
        } else {
            self.name.to_string()
        };
        out.flush().ok();
        eprintln!("httpdump: {}", Label::InputEmpty.fill(lang, &[&name]));
        Outcome::InputErrors
    }

    /// Say why an input shows nothing: an input error (exit 1), not a usage error.
    fn refuse(&self, out: &mut impl Write, why: &str) -> Outcome {
        out.flush().ok();
        eprintln!("httpdump: {}: {why}", self.name);
        Outcome::InputErrors
    }
}

/// Whether an item fails the input: a parse error or a lint error always, a warning with
/// `--strict`.
fn fails(item: &Item, strict: bool) -> bool {
    match item {
        Item::Error(_) => true,
        Item::Message(m) => {
            explain::has_errors(&m.diagnostics) || (strict && explain::fails_strict(&m.diagnostics))
        }
        Item::Stray(_) => false,
    }
}

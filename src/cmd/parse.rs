//! `httpdump parse`: read saved messages or transcripts from files or stdin and show each
//! one. Raw input streams through [`MessageReader`]; a transcript is small and is read
//! whole, then rebuilt into messages by [`transcript::parse`].

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use anyhow::Context as _;

use super::Outcome;
use crate::cli::{Env, InputChoice, ParseArgs};
use crate::explain::{self, Label};
use crate::model::Item;
use crate::pipeline;
use crate::render::{Sink, Theme};
use crate::source::reader::MessageReader;
use crate::source::transcript::{self, detect, InputKind, Tool};
use crate::wire::{self, ParseOptions};

pub fn run(args: &ParseArgs, env: &Env) -> anyhow::Result<Outcome> {
    let printer = Sink::new(
        args.show.format,
        Theme::new(env.color),
        args.show.render_options(env),
    );
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut outcome = Outcome::Ok;
    for path in &args.files {
        let name = path.display().to_string();
        let input = Input {
            name: &name,
            choice: args.input,
            strict: args.show.strict,
        };
        let result = if path == Path::new("-") {
            input.show(io::stdin().lock(), &printer, env, &mut out)
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
                eprintln!("httpdump: {name}: {e:#}");
                outcome = Outcome::Failed;
            }
        }
    }
    out.flush().context("writing output")?;
    Ok(outcome)
}

/// One input and how to read it.
struct Input<'a> {
    name: &'a str,
    choice: InputChoice,
    /// Warnings fail the input too (`--strict`).
    strict: bool,
}

impl Input<'_> {
    fn show(
        &self,
        mut input: impl Read,
        printer: &Sink,
        env: &Env,
        out: &mut impl Write,
    ) -> anyhow::Result<Outcome> {
        let mut prefix = Vec::new();
        let kind = match self.choice {
            InputChoice::Raw => InputKind::Raw,
            InputChoice::Httpie => InputKind::Transcript(Tool::Httpie),
            InputChoice::Curl => {
                input.read_to_end(&mut prefix).context("reading")?;
                match detect(&prefix, true) {
                    Some(InputKind::Transcript(Tool::CurlTrace)) => {
                        InputKind::Transcript(Tool::CurlTrace)
                    }
                    _ => InputKind::Transcript(Tool::CurlVerbose),
                }
            }
            InputChoice::Auto => {
                let kind = sniff(&mut input, &mut prefix)?;
                // TLS or HTTP/2 from the start: one line says what it is, not a table.
                if let Some(foreign) = wire::foreign_protocol(&prefix) {
                    return Ok(self.refuse(out, &explain::error_text(&foreign, env.lang)));
                }
                kind
            }
        };
        let items: Box<dyn Iterator<Item = io::Result<Item>>> = match kind {
            InputKind::Raw => Box::new(pipeline::linted(MessageReader::new(
                io::Cursor::new(prefix).chain(input),
                ParseOptions::default(),
            ))),
            InputKind::Transcript(tool) => {
                input.read_to_end(&mut prefix).context("reading")?;
                let items = transcript::parse(&prefix, tool);
                if !items.iter().any(|i| !matches!(i, Item::Stray(_))) {
                    let why = Label::NoMessageInTranscript.text(env.lang);
                    return Ok(self.refuse(out, why));
                }
                Box::new(pipeline::lint_all(items).into_iter().map(Ok))
            }
            InputKind::Unknown => return Ok(self.refuse(out, Label::NotHttp.text(env.lang))),
        };
        let mut outcome = Outcome::Ok;
        for item in items {
            let item = item.context("reading")?;
            let failed = match &item {
                Item::Error(_) => true,
                // Lint errors fail always; warnings only with --strict.
                Item::Message(m) => {
                    explain::has_errors(&m.diagnostics)
                        || (self.strict && explain::fails_strict(&m.diagnostics))
                }
                Item::Stray(_) => false,
            };
            if failed {
                outcome = Outcome::InputErrors;
            }
            printer.item(&item, out).context("writing output")?;
            if env.stdout_is_terminal {
                out.flush().context("writing output")?;
            }
        }
        Ok(outcome)
    }

    /// Say why an input shows nothing: an input error (exit 1), not a usage error.
    fn refuse(&self, out: &mut impl Write, why: &str) -> Outcome {
        out.flush().ok();
        eprintln!("httpdump: {}: {why}", self.name);
        Outcome::InputErrors
    }
}

/// Read just enough of the input to tell what it is; the bytes read stay in `prefix`.
fn sniff(input: &mut impl Read, prefix: &mut Vec<u8>) -> anyhow::Result<InputKind> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(kind) = detect(prefix, false) {
            return Ok(kind);
        }
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow::Error::new(e).context("reading")),
        };
        if n == 0 {
            return Ok(detect(prefix, true).unwrap_or(InputKind::Unknown));
        }
        prefix.extend_from_slice(&chunk[..n]);
    }
}

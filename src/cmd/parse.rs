//! `httpdump parse`: read saved messages or transcripts from files or stdin and show each
//! one. Raw input streams through [`MessageReader`]; a transcript is small and is read
//! whole, then rebuilt into messages by [`transcript::parse`].

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
use crate::source::capture::{self, CaptureItem, CaptureReader};
use crate::source::har::{self, HarError, Problem};
use crate::source::reader::MessageReader;
use crate::source::transcript::{self, detect, InputKind, Tool};
use crate::wire::{self, ParseOptions};

pub fn run(args: &ParseArgs, env: &Env) -> anyhow::Result<Outcome> {
    let printer = Arc::new(Sink::new(
        args.show.format,
        Theme::new(env.color),
        args.show.render_options(env),
    ));
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
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

    /// A packet capture: each message as it is reassembled, each stream without HTTP
    /// listed once; nothing at all HTTP is said on standard error (exit 1).
    fn show_capture(
        &self,
        prefix: Vec<u8>,
        input: impl Read,
        printer: &Sink,
        env: &Env,
        out: &mut impl Write,
    ) -> anyhow::Result<Outcome> {
        let reading = || Label::WhileReading.text(env.lang);
        let writing = || Label::WhileWriting.text(env.lang);
        let reader = CaptureReader::new(prefix, input).context(reading())?;
        let mut outcome = Outcome::Ok;
        let mut messages = 0usize;
        for found in reader {
            match found.context(reading())? {
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

    /// Show a HAR file entry by entry as it is read; JSON that breaks off or is not a
    /// HAR ends the input with an error that says where, after the entries before it.
    fn show_har(
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

/// Read just enough of the input to tell what it is; the bytes read stay in `prefix`.
fn sniff(input: &mut impl Read, prefix: &mut Vec<u8>, lang: Lang) -> anyhow::Result<InputKind> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(kind) = detect(prefix, false) {
            return Ok(kind);
        }
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow::Error::new(e).context(Label::WhileReading.text(lang))),
        };
        if n == 0 {
            return Ok(detect(prefix, true).unwrap_or(InputKind::Unknown));
        }
        prefix.extend_from_slice(&chunk[..n]);
    }
}

/// Read until the first byte that is not blank and say whether it opens a JSON object:
/// a HAR file, which neither HTTP nor a transcript can start with. The bytes read stay in
/// `prefix`.
fn sniff_har(input: &mut impl Read, prefix: &mut Vec<u8>, lang: Lang) -> anyhow::Result<bool> {
    let mut chunk = [0u8; 8192];
    // Blank lines before a message are allowed; a megabyte of them decides nothing.
    while prefix.len() < 1024 * 1024 {
        if let Some(is_har) = har::looks_like_har(prefix) {
            return Ok(is_har);
        }
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow::Error::new(e).context(Label::WhileReading.text(lang))),
        };
        if n == 0 {
            break;
        }
        prefix.extend_from_slice(&chunk[..n]);
    }
    Ok(false)
}

/// Read until `buf` holds `n` bytes or the input ends.
fn read_up_to(input: &mut impl Read, buf: &mut Vec<u8>, n: usize) -> io::Result<()> {
    let mut byte = [0u8; 16];
    while buf.len() < n {
        let want = (n - buf.len()).min(byte.len());
        match input.read(&mut byte[..want]) {
            Ok(0) => break,
            Ok(got) => buf.extend_from_slice(&byte[..got]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
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

/// A reader that counts the bytes it hands out, so an empty input can be told apart, and
/// that sends on what was parsed before it may wait for more ([`Gate::before_read`]).
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
    gate: Gate,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.gate.before_read();
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Why curl exchanged no HTTP at all, from the lines it printed (`* connect to ... failed:
/// Connection refused`, `curl: (6) Could not resolve host: ...`), or `None` when it does
/// not say. The line is shown as curl printed it, control characters dropped and cut short.
fn curl_failure(bytes: &[u8], lang: Lang) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let said = |what: &str| {
        lines.iter().find(|l| {
            let info = l.strip_prefix("== Info: ").or_else(|| l.strip_prefix("* "));
            info.is_some_and(|l| l.contains(what)) || (l.starts_with("curl: (") && l.contains(what))
        })
    };
    let (label, line) = if let Some(line) = said("failed: ") {
        (Label::CurlNoConnect, line)
    } else if let Some(line) = said("Could not resolve host") {
        (Label::CurlNoResolve, line)
    } else if let Some(line) = said("Failed to connect") {
        (Label::CurlNoConnect, line)
    } else {
        let line = lines.iter().find(|l| l.starts_with("curl: ("))?;
        (Label::CurlFailed, line)
    };
    // curl's own words, but bytes of the input all the same: escaped like any other.
    let cut: String = line.chars().take(200).collect();
    let shown = crate::render::visible(cut.as_bytes());
    Some(label.fill(lang, &[&shown]))
}

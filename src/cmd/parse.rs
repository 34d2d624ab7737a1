//! `httpdump parse`: read saved messages from files or stdin and show each one.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use anyhow::Context as _;

use super::Outcome;
use crate::cli::{Env, ParseArgs};
use crate::explain;
use crate::input::{Item, MessageReader};
use crate::parse::ParseOptions;
use crate::render::{Printer, RenderOptions, Theme};

pub fn run(args: &ParseArgs, env: &Env) -> anyhow::Result<Outcome> {
    let printer = Printer::new(
        args.show.format,
        Theme::new(env.color),
        RenderOptions {
            width: env.width,
            max_body_lines: args.show.max_body_lines,
            hex: args.show.hex,
            ..RenderOptions::default()
        },
    );
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut outcome = Outcome::Ok;
    for path in &args.files {
        let result = if path == Path::new("-") {
            show(
                io::stdin().lock(),
                &printer,
                args.show.strict,
                env,
                &mut out,
            )
        } else {
            match File::open(path) {
                Ok(file) => show(file, &printer, args.show.strict, env, &mut out),
                Err(e) => Err(anyhow::Error::new(e)),
            }
        };
        match result {
            Ok(o) => outcome = outcome.and(o),
            Err(e) if super::is_broken_pipe(&e) => return Err(e),
            Err(e) => {
                out.flush().ok();
                eprintln!("httpdump: {}: {e:#}", path.display());
                outcome = Outcome::Failed;
            }
        }
    }
    out.flush().context("writing output")?;
    Ok(outcome)
}

fn show(
    input: impl Read,
    printer: &Printer,
    strict: bool,
    env: &Env,
    out: &mut impl Write,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::Ok;
    for item in MessageReader::new(input, ParseOptions::default()) {
        let item = item.context("reading")?;
        let failed = match &item {
            Item::Error(_) => true,
            // Lint errors fail always; warnings only with --strict.
            Item::Message(m) => {
                explain::has_errors(&m.diagnostics)
                    || (strict && explain::fails_strict(&m.diagnostics))
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

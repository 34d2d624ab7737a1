//! The `httpdump` binary: parse the command line, run the command, map the result to an
//! exit code.

use std::process::ExitCode;

use clap::Parser;
use httpdump::cli::{self, Cli, Command, Env};
use httpdump::cmd::{self, Outcome};

// Tables are built from many small strings and vectors freed right after each message;
// mimalloc's per-thread free lists make those far cheaper than glibc's (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            // Before there is a `Cli`, the language is found in the arguments themselves.
            let code = cmd::usage::report(&e, cli::lang_before_parsing(&args));
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    let env = Env::detect(&cli);
    let result = match &cli.command {
        Command::Parse(args) => cmd::parse::run(args, &env),
        Command::Listen(args) => cmd::listen::run(args, &env),
        Command::Send(args) => cmd::send::run(args, &env),
        Command::Relay(args) => cmd::relay::run(args, &env),
        Command::Explain(args) => cmd::explain::run(args, &env),
        Command::Completions { shell } => cmd::docs::completions(*shell, &mut cmd::docs::stdout()),
        Command::Man => cmd::docs::man(&mut cmd::docs::stdout()),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(e) if cmd::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("httpdump: {}", cmd::errors::chain_text(&e, env.lang));
            Outcome::Failed.into()
        }
    }
}

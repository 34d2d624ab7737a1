//! The `httpdump` binary: parse the command line, run the command, map the result to an
//! exit code.

use std::process::ExitCode;

use clap::Parser;
use httpdump::cli::{Cli, Command, Env};
use httpdump::cmd::{self, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = Env::detect(&cli);
    let result = match &cli.command {
        Command::Parse(args) => cmd::parse::run(args, &env),
        Command::Listen(args) => cmd::listen::run(args, &env),
        Command::Completions { shell } => cmd::docs::completions(*shell, &mut cmd::docs::stdout()),
        Command::Man => cmd::docs::man(&mut cmd::docs::stdout()),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(e) if cmd::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("httpdump: {e:#}");
            Outcome::Failed.into()
        }
    }
}

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

/// mimalloc's `mi_option_purge_delay` (libmimalloc-sys names only some options).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `parse` streams: a page it frees is not wanted again soon, so mimalloc gives it back
/// to the system at once rather than after a second. On the threads of a long input that is
/// about 0.5 MiB less at peak, at no measured cost (docs/performance.md, "Issue 17, fifth
/// pass"). `MIMALLOC_PURGE_DELAY` in the environment still decides.
fn purge_promptly() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which it reads atomically.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
    }
}

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
        Command::Parse(args) => {
            purge_promptly();
            cmd::parse::run(args, &env)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_mimallocs_option_15_and_parse_sets_it_to_nothing() {
        // SAFETY: reads an option.
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // The default of `mi_option_purge_delay` in the mimalloc that libmimalloc-sys
        // builds (its src/options.c), in milliseconds: no other option has it.
        assert_eq!(get(), 1000);
        purge_promptly();
        assert_eq!(get(), 0);
    }
}

//! `httpdump completions` and `httpdump man`: shell completion scripts and the manual page,
//! generated from the same clap definitions the parser uses.

use std::io::{self, Write};

use clap::CommandFactory;

use super::Outcome;
use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "httpdump", out);
    Ok(Outcome::Ok)
}

pub fn man(out: &mut impl Write) -> anyhow::Result<Outcome> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render(out)?;
    // One section per subcommand, so `man httpdump` documents every option.
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("httpdump-{}", sub.get_name());
        let sub = sub.clone().display_name(name);
        writeln!(out)?;
        clap_mangen::Man::new(sub).render(out)?;
    }
    Ok(Outcome::Ok)
}

/// Standard output, for the commands above.
pub fn stdout() -> io::StdoutLock<'static> {
    io::stdout().lock()
}

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
    page(&cmd, out)?;
    // One section per subcommand, so `man httpdump` documents every option. The bin name
    // is what SYNOPSIS shows: `httpdump parse`, as it is typed.
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let sub = sub
            .clone()
            .display_name(format!("httpdump-{}", sub.get_name()))
            .bin_name(format!("httpdump {}", sub.get_name()));
        writeln!(out)?;
        page(&sub, out)?;
    }
    Ok(Outcome::Ok)
}

/// One command's page: clap_mangen's sections, with the examples of `after_help` as an
/// EXAMPLES section of tagged paragraphs (command, then what it does) instead of text
/// that roff would fill and wrap mid-command.
fn page(cmd: &clap::Command, out: &mut impl Write) -> io::Result<()> {
    let examples = cmd.get_after_help().map(|h| h.to_string());
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if cmd.get_subcommands().next().is_some() {
        man.render_subcommands_section(out)?;
    }
    if let Some(text) = examples {
        out.write_all(examples_roff(&text).as_bytes())?;
    }
    if cmd.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// The `Examples:` text of `--help` as roff: `  command   what it does` lines become
/// tagged paragraphs, other lines plain paragraphs.
fn examples_roff(text: &str) -> String {
    let mut roff = String::from(".SH EXAMPLES\n");
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && *l != "Examples:")
    {
        let Some(example) = line.strip_prefix("  ") else {
            roff.push_str(&format!(".PP\n{}\n", escape(line)));
            continue;
        };
        // The description is what follows the last run of two or more spaces.
        let (command, what) = match example.rfind("  ") {
            Some(at) => (example[..at].trim_end(), example[at..].trim()),
            None => (example, ""),
        };
        roff.push_str(&format!(".TP\n\\fB{}\\fR\n", escape(command)));
        if !what.is_empty() {
            roff.push_str(&format!("{}\n", escape(what)));
        }
    }
    roff
}

/// Text safe in roff: backslashes and hyphens escaped, no line taken for a request.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}

/// Standard output, for the commands above.
pub fn stdout() -> io::StdoutLock<'static> {
    io::stdout().lock()
}

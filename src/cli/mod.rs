//! The command line: clap types for every command, and the environment (colour, terminal
//! width, language) read once here so nothing else looks at it.

use std::io::IsTerminal;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::explain::Lang;
use crate::render::{Endings, Format, RenderOptions};

mod args;
mod values;

pub use args::{ListenArgs, LiveArgs, ParseArgs, RelayArgs, ReplyArgs, SendArgs};
pub(crate) use values::BadValue;

const EXAMPLES: &str = "\
Examples:
  httpdump parse fixtures/juejin-request.http      one message as a table
  httpdump parse fixtures/exchange.http            a request and its response
  httpdump parse fixtures/juejin.txt               what `curl -v` printed
  httpdump parse fixtures/har/chrome.har           a browser's HAR file, entry by entry
  curl -v http://127.0.0.1:8080/ 2>&1 | httpdump parse -
  cat capture.http | httpdump parse -              read standard input
  httpdump parse --format json a.http b.http       JSON Lines, one object per message
  httpdump parse --explain fixtures/exchange.http  a note under every line
  httpdump --lang zh parse --explain fixtures/juejin-request.http   in Chinese";

const TOP_EXAMPLES: &str = "\
Examples:
  httpdump parse fixtures/exchange.http            a request and its response
  curl -v http://127.0.0.1:8080/ 2>&1 | httpdump parse -
  httpdump parse --explain fixtures/exchange.http  a note under every line
  httpdump listen 8080                             a server that shows each request
  httpdump listen 8080 --status 404 --body nope    ... and answers as you say
  httpdump send http://127.0.0.1:8080/             be the client: both directions
  httpdump relay 8080 --to http://127.0.0.1:3000   watch a client and a server talk
  httpdump explain content-length                  look up a header, status, method
  httpdump --lang zh parse --explain fixtures/juejin-request.http   in Chinese

This help is in English only; --lang zh changes the output and messages, not this help.
帮助文本只有英文;--lang zh 改变的是输出和提示信息。";

/// Show the anatomy of HTTP/1.x messages, line by line.
#[derive(Debug, Parser)]
#[command(name = "httpdump", version, about, after_help = TOP_EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Table width in columns (default: the terminal's width, else 100).
    #[arg(long, global = true, value_parser = clap::value_parser!(u16).range(40..))]
    pub width: Option<u16>,

    /// Language of labels, notes and messages (default: from LC_ALL, LC_MESSAGES or
    /// LANG; zh_* gives Chinese, anything else English).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangChoice>,

    /// How tables mark line endings: symbols (␍␊) or escapes (\r\n, for fonts that show
    /// boxes instead of ␍␊). Tabs around a header's name or value follow: → or \t.
    #[arg(long, global = true, value_enum, env = "HTTPDUMP_ENDINGS",
          default_value_t = Endings::Symbols)]
    pub endings: Endings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    /// English.
    En,
    /// Chinese (简体中文).
    Zh,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Dissect saved messages (raw HTTP, or what curl -v, HTTPie or xh printed).
    #[command(after_help = EXAMPLES)]
    Parse(ParseArgs),
    /// Run a server that shows every request it gets and answers with a set reply.
    #[command(after_help = LISTEN_EXAMPLES)]
    Listen(ListenArgs),

    /// Be the client: send a request and show what was written and what came back.
    #[command(after_help = SEND_EXAMPLES)]
    Send(SendArgs),

    /// Stand between a real client and a real server and show both directions.
    #[command(after_help = RELAY_EXAMPLES)]
    Relay(RelayArgs),

    /// Look up a header, status code, method or diagnostic code in the built-in tables.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),

    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  httpdump completions bash > ~/.local/share/bash-completion/completions/httpdump\n  httpdump completions zsh > ~/.zfunc/_httpdump\n  httpdump completions fish > ~/.config/fish/completions/httpdump.fish"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the manual page (roff), e.g. `httpdump man | man -l -`.
    #[command(
        after_help = "Examples:\n  httpdump man | man -l -\n  httpdump man > /usr/local/share/man/man1/httpdump.1"
    )]
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputChoice {
    Auto,
    Raw,
    Curl,
    Httpie,
    /// A HAR file (HTTP Archive, saved by browsers' DevTools).
    Har,
    /// A packet capture: pcap or pcapng.
    Pcap,
}

const LISTEN_EXAMPLES: &str = "\
Examples:
  httpdump listen 8080                       then: curl -v http://127.0.0.1:8080/
  httpdump listen 0                          any free port
  httpdump listen 8080 --status 404 --reason \"Not Found\" --header \"X-Lesson: 3\" --body nope
  httpdump listen 8080 --response-file fixtures/article-reply.http
  httpdump listen 8080 --format json > requests.jsonl
  httpdump listen 8080 --live 8081 --show-response   a live page at http://127.0.0.1:8081/
  httpdump listen 8080 --save captured/ --quiet";

const SEND_EXAMPLES: &str = "\
Examples:
  httpdump send http://127.0.0.1:8080/             GET, as curl builds it
  httpdump send http://juejin.cn                   the article's own example
  httpdump send -X POST -H 'X-Lesson: 3' -d 'a=1' http://127.0.0.1:8080/form
  httpdump send --explain --lang zh http://127.0.0.1:8080/
  httpdump send --raw my-request.http http://127.0.0.1:8080   a file's exact bytes
  httpdump send --raw - --to 127.0.0.1:8080 < fixtures/juejin-request.http
  httpdump send -L https://example.com/old --cacert ca.pem --save out/
HTTPS goes over TLS with ALPN http/1.1 only: HTTP/2 is out of scope.";

const RELAY_EXAMPLES: &str = "\
Examples:
  httpdump relay 8080 --to http://127.0.0.1:3000   reverse: browse http://127.0.0.1:8080/
  httpdump relay 8080 --to https://example.com --rewrite-host   TLS upstream, Host set to it
  httpdump relay 8080                              forward proxy: curl -x http://127.0.0.1:8080 http://site/
  httpdump relay 8080 --to http://127.0.0.1:3000 --format json > exchanges.jsonl   JSON Lines
  httpdump relay 8080 --to http://127.0.0.1:3000 --live 8081   a live page of both directions
The bytes pass unchanged; only what proxy rules force (an absolute target made
origin-form) or --rewrite-host/--forwarded ask for is changed, and shown.";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  httpdump explain content-length            a header
  httpdump explain 301                       a status code
  httpdump explain PATCH                     a method
  httpdump explain missing-host              a diagnostic code (as in --format json)
  httpdump --lang zh explain 404             in Chinese
  httpdump explain --list status             the whole table";

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// What to look up: a header name (content-length), a status code (301), a method
    /// (PATCH) or a diagnostic code (missing-host). Case does not matter.
    #[arg(
        value_name = "TERM",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    pub term: Option<String>,

    /// Print a whole table instead.
    #[arg(long, value_enum, value_name = "TABLE")]
    pub list: Option<TableChoice>,
}

/// The built-in tables `explain --list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableChoice {
    Headers,
    Status,
    Methods,
    Diagnostics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options every command that shows messages shares.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Body lines a table shows before it says how much more there is.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_body_lines: usize,

    /// Also show each message's bytes as offset | hex | ASCII rows, a row per line.
    #[arg(long)]
    pub hex: bool,

    /// Put a note under every line saying what it is for: the start line's parts, each
    /// header's purpose and RFC section, the blank line, how the body's length was decided.
    #[arg(long)]
    pub explain: bool,
}

impl ShowArgs {
    /// How tables and JSON are drawn for these options in this environment.
    pub fn render_options(&self, env: &Env) -> RenderOptions {
        RenderOptions {
            width: env.width,
            max_body_lines: self.max_body_lines,
            hex: self.hex,
            explain: self.explain,
            lang: env.lang,
            endings: env.endings,
            ..RenderOptions::default()
        }
    }
}

/// The narrowest table a terminal's width makes (`--width` may ask for less).
const MIN_TERMINAL_WIDTH: u16 = 40;

/// The width of the terminal on standard output now, if it is one.
pub(crate) fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size().map(|(w, _)| w.0.max(MIN_TERMINAL_WIDTH))
}

/// What was learned about the environment, once, at start-up.
#[derive(Debug, Clone)]
pub struct Env {
    /// Colour on standard output.
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
    /// Standard output is a terminal (flush after every message).
    pub stdout_is_terminal: bool,
    /// No `--width` and standard output is a terminal: a command that prints over time
    /// can follow the terminal when it is resized ([`terminal_width`]).
    pub follow_terminal: bool,
    /// The language of everything shown.
    pub lang: Lang,
    /// How tables mark line endings (`--endings`, or `HTTPDUMP_ENDINGS`).
    pub endings: Endings,
    /// Standard input is a terminal or a pipe, not a file: what is read from it may be
    /// all there is for now (someone typing, `nc -l 8080 |`).
    pub stdin_streams: bool,
}

impl Env {
    pub fn detect(cli: &Cli) -> Env {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => supports_color::on(supports_color::Stream::Stdout).is_some(),
        };
        let width = cli.width.unwrap_or_else(|| {
            terminal_width()
                .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
                .unwrap_or(100)
                .max(MIN_TERMINAL_WIDTH)
        });
        let lang = match cli.lang {
            Some(LangChoice::En) => Lang::En,
            Some(LangChoice::Zh) => Lang::Zh,
            None => lang_from_locale(),
        };
        Env {
            color,
            width,
            stdout_is_terminal,
            follow_terminal: cli.width.is_none() && stdout_is_terminal,
            lang,
            endings: cli.endings,
            stdin_streams: stdin_streams(),
        }
    }
}

/// Whether standard input is anything but a regular file.
fn stdin_streams() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let file = std::io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map(std::fs::File::from);
        !matches!(file.and_then(|f| f.metadata()), Ok(m) if m.is_file())
    }
    #[cfg(not(unix))]
    {
        std::io::stdin().is_terminal()
    }
}

/// The language from the locale variables, as when `--lang` is not given.
fn lang_from_locale() -> Lang {
    let var = |name| std::env::var(name).ok();
    Lang::from_env(
        var("LC_ALL").as_deref(),
        var("LC_MESSAGES").as_deref(),
        var("LANG").as_deref(),
    )
}

/// The language for an error clap found before there is a [`Cli`]: the last `--lang zh`
/// or `--lang=zh` among `args` (up to a `--`), else the locale. A `--lang` with a value
/// other than en or zh is skipped here; clap reports it.
pub fn lang_before_parsing(args: &[std::ffi::OsString]) -> Lang {
    let mut found = None;
    let mut words = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    while let Some(word) = words.next() {
        let value = match word {
            "--" => break,
            "--lang" => words.next().unwrap_or(""),
            _ => match word.strip_prefix("--lang=") {
                Some(v) => v,
                None => continue,
            },
        };
        match value {
            "en" => found = Some(Lang::En),
            "zh" => found = Some(Lang::Zh),
            _ => {}
        }
    }
    found.unwrap_or_else(lang_from_locale)
}

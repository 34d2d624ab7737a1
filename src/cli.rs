//! The command line: clap types for every command, and the environment (colour, terminal
//! width, language) read once here so nothing else looks at it.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::explain::Lang;
use crate::render::{Endings, Format, RenderOptions};

const EXAMPLES: &str = "\
Examples:
  httpdump parse fixtures/juejin-request.http      one message as a table
  httpdump parse fixtures/exchange.http            a request and its response
  httpdump parse fixtures/juejin.txt               what `curl -v` printed
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
}

const LISTEN_EXAMPLES: &str = "\
Examples:
  httpdump listen 8080                       then: curl -v http://127.0.0.1:8080/
  httpdump listen 0                          any free port
  httpdump listen 8080 --status 404 --reason \"Not Found\" --header \"X-Lesson: 3\" --body nope
  httpdump listen 8080 --response-file fixtures/article-reply.http
  httpdump listen 8080 --format json > requests.jsonl
  httpdump listen 8080 --save captured/ --quiet";

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

    /// Exit with code 1 when a message has lint warnings too, not only errors.
    #[arg(long)]
    pub strict: bool,

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

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files holding HTTP messages; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// What the files hold: raw HTTP bytes, a curl transcript (`-v` output or a
    /// `--trace-ascii` file), HTTPie/xh `-v` output, or auto to tell from the first lines.
    #[arg(long, value_enum, default_value_t = InputChoice::Auto)]
    pub input: InputChoice,

    #[command(flatten)]
    pub show: ShowArgs,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// TCP port to listen on; 0 picks any free port (the real one is printed).
    #[arg(value_name = "PORT")]
    pub port: u16,

    /// Address or host name to bind (a name is looked up; a loopback address is preferred).
    /// 0.0.0.0 lets the whole network in.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = parse_bind)]
    pub bind: IpAddr,

    #[command(flatten)]
    pub show: ShowArgs,

    #[command(flatten)]
    pub reply: ReplyArgs,

    /// Also show each response sent, as a table.
    #[arg(long)]
    pub show_response: bool,

    /// Show nothing per request (for benchmarks and --save).
    #[arg(long, short, conflicts_with = "show_response")]
    pub quiet: bool,

    /// Write each request's exact bytes to its own file in DIR before answering it.
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Flush each saved file and DIR to the disk before answering, so an answered request
    /// survives a crash or power cut (slower: see docs/performance.md).
    #[arg(long, requires = "save")]
    pub save_sync: bool,

    /// The largest request head (start line and headers) accepted, in bytes; larger
    /// ones get 431.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024)]
    pub max_head: usize,

    /// The largest request body accepted, in bytes; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_body: u64,

    /// How long a client may go without sending a byte (e.g. 60, 2.5, 500ms): in the
    /// middle of a request it then gets 408; idle between requests it is closed. Counted
    /// from the last byte, so a request can be typed by hand with nc or telnet.
    #[arg(long, value_name = "DURATION", default_value = "60", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Connections open at once. Past it, the connection idle the longest is closed to
    /// make room, else the one waiting for the rest of a request begun 2 s ago or more; a
    /// new client gets 503 only when all are busy with younger requests.
    #[arg(long, value_name = "N", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
}

/// What the server answers with.
#[derive(Debug, Clone, Args)]
pub struct ReplyArgs {
    /// Status code of the reply.
    #[arg(long, value_name = "CODE", default_value_t = 200, value_parser = parse_status)]
    pub status: u16,

    /// Reason phrase of the reply (default: the usual one for the status).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// A header line for the reply, 'Name: value'; repeat for more, order is kept. One
    /// named like a default header (Server, Content-Type) replaces it.
    #[arg(long = "header", short = 'H', value_name = "LINE")]
    pub headers: Vec<String>,

    /// Body of the reply.
    #[arg(long, value_name = "TEXT", conflicts_with = "body_file")]
    pub body: Option<String>,

    /// Body of the reply, read from a file.
    #[arg(long, value_name = "PATH")]
    pub body_file: Option<PathBuf>,

    /// Reply with the exact bytes of this file (checked with the parser at start-up).
    #[arg(long, value_name = "PATH",
          conflicts_with_all = ["status", "reason", "headers", "body", "body_file", "echo"])]
    pub response_file: Option<PathBuf>,

    /// Send the --response-file even if it is not a valid response (for demonstrations).
    #[arg(long, requires = "response_file")]
    pub allow_invalid: bool,

    /// Reply with the request's own anatomy: an HTML page for a browser (Accept: text/html),
    /// JSON for Accept: application/json, else the plain-text table.
    #[arg(long, conflicts_with_all = ["body", "body_file"])]
    pub echo: bool,
}

/// A value refused by one of the parsers below, in both languages: clap shows the English
/// (its `Display`), and the Chinese usage errors (cmd/usage.rs) find the Chinese through
/// the error's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    pub en: String,
    pub zh: String,
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for BadValue {}

/// A status code: three digits, 100 to 999 (RFC 9110 section 15).
fn parse_status(text: &str) -> Result<u16, BadValue> {
    match text.trim().parse::<u16>() {
        Ok(code) if (100..=999).contains(&code) => Ok(code),
        _ => Err(BadValue {
            en: "a status code has three digits, 100 to 999 (e.g. 200, 404)".into(),
            zh: "状态码是三位数字,从 100 到 999(例如 200、404)".into(),
        }),
    }
}

/// An IP address, or a host name looked up now. Of the addresses a name has, a loopback
/// one is taken first (IPv4 before IPv6, as `localhost` in the hints is `127.0.0.1`), so
/// `--bind localhost` never opens the server to the network.
fn parse_bind(text: &str) -> Result<IpAddr, BadValue> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(ip);
    }
    let failed = |why: String| BadValue {
        en: format!("not an IP address, and the host name could not be looked up: {why}"),
        zh: format!("不是 IP 地址,也无法解析这个主机名:{why}"),
    };
    let addrs: Vec<IpAddr> = std::net::ToSocketAddrs::to_socket_addrs(&(text, 0))
        .map_err(|e| failed(e.to_string()))?
        .map(|a| a.ip())
        .collect();
    let loopback_v4 = addrs.iter().find(|ip| ip.is_loopback() && ip.is_ipv4());
    loopback_v4
        .or_else(|| addrs.iter().find(|ip| ip.is_loopback()))
        .or_else(|| addrs.first())
        .copied()
        .ok_or_else(|| failed("no address".into()))
}

/// `10`, `2.5` (seconds), `500ms`, `3s`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 0.001)
    } else {
        (text.strip_suffix('s').unwrap_or(text), 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok(Duration::from_secs_f64(n * scale)),
        _ => Err(format!(
            "{text:?} is not a duration such as 10, 2.5 or 500ms"
        )),
    }
}

/// The narrowest table a terminal's width makes (`--width` may ask for less).
const MIN_TERMINAL_WIDTH: u16 = 40;

/// The width of the terminal on standard output now, if it is one.
pub fn terminal_width() -> Option<u16> {
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
        }
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

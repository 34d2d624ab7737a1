//! The options of `parse`, `listen`, `send` and `relay`, of the reply `listen` gives, and
//! of the live page `listen` and `relay` share.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::values::{parse_bind, parse_duration, parse_live, parse_status};
use super::{InputChoice, ShowArgs};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files holding HTTP messages; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// What the files hold: raw HTTP bytes, a curl transcript (`-v` output or a
    /// `--trace-ascii` file), HTTPie/xh `-v` output, a HAR file (a JSON object, as
    /// browsers save it), a packet capture (pcap or pcapng: TCP reassembled, HTTP found
    /// on any port), or auto to tell from the first bytes.
    #[arg(long, value_enum, default_value_t = InputChoice::Auto)]
    pub input: InputChoice,

    /// Exit with code 1 when a message has lint warnings too, not only errors.
    #[arg(long)]
    pub strict: bool,

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

    #[command(flatten)]
    pub live: LiveArgs,

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

/// The live page for a projector, on `listen` and `relay` alike.
#[derive(Debug, Args)]
pub struct LiveArgs {
    /// Also serve a live page of every exchange (listen: each request, and its reply with
    /// --show-response; relay: both directions) for a projector, at PORT on 127.0.0.1 or
    /// at ADDR:PORT; beyond loopback the page needs the token in the link printed at
    /// start-up.
    #[arg(long, value_name = "[ADDR:]PORT", value_parser = parse_live)]
    pub live: Option<SocketAddr>,

    /// How many of the latest exchanges the live page keeps, shown again on a reload.
    #[arg(long, value_name = "N", default_value_t = 200, requires = "live",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub live_history: u32,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Where to send: http://host[:port]/path?query or https://...; with --raw, only
    /// the host and port are used (and TLS for https://).
    #[arg(value_name = "URL", required_unless_present = "to")]
    pub url: Option<String>,

    /// With --raw: send to host:port over plain TCP instead of a URL's.
    #[arg(
        long,
        value_name = "HOST:PORT",
        requires = "raw",
        conflicts_with = "url"
    )]
    pub to: Option<String>,

    /// Send the exact bytes of this file (- for standard input): one request, or several
    /// sent at once on one connection (pipelined), each paired with its response.
    #[arg(long, value_name = "FILE")]
    pub raw: Option<PathBuf>,

    /// With --raw: send bare LF line endings of heads as CRLF (bodies are left as they are).
    #[arg(long, requires = "raw")]
    pub crlf: bool,

    /// The request method (default GET, or POST with a body).
    #[arg(long, short = 'X', value_name = "METHOD", conflicts_with = "raw")]
    pub method: Option<String>,

    /// A request header 'Name: value'; repeat for more, order and case are kept. 'Name:'
    /// removes a default header (Host, User-Agent, Accept), 'Name;' sends it empty.
    #[arg(
        long = "header",
        short = 'H',
        value_name = "LINE",
        conflicts_with = "raw"
    )]
    pub headers: Vec<String>,

    /// A body (sent as a form: Content-Type application/x-www-form-urlencoded, as curl).
    #[arg(long, short = 'd', value_name = "TEXT", conflicts_with_all = ["data_file", "raw"])]
    pub data: Option<String>,

    /// A body read from a file, exactly.
    #[arg(long, value_name = "FILE", conflicts_with = "raw")]
    pub data_file: Option<PathBuf>,

    /// Send HTTP/1.0 instead of HTTP/1.1.
    #[arg(long = "http1.0", conflicts_with = "raw")]
    pub http10: bool,

    /// Follow redirects (3xx with Location), at most 10; each exchange gets its tables.
    #[arg(long, short = 'L', conflicts_with = "raw")]
    pub follow: bool,

    /// Trust only the CA certificates in this PEM file (instead of the system's).
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Do not check the server's certificate (the bytes are still encrypted).
    #[arg(long, short = 'k', conflicts_with = "cacert")]
    pub insecure: bool,

    /// How long to wait for each step: the lookup, the connection, each read and write
    /// (e.g. 30, 2.5, 500ms).
    #[arg(long, value_name = "DURATION", default_value = "30", value_parser = parse_duration)]
    pub timeout: Duration,

    /// The most body bytes of a response read and shown; a longer body is cut there.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_body: u64,

    /// Write each exchange's exact bytes to DIR: NNN-sent.http and NNN-received.http.
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Exit with code 1 when a message has lint warnings too, not only errors.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub show: ShowArgs,
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

#[derive(Debug, Args)]
pub struct RelayArgs {
    /// TCP port to listen on; 0 picks any free port (the real one is printed).
    #[arg(value_name = "PORT")]
    pub port: u16,

    /// Reverse mode: send every request to this server (http://host:port or https://...).
    /// Without it, relay is a forward proxy: each request goes to the host its absolute
    /// target names (curl -x, a browser's proxy setting), CONNECT opens a tunnel.
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,

    /// Address or host name to bind (a name is looked up; a loopback address is preferred).
    /// 0.0.0.0 lets the whole network in.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = parse_bind)]
    pub bind: IpAddr,

    /// Reverse mode: set each request's Host header to the --to server's host and port
    /// (shown as a changed line).
    #[arg(long, requires = "to")]
    pub rewrite_host: bool,

    /// Add `Forwarded: for=...` and `X-Forwarded-For` with the client's address (shown
    /// as added lines). Nothing is added without it.
    #[arg(long)]
    pub forwarded: bool,

    /// Answer 502 Bad Gateway instead of passing on an upstream response that cannot
    /// be read (by default it is shown with its errors and passed on as it is).
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub show: ShowArgs,

    #[command(flatten)]
    pub live: LiveArgs,

    /// Show nothing per exchange, in the terminal (for benchmarks, --save and --live).
    #[arg(long, short)]
    pub quiet: bool,

    /// Write each exchange's exact bytes to DIR as they pass: NNNNNN-request.http and
    /// NNNNNN-response.http.
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// The largest head (start line and headers) accepted from a client or an upstream,
    /// in bytes; a larger request gets 431.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024)]
    pub max_head: usize,

    /// How long either side may go without sending a byte (e.g. 60, 2.5, 500ms); an
    /// upstream silent that long before its response gets the client a 504. Also the
    /// idle limit of a tunnel and of connecting upstream.
    #[arg(long, value_name = "DURATION", default_value = "60", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Client connections open at once (as listen's --max-connections).
    #[arg(long, value_name = "N", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Upstream https://: trust only the CA certificates in this PEM file.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Upstream https://: do not check the server's certificate.
    #[arg(long, short = 'k', conflicts_with = "cacert")]
    pub insecure: bool,
}

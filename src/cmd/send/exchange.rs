//! One connection's exchanges: write the requests, read each one's responses (1xx
//! interim ones first), and show both directions as they happen, with the timing line.
//! A failure is shown as what had come and one line on standard error.

use std::io::{self, StdoutLock, Write};
use std::time::{Duration, Instant};

use super::failure::{client_error, duration};
use super::save::SaveDir;
use crate::cli::Env;
use crate::client::conn::Connected;
use crate::client::response::{End, Got, Responses};
use crate::client::{is_timeout, ClientError};
use crate::cmd::errors::io_text;
use crate::cmd::Outcome;
use crate::explain::{self, Label, Lang};
use crate::model::{Code, Diagnostic, Direction, Exchange, Item, Message, Timing};
use crate::pipeline;
use crate::render::{visible, Sink, Tone};

/// Where everything `send` shows goes, and the outcome so far.
pub struct Shower<'a> {
    pub sink: Sink,
    out: StdoutLock<'a>,
    pub lang: Lang,
    strict: bool,
    terminal: bool,
    pub outcome: Outcome,
    pub save: Option<SaveDir>,
}

impl<'a> Shower<'a> {
    pub fn new(sink: Sink, env: &Env, strict: bool, save: Option<SaveDir>) -> Shower<'a> {
        Shower {
            sink,
            out: io::stdout().lock(),
            lang: env.lang,
            strict,
            terminal: env.stdout_is_terminal,
            outcome: Outcome::Ok,
            save,
        }
    }

    /// Lint an item, note whether it fails the run, and show it.
    fn item(&mut self, mut item: Item) -> io::Result<Item> {
        pipeline::lint_item(&mut item);
        let failed = match &mut item {
            Item::Error(_) => true,
            Item::Message(m) => {
                if let Some(cut) = m.context.exchange.as_ref().and_then(|e| e.cut_at) {
                    let at = m.offset + m.raw.len();
                    let d = Diagnostic::new(Code::SendBodyCut, None, at, vec![cut.to_string()]);
                    m.diagnostics.push(d);
                }
                explain::has_errors(&m.diagnostics)
                    || (self.strict && explain::fails_strict(&m.diagnostics))
            }
            Item::Stray(_) => false,
        };
        if failed {
            self.outcome = self.outcome.and(Outcome::InputErrors);
        }
        self.sink.item(&item, &mut self.out)?;
        self.flush_if_terminal()?;
        Ok(item)
    }

    fn flush_if_terminal(&mut self) -> io::Result<()> {
        if self.terminal {
            self.out.flush()?;
        }
        Ok(())
    }

    /// One line between tables (a table's format only), dim.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        if self.sink.format != crate::render::Format::Table {
            return Ok(());
        }
        let mut painted = String::new();
        self.sink
            .theme
            .paint(&mut painted, Tone::Dim, &visible(text.as_bytes()));
        writeln!(self.out, "{painted}\n")?;
        self.flush_if_terminal()
    }

    /// A note on standard error, after what stdout holds so far.
    pub fn note(&mut self, text: &str) {
        self.out.flush().ok();
        eprintln!("httpdump: {}", visible(text.as_bytes()));
    }

    /// The one line of a failure (exit 2).
    pub fn fail(&mut self, text: &str) {
        self.note(text);
        self.outcome = Outcome::Failed;
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn save(&mut self, number: usize, direction: Direction, bytes: &[u8]) {
        let Some(dir) = &self.save else {
            return;
        };
        if let Err(e) = dir.write(number, direction, bytes) {
            let path = dir.path(number, direction);
            let why = io_text(&e, self.lang);
            self.fail(&format!("--save {}: {why}", path.display()));
        }
    }
}

/// A request to write, and how it is shown.
pub struct Outgoing {
    /// The request as read by the wire parser (an error for a file's invalid one).
    pub item: Item,
    /// The bytes written for it (with a file: the stray bytes before the next request).
    pub bytes: Vec<u8>,
    pub is_head: bool,
}

/// An open connection with its responses.
pub struct Open {
    pub conn: Connected,
    responses: Responses,
    /// Before the name was looked up.
    opened_at: Instant,
    /// An exchange has used the connection's setup times already.
    used: bool,
    /// Nothing more can be read (a cut body, an error, a closed connection).
    pub dead: bool,
}

impl Open {
    pub fn new(conn: Connected, opened_at: Instant, max_body: u64, timeout: Duration) -> Open {
        Open {
            conn,
            responses: Responses::new(max_body, timeout),
            opened_at,
            used: false,
            dead: false,
        }
    }

    fn exchange(&self, number: usize, direction: Direction) -> Exchange {
        Exchange {
            number,
            direction,
            connection: self.conn.facts.clone(),
            timing: None,
            cut_at: None,
        }
    }

    fn timing(&mut self, written_at: Instant, first_byte: Option<Instant>) -> Timing {
        let now = Instant::now();
        let first_byte = first_byte
            .unwrap_or(now)
            .saturating_duration_since(written_at);
        let timing = if self.used {
            Timing {
                first_byte,
                total: now.saturating_duration_since(written_at),
                reused: true,
                ..Timing::default()
            }
        } else {
            Timing {
                resolve: self.conn.resolve,
                connect: self.conn.connect,
                tls: self.conn.tls,
                first_byte,
                total: now.saturating_duration_since(self.opened_at),
                reused: false,
            }
        };
        self.used = true;
        timing
    }

    /// Show a request as sent on this connection, as exchange `number`.
    fn show_sent(&self, show: &mut Shower, mut item: Item, number: usize) -> io::Result<()> {
        mark(&mut item, number, self.exchange(number, Direction::Sent));
        show.item(item)?;
        Ok(())
    }

    /// Write `bytes` whole; a failure other than a timeout is kept to report only if no
    /// response comes (a server may answer and close before reading a whole body).
    fn write(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), ClientError> {
        let written = self
            .conn
            .stream
            .write_all(bytes)
            .and_then(|()| self.conn.stream.flush());
        written.map_err(|why| {
            let after = is_timeout(&why).then_some(timeout);
            ClientError::Write { why, after }
        })
    }
}

/// Put `number` and the exchange's facts on an item.
fn mark(item: &mut Item, number: usize, exchange: Exchange) {
    match item {
        Item::Message(m) => {
            m.index = number;
            m.context.exchange = Some(exchange);
        }
        Item::Error(e) => {
            e.index = number;
            e.fragment.context.exchange = Some(exchange);
        }
        Item::Stray(_) => {}
    }
}

/// How reading an exchange's responses ended.
pub enum Answer {
    /// The final response (for `-L`), shown.
    Final(Box<Message>),
    /// Nothing more can be read; what happened is shown and said.
    Stop,
}

/// Write one request and show it with its responses. With `Expect: 100-continue` and a
/// body, the head goes first and the body after a 100, or after `continue_wait` without
/// an answer (as curl waits 1 s); a final answer before that means the body is not sent.
pub fn single(
    show: &mut Shower,
    open: &mut Open,
    request: Outgoing,
    number: usize,
    timeout: Duration,
) -> io::Result<Answer> {
    open.responses.expect(request.is_head);
    let written_at = Instant::now();
    let head_len = match &request.item {
        Item::Message(m) if m.expects_continue() && !m.body_bytes().is_empty() => m.head_len(),
        _ => request.bytes.len(),
    };
    let mut write_error = open.write(&request.bytes[..head_len], timeout).err();
    if write_error.is_none() && head_len < request.bytes.len() {
        let wait = Duration::from_secs(1).min(timeout);
        let answered = open.conn.stream.set_read_timeout(wait).is_ok()
            && open.responses.wait(&mut open.conn.stream);
        let _ = open.conn.stream.set_read_timeout(timeout);
        let early = answered && !open.responses.interim_first();
        if early {
            // A final answer came instead: the body is not sent, only the head was.
            let mut item = request.item;
            if let Item::Message(m) = &mut item {
                let note = Label::SendBodyNotSent.text(show.lang).to_string();
                m.context.notes.push(note);
            }
            open.show_sent(show, item, number)?;
            show.save(number, Direction::Sent, &request.bytes[..head_len]);
            return read_answer(show, open, number, written_at, None);
        }
        if !answered {
            show.note(&Label::SendNoContinue.fill(show.lang, &[&duration(wait)]));
        }
        write_error = open.write(&request.bytes[head_len..], timeout).err();
    }
    if let Some(err) = write_error
        .as_ref()
        .filter(|e| matches!(e, ClientError::Write { after: Some(_), .. }))
    {
        show.fail(&client_error(err, show.lang));
        return Ok(Answer::Stop);
    }
    open.show_sent(show, request.item, number)?;
    show.save(number, Direction::Sent, &request.bytes);
    read_answer(show, open, number, written_at, write_error)
}

/// Write all requests at once (pipelined), then show each with its responses in turn.
pub fn pipelined(
    show: &mut Shower,
    open: &mut Open,
    requests: Vec<Outgoing>,
    bytes: &[u8],
    timeout: Duration,
) -> io::Result<()> {
    for request in &requests {
        open.responses.expect(request.is_head);
    }
    let written_at = Instant::now();
    let write_error = open.write(bytes, timeout).err();
    if let Some(err) = write_error
        .as_ref()
        .filter(|e| matches!(e, ClientError::Write { after: Some(_), .. }))
    {
        show.fail(&client_error(err, show.lang));
        return Ok(());
    }
    let total = requests.len();
    let mut write_error = write_error;
    for (i, request) in requests.into_iter().enumerate() {
        let number = i + 1;
        let stray = matches!(request.item, Item::Stray(_));
        open.show_sent(show, request.item, number)?;
        show.save(number, Direction::Sent, &request.bytes);
        if open.dead || stray {
            continue;
        }
        if let Answer::Stop = read_answer(show, open, number, written_at, write_error.take())? {
            if show.outcome != Outcome::Failed && number < total {
                let left = (total - number).to_string();
                show.note(&Label::SendNotHttp.fill(show.lang, &[&number.to_string(), &left]));
            }
            open.dead = true;
        }
    }
    Ok(())
}

/// Read and show the responses to request `number` up to its final one.
fn read_answer(
    show: &mut Shower,
    open: &mut Open,
    number: usize,
    written_at: Instant,
    write_error: Option<ClientError>,
) -> io::Result<Answer> {
    let lang = show.lang;
    let mut first_byte = None;
    let mut received = Vec::new();
    let answer = loop {
        let (got, first) = open.responses.next(&mut open.conn.stream);
        first_byte = first_byte.or(first);
        let (mut m, cut) = match got {
            Got::Message(m) => (m, false),
            Got::Cut(m) => (m, true),
            Got::Error(mut e) => {
                received.extend_from_slice(&e.fragment.raw);
                e.index = number;
                e.fragment.context.exchange = Some(open.exchange(number, Direction::Received));
                show.item(Item::Error(e))?;
                open.dead = true;
                break Answer::Stop;
            }
            Got::Ended { partial, why } => {
                let came = partial.is_some();
                if let Some(mut item) = partial {
                    match &item {
                        Item::Message(m) => received.extend_from_slice(&m.raw),
                        Item::Error(e) => received.extend_from_slice(&e.fragment.raw),
                        Item::Stray(s) => received.extend_from_slice(&s.bytes),
                    }
                    mark(
                        &mut item,
                        number,
                        open.exchange(number, Direction::Received),
                    );
                    show.item(item)?;
                }
                let n = number.to_string();
                let text = match why {
                    End::Closed if came => Label::SendClosedEarly.fill(lang, &[&n]),
                    End::Closed => match &write_error {
                        Some(err) => client_error(err, lang),
                        None => Label::SendClosedNoAnswer.fill(lang, &[&n]),
                    },
                    End::TimedOut(after) if came => {
                        Label::SendReadTimeoutPartial.fill(lang, &[&n, &duration(after)])
                    }
                    End::TimedOut(after) => {
                        Label::SendReadTimeout.fill(lang, &[&n, &duration(after)])
                    }
                    End::Failed(e) => Label::SendReadFailed.fill(lang, &[&n, &io_text(&e, lang)]),
                };
                show.fail(&text);
                open.dead = true;
                break Answer::Stop;
            }
        };
        received.extend_from_slice(&m.raw);
        let status = m.status().unwrap_or(0);
        let interim = (100..200).contains(&status) && status != 101;
        let mut exchange = open.exchange(number, Direction::Received);
        if !interim {
            exchange.timing = Some(open.timing(written_at, first_byte));
        }
        if cut {
            exchange.cut_at = Some(m.body.wire.len() as u64);
        }
        m.index = number;
        m.context.exchange = Some(exchange.clone());
        let Item::Message(m) = show.item(Item::Message(m))? else {
            break Answer::Stop;
        };
        if interim {
            continue;
        }
        show.sink.timing(&exchange, &mut show.out)?;
        if cut {
            let limit = exchange.cut_at.unwrap_or(0).to_string();
            show.note(&Label::SendCutNote.fill(lang, &[&number.to_string(), &limit]));
            open.dead = true;
        } else if status == 101 {
            show.note(&Label::SendSwitched.fill(lang, &[&number.to_string()]));
            open.dead = true;
        }
        break Answer::Final(m);
    };
    if !received.is_empty() {
        show.save(number, Direction::Received, &received);
    }
    Ok(answer)
}

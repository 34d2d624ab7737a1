//! One connection's exchanges: write the requests, read each one's responses (1xx
//! interim ones first), and show both directions as they happen, with the timing line.
//! A failure is shown as what had come and one line on standard error.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use super::failure::{client_error, duration};
use super::shower::Shower;
use crate::client::conn::Connected;
use crate::client::response::{End, Got, Responses};
use crate::client::{is_timeout, ClientError};
use crate::cmd::errors::io_text;
use crate::cmd::Outcome;
use crate::explain::Label;
use crate::model::{Direction, Exchange, Item, Message, Timing};

/// The most interim (1xx) responses shown before a final one.
const MAX_INTERIM: usize = 100;

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
    for request in requests
        .iter()
        .filter(|r| !matches!(r.item, Item::Stray(_)))
    {
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
    // Bytes that are no request (after one that broke) are shown with the request they
    // were sent with, before its answer.
    let mut groups: Vec<(Option<Outgoing>, Vec<Item>)> = vec![(None, Vec::new())];
    for request in requests {
        match request.item {
            Item::Stray(_) => groups.last_mut().map_or((), |g| g.1.push(request.item)),
            _ => groups.push((Some(request), Vec::new())),
        }
    }
    let total = groups.len() - 1;
    let mut write_error = write_error;
    for (number, (request, strays)) in groups.into_iter().enumerate() {
        if let Some(request) = request {
            open.show_sent(show, request.item, number)?;
            show.save(number, Direction::Sent, &request.bytes);
        }
        for stray in strays {
            show.item(stray)?;
        }
        if number == 0 || open.dead {
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
    let mut interims = 0;
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
                let write_error = write_error.as_ref();
                ended(
                    show,
                    open,
                    number,
                    (partial, why),
                    write_error,
                    &mut received,
                )?;
                break Answer::Stop;
            }
        };
        received.extend_from_slice(&m.raw);
        let status = m.status().unwrap_or(0);
        let interim = (100..200).contains(&status) && status != 101;
        if interim {
            // A server sending 1xx answers without end must not fill memory.
            interims += 1;
            if interims > MAX_INTERIM {
                let (n, max) = (number.to_string(), MAX_INTERIM.to_string());
                show.fail(&Label::SendTooManyInterim.fill(lang, &[&n, &max]));
                open.dead = true;
                break Answer::Stop;
            }
        }
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

/// Show what had come of response `number` when reading stopped, and say why (exit 2).
fn ended(
    show: &mut Shower,
    open: &mut Open,
    number: usize,
    (partial, why): (Option<Item>, End),
    write_error: Option<&ClientError>,
    received: &mut Vec<u8>,
) -> io::Result<()> {
    let lang = show.lang;
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
        End::Closed => match write_error {
            Some(err) => client_error(err, lang),
            None => Label::SendClosedNoAnswer.fill(lang, &[&n]),
        },
        End::TimedOut(after) if came => {
            Label::SendReadTimeoutPartial.fill(lang, &[&n, &duration(after)])
        }
        End::TimedOut(after) => Label::SendReadTimeout.fill(lang, &[&n, &duration(after)]),
        End::Failed(e) => Label::SendReadFailed.fill(lang, &[&n, &io_text(&e, lang)]),
    };
    show.fail(&text);
    open.dead = true;
    Ok(())
}

//! What the listener keeps of each request on one connection: its server-wide number and
//! the facts of its title (connection, n-th request, peer, time), its place in the
//! printer's queue, its saved file, and the note for one cut off by a second Ctrl-C.

use std::net::SocketAddr;

use chrono::{DateTime, Local};

use super::output::Job;
use super::{CutOff, Shared, Stats};
use crate::explain::{count, Label};
use crate::model::{Item, Message, ParseError, Role};

/// Who is on the other end of one connection, and how many requests it has sent.
pub(super) struct Record<'a> {
    shared: &'a Shared,
    peer: SocketAddr,
    /// `peer` as titles show it, written once for the connection.
    peer_text: String,
    /// The connection's number.
    id: u64,
    /// Requests read on this connection so far.
    nth: u64,
}

impl<'a> Record<'a> {
    pub(super) fn new(shared: &'a Shared, peer: SocketAddr, id: u64) -> Self {
        Record {
            shared,
            peer,
            peer_text: peer.to_string(),
            id,
            nth: 0,
        }
    }

    pub(super) fn id(&self) -> u64 {
        self.id
    }

    /// A request was read: count it (on the connection and server-wide).
    pub(super) fn count_request(&mut self) {
        self.nth += 1;
        Stats::add(&self.shared.stats.requests, 1);
    }

    /// Give a whole request its server-wide number and title, and queue it for
    /// printing. Hands the request back only when `keep` (the echo needs it).
    pub(super) async fn number(
        &self,
        message: Box<Message>,
        keep: bool,
        received: &DateTime<Local>,
    ) -> (u64, Option<Box<Message>>) {
        let shared = self.shared;
        let mut item = Item::Message(message);
        if shared.output.is_none() && shared.config.live.is_none() {
            let seq = shared.numbers.next();
            if !keep {
                return (seq, None);
            }
            self.stamp(&mut item, Role::Request, seq, received);
            let Item::Message(message) = item else {
                unreachable!("made a message above")
            };
            return (seq, Some(message));
        }
        let mut kept = None;
        let size = match &item {
            Item::Message(m) => m.raw.len(),
            _ => 0,
        };
        let seq = shared
            .number(size, |seq| {
                self.stamp(&mut item, Role::Request, seq, received);
                if let (true, Item::Message(m)) = (keep, &item) {
                    kept = Some(m.clone());
                }
                Job::Item(Box::new(item))
            })
            .await;
        (seq, kept)
    }

    /// Stamp an item the listener received or sent with its server-wide number and who
    /// sent it when: the facts of its title and JSON fields.
    pub(super) fn stamp(&self, item: &mut Item, role: Role, seq: u64, at: &DateTime<Local>) {
        let origin = crate::model::Origin {
            role,
            connection: self.id,
            nth: self.nth,
            number: seq,
            peer: self.peer_text.clone(),
            at: *at,
        };
        match item {
            Item::Message(message) => {
                message.index = seq as usize;
                message.context.origin = Some(origin);
            }
            Item::Error(error) => {
                error.index = seq as usize;
                error.fragment.context.origin = Some(origin);
            }
            Item::Stray(_) => {}
        }
    }

    /// Count, number and show a request that could not be taken, `answered` with that
    /// status, and save its bytes (`raw`). Returns its number and when it was received.
    pub(super) async fn refused(
        &mut self,
        mut error: Box<ParseError>,
        answered: Option<u16>,
        raw: &[u8],
    ) -> (u64, DateTime<Local>) {
        let shared = self.shared;
        self.count_request();
        Stats::add(&shared.stats.errors, 1);
        let received = Local::now();
        error.fragment.context.answered = answered;
        let mut item = Item::Error(error);
        let size = match &item {
            Item::Error(e) => e.fragment.raw.len(),
            _ => 0,
        };
        let seq = shared
            .number(size, |seq| {
                self.stamp(&mut item, Role::Request, seq, &received);
                Job::Item(Box::new(item))
            })
            .await;
        self.save(seq, self.nth, raw, true).await;
        (seq, received)
    }

    /// The second Ctrl-C came in the middle of a request (`unread`, what had come of it):
    /// keep its bytes (`--save`) and tell `listen` what was cut off.
    pub(super) async fn cut_off(&self, unread: &[u8]) {
        let shared = self.shared;
        let lang = shared.config.lang;
        Stats::add(&shared.stats.cut_off, 1);
        let nth = self.nth + 1;
        shared.stats.note_cut_off(CutOff {
            connection: self.id,
            nth,
            peer: self.peer,
            bytes: unread.len(),
        });
        // The number it would have had, so saved files and tables keep counting.
        let note = Label::ListenCutOff.fill(
            lang,
            &[
                &self.id.to_string(),
                &nth.to_string(),
                &self.peer_text,
                &count(unread.len(), Label::CountByte, Label::CountBytes, lang),
            ],
        );
        let seq = shared.number(0, |_| Job::Note(note)).await;
        self.save(seq, nth, unread, true).await;
    }

    /// Save the bytes of request `seq` (the `nth` on this connection) with `--save`;
    /// `refused`, it could not be taken. Whether they were kept (or need not be). The
    /// bytes are copied only when they are saved.
    pub(super) async fn save(
        &self,
        seq: u64,
        nth: u64,
        raw: impl Into<Vec<u8>>,
        refused: bool,
    ) -> bool {
        let Some(dir) = &self.shared.config.save else {
            return true;
        };
        let path = dir.path(seq, self.id, nth, refused);
        match dir.write(path.clone(), raw.into()).await {
            Ok(()) => true,
            Err(e) => {
                eprintln!("httpdump: {}: {e}", path.display());
                false
            }
        }
    }

    /// The request last counted, for saving it.
    pub(super) fn nth(&self) -> u64 {
        self.nth
    }
}

//! The tables of an exchange: the kept bytes of each message parsed back through the
//! wire parser (whole, or cut where the kept prefix ends), linted, and stamped with what
//! relay knows about them (exchange, direction, connections, timing, rewritten lines).

use crate::model::{Item, Message, ParseError, RelayDirection, Relayed};
use crate::pipeline;
use crate::wire::{self, ParseOptions, Parsed, State};

use super::pump::Kept;

/// Who an exchange's messages came through, for their titles.
#[derive(Clone)]
pub(super) struct Facts {
    pub(super) exchange: u64,
    pub(super) client: u64,
    pub(super) client_peer: String,
    pub(super) upstream: Option<(u64, String)>,
}

impl Facts {
    pub(super) fn relayed(&self, direction: RelayDirection) -> Relayed {
        Relayed {
            exchange: self.exchange,
            direction,
            client: self.client,
            client_peer: self.client_peer.clone(),
            upstream: self.upstream.clone(),
            elapsed: None,
            body_total: None,
            kept: 0,
            rewritten: Vec::new(),
        }
    }
}

/// The table item of a message relay passed on (or made): parsed from its kept bytes.
/// `to_head` is set for a response, saying whether its request was `HEAD`.
pub(super) fn message(kept: &Kept, to_head: Option<bool>, relayed: Relayed) -> Item {
    let opts = ParseOptions::default();
    let mut state = State::default();
    if let Some(is_head) = to_head {
        state.push_request(is_head);
    }
    let parsed = if kept.unread_body {
        match to_head {
            None => wire::parse_head_first(&kept.bytes, 0, &opts),
            Some(is_head) => wire::parse_response_head(&kept.bytes, 0, &opts, is_head),
        }
    } else if kept.whole() {
        wire::parse_message(&kept.bytes, 0, &mut state, &opts, true)
    } else {
        wire::parse_cut(&kept.bytes, 0, &mut state, &opts)
    };
    let cut = !kept.whole() && !kept.unread_body;
    match parsed {
        Parsed::Complete { mut message, .. } => {
            pipeline::lint_message(&mut message);
            Item::Message(stamp(message, relayed, kept, cut))
        }
        Parsed::Error { error, .. } => Item::Error(stamp_error(error, relayed)),
        // Cannot happen with `eof` (or a cut); say what there is all the same.
        Parsed::Partial { .. } => {
            let mut state = State::default();
            match wire::parse_message(&kept.bytes, 0, &mut state, &opts, true) {
                Parsed::Complete { message, .. } => {
                    Item::Message(stamp(message, relayed, kept, cut))
                }
                Parsed::Error { error, .. } => Item::Error(stamp_error(error, relayed)),
                Parsed::Partial { .. } => unreachable!("eof gives no Partial"),
            }
        }
    }
}

fn stamp(mut message: Box<Message>, mut relayed: Relayed, kept: &Kept, cut: bool) -> Box<Message> {
    message.index = relayed.exchange as usize;
    if cut {
        relayed.body_total = Some(kept.body_total);
        relayed.kept = kept.bytes.len() - kept.head_len;
    }
    message.context.relay = Some(relayed);
    message
}

/// A head that could not be read, stamped like a message.
pub(super) fn stamp_error(mut error: Box<ParseError>, relayed: Relayed) -> Box<ParseError> {
    error.index = relayed.exchange as usize;
    error.fragment.context.relay = Some(relayed);
    error
}

/// The item of a reply relay made itself (400, 502, 504): its exact bytes.
pub(super) fn made_here(bytes: &[u8], relayed: Relayed) -> Item {
    message(&Kept::whole_message(bytes), Some(false), relayed)
}

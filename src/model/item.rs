//! What a source yields, in order: messages, parse errors, and the bytes between them.

use super::{Message, ParseError};

/// What an input yields, in order.
#[derive(Clone, Debug)]
pub enum Item {
    Message(Box<Message>),
    Error(Box<ParseError>),
    /// Bytes between messages: blank lines, or what was skipped after an error.
    Stray(Stray),
}

/// Bytes that belong to no message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    pub offset: usize,
    pub bytes: Vec<u8>,
    /// Only CR and LF: the blank lines RFC 9112 section 2.2 lets a reader skip.
    pub blank: bool,
}

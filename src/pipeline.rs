//! The step between a source and a sink: every message a source yields gets its lints
//! here (the wire parser only reports what breaks the grammar), so each source, today's
//! readers and the listener alike, feeds a sink the same way.

use std::io;

use crate::explain;
use crate::model::{Item, Message};

/// Add the lint findings to one message.
pub fn lint_message(message: &mut Message) {
    explain::apply_lints(message);
}

/// Add the lint findings to an item, when it is a message.
pub fn lint_item(item: &mut Item) {
    if let Item::Message(message) = item {
        lint_message(message);
    }
}

/// The items of a source, each message linted, in order.
pub fn linted<I>(items: I) -> impl Iterator<Item = io::Result<Item>>
where
    I: Iterator<Item = io::Result<Item>>,
{
    items.map(|item| {
        item.map(|mut item| {
            lint_item(&mut item);
            item
        })
    })
}

/// A whole list of items, each message linted.
pub fn lint_all(mut items: Vec<Item>) -> Vec<Item> {
    items.iter_mut().for_each(lint_item);
    items
}

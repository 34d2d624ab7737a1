//! Raw output: the exact bytes that were read, so `parse --format raw f | cmp - f` holds.

use std::io::{self, Write};

use crate::model::Item;

/// Write an item's bytes back out unchanged.
pub fn write_item(out: &mut impl Write, item: &Item) -> io::Result<()> {
    match item {
        Item::Message(m) => out.write_all(&m.raw),
        Item::Error(e) => out.write_all(&e.fragment.raw),
        Item::Stray(s) => out.write_all(&s.bytes),
    }
}

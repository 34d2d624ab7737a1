//! httpdump: the anatomy of HTTP/1.x messages, line by line.
//!
//! Data flows one way: bytes -> [`parse`] -> [`message::Message`] -> [`render`] -> text.

pub mod cli;
pub mod cmd;
pub mod explain;
pub mod input;
pub mod message;
pub mod parse;
pub mod render;
pub mod server;

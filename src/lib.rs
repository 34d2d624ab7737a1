//! httpdump: the anatomy of HTTP/1.x messages, line by line.
//!
//! Data flows one way: a [`source`] reads bytes through the [`wire`] parser into
//! [`model`] items, lints from [`explain`] are added, and a [`render`] sink prints them.
//! docs/architecture.md lists which module may use which.

pub mod cli;
pub mod cmd;
pub mod explain;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod server;
pub mod source;
pub mod wire;

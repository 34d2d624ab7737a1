//! httpdump: the anatomy of HTTP/1.x messages, line by line.
//!
//! Data flows one way: a [`source`] reads bytes through the [`wire`] parser into
//! [`model`] items, the [`pipeline`] adds the lints from [`explain`], and a [`render`]
//! sink prints them. docs/architecture.md lists which module may use which.
//!
//! Only what the binary (`cli`, `cmd`) and the integration tests (`explain`'s `Label`,
//! `Lang` and `Text`: every label has both languages) need is public; the rest is
//! `pub(crate)` or private, so the compiler reports dead code.

pub mod cli;
mod client;
pub mod cmd;
pub mod explain;
mod live;
mod model;
mod pipeline;
mod relay;
mod render;
mod server;
mod source;
mod wire;

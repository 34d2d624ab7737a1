//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod lints_cli;
mod meta;
mod parse_cli;

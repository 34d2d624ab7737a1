//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod lints_cli;
mod parse_cli;

//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod meta;
mod parse_cli;

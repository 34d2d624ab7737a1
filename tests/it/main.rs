//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod listen;
mod parse_cli;

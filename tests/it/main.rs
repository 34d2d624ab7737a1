//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod parse_cli;

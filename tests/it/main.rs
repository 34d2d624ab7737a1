//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod architecture;
mod browser;
mod cli_errors;
mod curl;
mod explain_cli;
mod explain_cmd;
mod invisible;
mod lints_cli;
mod listen;
mod memory;
mod meta;
mod parse_cli;
mod width;

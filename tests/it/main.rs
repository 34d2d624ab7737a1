//! Integration tests: the real `httpdump` binary, real files, real sockets.

mod architecture;
mod browser;
mod cells;
mod cli_errors;
mod curl;
#[cfg(target_os = "linux")]
mod devtools;
mod explain_cli;
mod explain_cmd;
mod foreign;
mod fuzz;
mod har;
mod invisible;
mod layout;
mod lints_cli;
mod listen;
#[cfg(target_os = "linux")]
mod live;
mod memory;
mod meta;
mod nginx;
mod parse_cli;
mod parse_order;
mod pcap;
mod relay;
mod send;
mod spawned;
#[cfg(target_os = "linux")]
mod typed;
mod width;

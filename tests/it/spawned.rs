//! A serving `httpdump` (`listen`, `relay`) started for a test on port 0: its standard
//! output read to the end on a thread, its standard error handed over line by line as it
//! comes, and the address its first line ("listening on http://...") names.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

pub(crate) struct Spawned {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    /// Everything on standard output, once the process ends.
    pub(crate) stdout: JoinHandle<Vec<u8>>,
    /// The standard error lines that came after `lines` was dropped, once it ends.
    pub(crate) stderr: JoinHandle<String>,
    /// The standard error lines after the first, as they come.
    pub(crate) lines: mpsc::Receiver<String>,
    /// The first standard error line.
    pub(crate) first: String,
}

/// Start `httpdump ARGS` and wait (at most `wait`) for its "listening on" line.
pub(crate) fn spawn(args: &[&str], wait: Duration) -> Spawned {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting httpdump");
    let mut out = child.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        out.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let (tx, lines) = mpsc::channel();
    let err = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut rest = String::new();
        for line in BufReader::new(err).lines() {
            let line = line.unwrap();
            if tx.send(line.clone()).is_err() {
                rest.push_str(&line);
                rest.push('\n');
            }
        }
        rest
    });
    let first = lines.recv_timeout(wait).expect("no 'listening on' line");
    let addr = first
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first stderr line: {first:?}"))
        .parse()
        .unwrap();
    Spawned {
        child,
        addr,
        stdout,
        stderr,
        lines,
        first,
    }
}

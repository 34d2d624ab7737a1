//! `httpdump send` through the real binary, against real servers: `httpdump listen` on
//! port 0, nginx on a free loopback port (plain and TLS, with a certificate made by the
//! openssl CLI), and plain `TcpListener`s in the test that misbehave on purpose.

mod failures;
mod misbehaving;
mod nginx;
mod to_listen;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Output};
use std::thread::JoinHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Run `httpdump send` with `args` (no colour, 200 columns) and wait for it.
fn send(args: &[&str]) -> Output {
    send_in(args, None)
}

/// As [`send`], with `stdin` as standard input.
fn send_in(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(["--color", "never", "--width", "200", "send"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starting httpdump send");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The exit code, with both streams shown when it is not `want`.
fn assert_code(out: &Output, want: i32) {
    assert_eq!(
        out.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Title lines of the tables printed, in order.
fn titles(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| {
            l.starts_with("Request ") || l.starts_with("Response ") || l.starts_with("Message ")
        })
        .collect()
}

/// A server in the test that answers `connections` connections one after another, each
/// with `reply` given the request's head (read up to its blank line) and the stream.
/// Joined, it returns the heads it read.
struct Fake {
    addr: SocketAddr,
    thread: JoinHandle<Vec<Vec<u8>>>,
}

impl Fake {
    fn start<F>(connections: usize, reply: F) -> Fake
    where
        F: Fn(&[u8], &mut TcpStream) + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let thread = std::thread::spawn(move || {
            let mut heads = Vec::new();
            for _ in 0..connections {
                let (mut stream, _) = listener.accept().unwrap();
                stream.set_read_timeout(Some(WAIT)).unwrap();
                let head = read_head(&mut stream);
                reply(&head, &mut stream);
                heads.push(head);
            }
            heads
        });
        Fake { addr, thread }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn heads(self) -> Vec<Vec<u8>> {
        self.thread.join().expect("the fake server panicked")
    }
}

/// Bytes up to and including the first blank line (CRLF CRLF).
fn read_head(stream: &mut TcpStream) -> Vec<u8> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    head
}

/// A port nothing listens on: bound, then let go.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

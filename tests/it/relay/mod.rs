//! `httpdump relay` through the real binary: started on port 0 between real clients
//! (curl, raw sockets, headless Chromium) and real servers (nginx, small servers in the
//! test), stopped with SIGTERM; live.rs watches its --live page in headless Chromium.
//! This file holds the harness; the tests are in the modules.

mod exact;
mod failures;
mod live;
mod nginx;
mod shown;
mod tunnels;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// A running `httpdump relay`, killed on drop if a test fails before stopping it.
struct Relay {
    child: Child,
    addr: SocketAddr,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<String>>,
    first_stderr: String,
}

/// What a stopped relay left behind.
struct Stopped {
    stdout: String,
    stderr: String,
    status: ExitStatus,
}

impl Relay {
    fn start(args: &[&str]) -> Relay {
        Relay::start_reading(args, 0).0
    }

    /// Start, and read `more` lines of standard error after the first two (the live
    /// page's link and its token note).
    fn start_reading(args: &[&str], more: usize) -> (Relay, Vec<String>) {
        let mut all = vec!["relay", "0", "--width", "200", "--color", "never"];
        all.extend(args);
        let spawned = crate::spawned::spawn(&all, WAIT);
        let hint = spawned
            .lines
            .recv_timeout(WAIT)
            .expect("no second stderr line");
        let lines: Vec<String> = (0..more)
            .map(|_| {
                spawned
                    .lines
                    .recv_timeout(WAIT)
                    .expect("fewer stderr lines than expected")
            })
            .collect();
        let mut first_stderr = format!("{}\n{hint}\n", spawned.first);
        for line in &lines {
            first_stderr.push_str(line);
            first_stderr.push('\n');
        }
        let relay = Relay {
            child: spawned.child,
            addr: spawned.addr,
            stdout: Some(spawned.stdout),
            stderr: Some(spawned.stderr),
            first_stderr,
        };
        (relay, lines)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait for the exit and collect the output.
    fn stop(mut self) -> Stopped {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "relay did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().unwrap().join().unwrap();
        let rest = self.stderr.take().unwrap().join().unwrap();
        Stopped {
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: format!("{}{rest}", self.first_stderr),
            status,
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(["-sS", "--max-time", "20"])
        .args(args)
        .output()
        .expect("running curl")
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Read from `stream` until `done` says the bytes so far are enough, or it closes.
fn read_until(stream: &mut TcpStream, done: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    while !done(&bytes) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) => panic!("reading: {e} after {:?}", String::from_utf8_lossy(&bytes)),
        }
    }
    bytes
}

/// Whether `bytes` hold `count` whole messages whose bodies have the Content-Length
/// their heads give (for tests that know their messages have one).
fn has_messages(bytes: &[u8], count: usize) -> bool {
    let mut rest = bytes;
    for _ in 0..count {
        let Some(end) = find(rest, b"\r\n\r\n").or_else(|| find(rest, b"\n\n").map(|i| i - 2))
        else {
            return false;
        };
        let head = String::from_utf8_lossy(&rest[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        let total = end + 4 + length;
        if rest.len() < total {
            return false;
        }
        rest = &rest[total..];
    }
    true
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What a [`Recorder`] answers to the bytes so far: the bytes to send and whether to
/// close after them, or nothing yet.
type Answer = fn(&[u8]) -> Option<(Vec<u8>, bool)>;

/// A small upstream in the test: accepts connections, records every byte each sends,
/// and answers with `answer(bytes so far)` whenever that gives something. Returns its
/// address and, when it is dropped, what each connection sent.
struct Recorder {
    addr: SocketAddr,
    got: mpsc::Receiver<Vec<u8>>,
}

impl Recorder {
    /// `answer` gets the bytes received on a connection so far (after the last answer)
    /// and returns the bytes to send, if it is time to, and whether to close after them.
    fn start(answer: Answer) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, got) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let tx = tx.clone();
                std::thread::spawn(move || {
                    stream.set_read_timeout(Some(WAIT)).unwrap();
                    let mut all = Vec::new();
                    let mut pending = Vec::new();
                    let mut buf = [0u8; 4096];
                    loop {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => {
                                all.extend_from_slice(&buf[..n]);
                                pending.extend_from_slice(&buf[..n]);
                                if let Some((reply, close)) = answer(&pending) {
                                    pending.clear();
                                    if stream.write_all(&reply).is_err() || close {
                                        break;
                                    }
                                }
                            }
                        }
                    }
                    let _ = tx.send(all);
                });
            }
        });
        Recorder { addr, got }
    }

    fn to(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the next connection to close sent, in full.
    fn received(&self) -> Vec<u8> {
        self.got
            .recv_timeout(WAIT)
            .expect("the upstream got no connection")
    }
}

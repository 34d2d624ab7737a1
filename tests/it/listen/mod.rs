//! `httpdump listen` through the real binary: started on port 0, talked to with curl and
//! plain TCP sockets, stopped with SIGTERM. This file holds the harness; the tests are in
//! the modules below.

mod arguments;
mod echo;
mod foreign;
mod framing;
mod lifecycle;
mod limits;
mod output;
mod replies;
#[cfg(target_os = "linux")]
mod resize;
mod resources;
mod roundtrip;
mod slots;
mod typing;
mod unread;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// A running `httpdump listen`, killed on drop if a test fails before stopping it.
/// Other test modules (the browser test) use it too.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: SocketAddr,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<String>>,
    /// The stderr lines after the first two, as the reader thread hands them over.
    stderr_lines: mpsc::Receiver<String>,
    first_stderr: String,
}

/// What a stopped server left behind.
pub(crate) struct Stopped {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) status: ExitStatus,
}

impl Server {
    pub(crate) fn start(args: &[&str]) -> Server {
        let mut all = vec!["listen", "0"];
        if !args.contains(&"--width") {
            all.extend(["--width", "200"]);
        }
        all.extend(args);
        if !args.contains(&"--color") {
            all.extend(["--color", "never"]);
        }
        let spawned = crate::spawned::spawn(&all, WAIT);
        let hint = spawned
            .lines
            .recv_timeout(WAIT)
            .expect("no second stderr line");
        Server {
            child: spawned.child,
            addr: spawned.addr,
            stdout: Some(spawned.stdout),
            stderr: Some(spawned.stderr),
            stderr_lines: spawned.lines,
            first_stderr: format!("{}\n{hint}\n", spawned.first),
        }
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.set_nodelay(true).unwrap();
        stream
    }

    /// SIGTERM, then wait for the exit and collect the output.
    pub(crate) fn stop(self) -> Stopped {
        self.signal("TERM");
        self.wait_exit()
    }

    /// Send a signal (`INT` is Ctrl-C) to the server.
    pub(crate) fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// The next line on standard error (after the first two), waiting for it.
    pub(crate) fn next_stderr_line(&self) -> String {
        self.stderr_lines
            .recv_timeout(WAIT)
            .expect("no further stderr line")
    }

    /// Wait for the server to exit (after a signal) and collect the output.
    pub(crate) fn wait_exit(mut self) -> Stopped {
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().unwrap().join().unwrap();
        let rest = self.stderr.take().unwrap().join().unwrap();
        let mut stderr = self.first_stderr.clone();
        for line in self.stderr_lines.try_iter() {
            stderr.push_str(&line);
            stderr.push('\n');
        }
        stderr.push_str(&rest);
        Stopped {
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr,
            status,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(["-sS", "--max-time", "10"])
        .args(args)
        .output()
        .expect("running curl")
}

/// Read one response: the head, then a Content-Length body. Returns the exact bytes.
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut byte = [0u8];
    while !bytes.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "closed in the head: {bytes:?}"
        );
        bytes.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&bytes).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    bytes.extend_from_slice(&body);
    bytes
}

/// Everything until the server closes the connection.
fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    bytes
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Title lines of the tables printed, in order.
fn titles(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| {
            l.starts_with("Request ") || l.starts_with("Message ") || l.starts_with("Response ")
        })
        .collect()
}

/// Send `request`, expect `status` with `body_text`, then the server closes.
fn expect_error(server: &Server, request: &[u8], status: &str, body_text: &str) {
    let mut stream = server.connect();
    stream.write_all(request).unwrap();
    let reply = text(&read_to_close(&mut stream));
    assert!(
        reply.starts_with(&format!("HTTP/1.1 {status}\r\n")),
        "{reply}"
    );
    assert!(reply.contains("Connection: close\r\n"), "{reply}");
    assert!(
        reply.ends_with(&format!("\r\n\r\n{body_text}\n")),
        "{reply}"
    );
}

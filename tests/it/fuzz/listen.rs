//! `httpdump listen` under fuzz: one server per property, one fresh connection per case,
//! the bytes sent in pieces so they arrive in separate reads. Every connection gets a reply
//! or a clean close, valid pipelines are answered in full, nothing is lost from stdout, and
//! the server still answers a normal request at the end.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

use super::server::{Stopped, Watched as Server};
use super::{input, unsafe_char};

/// How long a reply may take: the server runs with `--timeout 1`, so even a request that
/// never ends is answered (408) or closed well within it.
const REPLY_LIMIT: Duration = Duration::from_secs(5);

fn config(cases: u32) -> Config {
    Config {
        cases,
        max_shrink_iters: 200,
        max_shrink_time: 30_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

/// Cut `bytes` at the given places (in any order, repeats ignored).
fn pieces<'a>(bytes: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.dedup();
    at.windows(2).map(|w| &bytes[w[0]..w[1]]).collect()
}

/// `bytes` with each CRLF made a plain LF.
fn without_crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

/// The start of a reply, as text, for a failure message.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let cut: String = text.chars().take(600).collect();
    format!("{cut:?}{}", if cut.len() < text.len() { "..." } else { "" })
}

/// What came back on one connection, read until the server closed it.
struct Reply {
    bytes: Vec<u8>,
    /// How the read ended when it was not a clean close (reset, timeout).
    error: Option<std::io::Error>,
}

/// Send `bytes` in `cuts` pieces, each its own write (a millisecond apart, so the server
/// reads them separately), half-close, and read everything until the server closes.
fn exchange(server: &Server, bytes: &[u8], cuts: &[Index]) -> Reply {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_nodelay(true).unwrap();
    stream.set_read_timeout(Some(REPLY_LIMIT)).unwrap();
    for (n, piece) in pieces(bytes, cuts).into_iter().enumerate() {
        if n > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        // The server may answer and close before it has read all: that is its right.
        if stream.write_all(piece).is_err() {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Write);
    let mut reply = Reply {
        bytes: Vec::new(),
        error: None,
    };
    let started = Instant::now();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => reply.bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                reply.error = Some(e);
                break;
            }
        }
        if started.elapsed() > REPLY_LIMIT {
            reply.error = Some(ErrorKind::TimedOut.into());
            break;
        }
    }
    reply
}

/// How long to wait for a panic message: a connection that got no reply, or one cut
/// short, may have been dropped by a panicking task whose message is still on its way.
fn panic_wait(reply: &Reply) -> Duration {
    if reply.bytes.is_empty() || reply.error.is_some() {
        Duration::from_millis(200)
    } else {
        Duration::ZERO
    }
}

/// After the cases: a failed case is reported (with the server's stderr), else a normal
/// request still gets 200 and the server stops cleanly with safe output. Returns what it
/// printed.
fn still_serves_then_stop<E: std::fmt::Display>(server: Server, cases: Result<(), E>) -> Stopped {
    if let Err(e) = cases {
        let stopped = server.stop();
        panic!("{e}\n\nlisten's stderr:\n{}", stopped.stderr);
    }
    let reply = exchange(&server, b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n", &[]);
    let text = String::from_utf8_lossy(&reply.bytes).into_owned();
    assert!(
        text.starts_with("HTTP/1.1 200 "),
        "a normal request after the fuzz cases: {text:?} {:?}",
        reply.error
    );
    let stopped = server.stop();
    assert!(
        !stopped.stderr.contains("panicked"),
        "the server panicked:\n{}",
        stopped.stderr
    );
    assert_eq!(stopped.status.code(), Some(0), "{}", stopped.stderr);
    let problem = unsafe_char("listen's stdout", &stopped.stdout, false)
        .or_else(|| unsafe_char("listen's stderr", stopped.stderr.as_bytes(), false));
    assert!(problem.is_none(), "{}", problem.unwrap_or_default());
    stopped
}

#[test]
fn listen_survives_arbitrary_bytes() {
    let server = Server::start(&["--echo", "--hex", "--timeout", "1"]);
    let mut runner = TestRunner::new(config(300));
    let cuts = proptest::collection::vec(any::<Index>(), 0..4);
    let result = runner.run(&(input(), cuts), |(bytes, cuts)| {
        let mark = server.stderr_mark();
        let reply = exchange(&server, &bytes.0, &cuts);
        let panicked = server.panic_since(mark, panic_wait(&reply));
        let problem = if let Some(message) = panicked {
            Some(format!("the server panicked: {message}"))
        } else if reply.bytes.is_empty() {
            // Nothing back is fine only as a clean close (FIN), not a reset or a hang.
            reply.error.as_ref().map(|e| format!("no reply and {e}"))
        } else if !reply.bytes.starts_with(b"HTTP/1.1 ") {
            Some("a reply that is not HTTP/1.1".into())
        } else {
            // Heads end lines with CRLF; anything else that may end up on a terminal (curl
            // prints the body) must be safe, a lone CR included.
            let text = without_crlf(&reply.bytes);
            unsafe_char("the reply", &text, false)
        };
        prop_assert!(
            problem.is_none(),
            "{}: sent in pieces cut at {:?}, got {}",
            problem.unwrap(),
            pieces(&bytes.0, &cuts)
                .iter()
                .map(|p| p.len())
                .collect::<Vec<_>>(),
            excerpt(&reply.bytes)
        );
        Ok(())
    });
    still_serves_then_stop(server, result);
}

/// Requests a client may pipeline on one keep-alive connection, each answered 200.
const REQUESTS: &[&[u8]] = &[
    b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n",
    b"HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
    b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
    b"GET /long HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html,application/xhtml+xml\r\nCookie: a=1; b=2; c=3\r\n\r\n",
    b"PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
];

#[test]
fn listen_answers_every_pipelined_request_however_split() {
    let server = Server::start(&["--timeout", "2"]);
    let mut runner = TestRunner::new(config(150));
    let requests = proptest::collection::vec(0..REQUESTS.len(), 1..24);
    let cuts = proptest::collection::vec(any::<Index>(), 0..12);
    let sent = std::cell::Cell::new(0);
    let result = runner.run(&(requests, cuts), |(which, cuts)| {
        let bytes: Vec<u8> = which.iter().flat_map(|&r| REQUESTS[r].to_vec()).collect();
        sent.set(sent.get() + which.len());
        let mark = server.stderr_mark();
        let reply = exchange(&server, &bytes, &cuts);
        let answered = String::from_utf8_lossy(&reply.bytes)
            .matches("HTTP/1.1 200 OK\r\n")
            .count();
        let wait = if answered == which.len() {
            panic_wait(&reply)
        } else {
            Duration::from_millis(200)
        };
        if let Some(message) = server.panic_since(mark, wait) {
            prop_assert!(false, "the server panicked: {}", message);
        }
        prop_assert_eq!(
            answered,
            which.len(),
            "{} pipelined requests cut into pieces of {:?} bytes; {:?}; got {}",
            which.len(),
            pieces(&bytes, &cuts)
                .iter()
                .map(|p| p.len())
                .collect::<Vec<_>>(),
            reply.error,
            excerpt(&reply.bytes)
        );
        Ok(())
    });
    let stopped = still_serves_then_stop(server, result);
    // Every request answered was also shown: one table each, plus the one after the cases.
    let tables = String::from_utf8_lossy(&stopped.stdout)
        .lines()
        .filter(|l| l.starts_with("Request "))
        .count();
    assert_eq!(tables, sent.get() + 1, "tables printed for requests sent");
}

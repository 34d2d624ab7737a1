//! `httpdump listen` through the real binary: started on port 0, talked to with curl and
//! plain TCP sockets, stopped with SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// A running `httpdump listen`, killed on drop if a test fails before stopping it.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<String>>,
    first_stderr: String,
}

/// What a stopped server left behind.
struct Stopped {
    stdout: String,
    stderr: String,
    status: ExitStatus,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
            .args(["listen", "0", "--width", "100"])
            .args(args)
            .args(if args.contains(&"--color") {
                &[][..]
            } else {
                &["--color", "never"][..]
            })
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
        // Read stderr on a thread; hand over the first two lines as they come.
        let (tx, rx) = mpsc::channel();
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
        let first = rx.recv_timeout(WAIT).expect("no 'listening on' line");
        let hint = rx.recv_timeout(WAIT).expect("no second stderr line");
        drop(rx);
        let addr = first
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("first stderr line: {first:?}"))
            .parse()
            .unwrap();
        Server {
            child,
            addr,
            stdout: Some(stdout),
            stderr: Some(stderr),
            first_stderr: format!("{first}\n{hint}\n"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.set_nodelay(true).unwrap();
        stream
    }

    /// SIGTERM, then wait for the exit and collect the output.
    fn stop(mut self) -> Stopped {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().unwrap().join().unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        Stopped {
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: format!("{}{stderr}", self.first_stderr),
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

fn curl(args: &[&str]) -> std::process::Output {
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

#[test]
fn curl_gets_the_articles_reply_and_the_request_is_shown() {
    let server = Server::start(&[]);
    let out = curl(&["-v", &server.url("/")]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "Hello, Destined Person.\r\n");
    let mut stream = server.connect();
    stream
        .write_all(b"GET /exact HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let reply = read_response(&mut stream);
    assert_eq!(reply, std::fs::read("fixtures/article-reply.http").unwrap());
    drop(stream);
    let stopped = server.stop();
    assert!(stopped.status.success(), "{}", stopped.stderr);

    let stderr_lines: Vec<&str> = stopped.stderr.lines().collect();
    let port = stopped
        .stderr
        .lines()
        .next()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap();
    assert_eq!(
        stderr_lines[1],
        format!("try: curl -v http://127.0.0.1:{port}/")
    );
    assert!(
        stopped
            .stderr
            .contains("stopped: 2 connections, 2 requests (0 errors)"),
        "{}",
        stopped.stderr
    );

    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 2, "{}", stopped.stdout);
    let first = titles[0];
    assert!(
        first.starts_with("Request 1 (connection 1, #1 on it) from 127.0.0.1:"),
        "{first}"
    );
    assert!(first.ends_with(": GET / HTTP/1.1"), "{first}");
    // "at HH:MM:SS.mmm"
    let at = first.split(" at ").nth(1).unwrap();
    assert_eq!(at.as_bytes()[2], b':', "{first}");
    assert_eq!(at.as_bytes()[8], b'.', "{first}");
    assert!(
        titles[1].starts_with("Request 2 (connection 2, #1 on it)"),
        "{}",
        titles[1]
    );
    assert!(stopped.stdout.contains("User-Agent"), "{}", stopped.stdout);
}

#[test]
fn custom_status_reason_headers_and_body() {
    let server = Server::start(&[
        "--status",
        "404",
        "--reason",
        "Not Found",
        "--header",
        "X-Lesson: 3",
        "--header",
        "X-Second: b",
        "--body",
        "nope",
    ]);
    let out = curl(&["-i", &server.url("/missing")]);
    let reply = text(&out.stdout);
    assert!(reply.starts_with("HTTP/1.1 404 Not Found\r\n"), "{reply}");
    assert!(
        reply.contains("\r\nX-Lesson: 3\r\nX-Second: b\r\n"),
        "{reply}"
    );
    assert!(reply.contains("\r\nContent-Length: 4\r\n"), "{reply}");
    assert!(reply.ends_with("\r\n\r\nnope"), "{reply}");
    server.stop();
}

#[test]
fn body_file_is_sent_with_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, "<h1>lesson</h1>\n").unwrap();
    let server = Server::start(&["--body-file", path.to_str().unwrap()]);
    let out = curl(&["-i", &server.url("/")]);
    let reply = text(&out.stdout);
    assert!(reply.contains("Content-Length: 16\r\n"), "{reply}");
    assert!(reply.ends_with("\r\n\r\n<h1>lesson</h1>\n"), "{reply}");
    server.stop();
}

#[test]
fn response_file_is_sent_exactly() {
    let server = Server::start(&["--response-file", "fixtures/juejin-response.http"]);
    let mut stream = server.connect();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let reply = read_response(&mut stream);
    assert_eq!(
        reply,
        std::fs::read("fixtures/juejin-response.http").unwrap()
    );
    drop(stream);
    server.stop();
}

#[test]
fn invalid_response_file_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.http");
    std::fs::write(&path, b"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n").unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(["listen", "0", "--response-file", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("line 1, byte 17: header line has no colon"),
        "{err}"
    );
    assert!(err.contains("--allow-invalid"), "{err}");

    let server = Server::start(&["--response-file", path.to_str().unwrap(), "--allow-invalid"]);
    let mut stream = server.connect();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    // Its framing cannot be trusted, so the connection closes after it.
    assert_eq!(read_to_close(&mut stream), std::fs::read(&path).unwrap());
    server.stop();
}

#[test]
fn keep_alive_serves_two_requests_on_one_connection() {
    let server = Server::start(&[]);
    let out = curl(&["-v", &server.url("/one"), &server.url("/two")]);
    assert_eq!(
        text(&out.stdout),
        "Hello, Destined Person.\r\nHello, Destined Person.\r\n"
    );
    assert!(text(&out.stderr).contains("Re-using existing connection"));
    let stopped = server.stop();
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 2);
    assert!(
        titles[0].starts_with("Request 1 (connection 1, #1 on it)"),
        "{}",
        titles[0]
    );
    assert!(titles[0].ends_with("GET /one HTTP/1.1"));
    assert!(
        titles[1].starts_with("Request 2 (connection 1, #2 on it)"),
        "{}",
        titles[1]
    );
    assert!(titles[1].ends_with("GET /two HTTP/1.1"));
}

#[test]
fn pipelined_requests_are_each_answered_in_order() {
    let server = Server::start(&["--echo"]);
    let mut stream = server.connect();
    stream
        .write_all(
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    for (n, path) in [(1, "GET /a"), (2, "POST /b"), (3, "GET /c")] {
        let reply = text(&read_response(&mut stream));
        assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
        assert!(
            reply.contains(&format!("Request {n} (connection 1, #{n} on it)")),
            "{reply}"
        );
        assert!(reply.contains(&format!("{path} HTTP/1.1")), "{reply}");
    }
    drop(stream);
    let stopped = server.stop();
    assert_eq!(titles(&stopped.stdout).len(), 3, "{}", stopped.stdout);
}

#[test]
fn a_request_written_one_byte_at_a_time() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    let request = b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    for byte in request {
        stream.write_all(&[*byte]).unwrap();
    }
    let reply = read_response(&mut stream);
    assert!(text(&reply).ends_with("Hello, Destined Person.\r\n"));
    drop(stream);
    let stopped = server.stop();
    assert_eq!(titles(&stopped.stdout).len(), 1, "{}", stopped.stdout);
    assert!(stopped.stdout.contains("POST /slow HTTP/1.1"));
    assert!(stopped.stdout.contains("hello"));
}

#[test]
fn chunked_request_body() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    stream
        .write_all(
            b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        )
        .unwrap();
    stream.write_all(b"6\r\n world\r\n0\r\n\r\n").unwrap();
    let reply = read_response(&mut stream);
    assert!(text(&reply).starts_with("HTTP/1.1 200 OK"));
    drop(stream);
    let stopped = server.stop();
    let out = &stopped.stdout;
    assert_eq!(out.matches("chunk size").count(), 3, "{out}");
    assert!(out.contains("11 B decoded (chunked)"), "{out}");
}

#[test]
fn expect_100_continue_is_answered_before_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.txt");
    std::fs::write(&path, "a=1&b=2").unwrap();
    let server = Server::start(&["--show-response"]);
    let body = format!("@{}", path.display());
    let out = curl(&[
        "-v",
        "-d",
        &body,
        "-H",
        "Expect: 100-continue",
        &server.url("/form"),
    ]);
    let err = text(&out.stderr);
    assert!(err.contains("< HTTP/1.1 100 Continue"), "{err}");
    assert_eq!(text(&out.stdout), "Hello, Destined Person.\r\n");
    let stopped = server.stop();
    assert!(stopped.stdout.contains("a=1&b=2"), "{}", stopped.stdout);
    // The interim response is shown too, before the final one.
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[0].starts_with("Request 1 "), "{titles:?}");
    assert!(
        titles[1].starts_with("Response 1 (connection 1, interim answer to #1 on it)")
            && titles[1].ends_with(": 100 Continue"),
        "{titles:?}"
    );
    assert!(titles[2].ends_with(": 200 OK"), "{titles:?}");
}

#[test]
fn http_1_0_and_connection_close_end_the_connection() {
    let server = Server::start(&[]);
    for request in [
        &b"GET / HTTP/1.0\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
        let mut stream = server.connect();
        stream.write_all(request).unwrap();
        let reply = read_to_close(&mut stream);
        assert_eq!(reply, std::fs::read("fixtures/article-reply.http").unwrap());
    }
    // HTTP/1.0 with keep-alive stays open for a second request.
    let mut stream = server.connect();
    let request = b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    stream.write_all(request).unwrap();
    read_response(&mut stream);
    stream.write_all(request).unwrap();
    read_response(&mut stream);
    drop(stream);
    let stopped = server.stop();
    assert_eq!(titles(&stopped.stdout).len(), 4);
}

#[test]
fn head_request_gets_no_body() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    stream
        .write_all(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let article = std::fs::read("fixtures/article-reply.http").unwrap();
    let mut head = vec![0u8; article.len() - b"Hello, Destined Person.\r\n".len()];
    stream.read_exact(&mut head).unwrap();
    assert!(
        text(&head).ends_with("Content-Length: 25\r\n\r\n"),
        "{}",
        text(&head)
    );
    // The next bytes are the GET's reply, not a stray body.
    let reply = read_response(&mut stream);
    assert_eq!(reply, std::fs::read("fixtures/article-reply.http").unwrap());
    drop(stream);
    server.stop();
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

#[test]
fn malformed_request_gets_400_and_an_error_row() {
    let server = Server::start(&[]);
    expect_error(
        &server,
        b"GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",
        "400 Bad Request",
        "line 2: header line has no colon",
    );
    // The server stays up for the next client.
    let out = curl(&[&server.url("/")]);
    assert_eq!(text(&out.stdout), "Hello, Destined Person.\r\n");
    let stopped = server.stop();
    let out = &stopped.stdout;
    assert!(
        out.contains("Message 1: could not be read (connection 1, #1 on it) from 127.0.0.1:"),
        "{out}"
    );
    assert!(out.contains(", answered 400 Bad Request\n"), "{out}");
    assert!(
        out.contains("error: line 2, byte 25: header line has no colon"),
        "{out}"
    );
    assert!(
        stopped.stderr.contains("2 requests (1 error)"),
        "{}",
        stopped.stderr
    );
}

#[test]
fn head_over_the_limit_gets_431() {
    let server = Server::start(&["--max-head", "200"]);
    let long = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Long: {}\r\n\r\n",
        "a".repeat(300)
    );
    expect_error(
        &server,
        long.as_bytes(),
        "431 Request Header Fields Too Large",
        "head is larger than 200 bytes",
    );
    let stopped = server.stop();
    assert!(
        stopped.stdout.contains("answered 431"),
        "{}",
        stopped.stdout
    );
}

#[test]
fn body_over_the_limit_gets_413() {
    let server = Server::start(&["--max-body", "10"]);
    expect_error(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
        "413 Content Too Large",
        "body of 11 bytes is larger than the limit of 10 bytes",
    );
    expect_error(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n",
        "413 Content Too Large",
        "body is larger than the limit of 10 bytes",
    );
    let stopped = server.stop();
    assert_eq!(stopped.stdout.matches("answered 413").count(), 2);
}

#[test]
fn slow_client_gets_408() {
    let server = Server::start(&["--timeout", "300ms"]);
    let started = Instant::now();
    // Slowloris: a head that never ends, one header line at a time.
    let mut stream = server.connect();
    stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let mut reply = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        // Keep sending until the server gives up on us.
        let _ = stream.write_all(b"X-A: b\r\n");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        assert!(
            started.elapsed() < WAIT,
            "no 408 after {:?}",
            started.elapsed()
        );
    }
    let reply = text(&reply);
    assert!(
        reply.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{reply}"
    );
    assert!(
        reply.contains("did not arrive in full within 0.3 s"),
        "{reply}"
    );
    let stopped = server.stop();
    assert!(
        stopped.stdout.contains("answered 408 Request Timeout"),
        "{}",
        stopped.stdout
    );
}

#[test]
fn connections_over_the_limit_get_503_and_the_server_stays_up() {
    let server = Server::start(&["--max-connections", "1"]);
    let mut first = server.connect();
    // The first connection is served (and so holds the one slot).
    first
        .write_all(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    read_response(&mut first);
    let mut second = server.connect();
    second
        .write_all(b"GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let reply = text(&read_to_close(&mut second));
    assert!(
        reply.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{reply}"
    );
    // Once the first one is gone, a new client is served again.
    first.shutdown(Shutdown::Both).unwrap();
    drop(first);
    let deadline = Instant::now() + WAIT;
    loop {
        let out = curl(&["-i", &server.url("/3")]);
        if text(&out.stdout).starts_with("HTTP/1.1 200 OK") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still refused: {}",
            text(&out.stdout)
        );
    }
    let stopped = server.stop();
    assert!(
        stopped.stderr.contains("refused with 503"),
        "{}",
        stopped.stderr
    );
    assert!(
        stopped.stdout.contains("turned away with 503"),
        "{}",
        stopped.stdout
    );
}

#[test]
fn fifty_concurrent_clients_each_printed_once_without_interleaving() {
    let server = Server::start(&[]);
    let addr = server.addr;
    let clients: Vec<_> = (0..50)
        .map(|c| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_read_timeout(Some(WAIT)).unwrap();
                for r in 0..3 {
                    let request =
                        format!("GET /client-{c}-{r} HTTP/1.1\r\nHost: x\r\nX-Client: {c}\r\n\r\n");
                    stream.write_all(request.as_bytes()).unwrap();
                    let reply = read_response(&mut stream);
                    assert!(reply.ends_with(b"Hello, Destined Person.\r\n"));
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    let stopped = server.stop();
    let out = &stopped.stdout;
    // Each table is a title, its rows and a blank line; every row of a table must
    // belong to the request its title names.
    let blocks: Vec<&str> = out.split("\n\n").filter(|b| !b.trim().is_empty()).collect();
    assert_eq!(blocks.len(), 150, "{out}");
    let mut seen = std::collections::HashSet::new();
    for block in blocks {
        let title = block.lines().next().unwrap();
        let target = title
            .split(": GET ")
            .nth(1)
            .and_then(|t| t.strip_suffix(" HTTP/1.1"))
            .unwrap_or_else(|| panic!("title {title:?}"));
        let client = target.split('-').nth(1).unwrap();
        assert!(
            block.contains(&format!("GET {target} HTTP/1.1␍␊")),
            "{block}"
        );
        assert!(block.contains(&format!("┆ {client}␍␊")), "{block}");
        assert_eq!(block.matches("start line").count(), 2, "{block}");
        assert!(seen.insert(target.to_string()), "{target} printed twice");
    }
    // Numbers run 1..=150 in print order.
    let numbers: Vec<usize> = titles(out)
        .iter()
        .map(|t| t.split(' ').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=150).collect::<Vec<_>>());
}

#[test]
fn saved_files_hold_the_exact_bytes_before_the_reply() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("captured");
    let server = Server::start(&["--save", save.to_str().unwrap(), "--quiet"]);
    let mut stream = server.connect();
    let requests: [&[u8]; 2] = [
        b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\x00\xff\r\n",
        b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n",
    ];
    for (n, request) in requests.iter().enumerate() {
        stream.write_all(request).unwrap();
        read_response(&mut stream);
        // Answered, so already on disk.
        let path = save.join(format!("{:06}-conn1-req{}.http", n + 1, n + 1));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            *request,
            "{}",
            path.display()
        );
    }
    drop(stream);
    let stopped = server.stop();
    assert_eq!(stopped.stdout, "");
    let names: Vec<String> = std::fs::read_dir(&save)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temp files left: {names:?}");
}

#[test]
fn control_bytes_never_reach_the_output_raw() {
    let server = Server::start(&["--show-response"]);
    // ESC in a header value is refused (a control character); it is shown escaped.
    expect_error(
        &server,
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Evil: \x1b[2J\r\n\r\n",
        "400 Bad Request",
        "line 2: invalid character in header value",
    );
    // Non-UTF-8 and NUL bytes: never a crash.
    let mut stream = server.connect();
    stream
        .write_all(b"GET /\xff\xfe HTTP/1.1\r\nHost: \xc3\x28\r\n\r\nGET /\x00 HTTP/1.1\r\n\r\n")
        .unwrap();
    let reply = read_to_close(&mut stream);
    assert!(text(&reply).contains("HTTP/1.1 400 Bad Request"));
    let out = curl(&[&server.url("/still-up")]);
    assert_eq!(text(&out.stdout), "Hello, Destined Person.\r\n");
    let stopped = server.stop();
    let out = &stopped.stdout;
    assert!(
        !out.bytes().any(|b| b < 0x20 && b != b'\n' || b == 0x7f),
        "raw control byte in {out:?}"
    );
    assert!(out.contains("\\x1b[2J"), "{out}");
    assert!(out.contains("\\xff\\xfe"), "{out}");
}

#[test]
fn json_lines_carry_connection_peer_and_time() {
    let server = Server::start(&["--format", "json"]);
    curl(&[&server.url("/one"), &server.url("/two")]);
    expect_error(
        &server,
        b"BAD\r\n\r\n",
        "400 Bad Request",
        "line 0: not a request line (METHOD target HTTP/1.1) or status line (HTTP/1.1 200 OK)",
    );
    let stopped = server.stop();
    let objects: Vec<serde_json::Value> = stopped
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 3, "{}", stopped.stdout);
    assert_eq!(objects[1]["kind"], "request");
    assert_eq!(objects[1]["target"], "/two");
    assert_eq!(objects[1]["index"], 2);
    assert_eq!(objects[1]["connection"], 1);
    assert!(objects[1]["peer"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    let at = objects[1]["received_at"].as_str().unwrap();
    assert!(chrono_like(at), "{at}");
    assert_eq!(objects[2]["kind"], "error");
    assert_eq!(objects[2]["connection"], 2);
    assert_eq!(objects[2]["answered"], 400);
}

/// `2024-05-07T22:56:01.123+08:00`
fn chrono_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 29 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.'
}

#[test]
fn echo_replies_with_the_plain_table() {
    let server = Server::start(&["--echo", "--color", "always"]);
    let out = curl(&["-i", "-H", "X-Lesson: 3", &server.url("/echo")]);
    let reply = text(&out.stdout);
    assert!(
        reply.contains("Content-Type: text/plain; charset=utf-8\r\n"),
        "{reply}"
    );
    assert!(
        reply.contains("Request 1 (connection 1, #1 on it)"),
        "{reply}"
    );
    assert!(reply.contains("GET /echo HTTP/1.1␍␊"), "{reply}");
    assert!(reply.contains("X-Lesson"), "{reply}");
    assert!(!reply.contains('\x1b'), "colour in the echo: {reply:?}");
    server.stop();
}

#[test]
fn show_response_prints_the_reply_after_the_request() {
    let server = Server::start(&["--show-response"]);
    curl(&[&server.url("/")]);
    let stopped = server.stop();
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 2, "{}", stopped.stdout);
    assert!(titles[0].starts_with("Request 1 "));
    assert!(
        titles[1].starts_with("Response 1 (connection 1, answer to #1 on it) to 127.0.0.1:"),
        "{}",
        titles[1]
    );
    assert!(titles[1].ends_with(": 200 OK"));
    assert!(stopped.stdout.contains("pdudo_web_sites"));
}

#[test]
fn quiet_prints_nothing_per_request() {
    let server = Server::start(&["--quiet"]);
    curl(&[&server.url("/")]);
    let stopped = server.stop();
    assert_eq!(stopped.stdout, "");
    assert!(stopped.stderr.contains("1 request"), "{}", stopped.stderr);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let server = Server::start(&[]);
    let port = server.addr.port().to_string();
    let out = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(["listen", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        text(&out.stderr)
    );
    server.stop();
}

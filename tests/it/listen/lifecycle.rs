//! A connection's life: pipelined requests split anywhere across reads, a response sent
//! to the server, and stopping with Ctrl-C (once: finish what is whole; twice: now).

use super::*;

const PIPELINE: &[u8] =
    b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n";
/// Where each request of [`PIPELINE`] ends.
const ENDS: [usize; 3] = [28, 56, 84];

#[test]
fn a_pipeline_split_at_every_byte_gets_every_reply_and_every_table() {
    assert_eq!(PIPELINE.len(), ENDS[2]);
    let server = Server::start(&[]);
    for split in 1..PIPELINE.len() {
        let mut stream = server.connect();
        let (first, rest) = PIPELINE.split_at(split);
        stream.write_all(first).unwrap();
        // The replies to the requests already whole prove the server has read `first`,
        // so `rest` arrives in a later read, after those requests were consumed.
        let whole = ENDS.iter().filter(|&&end| end <= split).count();
        let mut replies = Vec::new();
        for _ in 0..whole {
            replies.push(read_response(&mut stream));
        }
        stream.write_all(rest).unwrap();
        for _ in whole..ENDS.len() {
            replies.push(read_response(&mut stream));
        }
        for reply in &replies {
            assert!(
                text(reply).starts_with("HTTP/1.1 200 OK\r\n"),
                "split at {split}: {}",
                text(reply)
            );
        }
    }
    let stopped = server.stop();
    let titles = titles(&stopped.stdout);
    let n = PIPELINE.len() - 1;
    assert_eq!(titles.len(), 3 * n, "{}", stopped.stdout);
    for (i, title) in titles.iter().enumerate() {
        let path = format!("GET /{} HTTP/1.1", i % 3 + 1);
        assert!(title.contains(&format!(": {path} · ")), "{title}");
        let on_it = format!(" · connection {}, #{} on it · ", i / 3 + 1, i % 3 + 1);
        assert!(title.contains(&on_it), "{title}");
    }
    let summary = format!("{n} connections, {} requests (0 errors)", 3 * n);
    assert!(stopped.stderr.contains(&summary), "{}", stopped.stderr);
}

#[test]
fn a_response_sent_to_the_server_gets_400_and_a_table() {
    let server = Server::start(&[]);
    // Its body runs until close: whole only when the client half-closes.
    let mut stream = server.connect();
    stream.write_all(b"HTTP/1.0 200 OK\r\n\r\nbody").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let reply = text(&read_to_close(&mut stream));
    assert!(reply.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{reply}");
    assert!(reply.contains("Connection: close\r\n"), "{reply}");
    assert!(
        reply.contains("\r\n\r\nthis is a response, not a request"),
        "{reply}"
    );
    // With a Content-Length it is whole at once.
    expect_error_prefix(
        &server,
        b"HTTP/1.1 204 No Content\r\n\r\n",
        "this is a response, not a request",
    );
    let stopped = server.stop();
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 2, "{}", stopped.stdout);
    assert!(
        titles[0].starts_with("Response 1: 200 OK · connection 1, #1 on it · from 127.0.0.1:"),
        "{}",
        titles[0]
    );
    assert!(
        titles[1].starts_with("Response 2: 204 No Content · "),
        "{}",
        titles[1]
    );
    assert!(
        stopped
            .stdout
            .contains("error[listen-response] line 0, byte 0: this is a response, not a request"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped.stderr.contains("2 requests (2 errors)"),
        "{}",
        stopped.stderr
    );
}

#[test]
fn a_response_sent_to_the_server_is_explained_in_chinese() {
    let server = Server::start(&["--lang", "zh"]);
    expect_error_prefix(
        &server,
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        "this is a response, not a request",
    );
    let stopped = server.stop();
    assert!(
        stopped.stdout.contains("这是应答而不是请求"),
        "{}",
        stopped.stdout
    );
}

/// Send `request`; expect a 400 whose reason starts with `reason`, then the close.
fn expect_error_prefix(server: &Server, request: &[u8], reason: &str) {
    let mut stream = server.connect();
    stream.write_all(request).unwrap();
    let reply = text(&read_to_close(&mut stream));
    assert!(reply.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{reply}");
    assert!(reply.contains("Connection: close\r\n"), "{reply}");
    assert!(reply.contains(&format!("\r\n\r\n{reason}")), "{reply}");
}

/// A request whose head asks for `100 Continue` before its 2-byte body (`hi`).
const EXPECTING: &[u8] =
    b"POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

#[test]
fn ctrl_c_answers_every_whole_request_received_and_says_close() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    // The 100 Continue says the server has /a's head: it is in flight.
    stream.write_all(EXPECTING).unwrap();
    assert_eq!(read_response(&mut stream), CONTINUE);
    server.signal("INT");
    assert_eq!(
        server.next_stderr_line(),
        "waiting for 1 request in flight; Ctrl-C again to stop now"
    );
    // The end of /a, two whole requests and the start of one more, in one write.
    stream
        .write_all(
            b"hiGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\nGET /d HT",
        )
        .unwrap();
    let a = text(&read_response(&mut stream));
    let b = text(&read_response(&mut stream));
    let c = text(&read_response(&mut stream));
    for open in [&a, &b] {
        assert!(open.starts_with("HTTP/1.1 200 OK\r\n"), "{open}");
        assert!(!open.contains("Connection: close"), "{open}");
    }
    assert!(
        c.starts_with("HTTP/1.1 200 OK\r\nConnection: close\r\n"),
        "{c}"
    );
    // Then the server closes: /d was not whole.
    assert!(read_to_close(&mut stream).is_empty());
    let stopped = server.wait_exit();
    assert!(stopped.status.success());
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 3, "{}", stopped.stdout);
    assert!(titles[0].contains(": POST /a HTTP/1.1 · "), "{}", titles[0]);
    assert!(titles[2].contains(": GET /c HTTP/1.1 · "), "{}", titles[2]);
    assert!(
        stopped
            .stderr
            .contains("1 connection, 3 requests (0 errors)"),
        "{}",
        stopped.stderr
    );
}

#[test]
fn ctrl_c_closes_with_the_echo_saying_close() {
    let server = Server::start(&["--echo"]);
    let mut stream = server.connect();
    stream.write_all(EXPECTING).unwrap();
    assert_eq!(read_response(&mut stream), CONTINUE);
    server.signal("INT");
    server.next_stderr_line();
    stream.write_all(b"hi").unwrap();
    let reply = text(&read_response(&mut stream));
    assert!(reply.contains("\r\nConnection: close\r\n"), "{reply}");
    assert!(read_to_close(&mut stream).is_empty());
    server.wait_exit();
}

#[test]
fn a_second_ctrl_c_stops_at_once_and_says_what_was_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().to_str().unwrap();
    let server = Server::start(&["--timeout", "60", "--save", save]);
    // One request answered, then a stalled one in flight on the same connection.
    let mut stream = server.connect();
    stream
        .write_all(b"GET /done HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    read_response(&mut stream);
    let stalled =
        b"POST /stalled HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\nhalf";
    stream.write_all(stalled).unwrap();
    assert_eq!(read_response(&mut stream), CONTINUE);
    server.signal("INT");
    assert_eq!(
        server.next_stderr_line(),
        "waiting for 1 request in flight; Ctrl-C again to stop now"
    );
    let started = Instant::now();
    server.signal("INT");
    let stopped = server.wait_exit();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(stopped.status.success());
    let cut = format!(
        "cut off by the second Ctrl-C: request #2 on connection 1 from {}, after {} bytes",
        stream.local_addr().unwrap(),
        stalled.len()
    );
    assert!(stopped.stderr.contains(&cut), "{}", stopped.stderr);
    assert!(
        stopped.stderr.contains(&format!(
            "1 connection, 1 request (0 errors), {} bytes received",
            31 + stalled.len()
        )),
        "{}",
        stopped.stderr
    );
    assert!(
        stopped.stderr.contains(", 1 request cut off"),
        "{}",
        stopped.stderr
    );
    // Shown between the tables too, with the number it would have had.
    assert!(stopped.stdout.contains(&cut), "{}", stopped.stdout);
    // Not answered, but kept.
    assert!(read_to_close(&mut stream).is_empty());
    let saved = std::fs::read(dir.path().join("000002-conn1-req2-bad.http")).unwrap();
    assert_eq!(saved, stalled);
}

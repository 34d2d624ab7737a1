//! Reading requests off a connection: keep-alive, pipelining, slow writers, chunked
//! bodies, 100-continue, HTTP/1.0.

use super::*;

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
        titles[0].starts_with("Request 1: GET /one HTTP/1.1 · connection 1, #1 on it · "),
        "{}",
        titles[0]
    );
    assert!(
        titles[1].starts_with("Request 2: GET /two HTTP/1.1 · connection 1, #2 on it · "),
        "{}",
        titles[1]
    );
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
            reply.contains(&format!(
                "Request {n}: {path} HTTP/1.1 · connection 1, #{n} on it · "
            )),
            "{reply}"
        );
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
    assert_eq!(out.matches("chunk size").count(), 2, "{out}");
    assert!(out.contains("│ 10 ┆ last chunk "), "{out}");
    assert!(
        out.contains("11 B decoded (chunked: 2 chunks + last chunk)"),
        "{out}"
    );
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
    assert!(titles[0].starts_with("Request 1: "), "{titles:?}");
    assert!(
        titles[1]
            .starts_with("Response 1: 100 Continue · connection 1, interim answer to #1 on it"),
        "{titles:?}"
    );
    assert!(titles[2].contains(": 200 OK · "), "{titles:?}");
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

//! The replies: the article's by default, custom ones, exact files, the echo.

use super::*;

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
        first.starts_with("Request 1: GET / HTTP/1.1 · connection 1, #1 on it · from 127.0.0.1:"),
        "{first}"
    );
    // "at HH:MM:SS.mmm"
    let at = first.split(" at ").nth(1).unwrap();
    assert_eq!(at.as_bytes()[2], b':', "{first}");
    assert_eq!(at.as_bytes()[8], b'.', "{first}");
    assert!(
        titles[1].starts_with("Request 2: GET /exact HTTP/1.1 · connection 2, #1 on it · from "),
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
fn empty_response_file_is_a_usage_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.http");
    std::fs::write(&path, b"").unwrap();
    for extra in [&[][..], &["--allow-invalid"][..]] {
        let out = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
            .args(["listen", "0", "--response-file", path.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = text(&out.stderr);
        assert_eq!(
            err,
            format!(
                "httpdump: {}: the file is empty; a response needs at least a status line such as HTTP/1.1 200 OK\n",
                path.display()
            )
        );
    }
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

    let server = Server::start(&[
        "--response-file",
        path.to_str().unwrap(),
        "--allow-invalid",
        "--show-response",
    ]);
    let mut stream = server.connect();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    // Its framing cannot be trusted, so the connection closes after it.
    assert_eq!(read_to_close(&mut stream), std::fs::read(&path).unwrap());
    let stopped = server.stop();
    assert!(
        stopped.stderr.contains("warning: the reply is not valid HTTP (line 1, byte 17: header line has no colon); --allow-invalid sends it anyway"),
        "{}",
        stopped.stderr
    );
    // --show-response shows the broken reply as the parser reads it: an error row.
    assert!(
        stopped
            .stdout
            .contains("Message 1: could not be read · connection 1, answer to #1 on it · to "),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped.stdout.contains("No colon here"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped
            .stdout
            .contains("error: line 1, byte 17: header line has no colon"),
        "{}",
        stopped.stdout
    );
    // Sending the broken reply was asked for: the request itself was no error.
    assert!(
        stopped.stderr.contains("1 request (0 errors)"),
        "{}",
        stopped.stderr
    );
}

#[test]
fn a_body_on_a_bodiless_status_is_refused_not_dropped() {
    for status in ["204", "304", "101"] {
        let out = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
            .args(["listen", "0", "--status", status, "--body", "hello"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--status {status}");
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("a {status} response never has a body")),
            "{err}"
        );
        assert!(err.contains("--allow-invalid"), "{err}");
    }
}

#[test]
fn a_status_the_teacher_chose_is_not_counted_as_an_error() {
    let server = Server::start(&["--status", "404", "--reason", "Not Found"]);
    let out = curl(&[
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &server.url("/"),
    ]);
    assert_eq!(text(&out.stdout), "404");
    let mut stream = server.connect();
    stream
        .write_all(b"GET / HTTP/1.1\r\nno colon\r\n\r\n")
        .unwrap();
    assert!(text(&read_to_close(&mut stream)).starts_with("HTTP/1.1 400 Bad Request\r\n"));
    let stopped = server.stop();
    assert!(
        stopped.stderr.contains("2 requests (1 error)"),
        "{}",
        stopped.stderr
    );
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
        reply.contains("Request 1: GET /echo HTTP/1.1 · connection 1, #1 on it · from "),
        "{reply}"
    );
    assert!(reply.contains("GET /echo HTTP/1.1␍␊"), "{reply}");
    assert!(reply.contains("X-Lesson"), "{reply}");
    assert!(!reply.contains('\x1b'), "colour in the echo: {reply:?}");
    server.stop();
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

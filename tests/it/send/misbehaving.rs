//! `send` against servers in the test that answer oddly on purpose: each answer is read
//! by its framing and shown as it came, and the exit code says what went wrong.

use super::*;

#[test]
fn a_bare_lf_response_is_read_and_warned_about() {
    let fake = Fake::start(1, |_, s| {
        s.write_all(b"HTTP/1.1 200 OK\nContent-Length: 3\n\nabc")
            .unwrap();
    });
    let out = send(&[&fake.url("/")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Response 1: 200 OK"), "{text}");
    assert!(text.contains("warning[bare-lf]"), "{text}");
    fake.heads();
}

#[test]
fn a_body_until_close_is_read_to_the_close() {
    let fake = Fake::start(1, |_, s| {
        s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nfirst\r\n")
            .unwrap();
        s.flush().unwrap();
        s.write_all(b"second, after a pause\r\n").unwrap();
    });
    let out = send(&[&fake.url("/")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("body 30 B (until-close)"), "{text}");
    assert!(text.contains("second, after a pause"), "{text}");
    fake.heads();
}

#[test]
fn chunked_with_trailers_is_read_by_its_chunks() {
    let fake = Fake::start(1, |_, s| {
        s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n")
            .unwrap();
        s.write_all(b"5\r\nhello\r\n").unwrap();
        s.write_all(b"6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n")
            .unwrap();
        // Stays open: the end is known from the chunks, not from a close.
        std::thread::sleep(Duration::from_secs(3));
    });
    let started = std::time::Instant::now();
    let out = send(&[&fake.url("/")]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "waited for the close"
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("chunked: 2 chunks + last chunk"), "{text}");
    assert!(text.contains("trailer") && text.contains("X-Sum"), "{text}");
    fake.heads();
}

#[test]
fn expect_100_continue_waits_for_the_interim_answer_then_sends_the_body() {
    let fake = Fake::start(1, |head, s| {
        assert!(head.starts_with(b"POST /up HTTP/1.1\r\n"));
        s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").unwrap();
        let mut body = [0u8; 5];
        s.read_exact(&mut body).unwrap();
        assert_eq!(&body, b"hello");
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            .unwrap();
    });
    let out = send(&[
        "-H",
        "Expect: 100-continue",
        "-d",
        "hello",
        &fake.url("/up"),
    ]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_eq!(
        titles(&text)
            .iter()
            .map(|t| t.split(" · ").next().unwrap())
            .collect::<Vec<_>>(),
        [
            "Request 1: POST /up HTTP/1.1",
            "Response 1: 100 Continue",
            "Response 1: 200 OK"
        ]
    );
    assert!(
        !stderr(&out).contains("100 Continue within"),
        "{}",
        stderr(&out)
    );
    fake.heads();
}

#[test]
fn a_response_that_stops_halfway_is_shown_as_far_as_it_came() {
    let fake = Fake::start(1, |_, s| {
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
            .unwrap();
    });
    let out = send(&[&fake.url("/")]);
    assert_code(&out, 2);
    let text = stdout(&out);
    assert!(text.contains("Message 1: could not be read"), "{text}");
    assert!(text.contains("only ten b"), "{text}");
    let err = stderr(&out);
    assert_eq!(
        err.trim(),
        "httpdump: the server closed the connection before response 1 was complete (what came is shown above)"
    );
    fake.heads();
}

#[test]
fn control_bytes_from_the_server_never_reach_the_terminal_raw() {
    let fake = Fake::start(2, |_, s| {
        s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n\x1b]0;pwned\x07\x1b[31mred\x1b[0m",
        )
        .unwrap();
    });
    for format in ["table", "json"] {
        let out = send(&["--format", format, &fake.url("/")]);
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert!(!all.contains(&0x1b), "{format}: ESC reached the output");
        assert!(!all.contains(&0x07), "{format}: BEL reached the output");
        let text = stdout(&out);
        // Shown as escapes or hex, never obeyed.
        assert!(text.contains("1b"), "{format}: {text}");
    }
    fake.heads();
}

#[test]
fn garbage_that_is_not_http_exits_1() {
    let fake = Fake::start(1, |_, s| {
        s.write_all(b"SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n")
            .unwrap();
    });
    let out = send(&[&fake.url("/")]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(text.contains("Message 1: could not be read"), "{text}");
    assert!(text.contains("SSH-2.0-OpenSSH_9.6"), "{text}");
    fake.heads();
}

#[test]
fn a_server_that_never_answers_times_out() {
    let fake = Fake::start(1, |_, s| {
        // Holds the connection open and silent past the client's timeout.
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
    });
    let started = std::time::Instant::now();
    let out = send(&["--timeout", "1", &fake.url("/")]);
    assert!(started.elapsed() < WAIT);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out).trim(),
        "httpdump: no byte of response 1 came for 1 s (--timeout)"
    );
    // The request was written, so its table is there.
    assert!(stdout(&out).contains("Request 1: GET / HTTP/1.1"));
    fake.heads();
}

#[test]
fn a_body_past_max_body_is_cut_there_and_marked() {
    let fake = Fake::start(1, |_, s| {
        let body = vec![b'x'; 200_000];
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n")
            .unwrap();
        let _ = s.write_all(&body);
    });
    let out = send(&["--max-body", "1000", "--format", "json", &fake.url("/")]);
    assert_code(&out, 0);
    let response: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().nth(1).unwrap()).unwrap();
    assert_eq!(response["cut_at"], 1000);
    assert_eq!(response["body"]["length"], 1000);
    let codes: Vec<&str> = response["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["send-body-cut"]);
    assert!(stderr(&out).contains("read up to --max-body (1000 bytes)"));
    fake.heads();
}

#[test]
fn redirects_are_followed_at_most_ten_times() {
    let fake = Fake::start(11, |head, s| {
        let text = String::from_utf8_lossy(head);
        let n: u32 = text
            .split_whitespace()
            .nth(1)
            .and_then(|t| t.trim_start_matches("/hop").parse().ok())
            .unwrap_or(0);
        let reply = format!(
            "HTTP/1.1 302 Found\r\nLocation: /hop{}\r\nContent-Length: 0\r\n\r\n",
            n + 1
        );
        s.write_all(reply.as_bytes()).unwrap();
    });
    let out = send(&["-L", "-d", "x=1", &fake.url("/hop0")]);
    assert_code(&out, 2);
    let text = stdout(&out);
    let requests: Vec<&str> = titles(&text)
        .into_iter()
        .filter(|t| t.starts_with("Request"))
        .collect();
    assert_eq!(requests.len(), 11, "{text}");
    // 302 after a POST: the next request is a GET without the body, as curl does.
    assert!(requests[0].starts_with("Request 1: POST /hop0 "), "{text}");
    assert!(requests[1].starts_with("Request 2: GET /hop1 "), "{text}");
    assert!(
        text.contains("-L: 302 Found: following Location to http://"),
        "{text}"
    );
    assert_eq!(
        stderr(&out).trim(),
        "httpdump: stopped after 10 redirects (the most -L follows); the last one pointed to /hop11"
    );
    let heads = fake.heads();
    assert!(String::from_utf8_lossy(&heads[1]).contains("GET /hop1 HTTP/1.1"));
}

#[test]
fn endless_interim_answers_are_cut_off() {
    let fake = Fake::start(1, |_, s| {
        for _ in 0..1000 {
            if s.write_all(b"HTTP/1.1 102 Processing\r\n\r\n").is_err() {
                break;
            }
        }
    });
    let out = send(&["--format", "json", &fake.url("/")]);
    assert_code(&out, 2);
    assert_eq!(stdout(&out).lines().count(), 1 + 100);
    assert_eq!(
        stderr(&out).trim(),
        "httpdump: response 1: more than 100 interim (1xx) responses and no final one: stopped reading"
    );
    fake.heads();
}

#[test]
fn without_100_continue_the_body_follows_after_a_second() {
    let fake = Fake::start(1, |_, s| {
        // No 100 Continue: the body must come anyway, about a second later.
        let started = std::time::Instant::now();
        let mut body = [0u8; 5];
        s.read_exact(&mut body).unwrap();
        assert_eq!(&body, b"hello");
        assert!(started.elapsed() >= Duration::from_millis(900));
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            .unwrap();
    });
    let out = send(&[
        "-H",
        "Expect: 100-continue",
        "-d",
        "hello",
        &fake.url("/up"),
    ]);
    assert_code(&out, 0);
    assert_eq!(
        stderr(&out).trim(),
        "httpdump: no 100 Continue within 1 s: sending the body anyway (as curl does)"
    );
    assert!(stdout(&out).contains("Response 1: 200 OK"));
    fake.heads();
}

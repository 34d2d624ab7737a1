//! Bytes pass unchanged both ways (a recording upstream compares), keep-alive and
//! pipelining, a chunked upload, 100-continue, a request that cannot be read, the lines
//! --rewrite-host and --forwarded change.

use super::*;

/// Answer once the bytes so far end a head (and a 5-byte body if the head has
/// Content-Length: 5), with a response of odd but valid bytes.
pub(super) fn odd_answer(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    got.ends_with(b"hello")
        .then(|| (ODD_RESPONSE.to_vec(), false))
}

// Obsolete line folding is in the response: in a request it is refused with 400 (RFC 9112
// section 5.2), as `listen` does, and never forwarded.
pub(super) const ODD_REQUEST: &[u8] =
    b"get /Path?q=1 HTTP/1.1\r\nhOST: example\r\nX-Dup: a\r\nx-dup: b\n\
Content-Length: 5\r\n\r\nhello";
pub(super) const ODD_RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nsErVeR: odd\r\nSet-Cookie: a=1\r\n\
Set-Cookie: b=2\nX-Fold: one\r\n  two\r\nContent-Length: 3\r\n\r\nabc";

#[test]
fn odd_case_duplicates_bare_lf_and_obs_fold_pass_unchanged_both_ways() {
    let upstream = Recorder::start(odd_answer);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    client.write_all(ODD_REQUEST).unwrap();
    let got = read_until(&mut client, |b| b.ends_with(b"abc"));
    assert_eq!(
        got, ODD_RESPONSE,
        "the client got other bytes than upstream sent"
    );
    drop(client);
    assert_eq!(
        upstream.received(),
        ODD_REQUEST,
        "the upstream got other bytes than the client sent"
    );
    let out = relay.stop();
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(
        out.stdout
            .matches("Request 1: get /Path?q=1 HTTP/1.1")
            .count(),
        1
    );
    assert_eq!(out.stdout.matches("Response 1: 200 OK").count(), 1);
    let request = out.stdout.find("Request 1:").unwrap();
    let response = out.stdout.find("Response 1:").unwrap();
    assert!(request < response, "{}", out.stdout);
    // The tables show the lines as they came, folded line and bare LF included.
    assert!(out.stdout.contains("hOST"), "{}", out.stdout);
    assert!(out.stdout.contains("sErVeR"), "{}", out.stdout);
    assert!(
        out.stdout.contains("exchange 1 · client connection 1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("stopped: 1 connection, 1 exchange (0 errors)"),
        "{}",
        out.stderr
    );
}

/// Answer each whole request (no body) with its own path as the body.
pub(super) fn path_answer(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    if !got.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = String::from_utf8_lossy(got);
    let mut reply = Vec::new();
    for head in text.split_terminator("\r\n\r\n") {
        let path = head.split(' ').nth(1).unwrap_or("?");
        reply.extend_from_slice(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{path}",
                path.len()
            )
            .as_bytes(),
        );
    }
    Some((reply, false))
}

#[test]
fn pipelined_requests_on_a_kept_alive_connection_are_answered_and_shown_in_order() {
    let upstream = Recorder::start(path_answer);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    let requests = b"GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n";
    client.write_all(requests).unwrap();
    let got = read_until(&mut client, |b| has_messages(b, 2));
    let text = String::from_utf8_lossy(&got);
    let (one, two) = (text.find("\r\n\r\n/one"), text.find("\r\n\r\n/two"));
    assert!(one.is_some() && two.is_some() && one < two, "{text}");
    drop(client);
    // Both went over one upstream connection, exactly as sent.
    assert_eq!(upstream.received(), requests);
    let out = relay.stop();
    let order: Vec<_> = [
        "Request 1: GET /one",
        "Response 1: 200",
        "Request 2: GET /two",
        "Response 2: 200",
    ]
    .iter()
    .map(|t| {
        out.stdout
            .find(t)
            .unwrap_or_else(|| panic!("{t}: {}", out.stdout))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", out.stdout);
    assert_eq!(out.stdout.matches("upstream connection 1 (").count(), 4);
}

fn chunked_answer(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    got.ends_with(b"0\r\nX-Trailer: t\r\n\r\n").then(|| {
        (
            b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok".to_vec(),
            false,
        )
    })
}

#[test]
fn a_chunked_upload_passes_exactly_and_its_table_counts_the_chunks() {
    let upstream = Recorder::start(chunked_answer);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    let head = b"POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    let body = b"5;note=x\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    client.write_all(head).unwrap();
    // The body in pieces, cut in the middle of a size line and of data.
    for piece in body.chunks(7) {
        client.write_all(piece).unwrap();
        client.flush().unwrap();
    }
    let got = read_until(&mut client, |b| b.ends_with(b"ok"));
    assert!(got.starts_with(b"HTTP/1.1 201 Created"));
    drop(client);
    assert_eq!(upstream.received(), [&head[..], &body[..]].concat());
    let out = relay.stop();
    assert!(
        out.stdout.contains("chunked: 2 chunks + last chunk"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Response 1: 201 Created"),
        "{}",
        out.stdout
    );
}

/// 100 Continue for a head that asks for it; 200 once the body came.
fn continue_answer(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    if got.ends_with(b"\r\n\r\n") && got.windows(6).any(|w| w == b"Expect") {
        return Some((b"HTTP/1.1 100 Continue\r\n\r\n".to_vec(), false));
    }
    (got == b"hello").then(|| {
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone".to_vec(),
            false,
        )
    })
}

#[test]
fn continue_100_passes_through_before_the_body() {
    let upstream = Recorder::start(continue_answer);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    client
        .write_all(
            b"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
        )
        .unwrap();
    // The client sends nothing more until the 100 comes (the read times out otherwise).
    let interim = read_until(&mut client, |b| b.ends_with(b"\r\n\r\n"));
    assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    client.write_all(b"hello").unwrap();
    let last = read_until(&mut client, |b| b.ends_with(b"done"));
    assert!(last.starts_with(b"HTTP/1.1 200 OK"), "{last:?}");
    drop(client);
    let out = relay.stop();
    let interim = out
        .stdout
        .find("Response 1: 100 Continue")
        .expect("the 100 is shown");
    let last = out
        .stdout
        .find("Response 1: 200 OK")
        .expect("the 200 is shown");
    assert!(interim < last, "{}", out.stdout);
}

#[test]
fn curl_with_expect_100_continue_gets_its_upload_through() {
    let upstream = Recorder::start(continue_answer);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let out = curl(&[
        "-H",
        "Expect: 100-continue",
        "-X",
        "PUT",
        "--data-binary",
        "hello",
        &relay.url("/f"),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "done");
    let stopped = relay.stop();
    assert!(
        stopped.stdout.contains("Response 1: 100 Continue"),
        "{}",
        stopped.stdout
    );
}

#[test]
fn a_request_with_obs_fold_gets_400_and_is_never_forwarded() {
    let upstream = Recorder::start(odd_answer);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\nX-Fold: one\r\n two\r\n\r\n")
        .unwrap();
    let got = read_until(&mut client, |_| false);
    assert!(
        got.starts_with(b"HTTP/1.1 400 Bad Request"),
        "{:?}",
        String::from_utf8_lossy(&got)
    );
    let out = relay.stop();
    assert!(
        upstream.got.try_recv().is_err(),
        "the upstream got a connection"
    );
    assert!(out.stdout.contains("could not be read"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Response 1: 400 Bad Request"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("made by httpdump relay"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("(1 error)"), "{}", out.stderr);
}

/// Answer a whole head (no body) with 204, keeping the connection.
fn no_content(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    got.ends_with(b"\r\n\r\n")
        .then(|| (b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(), false))
}

#[test]
fn rewrite_host_and_forwarded_change_only_their_lines_and_show_both_versions() {
    let upstream = Recorder::start(no_content);
    let relay = Relay::start(&[
        "--to",
        &upstream.to(),
        "--rewrite-host",
        "--forwarded",
        "--format",
        "json",
    ]);
    let mut client = relay.connect();
    client
        .write_all(b"GET /x HTTP/1.1\r\nhost: example.test\r\nAccept: */*\r\n\r\n")
        .unwrap();
    read_until(&mut client, |b| b.ends_with(b"\r\n\r\n"));
    drop(client);
    let sent = String::from_utf8(upstream.received()).unwrap();
    let authority = upstream.addr.to_string();
    assert_eq!(
        sent,
        format!(
            "GET /x HTTP/1.1\r\nhost: {authority}\r\nAccept: */*\r\n\
             Forwarded: for=127.0.0.1\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n"
        )
    );
    let out = relay.stop();
    let request: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        request["rewritten"],
        serde_json::json!([
            {"received": "host: example.test", "forwarded": format!("host: {authority}")},
            {"received": null, "forwarded": "Forwarded: for=127.0.0.1"},
            {"received": null, "forwarded": "X-Forwarded-For: 127.0.0.1"},
        ])
    );
    // The table shows the request as the client sent it.
    assert_eq!(request["headers"][0]["value"], "example.test");
}

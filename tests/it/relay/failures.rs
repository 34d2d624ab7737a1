//! What the client gets when the upstream fails: 502 when it refuses or breaks off, 504
//! when it stays silent; a response that cannot be read is passed on as it is (unless
//! --strict); a forward proxy asked for an origin-form target says what it needs.

use super::*;

#[test]
fn an_upstream_that_refuses_gets_the_client_a_502_with_the_reason() {
    let port = closed_port();
    let relay = Relay::start(&["--to", &format!("http://127.0.0.1:{port}")]);
    let out = curl(&["-w", "\n%{http_code}", &relay.url("/")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("\n502"), "{text}");
    assert!(
        text.contains(&format!("upstream 127.0.0.1:{port} refused the connection")),
        "{text}"
    );
    let stopped = relay.stop();
    assert!(
        stopped.stdout.contains("Response 1: 502 Bad Gateway"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped.stdout.contains("refused the connection"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped.stdout.contains("made by httpdump relay"),
        "{}",
        stopped.stdout
    );
    assert!(stopped.stderr.contains("(1 error)"), "{}", stopped.stderr);
}

#[test]
fn an_upstream_that_stays_silent_gets_the_client_a_504() {
    let upstream = Recorder::start(|_| None);
    let relay = Relay::start(&["--to", &upstream.to(), "--timeout", "500ms"]);
    let began = Instant::now();
    let out = curl(&["-w", "\n%{http_code}", &relay.url("/slow")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("\n504"), "{text}");
    assert!(text.contains("sent no response within 500ms"), "{text}");
    assert!(began.elapsed() < Duration::from_secs(5));
    let stopped = relay.stop();
    assert!(
        stopped.stdout.contains("Response 1: 504 Gateway Timeout"),
        "{}",
        stopped.stdout
    );
}

fn unreadable(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    got.ends_with(b"\r\n\r\n").then(|| (BAD.to_vec(), true))
}

const BAD: &[u8] = b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\nbody";

#[test]
fn a_response_that_cannot_be_read_is_shown_and_passed_on_as_it_is() {
    let upstream = Recorder::start(unreadable);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    let got = read_until(&mut client, |_| false);
    assert_eq!(got, BAD);
    let out = relay.stop();
    assert!(
        out.stdout.contains("Message 1: could not be read"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("no colon here"), "{}", out.stdout);
}

#[test]
fn strict_answers_502_instead_of_an_unreadable_response() {
    let upstream = Recorder::start(unreadable);
    let relay = Relay::start(&["--to", &upstream.to(), "--strict"]);
    let out = curl(&["-w", "\n%{http_code}", &relay.url("/")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("\n502"), "{text}");
    assert!(
        text.contains("cannot be read, not forwarded (--strict)"),
        "{text}"
    );
}

#[test]
fn a_forward_proxy_asked_for_an_origin_form_target_answers_400_saying_why() {
    let relay = Relay::start(&["--lang", "zh"]);
    let out = curl(&["-w", "\n%{http_code}", &relay.url("/page")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("\n400"), "{text}");
    assert!(text.contains("正向代理需要绝对形式的目标"), "{text}");
    let stopped = relay.stop();
    assert!(stopped.stdout.contains("交换 1"), "{}", stopped.stdout);
    assert!(stopped.stderr.contains("已停止"), "{}", stopped.stderr);
}

#[test]
fn a_head_over_max_head_gets_431_and_is_never_forwarded() {
    let upstream = Recorder::start(unreadable);
    let relay = Relay::start(&["--to", &upstream.to(), "--max-head", "100"]);
    let mut client = relay.connect();
    let long = format!(
        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: {}\r\n\r\n",
        "x".repeat(200)
    );
    client.write_all(long.as_bytes()).unwrap();
    let got = read_until(&mut client, |_| false);
    assert!(
        got.starts_with(b"HTTP/1.1 431 Request Header Fields Too Large"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    let out = relay.stop();
    assert!(
        upstream.got.try_recv().is_err(),
        "the upstream got a connection"
    );
    assert!(out.stdout.contains("Response 1: 431"), "{}", out.stdout);
}

#[test]
fn a_client_silent_in_the_middle_of_a_head_gets_408_and_nothing_is_forwarded() {
    let upstream = Recorder::start(unreadable);
    let relay = Relay::start(&["--to", &upstream.to(), "--timeout", "300ms"]);
    let mut client = relay.connect();
    client.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap();
    let got = read_until(&mut client, |_| false);
    assert!(
        got.starts_with(b"HTTP/1.1 408 Request Timeout"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    let out = relay.stop();
    assert!(
        upstream.got.try_recv().is_err(),
        "the upstream got a connection"
    );
    assert!(
        out.stdout.contains("Response 1: 408 Request Timeout"),
        "{}",
        out.stdout
    );
}

#[test]
fn past_max_connections_a_new_client_gets_503_while_every_slot_is_busy() {
    let (arrived_tx, arrived) = mpsc::channel();
    let (go, go_rx) = mpsc::channel();
    let upstream = super::shown::gated_upstream(arrived_tx, go_rx);
    let relay = Relay::start(&[
        "--to",
        &format!("http://{upstream}"),
        "--max-connections",
        "1",
    ]);
    let mut first = relay.connect();
    first
        .write_all(b"GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    arrived
        .recv_timeout(WAIT)
        .expect("the slow request reached the upstream");
    let mut second = relay.connect();
    let refused = read_until(&mut second, |_| false);
    assert!(
        refused.starts_with(b"HTTP/1.1 503 Service Unavailable"),
        "{}",
        String::from_utf8_lossy(&refused)
    );
    go.send(()).unwrap();
    assert!(read_until(&mut first, |b| b.ends_with(b"slow")).ends_with(b"slow"));
    drop(first);
    let out = relay.stop();
    assert!(
        out.stderr.contains("1 exchange (1 error)"),
        "{}",
        out.stderr
    );
}

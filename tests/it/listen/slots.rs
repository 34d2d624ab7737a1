//! `--max-connections`: idle connections give up their slot to new clients; only when
//! every slot is busy with a request is a new client turned away with 503.

use super::*;

/// A head that asks for `100 Continue` before its 2-byte body.
const EXPECTING: &[u8] =
    b"POST /busy HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// A connection in the middle of a request: the `100 Continue` proves the server holds
/// its head and waits for the body.
fn busy(server: &Server) -> TcpStream {
    let mut stream = server.connect();
    stream.write_all(EXPECTING).unwrap();
    assert_eq!(read_response(&mut stream), CONTINUE);
    stream
}

/// Whether the server closed `stream` (without a word).
fn closed_quietly(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    matches!(stream.read(&mut buf), Ok(0))
}

#[test]
fn idle_connections_make_room_for_real_clients() {
    idle_ones_make_room(&[]);
}

/// With `--quiet` no printer holds connections back: the slots work the same.
#[test]
fn idle_connections_make_room_with_quiet() {
    idle_ones_make_room(&["--quiet"]);
}

fn idle_ones_make_room(more: &[&str]) {
    let server = Server::start(&[&["--max-connections", "4"], more].concat());
    let mut idle: Vec<TcpStream> = (0..4).map(|_| server.connect()).collect();
    for n in 1..=3 {
        let out = curl(&["-i", &server.url(&format!("/{n}"))]);
        assert!(
            text(&out.stdout).starts_with("HTTP/1.1 200 OK\r\n"),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
    // Idle ones gave up their slot (at least one: a curl that has gone frees its own);
    // they sent nothing, so got nothing.
    for stream in &idle {
        stream
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
    }
    let closed = idle.iter_mut().map(closed_quietly).filter(|&c| c).count();
    assert!(closed >= 1, "{closed} idle connections closed");
    let stopped = server.stop();
    let shown = if more.contains(&"--quiet") { 0 } else { 3 };
    assert_eq!(titles(&stopped.stdout).len(), shown, "{}", stopped.stdout);
    assert!(
        !stopped.stderr.contains("refused with 503"),
        "{}",
        stopped.stderr
    );
}

#[test]
fn a_keep_alive_connection_between_requests_makes_room_too() {
    let server = Server::start(&["--max-connections", "1"]);
    let mut first = server.connect();
    first
        .write_all(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    read_response(&mut first);
    let out = curl(&["-i", &server.url("/2")]);
    assert!(
        text(&out.stdout).starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        text(&out.stdout)
    );
    assert!(closed_quietly(&mut first));
    server.stop();
}

#[test]
fn only_when_every_slot_is_busy_with_a_request_is_a_client_refused() {
    busy_ones_refuse(&[]);
}

/// The same with `--quiet`.
#[test]
fn only_when_every_slot_is_busy_is_a_client_refused_with_quiet() {
    busy_ones_refuse(&["--quiet"]);
}

fn busy_ones_refuse(more: &[&str]) {
    let server = Server::start(&[&["--max-connections", "4"], more].concat());
    let mut held: Vec<TcpStream> = (0..4).map(|_| busy(&server)).collect();
    let out = curl(&["-i", &server.url("/refused")]);
    let reply = text(&out.stdout);
    assert!(
        reply.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{reply}"
    );
    // The busy ones are served in full.
    for stream in &mut held {
        stream.write_all(b"hi").unwrap();
        let reply = text(&read_response(stream));
        assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    }
    // Now idle between requests, they make room again.
    let out = curl(&["-i", &server.url("/served")]);
    assert!(
        text(&out.stdout).starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        text(&out.stdout)
    );
    let stopped = server.stop();
    assert!(
        stopped.stderr.contains("1 refused with 503"),
        "{}",
        stopped.stderr
    );
    if !more.contains(&"--quiet") {
        assert!(
            stopped.stdout.contains(
                "turned away with 503: the limit of 4 connections is reached and none is idle"
            ),
            "{}",
            stopped.stdout
        );
    }
}

#[test]
fn the_503_body_speaks_the_chosen_language() {
    let server = Server::start(&["--max-connections", "1", "--lang", "zh"]);
    let mut held = busy(&server);
    let out = curl(&["-s", &server.url("/refused")]);
    assert_eq!(text(&out.stdout), "打开的连接太多;请稍后再试\n");
    held.write_all(b"hi").unwrap();
    read_response(&mut held);
    server.stop();
}

#[test]
fn a_limit_of_one_is_one_connection_not_one_connections() {
    let server = Server::start(&["--max-connections", "1"]);
    let mut held = busy(&server);
    let out = curl(&["-s", &server.url("/refused")]);
    assert_eq!(
        text(&out.stdout),
        "too many connections are open; try again later\n"
    );
    held.write_all(b"hi").unwrap();
    read_response(&mut held);
    let stopped = server.stop();
    assert!(
        stopped
            .stdout
            .contains("the limit of 1 connection is reached and none is idle"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped
            .stderr
            .contains("stopped: 1 connection, 1 request ("),
        "{}",
        stopped.stderr
    );
}

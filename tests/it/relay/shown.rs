//! What relay shows and keeps: exchanges in the order their requests arrived, JSON Lines
//! with `exchange` and `direction`, `--save` with both directions' exact bytes.

use super::exact::{odd_answer, path_answer, ODD_REQUEST, ODD_RESPONSE};
use super::*;

/// An upstream that answers `/fast` at once and `/slow` only when told to, saying on
/// `arrived` when `/slow` came.
pub(super) fn gated_upstream(arrived: mpsc::Sender<()>, go: mpsc::Receiver<()>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut go = Some(go);
        for stream in listener.incoming().take(2) {
            let mut stream = stream.unwrap();
            let head = read_until(&mut stream, |b| b.ends_with(b"\r\n\r\n"));
            let slow = head.starts_with(b"GET /slow ");
            let gate = if slow {
                arrived.send(()).unwrap();
                go.take()
            } else {
                None
            };
            std::thread::spawn(move || {
                if let Some(go) = gate {
                    go.recv_timeout(WAIT).unwrap();
                }
                let body = if slow { "slow" } else { "fast" };
                let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{body}");
                stream.write_all(reply.as_bytes()).unwrap();
                let _ = read_until(&mut stream, |_| false);
            });
        }
    });
    addr
}

#[test]
fn exchanges_are_shown_in_the_order_requests_arrived_not_the_order_they_finished() {
    let (arrived_tx, arrived) = mpsc::channel();
    let (go, go_rx) = mpsc::channel();
    let upstream = gated_upstream(arrived_tx, go_rx);
    let relay = Relay::start(&["--to", &format!("http://{upstream}")]);
    let mut first = relay.connect();
    first
        .write_all(b"GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    arrived
        .recv_timeout(WAIT)
        .expect("the slow request reached the upstream");
    let mut second = relay.connect();
    second
        .write_all(b"GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    // The second exchange is over before the first is answered.
    assert!(read_until(&mut second, |b| b.ends_with(b"fast")).ends_with(b"fast"));
    go.send(()).unwrap();
    assert!(read_until(&mut first, |b| b.ends_with(b"slow")).ends_with(b"slow"));
    drop((first, second));
    let out = relay.stop();
    let at = |t: &str| {
        out.stdout
            .find(t)
            .unwrap_or_else(|| panic!("{t}: {}", out.stdout))
    };
    assert!(at("Request 1: GET /slow") < at("Response 1: 200 OK"));
    assert!(
        at("Response 1: 200 OK") < at("Request 2: GET /fast"),
        "{}",
        out.stdout
    );
    assert!(at("Request 2: GET /fast") < at("Response 2: 200 OK"));
}

#[test]
fn json_lines_name_the_exchange_and_the_direction() {
    let upstream = Recorder::start(path_answer);
    let relay = Relay::start(&["--to", &upstream.to(), "--format", "json"]);
    let out = curl(&[&relay.url("/a"), &relay.url("/b")]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "/a/b");
    let stopped = relay.stop();
    let objects: Vec<serde_json::Value> = stopped
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<_> = objects
        .iter()
        .map(|o| {
            (
                o["exchange"].as_u64().unwrap(),
                o["direction"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "request".to_string()),
            (1, "response".to_string()),
            (2, "request".to_string()),
            (2, "response".to_string())
        ]
    );
    assert_eq!(objects[3]["body"]["text"], "/b");
    assert_eq!(objects[1]["upstream_connection"], 1);
    assert!(objects[1]["elapsed_ms"].as_f64().is_some());
}

#[test]
fn save_keeps_both_directions_exact_bytes() {
    let upstream = Recorder::start(odd_answer);
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::start(&[
        "--to",
        &upstream.to(),
        "--quiet",
        "--save",
        dir.path().to_str().unwrap(),
    ]);
    let mut client = relay.connect();
    client.write_all(ODD_REQUEST).unwrap();
    read_until(&mut client, |b| b.ends_with(b"abc"));
    drop(client);
    let out = relay.stop();
    assert_eq!(out.stdout, "");
    assert_eq!(
        std::fs::read(dir.path().join("000001-request.http")).unwrap(),
        ODD_REQUEST
    );
    assert_eq!(
        std::fs::read(dir.path().join("000001-response.http")).unwrap(),
        ODD_RESPONSE
    );
}

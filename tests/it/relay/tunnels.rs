//! After a 101 the connection is another protocol's: relay passes bytes both ways and
//! counts them (CONNECT to TLS nginx is in nginx.rs).

use super::*;

fn websocket_like(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    if got.windows(9).any(|w| w == b"websocket") && got.ends_with(b"\r\n\r\n") {
        return Some((
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                .to_vec(),
            false,
        ));
    }
    // After the switch: an echo.
    Some((got.to_vec(), false))
}

#[test]
fn an_upgrade_shows_the_101_then_tunnels_and_counts_both_ways() {
    let upstream = Recorder::start(websocket_like);
    let relay = Relay::start(&["--to", &upstream.to()]);
    let mut client = relay.connect();
    client
        .write_all(
            b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        )
        .unwrap();
    let head = read_until(&mut client, |b| b.ends_with(b"\r\n\r\n"));
    assert!(head.starts_with(b"HTTP/1.1 101 Switching Protocols"));
    client.write_all(b"ping").unwrap();
    assert_eq!(read_until(&mut client, |b| b.len() >= 4), b"ping");
    client.write_all(b"again").unwrap();
    assert_eq!(read_until(&mut client, |b| b.len() >= 5), b"again");
    client.shutdown(std::net::Shutdown::Write).unwrap();
    // The tunnel ends when both sides are done: the upstream closes once it sees the end.
    assert_eq!(read_until(&mut client, |_| false), b"");
    let out = relay.stop();
    assert!(
        out.stdout.contains("Response 1: 101 Switching Protocols"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "9 bytes client → upstream, 9 bytes upstream → client (not HTTP/1.x, not shown)"
        ),
        "{}",
        out.stdout
    );
}

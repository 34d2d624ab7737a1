//! A capture streams through: peak memory stays flat however large the file, because
//! frames are read one block at a time and a connection is freed when it closes.

use super::build::{self, data, fin, handshake, Format, Link, Seg};
use super::temp;
use crate::memory::peak_memory;

/// One keep-alive connection: `exchanges` requests, each answered with `body` bytes in
/// segments of 1448.
fn connection(exchanges: usize, body: usize) -> Vec<Seg> {
    let mut segs = handshake();
    let (mut up, mut down) = (0u32, 0u32);
    for i in 0..exchanges {
        let request = format!("GET /page/{i} HTTP/1.1\r\nHost: example.test\r\n\r\n");
        segs.push(data(true, up, request.as_bytes()));
        up += request.len() as u32;
        let mut response =
            format!("HTTP/1.1 200 OK\r\nContent-Length: {body}\r\n\r\n").into_bytes();
        response.resize(response.len() + body, b'x');
        for part in response.chunks(1448) {
            segs.push(data(false, down, part));
            down += part.len() as u32;
        }
    }
    segs.push(fin(true, up));
    segs.push(fin(false, down));
    segs
}

#[test]
fn a_large_capture_streams_through_in_flat_memory() {
    // 480 connections of 10 exchanges with 6 KB bodies, 8 open at a time, their
    // packets interleaved: about 30 MB.
    let mut frames = Vec::new();
    for group in 0..60u32 {
        let conns: Vec<Vec<Vec<u8>>> = (0..8u32)
            .map(|k| {
                let n = group * 8 + k;
                let client = format!("10.0.{}.{}:{}", n / 250, n % 250 + 1, 20000 + n);
                let packets = build::ip_packets(
                    client.parse().unwrap(),
                    "10.1.0.1:80".parse().unwrap(),
                    &connection(10, 6000),
                );
                packets
                    .iter()
                    .map(|p| build::frame(Link::Ethernet, p))
                    .collect()
            })
            .collect();
        let longest = conns.iter().map(Vec::len).max().unwrap();
        for i in 0..longest {
            frames.extend(conns.iter().filter_map(|c| c.get(i).cloned()));
        }
    }
    let bytes = build::file(Format::Le, Link::Ethernet, &frames, build::START_NS);
    assert!(bytes.len() > 28 << 20, "{} bytes", bytes.len());
    let file = temp(&bytes);
    drop(frames);
    let path = file.path().to_str().unwrap();
    let (code, peak) = peak_memory(&["parse", "--format", "json", path]);
    assert_eq!(code, 0);
    assert!(
        peak < 16 << 20,
        "peak {} MiB for {} MiB of capture",
        peak >> 20,
        bytes.len() >> 20
    );
}

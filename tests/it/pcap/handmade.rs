//! Hand-built captures (tests/it/pcap/build.rs): what the reassembly does with segments
//! out of order, repeated, overlapping or missing, a stream whose start was not
//! captured, and the same exchange in every link layer and file format.

use super::build::{self, data, fin, handshake, Format, Link, Seg};
use super::{json, summary, temp};

const REQUEST: &[u8] = b"GET /lesson HTTP/1.1\r\nHost: example.test\r\n\r\n";
const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

/// A whole exchange in order: handshake, request, response, FINs.
fn exchange() -> Vec<Seg> {
    let mut segs = handshake();
    segs.push(data(true, 0, REQUEST));
    segs.push(data(false, 0, RESPONSE));
    segs.push(fin(true, REQUEST.len() as u32));
    segs.push(fin(false, RESPONSE.len() as u32));
    segs
}

fn parse(bytes: &[u8]) -> (i32, Vec<serde_json::Value>, String) {
    let file = temp(bytes);
    json(file.path().to_str().unwrap(), &[])
}

const EXPECTED: [&str; 2] = [
    "1 req GET /lesson stream 0",
    "2 resp 200 stream 0 answers 1",
];

#[test]
fn every_link_layer_and_file_format_reads_the_same_exchange() {
    let links = [
        Link::Ethernet,
        Link::Vlan(42),
        Link::Sll,
        Link::Sll2,
        Link::Null,
        Link::Raw,
    ];
    let formats = [Format::Le, Format::Be, Format::Nanos, Format::Ng];
    for link in links {
        for format in formats {
            for (client, server) in [
                ("10.0.0.2:40000", "10.0.0.1:80"),
                ("[fd00::2]:40000", "[fd00::1]:8080"),
            ] {
                let bytes = build::capture(format, link, client, server, &exchange());
                let (code, objects, stderr) = parse(&bytes);
                assert_eq!(code, 0, "{link:?} {format:?}: {stderr}");
                let got: Vec<String> = objects.iter().map(summary).collect();
                assert_eq!(got, EXPECTED, "{link:?} {format:?} {client}");
                assert_eq!(objects[0]["client"], client, "{link:?} {format:?}");
                assert_eq!(objects[1]["body"]["text"], "hello");
                // The request is the third frame: 2 ms after the first.
                let at = objects[0]["captured_at"].as_str().unwrap();
                let expected = match format {
                    Format::Nanos | Format::Ng => "2026-01-02T03:04:05.125456789Z",
                    _ => "2026-01-02T03:04:05.125456Z",
                };
                assert_eq!(at, expected, "{link:?} {format:?}");
            }
        }
    }
}

#[test]
fn segments_out_of_order_repeated_and_overlapping_are_put_back_together() {
    let (a, rest) = REQUEST.split_at(10);
    let (b, c) = rest.split_at(15);
    let mut segs = handshake();
    segs.push(data(true, 25, c)); // the last part first
    segs.push(data(true, 0, a));
    segs.push(data(true, 0, a)); // a retransmission
    segs.push(data(true, 5, &REQUEST[5..30])); // overlaps both neighbours
    segs.push(data(true, 10, b));
    segs.push(data(false, 0, &RESPONSE[..20]));
    segs.push(data(false, 0, &RESPONSE[..20])); // again
    segs.push(data(false, 20, &RESPONSE[20..]));
    segs.push(fin(true, REQUEST.len() as u32));
    segs.push(fin(false, RESPONSE.len() as u32));
    let bytes = build::capture(
        Format::Le,
        Link::Ethernet,
        "10.0.0.2:40000",
        "10.0.0.1:80",
        &segs,
    );
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(objects.iter().map(summary).collect::<Vec<_>>(), EXPECTED);
    assert_eq!(objects[0]["lines"][0]["text"], "GET /lesson HTTP/1.1");
    assert_eq!(objects[0]["diagnostics"], serde_json::json!([]));
    assert_eq!(objects[1]["body"]["text"], "hello");
}

#[test]
fn bytes_missing_from_the_capture_are_counted_and_reading_resumes_at_the_next_message() {
    let first =
        b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n0123456789012345678901234567890123456789";
    let second = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    let requests = [REQUEST, REQUEST].concat();
    let mut segs = handshake();
    segs.push(data(true, 0, &requests));
    segs.push(data(false, 0, &first[..45])); // the head (39 bytes) and 6 body bytes
                                             // bytes 45..60 of the first response were never captured
    segs.push(data(false, 60, &first[60..]));
    segs.push(data(false, first.len() as u32, second));
    segs.push(fin(true, requests.len() as u32));
    segs.push(fin(false, (first.len() + second.len()) as u32));
    let bytes = build::capture(
        Format::Ng,
        Link::Ethernet,
        "10.0.0.2:40000",
        "10.0.0.1:80",
        &segs,
    );
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 1, "the cut response is an error: {stderr}");
    let got: Vec<String> = objects.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "1 req GET /lesson stream 0",
            "2 req GET /lesson stream 0",
            "3 error truncated-body stream 0",
            "4 resp 404 stream 0 answers 2",
        ]
    );
    let gap = &objects[3]["diagnostics"][0];
    assert_eq!(gap["code"], "capture-gap");
    assert_eq!(gap["severity"], "warning");
    // 15 bytes not captured; the 19 after them (the rest of the first body) skipped.
    assert!(gap["message"].as_str().unwrap().starts_with("15 bytes of this direction of the TCP stream were not captured before this message, and 19 bytes after the gap were skipped"), "{gap}");
    let table = super::httpdump(&["parse", temp(&bytes).path().to_str().unwrap()]);
    assert!(
        table.stdout.contains("warning[capture-gap]"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_stream_whose_start_was_not_captured_begins_at_its_first_start_line() {
    // The capture starts inside a response body, then a whole exchange follows.
    let tail = b"the end of an earlier body\r\n";
    let segs = vec![
        data(false, 0, tail),
        data(true, 0, REQUEST),
        data(false, tail.len() as u32, RESPONSE),
    ];
    let bytes = build::capture(
        Format::Le,
        Link::Raw,
        "10.0.0.2:40000",
        "10.0.0.1:80",
        &segs,
    );
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 0, "{stderr}");
    let got: Vec<String> = objects.iter().map(summary).collect();
    assert_eq!(got, EXPECTED);
    assert_eq!(objects[0]["client"], "10.0.0.2:40000");
    let note = &objects[1]["diagnostics"][0];
    assert_eq!(note["code"], "capture-no-start");
    assert_eq!(note["severity"], "note");
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains("after skipping 28 bytes"),
        "{note}"
    );
    // The request's direction started at a start line: nothing skipped, still noted.
    assert_eq!(objects[0]["diagnostics"][0]["code"], "capture-no-start");
}

#[test]
fn a_reset_ends_the_stream_and_a_response_to_head_has_no_body() {
    let head = b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 615\r\n\r\n";
    let mut segs = handshake();
    segs.push(data(true, 0, head));
    segs.push(data(false, 0, answer));
    let mut rst = data(true, head.len() as u32, b"");
    rst.rst = true;
    segs.push(rst);
    let bytes = build::capture(
        Format::Le,
        Link::Ethernet,
        "10.0.0.2:40000",
        "10.0.0.1:80",
        &segs,
    );
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        objects.iter().map(summary).collect::<Vec<_>>(),
        ["1 req HEAD / stream 0", "2 resp 200 stream 0 answers 1"]
    );
    assert_eq!(objects[1]["body"]["length"], 0);
}

#[test]
fn a_pcapng_with_two_interfaces_of_different_link_types_and_clocks() {
    let packets_a = build::ip_packets(
        "10.0.0.2:40000".parse().unwrap(),
        "10.0.0.1:80".parse().unwrap(),
        &exchange(),
    );
    let packets_b = build::ip_packets(
        "10.0.0.3:40001".parse().unwrap(),
        "10.0.0.1:8080".parse().unwrap(),
        &exchange(),
    );
    let frames_a: Vec<Vec<u8>> = packets_a
        .iter()
        .map(|p| build::frame(Link::Ethernet, p))
        .collect();
    let frames_b: Vec<Vec<u8>> = packets_b
        .iter()
        .map(|p| build::frame(Link::Raw, p))
        .collect();
    // Interleaved: A on interface 0 (Ethernet, microseconds), B on 1 (raw IP, nanoseconds).
    let mut packets = Vec::new();
    for (i, (a, b)) in frames_a.iter().zip(&frames_b).enumerate() {
        let t = build::START_NS + i as u64 * 1_000_000;
        packets.push((0u32, t, a.as_slice()));
        packets.push((1u32, t + 1, b.as_slice()));
    }
    let bytes = build::pcapng(&[(1, 6), (101, 9)], packets.into_iter());
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 0, "{stderr}");
    let got: Vec<String> = objects.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "1 req GET /lesson stream 0",
            "2 req GET /lesson stream 1",
            "3 resp 200 stream 0 answers 1",
            "4 resp 200 stream 1 answers 2",
        ]
    );
    assert_eq!(objects[0]["captured_at"], "2026-01-02T03:04:05.125456Z");
    assert_eq!(objects[1]["captured_at"], "2026-01-02T03:04:05.125456790Z");
    assert_eq!(objects[1]["server"], "10.0.0.1:8080");
}

#[test]
fn a_capture_without_http_lists_its_streams_and_says_so() {
    let mut segs = handshake();
    segs.push(data(true, 0, b"\x16\x03\x01\x00\x05hello"));
    segs.push(fin(true, 10));
    segs.push(fin(false, 0));
    let bytes = build::capture(
        Format::Le,
        Link::Ethernet,
        "10.0.0.2:40000",
        "10.0.0.1:443",
        &segs,
    );
    let file = temp(&bytes);
    let path = file.path().to_str().unwrap();
    let run = super::httpdump(&["parse", "--width", "200", path]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("TCP stream 0: 10.0.0.2:40000 → 10.0.0.1:443 · encrypted (TLS), not shown · 10 bytes from the client, 0 from the server · captured 2026-01-02 03:04:05.123456 UTC\n"), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        format!("httpdump: {path}: no HTTP/1.x message found in this capture\n")
    );
}

#[test]
fn ip_fragments_and_unknown_link_types_are_said_not_skipped_silently() {
    let client = "10.0.0.2:40000".parse().unwrap();
    let server = "10.0.0.1:80".parse().unwrap();
    let mut packets = build::ip_packets(client, server, &exchange());
    // A copy of the request with "more fragments" set: its TCP bytes cannot be read alone.
    let mut fragment = packets[2].clone();
    fragment[6] |= 0x20;
    packets.insert(3, fragment);
    let frames: Vec<Vec<u8>> = packets.iter().map(|p| build::frame(Link::Raw, p)).collect();
    let bytes = build::file(Format::Le, Link::Raw, &frames, build::START_NS);
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 0, "{stderr}");
    let last = objects.last().unwrap();
    assert_eq!(last["kind"], "fragments");
    assert_eq!(last["count"], 1);
    assert_eq!(
        last["message"],
        "1 IP fragments were not reassembled: the TCP bytes they carried are missing"
    );
    // Link type 147 (a private one): every frame skipped, and said so.
    let mut odd = build::file(Format::Le, Link::Raw, &frames, build::START_NS);
    odd[20..24].copy_from_slice(&147u32.to_le_bytes());
    let file = temp(&odd);
    let run = super::httpdump(&["parse", file.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "7 packets of link type 147 were skipped: this link type is not read\n\n"
    );
}

#[test]
fn bytes_skipped_after_a_broken_message_are_shown_not_dropped() {
    let broken = b"GET /a HTTP/1.1\r\nno colon here\r\n";
    let junk = b"more junk\r\n";
    let good = b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut segs = handshake();
    segs.push(data(true, 0, broken));
    segs.push(data(true, broken.len() as u32, junk));
    segs.push(data(true, (broken.len() + junk.len()) as u32, good));
    let bytes = build::capture(
        Format::Le,
        Link::Ethernet,
        "10.0.0.2:40000",
        "10.0.0.1:80",
        &segs,
    );
    let file = temp(&bytes);
    let path = file.path().to_str().unwrap();
    let (code, objects, _) = json(path, &[]);
    assert_eq!(code, 1);
    let got: Vec<String> = objects.iter().map(summary).collect();
    assert_eq!(got, ["1 error no-colon stream 0", "2 req GET /b stream 0"]);
    let raw = super::httpdump(&["parse", "--format", "raw", path]);
    assert_eq!(raw.stdout.as_bytes(), [&broken[..], junk, good].concat());
}

#[test]
fn after_101_switching_protocols_the_stream_is_listed_not_read_as_http() {
    let upgrade =
        b"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    let switch =
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    // WebSocket frames: a masked "hi" from the client, "hello" from the server.
    let from_client = b"\x81\x82\x01\x02\x03\x04\x69\x6b";
    let from_server = b"\x81\x05hello";
    let mut segs = handshake();
    segs.push(data(true, 0, upgrade));
    // The server's first frame comes in the same segment as the 101.
    segs.push(data(false, 0, &[&switch[..], from_server].concat()));
    segs.push(data(true, upgrade.len() as u32, from_client));
    segs.push(fin(true, (upgrade.len() + from_client.len()) as u32));
    segs.push(fin(false, (switch.len() + from_server.len()) as u32));
    let bytes = build::capture(
        Format::Le,
        Link::Ethernet,
        "10.0.0.2:40000",
        "10.0.0.1:80",
        &segs,
    );
    let (code, objects, stderr) = parse(&bytes);
    assert_eq!(code, 0, "{stderr}");
    let got: Vec<String> = objects.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "1 req GET /chat stream 0",
            "2 resp 101 stream 0 answers 1",
            "stream 0 switched"
        ]
    );
    assert_eq!(objects[2]["client_bytes"], from_client.len());
    assert_eq!(objects[2]["server_bytes"], from_server.len());
    assert_eq!(
        objects[2]["message"],
        "TCP stream 0: 10.0.0.2:40000 → 10.0.0.1:80 · switched protocols (101) after the HTTP above; the rest is not shown, counted from the switch · 8 bytes from the client, 7 from the server · captured 2026-01-02 03:04:05.123456 UTC"
    );
}

#[test]
fn simple_packet_blocks_are_read_without_a_time() {
    let packets = build::ip_packets(
        "10.0.0.2:40000".parse().unwrap(),
        "10.0.0.1:80".parse().unwrap(),
        &exchange(),
    );
    let frames: Vec<Vec<u8>> = packets
        .iter()
        .map(|p| build::frame(Link::Ethernet, p))
        .collect();
    let (code, objects, stderr) = parse(&build::pcapng_simple(&frames));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(objects.iter().map(summary).collect::<Vec<_>>(), EXPECTED);
    // A simple packet block records no time, so none is shown.
    assert_eq!(objects[0]["captured_at"], serde_json::Value::Null);
    let file = temp(&build::pcapng_simple(&frames));
    let table = super::httpdump(&["parse", "--width", "200", file.path().to_str().unwrap()]);
    assert!(
        table.stdout.starts_with(
            "Request 1: GET /lesson HTTP/1.1 · TCP stream 0: 10.0.0.2:40000 → 10.0.0.1:80\n"
        ),
        "{}",
        table.stdout
    );
}

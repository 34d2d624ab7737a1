//! `parse` on packet captures, through the real binary: a real capture of curl, nginx
//! and `httpdump listen` on the loopback (fixtures/pcap/make.sh), checked against
//! tshark where it is installed, and hand-built captures for what a real one rarely
//! shows on demand (segments out of order, repeated, overlapping or missing, a start not
//! captured, every link layer and file format).

mod build;
mod handmade;
mod memory;
mod oracle;

use std::io::Write;
use std::process::Command;

use serde_json::Value;

pub const PCAPNG: &str = "fixtures/pcap/lo.pcapng";
pub const PCAP: &str = "fixtures/pcap/lo.pcap";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn httpdump(args: &[&str]) -> Run {
    let out = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("running httpdump");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A capture's bytes in a temporary file, kept while the handle lives.
pub fn temp(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f
}

/// `parse --format json` on a file: its exit code and its objects.
pub fn json(path: &str, more: &[&str]) -> (i32, Vec<Value>, String) {
    let mut args = vec!["parse", "--format", "json", path];
    args.extend_from_slice(more);
    let run = httpdump(&args);
    let objects = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    (run.code, objects, run.stderr)
}

/// One object in a line a person can compare: kind, start line, stream, pairing.
pub fn summary(o: &Value) -> String {
    match o["kind"].as_str().unwrap() {
        "request" => format!(
            "{} req {} {} stream {}",
            o["index"],
            o["method"].as_str().unwrap(),
            o["target"].as_str().unwrap(),
            o["tcp_stream"]
        ),
        "response" => format!(
            "{} resp {} stream {} answers {}",
            o["index"], o["status"], o["tcp_stream"], o["answers"]
        ),
        "stream" => format!(
            "stream {} {}",
            o["tcp_stream"],
            o["carries"].as_str().unwrap()
        ),
        "error" => format!(
            "{} error {} stream {}",
            o["index"],
            o["code"].as_str().unwrap(),
            o["tcp_stream"]
        ),
        other => other.to_string(),
    }
}

#[test]
fn a_real_capture_shows_every_exchange_titled_with_its_stream_and_paired() {
    let (code, objects, stderr) = json(PCAPNG, &[]);
    assert_eq!(code, 0, "{stderr}");
    let shown: Vec<String> = objects.iter().map(summary).collect();
    assert_eq!(
        shown,
        [
            // keep-alive: two exchanges on one connection, the second answer chunked
            "1 req GET /index.html stream 0",
            "2 resp 200 stream 0 answers 1",
            "3 req GET /big.txt stream 0",
            "4 resp 200 stream 0 answers 3",
            // pipelining: both requests in one segment, then both answers
            "5 req GET /one stream 1",
            "6 req GET /two stream 1",
            "7 resp 200 stream 1 answers 5",
            "8 resp 200 stream 1 answers 6",
            // a POST upload
            "9 req POST /upload stream 2",
            "10 resp 200 stream 2 answers 9",
            // two parallel connections: answers in the order they came
            "11 req GET /index.html?a stream 3",
            "12 req GET /b stream 4",
            "13 resp 200 stream 4 answers 12",
            "14 resp 200 stream 3 answers 11",
            // IPv6
            "15 req GET / stream 5",
            "16 resp 200 stream 5 answers 15",
            // listed once, not dumped
            "stream 6 other",
            "stream 7 tls",
        ]
    );
    let chunked = &objects[3];
    assert_eq!(chunked["body"]["framing"], "chunked");
    assert_eq!(chunked["source"], "pcap");
    assert_eq!(chunked["from_client"], false);
    let upload = &objects[8];
    assert!(upload["body"]["text"]
        .as_str()
        .unwrap()
        .starts_with("name=lesson&text=xxx"));
    assert_eq!(upload["body"]["length"], 317);
    assert!(objects[14]["client"]
        .as_str()
        .unwrap()
        .starts_with("[::1]:"));
    assert_eq!(objects[14]["server"], "[::1]:18080");
    assert!(objects[0]["captured_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-"));
    let tls = &objects[17];
    assert_eq!(tls["server"], "127.0.0.1:18443");
    assert!(tls["client_bytes"].as_u64().unwrap() > 100, "{tls}");
}

#[test]
fn the_same_capture_as_classic_pcap_reads_the_same() {
    let (_, mut ng, _) = json(PCAPNG, &[]);
    let (code, mut classic, stderr) = json(PCAP, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ng.len(), classic.len());
    // dumpcap's pcapng keeps nanoseconds; the classic pcap editcap made, microseconds.
    for (a, b) in ng.iter_mut().zip(&mut classic) {
        let nanos = a["captured_at"].take();
        let micros = b["captured_at"].take();
        let (nanos, micros) = (nanos.as_str().unwrap(), micros.as_str().unwrap());
        assert_eq!(nanos[..26], micros[..26], "{nanos} {micros}");
        assert_eq!(micros.len(), 27, "{micros}");
        // A stream's line says the time too.
        a["message"].take();
        b["message"].take();
    }
    assert_eq!(ng, classic);
}

#[test]
fn a_table_title_names_the_stream_the_time_and_the_request_answered() {
    let run = httpdump(&["parse", "--width", "200", PCAPNG]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("Request 1: GET /index.html HTTP/1.1 · TCP stream 0: 127.0.0.1:"),
        "{out}"
    );
    assert!(out.contains(" → 127.0.0.1:18080 · captured 2026-"), "{out}");
    assert!(out.contains("Response 2: 200 OK · TCP stream 0: "), "{out}");
    assert!(out.contains("answers message 1"), "{out}");
    assert!(out.contains("TCP stream 7: 127.0.0.1:"), "{out}");
    assert!(
        out.contains("127.0.0.1:18443 · encrypted (TLS), not shown · "),
        "{out}"
    );
    assert!(out.contains("127.0.0.1:18082 · not HTTP/1.x, not shown · 7 bytes from the client, 49 from the server"), "{out}");
    // Titles and a stream's line wrap at the table width like the rest.
    let titled = httpdump(&["parse", "--width", "90", PCAPNG]);
    assert!(
        titled
            .stdout
            .contains("Request 1: GET /index.html HTTP/1.1\n    TCP stream 0: 127.0.0.1:"),
        "{}",
        titled.stdout
    );
    let narrow = httpdump(&["parse", "--width", "60", PCAPNG]);
    assert!(
        narrow
            .stdout
            .contains("127.0.0.1:18082 · not\n  HTTP/1.x, not shown · 7 bytes from the client"),
        "{}",
        narrow.stdout
    );
    let zh = httpdump(&["parse", "--lang", "zh", PCAPNG]);
    assert!(zh.stdout.contains("TCP 流 0:127.0.0.1:"), "{}", zh.stdout);
    assert!(zh.stdout.contains("已加密(TLS),不显示"), "{}", zh.stdout);
    assert!(zh.stdout.contains("应答报文 1"), "{}", zh.stdout);
}

#[test]
fn a_capture_is_told_by_its_magic_number_and_input_pcap_refuses_other_files() {
    // Detected without --input; forced with it.
    let forced = json(PCAPNG, &["--input", "pcap"]);
    assert_eq!(forced.1, json(PCAPNG, &[]).1);
    let run = httpdump(&["parse", "--input", "pcap", "fixtures/exchange.http"]);
    // Not what --input said: an input with errors (exit 1), as a HAR that is not one.
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "httpdump: fixtures/exchange.http: the capture has a malformed block at byte 0 (not pcap or pcapng)\n"
    );
}

#[test]
fn a_record_claiming_gigabytes_is_an_error_at_its_byte_not_an_allocation() {
    // A pcap header (little-endian, microseconds, snaplen 65535, Ethernet), then a
    // record whose captured and original lengths claim almost 2 GiB, then a few bytes.
    let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    file.extend_from_slice(&[0; 8]);
    file.extend_from_slice(&65535u32.to_le_bytes());
    file.extend_from_slice(&1u32.to_le_bytes());
    file.extend_from_slice(&[0; 8]);
    file.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    file.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    file.extend_from_slice(&[0xab; 100]);
    let capture = temp(&file);
    let path = capture.path().to_str().unwrap();
    let run = httpdump(&["parse", path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with(&format!("httpdump: {path}: the capture ")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("byte 24"), "{}", run.stderr);
}

#[test]
fn a_cut_capture_shows_what_came_before_then_says_where_it_ends() {
    let whole = std::fs::read(PCAP).unwrap();
    let cut = temp(&whole[..whole.len() / 2]);
    let path = cut.path().to_str().unwrap();
    let (code, objects, stderr) = json(path, &[]);
    assert_eq!(code, 1);
    assert!(objects.len() >= 4, "{objects:?}");
    assert_eq!(summary(&objects[0]), "1 req GET /index.html stream 0");
    let (before, _) = stderr.split_once(" byte ").expect(&stderr);
    assert_eq!(
        before,
        format!("httpdump: {path}: the capture ends inside the block at")
    );
    let zh = httpdump(&["parse", "--lang", "zh", "--format", "json", path]);
    assert!(zh.stderr.contains("抓包文件在第 "), "{}", zh.stderr);
}

//! `parse` renders on several threads (issue 17): through the real binary, a stream of
//! thousands of messages shows each message exactly as it shows alone, in input order,
//! from a file and from a pipe, and memory stays flat however long the stream is.

use std::io::Write;
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;

use crate::memory::peak_memory;

/// Message `n` of the stream: requests and responses of varied shapes and sizes, some
/// with lint warnings, one in 500 with a lint error, and one with a 2 MiB body.
fn message(n: usize) -> Vec<u8> {
    let body = "b".repeat((n * 131) % 1500);
    match n % 6 {
        0 => format!("GET /page/{n}?q=caf%C3%A9 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nUser-Agent: test/{n}\r\n\r\n").into_bytes(),
        1 => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
        2 => format!(
            "POST /api/{n} HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
        3 => format!(
            "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        // Bare LF endings and a non-ASCII value: warnings.
        4 => format!("GET /lf/{n} HTTP/1.1\nHost: b\nX-Name: caf\u{e9} {n}\n\n").into_bytes(),
        _ if n % 500 == 5 => {
            // No Host header: a lint error (exit 1).
            format!("GET /no-host/{n} HTTP/1.1\r\nAccept: */*\r\n\r\n").into_bytes()
        }
        _ if n == 1001 => {
            let big = "z".repeat(2 * 1024 * 1024);
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{big}", big.len()).into_bytes()
        }
        _ => format!("HTTP/1.1 304 Not Modified\r\nETag: \"{n}\"\r\n\r\n").into_bytes(),
    }
}

fn write_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file
}

/// `httpdump parse ARGS FILE` (or `-` fed from a pipe): exit code and standard output.
fn parse(args: &[&str], input: &[u8], pipe: bool) -> (i32, Vec<u8>) {
    let file = write_file(input);
    let mut cmd = Command::new(cargo_bin("httpdump"));
    cmd.arg("parse").args(args);
    let out = if pipe {
        let mut child = cmd
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let bytes = input.to_vec();
        let feeder = std::thread::spawn(move || stdin.write_all(&bytes).unwrap());
        let out = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        out
    } else {
        cmd.arg(file.path()).output().unwrap()
    };
    (out.status.code().unwrap(), out.stdout)
}

/// Every `offset` in a message's JSON less `base`, and its `index` set to `index`: what
/// the message shows when it is alone in its input.
fn as_alone(mut value: Value, base: u64) -> Value {
    fn shift(v: &mut Value, base: u64) {
        match v {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    match (key.as_str(), v.as_u64()) {
                        ("offset", Some(n)) => *v = Value::from(n - base),
                        _ => shift(v, base),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| shift(v, base)),
            _ => {}
        }
    }
    shift(&mut value, base);
    value["index"] = Value::from(1);
    value
}

#[test]
fn thousands_of_messages_show_as_each_shows_alone_in_input_order() {
    let messages: Vec<Vec<u8>> = (0..3000).map(message).collect();
    let stream = messages.concat();
    for pipe in [false, true] {
        let (code, out) = parse(&["--format", "json"], &stream, pipe);
        assert_eq!(code, 1, "lint errors in the stream fail it");
        let lines: Vec<&str> = std::str::from_utf8(&out).unwrap().lines().collect();
        assert_eq!(lines.len(), messages.len(), "one JSON line per message");
        let mut base = 0u64;
        for (n, (line, message)) in lines.iter().zip(&messages).enumerate() {
            let value: Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["index"], n + 1, "message {n} in input order");
            let offset = base;
            base += message.len() as u64;
            // Parsing each alone is slow: every message near the start, then a sample.
            if n > 40 && n % 97 != 0 && n != 1001 {
                continue;
            }
            let (_, alone) = parse(&["--format", "json"], message, false);
            let alone: Value = serde_json::from_slice(&alone).unwrap();
            assert_eq!(as_alone(value, offset), alone, "message {n} (pipe: {pipe})");
        }
    }
}

#[test]
fn raw_output_of_a_long_stream_is_the_stream_in_order() {
    let stream: Vec<u8> = (0..3000).map(message).collect::<Vec<_>>().concat();
    for pipe in [false, true] {
        let (code, out) = parse(&["--format", "raw"], &stream, pipe);
        assert_eq!(code, 1);
        assert!(
            out == stream,
            "raw output differs from the input (pipe: {pipe})"
        );
    }
}

#[test]
fn tables_of_a_long_stream_are_the_tables_of_its_halves() {
    // Tables number messages; the halves start a new count, so each half is compared
    // with its own part of the output.
    let first: Vec<u8> = (0..1500).map(message).collect::<Vec<_>>().concat();
    let second: Vec<u8> = (1500..3000).map(message).collect::<Vec<_>>().concat();
    let (_, one) = parse(&["--width", "100"], &first, false);
    let (_, two) = parse(&["--width", "100"], &second, false);
    let file_one = write_file(&first);
    let file_two = write_file(&second);
    let out = Command::new(cargo_bin("httpdump"))
        .args(["parse", "--width", "100"])
        .arg(file_one.path())
        .arg(file_two.path())
        .output()
        .unwrap();
    assert!(
        out.stdout == [one, two].concat(),
        "tables of two inputs differ"
    );
}

#[test]
fn memory_stays_flat_over_a_long_stream_of_small_messages() {
    let one: Vec<u8> = (0..3000)
        .filter(|&n| n != 1001)
        .map(message)
        .collect::<Vec<_>>()
        .concat();
    let short = write_file(&one);
    let long = write_file(&one.repeat(10));
    let mut peaks = Vec::new();
    for file in [&short, &long] {
        let path = file.path().to_str().unwrap();
        for args in [&["parse", "--format", "json", path][..], &["parse", path]] {
            let (code, peak) = peak_memory(args);
            assert_eq!(code, 1);
            peaks.push(peak);
        }
    }
    // Ten times the messages may not cost more than a few MiB more.
    for (short, long) in [(peaks[0], peaks[2]), (peaks[1], peaks[3])] {
        assert!(
            long < short + 8 * 1024 * 1024,
            "peak memory grew with the stream: {short} bytes on 1x, {long} on 10x"
        );
    }
}

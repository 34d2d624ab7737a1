//! `httpdump parse` through the real binary: tables, JSON, raw bytes, exit codes and
//! safety against control bytes.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

pub fn httpdump() -> Command {
    let mut cmd = Command::cargo_bin("httpdump").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = httpdump().args(args).output().unwrap();
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// Every JSON line of `parse --format json`.
pub fn json_of(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["parse", "--format", "json"];
    all.extend_from_slice(args);
    stdout_of(&all)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn fixtures(ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("fixtures")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

#[test]
fn table_snapshots_of_every_fixture() {
    let names = fixtures(".http");
    assert!(names.len() >= 15, "fixtures found: {names:?}");
    for name in names {
        let path = format!("fixtures/{name}");
        let text = stdout_of(&["parse", &path, "--width", "100", "--color", "never"]);
        insta::assert_snapshot!(format!("table-{name}"), text);
    }
}

#[test]
fn juejin_response_json_fields() {
    let v = json_of(&["fixtures/juejin-response.http"]);
    assert_eq!(v.len(), 1);
    let m = &v[0];
    assert_eq!(m["kind"], "response");
    assert_eq!(m["index"], 1);
    assert_eq!(m["version"], "HTTP/1.1");
    assert_eq!(m["status"], 301);
    assert_eq!(m["reason"], "Moved Permanently");
    let names: Vec<&str> = m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Server", "Date", "Content-Type", "Content-Length"]);
    assert_eq!(m["headers"][3]["value"], "262");
    assert_eq!(m["body"]["length"], 262);
    assert_eq!(m["body"]["framing"], "content-length");
    assert!(m["body"]["text"]
        .as_str()
        .unwrap()
        .starts_with("<html>\r\n"));
    let line0 = &m["lines"][0];
    assert_eq!(line0["number"], 0);
    assert_eq!(line0["part"], "start-line");
    assert_eq!(line0["offset"], 0);
    assert_eq!(line0["length"], 32);
    assert_eq!(line0["ending"], "crlf");
    assert_eq!(line0["text"], "HTTP/1.1 301 Moved Permanently");
    assert_eq!(m["lines"][5]["part"], "blank-line");
    assert_eq!(m["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn exchange_indexes_and_request_fields() {
    let v = json_of(&["fixtures/exchange.http"]);
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[0]["kind"].as_str(), v[0]["index"].as_u64()),
        (Some("request"), Some(1))
    );
    assert_eq!(v[0]["method"], "GET");
    assert_eq!(v[0]["target"], "/");
    assert_eq!(v[0]["body"]["framing"], "none");
    assert_eq!(
        (v[1]["kind"].as_str(), v[1]["index"].as_u64()),
        (Some("response"), Some(2))
    );
    assert_eq!(
        v[1]["lines"][0]["offset"], 73,
        "offsets count from the start of the input"
    );
}

#[test]
fn chunked_json_is_decoded_with_trailers() {
    let v = json_of(&["fixtures/chunked-trailer.http"]);
    let body = &v[0]["body"];
    assert_eq!(body["framing"], "chunked");
    assert_eq!(body["text"], "MozillaDeveloper Network");
    assert_eq!(body["length"], 24);
    assert_eq!(v[0]["trailers"][0]["name"], "Expires");
    let parts: Vec<&str> = v[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["part"].as_str().unwrap())
        .collect();
    assert!(
        parts.contains(&"chunk-size") && parts.contains(&"trailer"),
        "{parts:?}"
    );
}

#[test]
fn binary_body_json_has_base64() {
    let v = json_of(&["fixtures/binary-response.http"]);
    assert_eq!(v[0]["body"]["text"], Value::Null);
    assert!(v[0]["body"]["base64"]
        .as_str()
        .unwrap()
        .starts_with("iVBORw0KGgo"));
    let table = stdout_of(&["parse", "fixtures/binary-response.http", "--width", "100"]);
    assert!(table.contains("binary, 66 bytes: 89 50 4e 47"), "{table}");
}

#[test]
fn head_response_has_no_body() {
    let v = json_of(&["fixtures/head-exchange.http"]);
    assert_eq!(v[1]["status"], 200);
    assert_eq!(v[1]["body"]["framing"], "none");
    assert_eq!(v[1]["body"]["length"], 0);
}

#[test]
fn errors_in_json_name_line_and_offset() {
    let v = json_of(&["fixtures/malformed-no-colon.http"]);
    assert_eq!(v[0]["kind"], "error");
    assert_eq!(v[0]["index"], 1);
    assert_eq!(v[0]["line"], 2);
    assert_eq!(v[0]["offset"], 33);
    assert_eq!(v[0]["message"], "header line has no colon");
}

#[test]
fn messages_after_an_error_are_still_shown() {
    httpdump()
        .args(["parse", "fixtures/error-then-valid.http", "--width", "100"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error: line 1, byte 16: header line has no colon",
        ))
        .stdout(predicate::str::contains("Request 2: GET /after HTTP/1.1"));
}

#[test]
fn exit_codes() {
    httpdump()
        .args(["parse", "fixtures/juejin-request.http"])
        .assert()
        .code(0);
    httpdump()
        .args(["parse", "fixtures/truncated-body.http"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "body cut off: Content-Length says 100 bytes, input has 21",
        ));
    httpdump()
        .args(["parse", "fixtures/not-http.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not HTTP and not a transcript"));
    httpdump()
        .args(["parse", "fixtures/no-such-file.http"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fixtures/no-such-file.http"));
    httpdump().args(["parse"]).assert().code(2);
    httpdump()
        .args(["parse", "--format", "xml", "fixtures/juejin-request.http"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_file_does_not_stop_the_others() {
    httpdump()
        .args(["parse", "nope.http", "fixtures/juejin-request.http"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("Request 1: GET / HTTP/1.1"))
        .stderr(predicate::str::contains("nope.http"));
}

#[test]
fn reads_standard_input() {
    httpdump()
        .args(["parse", "-", "--width", "100"])
        .write_stdin(std::fs::read("fixtures/pipelined.http").unwrap())
        .assert()
        .success()
        .stdout(predicate::str::contains("Request 1: GET /first HTTP/1.1"))
        .stdout(predicate::str::contains("Request 2: GET /second HTTP/1.1"));
}

#[test]
fn raw_format_gives_back_the_exact_bytes() {
    for name in fixtures(".http").into_iter().chain(fixtures(".txt")) {
        let path = format!("fixtures/{name}");
        let out = httpdump()
            .args(["parse", "--input", "raw", "--format", "raw", &path])
            .output()
            .unwrap();
        assert_eq!(out.stdout, std::fs::read(&path).unwrap(), "{path}");
    }
}

#[test]
fn long_bodies_are_cut_in_tables_but_whole_in_json() {
    let body: String = (0..50).map(|i| format!("line {i}\n")).collect();
    let msg = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let out = httpdump()
        .args(["parse", "-", "--max-body-lines", "5", "--width", "100"])
        .write_stdin(msg.clone())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("line 4␊"), "{text}");
    assert!(!text.contains("line 5␊"), "{text}");
    assert!(text.contains("… 355 more bytes in 45 more lines"), "{text}");
    let out = httpdump()
        .args(["parse", "-", "--format", "json"])
        .write_stdin(msg)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["body"]["text"].as_str().unwrap(), body);
}

/// Remove the colour codes httpdump itself writes, so what is left can be checked.
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(j) if after[j..].starts_with('m') => rest = &after[j + 1..],
            _ => {
                out.push_str("\x1b[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn assert_no_raw_controls(output: &str, what: &str) {
    for c in output.chars() {
        let bad = (c < ' ' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c);
        assert!(
            !bad,
            "{what}: raw control {:#x} in output:\n{output}",
            c as u32
        );
    }
}

#[test]
fn every_control_byte_in_a_header_value_comes_out_escaped() {
    let bytes: Vec<u8> = (0x00..=0x1f).chain(0x7f..=0x9f).collect();
    for b in bytes {
        // As a raw byte, and for C1 also as its UTF-8 encoding (U+0080..U+009F).
        let mut variants = vec![vec![b]];
        if b >= 0x80 {
            variants.push(char::from(b).to_string().into_bytes());
        }
        for v in variants {
            let mut msg = b"GET / HTTP/1.1\r\nHost: x\r\nX-Test: a".to_vec();
            msg.extend_from_slice(&v);
            msg.extend_from_slice(b"z\r\n\r\n");
            for args in [
                vec!["parse", "-", "--color", "never"],
                vec!["parse", "-", "--color", "always"],
                vec!["parse", "-", "--format", "json"],
            ] {
                let out = httpdump()
                    .args(&args)
                    .write_stdin(msg.clone())
                    .output()
                    .unwrap();
                let text = String::from_utf8(out.stdout).expect("output is UTF-8");
                let what = format!("byte {b:#04x} as {v:02x?} with {args:?}");
                assert!(text.contains("X-Test"), "{what}: {text}");
                assert_no_raw_controls(&strip_sgr(&text), &what);
            }
        }
    }
}

#[test]
fn colour_only_when_asked() {
    let plain = stdout_of(&["parse", "fixtures/juejin-request.http"]);
    assert!(!plain.contains('\x1b'), "not a terminal: no colour");
    let colored = stdout_of(&["parse", "fixtures/juejin-request.http", "--color", "always"]);
    assert!(colored.contains("\x1b["), "--color always: colour");
    assert_eq!(strip_sgr(&colored), plain, "colour changes nothing else");
}

#[test]
fn width_is_honoured() {
    let text = stdout_of(&["parse", "fixtures/juejin-response.http", "--width", "60"]);
    for line in text.lines() {
        assert!(columns(line) <= 60, "too wide: {line}");
    }
}

/// Terminal columns of a line of ASCII, box drawing and ␍␊ marks (all one column wide).
fn columns(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.http");
    let one = std::fs::read("fixtures/exchange.http").unwrap();
    std::fs::write(&big, one.repeat(2000)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("httpdump");
    let script = format!(
        "set -o pipefail; '{}' parse '{}' | head -n 3",
        bin.display(),
        big.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "status {:?}, stderr {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn fixtures_readme_lists_every_fixture() {
    let readme = std::fs::read_to_string(Path::new("fixtures/README.md")).unwrap();
    for name in fixtures(".http").into_iter().chain(fixtures(".txt")) {
        assert!(
            readme.contains(&format!("`{name}`")),
            "fixtures/README.md does not list {name}"
        );
    }
}

#[test]
fn hex_packet_view_snapshot() {
    let text = stdout_of(&[
        "parse",
        "--hex",
        "fixtures/juejin-request.http",
        "--width",
        "100",
    ]);
    assert!(text.contains("       0  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1␍␊  #0 request line"), "{text}");
    insta::assert_snapshot!("hex-juejin-request", text);
    let text = stdout_of(&[
        "parse",
        "--hex",
        "fixtures/binary-response.http",
        "--width",
        "100",
    ]);
    insta::assert_snapshot!("hex-binary-response", text);
}

#[test]
fn hex_view_stays_inside_the_width() {
    for lang in ["en", "zh"] {
        for width in ["80", "90", "100"] {
            for name in [
                "juejin-response.http",
                "chunked-trailer.http",
                "binary-response.http",
            ] {
                let path = format!("fixtures/{name}");
                let text = stdout_of(&["parse", "--hex", "--lang", lang, "--width", width, &path]);
                let limit: usize = width.parse().unwrap();
                for line in text.lines() {
                    let w = unicode_width::UnicodeWidthStr::width(line);
                    assert!(w <= limit, "{lang} {width} {name}: {w} columns: {line}");
                }
            }
        }
    }
}

/// Chunk-size lines the RFC does not allow are errors, never silently read (issue 10,
/// item 12): parsers that disagree about them are a request-smuggling vector.
#[test]
fn loose_chunk_size_lines_are_errors() {
    let head = "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (size_line, code, text) in [
        (
            "5 ",
            "chunk-size-space",
            "whitespace at the end of a chunk-size line (allowed only before ';', RFC 9112 section 7.1)",
        ),
        (
            "5;",
            "bad-chunk-extension",
            "invalid chunk extension (expected ;name or ;name=value, RFC 9112 section 7.1.1)",
        ),
    ] {
        let input = format!("{head}{size_line}\r\nhello\r\n0\r\n\r\n");
        httpdump()
            .args(["parse", "-", "--width", "200", "--lang", "en"])
            .write_stdin(input.clone())
            .assert()
            .code(1)
            .stdout(predicate::str::contains(format!(
                "error: line 4, byte 59: {text}"
            )));
        let out = httpdump()
            .args(["parse", "-", "--format", "json", "--lang", "en"])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (&v["kind"], &v["code"], &v["line"], &v["offset"]),
            (&"error".into(), &code.into(), &4.into(), &59.into())
        );
        httpdump()
            .args(["parse", "-", "--width", "200", "--lang", "zh"])
            .write_stdin(input)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("块"));
    }
    // Whitespace before a `;` and around `=` is what the RFC allows.
    let input = format!("{head}5 ; name = value\r\nhello\r\n0\r\n\r\n");
    httpdump()
        .args(["parse", "-", "--format", "json"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"framing\":\"chunked\""));
}

//! Lints through the real binary: `diagnostics[].code` in JSON, and exit codes with and
//! without `--strict`.

use assert_cmd::Command;
use serde_json::Value;

/// Run `httpdump parse - --format json` on `input`; the exit code and every diagnostic code.
fn run(input: &[u8], extra: &[&str]) -> (i32, Vec<String>) {
    let out = Command::cargo_bin("httpdump")
        .unwrap()
        .env("LANG", "C")
        .args(["parse", "-", "--format", "json"])
        .args(extra)
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut codes = Vec::new();
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        for d in v["diagnostics"].as_array().into_iter().flatten() {
            codes.push(d["code"].as_str().unwrap().to_string());
        }
    }
    (out.status.code().unwrap(), codes)
}

#[test]
fn missing_host_is_an_error_and_fails() {
    let (code, codes) = run(b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", &[]);
    assert_eq!(codes, ["missing-host"]);
    assert_eq!(code, 1);
    let (code, codes) = run(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &[]);
    assert_eq!((code, codes), (0, vec![]));
}

#[test]
fn body_longer_than_content_length_is_reported_on_the_message() {
    let (code, codes) = run(
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello, world\r\n",
        &[],
    );
    assert_eq!(codes, ["content-length-mismatch"]);
    assert_eq!(code, 1);
    let (code, codes) = run(
        b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\nHello, world\r\n",
        &[],
    );
    assert_eq!((code, codes), (0, vec![]));
}

#[test]
fn smuggling_shape_is_flagged() {
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    let (_, codes) = run(input, &[]);
    assert_eq!(codes, ["transfer-encoding-with-content-length"]);
}

#[test]
fn warnings_fail_only_with_strict() {
    let folded = b"HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n";
    let (code, codes) = run(folded, &[]);
    assert_eq!(
        (code, codes.as_slice()),
        (0, ["obs-fold".to_string()].as_slice())
    );
    let (code, _) = run(folded, &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn notes_do_not_fail_even_with_strict() {
    let (code, codes) = run(
        b"get / HTTP/1.1\r\nHost: a\r\n\r\nBREW / HTTP/1.1\r\nHost: a\r\n\r\n",
        &[],
    );
    assert_eq!(codes, ["lowercase-method", "unknown-method"]);
    assert_eq!(
        code, 0,
        "lowercase-method is a warning, but only --strict fails on it"
    );
    let (code, _) = run(b"BREW / HTTP/1.1\r\nHost: a\r\n\r\n", &["--strict"]);
    assert_eq!(code, 0);
}

#[test]
fn table_output_shows_the_finding_under_the_table() {
    let out = Command::cargo_bin("httpdump")
        .unwrap()
        .env("LANG", "C")
        // Wide enough that the finding is not wrapped.
        .args(["parse", "-", "--width", "200", "--color", "never"])
        .write_stdin(&b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"[..])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("warning[length-on-bodiless-status] line 1, byte 25: a 204 response must not send Content-Length"),
        "{text}"
    );
}

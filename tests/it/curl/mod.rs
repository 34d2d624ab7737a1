//! `httpdump parse` on transcripts (issue 5): curl -v, --trace-ascii, HTTPie and xh output
//! from fixtures/curl/, read through the real binary; fields are checked in its JSON.
//! This file holds the helpers, the article's transcript and the command-line cases;
//! real captures and other tools' formats are in the modules below.

mod captures;
mod formats;
mod hostile;
mod pasted;

use assert_cmd::Command;
use serde_json::Value;

pub fn httpdump() -> Command {
    let mut cmd = Command::cargo_bin("httpdump").unwrap();
    cmd.env_remove("NO_COLOR").env("LANG", "C");
    cmd
}

/// The JSON objects `parse --format json` prints for a file, and its exit code.
pub fn json(args: &[&str]) -> (Vec<Value>, i32) {
    let out = httpdump()
        .args(["parse", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let values = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (values, out.status.code().unwrap())
}

/// The messages of a fixture that must parse cleanly.
pub fn messages(file: &str) -> Vec<Value> {
    let (values, code) = json(&[file]);
    assert_eq!(code, 0, "{file}: {values:#?}");
    values
}

pub fn fixture(name: &str) -> String {
    format!("fixtures/curl/{name}")
}

pub fn names(m: &Value) -> Vec<&str> {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect()
}

pub fn header<'a>(m: &'a Value, name: &str) -> &'a str {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"].as_str().unwrap().eq_ignore_ascii_case(name))
        .and_then(|h| h["value"].as_str())
        .unwrap_or_else(|| panic!("no {name} in {m}"))
}

pub fn codes(m: &Value) -> Vec<&str> {
    m["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

pub fn assert_request(m: &Value, method: &str, target: &str, version: &str, headers: &[&str]) {
    assert_eq!(m["kind"], "request", "{m}");
    assert_eq!(m["method"], method, "{m}");
    assert_eq!(m["target"], target, "{m}");
    assert_eq!(m["version"], version, "{m}");
    assert_eq!(names(m), headers, "{m}");
}

pub fn assert_response(m: &Value, version: &str, status: u64, reason: &str, headers: &[&str]) {
    assert_eq!(m["kind"], "response", "{m}");
    assert_eq!(m["version"], version, "{m}");
    assert_eq!(m["status"], status, "{m}");
    assert_eq!(m["reason"], reason, "{m}");
    assert_eq!(names(m), headers, "{m}");
}

pub fn body(m: &Value) -> &str {
    m["body"]["text"].as_str().unwrap()
}

const CURL_GET: [&str; 3] = ["Host", "User-Agent", "Accept"];
const CURL_POST: [&str; 5] = [
    "Host",
    "User-Agent",
    "Accept",
    "Content-Length",
    "Content-Type",
];
/// nginx's headers for a `return` (no file behind it).
const NGINX_RETURN: [&str; 5] = [
    "Server",
    "Date",
    "Content-Type",
    "Content-Length",
    "Connection",
];
/// nginx's headers for a static file.
const NGINX_FILE: [&str; 8] = [
    "Server",
    "Date",
    "Content-Type",
    "Content-Length",
    "Last-Modified",
    "Connection",
    "ETag",
    "Accept-Ranges",
];

/// The GET of `/` to local nginx that several captures hold, body shown.
pub fn assert_nginx_get(ms: &[Value], version: &str) {
    assert_eq!(ms.len(), 2, "{ms:#?}");
    assert_request(&ms[0], "GET", "/", version, &CURL_GET);
    assert_eq!(header(&ms[0], "User-Agent"), "curl/7.88.1");
    assert_eq!(header(&ms[0], "Host"), "127.0.0.1:18081");
    assert_response(&ms[1], "HTTP/1.1", 200, "OK", &NGINX_FILE);
    assert_eq!(body(&ms[1]), "Hello from nginx.\n");
    assert!(ms.iter().all(|m| m["source"] == "curl"));
}

#[test]
fn juejin_transcript_gives_the_articles_messages_byte_for_byte() {
    let out = httpdump()
        .args(["parse", "--format", "raw", "fixtures/juejin.txt"])
        .assert()
        .success();
    let mut expected = std::fs::read("fixtures/juejin-request.http").unwrap();
    expected.extend(std::fs::read("fixtures/juejin-response.http").unwrap());
    assert_eq!(out.get_output().stdout, expected);

    let ms = messages("fixtures/juejin.txt");
    assert_request(
        &ms[0],
        "GET",
        "/",
        "HTTP/1.1",
        &["User-Agent", "Host", "Accept"],
    );
    assert_eq!(header(&ms[0], "Host"), "juejin.cn");
    assert_response(
        &ms[1],
        "HTTP/1.1",
        301,
        "Moved Permanently",
        &["Server", "Date", "Content-Type", "Content-Length"],
    );
    assert_eq!(header(&ms[1], "Content-Length"), "262");
    assert_eq!(ms[1]["body"]["length"], 262);
    assert!(codes(&ms[0]).contains(&"transcript-no-cr"));
    // The request line is transcript line 5 (after the prompt and three notes).
    assert_eq!(ms[0]["lines"][0]["source_line"], 5);
    assert_eq!(ms[1]["lines"][0]["source_line"], 10);
}

#[test]
fn juejin_table_is_titled_with_the_command_and_address() {
    let out = httpdump()
        // Wide enough that the long title is not wrapped.
        .args(["parse", "--width", "200", "fixtures/juejin.txt"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("Request 1: GET / HTTP/1.1 "), "{first}");
    assert!(first.contains("$ curl -v http://juejin.cn"), "{first}");
    assert!(
        first.contains("juejin.cn (203.0.113.10) port 80"),
        "{first}"
    );
    assert!(text.contains("Response 2: 301 Moved Permanently"), "{text}");
    assert!(
        !text.contains("│ 0 ┆ request line ┆            ┆ *"),
        "{text}"
    );
}

#[test]
fn transcript_on_standard_input() {
    let transcript = std::fs::read(fixture("get-progress.txt")).unwrap();
    let out = httpdump()
        .args(["parse", "--format", "json", "-"])
        .write_stdin(transcript)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let ms: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_nginx_get(&ms, "HTTP/1.1");
}

#[test]
fn input_flag_forces_the_reading() {
    // Forced raw, a transcript is not HTTP: errors, exit 1.
    let (values, code) = json(&["--input", "raw", &fixture("get-s.txt")]);
    assert_eq!(code, 1);
    assert!(values.iter().any(|v| v["kind"] == "error"));
    // Forced curl reads it as auto does.
    let (ms, code) = json(&["--input", "curl", &fixture("get-s.txt")]);
    assert_eq!(code, 0);
    assert_nginx_get(&ms, "HTTP/1.1");
}

#[test]
fn text_that_is_neither_http_nor_a_transcript_is_refused() {
    let out = httpdump()
        .args(["parse", "fixtures/not-http.txt"])
        .assert()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("fixtures/not-http.txt"), "{err}");
    assert!(err.contains("not HTTP and not a transcript"), "{err}");
    assert!(err.contains("curl -v"), "{err}");
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn raw_input_is_still_raw() {
    let out = httpdump()
        .args(["parse", "--format", "json", "fixtures/juejin-request.http"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let m: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(m["source"], "raw");
}

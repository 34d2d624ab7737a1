//! `httpdump parse` on HAR files through the real binary: files in the shapes Chrome,
//! Firefox and other tools write (fixtures/har/), base64 bodies, HTTP/2 and HTTP/3
//! entries, and files that are cut off, not JSON or not a HAR.

use predicates::prelude::*;
use serde_json::Value;

use crate::parse_cli::{httpdump, json_of};

/// The HAR fixtures that hold whole, readable files.
const READABLE: [&str; 5] = ["chrome", "firefox", "other-tool", "base64", "http2"];

fn table_of(name: &str, lang: &str) -> String {
    let out = httpdump()
        .args(["parse", &format!("fixtures/har/{name}.har")])
        .args(["--width", "100", "--color", "never", "--lang", lang])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn har(name: &str) -> Vec<Value> {
    json_of(&[&format!("fixtures/har/{name}.har")])
}

fn codes(m: &Value) -> Vec<&str> {
    m["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn header_names(m: &Value) -> Vec<&str> {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect()
}

fn header<'a>(m: &'a Value, name: &str) -> Vec<&'a str> {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["name"].as_str().unwrap().eq_ignore_ascii_case(name))
        .map(|h| h["value"].as_str().unwrap())
        .collect()
}

#[test]
fn table_snapshots_of_every_har_fixture() {
    for name in READABLE {
        insta::assert_snapshot!(format!("har-{name}"), table_of(name, "en"));
    }
    insta::assert_snapshot!("har-zh-http2", table_of("http2", "zh"));
}

#[test]
fn every_readable_har_fixture_exits_0_and_the_others_1() {
    for name in READABLE {
        httpdump()
            .args(["parse", &format!("fixtures/har/{name}.har")])
            .assert()
            .code(0);
    }
    for name in ["truncated", "invalid", "not-har"] {
        httpdump()
            .args(["parse", &format!("fixtures/har/{name}.har")])
            .assert()
            .code(1);
    }
}

#[test]
fn chrome_entries_become_requests_and_responses_in_order() {
    let v = har("chrome");
    // Five entries; the last was blocked and has no response.
    let kinds: Vec<&str> = v.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "request", "response", "request", "response", "request", "response", "request",
            "response", "request"
        ]
    );
    for (i, m) in v.iter().enumerate() {
        assert_eq!(m["index"], i + 1);
        assert_eq!(m["source"], "har");
        assert_eq!(m["har"]["entry"], i / 2 + 1);
    }
    let req = &v[0];
    assert_eq!(req["method"], "GET");
    // Origin-form from the URL: path and query, the fragment dropped.
    assert_eq!(req["target"], "/lesson?id=3");
    assert_eq!(req["version"], "HTTP/1.1");
    assert_eq!(
        header_names(req),
        [
            "Host",
            "Connection",
            "Upgrade-Insecure-Requests",
            "User-Agent",
            "Accept",
            "Accept-Encoding",
            "Accept-Language"
        ],
        "the recorded order and case; Chrome recorded Host, so none is added"
    );
    assert_eq!(req["har"]["started"], "2024-03-05T10:15:30.123Z");
    assert_eq!(req["har"]["server_ip"], "127.0.0.1");
    assert_eq!(req["har"]["connection"], "5132");
    assert_eq!(req["har"]["timings"], Value::Null);
    assert_eq!(req["lines"][0]["ending"], "crlf");
    assert!(codes(req).is_empty(), "{:?}", codes(req));

    let res = &v[1];
    assert_eq!(res["status"], 200);
    assert_eq!(res["reason"], "OK");
    assert!(res["body"]["text"]
        .as_str()
        .unwrap()
        .contains("Hello, Destined Person."));
    assert_eq!(res["body"]["framing"], "content-length");
    let t = &res["har"]["timings"];
    assert_eq!(t["blocked"], 1.05);
    assert_eq!(t["dns"], 0.02);
    assert_eq!(t["ssl"], -1.0, "-1: not applicable, as recorded");
    assert_eq!(t["wait"], 2.41);
}

#[test]
fn chrome_gzip_chunked_upload_and_blocked_entries_say_what_was_changed() {
    let v = har("chrome");
    // The gzip stylesheet: HAR holds it decoded, so its Content-Length is set to that.
    let css = &v[3];
    assert_eq!(codes(css), ["har-body-decoded", "har-length-set"]);
    let length = css["body"]["length"].as_u64().unwrap();
    assert_eq!(header(css, "content-length"), [length.to_string()]);
    assert!(css["body"]["text"]
        .as_str()
        .unwrap()
        .starts_with("body { font"));

    // The form POST: the body as recorded in postData.text.
    assert_eq!(v[4]["method"], "POST");
    assert_eq!(v[4]["body"]["text"], "name=Ada+Lovelace&lesson=3");
    assert!(codes(&v[4]).is_empty());

    // The chunked answer: one chunk of the recorded body, headers untouched.
    let json = &v[5];
    assert_eq!(json["body"]["framing"], "chunked");
    assert_eq!(json["body"]["text"], "{\"saved\":true}");
    assert_eq!(codes(json), ["har-rechunked"]);
    assert_eq!(header(json, "transfer-encoding"), ["chunked"]);

    // The upload whose body Chrome did not keep: only the head, the size said.
    let upload = &v[6];
    assert_eq!(upload["body_shown"], false);
    assert_eq!(upload["body_hidden_bytes"], 20622);
    assert_eq!(codes(upload), ["har-body-not-recorded"]);
    assert_eq!(header(upload, "content-length"), ["20622"]);

    // Blocked by the client: no response, said on the request with Chrome's reason.
    let blocked = &v[8];
    assert_eq!(blocked["target"], "/ads.js");
    assert_eq!(
        codes(blocked),
        ["har-version-unknown", "har-host-added", "har-no-response"]
    );
    assert_eq!(header(blocked, "host"), ["127.0.0.1:8080"]);
    let no_response = blocked["diagnostics"][2]["message"].as_str().unwrap();
    assert!(
        no_response.contains("net::ERR_BLOCKED_BY_CLIENT"),
        "{no_response}"
    );
}

#[test]
fn the_title_says_the_message_was_rebuilt_from_har_with_its_facts() {
    let table = table_of("chrome", "en");
    assert!(table.contains("Request 1: GET /lesson?id=3 HTTP/1.1\n    rebuilt from HAR entry 1 (line endings and exact bytes are not recorded in a HAR)"), "{table}");
    assert!(table.contains("started 2024-03-05T10:15:30.123Z · server 127.0.0.1 · connection 5132"));
    assert!(table.contains("timings: blocked 1.05 ms, DNS 0.02 ms, connect 0.31 ms, TLS n/a, send 0.09 ms, wait 2.41 ms,"));
    assert!(table.contains("20622 bytes, not in the HAR"));
    let zh = table_of("chrome", "zh");
    assert!(
        zh.contains("由 HAR 第 1 条记录重建(HAR 不记录换行符和原始字节)"),
        "{zh}"
    );
    assert!(zh.contains("DNS 0.02 ms,连接 0.31 ms,TLS 不适用"), "{zh}");
}

#[test]
fn firefox_shapes_are_accepted() {
    let v = har("firefox");
    assert_eq!(v.len(), 8);
    // The redirect's body was not kept (`text` empty, `size` 169).
    assert_eq!(v[1]["status"], 301);
    assert_eq!(v[1]["body_hidden_bytes"], 169);
    // Firefox joins repeated Set-Cookie fields with a line feed: one field per line.
    let page = &v[3];
    assert_eq!(
        header(page, "set-cookie"),
        ["session=38afes7a8; Path=/; HttpOnly", "lang=en; Path=/"]
    );
    assert_eq!(codes(page), ["har-value-split"]);
    assert_eq!(v[2]["har"]["comment"], "the lesson page");
    assert_eq!(v[2]["har"]["connection"], "8080");
    // `content.size` -1 and no text: the length comes from Content-Length.
    assert_eq!(v[5]["body_hidden_bytes"], 67);
    // No postData.text: the body is rebuilt from the params, and matches the
    // recorded Content-Length.
    let form = &v[6];
    assert_eq!(form["body"]["text"], "name=Ada+Lovelace&lesson=3");
    assert_eq!(header(form, "content-length"), ["26"]);
    assert_eq!(codes(form), ["har-body-from-params"]);
    // Firefox's timings are whole milliseconds, 0 for steps that did not apply.
    assert_eq!(v[1]["har"]["timings"]["wait"], 1.0);
    assert_eq!(v[1]["har"]["timings"]["dns"], 0.0);
}

#[test]
fn other_tools_shapes_are_accepted() {
    let v = har("other-tool");
    assert_eq!(v.len(), 6);
    let put = &v[0];
    // No Host recorded: added from the URL, user info left out.
    assert_eq!(
        header_names(put),
        ["Host", "Content-Type", "Content-Length"]
    );
    assert_eq!(header(put, "host"), ["127.0.0.1:8080"]);
    assert_eq!(
        put["version"], "HTTP/1.1",
        "`http/1.1` as some tools write it"
    );
    assert_eq!(codes(put), ["har-host-added", "har-length-added"]);
    assert_eq!(put["body"]["text"], "remember the CRLF\n");
    assert_eq!(
        put["har"]["connection"], "42",
        "a number where HAR has a string"
    );
    // A URL with no path asks for `/`; a response to HEAD has no body.
    assert_eq!(v[2]["method"], "HEAD");
    assert_eq!(v[2]["target"], "/");
    assert_eq!(v[3]["body"]["framing"], "none");
    assert_eq!(header(&v[3], "content-length"), ["615"]);
    let t = &v[3]["har"]["timings"];
    assert_eq!((t["dns"].as_f64(), t["ssl"].as_f64()), (Some(-1.0), None));
    // An empty postData with bodySize 0 is no body; a status written as a string reads.
    assert_eq!(v[4]["method"], "DELETE");
    assert_eq!(v[4]["body"]["length"], 0);
    assert!(codes(&v[4]).is_empty(), "{:?}", codes(&v[4]));
    assert_eq!(v[5]["status"], 204);
}

#[test]
fn base64_bodies_are_decoded() {
    let v = har("base64");
    let raw = std::fs::read("fixtures/binary-response.http").unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let png = &raw[at..];
    let res = &v[1];
    assert_eq!(res["body"]["length"], png.len());
    assert_eq!(res["body"]["text"], Value::Null);
    use base64::Engine as _;
    let shown = base64::engine::general_purpose::STANDARD
        .decode(res["body"]["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(shown, png, "the PNG's bytes, decoded from content.text");
    assert!(codes(res).is_empty(), "{:?}", codes(res));
    assert_eq!(v[3]["body"]["text"], "{\"ok\":true,\"lesson\":3}");
    // Not base64 after all: a warning, and the text as recorded.
    let broken = &v[5];
    assert_eq!(broken["body"]["text"], "not base64!");
    assert_eq!(codes(broken), ["har-base64-invalid", "har-length-set"]);
    assert_eq!(broken["diagnostics"][0]["severity"], "warning");
    httpdump()
        .args(["parse", "--strict", "fixtures/har/base64.har"])
        .assert()
        .code(1);
}

#[test]
fn http2_and_http3_entries_are_labelled_and_keep_their_pseudo_headers() {
    let v = har("http2");
    let req = &v[0];
    assert_eq!(req["version"], "HTTP/2");
    assert_eq!(req["har"]["protocol"], "h2");
    assert_eq!(
        header_names(req),
        [
            ":authority",
            ":method",
            ":path",
            ":scheme",
            "accept",
            "accept-encoding",
            "user-agent"
        ]
    );
    // HTTP/2 has no Host line: none is added, and none is missed.
    assert_eq!(codes(req), ["har-http2"]);
    assert_eq!(v[1]["status"], 200);
    assert_eq!(v[1]["reason"], "");
    assert_eq!(v[1]["har"]["timings"]["ssl"], 20.3);
    assert_eq!(v[2]["version"], "HTTP/3");
    assert_eq!(v[2]["har"]["protocol"], "h3");
    assert_eq!(codes(&v[2]), ["har-http2", "har-length-added"]);
    // Firefox writes "HTTP/2".
    assert_eq!(v[4]["version"], "HTTP/2");
    assert_eq!(v[4]["har"]["protocol"], "HTTP/2");
    let table = table_of("http2", "en");
    assert!(table.contains("· sent as h2"), "{table}");
    assert!(
        table.contains("│ 1 ┆ header       ┆ :authority      ┆ www.example.org␍␊"),
        "{table}"
    );
}

#[test]
fn a_truncated_har_shows_the_entries_before_and_says_where_it_ends() {
    let text = std::fs::read_to_string("fixtures/har/truncated.har").unwrap();
    let last_line = text.lines().count();
    let last_column = text.lines().last().unwrap().chars().count();
    let out = httpdump()
        .args(["parse", "fixtures/har/truncated.har", "--width", "100"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("Request 1: GET /lesson?id=3 HTTP/1.1"),
        "{stdout}"
    );
    assert!(stdout.contains("Response 2: 200 OK"));
    assert!(!stdout.contains("Request 3"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "httpdump: fixtures/har/truncated.har: the HAR file ends too soon, at line {last_line}, column {last_column} (cut off?): EOF while parsing a value\n"
        )
    );
}

#[test]
fn invalid_json_and_json_that_is_no_har_are_named_with_their_place() {
    // Line 7 holds `statusText` without quotes; serde_json stops after reading it.
    let text = std::fs::read_to_string("fixtures/har/invalid.har").unwrap();
    let line7 = text.lines().nth(6).unwrap();
    let column = line7.find("statusText").unwrap() + 1;
    httpdump()
        .args(["parse", "fixtures/har/invalid.har"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "httpdump: fixtures/har/invalid.har: not valid JSON at line 7, column {column}: key must be a string\n"
        ));
    httpdump()
        .args(["parse", "fixtures/har/not-har.har"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a HAR file: no log.entries"));
    httpdump()
        .args(["parse", "--lang", "zh", "fixtures/har/invalid.har"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("第 7 行第"));
    // The wrong kind of value where HAR has an object: the place, and what was expected.
    httpdump()
        .args(["parse", "-"])
        .write_stdin("{\"log\": {\"entries\": [{\"request\": 7}]}}")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "not the shape of a HAR at line 1, column 35: invalid type: integer `7`, expected struct Request",
        ));
    httpdump()
        .args(["parse", "-"])
        .write_stdin("{\"log\": {\"entries\": []}}")
        .assert()
        .code(1)
        .stderr("httpdump: -: the HAR file holds no entries: nothing to show\n");
}

#[test]
fn a_har_is_told_by_its_content_and_can_be_forced() {
    let file = std::fs::read("fixtures/har/chrome.har").unwrap();
    let auto = httpdump()
        .args(["parse", "--format", "json", "-"])
        .write_stdin(file.clone())
        .output()
        .unwrap();
    let forced = httpdump()
        .args(["parse", "--format", "json", "--input", "har", "-"])
        .write_stdin(file)
        .output()
        .unwrap();
    assert_eq!(auto.stdout, forced.stdout);
    assert_eq!(String::from_utf8_lossy(&auto.stdout).lines().count(), 9);
    // Forced on raw HTTP, it says the file is not JSON, and where.
    httpdump()
        .args(["parse", "--input", "har", "fixtures/juejin-request.http"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "not valid JSON at line 1, column 1",
        ));
    // Blank lines and a byte-order mark before the object are fine.
    let mut padded = b"\xef\xbb\xbf\n\n  ".to_vec();
    padded.extend_from_slice(&std::fs::read("fixtures/har/other-tool.har").unwrap());
    httpdump()
        .args(["parse", "-"])
        .write_stdin(padded)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Request 1: PUT /notes/7 HTTP/1.1"));
}

#[test]
fn a_closed_pipe_stops_a_har_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.har");
    let chrome: Value =
        serde_json::from_str(&std::fs::read_to_string("fixtures/har/chrome.har").unwrap()).unwrap();
    let entry = chrome["log"]["entries"][0].to_string();
    let entries = vec![entry; 2000].join(",");
    std::fs::write(&big, format!("{{\"log\":{{\"entries\":[{entries}]}}}}")).unwrap();
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

//! `httpdump parse` on transcripts (issue 5): curl -v, --trace-ascii, HTTPie and xh output
//! from fixtures/curl/, read through the real binary; fields are checked in its JSON.

use assert_cmd::Command;
use serde_json::Value;

fn httpdump() -> Command {
    let mut cmd = Command::cargo_bin("httpdump").unwrap();
    cmd.env_remove("NO_COLOR").env("LANG", "C");
    cmd
}

/// The JSON objects `parse --format json` prints for a file, and its exit code.
fn json(args: &[&str]) -> (Vec<Value>, i32) {
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
fn messages(file: &str) -> Vec<Value> {
    let (values, code) = json(&[file]);
    assert_eq!(code, 0, "{file}: {values:#?}");
    values
}

fn fixture(name: &str) -> String {
    format!("fixtures/curl/{name}")
}

fn names(m: &Value) -> Vec<&str> {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect()
}

fn header<'a>(m: &'a Value, name: &str) -> &'a str {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"].as_str().unwrap().eq_ignore_ascii_case(name))
        .and_then(|h| h["value"].as_str())
        .unwrap_or_else(|| panic!("no {name} in {m}"))
}

fn codes(m: &Value) -> Vec<&str> {
    m["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn assert_request(m: &Value, method: &str, target: &str, version: &str, headers: &[&str]) {
    assert_eq!(m["kind"], "request", "{m}");
    assert_eq!(m["method"], method, "{m}");
    assert_eq!(m["target"], target, "{m}");
    assert_eq!(m["version"], version, "{m}");
    assert_eq!(names(m), headers, "{m}");
}

fn assert_response(m: &Value, version: &str, status: u64, reason: &str, headers: &[&str]) {
    assert_eq!(m["kind"], "response", "{m}");
    assert_eq!(m["version"], version, "{m}");
    assert_eq!(m["status"], status, "{m}");
    assert_eq!(m["reason"], reason, "{m}");
    assert_eq!(names(m), headers, "{m}");
}

fn body(m: &Value) -> &str {
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
fn assert_nginx_get(ms: &[Value], version: &str) {
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
    assert!(text.contains("Response 1: 301 Moved Permanently"), "{text}");
    assert!(
        !text.contains("│ 0 ┆ request line ┆            ┆ *"),
        "{text}"
    );
}

#[test]
fn silent_get_with_body_after_left_intact() {
    let ms = messages(&fixture("get-s.txt"));
    assert_nginx_get(&ms, "HTTP/1.1");
    assert_eq!(ms[0]["lines"][0]["source_line"], 3);
    assert_eq!(ms[1]["lines"][10]["part"], "body");
    assert_eq!(ms[1]["lines"][10]["source_line"], 20);
}

#[test]
fn progress_meter_is_stripped() {
    assert_nginx_get(&messages(&fixture("get-progress.txt")), "HTTP/1.1");
}

#[test]
fn trace_time_and_vv_read_like_v() {
    assert_nginx_get(&messages(&fixture("trace-time.txt")), "HTTP/1.1");
    assert_nginx_get(&messages(&fixture("vv.txt")), "HTTP/1.1");
}

#[test]
fn terminal_copies_give_the_same_bytes_as_the_saved_transcript() {
    let raw = |file: &str| {
        httpdump()
            .args(["parse", "--format", "raw", &fixture(file)])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let saved = raw("get-s.txt");
    assert_eq!(raw("terminal-no-cr.txt"), saved);
    assert_eq!(raw("crcrlf.txt"), saved);
    let no_cr = messages(&fixture("terminal-no-cr.txt"));
    assert_nginx_get(&no_cr, "HTTP/1.1");
    assert!(codes(&no_cr[1]).contains(&"transcript-no-cr"));
    let crcrlf = messages(&fixture("crcrlf.txt"));
    assert!(codes(&crcrlf[0]).contains(&"transcript-crcrlf"));
}

#[test]
fn body_not_in_the_transcript_is_counted_not_shown() {
    let ms = messages(&fixture("get-stderr-only.txt"));
    assert_response(&ms[1], "HTTP/1.1", 200, "OK", &NGINX_FILE);
    assert_eq!(ms[1]["body_shown"], false);
    assert_eq!(ms[1]["body_hidden_bytes"], 18);
    assert_eq!(ms[1]["body"]["length"], 0);
    assert!(ms[0].get("body_shown").is_none());
    let table = httpdump()
        .args(["parse", "--width", "100", &fixture("get-stderr-only.txt")])
        .assert()
        .success();
    let text = String::from_utf8(table.get_output().stdout.clone()).unwrap();
    assert!(text.contains("18 bytes, not shown by curl"), "{text}");
}

#[test]
fn follow_redirect() {
    let ms = messages(&fixture("redirect-follow.txt"));
    assert_eq!(ms.len(), 4);
    assert_request(&ms[0], "GET", "/old", "HTTP/1.1", &CURL_GET);
    assert_response(
        &ms[1],
        "HTTP/1.1",
        301,
        "Moved Permanently",
        &[
            "Server",
            "Date",
            "Content-Type",
            "Content-Length",
            "Location",
            "Connection",
        ],
    );
    assert_eq!(
        header(&ms[1], "Location"),
        "http://127.0.0.1:18081/index.html"
    );
    assert_eq!(ms[1]["body_hidden_bytes"], 169);
    assert_request(&ms[2], "GET", "/index.html", "HTTP/1.1", &CURL_GET);
    assert_response(&ms[3], "HTTP/1.1", 200, "OK", &NGINX_FILE);
    assert_eq!(body(&ms[3]), "Hello from nginx.\n");
}

#[test]
fn post_form_body_is_counted() {
    let ms = messages(&fixture("post-form.txt"));
    assert_request(&ms[0], "POST", "/post", "HTTP/1.1", &CURL_POST);
    assert_eq!(
        header(&ms[0], "Content-Type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(ms[0]["body_shown"], false);
    assert_eq!(ms[0]["body_hidden_bytes"], 16);
    assert_response(&ms[1], "HTTP/1.1", 200, "OK", &NGINX_RETURN);
    assert_eq!(body(&ms[1]), "got it\n");
}

#[test]
fn continue_before_the_final_response() {
    let ms = messages(&fixture("post-100-continue.txt"));
    assert_eq!(ms.len(), 3);
    assert_eq!(header(&ms[0], "Expect"), "100-continue");
    assert_response(&ms[1], "HTTP/1.1", 100, "Continue", &[]);
    assert_eq!(ms[1]["lines"][1]["part"], "blank-line");
    assert_response(&ms[2], "HTTP/1.1", 200, "OK", &NGINX_RETURN);
    assert_eq!(body(&ms[2]), "got it\n");
}

#[test]
fn head_response_has_no_body_and_the_printed_copy_is_left_out() {
    let ms = messages(&fixture("head.txt"));
    assert_eq!(ms.len(), 2);
    assert_request(&ms[0], "HEAD", "/", "HTTP/1.1", &CURL_GET);
    assert_response(&ms[1], "HTTP/1.1", 200, "OK", &NGINX_FILE);
    assert_eq!(ms[1]["body"]["framing"], "none");
    assert!(ms[1].get("body_shown").is_none());
}

#[test]
fn not_found_with_html_body() {
    let ms = messages(&fixture("not-found.txt"));
    assert_request(&ms[0], "GET", "/missing", "HTTP/1.1", &CURL_GET);
    assert_response(&ms[1], "HTTP/1.1", 404, "Not Found", &NGINX_RETURN);
    assert!(body(&ms[1]).starts_with("<html>\r\n<head><title>404 Not Found</title>"));
    assert_eq!(ms[1]["body"]["length"], 153);
}

#[test]
fn chunked_body_is_shown_as_one_chunk() {
    let ms = messages(&fixture("chunked.txt"));
    assert_request(&ms[0], "GET", "/chunked", "HTTP/1.1", &CURL_GET);
    assert_response(
        &ms[1],
        "HTTP/1.1",
        200,
        "OK",
        &["Server", "Content-Type", "Transfer-Encoding"],
    );
    assert_eq!(ms[1]["body"]["framing"], "chunked");
    assert_eq!(body(&ms[1]), "Hello, chunked world.\n");
}

#[test]
fn decoded_body_is_not_passed_off_as_the_wire_body() {
    let ms = messages(&fixture("gzip-chunked.txt"));
    assert_eq!(header(&ms[0], "Accept-Encoding"), "deflate, gzip, br, zstd");
    assert_eq!(header(&ms[1], "Content-Encoding"), "gzip");
    assert_eq!(ms[1]["body_shown"], false);
    assert_eq!(ms[1]["body_hidden_bytes"], 45);
    assert_eq!(ms[1]["printed_body"], "chunked hello\n");
    assert!(codes(&ms[1]).contains(&"transcript-body-decoded"));
}

#[test]
fn two_urls_on_one_reused_connection() {
    let ms = messages(&fixture("two-urls-reuse.txt"));
    assert_eq!(ms.len(), 4);
    assert_request(&ms[0], "GET", "/", "HTTP/1.1", &CURL_GET);
    assert_eq!(body(&ms[1]), "Hello from nginx.\n");
    assert_request(&ms[2], "GET", "/index.html", "HTTP/1.1", &CURL_GET);
    assert_response(&ms[3], "HTTP/1.1", 200, "OK", &NGINX_FILE);
    assert_eq!(body(&ms[3]), "Hello from nginx.\n");
    assert_eq!(ms[3]["index"], 4);
}

#[test]
fn no_content() {
    let ms = messages(&fixture("no-content.txt"));
    assert_request(&ms[0], "GET", "/empty", "HTTP/1.1", &CURL_GET);
    assert_response(
        &ms[1],
        "HTTP/1.1",
        204,
        "No Content",
        &["Server", "Date", "Connection"],
    );
    assert_eq!(ms[1]["body"]["framing"], "none");
}

#[test]
fn http_1_0_request() {
    let ms = messages(&fixture("http10.txt"));
    assert_request(&ms[0], "GET", "/", "HTTP/1.0", &CURL_GET);
    assert_eq!(body(&ms[1]), "Hello from nginx.\n");
}

#[test]
fn trace_ascii_holds_both_bodies() {
    let ms = messages(&fixture("trace-ascii.txt"));
    assert_request(&ms[0], "POST", "/post", "HTTP/1.1", &CURL_POST);
    assert_eq!(body(&ms[0]), "name=ada");
    assert!(ms[0].get("body_shown").is_none());
    assert_response(&ms[1], "HTTP/1.1", 200, "OK", &NGINX_RETURN);
    // --trace-ascii prints the final LF as '.'.
    assert_eq!(body(&ms[1]), "got it.");
    assert_eq!(ms[0]["lines"][0]["source_line"], 4);
}

#[test]
fn trace_hex_gives_exact_bytes() {
    assert_nginx_get(&messages(&fixture("trace-hex.txt")), "HTTP/1.1");
}

#[test]
fn http2_is_labelled_http2() {
    let ms = messages(&fixture("http2.txt"));
    assert_request(
        &ms[0],
        "GET",
        "/",
        "HTTP/2",
        &["Host", "user-agent", "accept"],
    );
    assert_response(
        &ms[1],
        "HTTP/2",
        200,
        "",
        &[
            "server",
            "date",
            "content-type",
            "content-length",
            "last-modified",
            "etag",
            "accept-ranges",
        ],
    );
    assert_eq!(body(&ms[1]), "Hello from nginx.\n");
    let table = httpdump()
        .args(["parse", "--width", "100", &fixture("http2.txt")])
        .assert()
        .success();
    let text = String::from_utf8(table.get_output().stdout.clone()).unwrap();
    let title = text.lines().find(|l| l.starts_with("Response 1:")).unwrap();
    assert!(title.contains("HTTP/2"), "{title}");
    assert!(!text.contains("HTTP/1.1"), "{text}");
    assert!(text.contains("binary frames"), "{text}");
}

#[test]
fn curl8_http2_with_prompt() {
    let ms = messages(&fixture("curl8-http2.txt"));
    assert_request(&ms[0], "GET", "/api", "HTTP/2", &CURL_GET);
    assert_eq!(header(&ms[0], "User-Agent"), "curl/8.5.0");
    assert_response(
        &ms[1],
        "HTTP/2",
        200,
        "",
        &["content-type", "content-length", "date"],
    );
    assert_eq!(body(&ms[1]), "{\"ok\": true}");
}

#[test]
fn truncated_transcript_gives_what_it_has() {
    let ms = messages(&fixture("truncated.txt"));
    assert_eq!(ms.len(), 2);
    assert_request(&ms[0], "GET", "/", "HTTP/1.1", &CURL_GET);
    assert_response(&ms[1], "HTTP/1.1", 200, "OK", &["Server", "Date"]);
    assert!(codes(&ms[1]).contains(&"transcript-truncated"), "{}", ms[1]);
}

#[test]
fn curl8_verbose_with_body_glued_to_a_note() {
    let ms = messages(&fixture("curl8-verbose.txt"));
    assert_request(&ms[0], "GET", "/hello", "HTTP/1.1", &CURL_GET);
    assert_response(
        &ms[1],
        "HTTP/1.1",
        200,
        "OK",
        &["Content-Type", "Content-Length"],
    );
    assert_eq!(body(&ms[1]), "hello");
}

#[test]
fn curl8_vv_with_times_and_transfer_ids() {
    let ms = messages(&fixture("curl8-vv.txt"));
    assert_request(&ms[0], "POST", "/form", "HTTP/1.1", &CURL_POST);
    assert_eq!(ms[0]["body_hidden_bytes"], 8);
    assert_response(
        &ms[1],
        "HTTP/1.1",
        404,
        "Not Found",
        &["Content-Type", "Content-Length"],
    );
    assert_eq!(ms[1]["body_hidden_bytes"], 22);
}

#[test]
fn httpie_output() {
    let ms = messages(&fixture("httpie.txt"));
    assert_request(
        &ms[0],
        "POST",
        "/items",
        "HTTP/1.1",
        &[
            "Accept",
            "Accept-Encoding",
            "Connection",
            "Content-Length",
            "Content-Type",
            "Host",
            "User-Agent",
        ],
    );
    assert_eq!(body(&ms[0]), "{\"name\": \"ada\"}");
    assert_response(
        &ms[1],
        "HTTP/1.1",
        201,
        "Created",
        &["Content-Length", "Content-Type", "Date", "Server"],
    );
    assert_eq!(body(&ms[1]), "{\"id\": 7, \"name\": \"ada\"}");
    assert!(ms.iter().all(|m| m["source"] == "httpie"));
}

#[test]
fn xh_output() {
    let ms = messages(&fixture("xh.txt"));
    assert_request(
        &ms[0],
        "GET",
        "/hello",
        "HTTP/1.1",
        &[
            "Accept",
            "Accept-Encoding",
            "Connection",
            "Host",
            "User-Agent",
        ],
    );
    assert_response(
        &ms[1],
        "HTTP/1.1",
        200,
        "OK",
        &["content-length", "content-type", "date"],
    );
    assert_eq!(body(&ms[1]), "hello\n");
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

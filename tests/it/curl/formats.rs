//! Transcripts in formats this machine's curl does not print: HTTP/2, curl 8.x -v and
//! -vv, a truncated capture, HTTPie and xh.

use super::*;

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
    let title = text.lines().find(|l| l.starts_with("Response 2:")).unwrap();
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

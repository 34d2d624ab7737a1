//! Transcripts captured on this machine with curl 7.88.1 against local nginx and a small
//! Python server: -v, -s, progress meter, -L, POST, HEAD, 404, chunked, 204, --http1.0,
//! --trace-ascii and --trace.

use super::*;

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
    // The copy ends the transcript with its blank line: still known as the head's copy.
    assert!(
        codes(&ms[1]).contains(&"transcript-head-repeated"),
        "{}",
        ms[1]
    );
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

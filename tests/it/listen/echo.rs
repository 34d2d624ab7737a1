//! `--echo` by content negotiation: the same request as a page, as JSON or as the table,
//! with headers that say which; hostile bytes stay text on the page.

use super::*;

/// The head and body of a curl reply.
fn split(out: &std::process::Output) -> (String, Vec<u8>) {
    let bytes = &out.stdout;
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    (text(&bytes[..end + 2]), bytes[end + 4..].to_vec())
}

#[test]
fn echo_answers_in_the_form_accept_asks_for() {
    let server = Server::start(&["--echo"]);
    let url = server.url("/form?x=1");
    for (accept, content_type) in [
        ("text/html,*/*;q=0.8", "text/html; charset=utf-8"),
        ("application/json", "application/json"),
        ("*/*", "text/plain; charset=utf-8"),
        ("text/html;q=0, */*", "text/plain; charset=utf-8"),
    ] {
        let out = curl(&["-i", "-H", &format!("Accept: {accept}"), &url]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (head, body) = split(&out);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(
            head.contains(&format!("\r\nContent-Type: {content_type}\r\n")),
            "{accept}: {head}"
        );
        assert!(head.contains("\r\nVary: Accept\r\n"), "{head}");
        assert!(
            head.contains(&format!("\r\nContent-Length: {}\r\n", body.len())),
            "{head}"
        );
        let body = text(&body);
        match content_type {
            "text/html; charset=utf-8" => {
                assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
                assert!(body.contains("/form?x=1"), "{body}");
                assert!(head.contains("\r\nContent-Security-Policy: default-src 'none'"));
            }
            "application/json" => {
                let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(json["target"], "/form?x=1");
                assert_eq!(json["headers"][2]["value"], accept);
            }
            _ => assert!(body.contains("GET /form?x=1 HTTP/1.1␍␊"), "{body}"),
        }
    }
    server.stop();
}

#[test]
fn hostile_values_stay_text_on_the_page() {
    let server = Server::start(&["--echo"]);
    // Few enough control bytes that the body is shown as text, not as hex.
    let body = "\x1b[2J <b>bold</b>: this body would clear a terminal it reached raw";
    let request = format!(
        "POST /<script>?a=\"'&b HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nX-Evil: <script>alert('x')</script> \"q\" \u{202e}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = server.connect();
    stream.write_all(request.as_bytes()).unwrap();
    let reply = read_response(&mut stream);
    let page = text(&reply);
    assert!(
        page.contains("Content-Type: text/html; charset=utf-8\r\n"),
        "{page}"
    );
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert!(!page.contains("<b>"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;q&quot;"),
        "{page}"
    );
    assert!(page.contains("\\x1b"), "{page}");
    assert!(page.contains("\\u{202e}"), "{page}");
    let raw: Vec<u8> = reply
        .iter()
        .copied()
        .filter(|&b| b < 0x20 && !matches!(b, b'\r' | b'\n') || b == 0x7f)
        .collect();
    assert!(raw.is_empty(), "raw control bytes in the reply: {raw:?}");
    assert!(!page.contains('\u{202e}'));

    // ESC in a header is refused before any page is made; the refusal carries no ESC.
    let mut stream = server.connect();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nX-Evil: \x1b[2J\r\n\r\n")
        .unwrap();
    let reply = read_to_close(&mut stream);
    assert!(reply.starts_with(b"HTTP/1.1 400 "), "{}", text(&reply));
    assert!(!reply.contains(&0x1b), "{}", text(&reply));
    server.stop();
}

#[test]
fn the_echo_to_head_is_shown_without_a_body() {
    let server = Server::start(&["--echo", "--show-response"]);
    let mut stream = server.connect();
    stream
        .write_all(b"HEAD /h HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n")
        .unwrap();
    let reply = text(&read_to_close(&mut stream));
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    assert!(
        reply.ends_with("\r\n\r\n"),
        "a body after the head: {reply}"
    );
    assert!(reply.contains("Content-Type: text/html"), "{reply}");
    let stopped = server.stop();
    assert!(!stopped.stderr.contains("panicked"), "{}", stopped.stderr);
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 2, "{}", stopped.stdout);
    assert!(titles[1].starts_with("Response 1: 200 OK · "), "{titles:?}");
}

//! Other protocols sent to `listen`: `curl https://` (TLS) and
//! `curl --http2-prior-knowledge` (the HTTP/2 preface) are named in one line each,
//! instead of a table of garbled bytes.

use super::*;

const TLS_LINE: &str = "this is TLS (encrypted), not plain HTTP: the client used https://, \
                        but httpdump speaks plain HTTP; use http://";
const H2_LINE: &str = "this is the HTTP/2 connection preface (PRI * HTTP/2.0): httpdump speaks \
                       HTTP/1.x only; send HTTP/1.1 (curl: without --http2-prior-knowledge)";

#[test]
fn curl_https_to_the_plain_server_is_named_as_tls() {
    let server = Server::start(&[]);
    let url = format!("https://{}/", server.addr);
    let out = curl(&["-k", &url]);
    assert!(!out.status.success(), "curl https:// cannot succeed");
    let stopped = server.stop();
    let stdout = &stopped.stdout;
    assert!(
        stdout.contains(&format!("error: line 0, byte 0: {TLS_LINE}\n")),
        "{stdout}"
    );
    // No table of the ClientHello's bytes, and no answer: none could reach the client.
    assert!(!stdout.contains('┌'), "{stdout}");
    assert!(!stdout.contains("\\x16"), "{stdout}");
    assert!(!stdout.contains("answered"), "{stdout}");
    assert_eq!(titles(stdout).len(), 1, "{stdout}");
}

#[test]
fn tls_is_named_in_chinese_too() {
    let server = Server::start(&["--lang", "zh"]);
    let url = format!("https://{}/", server.addr);
    curl(&["-k", &url]);
    let stopped = server.stop();
    assert!(
        stopped.stdout.contains(
            "这是 TLS(加密数据),不是明文 HTTP:客户端用了 https://,而 httpdump 只讲明文 HTTP;请改用 http://"
        ),
        "{}",
        stopped.stdout
    );
}

#[test]
fn the_http2_preface_is_answered_505_and_named() {
    let server = Server::start(&[]);
    let out = curl(&["--http2-prior-knowledge", &server.url("/")]);
    assert!(!out.status.success());
    // Seen on the wire: the preface gets a plain 505 that says why.
    let mut stream = server.connect();
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .unwrap();
    let reply = text(&read_to_close(&mut stream));
    assert!(
        reply.starts_with("HTTP/1.1 505 HTTP Version Not Supported\r\n"),
        "{reply}"
    );
    assert!(reply.ends_with(&format!("\r\n\r\n{H2_LINE}\n")), "{reply}");
    let stopped = server.stop();
    let stdout = &stopped.stdout;
    assert_eq!(
        stdout
            .matches(&format!("error: line 0, byte 0: {H2_LINE}\n"))
            .count(),
        2,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .matches("(answered 505 HTTP Version Not Supported)")
            .count(),
        2,
        "{stdout}"
    );
    assert!(!stdout.contains('┌'), "{stdout}");
}

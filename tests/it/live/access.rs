//! Who may open the page: a token beyond loopback, none on it; the page's CSP allows only
//! its own script; `--lang zh` gives the Chinese page.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use super::{page_addr, send_raw, start, WAIT};
use crate::listen::curl;

#[test]
fn the_page_follows_lang() {
    let (server, url) = start(&["--live", "0", "--lang", "zh"]);
    let page = curl(&[&url]);
    let page = String::from_utf8_lossy(&page.stdout).into_owned();
    assert!(page.contains("<html lang=\"zh-CN\">"), "{page}");
    assert!(page.contains(">暂停</button>"), "{page}");
    assert!(page.contains("筛选:方法、路径或状态码"), "{page}");
    server.stop();
}

#[test]
fn the_page_allows_only_its_own_script() {
    let (server, url) = start(&["--live", "0"]);
    let out = curl(&["-D", "-", "-o", "/dev/null", &url]);
    let head = String::from_utf8_lossy(&out.stdout).to_lowercase();
    let csp = head
        .lines()
        .find_map(|l| l.strip_prefix("content-security-policy: "))
        .unwrap_or_else(|| panic!("no CSP: {head}"));
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    server.stop();
}

/// The status line of a GET for `path` on the page listener.
fn status_of(addr: SocketAddr, path: &str) -> String {
    let reply = send_raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    reply.lines().next().unwrap_or("").to_string()
}

#[test]
fn a_page_bound_wide_needs_its_token_and_loopback_does_not() {
    let (server, url) = start(&["--live", "0.0.0.0:0"]);
    let (base, token) = url.split_once("/?token=").expect("a token in the link");
    assert!(base.starts_with("http://0.0.0.0:"), "{url}");
    assert_eq!(token.len(), 32, "{token}");
    assert!(server.next_stderr_line().contains("share this link only"));
    let port = page_addr(&format!("{base}/")).port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    for path in ["/", "/events", "/?token=", "/events?token=0123"] {
        assert_eq!(status_of(addr, path), "HTTP/1.1 403 Forbidden", "{path}");
    }
    assert_eq!(
        status_of(addr, &format!("/?token={token}")),
        "HTTP/1.1 200 OK"
    );
    let mut events = TcpStream::connect(addr).unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        events,
        "GET /events?token={token} HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 64];
    events.read_exact(&mut head).unwrap();
    assert!(head.starts_with(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"));
    drop(events);
    server.stop();

    let (server, url) = start(&["--live", "0"]);
    assert!(!url.contains("token"), "{url}");
    let addr = page_addr(&url);
    assert_eq!(status_of(addr, "/"), "HTTP/1.1 200 OK");
    assert_eq!(status_of(addr, "/nothing"), "HTTP/1.1 404 Not Found");
    server.stop();
}

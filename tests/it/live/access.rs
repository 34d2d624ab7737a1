//! Who may open the page: a token beyond loopback, none on it; the page's CSP allows only
//! its own script; `--lang zh` gives the Chinese page.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::{guarded_by_token, page_addr, start, status_of, WAIT};
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

#[test]
fn a_page_bound_wide_needs_its_token_and_loopback_does_not() {
    let (server, url) = start(&["--live", "0.0.0.0:0"]);
    assert!(server.next_stderr_line().contains("share this link only"));
    let (addr, token) = guarded_by_token(&url);
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

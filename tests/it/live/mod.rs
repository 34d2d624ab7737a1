//! `listen --live` through the real binary: the projector page in headless chromium
//! (over its DevTools pipe) while curl and a hostile raw socket talk to the main listener
//! (page.rs); the token, the CSP and the language (access.rs); a stalled viewer under
//! 10,000 requests and fifty viewers at once (load.rs). This file holds the harness.

mod access;
mod load;
pub(crate) mod page;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::browser::CHROMIUM;
use crate::devtools::Browser;
use crate::listen::Server;

pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// Start `listen` with a live page; returns the server and the page's link.
fn start(args: &[&str]) -> (Server, String) {
    let server = Server::start(args);
    let line = server.next_stderr_line();
    // "live page on http://..." (or its Chinese).
    let at = line
        .find("http://")
        .unwrap_or_else(|| panic!("third stderr line: {line:?}"));
    let url = line[at..].to_string();
    (server, url)
}

pub(crate) fn page_addr(url: &str) -> SocketAddr {
    let rest = url.strip_prefix("http://").unwrap();
    rest[..rest.find('/').unwrap()].parse().unwrap()
}

/// What the page shows, read from its DOM: each card (newest first) with its status
/// chip, method, whether it is marked latest, and each table's rows as cell texts.
const CARDS: &str = r#"[...document.querySelectorAll('#list > .exchange')].map(card => ({
  chip: card.querySelector('.chip').textContent,
  latest: card.classList.contains('latest'),
  hidden: card.hidden,
  titles: [...card.querySelectorAll('article h2')].map(h => h.textContent),
  rows: [...card.querySelectorAll('article.r-request table.anatomy tr.row')]
    .map(tr => [...tr.cells].map(td => td.textContent)),
  hex: card.querySelectorAll('details.bytes table.hex').length,
}))"#;

/// The status line of a GET for `path` on the page listener.
pub(crate) fn status_of(addr: SocketAddr, path: &str) -> String {
    let reply = send_raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    reply.lines().next().unwrap_or("").to_string()
}

/// For a page bound wide, whose link is `url`: the link carries a token of 32 characters,
/// and without it the page and its events answer 403, with it the page 200. Returns the
/// page's loopback address and the token.
pub(crate) fn guarded_by_token(url: &str) -> (SocketAddr, String) {
    let (base, token) = url.split_once("/?token=").expect("a token in the link");
    assert!(base.starts_with("http://0.0.0.0:"), "{url}");
    assert_eq!(token.len(), 32, "{token}");
    let port = page_addr(&format!("{base}/")).port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    for path in ["/", "/events", "/?token=", "/events?token=0123"] {
        assert_eq!(status_of(addr, path), "HTTP/1.1 403 Forbidden", "{path}");
    }
    assert_eq!(
        status_of(addr, &format!("/?token={token}")),
        "HTTP/1.1 200 OK"
    );
    (addr, token.to_string())
}

pub(crate) fn send_raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(bytes).unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).into_owned()
}

/// Chromium with the page at `url` loaded and its event stream open.
pub(crate) fn open_page(url: &str, size: (u32, u32)) -> Browser {
    let mut browser = Browser::start(CHROMIUM, size);
    browser.load(url);
    browser.wait_for(
        "document.getElementById('state').classList.contains('on')",
        WAIT,
        "the event stream is open",
        "document.getElementById('state').outerHTML",
    );
    browser
}

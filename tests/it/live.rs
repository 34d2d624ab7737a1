//! `listen --live`: the projector page in a real browser (headless chromium over its
//! DevTools pipe) while curl and a hostile raw socket talk to the main listener; the
//! token beyond loopback; a stalled viewer under 10,000 requests; many viewers at once.
//! Set HTTPDUMP_SAVE_SCREENSHOT_LIVE=docs/img/live-page.png to keep the screenshot.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::browser::CHROMIUM;
use crate::devtools::Browser;
use crate::listen::{curl, Server};

const WAIT: Duration = Duration::from_secs(30);

/// The hostile request: probes in the method, the target, a header name, header values
/// and the body. Each would add an element, set a marker or change the title if it ever
/// became markup; `&lt` in the name would show as `<` if it were not escaped.
const HOSTILE: &[u8] = b"PROBE' /<script>document.title='pwned'</script><img/src=x/onerror=document.body.dataset.pwned=1>\"' HTTP/1.1\r\n\
Host: x\r\n\
X-&lt'&gt: '\"><img src=x onerror=\"document.body.dataset.pwned=1\">\r\n\
X-Title: <script>document.title='pwned'</script>\r\n\
Content-Length: 56\r\n\
\r\n\
<svg onload=document.body.dataset.pwned=1></svg><b>b</b>";

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

fn page_addr(url: &str) -> SocketAddr {
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

fn send_raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(bytes).unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).into_owned()
}

#[test]
fn the_page_shows_each_exchange_as_text_newest_first() {
    let (server, url) = start(&["--live", "0", "--show-response"]);
    let mut browser = Browser::start(CHROMIUM, (1024, 768));
    browser.load(&url);
    browser.wait_for(
        "document.getElementById('state').classList.contains('on')",
        WAIT,
        "the event stream is open",
        "document.getElementById('state').outerHTML",
    );
    let title = browser.eval("document.title");
    assert_eq!(title, json!("httpdump live"));

    for args in [
        vec![server.url("/one")],
        vec!["-d".into(), "a=1".into(), server.url("/two")],
        vec!["-H".into(), "X-Lesson: 3".into(), server.url("/three?x=1")],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = curl(&args);
        assert!(out.status.success(), "{out:?}");
    }
    let reply = send_raw(server.addr, HOSTILE);
    assert!(reply.starts_with("HTTP/1.1 "), "{reply}");

    browser.wait_for(
        "document.querySelectorAll('#list > .exchange').length === 4 && [...document.querySelectorAll('#list > .exchange')].every(c => c.querySelectorAll('article.r-answer').length === 1)",
        WAIT,
        "four exchanges, each with its answer",
        CARDS,
    );
    let cards = browser.eval(CARDS);
    let cards = cards.as_array().unwrap();
    let title_of = |card: &Value| card["titles"][0].as_str().unwrap().to_string();
    // Newest on top, the last one marked.
    assert!(
        title_of(&cards[0]).starts_with(
            "Request 4: PROBE' /<script>document.title='pwned'</script><img/src=x/onerror="
        ),
        "{cards:#?}"
    );
    assert!(
        title_of(&cards[1]).starts_with("Request 3: GET /three?x=1 HTTP/1.1"),
        "{cards:#?}"
    );
    assert!(
        title_of(&cards[2]).starts_with("Request 2: POST /two HTTP/1.1"),
        "{cards:#?}"
    );
    assert!(
        title_of(&cards[3]).starts_with("Request 1: GET /one HTTP/1.1"),
        "{cards:#?}"
    );
    let latest: Vec<bool> = cards
        .iter()
        .map(|c| c["latest"].as_bool().unwrap())
        .collect();
    assert_eq!(latest, [true, false, false, false]);
    for card in cards {
        assert_eq!(card["chip"], json!("200"), "{card:#?}");
        assert!(
            card["titles"][1].as_str().unwrap().starts_with("Response "),
            "{card:#?}"
        );
        assert!(
            card["hex"].as_u64().unwrap() >= 1,
            "no bytes view: {card:#?}"
        );
    }

    // The rows of a curl request, in order, as the terminal table has them.
    let rows = |card: &Value| -> Vec<Vec<String>> {
        serde_json::from_value(card["rows"].clone()).unwrap()
    };
    let lesson = rows(&cards[1]);
    let parts: Vec<&str> = lesson.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        parts,
        [
            "request line",
            "header",
            "header",
            "header",
            "header",
            "blank line"
        ]
    );
    let names: Vec<&str> = lesson.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(names, ["", "Host", "User-Agent", "Accept", "X-Lesson", ""]);
    assert_eq!(lesson[4][3], "3CRLF");
    let post = rows(&cards[2]);
    assert_eq!(post.last().unwrap()[1], "body");
    assert_eq!(post.last().unwrap()[3], "a=1");

    // The hostile values are text, byte for byte, and none of them ran.
    let hostile = rows(&cards[0]);
    assert_eq!(
        hostile[0][3],
        "PROBE' /<script>document.title='pwned'</script><img/src=x/onerror=document.body.dataset.pwned=1>\"' HTTP/1.1CRLF"
    );
    assert_eq!(hostile[2][2], "X-&lt'&gt");
    assert_eq!(
        hostile[2][3],
        "'\"><img src=x onerror=\"document.body.dataset.pwned=1\">CRLF"
    );
    assert_eq!(hostile[3][3], "<script>document.title='pwned'</script>CRLF");
    assert_eq!(
        hostile.last().unwrap()[3],
        "<svg onload=document.body.dataset.pwned=1></svg><b>b</b>"
    );
    let ran = browser.eval(
        "[document.title, document.body.dataset.pwned === undefined, \
          document.querySelectorAll('#list img, #list script, #list svg, #list b').length]",
    );
    assert_eq!(ran, json!(["httpdump live", true, 0]));

    // Counts per method and status; the filter.
    let counts = browser.eval("document.getElementById('counts').textContent");
    let counts = counts.as_str().unwrap();
    for word in ["GET 2", "POST 1", "PROBE' 1", "200 4"] {
        assert!(counts.contains(word), "{word} in {counts}");
    }
    browser.eval("(f => { f.value = 'post'; f.dispatchEvent(new Event('input')); })(document.getElementById('filter'))");
    let shown = browser.eval(
        "[...document.querySelectorAll('#list > .exchange')].filter(c => !c.hidden).map(c => c.dataset.path)",
    );
    assert_eq!(shown, json!(["/two"]));

    // No sideways scrolling at 1024x768.
    browser.eval("(f => { f.value = ''; f.dispatchEvent(new Event('input')); })(document.getElementById('filter'))");
    let widths = browser
        .eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
    assert!(widths[0].as_u64() <= widths[1].as_u64(), "{widths}");

    // A reload shows them again, from the ring.
    browser.load(&url);
    browser.wait_for(
        "document.querySelectorAll('#list > .exchange').length === 4",
        WAIT,
        "the exchanges again after a reload",
        CARDS,
    );
    drop(browser);
    let stopped = server.stop();
    assert!(stopped.status.success(), "{}", stopped.stderr);
}

#[test]
fn pause_clear_and_the_theme_toggle() {
    let (server, url) = start(&["--live", "0"]);
    let mut browser = Browser::start(CHROMIUM, (1024, 768));
    browser.load(&url);
    browser.wait_for(
        "document.getElementById('state').classList.contains('on')",
        WAIT,
        "the event stream is open",
        "document.getElementById('state').outerHTML",
    );
    assert!(curl(&[&server.url("/a")]).status.success());
    browser.wait_for(
        "document.querySelectorAll('#list > .exchange').length === 1 && document.querySelector('#list .chip').textContent === '200'",
        WAIT,
        "one exchange, answered 200",
        CARDS,
    );
    browser.eval("document.getElementById('pause').click()");
    assert!(curl(&[&server.url("/b")]).status.success());
    browser.wait_for(
        "document.getElementById('state').textContent.startsWith('paused: ')",
        WAIT,
        "a waiting count while paused",
        "document.getElementById('state').textContent",
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('#list > .exchange').length"),
        json!(1)
    );
    browser.eval("document.getElementById('pause').click()");
    browser.wait_for(
        "document.querySelectorAll('#list > .exchange').length === 2",
        WAIT,
        "the held exchange after resuming",
        CARDS,
    );
    // The theme toggle: headless chromium prefers light; one click gives the dark colours.
    let background = "getComputedStyle(document.documentElement).backgroundColor";
    assert_eq!(browser.eval(background), json!("rgb(255, 255, 255)"));
    browser.eval("document.getElementById('theme').click()");
    assert_eq!(browser.eval(background), json!("rgb(13, 17, 23)"));
    browser.eval("document.getElementById('clear').click()");
    assert_eq!(
        browser.eval("[document.querySelectorAll('#list > .exchange').length, document.getElementById('empty').hidden]"),
        json!([0, false])
    );
    drop(browser);
    server.stop();
}

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

/// Send `count` requests on one keep-alive connection; returns how many got 200.
fn hammer(addr: SocketAddr, count: usize) -> usize {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut ok = 0;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    for i in 0..count {
        write!(stream, "GET /load/{i} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        // The canned reply: its head, then a body of its Content-Length.
        loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse().unwrap());
                if buf.len() >= end + 4 + length {
                    ok += usize::from(buf.starts_with(b"HTTP/1.1 200 OK\r\n"));
                    buf.drain(..end + 4 + length);
                    break;
                }
            }
            let n = stream.read(&mut chunk).unwrap();
            assert!(n > 0, "closed after {i} requests");
            buf.extend_from_slice(&chunk[..n]);
        }
    }
    ok
}

/// Peak resident memory (VmHWM) of a process, in MiB.
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    kib / 1024
}

#[test]
fn a_stalled_viewer_never_holds_the_server_back() {
    let (server, url) = start(&["--live", "0", "--quiet"]);
    let page = page_addr(&url);
    // A viewer that asks for the stream and then never reads.
    let mut stalled = TcpStream::connect(page).unwrap();
    stalled
        .write_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let started = Instant::now();
    let answered: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| s.spawn(|| hammer(server.addr, 2_500)))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(answered, 10_000, "in {:?}", started.elapsed());
    let peak = peak_mib(server.pid());
    assert!(peak < 64, "peak {peak} MiB");

    // The stalled viewer reads at last, to the end of the stream (the server stops):
    // every number up to the last it got was either sent or counted as missed, and it
    // skipped ahead instead of getting everything.
    server.signal("TERM");
    stalled.set_read_timeout(Some(WAIT)).unwrap();
    let mut stream = Vec::new();
    stalled
        .read_to_end(&mut stream)
        .expect("the stream ends when the server stops");
    let stream = String::from_utf8(stream).unwrap();
    let (mut received, mut missed, mut last) = (0u64, 0u64, 0u64);
    let mut lines = stream.lines();
    while let Some(line) = lines.next() {
        if let Some(id) = line.strip_prefix("id: ") {
            let id: u64 = id.parse().unwrap();
            assert!(id > last, "id {id} after {last}");
            (received, last) = (received + 1, id);
        } else if line == "event: missed" {
            let data = lines.next().and_then(|l| l.strip_prefix("data: ")).unwrap();
            missed += data.parse::<u64>().unwrap();
        }
    }
    eprintln!("stalled viewer: peak {peak} MiB, received {received}, missed {missed}, last {last}");
    assert!(missed > 0, "nothing missed: {received} received");
    assert_eq!(received + missed, last, "numbers neither sent nor counted");
    assert!(
        received < 10_000,
        "{received} received: it did not skip ahead"
    );
    let stopped = server.wait_exit();
    assert!(stopped.status.success(), "{}", stopped.stderr);
}

#[test]
fn fifty_viewers_each_get_every_exchange() {
    let (server, url) = start(&["--live", "0", "--quiet"]);
    let page = page_addr(&url);
    let mut viewers: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(page).unwrap();
            s.set_read_timeout(Some(WAIT)).unwrap();
            s.write_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    // Every viewer's stream has begun before the request is sent.
    for viewer in &mut viewers {
        let mut seen = Vec::new();
        let mut byte = [0u8];
        while !seen.ends_with(b"retry: 2000\n\n") {
            assert_eq!(viewer.read(&mut byte).unwrap(), 1);
            seen.push(byte[0]);
        }
    }
    assert!(curl(&[&server.url("/for-everyone")]).status.success());
    for viewer in &mut viewers {
        let mut seen = Vec::new();
        let mut chunk = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains("data-path=\"/for-everyone\"") {
            let n = viewer.read(&mut chunk).unwrap();
            assert!(n > 0, "a viewer's stream ended");
            seen.extend_from_slice(&chunk[..n]);
        }
    }
    server.stop();
}

#[test]
fn a_screenshot_of_the_page() {
    let (server, url) = start(&["--live", "0", "--show-response"]);
    // 1024 wide as a projector, tall enough for the three exchanges.
    let mut browser = Browser::start(CHROMIUM, (1024, 1536));
    browser.load(&url);
    browser.wait_for(
        "document.getElementById('state').classList.contains('on')",
        WAIT,
        "the event stream is open",
        "document.getElementById('state').outerHTML",
    );
    assert!(curl(&[&server.url("/")]).status.success());
    assert!(curl(&["-d", "name=Ada", &server.url("/students")])
        .status
        .success());
    assert!(
        curl(&["-H", "Accept: text/html", &server.url("/lesson/3?q=http")])
            .status
            .success()
    );
    browser.wait_for(
        "document.querySelectorAll('#list > .exchange').length === 3 && [...document.querySelectorAll('#list .chip')].every(c => c.textContent === '200')",
        WAIT,
        "three answered exchanges",
        CARDS,
    );
    let png = browser.screenshot();
    drop(browser);
    server.stop();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1024, 1536));
    assert!(png.len() > 30_000, "{} bytes: a blank page?", png.len());
    if let Some(keep) = std::env::var_os("HTTPDUMP_SAVE_SCREENSHOT_LIVE") {
        let keep = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(keep);
        std::fs::write(&keep, &png).unwrap_or_else(|e| panic!("{}: {e}", keep.display()));
    }
}

//! `relay --live`: the projector page in headless Chromium (over its DevTools pipe) while
//! curl and raw sockets go through relay to a small upstream in the test: each exchange
//! one card, request and response (1xx, 101 and its tunnel's summary, a 400 relay made)
//! in arrival order, with the upstream's status; a hostile upstream's response shown as
//! text; the token when the page is bound wide.

use serde_json::{json, Value};

use super::*;
use crate::live::page::HOSTILE;
use crate::live::{guarded_by_token, open_page, send_raw};

/// The page's link from its start-up line ("live page on http://...").
fn link(line: &str) -> String {
    let at = line
        .find("http://")
        .unwrap_or_else(|| panic!("the live page's line: {line:?}"));
    line[at..].to_string()
}

/// What the page shows, newest card first: its chip, each article's role and title,
/// the context line under the first title, the notes, and the rows of the request's
/// and the final response's tables as cell texts.
const CARDS: &str = r#"[...document.querySelectorAll('#list > .exchange')].map(card => ({
  chip: card.querySelector('.chip').textContent,
  roles: [...card.querySelectorAll('article')].map(a => a.dataset.role),
  titles: [...card.querySelectorAll('article h2')].map(h => h.textContent),
  context: (card.querySelector('article p.context') || {}).textContent,
  notes: [...card.querySelectorAll('article.note')].map(a => a.textContent),
  request: [...card.querySelectorAll('article.r-request table.anatomy tr.row')]
    .map(tr => [...tr.cells].map(td => td.textContent)),
  response: [...card.querySelectorAll('article.r-answer table.anatomy tr.row')]
    .map(tr => [...tr.cells].map(td => td.textContent)),
}))"#;

/// The whole request at the front of `got`, if it is there: its head and its length.
fn whole_request(got: &[u8]) -> Option<(String, usize)> {
    let text = String::from_utf8_lossy(got);
    let end = text.find("\r\n\r\n")?;
    let head = text[..end].to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .unwrap_or(0);
    (got.len() >= end + 4 + length).then_some((head, end + 4 + length))
}

/// The lesson's upstream: `/missing` is 404, `/hints` gets a 103 before its 200, an
/// Upgrade gets 101 and then an echo; anything else 200 with its path as the body.
fn lesson_answer(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    if !got.windows(11).any(|w| w == b" HTTP/1.1\r\n") {
        // After the switch: another protocol, echoed.
        return Some((got.to_vec(), false));
    }
    let (head, _) = whole_request(got)?;
    let path = head.split(' ').nth(1).unwrap_or("?").to_string();
    let reply = if head.contains("Upgrade: websocket") {
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
            .to_string()
    } else {
        let (interim, status) = match path.as_str() {
            "/missing" => ("", "404 Not Found"),
            "/hints" => (
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
                "200 OK",
            ),
            _ => ("", "200 OK"),
        };
        format!(
            "{interim}HTTP/1.1 {status}\r\nContent-Length: {}\r\n\r\n{path}",
            path.len()
        )
    };
    Some((reply.into_bytes(), false))
}

#[test]
fn each_exchange_is_one_card_with_its_response_in_arrival_order_quiet_or_not() {
    let upstream = Recorder::start(lesson_answer);
    let (relay, lines) = Relay::start_reading(&["--to", &upstream.to(), "--live", "0", "-q"], 1);
    let url = link(&lines[0]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.contains("token"), "no token on loopback: {url}");
    let mut browser = open_page(&url, (1024, 768));

    for args in [
        vec![relay.url("/one")],
        vec!["-d".into(), "a=1".into(), relay.url("/two")],
        vec![relay.url("/missing")],
        vec![relay.url("/hints")],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = curl(&args);
        assert!(out.status.success(), "{out:?}");
    }
    // An Upgrade, a few bytes through the tunnel, then both sides close.
    let mut client = relay.connect();
    client
        .write_all(
            b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        )
        .unwrap();
    let head = read_until(&mut client, |b| b.ends_with(b"\r\n\r\n"));
    assert!(head.starts_with(b"HTTP/1.1 101 "), "{head:?}");
    client.write_all(b"ping").unwrap();
    assert_eq!(read_until(&mut client, |b| b.len() >= 4), b"ping");
    client.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_until(&mut client, |_| false), b"");
    // A request relay cannot read: answered 400 by relay, never forwarded.
    let reply = send_raw(relay.addr, b"GET /x HTTP/1.1\r\nno colon here\r\n\r\n");
    assert!(reply.starts_with("HTTP/1.1 400 Bad Request"), "{reply}");

    browser.wait_for(
        "document.querySelectorAll('#list > .exchange').length === 6 \
         && [...document.querySelectorAll('#list > .exchange')].every(c => c.querySelector('article.r-answer')) \
         && document.querySelectorAll('#list article.note').length === 1",
        crate::live::WAIT,
        "six exchanges, each with its response, and the tunnel's summary",
        CARDS,
    );
    let cards = browser.eval(CARDS);
    let cards = cards.as_array().unwrap();
    let field = |card: &Value, name: &str| -> Vec<String> {
        serde_json::from_value(card[name].clone()).unwrap()
    };
    let titles: Vec<Vec<String>> = cards.iter().map(|c| field(c, "titles")).collect();
    let chips: Vec<&str> = cards.iter().map(|c| c["chip"].as_str().unwrap()).collect();
    // Newest on top; each card holds its exchange's messages in order.
    assert_eq!(
        chips,
        ["400", "101", "200", "404", "200", "200"],
        "{cards:#?}"
    );
    assert_eq!(
        titles[0],
        [
            "Message 6: could not be read",
            "Response 6: 400 Bad Request"
        ],
        "{cards:#?}"
    );
    assert_eq!(
        titles[1],
        [
            "Request 5: GET /chat HTTP/1.1",
            "Response 5: 101 Switching Protocols"
        ]
    );
    assert_eq!(
        titles[2],
        [
            "Request 4: GET /hints HTTP/1.1",
            "Response 4: 103 Early Hints",
            "Response 4: 200 OK"
        ]
    );
    assert_eq!(field(&cards[2], "roles"), ["request", "interim", "answer"]);
    assert_eq!(
        titles[3],
        [
            "Request 3: GET /missing HTTP/1.1",
            "Response 3: 404 Not Found"
        ]
    );
    assert_eq!(
        titles[4],
        ["Request 2: POST /two HTTP/1.1", "Response 2: 200 OK"]
    );
    assert_eq!(
        titles[5],
        ["Request 1: GET /one HTTP/1.1", "Response 1: 200 OK"]
    );
    // Titled as the terminal titles them: exchange, client and upstream connections.
    let context = cards[5]["context"].as_str().unwrap();
    assert!(
        context.starts_with("exchange 1 · client connection 1 (127.0.0.1:"),
        "{context}"
    );
    assert!(
        context.contains(&format!("upstream connection 1 ({})", upstream.addr)),
        "{context}"
    );
    // The tunnel's summary on its exchange's card.
    let notes = field(&cards[1], "notes");
    assert_eq!(notes.len(), 1, "{cards:#?}");
    assert!(
        notes[0].starts_with("exchange 5: the switched connection to ")
            && notes[0].ends_with(
                "4 bytes client → upstream, 4 bytes upstream → client (not HTTP/1.x, not shown)"
            ),
        "{notes:?}"
    );
    // Both directions' tables, as received.
    let post: Vec<Vec<String>> = serde_json::from_value(cards[4]["request"].clone()).unwrap();
    assert_eq!(post.last().unwrap()[1], "body");
    assert_eq!(post.last().unwrap()[3], "a=1");
    let missing: Vec<Vec<String>> = serde_json::from_value(cards[3]["response"].clone()).unwrap();
    assert_eq!(missing[0][3], "HTTP/1.1 404 Not FoundCRLF");
    assert_eq!(missing.last().unwrap()[3], "/missing");

    // Counted once per exchange: methods by request, statuses by final response.
    let counts = browser.eval("document.getElementById('counts').textContent");
    let counts = counts.as_str().unwrap();
    for word in ["GET 4", "POST 1", "101 1", "200 3", "400 1", "404 1"] {
        assert!(counts.contains(word), "{word} in {counts}");
    }
    assert!(!counts.contains("103"), "{counts}");
    browser.eval("(f => { f.value = '404'; f.dispatchEvent(new Event('input')); })(document.getElementById('filter'))");
    let shown = browser.eval(
        "[...document.querySelectorAll('#list > .exchange')].filter(c => !c.hidden).map(c => c.dataset.path)",
    );
    assert_eq!(shown, json!(["/missing"]));

    drop(browser);
    let out = relay.stop();
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "", "--quiet shows nothing in the terminal");
    assert!(
        out.stderr.contains(", 6 exchanges (1 error)"),
        "{}",
        out.stderr
    );
}

/// An upstream whose response carries probes in the reason phrase, header names and
/// values and the body: each would add an element, set a marker or change the title if
/// it ever became markup.
const HOSTILE_RESPONSE: &[u8] = b"HTTP/1.1 200 <script>document.title='pwned'</script>\r\n\
X-&lt'&gt: '\"><img src=x onerror=\"document.body.dataset.pwned=1\">\r\n\
Set-Cookie: <script>document.title='pwned'</script>\r\n\
Content-Type: text/html\r\n\
Connection: close\r\n\
Content-Length: 56\r\n\
\r\n\
<svg onload=document.body.dataset.pwned=1></svg><b>b</b>";

fn hostile_answer(got: &[u8]) -> Option<(Vec<u8>, bool)> {
    whole_request(got).map(|_| (HOSTILE_RESPONSE.to_vec(), true))
}

#[test]
fn a_hostile_request_and_response_show_as_text_and_nothing_runs() {
    let upstream = Recorder::start(hostile_answer);
    let (relay, lines) = Relay::start_reading(&["--to", &upstream.to(), "--live", "0"], 1);
    let mut browser = open_page(&link(&lines[0]), (1024, 768));
    let reply = send_raw(relay.addr, HOSTILE);
    assert_eq!(reply.as_bytes(), HOSTILE_RESPONSE, "passed on unchanged");
    browser.wait_for(
        "document.querySelectorAll('#list article.r-answer').length === 1",
        crate::live::WAIT,
        "the exchange with its response",
        CARDS,
    );
    let cards = browser.eval(CARDS);
    let card = &cards[0];
    assert_eq!(card["chip"], json!("200"), "{cards:#?}");
    let rows =
        |name: &str| -> Vec<Vec<String>> { serde_json::from_value(card[name].clone()).unwrap() };
    let request = rows("request");
    assert_eq!(
        request[0][3],
        "PROBE' /<script>document.title='pwned'</script><img/src=x/onerror=document.body.dataset.pwned=1>\"' HTTP/1.1CRLF"
    );
    assert_eq!(request[2][2], "X-&lt'&gt");
    let response = rows("response");
    assert_eq!(
        response[0][3],
        "HTTP/1.1 200 <script>document.title='pwned'</script>CRLF"
    );
    assert_eq!(response[1][2], "X-&lt'&gt");
    assert_eq!(
        response[1][3],
        "'\"><img src=x onerror=\"document.body.dataset.pwned=1\">CRLF"
    );
    assert_eq!(
        response[2][3],
        "<script>document.title='pwned'</script>CRLF"
    );
    assert_eq!(
        response.last().unwrap()[3],
        "<svg onload=document.body.dataset.pwned=1></svg><b>b</b>"
    );
    let ran = browser.eval(
        "[document.title, document.body.dataset.pwned === undefined, \
          document.querySelectorAll('#list img, #list script, #list svg, #list b').length]",
    );
    assert_eq!(ran, json!(["httpdump live", true, 0]));
    drop(browser);
    // The terminal shows the same exchange (not --quiet).
    let out = relay.stop();
    assert!(
        out.stdout
            .contains("Response 1: 200 <script>document.title='pwned'</script>"),
        "{}",
        out.stdout
    );
}

#[test]
fn relays_page_bound_wide_needs_its_token_and_a_stop_ends_its_streams() {
    let upstream = Recorder::start(hostile_answer);
    let (relay, lines) = Relay::start_reading(&["--to", &upstream.to(), "--live", "0.0.0.0:0"], 2);
    let url = link(&lines[0]);
    assert!(lines[1].contains("share this link only"), "{lines:?}");
    let (addr, token) = guarded_by_token(&url);
    // A viewer's event stream open when relay stops does not hold the stop up.
    let mut events = TcpStream::connect(addr).unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        events,
        "GET /events?token={token} HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let head = read_until(&mut events, |b| b.ends_with(b"retry: 2000\n\n"));
    assert!(
        head.starts_with(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"),
        "{head:?}"
    );
    let out = relay.stop();
    assert!(out.status.success(), "{}", out.stderr);
    let mut rest = Vec::new();
    events
        .read_to_end(&mut rest)
        .expect("the event stream ended");
}

//! The page in headless chromium: each exchange as text in its card, newest first; the
//! hostile request's probes shown and never run; counts, filter, width, reload; pause,
//! clear and the theme; the screenshot for the docs (set
//! HTTPDUMP_SAVE_SCREENSHOT_LIVE=docs/img/live-page.png to keep it).

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{open_page, send_raw, start, CARDS, WAIT};
use crate::devtools::Browser;
use crate::listen::{curl, Server};

/// The hostile request: probes in the method, the target, a header name, header values
/// and the body. Each would add an element, set a marker or change the title if it ever
/// became markup; `&lt` in the name would show as `<` if it were not escaped.
pub(crate) const HOSTILE: &[u8] = b"PROBE' /<script>document.title='pwned'</script><img/src=x/onerror=document.body.dataset.pwned=1>\"' HTTP/1.1\r\n\
Host: x\r\n\
X-&lt'&gt: '\"><img src=x onerror=\"document.body.dataset.pwned=1\">\r\n\
X-Title: <script>document.title='pwned'</script>\r\n\
Content-Length: 56\r\n\
\r\n\
<svg onload=document.body.dataset.pwned=1></svg><b>b</b>";

/// `listen --live --show-response` with the page open in chromium at 1024x768, after
/// three curl requests and the hostile one, each shown with its answer.
fn four_exchanges() -> (Server, Browser, String) {
    let (server, url) = start(&["--live", "0", "--show-response"]);
    let mut browser = open_page(&url, (1024, 768));
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
    (server, browser, url)
}

#[test]
fn each_exchange_shows_as_text_newest_first() {
    let (server, mut browser, _) = four_exchanges();
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

    drop(browser);
    let stopped = server.stop();
    assert!(stopped.status.success(), "{}", stopped.stderr);
}

#[test]
fn counts_filter_width_and_reload() {
    let (server, mut browser, url) = four_exchanges();
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
    server.stop();
}

#[test]
fn pause_clear_and_the_theme_toggle() {
    let (server, url) = start(&["--live", "0"]);
    let mut browser = open_page(&url, (1024, 768));
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
    // A system in dark mode gets the dark colours first; the toggle then gives light.
    browser.eval("delete document.documentElement.dataset.theme");
    browser.prefer_dark();
    assert_eq!(browser.eval(background), json!("rgb(13, 17, 23)"));
    browser.eval("document.getElementById('theme').click()");
    assert_eq!(browser.eval(background), json!("rgb(255, 255, 255)"));
    browser.eval("document.getElementById('clear').click()");
    assert_eq!(
        browser.eval("[document.querySelectorAll('#list > .exchange').length, document.getElementById('empty').hidden]"),
        json!([0, false])
    );
    drop(browser);
    server.stop();
}

#[test]
fn a_screenshot_of_the_page() {
    let (server, url) = start(&["--live", "0", "--show-response"]);
    // 1024 wide as a projector, tall enough for the three exchanges.
    let mut browser = open_page(&url, (1024, 1536));
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

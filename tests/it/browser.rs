//! The `listen --echo` page in a real browser: Debian's headless chromium loads it from the
//! real server on port 0; the tests read the DOM chromium rendered and take a screenshot.
//! Set HTTPDUMP_SAVE_SCREENSHOT=docs/img/echo-page.png to keep the screenshot for the docs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::listen::Server;

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// Time for one chromium run to load the page and exit.
const BROWSER_WAIT: Duration = Duration::from_secs(90);

/// Run headless chromium on `url` with `extra` arguments, in a fresh profile; returns what
/// it printed on stdout.
fn chromium(extra: &[&str], url: &str, dir: &Path) -> String {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does it)"
    );
    let profile = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.join("chromium.out"), dir.join("chromium.err"));
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        // Files, not pipes: a page's DOM is larger than a pipe's buffer.
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .expect("starting chromium");
    let deadline = Instant::now() + BROWSER_WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in {BROWSER_WAIT:?}: {}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed: {}",
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    std::fs::read_to_string(&out_path).unwrap()
}

/// The DOM of the page at `path` on `server`, as chromium serialised it.
fn dump_dom(server: &Server, path: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    chromium(&["--dump-dom"], &server.url(path), dir.path())
}

/// Text of some HTML: tags dropped, the entities a DOM serialiser writes decoded.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// One row of the anatomy table as the browser shows it, and the notes under it.
#[derive(Debug)]
struct PageRow {
    number: String,
    part: String,
    name: String,
    value: String,
    notes: Vec<String>,
}

/// The rows of the anatomy table in a DOM: a `<tbody>` per row, the row's cells and notes.
fn page_rows(dom: &str) -> Vec<PageRow> {
    let table = &dom[dom
        .find("<table class=\"anatomy\">")
        .expect("no anatomy table")..];
    let table = &table[..table.find("</table>").unwrap()];
    table
        .split("<tbody")
        .skip(1)
        .map(|group| {
            let mut trs = group.split("<tr").skip(1);
            let row = trs.next().unwrap();
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|td| text_of(&format!("<td{td}")))
                .collect();
            assert_eq!(cells.len(), 6, "{row}");
            PageRow {
                number: cells[0].clone(),
                part: cells[1].clone(),
                name: cells[2].clone(),
                value: cells[3].clone(),
                notes: trs.map(|tr| text_of(&format!("<tr{tr}"))).collect(),
            }
        })
        .collect()
}

#[test]
fn a_browser_sees_its_own_request_dissected() {
    let server = Server::start(&["--echo", "--format", "json"]);
    let port = server.addr.port();
    let dom = dump_dom(&server, "/anything?x=1");
    let stopped = server.stop();
    assert!(stopped.status.success(), "{}", stopped.stderr);

    assert!(dom.contains("<html lang=\"en\">"), "{dom}");
    let rows = page_rows(&dom);
    assert!(rows.len() > 3, "{rows:#?}");
    let first = &rows[0];
    assert_eq!(
        (
            first.number.as_str(),
            first.part.as_str(),
            first.name.as_str()
        ),
        ("0", "request line", "")
    );
    assert_eq!(first.value, "GET /anything?x=1 HTTP/1.1CRLF");
    assert!(
        first.notes.iter().any(|n| n.contains("RFC 9112 section 3")),
        "{first:?}"
    );
    let host = rows.iter().find(|r| r.name == "Host").expect("a Host row");
    assert_eq!(host.value, format!("127.0.0.1:{port}CRLF"));
    assert!(
        host.notes.iter().any(|n| n.contains("RFC 9110")),
        "{host:?}"
    );
    let agent = rows
        .iter()
        .find(|r| r.name == "User-Agent")
        .expect("a User-Agent row");
    assert!(agent.value.contains("Chrome/"), "{agent:?}");
    let last = rows.last().unwrap();
    assert_eq!(
        (last.part.as_str(), last.value.as_str()),
        ("blank line", "CRLF")
    );
    assert_eq!(last.number, (rows.len() - 1).to_string());
    // Every row is explained.
    assert!(rows.iter().all(|r| !r.notes.is_empty()), "{rows:#?}");
    assert!(dom.contains("<table class=\"hex\">"), "no byte view");

    // The request `listen` printed is the one the page shows: same headers, in order.
    let printed: Vec<serde_json::Value> = stopped
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|m: &serde_json::Value| m["target"] == "/anything?x=1")
        .collect();
    assert_eq!(printed.len(), 1, "{}", stopped.stdout);
    let printed_headers: Vec<(String, String)> = printed[0]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let text = |k: &str| h[k].as_str().unwrap().to_string();
            (text("name"), text("value"))
        })
        .collect();
    let page_headers: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r.part == "header")
        .map(|r| {
            let value = r.value.strip_suffix("CRLF").expect("a CRLF key");
            (r.name.clone(), value.to_string())
        })
        .collect();
    assert_eq!(page_headers, printed_headers);
    let number = printed[0]["index"].as_u64().unwrap();
    assert!(
        dom.contains(&format!(
            "<h1 class=\"t-title\">Request {number}: GET /anything?x=1 "
        )),
        "{dom}"
    );
}

/// What the page looks like laid out in a browser window, measured in the page.
const LAYOUT: &str = r#"(() => {
  const de = document.documentElement;
  const box = e => e.getBoundingClientRect();
  const lastBox = node => {
    if (node.nodeType === 3) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = range.getClientRects();
      return rects[rects.length - 1];
    }
    const rects = node.getClientRects();
    return rects[rects.length - 1];
  };
  // A CR or LF key that does not sit on the line of what comes before it.
  const alone = [...document.querySelectorAll('.eol')].filter(key => {
    let before = key.previousSibling;
    if (!before) before = key.parentElement.previousSibling;
    if (!before) return false;
    const b = lastBox(before), k = box(key);
    const middle = (k.top + k.bottom) / 2;
    return !(b && b.top <= middle && middle <= b.bottom);
  }).length;
  const lineCells = [...document.querySelectorAll('table.hex td.line')];
  return {
    inner: innerWidth,
    client: de.clientWidth,
    scroll: de.scrollWidth,
    right: Math.max(...[...document.body.querySelectorAll('*')].map(e => box(e).right)),
    lineCells: lineCells.length,
    lineRight: Math.max(...lineCells.map(e => box(e).right)),
    keys: document.querySelectorAll('.eol').length,
    alone,
  };
})()"#;

#[cfg(target_os = "linux")]
#[test]
fn the_page_fits_a_1024_pixel_projector() {
    let server = Server::start(&["--echo"]);
    let mut browser = crate::devtools::Browser::start(CHROMIUM, (1024, 768));
    browser.load(&server.url("/anything?x=1"));
    let layout = browser.eval(LAYOUT);
    let title = browser.eval("document.querySelector('h1').textContent");
    drop(browser);
    server.stop();
    let px = |key: &str| {
        layout[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key}: {layout}"))
    };
    assert_eq!(px("inner"), 1024.0, "{layout}");
    // No sideways scrolling, and nothing drawn past the right edge.
    assert!(px("scroll") <= px("client"), "{layout}");
    assert!(px("right") <= px("client"), "{layout}");
    // The packet view's line column is on the page, one cell per row of bytes.
    assert!(px("lineCells") > 10.0, "{layout}");
    assert!(px("lineRight") <= px("client"), "{layout}");
    // Every CR and LF key sits on the line of the character before it.
    assert!(px("keys") > 20.0, "{layout}");
    assert_eq!(px("alone"), 0.0, "{layout}");
    assert!(
        title
            .as_str()
            .unwrap()
            .starts_with("Request 1: GET /anything?x=1 HTTP/1.1"),
        "{title}"
    );
}

#[test]
fn the_page_follows_lang() {
    let server = Server::start(&["--echo", "--lang", "zh"]);
    let dom = dump_dom(&server, "/anything?x=1");
    server.stop();
    assert!(dom.contains("<html lang=\"zh-CN\">"), "{dom}");
    let rows = page_rows(&dom);
    assert_eq!(rows[0].part, "请求行");
    assert!(rows[1..rows.len() - 1].iter().all(|r| r.part == "首部行"));
    assert_eq!(rows.last().unwrap().part, "空白行");
    assert!(
        rows[0].notes.iter().any(|n| n.contains("RFC 9112 第 3 节")),
        "{:?}",
        rows[0]
    );
    assert!(dom.contains("线路上的字节"), "{dom}");
}

#[test]
fn a_screenshot_of_the_page() {
    let server = Server::start(&["--echo"]);
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("echo-page.png");
    let shot = format!("--screenshot={}", png.display());
    chromium(
        &[&shot, "--window-size=1024,768", "--hide-scrollbars"],
        &server.url("/anything?x=1"),
        dir.path(),
    );
    server.stop();
    let bytes = std::fs::read(&png).expect("chromium wrote no screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    // The IHDR chunk: width and height, big-endian.
    let size = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1024, 768));
    // A blank page compresses to a few kilobytes; the table's text makes it far larger.
    assert!(
        (30_000..5_000_000).contains(&bytes.len()),
        "{} bytes",
        bytes.len()
    );
    if let Some(keep) = std::env::var_os("HTTPDUMP_SAVE_SCREENSHOT") {
        let keep = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(keep);
        if let Some(parent) = keep.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&keep, &bytes).unwrap_or_else(|e| panic!("{}: {e}", keep.display()));
    }
}

//! relay between real clients and nginx: curl through forward mode, curl and headless
//! Chromium (parallel connections for a page's assets) through reverse mode, a CONNECT
//! tunnel to nginx's TLS port, and a 1 GiB download (and upload, to a counting server in
//! the test) with the relay's peak memory read.

use super::*;

/// nginx serving the lesson page, its assets and a gigabyte file, plain and over TLS.
struct Nginx {
    _running: crate::nginx::Nginx,
    port: u16,
    tls_port: u16,
}

const BIG: u64 = 1024 * 1024 * 1024;

const PAGE: &str = "<!doctype html><html><head><title>lesson</title>\
<link rel=stylesheet href=/a.css><script src=/b.js></script></head>\
<body><h1>lesson</h1><img src=/c.svg><img src=/d.svg><script src=/e.js></script></body></html>\n";

const ASSETS: &[(&str, &str)] = &[
    ("a.css", "h1 { color: rgb(1, 2, 3); }\n"),
    ("b.js", "window.fromB = 'b';\n"),
    (
        "c.svg",
        "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'></svg>\n",
    ),
    (
        "d.svg",
        "<svg xmlns='http://www.w3.org/2000/svg' width='5' height='5'></svg>\n",
    ),
    ("e.js", "window.fromE = 'e';\n"),
];

impl Nginx {
    fn start() -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ok = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
            ])
            .args(["-out", "server.pem", "-days", "2", "-subj", "/CN=localhost"])
            .current_dir(d)
            .output()
            .expect("running openssl");
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
        std::fs::create_dir_all(d.join("html")).unwrap();
        std::fs::write(d.join("html/index.html"), PAGE).unwrap();
        for (name, text) in ASSETS {
            std::fs::write(d.join("html").join(name), text).unwrap();
        }
        // A sparse file: a gigabyte of zeros that takes no disk.
        let big = std::fs::File::create(d.join("html/big.bin")).unwrap();
        big.set_len(BIG).unwrap();
        let (port, tls_port) = (closed_port(), closed_port());
        let p = d.display();
        let http = format!(
            "  types {{ text/html html; text/css css; application/javascript js; \
                      image/svg+xml svg; }}\n\
               default_type application/octet-stream;\n\
               server {{\n    listen 127.0.0.1:{port};\n    root {p}/html;\n  }}\n\
               server {{\n    listen 127.0.0.1:{tls_port} ssl;\n    root {p}/html;\n\
                 ssl_certificate {p}/server.pem;\n    ssl_certificate_key {p}/server.key;\n  }}\n"
        );
        Nginx {
            _running: crate::nginx::Nginx::start(dir, &http, &[port, tls_port]),
            port,
            tls_port,
        }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

#[test]
fn curl_through_forward_mode_gets_nginx_pages_and_the_changed_line_is_shown() {
    let nginx = Nginx::start();
    let relay = Relay::start(&[]);
    let url = format!("{}/index.html", nginx.origin());
    let out = curl(&[
        "-x",
        &relay.url(""),
        &url,
        &format!("{}/a.css", nginx.origin()),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{PAGE}{}", ASSETS[0].1)
    );
    let stopped = relay.stop();
    let s = &stopped.stdout;
    assert_eq!(
        s.matches(&format!("Request 1: GET {url} HTTP/1.1")).count(),
        1,
        "{s}"
    );
    assert!(
        s.contains(&format!(
            "exchange 1: a line changed on the way, as proxy rules require: received  GET {url} HTTP/1.1  forwarded  GET /index.html HTTP/1.1"
        )),
        "{s}"
    );
    assert!(s.contains("Response 2: 200 OK"), "{s}");
}

#[test]
fn curl_through_reverse_mode_gets_every_asset_once_in_order() {
    let nginx = Nginx::start();
    let relay = Relay::start(&["--to", &nginx.origin()]);
    let urls: Vec<String> = ASSETS
        .iter()
        .map(|(n, _)| relay.url(&format!("/{n}")))
        .collect();
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let out = curl(&args);
    let expected: String = ASSETS.iter().map(|(_, t)| *t).collect();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let stopped = relay.stop();
    let mut at = 0;
    for (i, (name, _)) in ASSETS.iter().enumerate() {
        let n = i + 1;
        let request = format!("Request {n}: GET /{name} HTTP/1.1");
        let response = format!("Response {n}: 200 OK");
        assert_eq!(
            stopped.stdout.matches(&request).count(),
            1,
            "{}",
            stopped.stdout
        );
        let r = stopped.stdout[at..].find(&request).expect("in order") + at;
        at = stopped.stdout[r..].find(&response).expect("answered") + r;
    }
    // One keep-alive connection each side.
    assert!(
        stopped
            .stderr
            .contains("stopped: 1 connection, 5 exchanges (0 errors)"),
        "{}",
        stopped.stderr
    );
}

#[test]
#[cfg(target_os = "linux")]
fn chromium_through_reverse_mode_loads_the_page_and_every_exchange_is_shown_once_in_order() {
    let nginx = Nginx::start();
    let relay = Relay::start(&["--to", &nginx.origin(), "--format", "json"]);
    {
        let mut browser = crate::devtools::Browser::start(crate::browser::CHROMIUM, (800, 600));
        browser.load(&relay.url("/index.html"));
        let loaded = browser.eval(
            "[getComputedStyle(document.querySelector('h1')).color, window.fromB, window.fromE, \
              [...document.images].map(i => i.naturalWidth).join()]",
        );
        assert_eq!(loaded, serde_json::json!(["rgb(1, 2, 3)", "b", "e", "4,5"]));
    }
    let stopped = relay.stop();
    let objects: Vec<serde_json::Value> = stopped
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Exchanges 1, 2, 3 ... each a request then its response, never interleaved.
    let mut bodies = std::collections::HashMap::new();
    for (i, pair) in objects.chunks(2).enumerate() {
        let n = i as u64 + 1;
        assert_eq!(pair[0]["exchange"], n, "{}", stopped.stdout);
        assert_eq!(pair[0]["direction"], "request");
        assert_eq!(pair[1]["exchange"], n);
        assert_eq!(pair[1]["direction"], "response");
        let target = pair[0]["target"].as_str().unwrap().to_string();
        assert!(
            bodies.insert(target, pair[1].clone()).is_none(),
            "shown twice"
        );
    }
    assert_eq!(bodies["/index.html"]["body"]["text"], PAGE);
    for (name, text) in ASSETS {
        let response = &bodies[&format!("/{name}")];
        assert_eq!(response["status"], 200);
        assert_eq!(response["body"]["text"], *text);
    }
    // Chromium fetched the assets over several connections at once.
    let clients: std::collections::HashSet<_> = objects
        .iter()
        .map(|o| o["client_connection"].as_u64())
        .collect();
    assert!(clients.len() >= 2, "{clients:?}");
}

#[test]
fn a_connect_tunnel_to_tls_nginx_is_shown_and_counted_but_not_decrypted() {
    let nginx = Nginx::start();
    let relay = Relay::start(&[]);
    let url = format!("https://localhost:{}/index.html", nginx.tls_port);
    let out = curl(&["-x", &relay.url(""), "-k", &url]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        PAGE,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stopped = relay.stop();
    let s = &stopped.stdout;
    let authority = format!("localhost:{}", nginx.tls_port);
    assert!(
        s.contains(&format!("Request 1: CONNECT {authority} HTTP/1.1")),
        "{s}"
    );
    assert!(s.contains("Response 1: 200 Connection Established"), "{s}");
    assert!(
        s.contains(&format!("exchange 1: tunnel to {authority} closed after")),
        "{s}"
    );
    assert!(s.contains("(encrypted, not shown)"), "{s}");
    assert!(!s.contains("<h1>lesson</h1>"), "the page is encrypted: {s}");
}

/// The peak resident memory of a running process, from /proc.
#[cfg(target_os = "linux")]
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib * 1024
}

#[test]
#[cfg(target_os = "linux")]
fn a_gigabyte_download_streams_through_with_bounded_memory() {
    let nginx = Nginx::start();
    let relay = Relay::start(&["--to", &nginx.origin()]);
    let out = curl(&[
        "--max-time",
        "120",
        "-o",
        "/dev/null",
        "-w",
        "%{size_download}",
        &relay.url("/big.bin"),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), BIG.to_string());
    let peak = peak_rss(relay.pid());
    let stopped = relay.stop();
    assert!(
        peak < 64 * 1024 * 1024,
        "peak RSS {peak} bytes for a 1 GiB body"
    );
    assert!(
        stopped.stdout.contains(
            "1073741824 bytes of body passed through; the table holds the first 65536 bytes"
        ),
        "{}",
        stopped.stdout
    );
}

#[test]
fn reverse_mode_to_an_https_upstream_speaks_tls_to_it() {
    let nginx = Nginx::start();
    let to = format!("https://localhost:{}", nginx.tls_port);
    let relay = Relay::start(&["--to", &to, "--insecure"]);
    let out = curl(&[&relay.url("/index.html")]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), PAGE);
    let stopped = relay.stop();
    assert!(
        stopped.stdout.contains("Response 1: 200 OK"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped.stdout.contains("<h1>lesson</h1>"),
        "{}",
        stopped.stdout
    );
}

/// An upstream that reads one request with a Content-Length body, counting and dropping
/// the body, then answers with the count. Returns its address.
fn counting_upstream() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let head = read_until(&mut stream, |b| b.windows(4).any(|w| w == b"\r\n\r\n"));
        let end = find(&head, b"\r\n\r\n").unwrap() + 4;
        let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
        let length: u64 = text
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let mut got = (head.len() - end) as u64;
        let mut buf = vec![0u8; 64 * 1024];
        while got < length {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n as u64,
            }
        }
        let body = got.to_string();
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(reply.as_bytes()).unwrap();
    });
    addr
}

#[test]
#[cfg(target_os = "linux")]
fn a_gigabyte_upload_streams_through_with_bounded_memory() {
    let upstream = counting_upstream();
    let relay = Relay::start(&["--to", &format!("http://{upstream}")]);
    let mut client = relay.connect();
    client
        .write_all(
            format!("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: {BIG}\r\n\r\n").as_bytes(),
        )
        .unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..BIG / zeros.len() as u64 {
        client.write_all(&zeros).unwrap();
    }
    let reply = read_until(&mut client, |b| b.ends_with(BIG.to_string().as_bytes()));
    assert!(
        reply.starts_with(b"HTTP/1.1 200 OK"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    let peak = peak_rss(relay.pid());
    drop(client);
    let stopped = relay.stop();
    assert!(
        peak < 64 * 1024 * 1024,
        "peak RSS {peak} bytes for a 1 GiB upload"
    );
    assert!(
        stopped.stdout.contains(
            "1073741824 bytes of body passed through; the table holds the first 65536 bytes"
        ),
        "{}",
        stopped.stdout
    );
}

//! `send` against `httpdump listen`: every form arrives as it was meant, and `--raw`
//! files arrive byte-exact (checked with `listen --save`).

use serde_json::Value;

use super::*;
use crate::listen::Server;

/// The requests a JSON-printing listener printed.
fn received(stopped: &crate::listen::Stopped) -> Vec<Value> {
    stopped
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn header_pairs(m: &Value) -> Vec<(String, String)> {
    m["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap().to_string(),
                h["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_get_is_built_like_curls_and_both_tables_are_shown() {
    let server = Server::start(&["--format", "json"]);
    let out = send(&[&server.url("/lesson?step=1")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let host = server.addr.to_string();
    assert_eq!(
        titles(&text),
        [
            format!("Request 1: GET /lesson?step=1 HTTP/1.1 · sent to {host}"),
            format!("Response 1: 200 OK · received from {host}"),
        ]
    );
    assert!(text.contains(&format!("timing: {host} · DNS ")), "{text}");
    assert!(text.contains("Hello, Destined Person."), "{text}");
    let got = received(&server.stop());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["target"], "/lesson?step=1");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        header_pairs(&got[0]),
        [
            ("Host".into(), host),
            ("User-Agent".into(), format!("httpdump/{version}")),
            ("Accept".into(), "*/*".into()),
        ]
    );
}

#[test]
fn method_headers_in_order_and_case_removal_and_data() {
    let server = Server::start(&["--format", "json"]);
    let out = send(&[
        "-X",
        "PUT",
        "-H",
        "x-Lesson: 3",
        "-H",
        "Accept:",
        "-H",
        "X-Empty;",
        "-d",
        "name=xiaoming",
        &server.url("/form"),
    ]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Request 1: PUT /form HTTP/1.1"));
    let got = received(&server.stop());
    let names: Vec<String> = header_pairs(&got[0]).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "Host",
            "User-Agent",
            "x-Lesson",
            "X-Empty",
            "Content-Length",
            "Content-Type"
        ]
    );
    assert_eq!(got[0]["method"], "PUT");
    assert_eq!(got[0]["body"]["text"], "name=xiaoming");
    assert_eq!(header_pairs(&got[0])[4].1, "13");
}

#[test]
fn data_file_posts_exactly_and_http10_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.bin");
    std::fs::write(&file, b"line 1\nline 2\x00\xff").unwrap();
    let server = Server::start(&["--format", "json"]);
    let out = send(&[
        "--http1.0",
        "--data-file",
        file.to_str().unwrap(),
        &server.url("/upload"),
    ]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Request 1: POST /upload HTTP/1.0"));
    let got = received(&server.stop());
    assert_eq!(got[0]["version"], "HTTP/1.0");
    assert_eq!(got[0]["body"]["length"], 15);
    assert!(header_pairs(&got[0])
        .iter()
        .all(|(n, _)| n != "Content-Type"));
}

#[test]
fn json_says_exchange_direction_connection_and_timing() {
    let server = Server::start(&[]);
    let out = send(&["--format", "json", &server.url("/")]);
    assert_code(&out, 0);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let (sent, got) = (&lines[0], &lines[1]);
    assert_eq!(
        (sent["exchange"].as_u64(), got["exchange"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(sent["direction"], "sent");
    assert_eq!(got["direction"], "received");
    assert_eq!(sent["connection"], 1);
    assert_eq!(sent["peer"], server.addr.to_string());
    assert_eq!(sent["host"], "127.0.0.1");
    assert_eq!(sent["tls"], Value::Null);
    assert!(sent.get("timing").is_none());
    let timing = &got["timing"];
    assert!(timing["total_ms"].as_f64().unwrap() >= timing["first_byte_ms"].as_f64().unwrap());
    assert_eq!(timing["reused"], false);
    server.stop();
}

#[test]
fn raw_fixtures_arrive_byte_exact() {
    for fixture in [
        "juejin-request.http",
        "post-form.http",
        "chromium-request.http",
    ] {
        let saved = tempfile::tempdir().unwrap();
        let server = Server::start(&["--save", saved.path().to_str().unwrap(), "--quiet"]);
        let path = format!("fixtures/{fixture}");
        let out = send(&["--raw", &path, &server.url("/")]);
        assert_code(&out, 0);
        let text = stdout(&out);
        assert_eq!(titles(&text).len(), 2, "{text}");
        assert!(titles(&text)[1].starts_with("Response 1: 200 OK"), "{text}");
        server.stop();
        let files: Vec<_> = std::fs::read_dir(saved.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{fixture}");
        assert_eq!(
            std::fs::read(&files[0]).unwrap(),
            std::fs::read(&path).unwrap(),
            "{fixture} did not arrive byte-exact"
        );
    }
}

#[test]
fn pipelined_requests_go_on_one_connection_and_pair_with_their_responses() {
    let saved = tempfile::tempdir().unwrap();
    let server = Server::start(&["--save", saved.path().to_str().unwrap(), "--format", "json"]);
    let to = server.addr.to_string();
    let bytes = std::fs::read("fixtures/pipelined.http").unwrap();
    let out = send_in(
        &["--raw", "-", "--to", &to, "--format", "json"],
        Some(&bytes),
    );
    assert_code(&out, 0);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(u64, &str, String)> = lines
        .iter()
        .map(|l| {
            let what = l["target"]
                .as_str()
                .map_or_else(|| l["status"].to_string(), String::from);
            (
                l["exchange"].as_u64().unwrap(),
                l["direction"].as_str().unwrap(),
                what,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "sent", "/first".to_string()),
            (1, "received", "200".to_string()),
            (2, "sent", "/second".to_string()),
            (2, "received", "200".to_string()),
        ]
    );
    assert_eq!(lines[3]["timing"]["reused"], true);
    let stopped = server.stop();
    let printed = received(&stopped);
    // One connection, two requests.
    assert_eq!(printed.len(), 2);
    assert_eq!(printed[0]["connection"], printed[1]["connection"]);
    let mut files: Vec<_> = std::fs::read_dir(saved.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let joined: Vec<u8> = files
        .iter()
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    assert_eq!(joined, bytes);
}

#[test]
fn bare_lf_is_sent_as_written_with_a_note_and_crlf_converts_heads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("by-hand.http");
    let written = b"POST /typed HTTP/1.1\nHost: x\nContent-Length: 4\n\na\nb\n";
    std::fs::write(&file, written).unwrap();
    let path = file.to_str().unwrap();
    for (crlf, expect) in [
        (false, written.to_vec()),
        (
            true,
            b"POST /typed HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\na\nb\n".to_vec(),
        ),
    ] {
        let saved = tempfile::tempdir().unwrap();
        let server = Server::start(&["--save", saved.path().to_str().unwrap(), "--quiet"]);
        let mut args = vec!["--raw", path, "--to"];
        let to = server.addr.to_string();
        args.push(&to);
        if crlf {
            args.push("--crlf");
        }
        let out = send(&args);
        assert_code(&out, 0);
        let err = stderr(&out);
        if crlf {
            assert!(
                err.contains("4 bare LF line ending(s) in heads sent as CRLF"),
                "{err}"
            );
        } else {
            assert!(
                err.contains("4 line(s) ending in a bare LF, sent as they are"),
                "{err}"
            );
            assert!(
                err.contains("RFC 9112 section 2.2") && err.contains("--crlf"),
                "{err}"
            );
            assert!(stdout(&out).contains("warning[bare-lf]"));
        }
        server.stop();
        let file = std::fs::read_dir(saved.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(std::fs::read(file.path()).unwrap(), expect);
    }
}

#[test]
fn save_writes_each_direction_of_each_exchange() {
    let saved = tempfile::tempdir().unwrap();
    let listen_saved = tempfile::tempdir().unwrap();
    let server = Server::start(&["--save", listen_saved.path().to_str().unwrap(), "--quiet"]);
    let dir = saved.path().join("out");
    let out = send(&["--save", dir.to_str().unwrap(), &server.url("/saved")]);
    assert_code(&out, 0);
    server.stop();
    let sent = std::fs::read(dir.join("001-sent.http")).unwrap();
    let got = std::fs::read(dir.join("001-received.http")).unwrap();
    let at_server = std::fs::read_dir(listen_saved.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(sent, std::fs::read(at_server.path()).unwrap());
    assert!(got.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(got.ends_with(b"Hello, Destined Person.\r\n"));
}

#[test]
fn head_gets_no_body_and_chinese_explains() {
    let server = Server::start(&[]);
    let out = send(&["--lang", "zh", "--explain", "-X", "HEAD", &server.url("/")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let titles = titles(&text);
    assert!(
        text.contains("请求报文 1:HEAD / HTTP/1.1 · 发往 "),
        "{text}"
    );
    assert!(text.contains("响应报文 1:200 OK · 收自 "), "{text}");
    assert!(text.contains("耗时:"), "{text}");
    assert!(text.contains("对 HEAD 的响应"), "{text}");
    assert!(!text.contains("Hello, Destined Person."), "{text}");
    assert!(
        titles.is_empty(),
        "English titles in Chinese output: {titles:?}"
    );
    server.stop();
}

#[test]
fn a_head_in_a_pipeline_and_blank_lines_between_keep_the_pairs() {
    let server = Server::start(&["--quiet"]);
    let raw = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n";
    let to = server.addr.to_string();
    let out = send_in(&["--raw", "-", "--to", &to, "--format", "json"], Some(raw));
    assert_code(&out, 0);
    let seen: Vec<(u64, String)> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|l| {
            (
                l["exchange"].as_u64().unwrap(),
                format!("{}{}", l["target"], l["status"]),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "\"/a\"null".to_string()),
            (1, "null200".to_string()),
            (2, "\"/b\"null".to_string()),
            (2, "null200".to_string()),
            (3, "\"/c\"null".to_string()),
            (3, "null200".to_string()),
        ]
    );
    server.stop();
}

#[test]
fn an_unreadable_request_is_sent_anyway_and_its_answer_shown_after_it() {
    let server = Server::start(&["--quiet"]);
    let out = send(&[
        "--raw",
        "fixtures/malformed-start-line.http",
        "--to",
        &server.addr.to_string(),
    ]);
    assert_code(&out, 1);
    let text = stdout(&out);
    let at = |what: &str| {
        text.find(what)
            .unwrap_or_else(|| panic!("no {what} in {text}"))
    };
    assert!(at("Message 1: could not be read · sent to") < at("note: skipped 19 bytes"));
    assert!(at("note: skipped 19 bytes") < at("Response 1: 400 Bad Request"));
    server.stop();
}

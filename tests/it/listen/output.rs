//! What the terminal (or file) gets: one whole table per request under load, JSON Lines,
//! responses, nothing with --quiet; and what --save writes.

use super::*;

#[test]
fn fifty_concurrent_clients_each_printed_once_without_interleaving() {
    let server = Server::start(&[]);
    let addr = server.addr;
    let clients: Vec<_> = (0..50)
        .map(|c| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_read_timeout(Some(WAIT)).unwrap();
                for r in 0..3 {
                    let request =
                        format!("GET /client-{c}-{r} HTTP/1.1\r\nHost: x\r\nX-Client: {c}\r\n\r\n");
                    stream.write_all(request.as_bytes()).unwrap();
                    let reply = read_response(&mut stream);
                    assert!(reply.ends_with(b"Hello, Destined Person.\r\n"));
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    let stopped = server.stop();
    let out = &stopped.stdout;
    // Each table is a title, its rows and a blank line; every row of a table must
    // belong to the request its title names.
    let blocks: Vec<&str> = out.split("\n\n").filter(|b| !b.trim().is_empty()).collect();
    assert_eq!(blocks.len(), 150, "{out}");
    let mut seen = std::collections::HashSet::new();
    for block in blocks {
        let title = block.lines().next().unwrap();
        let target = title
            .split(": GET ")
            .nth(1)
            .and_then(|t| t.strip_suffix(" HTTP/1.1"))
            .unwrap_or_else(|| panic!("title {title:?}"));
        let client = target.split('-').nth(1).unwrap();
        assert!(
            block.contains(&format!("GET {target} HTTP/1.1␍␊")),
            "{block}"
        );
        assert!(block.contains(&format!("┆ {client}␍␊")), "{block}");
        // One request line row, one summary line: nothing of another table inside.
        assert_eq!(block.matches("request line").count(), 1, "{block}");
        assert_eq!(block.matches("start line ").count(), 1, "{block}");
        assert!(seen.insert(target.to_string()), "{target} printed twice");
    }
    // Numbers run 1..=150 in print order.
    let numbers: Vec<usize> = titles(out)
        .iter()
        .map(|t| t.split(' ').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=150).collect::<Vec<_>>());
}

#[test]
fn saved_files_hold_the_exact_bytes_before_the_reply() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("captured");
    let server = Server::start(&["--save", save.to_str().unwrap(), "--quiet"]);
    let mut stream = server.connect();
    let requests: [&[u8]; 2] = [
        b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\x00\xff\r\n",
        b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n",
    ];
    for (n, request) in requests.iter().enumerate() {
        stream.write_all(request).unwrap();
        read_response(&mut stream);
        // Answered, so already on disk.
        let path = save.join(format!("{:06}-conn1-req{}.http", n + 1, n + 1));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            *request,
            "{}",
            path.display()
        );
    }
    drop(stream);
    let stopped = server.stop();
    assert_eq!(stopped.stdout, "");
    let names: Vec<String> = std::fs::read_dir(&save)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temp files left: {names:?}");
}

#[test]
fn json_lines_carry_connection_peer_and_time() {
    let server = Server::start(&["--format", "json"]);
    curl(&[&server.url("/one"), &server.url("/two")]);
    expect_error(
        &server,
        b"BAD\r\n\r\n",
        "400 Bad Request",
        "line 0: not a request line (METHOD target HTTP/1.1) or status line (HTTP/1.1 200 OK)",
    );
    let stopped = server.stop();
    let objects = json_lines(&stopped.stdout);
    assert_eq!(objects.len(), 3, "{}", stopped.stdout);
    assert_eq!(objects[1]["kind"], "request");
    assert_eq!(objects[1]["target"], "/two");
    assert_eq!(objects[1]["index"], 2);
    assert_eq!(objects[1]["connection"], 1);
    assert!(objects[1]["peer"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    let at = objects[1]["received_at"].as_str().unwrap();
    assert!(chrono_like(at), "{at}");
    assert_eq!(objects[2]["kind"], "error");
    assert_eq!(objects[2]["connection"], 2);
    assert_eq!(objects[2]["answered"], 400);
}

#[test]
fn json_replies_name_the_request_they_answer() {
    let server = Server::start(&["--format", "json", "--show-response"]);
    curl(&[&server.url("/one"), &server.url("/two")]);
    let stopped = server.stop();
    let objects = json_lines(&stopped.stdout);
    assert_eq!(objects.len(), 4, "{}", stopped.stdout);
    let keys = |o: &serde_json::Value| -> Vec<String> {
        // (serde_json lists keys sorted)
        let listener = ["connection", "peer", "received_at", "answers", "answered"];
        o.as_object()
            .unwrap()
            .keys()
            .filter(|k| listener.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    assert_eq!(objects[2]["kind"], "request");
    assert_eq!(objects[2]["index"], 2);
    assert_eq!(keys(&objects[2]), ["connection", "peer", "received_at"]);
    assert_eq!(objects[3]["kind"], "response");
    assert_eq!(objects[3]["answers"], 2);
    assert_eq!(objects[3]["connection"], 1);
    assert_eq!(objects[3]["peer"], objects[2]["peer"]);
    assert_eq!(keys(&objects[3]), ["answers", "connection", "peer"]);
}

/// One JSON value per line of output.
fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `2024-05-07T22:56:01.123+08:00`
fn chrono_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 29 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.'
}

#[test]
fn show_response_prints_the_reply_after_the_request() {
    let server = Server::start(&["--show-response"]);
    curl(&[&server.url("/")]);
    let stopped = server.stop();
    let titles = titles(&stopped.stdout);
    assert_eq!(titles.len(), 2, "{}", stopped.stdout);
    assert!(titles[0].starts_with("Request 1 "));
    assert!(
        titles[1].starts_with("Response 1 (connection 1, answer to #1 on it) to 127.0.0.1:"),
        "{}",
        titles[1]
    );
    assert!(titles[1].ends_with(": 200 OK"));
    assert!(stopped.stdout.contains("pdudo_web_sites"));
}

#[test]
fn quiet_prints_nothing_per_request() {
    let server = Server::start(&["--quiet"]);
    curl(&[&server.url("/")]);
    let stopped = server.stop();
    assert_eq!(stopped.stdout, "");
    assert!(stopped.stderr.contains("1 request"), "{}", stopped.stderr);
}

#[test]
fn binding_every_interface_warns_and_still_answers_on_loopback() {
    let server = Server::start(&["--bind", "0.0.0.0"]);
    assert!(
        server
            .first_stderr
            .starts_with("listening on http://0.0.0.0:"),
        "{}",
        server.first_stderr
    );
    assert!(
        server
            .first_stderr
            .contains("warning: bound to 0.0.0.0: anyone who can reach this machine"),
        "{}",
        server.first_stderr
    );
    // Only loopback traffic: the warning is about who could connect, not a reason to.
    let url = format!("http://127.0.0.1:{}/", server.addr.port());
    let out = curl(&[&url]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Hello, Destined Person.\r\n"
    );
    let stopped = server.stop();
    assert!(
        stopped.stderr.contains("try: curl -v http://127.0.0.1:"),
        "{}",
        stopped.stderr
    );
    assert!(stopped.status.success());
}

#[test]
fn chinese_titles_hints_and_summary() {
    let server = Server::start(&["--lang", "zh", "--show-response"]);
    assert!(
        server
            .first_stderr
            .contains("试试:curl -v http://127.0.0.1:"),
        "{}",
        server.first_stderr
    );
    let out = curl(&[&server.url("/")]);
    assert_eq!(text(&out.stdout), "Hello, Destined Person.\r\n");
    let stopped = server.stop();
    assert!(
        stopped
            .stdout
            .contains("请求报文 1 (连接 1 上的第 1 个请求,来自 127.0.0.1:"),
        "{}",
        stopped.stdout
    );
    assert!(
        stopped
            .stdout
            .contains("响应报文 1 (连接 1 上对第 1 个请求的应答,发往 127.0.0.1:"),
        "{}",
        stopped.stdout
    );
    assert!(!stopped.stdout.contains("on it"), "{}", stopped.stdout);
    assert!(
        stopped
            .stderr
            .contains("已停止:1 个连接,1 个请求(0 个错误)"),
        "{}",
        stopped.stderr
    );
}

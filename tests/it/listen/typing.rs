//! A person typing a request by hand (nc, telnet): `--timeout` counts from the last
//! byte, so pauses between lines are fine; the terminal says how far the head has come
//! while it waits for the blank line; and at `--max-connections`, a request that has
//! been arriving for seconds gives its slot to a new client.

use std::thread::sleep;

use unicode_width::UnicodeWidthStr;

use super::*;

/// Longer than the first note takes to come (2 s) and than half of `--timeout 3`.
const PAUSE: Duration = Duration::from_millis(1500);

/// Type `lines` with `pause` before each but the first; returns the connection.
fn type_lines(server: &Server, lines: &[&[u8]], pause: Duration) -> TcpStream {
    let mut stream = server.connect();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            sleep(pause);
        }
        stream.write_all(line).unwrap();
    }
    stream
}

/// The note lines in `stdout` about connection 1's head.
fn notes(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.starts_with("connection 1: ") || l.starts_with("连接 1:"))
        .collect()
}

#[test]
fn a_request_typed_with_pauses_longer_than_the_timeout_is_answered() {
    let server = Server::start(&["--timeout", "3"]);
    let lines: [&[u8]; 4] = [
        b"GET /typed HTTP/1.1\r\n",
        b"Host: x\r\n",
        b"Accept: */*\r\n",
        b"\r\n",
    ];
    // 4.5 s in all: more than --timeout, but never 3 s without a byte.
    let mut stream = type_lines(&server, &lines, PAUSE);
    let reply = text(&read_response(&mut stream));
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    drop(stream);
    let stopped = server.stop();
    let out = &stopped.stdout;
    let notes = notes(out);
    assert!(!notes.is_empty(), "no note about the head:\n{out}");
    for note in &notes {
        let (count, rest) = note
            .strip_prefix("connection 1: ")
            .and_then(|n| n.split_once(' '))
            .unwrap();
        let count: usize = count.parse().unwrap();
        assert!((1..=3).contains(&count), "{note}");
        let plural = if count == 1 { "line" } else { "lines" };
        assert_eq!(
            rest,
            format!("{plural} so far, waiting for the blank line (CR LF CR LF) that ends the head"),
        );
    }
    // At most one note every 3 s, and each new one says more.
    assert!(notes.len() <= 2, "{out}");
    // The notes come before the request's table, which follows as usual.
    let title = out
        .find("Request 1: GET /typed HTTP/1.1 · connection 1, #1 on it")
        .expect(out);
    assert!(out.find(notes[0]).unwrap() < title, "{out}");
    assert!(!out.contains("408"), "{out}");
}

#[test]
fn the_note_about_a_head_speaks_chinese_and_stays_out_of_json() {
    let zh = Server::start(&["--lang", "zh"]);
    let json = Server::start(&["--format", "json"]);
    let quiet = Server::start(&["--quiet"]);
    let half: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n";
    let streams: Vec<TcpStream> = [&zh, &json, &quiet]
        .iter()
        .map(|server| {
            let mut stream = server.connect();
            stream.write_all(half).unwrap();
            stream
        })
        .collect();
    sleep(Duration::from_millis(2600));
    for mut stream in streams {
        stream.write_all(b"\r\n").unwrap();
        let reply = text(&read_response(&mut stream));
        assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    }
    let zh = zh.stop().stdout;
    assert_eq!(
        notes(&zh),
        ["连接 1:已收到 2 行,正在等待结束首部的空白行(CR LF CR LF)"],
        "{zh}"
    );
    let json = json.stop().stdout;
    assert_eq!(json.lines().count(), 1, "{json}");
    assert!(json.starts_with('{'), "{json}");
    assert_eq!(quiet.stop().stdout, "");
}

#[test]
fn a_request_trickling_for_seconds_gives_its_slot_to_a_new_client() {
    let server = Server::start(&["--max-connections", "1"]);
    let mut slow = server.connect();
    slow.write_all(b"GET /half HTTP/1.1\r\n").unwrap();
    // A byte now and then, never 60 s apart: only the limit can take its slot, once
    // the request is older than a program would take (2 s).
    for byte in b"Host: x\r\n" {
        sleep(Duration::from_millis(250));
        slow.write_all(&[*byte]).unwrap();
    }
    let out = curl(&["-i", &server.url("/new")]);
    let reply = text(&out.stdout);
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    // The slow one is told why, and what it sent is shown.
    let told = text(&read_to_close(&mut slow));
    assert!(
        told.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{told}"
    );
    assert!(
        told.contains(
            "while every connection slot was taken (--max-connections 1): closed to make room \
             for a new client; the head was not finished (no blank line yet)\n"
        ),
        "{told}"
    );
    let stopped = server.stop();
    assert_eq!(titles(&stopped.stdout).len(), 2, "{}", stopped.stdout);
    assert!(
        stopped.stdout.contains("GET /half HTTP/1.1"),
        "{}",
        stopped.stdout
    );
}

#[test]
fn a_request_begun_a_moment_ago_keeps_its_slot() {
    let server = Server::start(&["--max-connections", "1"]);
    let mut moving = server.connect();
    moving.write_all(b"GET /moving HTTP/1.1\r\n").unwrap();
    sleep(Duration::from_millis(1000));
    moving.write_all(b"Host: x\r\n").unwrap();
    // Its request began a second ago, as a program's might: the new client is the one
    // turned away.
    let out = curl(&["-i", &server.url("/new")]);
    let reply = text(&out.stdout);
    assert!(
        reply.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{reply}"
    );
    moving.write_all(b"\r\n").unwrap();
    let reply = text(&read_response(&mut moving));
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    server.stop();
}

#[test]
fn the_note_about_a_head_stays_inside_the_width() {
    let server = Server::start(&["--timeout", "3", "--width", "50"]);
    let lines: [&[u8]; 3] = [b"GET /narrow HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"];
    let mut stream = type_lines(&server, &lines, PAUSE);
    let reply = text(&read_response(&mut stream));
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    drop(stream);
    let out = server.stop().stdout;
    let first = out
        .lines()
        .position(|l| l.starts_with("connection 1: "))
        .expect(&out);
    // The note is wrapped, its next line indented, like a title.
    let note: Vec<&str> = out
        .lines()
        .skip(first)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(note.len() > 1, "{out}");
    assert!(note[1].starts_with("  "), "{out}");
    for line in out.lines() {
        assert!(line.width() <= 50, "{line:?} is wider than 50:\n{out}");
    }
}

//! Load: a stalled viewer never holds the server back (10,000 requests, memory bounded,
//! every number sent or counted as missed); fifty viewers each get every exchange.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use super::{page_addr, start, WAIT};
use crate::listen::curl;

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
    // Under load the hammering can outlast the page's write timeout: the viewer is then
    // dropped in the middle of a write, so only whole events (ended by a blank line) count.
    let whole = stream
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .map_or(0, |at| at + 2);
    let stream = String::from_utf8_lossy(&stream[..whole]).into_owned();
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

//! Clients that never read their reply: what the server holds for them is the request
//! and the socket's buffer, not the whole reply (a JSON echo is ~3.5 times its request).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::Server;

/// Peak resident memory (VmHWM) of a process, in MiB.
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib / 1024
}

/// Wait until the peak has not grown for a while (the server has written what the
/// sockets take and is waiting), at most 30 s.
fn settled_peak(pid: u32) -> u64 {
    let start = Instant::now();
    let (mut peak, mut since) = (peak_mib(pid), Instant::now());
    while since.elapsed() < Duration::from_millis(1500) && start.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(100));
        let now = peak_mib(pid);
        if now > peak {
            (peak, since) = (now, Instant::now());
        }
    }
    peak
}

fn read_reply(stream: &mut TcpStream) -> (String, Vec<u8>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut data = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).unwrap();
        assert!(n > 0, "closed before the head");
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(data[..head_end].to_vec()).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap();
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).unwrap();
        assert!(n > 0, "closed after {} of {length} bytes", body.len());
        body.extend_from_slice(&chunk[..n]);
    }
    assert_eq!(body.len(), length, "more than Content-Length arrived");
    (head, body)
}

#[test]
fn an_unread_json_echo_is_not_held_whole() {
    const CLIENTS: usize = 6;
    const BODY_MIB: usize = 8;
    let server = Server::start(&["--echo", "--quiet", "--timeout", "120"]);
    let line = format!("{}\n", "x".repeat(63));
    let body = line.repeat(BODY_MIB * 1024 * 1024 / line.len());
    let request = format!(
        "POST /big HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(request.as_bytes()).unwrap();
            s
        })
        .collect();
    let peak = settled_peak(server.pid());
    // Each JSON echo is ~27 MiB: held whole, six of them passed 250 MiB. Now each
    // client costs its request (~8 MiB) and a piece of the reply.
    let bound = (CLIENTS * BODY_MIB * 3 / 2 + 48) as u64;
    assert!(peak < bound, "peak {peak} MiB, bound {bound} MiB");

    // Every reply is whole and right once the clients do read.
    for client in &mut clients {
        let (head, reply) = read_reply(client);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        let json: serde_json::Value = serde_json::from_slice(&reply).unwrap();
        assert_eq!(json["body"]["length"], body.len());
        assert_eq!(json["target"], "/big");
        assert_eq!(
            json["lines"].as_array().unwrap().len(),
            5 + body.len() / line.len()
        );
    }
    // And the connection is still usable for the next request.
    let small = b"GET /next HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\n\r\n";
    clients[0].write_all(small).unwrap();
    let (head, reply) = read_reply(&mut clients[0]);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(String::from_utf8_lossy(&reply).contains("\"target\":\"/next\""));
}

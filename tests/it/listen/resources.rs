//! What `listen` holds and where it writes: `--save` files are made safely (no symlink
//! followed, no temp file left, a bad DIR refused at start-up, `--save-sync`), a stalled
//! standard output holds clients back within a bound in bytes, and an `--echo` reply a
//! client does not read is not held whole.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn raw_get(server: &Server, path: &str) -> (Vec<u8>, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    let mut stream = server.connect();
    stream.write_all(request.as_bytes()).unwrap();
    (request.into_bytes(), read_to_close(&mut stream))
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn save_never_follows_a_symlink_planted_in_dir() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("captured");
    std::fs::create_dir(&save).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    // The temp name the server used to use, and the final name: both predictable.
    for name in [".000001-conn1-req1.http.tmp", "000001-conn1-req1.http"] {
        std::os::unix::fs::symlink(&victim, save.join(name)).unwrap();
    }
    let server = Server::start(&["--save", save.to_str().unwrap(), "--quiet"]);
    let (request, reply) = raw_get(&server, "/first");
    assert!(
        text(&reply).starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        text(&reply)
    );
    server.stop();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let saved = save.join("000001-conn1-req1.http");
    assert!(!saved.symlink_metadata().unwrap().is_symlink());
    assert_eq!(std::fs::read(&saved).unwrap(), request);
    assert_eq!(
        names(&save),
        [".000001-conn1-req1.http.tmp", "000001-conn1-req1.http"]
    );
}

#[test]
fn a_failed_save_answers_500_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("captured");
    // A non-empty directory where the file should go: the rename into place fails.
    std::fs::create_dir_all(save.join("000001-conn1-req1.http/inside")).unwrap();
    let server = Server::start(&["--save", save.to_str().unwrap(), "--quiet"]);
    let (_, reply) = raw_get(&server, "/lost");
    let reply = text(&reply);
    assert!(reply.starts_with("HTTP/1.1 500 "), "{reply}");
    assert!(
        reply.ends_with("the server could not save the request\n"),
        "{reply}"
    );
    let (request, reply) = raw_get(&server, "/kept");
    assert!(text(&reply).starts_with("HTTP/1.1 200 OK\r\n"));
    let stopped = server.stop();
    assert!(
        stopped.stderr.contains("000001-conn1-req1.http: "),
        "{}",
        stopped.stderr
    );
    assert_eq!(
        names(&save),
        ["000001-conn1-req1.http", "000002-conn2-req1.http"]
    );
    assert_eq!(
        std::fs::read(save.join("000002-conn2-req1.http")).unwrap(),
        request
    );
}

#[test]
fn a_save_dir_that_cannot_take_files_fails_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let under_file = file.join("captured");
    // /proc/self exists and is a directory, but no file can be made in it, even by root.
    let mut cases = vec![under_file.to_str().unwrap().to_owned()];
    if std::path::Path::new("/proc/self").is_dir() {
        cases.push("/proc/self".into());
    }
    for save in cases {
        let out = assert_cmd::Command::cargo_bin("httpdump")
            .unwrap()
            .args(["listen", "0", "--save", &save])
            .timeout(WAIT)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{save}: {stderr}");
        assert!(
            stderr.starts_with(&format!("httpdump: --save {save}: ")),
            "{stderr}"
        );
        assert!(!stderr.contains("listening on"), "{stderr}");
    }
}

#[test]
fn save_sync_saves_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("synced");
    let server = Server::start(&["--save", save.to_str().unwrap(), "--save-sync", "--quiet"]);
    let (request, reply) = raw_get(&server, "/durable");
    assert!(text(&reply).starts_with("HTTP/1.1 200 OK\r\n"));
    server.stop();
    assert_eq!(names(&save), ["000001-conn1-req1.http"]);
    assert_eq!(
        std::fs::read(save.join("000001-conn1-req1.http")).unwrap(),
        request
    );
}

#[test]
fn save_sync_needs_save() {
    let out = assert_cmd::Command::cargo_bin("httpdump")
        .unwrap()
        .args(["listen", "0", "--save-sync"])
        .timeout(WAIT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--save <DIR>"),
        "{}",
        text(&out.stderr)
    );
}

/// Resident memory of a process, in MiB (Linux).
fn rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024)
}

/// `httpdump listen 0` with standard output a pipe nobody reads (yet).
struct Stalled {
    child: std::process::Child,
    addr: SocketAddr,
}

impl Stalled {
    fn start(args: &[&str]) -> Stalled {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
            .args(["listen", "0", "--color", "never"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let addr = first
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("{first}"))
            .parse()
            .unwrap();
        // Keep draining stderr so it can never stall the server.
        std::thread::spawn(move || lines.for_each(drop));
        Stalled { child, addr }
    }
}

impl Drop for Stalled {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sample the server's RSS until `progress` has not moved for a second (the clients
/// are held back) or `done` clients have all finished; the highest sample, in MiB.
fn peak_rss_until_stalled(pid: u32, progress: &AtomicUsize, done: usize) -> u64 {
    let mut peak = 0;
    let mut last = (usize::MAX, Instant::now());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        peak = peak.max(rss_mib(pid).unwrap_or(0));
        let now = progress.load(Ordering::SeqCst);
        if now >= done {
            return peak;
        }
        if now != last.0 {
            last = (now, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(1) {
            return peak;
        }
        assert!(
            Instant::now() < deadline,
            "clients neither finished nor stalled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_stalled_stdout_holds_clients_back_within_a_bound_in_bytes() {
    const CLIENTS: usize = 4;
    const EACH: usize = 12;
    const BODY: usize = 8 << 20;
    let mut server = Stalled::start(&["--width", "100"]);
    let pid = server.child.id();
    // The smallest pipe there is (a page): a few tables fill it.
    {
        use std::os::fd::AsRawFd;
        let fd = server.child.stdout.as_ref().unwrap().as_raw_fd();
        // SAFETY: fcntl on a pipe this process owns; no pointers are passed.
        assert!(unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, 4096) } > 0);
    }
    let addr = server.addr;
    let replies = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let replies = replies.clone();
            std::thread::spawn(move || {
                // One line, so the parsed message is about its raw bytes.
                let body = vec![b'a' + c as u8; BODY];
                let mut stream = TcpStream::connect(addr).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(120)))
                    .unwrap();
                for n in 0..EACH {
                    let head = format!(
                        "POST /c{c}/r{n} HTTP/1.1\r\nHost: a\r\nContent-Length: {BODY}\r\n\r\n"
                    );
                    stream.write_all(head.as_bytes()).unwrap();
                    stream.write_all(&body).unwrap();
                    let reply = read_response(&mut stream);
                    assert!(text(&reply).starts_with("HTTP/1.1 200 OK\r\n"));
                    replies.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    let peak = peak_rss_until_stalled(pid, &replies, CLIENTS * EACH);
    let answered = replies.load(Ordering::SeqCst);
    // Unbounded, all 48 requests (384 MiB of bodies) are queued and answered at once
    // (384 MiB resident); bounded, about 120 MiB.
    assert!(answered < CLIENTS * EACH, "nobody was held back");
    assert!(peak < 250, "{peak} MiB resident with output stalled");

    // Now read the output: every client is served and every request shown.
    let mut stdout = server.child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).unwrap();
        out
    });
    for client in clients {
        client.join().unwrap();
    }
    let ok = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = reader.join().unwrap();
    let mut shown: Vec<&str> = titles(&out)
        .iter()
        .filter_map(|t| t.split_whitespace().find(|w| w.starts_with("/c")))
        .collect();
    shown.sort();
    let mut sent: Vec<String> = (0..CLIENTS)
        .flat_map(|c| (0..EACH).map(move |n| format!("/c{c}/r{n}")))
        .collect();
    sent.sort();
    assert_eq!(shown, sent, "every request shown once");
}

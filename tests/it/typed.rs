//! `httpdump parse -` while someone types: each message shows as soon as its last line
//! is entered, not when the input ends (a terminal on standard output, as a student has).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A pseudo-terminal: (the side we read, the side the program writes to).
fn pty() -> (File, File) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors we then own; no name, termios or size.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are open and owned by nothing else.
    unsafe { (File::from_raw_fd(master), File::from_raw_fd(slave)) }
}

#[test]
fn a_typed_request_shows_before_the_input_ends() {
    let (mut master, slave) = pty();
    let mut child = Command::new(env!("CARGO_BIN_EXE_httpdump"))
        .args(["parse", "--color", "never", "--width", "80", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(slave))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    // Typed line by line at a typing pace (each line a read of its own), as a terminal
    // hands lines over; the input stays open.
    for line in ["GET /typed HTTP/1.1\r\n", "Host: example\r\n", "\r\n"] {
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.contains("blank line") {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            Err(_) => {
                let _ = child.kill();
                panic!("no table while the input stayed open; the terminal showed:\n{seen}");
            }
        }
    }
    assert!(seen.contains("Request 1: GET /typed HTTP/1.1"), "{seen}");
    assert!(seen.contains("Host"), "{seen}");
    // The program is still reading: the input has not ended.
    assert!(child.try_wait().unwrap().is_none());
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
}

//! `listen` without `--width` on a real terminal (a pty): each table takes the
//! terminal's width when it is printed, so resizing the window (SIGWINCH) is followed,
//! and a title that does not fit breaks after its start line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::WAIT;

/// A pseudo-terminal: the master end the test reads, the slave end the server writes.
fn open_pty() -> (File, File) {
    unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        assert!(master >= 0, "posix_openpt: {}", io::Error::last_os_error());
        assert_eq!(libc::grantpt(master), 0);
        assert_eq!(libc::unlockpt(master), 0);
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(master, name.as_mut_ptr(), name.len()), 0);
        let slave = libc::open(
            name.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        assert!(slave >= 0, "open slave: {}", io::Error::last_os_error());
        (File::from_raw_fd(master), File::from_raw_fd(slave))
    }
}

/// Resize the terminal, as dragging a window's edge does.
fn set_columns(master: &File, columns: u16) {
    let size = libc::winsize {
        ws_row: 40,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let rc = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
    assert_eq!(rc, 0, "TIOCSWINSZ: {}", io::Error::last_os_error());
}

/// Send Chromium's request and read the reply to its end.
fn send_chromium_request(addr: std::net::SocketAddr) {
    let mut request = std::fs::read("fixtures/chromium-request.http").unwrap();
    let at = request
        .windows(12)
        .position(|w| w == b"keep-alive\r\n")
        .unwrap();
    request.splice(at..at + 10, b"close".iter().copied());
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(&request).unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    assert!(reply.starts_with(b"HTTP/1.1 200 OK"));
}

/// Wait until the terminal has shown `count` whole tables (each ends in a "total" line).
fn wait_for_tables(screen: &mpsc::Receiver<Vec<u8>>, shown: &mut Vec<u8>, count: usize) {
    let deadline = Instant::now() + WAIT;
    while String::from_utf8_lossy(shown).matches("total ").count() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match screen.recv_timeout(left) {
            Ok(bytes) => shown.extend(bytes),
            Err(e) => panic!("{e}: {}", String::from_utf8_lossy(shown)),
        }
    }
}

#[test]
fn tables_follow_the_terminal_when_it_is_resized() {
    let (master, slave) = open_pty();
    set_columns(&master, 80);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(["listen", "0", "--color", "never"])
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(slave)
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting httpdump");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let addr = first
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{first:?}"))
        .parse()
        .unwrap();
    let (tx, screen) = mpsc::channel();
    let mut reader = master.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0; 16 * 1024];
        // Ends with EIO once the server has exited and closed the terminal.
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            if tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });

    let mut shown = Vec::new();
    send_chromium_request(addr);
    wait_for_tables(&screen, &mut shown, 1);
    set_columns(&master, 120);
    send_chromium_request(addr);
    wait_for_tables(&screen, &mut shown, 2);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }

    // A terminal shows "\n" as CR LF.
    let text = String::from_utf8_lossy(&shown).replace('\r', "");
    let (one, two) = text.split_at(text.find("Request 2:").expect("a second title"));
    for (table, width) in [(one, 80), (two, 120)] {
        let widest = table.lines().map(|l| l.chars().count()).max().unwrap();
        assert_eq!(widest, width, "\n{table}");
    }
    // At 80 columns the title breaks after its start line; at 120 it fits on one.
    let mut lines = one.lines();
    assert_eq!(lines.next(), Some("Request 1: GET / HTTP/1.1"), "\n{one}");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("    connection 1, #1 on it · from 127.0.0.1:"),
        "\n{one}"
    );
    let title = two.lines().next().unwrap();
    assert!(
        title.starts_with("Request 2: GET / HTTP/1.1 · connection 2, #1 on it · from 127.0.0.1:"),
        "{title}"
    );
}

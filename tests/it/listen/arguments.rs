//! `listen`'s arguments refused or taken as a user means them: a bad `--header` named as
//! the argument it is, `--status` out of range explained, `--bind` given a host name, an
//! address in use said in both languages; and the stop summary on its own line after the
//! `^C` a terminal echoes.

use super::{curl, text, Server};
use crate::parse_cli::httpdump;

/// Standard error of a `listen` refused at start-up, with its exit code checked.
fn refused(args: &[&str], code: i32) -> String {
    let out = httpdump()
        .args(["listen", "0"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_bad_header_name_is_named_as_the_argument_not_a_byte_of_the_reply() {
    let err = refused(&["--header", "Bad Name: v"], 2);
    assert_eq!(
        err,
        "httpdump: --header \"Bad Name: v\": \"Bad Name\" is not a header name: letters, \
         digits and !#$%&'*+-.^_`|~ only, no spaces\n"
    );
    let err = refused(&["--header", ": v"], 2);
    assert!(err.contains("\"\" is not a header name"), "{err}");
    let err = refused(&["--lang", "zh", "--header", "Bad Name: v"], 2);
    assert!(err.contains("\"Bad Name\" 不是合法的字段名"), "{err}");
}

#[test]
fn a_header_with_a_line_break_is_refused_not_sent_as_two() {
    for line in ["X-A: b\r\nX-B: 1", "X-A: b\nX-B: 1", "X-A: b\r"] {
        let err = refused(&["--header", line], 2);
        assert!(
            err.contains("a header must be one line (it holds a CR or LF)"),
            "{line:?}: {err}"
        );
    }
    let err = refused(&["--header", "X-A: a\u{1}b"], 2);
    assert!(err.contains("the value holds a control character"), "{err}");
}

#[test]
fn a_status_out_of_range_says_what_a_status_code_is() {
    for code in ["99", "1000", "abc", "0"] {
        let err = refused(&["--status", code], 2);
        assert!(
            err.contains("a status code has three digits, 100 to 999"),
            "{code}: {err}"
        );
        assert!(!err.contains("100..1000"), "{err}");
    }
    let err = refused(&["--lang", "zh", "--status", "99"], 2);
    assert!(err.contains("状态码是三位数字,从 100 到 999"), "{err}");
}

#[test]
fn bind_accepts_a_host_name_and_prefers_loopback() {
    let server = Server::start(&["--bind", "localhost"]);
    assert!(server.addr.ip().is_loopback(), "{}", server.addr);
    let out = curl(&["-i", &server.url("/")]);
    assert!(text(&out.stdout).starts_with("HTTP/1.1 200 OK\r\n"));
    server.stop();
    let err = refused(&["--bind", "no-such-host.invalid"], 2);
    assert!(
        err.contains("not an IP address, and the host name could not be looked up"),
        "{err}"
    );
}

#[test]
fn an_address_in_use_is_said_in_both_languages() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for (lang, said) in [
        ("en", "cannot listen on 127.0.0.1:"),
        ("en", "the address is already in use"),
        ("zh", "无法在 127.0.0.1:"),
        ("zh", "地址已被占用"),
    ] {
        let out = httpdump()
            .args(["--lang", lang, "listen", &port])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(said), "{lang}: {err}");
        assert!(!err.contains("os error"), "{err}");
    }
}

#[test]
fn a_missing_body_file_is_named_by_its_option() {
    let err = refused(&["--body-file", "/no/such/body"], 2);
    assert_eq!(
        err,
        "httpdump: --body-file /no/such/body: no such file or directory\n"
    );
    let err = refused(&["--lang", "zh", "--response-file", "/no/such/reply"], 2);
    assert_eq!(
        err,
        "httpdump: --response-file /no/such/reply:没有这个文件或目录\n"
    );
}

/// With standard error on a terminal, Ctrl-C is echoed as `^C` and no newline: the
/// summary must start on a line of its own. Run under a pseudo-terminal, where the line
/// discipline turns each `\n` into `\r\n`.
#[cfg(target_os = "linux")]
#[test]
fn the_stop_summary_starts_on_its_own_line_on_a_terminal() {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::{Command, Stdio};

    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors into the given integers.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("httpdump"));
        cmd.args(["listen", "0", "--quiet"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(slave));
        cmd.spawn().unwrap()
        // The command, and with it our copy of the terminal's slave side, is dropped here,
        // so reading the master side ends when the server exits.
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut master = std::fs::File::from(master);
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        // EIO once the last slave descriptor is closed: the end of the output.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
            if all.windows(4).any(|w| w == b"try:") {
                let _ = tx.send(());
            }
        }
        String::from_utf8_lossy(&all).into_owned()
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("no start-up lines");
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    assert!(child.wait().unwrap().success());
    let shown = reader.join().unwrap();
    assert!(
        shown.contains("/\r\n\r\nstopped: 0 connections"),
        "{shown:?}"
    );
}

//! Failures before any response: one clear line on standard error and exit 2.

use super::*;

#[test]
fn connection_refused_is_one_line() {
    let port = closed_port();
    let out = send(&[&format!("http://127.0.0.1:{port}/")]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!("httpdump: connection refused by 127.0.0.1:{port}: no server is listening on that port\n")
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn an_unresolvable_name_is_one_line() {
    let out = send(&["--timeout", "5", "http://nope.invalid/"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("httpdump: could not resolve host nope.invalid: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn bad_urls_and_arguments_say_what_is_wrong() {
    for (args, want) in [
        (
            &["ftp://example.com/"][..],
            "httpdump: bad URL ftp://example.com/: only http:// and https:// URLs can be sent (HTTP/2 and other protocols are out of scope)\n",
        ),
        (
            &["http://example.com:99999/"][..],
            "httpdump: bad URL http://example.com:99999/: the port is not a number from 1 to 65535\n",
        ),
        (
            &["-H", "no colon", "http://127.0.0.1:1/"][..],
            "httpdump: --header \"no colon\": expected 'Name: value'\n",
        ),
        (
            &["-X", "GE T", "http://127.0.0.1:1/"][..],
            "httpdump: -X \"GE T\": a method is a token: letters, digits and !#$%&'*+-.^_`|~ only, no spaces\n",
        ),
        (
            &["--raw", "/nonexistent/req.http", "--to", "127.0.0.1:1"][..],
            "httpdump: --raw /nonexistent/req.http: no such file or directory\n",
        ),
    ] {
        let out = send(args);
        assert_code(&out, 2);
        assert_eq!(stderr(&out), want, "{args:?}");
    }
}

#[test]
fn the_chinese_failure_line() {
    let port = closed_port();
    let out = send(&["--lang", "zh", &format!("http://127.0.0.1:{port}/")]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!("httpdump: 127.0.0.1:{port} 拒绝连接:那个端口上没有服务器在监听\n")
    );
}

/// A loopback listener that never accepts, with its queue already full: the kernel drops
/// further SYNs, so a new connection waits until the client gives up.
#[cfg(target_os = "linux")]
struct FullQueue {
    fd: libc::c_int,
    port: u16,
    _held: Vec<TcpStream>,
}

#[cfg(target_os = "linux")]
impl FullQueue {
    fn new() -> FullQueue {
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
            assert!(fd >= 0);
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_addr.s_addr = u32::from_ne_bytes([127, 0, 0, 1]);
            let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            assert_eq!(
                libc::bind(fd, &addr as *const _ as *const libc::sockaddr, len),
                0
            );
            assert_eq!(libc::listen(fd, 0), 0);
            let mut len = len;
            assert_eq!(
                libc::getsockname(fd, &mut addr as *mut _ as *mut libc::sockaddr, &mut len),
                0
            );
            let port = u16::from_be(addr.sin_port);
            // Fill the queue: connections the kernel completes but nobody accepts.
            let mut held = Vec::new();
            for _ in 0..4 {
                match TcpStream::connect_timeout(
                    &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                    Duration::from_millis(200),
                ) {
                    Ok(s) => held.push(s),
                    Err(_) => break,
                }
            }
            FullQueue {
                fd,
                port,
                _held: held,
            }
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for FullQueue {
    fn drop(&mut self) {
        unsafe { libc::close(self.fd) };
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_connect_that_hangs_times_out_in_one_line() {
    let queue = FullQueue::new();
    let url = format!("http://127.0.0.1:{}/", queue.port);
    let started = std::time::Instant::now();
    let out = send(&["--timeout", "1", &url]);
    assert!(started.elapsed() < WAIT, "{:?}", started.elapsed());
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!(
            "httpdump: connecting to 127.0.0.1:{} timed out after 1 s (--timeout)\n",
            queue.port
        )
    );
    assert!(out.stdout.is_empty());
}

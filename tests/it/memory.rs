//! Memory per message, through the real binary: the peak resident memory of `parse` on
//! bodies shaped to cost the most per byte (a line per byte, a chunk per byte) stays
//! within a small multiple of the input (issue 10, item 7).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Run `httpdump` with `args`, output thrown away; its exit code and peak resident
/// memory in bytes, from `wait4` on that one child (which reaps it: `Child::wait` would
/// not give its memory, hence the allow).
#[allow(clippy::zombie_processes)]
fn peak_memory(args: &[&str]) -> (i32, u64) {
    let child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting httpdump");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut status = 0;
        // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own child,
        // which `Child` never waits for here.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(got >= 0, "wait4 failed");
        if got == pid {
            assert!(libc::WIFEXITED(status), "httpdump did not exit normally");
            // Linux reports ru_maxrss in KiB.
            let kib = u64::try_from(usage.ru_maxrss).unwrap();
            return (libc::WEXITSTATUS(status), kib * 1024);
        }
        assert!(
            Instant::now() < deadline,
            "httpdump parse took over two minutes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn write_input(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file
}

/// Three times the input plus a constant for the program itself: the input is read
/// once, kept once as the message, and a chunked body once more decoded.
fn budget(input: usize) -> u64 {
    3 * input as u64 + 40 * 1024 * 1024
}

#[test]
fn a_body_of_line_feeds_costs_about_its_size() {
    let body = vec![b'\n'; 8 << 20];
    let mut input = format!(
        "POST /lf HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    input.extend_from_slice(&body);
    let file = write_input(&input);
    let path = file.path().to_str().unwrap();
    for format in ["table", "raw"] {
        let (code, peak) = peak_memory(&["parse", "--format", format, path]);
        assert_eq!(code, 0, "--format {format}");
        assert!(
            peak < budget(input.len()),
            "--format {format}: peak {} MiB for {} MiB of input",
            peak >> 20,
            input.len() >> 20
        );
    }
}

#[test]
fn a_body_of_one_byte_chunks_costs_about_its_size() {
    let mut input =
        b"POST /chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..1_500_000 {
        input.extend_from_slice(b"1\r\na\r\n");
    }
    input.extend_from_slice(b"0\r\n\r\n");
    let file = write_input(&input);
    let (code, peak) = peak_memory(&["parse", file.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        peak < budget(input.len()),
        "peak {} MiB for {} MiB of input",
        peak >> 20,
        input.len() >> 20
    );
}

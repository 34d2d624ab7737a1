//! Memory per message, through the real binary: the peak resident memory of `parse` on
//! bodies shaped to cost the most per byte (a line per byte, a chunk per byte) stays
//! within a small multiple of the input (issue 10, item 7), transcripts included; a HAR
//! file streams entry by entry (issue 16).

use std::io::Write;
use std::process::{Command, Stdio};

/// Run `httpdump` with `args`, output thrown away; its exit code and peak resident
/// memory in bytes. A small python3 process starts it and reports its children's peak:
/// a child spawned straight from this test process would count this (large,
/// multi-threaded) process's resident memory as its own, since Linux carries the
/// high-water mark of the address space a process had before `exec` into its peak.
pub(crate) fn peak_memory(args: &[&str]) -> (i32, u64) {
    const REPORT: &str = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, \
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)\n\
        print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)";
    let out = Command::new("python3")
        .args(["-c", REPORT])
        .arg(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("starting python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    let (code, kib) = report.trim().split_once(' ').expect("code and peak");
    // Linux reports ru_maxrss in KiB.
    (code.parse().unwrap(), kib.parse::<u64>().unwrap() * 1024)
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

/// A `curl -v` transcript of one response whose body is `size` bytes of short lines, as
/// `bench/gen_transcript.py` makes it.
fn verbose_transcript(size: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(size + 16);
    let mut n = 0;
    while body.len() < size {
        body.extend_from_slice(format!("line {n:07}\n").as_bytes());
        n += 1;
    }
    let mut input = format!(
        "* Connected to 127.0.0.1 (127.0.0.1) port 8080 (#0)\n\
         > GET /big HTTP/1.1\r\n> Host: 127.0.0.1:8080\r\n> Accept: */*\r\n> \r\n\
         < HTTP/1.1 200 OK\r\n< Content-Type: text/plain\r\n< Content-Length: {}\r\n< \r\n",
        body.len()
    )
    .into_bytes();
    input.extend_from_slice(&body);
    input.extend_from_slice(b"* Connection #0 to host 127.0.0.1 left intact\n");
    input
}

#[test]
fn a_transcript_body_of_short_lines_costs_about_its_size() {
    let input = verbose_transcript(8 << 20);
    let file = write_input(&input);
    let path = file.path().to_str().unwrap();
    for format in ["json", "table"] {
        let (code, peak) = peak_memory(&["parse", "--format", format, path]);
        assert_eq!(code, 0, "--format {format}");
        assert!(
            peak < budget(input.len()),
            "--format {format}: peak {} MiB for {} MiB of transcript",
            peak >> 20,
            input.len() >> 20
        );
    }
}

#[test]
fn an_httpie_body_of_short_lines_costs_about_its_size() {
    let mut input = b"GET /big HTTP/1.1\nHost: 127.0.0.1:8080\nUser-Agent: HTTPie/3.2.2\n\n\n\
        HTTP/1.1 200 OK\nContent-Type: text/plain\n\n"
        .to_vec();
    let mut n = 0;
    while input.len() < 8 << 20 {
        input.extend_from_slice(format!("line {n:07}\n").as_bytes());
        n += 1;
    }
    let file = write_input(&input);
    let (code, peak) = peak_memory(&["parse", "--format", "json", file.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        peak < budget(input.len()),
        "peak {} MiB for {} MiB of transcript",
        peak >> 20,
        input.len() >> 20
    );
}

/// A HAR file is read entry by entry: its peak memory follows the largest entry, not the
/// file (issue 16), so a HAR far larger than the budget streams through.
#[test]
fn a_har_file_streams_entry_by_entry() {
    let body = "x".repeat(256 * 1024);
    let entry = format!(
        r#"{{"startedDateTime":"2024-03-05T10:00:00Z","request":{{"method":"GET","url":"http://127.0.0.1:8080/big","httpVersion":"HTTP/1.1","headers":[{{"name":"Host","value":"127.0.0.1:8080"}}]}},"response":{{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{{"name":"Content-Length","value":"{}"}}],"content":{{"size":{},"mimeType":"text/plain","text":"{body}"}}}},"timings":{{"send":0,"wait":1,"receive":1}}}}"#,
        body.len(),
        body.len()
    );
    let count = 128;
    let mut input = String::with_capacity(count * (entry.len() + 1) + 64);
    input.push_str(r#"{"log":{"version":"1.2","entries":["#);
    for i in 0..count {
        if i > 0 {
            input.push(',');
        }
        input.push_str(&entry);
    }
    input.push_str("]}}");
    let file = write_input(input.as_bytes());
    let path = file.path().to_str().unwrap();
    let (code, peak) = peak_memory(&["parse", path]);
    assert_eq!(code, 0);
    // Less than the 32 MiB file: the program and a few copies of one entry.
    let limit = 24 * 1024 * 1024 + 20 * entry.len() as u64;
    assert!(
        peak < limit && limit < input.len() as u64,
        "peak {} MiB for a HAR of {} MiB",
        peak >> 20,
        input.len() >> 20
    );
}

//! Transcripts that lie or are huge (issue 10): counts in a trace that are not the bytes
//! present, bodies of millions of short lines, which must be read in one pass, and
//! curl failure lines carrying bidi marks.

use serde_json::Value;

use super::httpdump;

/// `parse --format json` on stdin: the messages and the exit code; stderr for failures.
fn parse_stdin(input: Vec<u8>) -> (Vec<Value>, i32, String) {
    let out = httpdump()
        .args(["parse", "--format", "json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let values = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (values, out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn trace_block_counts_are_claims_not_sizes() {
    for count in ["18446744073709551615", "100000000000", "4294967296"] {
        for kind in ["header", "data"] {
            let input = format!(
                "<= Recv header, 19 bytes (0x13)\n0000: HTTP/1.1 200 OK\n\
                 <= Recv header, 21 bytes (0x15)\n0000: Content-Length: 1\n\
                 <= Recv header, 2 bytes (0x2)\n0000: \n\
                 <= Recv {kind}, {count} bytes\n0000: x\n"
            );
            let (values, code, stderr) = parse_stdin(input.into_bytes());
            assert!(
                code == 0 || code == 1,
                "{kind} {count}: exit {code}, stderr: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{kind} {count}: {stderr}");
            // What the block held is shown, not lost: as the body, or as a head line.
            let text: Vec<&str> = values
                .iter()
                .flat_map(|v| v["lines"].as_array().into_iter().flatten())
                .filter_map(|l| l["text"].as_str())
                .collect();
            assert!(text.contains(&"x"), "{kind} {count}: {values:#?}");
        }
    }
}

#[test]
fn trace_row_offsets_near_the_limit_do_not_overflow() {
    let input = b"=> Send header, 40 bytes\n0000: GET / HTTP/1.1\n\
                  ffffffffffffffff: Host: a\n0018: \n"
        .to_vec();
    let (values, code, stderr) = parse_stdin(input);
    assert!(code == 0 || code == 1, "exit {code}, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!values.is_empty(), "{stderr}");
}

/// A response whose body is `n` short lines, as `curl -v` or `--trace-ascii` shows it,
/// and the transcript line of the body's last line.
fn big_transcript(n: usize, trace: bool) -> (Vec<u8>, usize) {
    let body: Vec<String> = (0..n).map(|i| format!("line {i:07}\n")).collect();
    let len: usize = body.iter().map(String::len).sum();
    let head = [
        "HTTP/1.1 200 OK".to_string(),
        format!("Content-Length: {len}"),
        String::new(),
    ];
    let mut out = String::from("> GET /big HTTP/1.1\r\n> Host: a\r\n> \r\n");
    if !trace {
        for h in &head {
            out.push_str(&format!("< {h}\r\n"));
        }
        let first = out.lines().count() + 1;
        out.extend(body);
        return (out.into_bytes(), first + n - 1);
    }
    out.clear();
    out.push_str(
        "=> Send header, 31 bytes (0x1f)\n0000: GET /big HTTP/1.1\n0013: Host: a\n001c: \n",
    );
    for h in &head {
        out.push_str(&format!(
            "<= Recv header, {} bytes\n0000: {h}\n",
            h.len() + 2
        ));
    }
    let mut last = 0;
    for block in body.chunks(1000) {
        let size: usize = block.iter().map(String::len).sum();
        out.push_str(&format!("<= Recv data, {size} bytes\n"));
        let mut at = 0;
        for line in block {
            out.push_str(&format!("{at:04x}: {}\n", line.trim_end()));
            at += line.len();
        }
        last = out.lines().count();
    }
    (out.into_bytes(), last)
}

/// About 1.5 MiB of body in 120,000 lines: read in about a second (debug build) when each
/// line's place in the transcript is found in one walk, a minute or more when each line
/// scanned the body from its start (as before issue 10). No clock: it has to finish.
#[test]
fn bodies_of_many_short_lines_are_mapped_in_one_pass() {
    let n = 120_000;
    for trace in [false, true] {
        let (input, last_line) = big_transcript(n, trace);
        let (values, code, stderr) = parse_stdin(input);
        assert_eq!(code, 0, "trace {trace}: {stderr}");
        let response = values.last().unwrap();
        let lines = response["lines"].as_array().unwrap();
        let body: Vec<&Value> = lines.iter().filter(|l| l["part"] == "body").collect();
        assert_eq!(body.len(), n, "trace {trace}");
        assert_eq!(body[0]["text"], "line 0000000");
        assert_eq!(body[n - 1]["text"], format!("line {:07}", n - 1));
        assert_eq!(body[n - 1]["source_line"], last_line, "trace {trace}");
        assert_eq!(body[n - 2]["source_line"], last_line - 1, "trace {trace}");
    }
}

/// curl's own failure, repeated when a transcript holds no message, is text from the
/// file: a bidi override in it must not reach the terminal (found by the fuzz test).
#[test]
fn curl_failure_line_escapes_bidi_and_separator_characters() {
    let input = "*   Trying 127.0.0.1:9...\n\
                 * \u{202e}connect to 127.0.0.1 port\u{2028} 9 failed: Connection refused\n\
                 * Closing connection 0\n";
    let out = httpdump()
        .args(["parse", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "httpdump: -: curl could not connect: * \\u{202e}connect to 127.0.0.1 port\\u{2028} 9 \
         failed: Connection refused\n"
    );
}

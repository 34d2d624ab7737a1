//! Unit tests of the transcript readers: line endings, the progress meter, detection, and
//! that no input, however odd, makes them panic.

use proptest::prelude::*;

use super::curl::strip_progress;
use super::{detect, parse, split_lines, Ending, InputKind, Tool};
use crate::model::Item;

#[test]
fn line_endings_are_told_apart() {
    let lines: Vec<_> = split_lines(b"a\r\nb\nc\r\r\nd").collect();
    let endings: Vec<Ending> = lines.iter().map(|l| l.ending).collect();
    assert_eq!(
        endings,
        [Ending::CrLf, Ending::Lf, Ending::CrCrLf, Ending::None]
    );
    assert_eq!(lines[2].text, b"c");
    assert_eq!(lines[3].offset, 9);
}

#[test]
fn progress_rows_glued_to_a_line_are_removed() {
    let row = b"\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0*   Trying 127.0.0.1:80...";
    assert_eq!(
        strip_progress(row),
        Some(&b"*   Trying 127.0.0.1:80..."[..])
    );
    let alone = b"\r100    18  100    18    0     0  14669      0 --:--:-- --:--:-- --:--:-- 18000";
    assert_eq!(strip_progress(alone), None);
    let heading =
        b"  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current";
    assert_eq!(strip_progress(heading), None);
    assert_eq!(strip_progress(b"plain body"), Some(&b"plain body"[..]));
}

#[test]
fn detection() {
    let verbose = InputKind::Transcript(Tool::CurlVerbose);
    let trace = InputKind::Transcript(Tool::CurlTrace);
    let httpie = InputKind::Transcript(Tool::Httpie);
    let cases = [
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", InputKind::Raw),
        (
            "* Connected to a (1.2.3.4) port 80 (#0)\n> GET / HTTP/1.1\n",
            verbose,
        ),
        (
            "== Info: Connected\n=> Send header, 2 bytes (0x2)\n0000: \n",
            trace,
        ),
        ("GET / HTTP/1.1\nUser-Agent: HTTPie/3.2.2\n\n", httpie),
        ("$ xh -v a\nGET / HTTP/1.1\n\n", httpie),
        ("hello\nworld\n", InputKind::Unknown),
        ("junk\nGET / HTTP/1.1\r\n\r\n", InputKind::Raw),
    ];
    for (text, kind) in cases {
        assert_eq!(detect(text.as_bytes(), true), Some(kind), "{text:?}");
    }
    // Half a first line: wait for more, unless that is all there is.
    assert_eq!(detect(b"GET / HT", false), None);
}

#[test]
fn a_start_line_inside_a_head_closes_it_with_a_diagnostic() {
    let items = parse(
        b"> GET / HTTP/1.1\r\n> Host: a\r\n< HTTP/1.1 200 OK\r\n< \r\n",
        Tool::CurlVerbose,
    );
    let Item::Message(request) = &items[0] else {
        panic!("{items:?}");
    };
    assert!(request
        .diagnostics
        .iter()
        .any(|d| d.code == crate::model::Code::TranscriptTruncated));
    assert!(matches!(&items[1], Item::Message(m) if m.status() == Some(200)));
}

/// Lines made of the pieces transcripts are made of, to reach deep into the readers.
fn transcript_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("> ".to_string()),
        Just("< ".to_string()),
        Just("* ".to_string()),
        Just("{ [12 bytes data]".to_string()),
        Just("} [3 bytes data]".to_string()),
        Just("GET / HTTP/1.1".to_string()),
        Just("HTTP/1.1 100 Continue".to_string()),
        Just("HTTP/2 200 ".to_string()),
        Just("Content-Length: 5".to_string()),
        Just("Transfer-Encoding: chunked".to_string()),
        Just("Content-Encoding: gzip".to_string()),
        Just("=> Send header, 5 bytes (0x5)".to_string()),
        Just("<= Recv data, 3 bytes (0x3)".to_string()),
        Just("0000: ".to_string()),
        Just("0003: 47 45 54 ".to_string()),
        Just("== Info: Connected to a (b) port 1 (#0)".to_string()),
        Just("$ curl -v x".to_string()),
        Just("12:00:00.000000 [0-0] ".to_string()),
        Just(
            "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
                .to_string()
        ),
        Just("\r".to_string()),
        "[ -~]{0,12}",
    ];
    prop::collection::vec(piece, 0..4).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for tool in [Tool::CurlVerbose, Tool::CurlTrace, Tool::Httpie] {
            let _ = parse(&bytes, tool);
        }
        let _ = detect(&bytes, false);
        let _ = detect(&bytes, true);
    }

    #[test]
    fn transcript_like_text_never_panics(
        lines in prop::collection::vec(transcript_line(), 0..40),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        for tool in [Tool::CurlVerbose, Tool::CurlTrace, Tool::Httpie] {
            for item in parse(text.as_bytes(), tool) {
                if let Item::Message(m) = item {
                    // Every line of a rebuilt message knows its transcript line.
                    prop_assert_eq!(m.context.source_lines.len(), m.lines.len());
                }
            }
        }
    }
}

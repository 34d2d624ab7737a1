//! Unit tests of the raw parser: framing, byte-exact lines, errors with places, and a
//! property test that no input makes it panic.

use proptest::prelude::*;

use super::*;
use crate::model::Item;
use crate::model::{ErrorKind, Framing, LineEnding, Part};
use crate::source::reader::parse_all;

fn one(bytes: &[u8]) -> Box<Message> {
    let mut state = State::default();
    match parse_message(bytes, 0, &mut state, &ParseOptions::default(), true) {
        Parsed::Complete { message, consumed } => {
            assert_eq!(consumed, bytes.len(), "whole input consumed");
            message
        }
        other => panic!("expected a message, got {other:?}"),
    }
}

fn error(bytes: &[u8]) -> ParseError {
    let mut state = State::default();
    match parse_message(bytes, 0, &mut state, &ParseOptions::default(), true) {
        Parsed::Error { error, .. } => *error,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn request_lines_keep_offsets_and_endings() {
    let m = one(b"GET / HTTP/1.1\r\nHost: a\nX-Two:  b \r\n\r\n");
    let parts: Vec<Part> = m.lines.iter(&m.raw).map(|l| l.part).collect();
    assert_eq!(
        parts,
        [Part::StartLine, Part::Header, Part::Header, Part::BlankLine]
    );
    assert_eq!(m.lines.get(&m.raw, 1).unwrap().ending, LineEnding::Lf);
    assert_eq!(m.lines.get(&m.raw, 2).unwrap().start, 24);
    assert_eq!(
        m.line_bytes(&m.lines.get(&m.raw, 2).unwrap()),
        b"X-Two:  b "
    );
    let pairs: Vec<(&[u8], &[u8])> = m.header_pairs().collect();
    assert_eq!(pairs, [(&b"Host"[..], &b"a"[..]), (b"X-Two", b"b")]);
    // A bare LF is legal to read: the wire parser takes it without a word (the lints,
    // a later step, remark on it).
    assert_eq!(m.diagnostics, []);
}

#[test]
fn duplicates_and_case_are_kept() {
    let m = one(b"GET / HTTP/1.1\r\nhost: a\r\nAccept: x\r\nACCEPT: y\r\n\r\n");
    let names: Vec<&[u8]> = m.header_pairs().map(|(n, _)| n).collect();
    assert_eq!(names, [&b"host"[..], b"Accept", b"ACCEPT"]);
}

#[test]
fn content_length_body() {
    let m = one(b"POST /f HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello\nworld");
    assert_eq!(m.body.framing, Some(Framing::ContentLength));
    assert_eq!(m.body_bytes(), b"hello\nworld");
    let body: Vec<_> = m
        .lines
        .iter(&m.raw)
        .filter(|l| l.part == Part::Body)
        .collect();
    assert_eq!(body.len(), 2);
    assert_eq!(body[1].ending, LineEnding::None);
}

#[test]
fn chunked_body_with_trailer() {
    let m = one(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n");
    assert_eq!(m.body.framing, Some(Framing::Chunked));
    assert_eq!(m.body_bytes(), b"Wikipedia");
    let parts: Vec<Part> = m.lines.iter(&m.raw).skip(3).map(|l| l.part).collect();
    assert_eq!(
        parts,
        [
            Part::ChunkSize,
            Part::ChunkData,
            Part::ChunkEnd,
            Part::ChunkSize,
            Part::ChunkData,
            Part::ChunkEnd,
            Part::LastChunk,
            Part::Trailer,
            Part::BlankLine
        ]
    );
    assert_eq!(m.trailers.len(), 1);
}

#[test]
fn no_body_for_head_1xx_204_304() {
    let items = parse_all(
        b"HEAD / HTTP/1.1\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        ParseOptions::default(),
    );
    let framings: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Message(m) => Some((m.status(), m.body.framing)),
            _ => None,
        })
        .collect();
    assert_eq!(
        framings,
        [
            (None, Some(Framing::None)),
            (Some(100), Some(Framing::None)),
            (Some(200), Some(Framing::None)),
            (Some(204), Some(Framing::None)),
        ]
    );
}

#[test]
fn response_without_length_reads_to_end() {
    let bytes = b"HTTP/1.0 200 OK\r\n\r\nall of\nthis";
    let mut state = State::default();
    let partial = parse_message(bytes, 0, &mut state, &ParseOptions::default(), false);
    assert!(matches!(partial, Parsed::Partial { .. }));
    let m = one(bytes);
    assert_eq!(m.body.framing, Some(Framing::UntilClose));
    assert_eq!(m.body_bytes(), b"all of\nthis");
}

#[test]
fn partial_until_head_and_body_are_whole() {
    let full = b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
    let opts = ParseOptions::default();
    for cut in 0..full.len() {
        let mut state = State::default();
        match parse_message(&full[..cut], 0, &mut state, &opts, false) {
            Parsed::Partial { .. } => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn errors_name_line_and_byte() {
    let e = error(b"GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n");
    assert_eq!(
        (e.kind.clone(), e.line, e.offset),
        (ErrorKind::NoColon, 2, 25)
    );
    assert_eq!(e.fragment.lines.len(), 3);

    let e = error(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n");
    assert_eq!(
        (e.kind, e.line, e.offset),
        (ErrorKind::BadHeaderName, 1, 19)
    );

    let e = error(b"GET / HTTP/1.1\r\nHost : x\r\n\r\n");
    assert_eq!(e.kind, ErrorKind::SpaceBeforeColon);

    let e = error(b"HTTP/1.1 2000 OK\r\n\r\n");
    assert_eq!(e.kind, ErrorKind::BadStatusCode);

    let e = error(b"GET / HTTP/1.1\r\nX: a\x1bb\r\n\r\n");
    assert_eq!((e.kind, e.offset), (ErrorKind::BadHeaderValue, 20));

    let e = error(b"GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!((e.kind, e.line, e.offset), (ErrorKind::BadTarget, 0, 8));

    let e = error(b"hello world\n");
    assert_eq!(e.kind, ErrorKind::NotStartLine);
}

#[test]
fn truncation_is_an_error_at_eof() {
    let e = error(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    assert_eq!(
        e.kind,
        ErrorKind::TruncatedBody {
            expected: 10,
            got: 3
        }
    );
    assert_eq!(e.fragment.raw.len(), 42, "nothing is lost");
    let e = error(b"GET / HTTP/1.1\r\nHost: a");
    assert_eq!(e.kind, ErrorKind::TruncatedHead);
    assert_eq!(e.fragment.lines.len(), 2);
}

#[test]
fn a_chunked_body_that_never_starts_is_cut_off_at_eof() {
    // Found by proptest: the input ends right after the head of a chunked message.
    let e = error(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    assert_eq!(e.kind, ErrorKind::TruncatedChunked);
    let e = error(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
    assert_eq!(e.kind, ErrorKind::TruncatedChunked);
}

#[test]
fn conflicting_content_length_is_an_error() {
    let e = error(b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
    assert_eq!((e.kind, e.line), (ErrorKind::BadContentLength, 2));
    let m = one(b"POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc");
    assert_eq!(m.body_bytes(), b"abc");
}

#[test]
fn limits_are_parameters() {
    let opts = ParseOptions {
        max_head: 32,
        ..ParseOptions::default()
    };
    let mut state = State::default();
    let long = b"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n";
    match parse_message(long, 0, &mut state, &opts, false) {
        Parsed::Error { error, .. } => {
            assert_eq!(error.kind, ErrorKind::HeadTooLarge { limit: 32 })
        }
        other => panic!("{other:?}"),
    }
    let opts = ParseOptions {
        max_body: Some(2),
        ..ParseOptions::default()
    };
    match parse_message(
        b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n",
        0,
        &mut state,
        &opts,
        false,
    ) {
        Parsed::Error { error, .. } => {
            assert!(matches!(error.kind, ErrorKind::BodyTooLarge { .. }))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn reader_resyncs_after_an_error_and_loses_nothing() {
    let input = b"GET / HTTP/1.1\r\nbroken\r\nmore junk\r\n\r\nGET /ok HTTP/1.1\r\n\r\n";
    let items = parse_all(input, ParseOptions::default());
    let kinds: Vec<&str> = items
        .iter()
        .map(|i| match i {
            Item::Message(_) => "message",
            Item::Error(_) => "error",
            Item::Stray(_) => "stray",
        })
        .collect();
    assert_eq!(kinds, ["error", "stray", "message"]);
    let mut raw = Vec::new();
    for item in &items {
        crate::render::raw::write_item(&mut raw, item).unwrap();
    }
    assert_eq!(raw, input);
}

#[test]
fn a_head_first_is_whole_before_its_body_and_says_what_it_expects() {
    let opts = ParseOptions::default();
    let head = b"POST / HTTP/1.1\r\nexpect:  100-Continue\r\nContent-Length: 5\r\n\r\nab";
    assert!(matches!(
        parse_head_first(&head[..20], 0, &opts),
        Parsed::Partial { .. }
    ));
    let Parsed::Complete { message, consumed } = parse_head_first(head, 0, &opts) else {
        panic!("the head is whole");
    };
    assert_eq!(
        (consumed, message.head_len()),
        (head.len() - 2, head.len() - 2)
    );
    assert!(message.expects_continue());
    assert!(!one(b"POST / HTTP/1.0\nExpect: 100-continue\n\n").expects_continue());
    assert!(!one(b"GET / HTTP/1.1\r\n\r\n").expects_continue());
    let m = one(b"GET / HTTP/1.1\r\nConnection: Upgrade,  CLOSE\r\n\r\n");
    assert!(m.connection_has("close") && !m.connection_has("keep-alive"));
}

#[test]
fn grammar_rules_are_said_once() {
    use crate::model::grammar::{ends_chunked, last_coding, split_field, status_has_no_body};
    assert!([100, 101, 199, 204, 304]
        .into_iter()
        .all(status_has_no_body));
    assert!(![200, 205, 404].into_iter().any(status_has_no_body));
    assert_eq!(last_coding(b"gzip, Chunked "), b"Chunked");
    assert!(ends_chunked(b"gzip,chunked") && !ends_chunked(b"chunked, gzip"));
    assert_eq!(
        split_field(b"Host : a", false),
        Some((&b"Host "[..], &b" a"[..]))
    );
    assert_eq!(
        split_field(b":authority: x", true),
        Some((&b":authority"[..], &b" x"[..]))
    );
    assert_eq!(split_field(b" folded: no", false), None);
    assert_eq!(split_field(b"no colon", false), None);
}

#[test]
fn an_empty_input_at_its_end_is_a_head_that_ended_early() {
    let opts = ParseOptions::default();
    let Parsed::Error { error, consumed } =
        parse_message(b"", 0, &mut State::default(), &opts, true)
    else {
        panic!("an empty input is not a message");
    };
    assert_eq!((error.kind, consumed), (ErrorKind::TruncatedHead, 0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let items = parse_all(&bytes, ParseOptions::default());
        let mut raw = Vec::new();
        for item in &items {
            crate::render::raw::write_item(&mut raw, item).unwrap();
        }
        prop_assert_eq!(raw, bytes);
    }

    /// The wire parser itself, called directly on any slice (the empty one included,
    /// which `parse_all` never hands it): an answer, never a panic, and never more
    /// consumed than there was.
    #[test]
    fn the_wire_parser_answers_any_slice(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        eof in any::<bool>(),
    ) {
        let opts = ParseOptions::default();
        match parse_message(&bytes, 0, &mut State::default(), &opts, eof) {
            Parsed::Complete { consumed, .. } => prop_assert!(consumed > 0 && consumed <= bytes.len()),
            Parsed::Error { consumed, .. } => prop_assert!(consumed <= bytes.len()),
            Parsed::Partial { .. } => prop_assert!(!eof),
        }
        if let Parsed::Complete { consumed, .. } | Parsed::Error { consumed, .. } =
            parse_head_only(&bytes, 0, &mut State::default(), &opts)
        {
            prop_assert!(consumed <= bytes.len());
        }
    }

    #[test]
    fn http_like_bytes_never_panic(
        parts in proptest::collection::vec(
            prop_oneof![
                Just(&b"GET / HTTP/1.1"[..]), Just(&b"HTTP/1.1 200 OK"[..]), Just(&b"\r\n"[..]),
                Just(&b"\n"[..]), Just(&b"Content-Length: 3"[..]), Just(&b"Transfer-Encoding: chunked"[..]),
                Just(&b"5"[..]), Just(&b"0"[..]), Just(&b"abc"[..]), Just(&b":"[..]), Just(&b" "[..]),
                Just(&b"\r"[..]), Just(&b"HEAD / HTTP/1.0"[..]), Just(&b"\x00\xff"[..]),
            ],
            0..40,
        ),
        eof in any::<bool>(),
    ) {
        let bytes: Vec<u8> = parts.concat();
        let mut state = State::default();
        let opts = ParseOptions::default();
        let mut pos = 0;
        // Walk the input as a server would, message by message.
        while pos < bytes.len() {
            match parse_message(&bytes[pos..], pos, &mut state, &opts, eof) {
                Parsed::Complete { consumed, message } => {
                    prop_assert!(consumed > 0);
                    prop_assert_eq!(&message.raw[..], &bytes[pos..pos + consumed]);
                    let covered: usize = message.lines.iter(&message.raw).map(|l| l.wire_len()).sum();
                    prop_assert_eq!(covered, consumed, "lines cover the message exactly");
                    // The lints' fast walk skips body runs; every other line comes, numbered
                    // as the full walk numbers it.
                    let not_body = |(_, l): &(usize, crate::model::Line)| {
                        !matches!(l.part, crate::model::Part::Body | crate::model::Part::ChunkData)
                    };
                    let all: Vec<_> = message.lines.iter(&message.raw).enumerate().filter(not_body).collect();
                    let fast: Vec<_> = message.lines.numbered_outside_data(&message.raw).filter(not_body).collect();
                    prop_assert_eq!(fast, all);
                    pos += consumed;
                }
                Parsed::Error { consumed, error } => {
                    prop_assert!(error.offset <= bytes.len());
                    pos += consumed.max(1);
                }
                Parsed::Partial { .. } => {
                    prop_assert!(!eof);
                    break;
                }
            }
        }
    }
}

#[test]
fn a_start_line_cut_by_a_read_is_not_taken_for_stray_bytes() {
    // The first message ends 6 bytes before the reader's first 64 KiB read does.
    let head = b"POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: ";
    let mut first = Vec::new();
    let body_len = 65536 - 6 - head.len() - "65463".len() - 4;
    first.extend_from_slice(head);
    first.extend_from_slice(body_len.to_string().as_bytes());
    first.extend_from_slice(b"\r\n\r\n");
    first.extend(std::iter::repeat_n(b'x', body_len));
    assert_eq!(first.len(), 65530);
    let mut input = first.clone();
    input.extend_from_slice(b"HTTP/1.1 204 No Content\r\n\r\n");
    let items = parse_all(&input, ParseOptions::default());
    let Item::Message(m) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(m.raw.len(), 65530);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    assert!(matches!(&items[1], Item::Message(r) if r.status() == Some(204)));
}

/// Whether httparse takes a whole head (the check the parser used to run on every head).
fn httparse_takes(head: &[u8], is_request: bool, header_count: usize) -> bool {
    let mut storage = vec![httparse::EMPTY_HEADER; header_count + 1];
    let result = if is_request {
        httparse::Request::new(&mut storage).parse(head)
    } else {
        let mut config = httparse::ParserConfig::default();
        config
            .allow_spaces_after_header_name_in_responses(true)
            .allow_obsolete_multiline_headers_in_responses(true);
        let mut response = httparse::Response::new(&mut storage);
        config.parse_response(&mut response, head)
    };
    matches!(result, Ok(httparse::Status::Complete(_)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The head scan is the one reader of a head: it must take nothing httparse refuses
    /// (httparse used to check every head again after it).
    #[test]
    fn the_head_scan_is_no_more_lenient_than_httparse(
        parts in proptest::collection::vec(
            prop_oneof![
                Just(&b"GET / HTTP/1.1"[..]), Just(&b"HTTP/1.1 200 OK"[..]), Just(&b"HTTP/1.0 204 "[..]),
                Just(&b"\r\n"[..]), Just(&b"\n"[..]), Just(&b"\r"[..]), Just(&b"Host: a"[..]),
                Just(&b"X"[..]), Just(&b":"[..]), Just(&b" "[..]), Just(&b"\t"[..]), Just(&b"\x00"[..]),
                Just(&b"\x7f"[..]), Just(&b"\xff"[..]), Just(&b"\x80"[..]), Just(&b"("[..]),
                Just(&b"\""[..]), Just(&b"/"[..]), Just(&b"a"[..]), Just(&b"HTTP/"[..]), Just(&b"1.1"[..]),
                Just(&b"999"[..]), Just(&b"POST"[..]), Just(&b"?q=1"[..]), Just(&b"\x0b"[..]),
            ],
            0..30,
        ),
        tail in proptest::collection::vec(any::<u8>(), 0..4),
    ) {
        let mut bytes: Vec<u8> = parts.concat();
        bytes.extend_from_slice(&tail);
        bytes.extend_from_slice(b"\r\n\r\n");
        let opts = ParseOptions::default();
        for start in [&b""[..], b"GET / HTTP/1.1\r\n", b"HTTP/1.1 200 OK\r\n"] {
            let input = [start, &bytes[..]].concat();
            if let head::HeadResult::Complete(h) = head::parse_head(&input, 0, &opts, true) {
                prop_assert!(
                    httparse_takes(&input[..h.end], h.is_request(), h.headers.len()),
                    "{:?}",
                    String::from_utf8_lossy(&input[..h.end])
                );
            }
        }
    }
}

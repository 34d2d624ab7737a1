//! Unit tests of the lints: one case per code that must trigger it and a clean twin that
//! must not, over real parses (`parse_all`, then the pipeline's lint step, as `parse`
//! runs them), so the parser's own diagnostics count too.

use super::diagnostics::all_diagnostics;
use super::lints::lint;
use super::tests::has_cjk;
use super::*;
use crate::model::Item;
use crate::model::{Code, Diagnostic, Message, Severity, Subject};
use crate::pipeline::lint_all;
use crate::source::reader::parse_all;
use crate::wire::ParseOptions;

fn messages(input: &[u8]) -> Vec<Message> {
    lint_all(parse_all(input, ParseOptions::default()))
        .into_iter()
        .filter_map(|item| match item {
            Item::Message(m) => Some(*m),
            _ => None,
        })
        .collect()
}

/// Codes of every diagnostic on every message, as a user would see them.
fn codes(input: &[u8]) -> Vec<&'static str> {
    messages(input)
        .iter()
        .flat_map(|m| m.diagnostics.iter().map(|d| d.code.as_str()))
        .collect()
}

/// The diagnostic with this code on a message.
fn finding<'a>(msg: &'a Message, code: &str) -> &'a Diagnostic {
    let found = msg.diagnostics.iter().find(|d| d.code.as_str() == code);
    found.unwrap_or_else(|| panic!("no {code} in {:?}", msg.diagnostics))
}

/// (code, input that must trigger it, similar input that must not).
const CASES: &[(&str, &[u8], &[u8])] = &[
    ("bare-lf", b"GET / HTTP/1.1\nHost: a\n\n", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    (
        "obs-fold",
        b"HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: one two\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "space-before-colon",
        b"HTTP/1.1 200 OK\r\nServer : x\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "invalid-field-char",
        b"HTTP/1.1 200 OK\r\nX-City: K\xc3\xb6ln\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-City: Koeln\r\nContent-Length: 0\r\n\r\n",
    ),
    ("missing-host", b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", b"GET / HTTP/1.0\r\nAccept: */*\r\n\r\n"),
    (
        "duplicate-host",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ),
    (
        "transfer-encoding-with-content-length",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    (
        "duplicate-content-length",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok",
    ),
    (
        "content-length-mismatch",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello, world\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\nHello, world\r\n",
    ),
    (
        "transfer-encoding-http10",
        b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    (
        "transfer-encoding-not-chunked",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    ),
    ("lowercase-method", b"get / HTTP/1.1\r\nHost: a\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("unknown-method", b"BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", b"PATCH /pot HTTP/1.1\r\nHost: a\r\n\r\n"),
    (
        "absolute-form-target",
        b"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n",
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    ),
    (
        "status-code-range",
        b"HTTP/1.1 600 Beyond\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 599 Odd\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "unknown-status",
        b"HTTP/1.1 299 Odd\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 226 IM Used\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "missing-reason-phrase",
        b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "body-not-allowed",
        b"HTTP/1.1 204 No Content\r\n\r\nsurprise\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
    (
        "length-on-bodiless-status",
        b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 615\r\n\r\n",
    ),
    (
        "body-without-length",
        b"POST /login HTTP/1.1\r\nHost: a\r\n\r\nuser=xiaoming",
        b"POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 13\r\n\r\nuser=xiaoming",
    ),
];

#[test]
fn each_lint_fires_on_its_case_and_not_on_the_clean_twin() {
    for (code, bad, good) in CASES {
        let found = codes(bad);
        assert!(
            found.contains(code),
            "{code} not found in {found:?} for {:?}",
            String::from_utf8_lossy(bad)
        );
        let items = lint_all(parse_all(good, ParseOptions::default()));
        assert!(
            !items.iter().any(|i| matches!(i, Item::Error(_))),
            "the clean twin of {code} must parse"
        );
        let found = codes(good);
        assert!(
            !found.contains(code),
            "{code} wrongly found for {:?}",
            String::from_utf8_lossy(good)
        );
    }
}

#[test]
fn every_diagnostic_code_has_a_case() {
    // `transcript-*` codes describe how a transcript was read, not a lint over raw bytes:
    // tests/it/curl.rs checks each on a transcript fixture. `listen-*` codes are about
    // what reached the server, not the bytes: tests/it/listen checks them; `send-*`
    // codes are about how `send` read a response: tests/it/send checks them.
    for info in all_diagnostics()
        .iter()
        .filter(|i| i.code.subject() == Subject::Bytes)
    {
        assert!(
            CASES.iter().any(|(c, _, _)| *c == info.code.as_str()),
            "no test case for {}",
            info.code.as_str()
        );
    }
}

#[test]
fn every_code_has_one_row_of_text() {
    for code in Code::ALL {
        let rows = all_diagnostics().iter().filter(|i| i.code == *code).count();
        assert_eq!(rows, 1, "{} in diagnostics.tsv", code.as_str());
    }
    assert_eq!(all_diagnostics().len(), Code::ALL.len());
}

#[test]
fn every_diagnostic_has_a_reference_and_both_languages() {
    for info in all_diagnostics() {
        assert!(info.reference.starts_with("RFC "), "{}", info.code.as_str());
        assert!(
            !info.text.en.is_empty() && has_cjk(info.text.zh),
            "{}",
            info.code.as_str()
        );
        // The same placeholders in both languages.
        for n in 0..4 {
            let p = format!("{{{n}}}");
            assert_eq!(
                info.text.en.contains(&p),
                info.text.zh.contains(&p),
                "{} {p}",
                info.code.as_str()
            );
        }
    }
}

#[test]
fn the_clean_fixtures_of_the_article_have_no_findings() {
    for file in [
        "juejin-request.http",
        "juejin-response.http",
        "article-reply.http",
        "post-form.http",
    ] {
        let bytes = std::fs::read(format!("fixtures/{file}")).unwrap();
        assert_eq!(codes(&bytes), Vec::<&str>::new(), "{file}");
    }
}

#[test]
fn body_longer_than_content_length_reports_both_numbers() {
    let msgs = messages(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello, world\r\n");
    let d = finding(&msgs[0], "content-length-mismatch");
    assert_eq!(d.args, ["5", "14"]);
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(
        d.offset, 43,
        "points at the first byte past the counted body"
    );
}

#[test]
fn a_body_that_lost_bytes_is_a_mismatch_unless_the_capture_hid_it() {
    // As a transcript reader might build it: Content-Length 14, only 5 bytes captured.
    let mut msg =
        messages(b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\nHello, world\r\n").remove(0);
    msg.body.wire.end = msg.body.wire.start + 5;
    assert!(lint(&msg)
        .iter()
        .any(|d| d.code == Code::ContentLengthMismatch));
    msg.context.body_hidden = Some(crate::model::BodyHidden { bytes: Some(14) });
    assert!(!lint(&msg)
        .iter()
        .any(|d| d.code == Code::ContentLengthMismatch));
}

#[test]
fn the_parser_and_the_lints_report_a_fold_once() {
    let found = codes(b"HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(found, ["obs-fold"]);
}

#[test]
fn lowercase_registered_method_is_not_also_unknown() {
    assert_eq!(
        codes(b"post / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
        ["lowercase-method"]
    );
}

#[test]
fn head_response_with_a_body_is_flagged() {
    let input =
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello";
    let msgs = messages(input);
    let d = finding(&msgs[1], "body-not-allowed");
    assert_eq!(d.args, ["200", "5"]);
}

#[test]
fn strict_fails_on_warnings_and_errors_not_notes() {
    let diags = |input: &[u8]| messages(input).remove(0).diagnostics;
    let note: Vec<Diagnostic> = diags(b"BREW / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(!note.is_empty() && !fails_strict(&note) && !has_errors(&note));
    let warning = diags(b"GET / HTTP/1.1\nHost: a\n\n");
    assert!(fails_strict(&warning) && !has_errors(&warning));
    let error = diags(b"GET / HTTP/1.1\r\n\r\n");
    assert!(fails_strict(&error) && has_errors(&error));
}

#[test]
fn diagnostic_text_in_both_languages() {
    let msg = messages(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").remove(0);
    let d = &msg.diagnostics[0];
    let en = diagnostic_text(d, Lang::En);
    let zh = diagnostic_text(d, Lang::Zh);
    assert_eq!(en, "2 Host header lines; a request must have exactly one, or the server must answer 400 (Bad Request) (RFC 9112 section 3.2)");
    assert!(
        zh.starts_with("有 2 个 Host 首部行") && zh.ends_with("(RFC 9112 第 3.2 节)"),
        "{zh}"
    );
}

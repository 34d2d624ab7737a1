//! `httpdump explain TERM` and `explain --list TABLE` through the real binary: each kind
//! of term in both languages, a term that is two things, every table, an unknown term
//! with the nearest names, `--width` and `--color` honoured.

use unicode_width::UnicodeWidthStr;

use crate::parse_cli::httpdump;

/// Exit code and standard output of `httpdump explain ARGS`, no colour.
fn explain(args: &[&str]) -> (Option<i32>, String) {
    let out = httpdump()
        .args(["--color", "never", "explain"])
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn found(args: &[&str]) -> String {
    let (code, out) = explain(args);
    assert_eq!(code, Some(0), "{args:?}");
    out
}

#[test]
fn each_kind_of_term_in_english_and_chinese() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "content-length",
            &["│ header        ┆ Content-Length", "RFC 9110 section 8.6"],
            &["│ 首部字段  ┆ Content-Length", "RFC 9110 第 8.6 节"],
        ),
        (
            "301",
            &[
                "│ status code   ┆ 301",
                "Moved Permanently",
                "3xx redirection",
            ],
            &["│ 状态码 ┆ 301", "3xx 重定向", "RFC 9110 第 15.4.2 节"],
        ),
        (
            "patch",
            &["│ method     ┆ PATCH", "RFC 5789 section 2"],
            &["│ 方法 ┆ PATCH", "RFC 5789 第 2 节"],
        ),
        (
            "MISSING-HOST",
            &[
                "│ diagnostic ┆ missing-host",
                "│ severity   ┆ error",
                "RFC 9112 section 3.2",
            ],
            &[
                "│ 诊断 ┆ missing-host",
                "│ 级别 ┆ 错误",
                "RFC 9112 第 3.2 节",
            ],
        ),
    ];
    for (term, en, zh) in cases {
        let text = found(&[term]);
        for said in *en {
            assert!(text.contains(said), "{term} en: {said:?} in\n{text}");
        }
        let text = found(&["--lang", "zh", term]);
        for said in *zh {
            assert!(text.contains(said), "{term} zh: {said:?} in\n{text}");
        }
    }
}

#[test]
fn a_term_that_is_two_things_shows_both() {
    let text = found(&["link"]);
    assert!(text.contains("│ header        ┆ Link "), "{text}");
    assert!(text.contains("│ method     ┆ LINK "), "{text}");
    assert_eq!(text.matches('┌').count(), 2, "{text}");
}

#[test]
fn every_table_lists_every_entry() {
    for (table, entries, some) in [
        ("headers", 130, "│ Content-Length"),
        ("status", 64, "│ 418"),
        ("methods", 39, "│ PATCH"),
        ("diagnostics", 31, "│ missing-host"),
    ] {
        let text = found(&["--list", table, "--width", "200"]);
        // Every entry starts a row: a line whose first cell is not empty.
        let rows = text
            .lines()
            .filter(|l| l.starts_with("│ ") && !l.starts_with("│  "))
            .count();
        assert!(rows > entries, "{table}: {rows} rows\n{text}");
        assert!(text.contains(some), "{table}: {some}");
        assert!(text.contains('╞'), "{table} has a header row");
    }
    let text = found(&["--lang", "zh", "--list", "methods"]);
    assert!(text.contains("│ 方法"), "{text}");
}

#[test]
fn an_unknown_term_exits_1_with_the_closest_names() {
    let out = httpdump()
        .args(["explain", "conten-length"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "httpdump: no header, status code, method, diagnostic or error code is called \"conten-length\"; \
         did you mean content-length?\n\
         note: `httpdump explain --list headers|status|methods|diagnostics` lists every entry\n"
    );
    let out = httpdump()
        .args(["--lang", "zh", "explain", "PATHC"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("没有叫 \"PATHC\" 的"), "{err}");
    assert!(err.contains("你是不是想找 PATCH?"), "{err}");
    let out = httpdump().args(["explain", "xyzzy"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8(out.stderr)
        .unwrap()
        .contains("did you mean"));
    // No term and no --list is a usage error.
    httpdump().args(["explain"]).assert().code(2);
}

#[test]
fn width_is_honoured_in_both_languages() {
    for width in [40usize, 60, 90] {
        let w = width.to_string();
        for args in [
            vec!["content-security-policy"],
            vec!["--lang", "zh", "transfer-encoding-with-content-length"],
            vec!["--list", "diagnostics"],
            vec!["--lang", "zh", "--list", "status"],
        ] {
            let mut all = vec!["--width", w.as_str()];
            all.extend(args.iter().copied());
            let text = found(&all);
            for line in text.lines() {
                assert!(
                    line.width() <= width,
                    "{all:?}: {} > {width}: {line}",
                    line.width()
                );
            }
        }
    }
}

#[test]
fn colour_follows_color() {
    let out = httpdump()
        .args(["--color", "always", "explain", "404"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\x1b["), "{text}");
    assert!(!found(&["404"]).contains('\x1b'));
}

#[test]
fn explain_snapshots() {
    insta::assert_snapshot!(
        "explain-term-en",
        found(&["content-length", "--width", "80"])
    );
    insta::assert_snapshot!(
        "explain-term-zh",
        found(&["--lang", "zh", "301", "--width", "80"])
    );
    insta::assert_snapshot!(
        "explain-list-methods",
        found(&["--list", "methods", "--width", "100"])
    );
}

#[test]
fn the_codes_of_errors_json_shows_can_be_looked_up_too() {
    // Codes of messages that could not be read, as JSON's error objects carry them.
    for code in [
        "no-colon",
        "tls",
        "timed-out",
        "slot-taken",
        "bad-chunk-extension",
    ] {
        let text = found(&[code]);
        assert!(
            text.contains("parse error") && text.contains(code),
            "{text}"
        );
    }
    assert!(found(&["NO-COLON"]).contains("header line has no colon"));
    // Numbers are placeholders; words stay words.
    let text = found(&["--width", "200", "slot-taken"]);
    assert!(
        text.contains(
            "still unfinished after N while every connection slot was taken (--max-connections N)"
        ),
        "{text}"
    );
    assert!(text.contains("the head was not finished"), "{text}");
    let text = found(&["--lang", "zh", "timed-out"]);
    assert!(
        text.contains("解析错误") && text.contains("--timeout"),
        "{text}"
    );
    let out = httpdump().args(["explain", "no-colom"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean no-colon?"), "{err}");
}

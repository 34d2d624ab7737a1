//! `--explain` and `--lang` through the real binary: explained tables in both languages,
//! Chinese tables that stay inside `--width` and line up, no English word left in Chinese
//! output, the language taken from the locale, and JSON messages in the chosen language.

use assert_cmd::Command;
use httpdump::explain::{Label, Lang};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::parse_cli::httpdump;

/// Every input the width and language tests run over: the raw fixtures and the transcripts.
fn inputs() -> Vec<String> {
    let mut all = Vec::new();
    for dir in ["fixtures", "fixtures/curl"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            // Inputs with no message to show: not HTTP, and curl failing to connect.
            let empty = ["not-http.txt", "connection-refused.txt"].contains(&name.as_str());
            if name.ends_with(".http") || (name.ends_with(".txt") && !empty) {
                all.push(format!("{dir}/{name}"));
            }
        }
    }
    all.sort();
    assert!(all.len() > 30, "{all:?}");
    all
}

/// Standard output of `httpdump parse` with these options, colour off.
fn shown(path: &str, args: &[&str]) -> String {
    let out = httpdump()
        .args(["parse", path, "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{path}: {:?}",
        out.status
    );
    String::from_utf8(out.stdout).unwrap()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn explained_table_snapshots_in_both_languages() {
    for name in [
        "juejin-request.http",
        "juejin-response.http",
        "chunked-trailer.http",
        "head-exchange.http",
        "until-close.http",
    ] {
        for lang in ["en", "zh"] {
            let path = format!("fixtures/{name}");
            let text = shown(&path, &["--explain", "--lang", lang, "--width", "90"]);
            insta::assert_snapshot!(format!("explain-{lang}-{name}"), text);
        }
    }
}

/// The lines from `┌` to `└` of every table in `text`.
fn tables(text: &str) -> Vec<Vec<&str>> {
    let mut all = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        if line.starts_with('┌') {
            current = Some(Vec::new());
        }
        if let Some(table) = current.as_mut() {
            table.push(line);
        }
        if line.starts_with('└') {
            all.extend(current.take());
        }
    }
    all
}

#[test]
fn chinese_output_stays_inside_the_width_and_its_tables_line_up() {
    for path in inputs() {
        for width in ["60", "80", "100"] {
            for explain in [false, true] {
                let mut args = vec!["--lang", "zh", "--width", width];
                if explain {
                    args.push("--explain");
                }
                let text = shown(&path, &args);
                let max: usize = width.parse().unwrap();
                for line in text.lines() {
                    // Display columns: a CJK character takes two.
                    let w = UnicodeWidthStr::width(line);
                    assert!(w <= max, "{path} {args:?}: {w} columns: {line}");
                }
                for table in tables(&text) {
                    let w = UnicodeWidthStr::width(table[0]);
                    for line in &table {
                        assert_eq!(
                            UnicodeWidthStr::width(*line),
                            w,
                            "{path} {args:?}: a line of the table is not as wide as its top:\n{}",
                            table.join("\n")
                        );
                    }
                }
            }
        }
    }
}

/// Pieces of the English labels long enough to be words of ours, not of the input.
fn english_pieces() -> Vec<&'static str> {
    let mut pieces = Vec::new();
    for label in Label::ALL {
        let httpdump::explain::Text { en, zh } = label.texts();
        if en == zh {
            continue;
        }
        for piece in en.split(['{', '}']) {
            let piece = piece.trim_matches(|c: char| !c.is_ascii_alphabetic());
            // Short pieces ("B", "len", "body") could be in a message itself.
            if piece.len() >= 8 && piece.contains(' ') {
                pieces.push(piece);
            }
        }
    }
    assert!(pieces.len() > 40, "{pieces:?}");
    pieces
}

#[test]
fn chinese_output_has_no_english_label_left() {
    let pieces = english_pieces();
    let english_parts: Vec<&str> = [
        Label::StartLine,
        Label::RequestLine,
        Label::StatusLine,
        Label::HeaderLine,
        Label::BlankLine,
        Label::Body,
        Label::ChunkSize,
        Label::Trailer,
    ]
    .iter()
    .map(|l| l.text(Lang::En))
    .collect();
    for path in inputs() {
        let text = shown(
            &path,
            &["--lang", "zh", "--explain", "--hex", "--width", "100"],
        );
        let mut rows = 0;
        for line in text.lines() {
            if let Some(row) = line.strip_prefix("│ ") {
                let cells: Vec<&str> = row.split(" ┆ ").collect();
                let part = cells.get(1).map_or("", |c| c.trim());
                if let Some(note) = part.strip_prefix("↳ ") {
                    assert!(has_cjk(note), "{path}: note not in Chinese: {line}");
                } else if cells.len() == 6 {
                    rows += 1;
                    assert!(
                        part.is_empty() || has_cjk(part),
                        "{path}: part not in Chinese: {line}"
                    );
                }
            }
            // The packet view names the part after "#N " (a transcript note, "  * ...",
            // is curl's words: `* HTTP 1.0, assume close after body`).
            assert!(
                line.starts_with("  * ")
                    || !english_parts
                        .iter()
                        .any(|p| line.ends_with(&format!(" {p}"))),
                "{path}: {line}"
            );
            // Transcript notes ("  * ...") are what curl printed, not our words.
            if !line.starts_with("  ") && !line.starts_with('│') {
                for piece in &pieces {
                    assert!(!line.contains(piece), "{path}: {piece:?} in: {line}");
                }
            }
        }
        assert!(rows > 0, "{path}: no table rows in:\n{text}");
    }
}

#[test]
fn language_comes_from_the_locale_unless_given() {
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = Command::cargo_bin("httpdump").unwrap();
        cmd.env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["parse", "fixtures/juejin-request.http", "--color", "never"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let zh = run(&[("LANG", "zh_CN.UTF-8")], &[]);
    assert!(zh.starts_with("请求报文 1:GET / HTTP/1.1"), "{zh}");
    assert!(zh.contains("请求行") && zh.contains("首部行") && zh.contains("空白行"));
    let en = run(&[("LANG", "en_US.UTF-8")], &[]);
    assert!(en.starts_with("Request 1: GET / HTTP/1.1"), "{en}");
    assert_eq!(run(&[], &[]), en, "no locale: English");
    assert_eq!(
        run(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")], &[]),
        en,
        "LC_ALL wins over LANG"
    );
    assert_eq!(
        run(&[("LANG", "C"), ("LC_MESSAGES", "zh_TW.UTF-8")], &[]),
        zh,
        "LC_MESSAGES wins over LANG"
    );
    assert_eq!(run(&[("LANG", "zh_CN.UTF-8")], &["--lang", "en"]), en);
    assert_eq!(run(&[], &["--lang", "zh"]), zh);
}

fn json_lines(args: &[&str]) -> Vec<Value> {
    let out = httpdump()
        .args(["parse", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn json_messages_follow_the_language_and_keys_do_not() {
    let en = json_lines(&["fixtures/bare-lf.http"]);
    let zh = json_lines(&["--lang", "zh", "fixtures/bare-lf.http"]);
    let (d_en, d_zh) = (&en[0]["diagnostics"][0], &zh[0]["diagnostics"][0]);
    assert_eq!(d_en["code"], "bare-lf");
    assert_eq!(d_zh["code"], "bare-lf");
    assert!(d_en["message"].as_str().unwrap().contains("bare LF"));
    assert!(has_cjk(d_zh["message"].as_str().unwrap()), "{d_zh}");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&en[0]), keys(&zh[0]));

    let err = json_lines(&["--lang", "zh", "fixtures/malformed-no-colon.http"]);
    assert_eq!(err[0]["kind"], "error");
    assert_eq!(err[0]["code"], "no-colon");
    assert_eq!(err[0]["message"], "首部行没有冒号");
}

#[test]
fn errors_and_findings_are_in_chinese() {
    let text = shown("fixtures/error-then-valid.http", &["--lang", "zh"]);
    assert!(text.starts_with("报文 1:无法读取\n"), "{text}");
    assert!(
        text.contains("\n错误:第 1 行,第 16 字节:首部行没有冒号\n"),
        "{text}"
    );
    let text = shown("fixtures/bare-lf.http", &["--lang", "zh", "--width", "200"]);
    assert!(text.contains("警告[bare-lf] 第 0 行,第 23 字节:"), "{text}");
    let out = httpdump()
        .args(["--lang", "zh", "parse", "fixtures/not-http.txt"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("既不是 HTTP 报文"), "{err}");
}

/// The notes of an explained table, each joined across its wrapped lines.
fn notes(text: &str) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(row) = line.strip_prefix("│ ") else {
            continue;
        };
        let Some((_, rest)) = row.split_once(" ┆ ") else {
            continue;
        };
        let rest = rest.trim_end_matches('│').trim();
        if let Some(note) = rest.strip_prefix("↳ ") {
            notes.push(note.to_string());
        } else if !rest.contains(" ┆ ") && !rest.is_empty() {
            let last = notes.last_mut().expect("a continuation follows a note");
            last.push(' ');
            last.push_str(rest);
        }
    }
    notes
}

fn explained(input: &[u8]) -> Vec<String> {
    let out = httpdump()
        .args([
            "parse",
            "-",
            "--explain",
            "--width",
            "200",
            "--color",
            "never",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    notes(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn each_line_gets_its_note() {
    let n = explained(b"GET / HTTP/1.1\r\nHost: a\r\nX-Lesson: 3\r\nFoo-Bar: 1\r\n\r\n");
    assert!(n[0].starts_with("request line = method SP"), "{n:?}");
    assert!(n[1].starts_with("method GET: ") && n[1].contains("RFC 9110 section 9.3.1"));
    assert!(n[2].starts_with("request target /: origin-form"), "{n:?}");
    assert!(n[3].starts_with("version HTTP/1.1: "), "{n:?}");
    assert!(n[4].contains("(RFC 9110 section 7.2)"), "Host: {n:?}");
    assert!(n[5].contains("private convention"), "X-Lesson: {n:?}");
    assert!(n[6].starts_with("not in the IANA"), "Foo-Bar: {n:?}");
    assert!(n[7].contains("the head ends here"), "{n:?}");
    assert!(n[8].starts_with("no body: nothing says"), "{n:?}");
    assert_eq!(n.len(), 9, "{n:?}");

    let n = explained(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno");
    assert!(n[1].starts_with("version HTTP/1.1"), "{n:?}");
    assert!(n[2].starts_with("status code 404: ") && n[2].contains("4xx client error"));
    assert!(n[3].starts_with("reason phrase Not Found: words for people"));
    assert!(n
        .iter()
        .any(|s| s.starts_with("the body is exactly Content-Length")));

    let n = explained(b"HTTP/1.0 200 OK\r\n\r\nuntil the end");
    assert!(
        n.iter().any(|s| s.contains("until the server closes")),
        "{n:?}"
    );
    let n = explained(b"HTTP/1.1 204 No Content\r\n\r\n");
    assert!(n.iter().any(|s| s.contains("1xx, 204, 304")), "{n:?}");
    let n = explained(b"HTTP/1.1 200\r\n\r\n");
    assert!(
        n.iter().any(|s| s.starts_with("reason phrase (empty): ")),
        "{n:?}"
    );

    for (line, form) in [
        (
            &b"GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n"[..],
            "absolute-form",
        ),
        (
            b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
            "authority-form",
        ),
        (b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "asterisk-form"),
    ] {
        let n = explained(line);
        assert!(n[2].contains(form), "{form}: {n:?}");
    }
}

#[test]
fn chunked_notes_tell_the_chunks_apart() {
    let text = shown(
        "fixtures/chunked-trailer.http",
        &["--explain", "--width", "200"],
    );
    let n = notes(&text);
    let count = |p: &str| n.iter().filter(|s| s.starts_with(p)).count();
    assert_eq!(count("chunked: each chunk starts"), 1, "{n:?}");
    assert_eq!(count("size of the next chunk"), 2, "{n:?}");
    assert_eq!(count("size 0: the last chunk"), 1, "{n:?}");
    assert_eq!(
        count("an empty line: the chunked body ends here"),
        1,
        "{n:?}"
    );
    // The trailer is a field like a header, with its purpose.
    assert_eq!(count("reason phrase OK"), 1, "{n:?}");
    assert!(
        n.iter().any(|s| s.ends_with("(RFC 9111 section 5.3)")),
        "Expires: {n:?}"
    );
}
